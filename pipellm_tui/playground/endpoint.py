"""Where a request goes, decided in one place for both faces: the profile chosen from the command
line, config.toml and the environment, its base URL and key, and the rules of its kind.

| given                                        | profile                                    |
|----------------------------------------------|--------------------------------------------|
| `--sandbox`                                  | sandbox                                    |
| `--profile NAME`                             | NAME (`--base-url` / `--api-key-env` override its URL / variable) |
| `--base-url URL` (key from the env)          | an unnamed PipeLLM-kind profile at URL     |
| `profile = "NAME"` in config.toml            | NAME                                       |
| the key variable set (PIPELLM_API_KEY)       | pipellm                                    |
| nothing                                      | sandbox                                    |

Kinds: PipeLLM and the sandbox have converter routes and the protocol guard (a native route takes
only its own family's models). A gateway (any other compatible server) has native routes only, each
taking any model; with no key it sends no auth header, and its 401 advice names its variable.
`Endpoint` is what the playground session holds: a base URL and key as the header shows them (the
sandbox flag, a display URL for snapshots, the key's variable) and the `Target` whose rules plans
follow; `endpoint_from_args` / `endpoint_for` make one from a resolved target. This module is the one
place for "where a request goes".
Must not import Textual, httpx2 or the sandbox (the caller starts the sandbox when `needs_sandbox`).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..client.plan import Plan, PlanError, make_plan
from ..protocols.errors import ApiError
from ..protocols.formats import Family, Format, RouteKind
from ..protocols.routes import PIPELLM_BASE_URL, PIPELLM_KEY_ENV, route_for
from ..store.config import Config, load_config
from ..store.profiles import Profile, ProfileKind, ProfileProblem, find_profile, key_for
from .request_draft import guard_problem

#: What makes a plan from (base URL, key, format, route, model, body, extra headers): `make_plan`.
Planner = Callable[
    [str, str, Format | str, RouteKind | str, str, dict[str, Any], dict[str, str] | None], Plan
]


@dataclass(frozen=True, slots=True)
class Choice:
    """What the command line asked for (every field optional)."""

    profile: str | None = None
    base_url: str | None = None
    key_env: str | None = None
    sandbox: bool = False

    @classmethod
    def from_args(cls, args: Any) -> Choice:
        return cls(
            getattr(args, "profile", None),
            getattr(args, "base_url", None),
            getattr(args, "api_key_env", None),
            bool(getattr(args, "sandbox", False)),
        )


@dataclass(frozen=True, slots=True)
class Target:
    """A profile made concrete: where to send and with which key. The key is never in its repr."""

    profile: Profile
    base_url: str
    api_key: str = field(repr=False)

    @property
    def kind(self) -> ProfileKind:
        return self.profile.kind

    @property
    def key_env(self) -> str:
        return self.profile.key_env

    @property
    def needs_sandbox(self) -> bool:
        """A sandbox profile whose sandbox is not started yet: start it, then `with_sandbox`."""
        return self.kind is ProfileKind.SANDBOX and not self.base_url

    def with_sandbox(self, base_url: str, api_key: str) -> Target:
        return dataclasses.replace(self, base_url=base_url.rstrip("/"), api_key=api_key)

    @property
    def label(self) -> str:
        if self.kind is ProfileKind.SANDBOX:
            return f"Sandbox · {self.base_url}"
        if self.kind is ProfileKind.PIPELLM and self.base_url == PIPELLM_BASE_URL:
            return f"PipeLLM · {self.base_url}"
        return f"{self.profile.name} · {self.base_url}"

    def route_problem(
        self, fmt: Format | str, kind: RouteKind | str, model: str, family: Family | None
    ) -> str | None:
        """Why this profile will refuse (format, route, model), said before sending: a gateway has
        native routes only, each taking any model; PipeLLM and the sandbox have the protocol guard."""
        route = route_for(fmt, kind)
        if self.kind is not ProfileKind.GATEWAY:
            return guard_problem(route, model, family)
        if route.kind is RouteKind.CONVERTER:
            return (
                f"Profile {self.profile.name!r} is a gateway: it has native routes only (each "
                "takes any model). Use the native route."
            )
        return None

    def plan(
        self,
        fmt: Format | str,
        kind: RouteKind | str,
        model: str,
        body: dict[str, Any],
        extra_headers: dict[str, str] | None = None,
    ) -> Plan:
        """What to send (see client.plan.make_plan), with this profile's rules: a gateway has no
        converter routes, and with no key no auth header is sent at all."""
        if self.kind is ProfileKind.GATEWAY and RouteKind(kind) is RouteKind.CONVERTER:
            problem = self.route_problem(fmt, kind, model, None)
            raise PlanError(problem or "")
        plan = make_plan(self.base_url, self.api_key, fmt, kind, model, body, extra_headers)
        if self.api_key or plan.secret_header is None:
            return plan
        headers = {k: v for k, v in plan.headers.items() if k != plan.secret_header}
        return dataclasses.replace(plan, headers=headers, secret_header=None)

    def advice(self, error: ApiError) -> str:
        """The error's advice, said for this profile: a 401 with no key says which variable to set;
        a gateway's 401 names its own variable."""
        unauthorized = error.status == 401 or error.type == "authentication_error"
        if unauthorized and not self.api_key:
            return (
                f"No API key was set: set ${self.key_env} (or name another variable with --api-key-env)."
            )
        if self.kind is ProfileKind.GATEWAY and (error.status == 401 or error.type == "authentication_error"):
            return (
                f"Check the API key: profile {self.profile.name!r} reads it from ${self.key_env}; "
                f"set it to a key {self.base_url} accepts."
            )
        return error.advice


