"""Themes as TOML files, read with the standard library. They live in the top-level `themes/` folder
and ship as the data-only package `pipellm_tui.themes` (see pyproject.toml).

A theme file holds Textual's colour slots (primary, background, ...) and an optional [variables]
table of extra CSS variables. Must not import httpx2.
"""

from __future__ import annotations

import tomllib
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

from textual.theme import Theme

THEMES = files("pipellm_tui.themes")
DEFAULT_THEME = "pipellm-dark"
SLOTS = (
    "primary",
    "secondary",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "success",
    "warning",
    "error",
    "boost",
)


def load_theme(path: Traversable) -> Theme:
    """A Theme from a TOML file; a missing slot takes Textual's default for it."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    colors: dict[str, Any] = {slot: str(data[slot]) for slot in SLOTS if slot in data}
    return Theme(
        name=str(data.get("name", path.name.removesuffix(".toml"))),
        dark=bool(data.get("dark", True)),
        variables={str(k): str(v) for k, v in dict(data.get("variables", {})).items()},
        **colors,
    )


def bundled_themes() -> list[Theme]:
    paths = sorted((p for p in THEMES.iterdir() if p.name.endswith(".toml")), key=lambda p: p.name)
    return [load_theme(path) for path in paths]


def user_themes() -> tuple[list[Theme], list[str]]:
    """The theme files in the config folder's `themes/` (a file there replaces a bundled theme of
    the same name), and what was wrong with those that could not be read."""
    from ..store.paths import config_dir

    folder = config_dir() / "themes"
    found: list[Theme] = []
    problems: list[str] = []
    if not folder.is_dir():
        return found, problems
    from textual.color import Color, ColorParseError

    for path in sorted(folder.glob("*.toml")):
        try:
            theme = load_theme(path)
            for slot in SLOTS:  # a colour Textual cannot read fails here, not on first use
                value = getattr(theme, slot, None)
                if isinstance(value, str):
                    Color.parse(value)
            found.append(theme)
        except (OSError, ValueError, ColorParseError) as exc:  # TOMLDecodeError is a ValueError
            problems.append(f"{path}: {exc}")
    return found, problems
