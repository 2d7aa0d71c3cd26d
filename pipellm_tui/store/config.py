"""config.toml: the user's settings, read once at start and written back atomically.

    theme = "pipellm-dark"
    profile = "pipellm"                # used when no --profile is given (default: automatic)
    [timeouts]                         # seconds; total = 0 means no overall limit
    connect = 10.0
    first_byte = 60.0
    idle = 300.0
    total = 0.0
    [limits]
    response_body_bytes = 16777216
    [retry]
    enabled = false
    max_attempts = 3
    [history]
    enabled = true
    max_entries = 10000
    max_bytes = 200000000
    raw_events_bytes = 262144
    [keys]                             # binding id = keys, e.g. send = "ctrl+enter"
    [profiles.NAME]                    # see profiles.py

A file that is not valid TOML, or holds a value of the wrong type, is left untouched: `load_config`
returns the defaults and a `FileProblem` naming the file, line and problem. `save_config` over such
a file first keeps it as `config.toml.corrupt-<time>`, so nothing a user wrote is overwritten unseen.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .atomic import quarantine
from .paths import config_dir
from .profiles import BUILT_IN, Profile
from .toml_file import FileProblem, line_of, read_toml, write_toml

CONFIG_FILE = "config.toml"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TimeoutSettings(_Section):
    connect: float = Field(default=10.0, gt=0)
    first_byte: float = Field(default=60.0, gt=0)
    idle: float = Field(default=300.0, gt=0)
    #: 0 means no limit on the whole call.
    total: float = Field(default=0.0, ge=0)


class LimitSettings(_Section):
    response_body_bytes: int = Field(default=16 * 1024 * 1024, gt=0)


class RetrySettings(_Section):
    enabled: bool = False
    max_attempts: int = Field(default=3, ge=1, le=10)


class HistorySettings(_Section):
    #: Off: sends are not recorded (nothing is written to history.sqlite3).
    enabled: bool = True
    max_entries: int = Field(default=10_000, ge=1)
    max_bytes: int = Field(default=200_000_000, ge=10_000)
    #: Raw SSE text kept per entry; longer streams keep their first bytes and say so.
    raw_events_bytes: int = Field(default=256 * 1024, ge=0)


class Config(_Section):
    theme: str = "pipellm-dark"
    #: The profile used when none is named (None: PipeLLM with a key, else the sandbox).
    profile: str | None = None
    timeouts: TimeoutSettings = Field(default_factory=TimeoutSettings)
    limits: LimitSettings = Field(default_factory=LimitSettings)
    retry: RetrySettings = Field(default_factory=RetrySettings)
    history: HistorySettings = Field(default_factory=HistorySettings)
    #: Key overrides by binding id.
    keys: dict[str, str] = Field(default_factory=dict)
    #: The user's profiles, by name (the built-in ones are added by `all_profiles`).
    profiles: dict[str, Profile] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _profile_names(cls, data: Any) -> Any:
        """In the file a profile's name is its table's name: copy it in."""
        if isinstance(data, dict) and isinstance(data.get("profiles"), dict):
            named = {}
            for name, table in data["profiles"].items():
                named[name] = {**table, "name": name} if isinstance(table, dict) else table
            data = {**data, "profiles": named}
        return data

    def all_profiles(self) -> dict[str, Profile]:
        """The built-in profiles, then the user's (a user profile of the same name wins)."""
        return {**BUILT_IN, **self.profiles}

    def with_profile(self, profile: Profile) -> Config:
        return self.model_copy(update={"profiles": {**self.profiles, profile.name: profile}})

    def without_profile(self, name: str) -> Config:
        return self.model_copy(update={"profiles": {k: v for k, v in self.profiles.items() if k != name}})

    def to_toml(self) -> dict[str, Any]:
        table = self.model_dump(mode="json", exclude_none=True)
        for profile in table.get("profiles", {}).values():
            profile.pop("name", None)
        return table


@dataclass(frozen=True, slots=True)
class LoadedConfig:
    config: Config
    #: Set when the file was not used (the config is then the defaults).
    problem: FileProblem | None = None


def config_path() -> Path:
    return config_dir() / CONFIG_FILE


def load_config(path: Path | None = None) -> LoadedConfig:
    path = path or config_path()
    table, problem = read_toml(path)
    if problem is not None:
        return LoadedConfig(Config(), problem)
    try:
        return LoadedConfig(Config.model_validate(table or {}))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return LoadedConfig(
            Config(), FileProblem(path, f"{where}: {first['msg']}", line_of(path, first["loc"]))
        )


def save_config(config: Config, path: Path | None = None) -> FileProblem | None:
    """Write `config` atomically. When the file there could not be read, it is kept first (the
    returned problem says where), never overwritten."""
    path = path or config_path()
    problem = load_config(path).problem
    kept = None
    if problem is not None and path.exists():
        kept = FileProblem(path, problem.message, problem.line, backup=quarantine(path))
    write_toml(path, config.to_toml())
    return kept
