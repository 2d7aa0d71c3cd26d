"""Profiles: where requests go (base URL), what kind of server it is, and where the key comes from.

Built in: `pipellm` (https://api.pipellm.ai, key in PIPELLM_API_KEY) and `sandbox` (the local one,
started on demand). A user adds `gateway` profiles for any other OpenAI/Anthropic/Gemini-compatible
server (a LiteLLM proxy, ...) in config.toml:

    [profiles.litellm]
    kind = "gateway"
    base_url = "http://127.0.0.1:4000"
    key_env = "LITELLM_API_KEY"

The key is read from the profile's environment variable. Only when the user asks (`store_key`) is it
kept, in `keys.toml` beside config.toml, a file of mode 0600 that holds nothing else.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from ..protocols.routes import PIPELLM_BASE_URL, PIPELLM_KEY_ENV
from .names import check_name
from .paths import config_dir
from .settings_checks import SettingsError, Spec, check_table
from .toml_file import FileProblem, read_toml, write_toml

KEYS_FILE = "keys.toml"
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class ProfileKind(StrEnum):
    PIPELLM = "pipellm"
    SANDBOX = "sandbox"
    #: Any other compatible server: native routes take any model, no converter routes, no guard.
    GATEWAY = "gateway"


@dataclass(frozen=True, slots=True)
class Profile:
    """One profile, checked when made (a ValueError says what is wrong). Plain dataclass, not
    pydantic: profiles are read on the start-up path (settings_checks.py says why)."""

    name: str
    kind: ProfileKind = ProfileKind.GATEWAY
    #: Empty for the sandbox (its URL is known once it runs).
    base_url: str = ""
    key_env: str = PIPELLM_KEY_ENV
    #: Read the key from keys.toml (the user stored it on purpose) instead of the environment.
    key_stored: bool = False

    def __post_init__(self) -> None:
        for key, spec in _SPECS.items():
            if key != "kind":
                check_table({key: spec}, {key: getattr(self, key)}, ())
        try:
            kind = ProfileKind(self.kind)
        except ValueError:
            known = ", ".join(k.value for k in ProfileKind)
            raise SettingsError(("kind",), f"unknown kind {self.kind!r} (known: {known})") from None
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "name", check_name(self.name, "profile name"))
        if not _ENV_NAME.fullmatch(self.key_env):
            raise SettingsError(("key_env",), f"not an environment variable name: {self.key_env!r}")
        if self.base_url and not self.base_url.startswith(("http://", "https://")):
            raise SettingsError(
                ("base_url",), f"a base URL starts with http:// or https://, not {self.base_url!r}"
            )
        object.__setattr__(self, "base_url", self.base_url.rstrip("/"))
        if kind is not ProfileKind.SANDBOX and not self.base_url:
            raise SettingsError(("base_url",), f"a {kind.value} profile needs a base_url")

    @classmethod
    def model_validate(cls, data: Any) -> Profile:
        """A profile from its TOML table (its `name` included); SettingsError says where it is wrong."""
        return cls(**check_table(_SPECS | {"name": Spec(str)}, data, ()))

    def model_copy(self, *, update: Mapping[str, Any] | None = None) -> Profile:
        return dataclasses.replace(self, **(update or {}))

    def model_dump(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind.value,
            "base_url": self.base_url,
            "key_env": self.key_env,
            "key_stored": self.key_stored,
        }

    def __repr__(self) -> str:  # the key is never part of a profile, so this is safe to show
        return (
            f"Profile({self.name!r}, {self.kind.value}, {self.base_url or '-'}, key from {self.key_source})"
        )

    @property
    def key_source(self) -> str:
        return "the stored key file" if self.key_stored else f"${self.key_env}"


#: What a `[profiles.NAME]` table may hold (its name is the table's).
_SPECS = {
    "kind": Spec(str),
    "base_url": Spec(str),
    "key_env": Spec(str),
    "key_stored": Spec(bool),
}


BUILT_IN: dict[str, Profile] = {
    "pipellm": Profile(name="pipellm", kind=ProfileKind.PIPELLM, base_url=PIPELLM_BASE_URL),
    "sandbox": Profile(name="sandbox", kind=ProfileKind.SANDBOX),
}


class ProfileProblem(ValueError):
    """An unknown profile or a key that cannot be found; the message says what to do."""


def find_profile(profiles: Mapping[str, Profile], name: str) -> Profile:
    found = profiles.get(name)
    if found is None:
        known = ", ".join(sorted(profiles))
        raise ProfileProblem(f"No profile named {name!r}. Known profiles: {known}.")
    return found


# ---------------------------------------------------------------------------- the stored keys


def keys_path() -> Path:
    return config_dir() / KEYS_FILE


def stored_keys(path: Path | None = None) -> tuple[dict[str, str], FileProblem | None]:
    table, problem = read_toml(path or keys_path())
    keys = (table or {}).get("keys", {})
    return ({k: v for k, v in keys.items() if isinstance(v, str)} if isinstance(keys, dict) else {}), problem


def store_key(profile_name: str, key: str, path: Path | None = None) -> None:
    """Keep `key` for the profile in keys.toml (mode 0600 from the first byte). Only on request."""
    path = path or keys_path()
    keys, problem = stored_keys(path)
    if problem is not None:
        raise ProfileProblem(f"{problem}: fix or remove it before storing a key.")
    keys[check_name(profile_name, "profile name")] = key
    write_toml(path, {"keys": keys}, mode=0o600)


def forget_key(profile_name: str, path: Path | None = None) -> bool:
    path = path or keys_path()
    keys, problem = stored_keys(path)
    if problem is not None or profile_name not in keys:
        return False
    del keys[profile_name]
    write_toml(path, {"keys": keys}, mode=0o600)
    return True


def key_for(profile: Profile, environ: Mapping[str, str] | None = None, keys_file: Path | None = None) -> str:
    """The profile's key: from keys.toml when stored, else from its variable ("" when unset)."""
    if profile.key_stored:
        keys, problem = stored_keys(keys_file)
        if problem is not None:
            raise ProfileProblem(str(problem))
        if profile.name not in keys:
            raise ProfileProblem(f"Profile {profile.name!r} reads a stored key, but none is stored.")
        return keys[profile.name]
    return (os.environ if environ is None else environ).get(profile.key_env, "")
