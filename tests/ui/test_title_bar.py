"""The line at the top (ui/widgets/title_bar.py): the title and the screen's sub-title, centred as
Textual's Header centres them, following both as they change; a click on ⭘ opens the palette."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.command import CommandPalette

from pipellm_tui.ui.widgets.title_bar import TitleBar


class TitledApp(App[None]):
    TITLE = "pipellm-tui"

    def compose(self) -> ComposeResult:
        yield TitleBar()


async def test_the_title_follows_the_screen_and_the_icon_opens_the_palette() -> None:
    app = TitledApp()
    async with app.run_test(size=(60, 5)) as pilot:
        bar = app.query_one(TitleBar)
        # The icon in its 8 cells, then (60 - 8 - 10 - 11) // 2 = 15 to the title.
        assert str(bar.render()) == " ⭘" + " " * (6 + 15) + "pipellm-tui"
        app.screen.sub_title = "Sandbox · starting…"
        await pilot.pause()
        line = str(bar.render())
        assert line.endswith("pipellm-tui — Sandbox · starting…") and line.startswith(" ⭘ ")
        app.title = "renamed"
        await pilot.pause()
        assert "renamed — Sandbox · starting…" in str(bar.render())
        # The screen's repaint follows, not only the render: what is on screen changed.
        assert "renamed" in "".join(segment.text for segment in bar.render_line(0))
        await pilot.click(TitleBar, offset=(30, 0))  # the title: nothing
        await pilot.pause()
        assert not isinstance(app.screen, CommandPalette)
        await pilot.click(TitleBar, offset=(1, 0))
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