def choose_profile(choice: Choice, config: Config, environ: Mapping[str, str]) -> Profile:
    """The profile the command line, config.toml and the environment ask for (see the table above)."""
    profiles = config.all_profiles()
    if choice.sandbox:
        return profiles["sandbox"]
    if choice.profile:
        profile = find_profile(profiles, choice.profile)
    elif choice.base_url:
        profile = Profile(name="command-line", kind=ProfileKind.PIPELLM, base_url=choice.base_url)
    elif config.profile:
        profile = find_profile(profiles, config.profile)
    elif environ.get(choice.key_env or PIPELLM_KEY_ENV):
        profile = profiles["pipellm"]
    else:
        return profiles["sandbox"]
    updates: dict[str, Any] = {}
    if choice.base_url and profile.kind is not ProfileKind.SANDBOX:
        updates["base_url"] = choice.base_url.rstrip("/")
    if choice.key_env:
        updates["key_env"], updates["key_stored"] = choice.key_env, False
    return profile.model_copy(update=updates) if updates else profile


def resolve(choice: Choice, config: Config, environ: Mapping[str, str]) -> Target:
    """The target to send to. ProfileProblem when the profile is unknown or its key is missing
    (a named PipeLLM profile needs one; a gateway or a bare `--base-url` may go without; the
    sandbox brings its own)."""
    profile = choose_profile(choice, config, environ)
    if profile.kind is ProfileKind.SANDBOX:
        if choice.key_env and not choice.sandbox and not choice.profile:
            raise ProfileProblem(
                f"--api-key-env {choice.key_env}: that environment variable is not set or empty."
            )
        return Target(profile, "", "")
    key = key_for(profile, environ)
    if not key and profile.kind is ProfileKind.PIPELLM and not choice.base_url:
        raise ProfileProblem(
            f"Profile {profile.name!r} reads its key from ${profile.key_env}, which is not set or empty."
        )
    if not profile.base_url:
        raise ProfileProblem(f"Profile {profile.name!r} has no base_url.")
    return Target(profile, profile.base_url, key)


#: The variable the key comes from when nothing names another one.
KEY_ENV = PIPELLM_KEY_ENV


class SandboxHandle(Protocol):
    """A local sandbox: `sandbox.child.SandboxProcess` (the app's) or `server.RunningSandbox`."""

    @property
    def base_url(self) -> str: ...  # may block until the sandbox accepts connections

    @property
    def api_key(self) -> str: ...

    def stop(self) -> None: ...

    def warm_up(self) -> None: ...  # the app's start-up is over: load what requests need


@dataclass(frozen=True, slots=True)
class Endpoint:
    """Where the playground sends, as the header shows it: a thin wrapper of a `Target` (None for
    the sandbox the session started itself) with the display details. The key is never shown."""

    base_url: str
    #: Left out of the repr (and of a crash report's locals, which Rich draws from the fields).
    api_key: str = field(repr=False)
    is_sandbox: bool = False
    #: Shown instead of base_url (snapshot tests fix it, since the sandbox port is random).
    display_url: str | None = None
    #: The environment variable the key came from: exports (a curl command) read it from there.
    key_env: str = KEY_ENV
    #: The profile it came from, whose rules plans follow (None: the sandbox's, PipeLLM's).
    target: Target | None = field(default=None, repr=False, compare=False)

    def shown(self, url: str) -> str:
        """`url` as displayed: the base URL swapped for `display_url` when one is set."""
        if self.display_url and url.startswith(self.base_url):
            return self.display_url + url[len(self.base_url) :]
        return url

    def plan(
        self,
        fmt: Format | str,
        kind: RouteKind | str,
        model: str,
        body: dict[str, Any],
        extra_headers: dict[str, str] | None = None,
        *,
        planner: Planner = make_plan,
    ) -> Plan:
        """What to send here: by the profile's rules when there is one (a gateway: no converter
        routes; no key: no auth header), else PipeLLM's (`planner`: `make_plan`, or a client's
        `plan`, the seam tests use). PlanError when it cannot."""
        if self.target is not None:
            return self.target.plan(fmt, kind, model, body, extra_headers)
        return planner(self.base_url, self.api_key, fmt, kind, model, body, extra_headers)

    @property
    def label(self) -> str:
        url = self.display_url or self.base_url
        if self.is_sandbox:
            return f"Sandbox · {url}"
        return f"PipeLLM · {url}" if url.rstrip("/") == PIPELLM_BASE_URL else url


def endpoint_from_args(args: Any, environ: dict[str, str] | None = None) -> Endpoint | None:
    """The endpoint the arguments, config.toml and environment ask for (`resolve` decides); None
    means "start the sandbox". Raises ProfileProblem for an unknown profile."""
    environ = dict(os.environ) if environ is None else environ
    target = resolve(Choice.from_args(args), load_config().config, environ)
    if target.needs_sandbox:
        return None
    return endpoint_for(target)


def endpoint_for(target: Target) -> Endpoint:
    """The endpoint of a resolved profile (not a sandbox still to start)."""
    return Endpoint(target.base_url, target.api_key, key_env=target.key_env, target=target)
