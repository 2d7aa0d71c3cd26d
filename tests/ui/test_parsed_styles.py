"""The style sheets' parsed rules kept between runs (ui/parsed_styles.py): the next run takes them
instead of parsing, they are the rules Textual parses, and anything unexpected parses as before."""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any

import pytest
from textual.css.stylesheet import Stylesheet

from pipellm_tui.ui import parsed_styles, textual_compat

SHEET = """
Screen { background: $surface; }
#editor.-stale > .text-area--cursor { color: $accent; border: round $primary; }
Input:focus { border: tall $accent 50%; }
"""
VARIABLES = {"surface": "#101010", "accent": "#ff8800", "primary": "#0088ff"}


def parse_with(
    store: parsed_styles.ParsedStyles, css: str, variables: dict[str, str]
) -> tuple[list[Any], int]:
    """The rules of `css` through the store, and how many times Textual's own parser ran."""
    sheet = Stylesheet(variables=variables)
    parsed: list[int] = []

    def parse() -> list[Any]:
        parsed.append(1)
        return textual_compat._original_parse_rules(sheet, css, ("app.tcss", ""))

    key = (css, ("app.tcss", ""), False, 0, "")
    return store.parsed(sheet._variables, key, parse), len(parsed)


def as_css(rules: list[Any]) -> list[str]:
    return [rule.css for rule in rules]


def test_a_second_run_takes_the_rules_the_first_parsed(tmp_path: Path) -> None:
    path = tmp_path / "styles.pickle"
    first = parsed_styles.ParsedStyles(path)
    rules, parses = parse_with(first, SHEET, VARIABLES)
    assert parses == 1 and not path.exists()
    first.save()
    assert path.exists() and os.stat(path).st_mode & 0o777 == 0o600

    second = parsed_styles.ParsedStyles(path)
    kept, parses = parse_with(second, SHEET, VARIABLES)
    assert parses == 0
    assert as_css(kept) == as_css(rules)
    assert [repr(rule.styles.get_rules()) for rule in kept] == [
        repr(rule.styles.get_rules()) for rule in rules
    ]
    assert [rule.selector_names for rule in kept] == [rule.selector_names for rule in rules]
    # Nothing new: the file is not written again.
    mtime = path.stat().st_mtime_ns
    second.save()
    assert path.stat().st_mtime_ns == mtime


def test_other_variables_or_another_sheet_are_parsed_and_the_new_ones_kept(tmp_path: Path) -> None:
    path = tmp_path / "styles.pickle"
    first = parsed_styles.ParsedStyles(path)
    parse_with(first, SHEET, VARIABLES)
    first.save()

    other_theme = {**VARIABLES, "accent": "#00ff00"}
    second = parsed_styles.ParsedStyles(path)
    rules, parses = parse_with(second, SHEET, other_theme)
    assert parses == 1 and "#00FF00" in " ".join(as_css(rules)).upper()
    _, parses = parse_with(second, SHEET + "Label { color: red; }", other_theme)
    assert parses == 1
    second.save()

    third = parsed_styles.ParsedStyles(path)  # the theme used last is the one kept
    assert parse_with(third, SHEET, other_theme)[1] == 0
    assert parse_with(third, SHEET, VARIABLES)[1] == 1


def test_a_file_written_keeps_only_the_sheets_its_run_used(tmp_path: Path) -> None:
    """A sheet that changed (a widget's new style) leaves its old rules behind, not in the file."""
    path = tmp_path / "styles.pickle"
    first = parsed_styles.ParsedStyles(path)
    parse_with(first, SHEET, VARIABLES)
    parse_with(first, "Label { color: red; }", VARIABLES)
    first.save()
    assert len(pickle.loads(path.read_bytes())["kept"]) == 2

    second = parsed_styles.ParsedStyles(path)
    assert parse_with(second, SHEET, VARIABLES)[1] == 0  # used
    assert parse_with(second, "Label { color: blue; }", VARIABLES)[1] == 1  # the Label's new style
    second.save()
    kept = pickle.loads(path.read_bytes())["kept"]
    assert sorted(key[0] for key in kept) == sorted([SHEET, "Label { color: blue; }"])


