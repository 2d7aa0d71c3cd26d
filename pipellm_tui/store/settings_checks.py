"""Checking what a user wrote in a settings file, without pydantic.

Why not pydantic here, as elsewhere: config.toml is read on the way to the first frame (the profile
decides where the playground sends, the theme how it looks), and importing pydantic and building its
models cost ~70 ms there, a third of a bare Textual app's whole start (bench/startup.py). The checks
a settings table needs are few: known keys only, a type per key, a lower or upper bound.

`Spec` describes one key; `check_table` turns a TOML table into keyword arguments or raises
`SettingsError` with the path of the culprit, which `toml_file.line_of` turns into a line number.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


class SettingsError(ValueError):
    """A value a settings file may not hold; `loc` is its path (table names, then the key)."""

    def __init__(self, loc: tuple[str, ...], message: str) -> None:
        super().__init__(message)
        self.loc = loc
        self.message = message


@dataclass(frozen=True, slots=True)
class Spec:
    #: bool, int, float or str (a float key takes an int too: TOML writes 10 for 10.0).
    kind: type
    #: Smallest allowed value (and whether it is allowed itself), largest allowed value.
    low: float | None = None
    low_inclusive: bool = True
    high: float | None = None


_NAMES = {bool: "a boolean", int: "an integer", float: "a number", str: "a string"}


def check_value(spec: Spec, value: Any, loc: tuple[str, ...]) -> Any:
    """`value` as the spec's kind, or SettingsError naming what was expected."""
    kind = spec.kind
    is_bool = isinstance(value, bool)
    if kind is float and isinstance(value, int) and not is_bool:
        value = float(value)
    if not isinstance(value, kind) or (is_bool and kind is not bool):
        raise SettingsError(loc, f"expected {_NAMES[kind]}, got {type(value).__name__} {value!r}")
    number: float = value if isinstance(value, (int, float)) else 0.0  # bounds apply to numbers only
    if spec.low is not None and (number < spec.low or (number == spec.low and not spec.low_inclusive)):
        relation = "at least" if spec.low_inclusive else "greater than"
        raise SettingsError(loc, f"must be {relation} {spec.low:g}, got {value!r}")
    if spec.high is not None and number > spec.high:
        raise SettingsError(loc, f"must be at most {spec.high:g}, got {value!r}")
    return value


def check_table(specs: Mapping[str, Spec], data: Any, loc: tuple[str, ...]) -> dict[str, Any]:
    """The table's values checked against `specs` (every key optional; an unknown key is a mistake)."""
    if not isinstance(data, dict):
        raise SettingsError(loc, f"expected a table, got {type(data).__name__}")
    out: dict[str, Any] = {}
    for key, value in data.items():
        spec = specs.get(key)
        if spec is None:
            raise SettingsError((*loc, str(key)), f"unknown setting {key!r} (known: {', '.join(specs)})")
        out[key] = check_value(spec, value, (*loc, key))
    return out
