"""Where the playground sends: base URL, key, whether it is the local sandbox, and how the header
shows it; and which endpoint the command line and the environment ask for. The key is never part of
what is shown. Must not import Textual or httpx2 (the command line decides the endpoint, and starts
the sandbox, before Textual loads).

| given                                   | endpoint                                     |
|-----------------------------------------|----------------------------------------------|
| `--sandbox`                             | the sandbox, on a free loopback port          |
| `--base-url URL` (+ key from env)       | URL                                          |
| `PIPELLM_API_KEY` (or `--api-key-env`)  | https://api.pipellm.ai                       |
| nothing                                 | the sandbox, on a free loopback port          |
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from ..protocols.routes import PIPELLM_BASE_URL

if TYPE_CHECKING:
    from ..playground.endpoint import Target

KEY_ENV = "PIPELLM_API_KEY"


class SandboxHandle(Protocol):
    """A local sandbox: `sandbox.child.SandboxProcess` (the app's) or `server.RunningSandbox`."""

    @property
    def base_url(self) -> str: ...  # may block until the sandbox accepts connections

    @property
    def api_key(self) -> str: ...

    def stop(self) -> None: ...


@dataclass(frozen=True, slots=True)
class Endpoint:
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

    @property
    def label(self) -> str:
        url = self.display_url or self.base_url
        if self.is_sandbox:
            return f"Sandbox · {url}"
        return f"PipeLLM · {url}" if url.rstrip("/") == PIPELLM_BASE_URL else url


def endpoint_from_args(args: Any, environ: dict[str, str] | None = None) -> Endpoint | None:
    """The endpoint the arguments, config.toml and environment ask for (playground/endpoint.py
    decides); None means "start the sandbox". Raises ProfileProblem for an unknown profile."""
    from ..playground.endpoint import Choice, resolve
    from ..store.config import load_config

    environ = dict(os.environ) if environ is None else environ
    target = resolve(Choice.from_args(args), load_config().config, environ)
    if target.needs_sandbox:
        return None
    return endpoint_for(target)


def endpoint_for(target: Target) -> Endpoint:
    """The endpoint of a resolved profile (not a sandbox still to start)."""
    return Endpoint(target.base_url, target.api_key, key_env=target.key_env, target=target)
