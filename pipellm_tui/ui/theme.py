"""Themes as TOML files: the default one ships in `ui/themes/`, read with the standard library.

A theme file holds Textual's colour slots (primary, background, ...) and an optional [variables]
table of extra CSS variables. Must not import httpx2.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from textual.theme import Theme

THEMES_DIR = Path(__file__).parent / "themes"
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


def load_theme(path: Path) -> Theme:
    """A Theme from a TOML file; a missing slot takes Textual's default for it."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    colors: dict[str, Any] = {slot: str(data[slot]) for slot in SLOTS if slot in data}
    return Theme(
        name=str(data.get("name", path.stem)),
        dark=bool(data.get("dark", True)),
        variables={str(k): str(v) for k, v in dict(data.get("variables", {})).items()},
        **colors,
    )


def bundled_themes() -> list[Theme]:
    return [load_theme(path) for path in sorted(THEMES_DIR.glob("*.toml"))]
