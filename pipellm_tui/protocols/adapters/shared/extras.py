"""The fields only one format has (`extras`): named as dropped by a target that cannot carry them, or
put back where they were (`put_dotted`).
"""

from __future__ import annotations

from typing import Any

from ...formats import Format
from .losses import warn_once


def drop_extras(extras: dict[str, Any], source: Format | None, target: str, warnings: list[str]) -> None:
    """Name each field only the source format has (kept in `extras`) as one the target cannot carry."""
    what = f"this {source.label} field" if source is not None else "this field"
    for key in extras:
        warn_once(warnings, f"{key}: {target} has no equivalent of {what}; dropped")


def put_dotted(body: dict[str, Any], key: str, value: Any, replace: bool = True) -> None:
    """Put an extra kept under a dotted name (`text.verbosity`) back at its place in the body;
    `replace=False` leaves a value the body already has."""
    *parents, leaf = key.split(".")
    target = body
    for name in parents:
        child = target.get(name)
        if not isinstance(child, dict):
            child = target[name] = {}
        target = child
    if replace:
        target[leaf] = value
    else:
        target.setdefault(leaf, value)
