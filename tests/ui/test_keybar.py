"""The key bar (the footer): what it shows, dimmed keys before the panes exist, clicks press keys."""

from __future__ import annotations

from typing import Any

from pipellm_tui.ui.widgets.keybar import KeyBar

from .conftest import make_app, started
from .support import held_catalog


def bar_text(app: Any) -> str:
    return str(app.playground.query_one(KeyBar).render())


async def test_the_bar_shows_one_key_per_action_and_the_palette_on_the_right(app_for: Any) -> None:
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot, app)
        text = bar_text(app)
        assert text.startswith(" ^j Send  esc Cancel  ^t Format")
        assert "alt+enter" not in text  # the second key of "Send" is not shown again
        assert text.endswith("▏^p palette")
        assert len(text) == 120
        assert all(enabled for _, enabled in app.playground.query_one(KeyBar).shown_bindings())


async def test_a_narrow_bar_drops_whole_keys_and_keeps_send_help_quit_and_the_palette(app_for: Any) -> None:
    app = app_for()
    async with app.run_test(size=(60, 24)) as pilot:
        await started(pilot, app)
        text = bar_text(app)
        assert text.endswith("▏^p palette") and len(text) == 60
        kept = text.split("▏")[0].rstrip()
        assert kept.startswith(" ^j Send") and kept.endswith("f1 Help  ^q Quit")
        # Whole keys only, the less needed ones gone first (the last of the optional ones first).
        labels = [b.description for b, _ in app.playground.query_one(KeyBar).shown_bindings()]
        on_bar = [label for label in labels if f" {label} " in f"{kept} "]
        assert on_bar[:2] == ["Send", "Cancel"] and on_bar[-2:] == ["Help", "Quit"]
        assert "Converter" not in on_bar


async def test_clicking_a_key_presses_it(app_for: Any) -> None:
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot, app)
        bar = screen.query_one(KeyBar)
        x = bar_text(app).index("Format")
        assert bar.key_at(x) == "ctrl+t"
        before = screen.session.format
        await pilot.click(KeyBar, offset=(x, 0))
        await pilot.pause()
        assert screen.session.format is not before
        assert bar.key_at(bar_text(app).index("▏") - 1) is None  # the gap is no key


async def test_keys_of_panes_not_yet_mounted_are_dimmed_and_do_nothing_when_clicked() -> None:
    with held_catalog() as (base_url, release):
        app = make_app(base_url, "k", is_sandbox=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause(0.2)
            bar = app.playground.query_one(KeyBar)
            states = {b.action: enabled for b, enabled in bar.shown_bindings()}
            assert states["send"] is False and states["focus_pane('models')"] is True
            x = bar_text(app).index("Send")
            assert bar.key_at(x) is None
            await pilot.click(KeyBar, offset=(x, 0))
            assert app.playground.session.exchange is None
            release.set()
            await started(pilot, app)
            states = {b.action: enabled for b, enabled in bar.shown_bindings()}
            assert states["send"] is True
            assert bar.key_at(bar_text(app).index("Send")) == "ctrl+j"