@pytest.mark.parametrize("content", [b"", b"not a pickle", b"\x80\x05N.", b"\x80\x05}\x94."])
def test_a_damaged_or_foreign_file_is_parsed_as_textual_does(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "styles.pickle"
    path.write_bytes(content)
    store = parsed_styles.ParsedStyles(path)
    rules, parses = parse_with(store, SHEET, VARIABLES)
    assert parses == 1 and len(rules) == 3
    store.save()  # and the file is mended
    assert parse_with(parsed_styles.ParsedStyles(path), SHEET, VARIABLES)[1] == 0


def test_a_cache_folder_that_cannot_be_written_costs_only_the_shortcut(tmp_path: Path) -> None:
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("")
    store = parsed_styles.ParsedStyles(blocked / "styles.pickle")
    rules, parses = parse_with(store, SHEET, VARIABLES)
    assert parses == 1 and len(rules) == 3
    store.save()  # no exception: the next run parses again
    assert blocked.is_file() and parse_with(parsed_styles.ParsedStyles(store.path), SHEET, VARIABLES)[1] == 1


def test_a_damaged_entry_is_parsed_again(tmp_path: Path) -> None:
    path = tmp_path / "styles.pickle"
    first = parsed_styles.ParsedStyles(path)
    parse_with(first, SHEET, VARIABLES)
    first.save()
    data = pickle.loads(path.read_bytes())
    data["kept"] = {key: b"\x80\x05broken" for key in data["kept"]}
    path.write_bytes(pickle.dumps(data))
    second = parsed_styles.ParsedStyles(path)
    rules, parses = parse_with(second, SHEET, VARIABLES)
    assert parses == 1 and len(rules) == 3


def test_a_sheet_with_errors_is_not_kept(tmp_path: Path) -> None:
    store = parsed_styles.ParsedStyles(tmp_path / "styles.pickle")
    rules, _ = parse_with(store, "Label { colour: red; }", VARIABLES)
    assert any(rule.errors for rule in rules)
    assert store._new == {} and store._kept == {}
    store.save()
    assert not store.path.exists()


async def test_the_app_started_again_parses_nothing_and_styles_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two starts of the playground with a cache folder of their own: the first parses and keeps
    every sheet, the second parses none, and both end with the same rules, widget for widget."""
    from pipellm_tui.ui.app import PlaygroundApp

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("PIPELLM_API_KEY", raising=False)
    real_parses: list[object] = []
    original = textual_compat._original_parse_rules

    def counted(*args: Any, **kwargs: Any) -> list[Any]:
        real_parses.append(args[2])
        return original(*args, **kwargs)

    monkeypatch.setattr(textual_compat, "_original_parse_rules", counted)

    async def start() -> tuple[list[Any], dict[str, Any]]:
        app = PlaygroundApp()
        async with app.run_test(size=(120, 40)) as pilot:
            for _ in range(100):
                await pilot.pause(0.05)
                if app.screen.query("#limits-history"):  # the start-up's last step (startup.py)
                    break
            await pilot.pause(0.1)
            # By repr: a layout (`layout: vertical`) is an object without equality.
            styles = {
                f"{type(widget).__name__}#{widget.id}": repr(widget.styles.base.get_rules())
                for widget in app.screen.walk_children()
            }
            rules = [(rule.selector_names, repr(rule.styles.get_rules())) for rule in app.stylesheet.rules]
            return rules, styles

    first_rules, first_styles = await start()
    assert len(real_parses) > 20  # the app's sheet, the theme's, each widget class's
    assert parsed_styles.cache_file().exists()
    real_parses.clear()
    second_rules, second_styles = await start()
    assert real_parses == [], real_parses
    assert second_rules == first_rules
    assert second_styles == first_styles
