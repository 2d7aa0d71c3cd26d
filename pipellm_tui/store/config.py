"""config.toml: the user's settings, read once at start and written back atomically.

    theme = "pipellm-dark"
    profile = "pipellm"                # used when no --profile is given (default: automatic)
    [timeouts]                         # seconds; total = 0 means no overall limit
    connect = 10.0
    first_byte = 300.0
    idle = 300.0
    total = 0.0
    [limits]
    response_body_bytes = 33554432
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

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from .atomic import quarantine
from .paths import config_dir
from .profiles import BUILT_IN, Profile
from .settings_checks import SettingsError, Spec, check_table
from .toml_file import FileProblem, line_of, read_toml, write_toml

CONFIG_FILE = "config.toml"


class _Section:
    """A `[table]` of config.toml: plain frozen dataclasses, checked by `SPECS` (settings_checks.py
    says why not pydantic: the file is read on the way to the first frame)."""

    SPECS: ClassVar[dict[str, Spec]]

    @classmethod
    def from_table(cls, data: Any, loc: tuple[str, ...]) -> Any:
        return cls(**check_table(cls.SPECS, data, loc))

    def __post_init__(self) -> None:  # what code builds is checked like what the file says
        check_table(self.SPECS, {k: getattr(self, k) for k in self.SPECS}, ())


@dataclass(frozen=True, slots=True)
class TimeoutSettings(_Section):
    SPECS: ClassVar[dict[str, Spec]] = {
        "connect": Spec(float, 0, low_inclusive=False),
        "first_byte": Spec(float, 0, low_inclusive=False),
        "idle": Spec(float, 0, low_inclusive=False),
        "total": Spec(float, 0),
    }
    connect: float = 10.0
    first_byte: float = 300.0
    idle: float = 300.0
    #: 0 means no limit on the whole call.
    total: float = 0.0


@dataclass(frozen=True, slots=True)
class LimitSettings(_Section):
    SPECS: ClassVar[dict[str, Spec]] = {"response_body_bytes": Spec(int, 0, low_inclusive=False)}
    response_body_bytes: int = 32 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class RetrySettings(_Section):
    SPECS: ClassVar[dict[str, Spec]] = {"enabled": Spec(bool), "max_attempts": Spec(int, 1, high=10)}
    enabled: bool = False
    max_attempts: int = 3


@dataclass(frozen=True, slots=True)
class HistorySettings(_Section):
    SPECS: ClassVar[dict[str, Spec]] = {
        "enabled": Spec(bool),
        "max_entries": Spec(int, 1),
        "max_bytes": Spec(int, 10_000),
        "raw_events_bytes": Spec(int, 0),
    }
    #: Off: sends are not recorded (nothing is written to history.sqlite3).
    enabled: bool = True
    max_entries: int = 10_000
    max_bytes: int = 200_000_000
    #: Raw SSE text kept per entry; longer streams keep their first bytes and say so.
    raw_events_bytes: int = 256 * 1024


_SECTIONS: dict[str, type[_Section]] = {
    "timeouts": TimeoutSettings,
    "limits": LimitSettings,
    "retry": RetrySettings,
    "history": HistorySettings,
}


@dataclass(frozen=True, slots=True)
class Config:
    theme: str = "pipellm-dark"
    #: The profile used when none is named (None: PipeLLM with a key, else the sandbox).
    profile: str | None = None
    timeouts: TimeoutSettings = field(default_factory=TimeoutSettings)
    limits: LimitSettings = field(default_factory=LimitSettings)
    retry: RetrySettings = field(default_factory=RetrySettings)
    history: HistorySettings = field(default_factory=HistorySettings)
    #: Key overrides by binding id.
    keys: dict[str, str] = field(default_factory=dict)
    #: The user's profiles, by name (the built-in ones are added by `all_profiles`).
    profiles: dict[str, Profile] = field(default_factory=dict)

    @classmethod
    def model_validate(cls, data: Any) -> Config:
        """The config a TOML table describes; SettingsError (with the path) for what it may not hold.
        In the file a profile's name is its table's name."""
        if not isinstance(data, dict):
            raise SettingsError((), f"expected a table, got {type(data).__name__}")
        values: dict[str, Any] = {}
        for key, value in data.items():
            if key in _SECTIONS:
                values[key] = _SECTIONS[key].from_table(value, (key,))
            elif key in ("theme", "profile"):
                values[key] = check_table({key: Spec(str)}, {key: value}, ())[key]
            elif key == "keys":
                values[key] = check_table(dict.fromkeys(value, Spec(str)) if isinstance(value, dict) else {},
                                          value, ("keys",))  # fmt: skip
            elif key == "profiles":
                values[key] = _profiles(value)
            else:
                raise SettingsError((str(key),), f"unknown setting {key!r}")
        return cls(**values)

    def model_copy(self, *, update: Mapping[str, Any] | None = None) -> Config:
        return dataclasses.replace(self, **(update or {}))

    def all_profiles(self) -> dict[str, Profile]:
        """The built-in profiles, then the user's (a user profile of the same name wins)."""
        return {**BUILT_IN, **self.profiles}

    def with_profile(self, profile: Profile) -> Config:
        return self.model_copy(update={"profiles": {**self.profiles, profile.name: profile}})

    def without_profile(self, name: str) -> Config:
        return self.model_copy(update={"profiles": {k: v for k, v in self.profiles.items() if k != name}})

    def to_toml(self) -> dict[str, Any]:
        table: dict[str, Any] = {"theme": self.theme}
        if self.profile is not None:
            table["profile"] = self.profile
        for key in _SECTIONS:
            table[key] = dataclasses.asdict(getattr(self, key))
        table["keys"] = dict(self.keys)
        table["profiles"] = {}
        for name, profile in self.profiles.items():
            dumped = profile.model_dump()
            dumped.pop("name")
            table["profiles"][name] = dumped
        return table


def _profiles(data: Any) -> dict[str, Profile]:
    if not isinstance(data, dict):
        raise SettingsError(("profiles",), f"expected a table, got {type(data).__name__}")
    out: dict[str, Profile] = {}
    for name, table in data.items():
        if not isinstance(table, dict):
            raise SettingsError(("profiles", str(name)), "expected a table")
        try:
            out[name] = Profile.model_validate({**table, "name": name})
        except SettingsError as exc:
            raise SettingsError(("profiles", str(name), *exc.loc), exc.message) from None
        except ValueError as exc:  # a name check_name refuses
            raise SettingsError(("profiles", str(name)), str(exc)) from None
    return out


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
    except SettingsError as exc:
        where = ".".join(exc.loc)
        return LoadedConfig(Config(), FileProblem(path, f"{where}: {exc.message}", line_of(path, exc.loc)))


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
