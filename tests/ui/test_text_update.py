"""Text set on a Static lays out the screen only when the widget's size can change
(ui/widgets/text_update.py): not for a line that fits where a line stood, not in a hidden tab; and
the size is right once the text needs more room or the tab shows."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from pipellm_tui.ui.widgets.text_update import shows, update_text

from .conftest import started
from .support import count_layouts


class TextApp(App[None]):
    CSS = "#fixed { height: 1; } #auto { height: auto; } #hidden-box { display: none; }"

    def compose(self) -> ComposeResult:
        yield Static("one line", id="fixed")
        yield Static("one line", id="auto")
        with Vertical(id="hidden-box"):
            yield Static("one line", id="inside")


async def test_a_line_where_a_line_stood_lays_out_nothing_and_more_lines_do(monkeypatch: Any) -> None:
    app = TextApp()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        fixed, auto = app.query_one("#fixed", Static), app.query_one("#auto", Static)
        layouts = count_layouts(monkeypatch)
        for n in range(5):
            update_text(fixed, f"status {n}")
            update_text(auto, f"countdown {n}s")
            await pilot.pause()
        assert layouts == []
        assert auto.size.height == 1
        update_text(auto, "three\nlines\nnow")
        await pilot.pause()
        assert layouts and auto.size.height == 3  # grew: laid out
        layouts.clear()
        update_text(auto, "x" * 60)  # one line, wider than the widget: it wraps to two
        await pilot.pause()
        assert layouts and auto.size.height == 2


async def test_a_hidden_widget_is_laid_out_when_it_shows(monkeypatch: Any) -> None:
    app = TextApp()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        inside = app.query_one("#inside", Static)
        assert not shows(inside)
        layouts = count_layouts(monkeypatch)
        update_text(inside, "four\nlines\nof\ntext")
        await pilot.pause()
        assert layouts == []
        app.query_one("#hidden-box").display = True
        await pilot.pause()
        assert shows(inside) and inside.size.height == 4


async def test_the_status_line_and_the_hidden_limits_change_without_a_layout(
    app_for: Any, monkeypatch: Any
) -> None:
    """What a stream changes several times a second (the status line's facts, the rate-limit
    countdown in its hidden tab) moves no pane: no layout of the screen (each cost 20-30 ms)."""
    from pipellm_tui.playground.send_progress import SendProgress
    from pipellm_tui.ui.widgets.ratelimits import RateLimitsPane

    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot, app)
        await pilot.pause(0.3)
        assert screen.inspector.active != "limits"
        layouts = count_layouts(monkeypatch)
        for n in range(1, 6):
            screen.status.show(SendProgress(state="streaming", status=200, ttft=0.01 * n, total=0.1 * n))
            screen.query_one(RateLimitsPane).show_summary()
            await pilot.pause()
        assert "streaming" in str(screen.status.render())
        assert layouts == []
