"""pyproject.toml lists its packages by hand (the themes folder is mapped into the package), so a new
subpackage must be added there or a non-editable install would leave it out."""

from __future__ import annotations

import tomllib

from .conftest import ROOT


def test_every_package_is_listed_in_pyproject() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    on_disk = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "pipellm_tui").rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    assert set(config["packages"]) == on_disk | {"pipellm_tui.themes"}
    assert config["package-dir"] == {"pipellm_tui.themes": "themes"}


def test_the_bundled_themes_load_from_the_themes_folder() -> None:
    from pipellm_tui.ui.theme import bundled_themes

    names = [theme.name for theme in bundled_themes()]
    on_disk = sorted(path.stem for path in (ROOT / "themes").glob("*.toml"))
    assert names == on_disk and "pipellm-dark" in names
