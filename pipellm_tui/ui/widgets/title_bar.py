"""The line at the top: the app's title and where requests go (the screen's sub-title), centred,
with the ⭘ that opens the command palette on a click.

One widget where Textual's Header is four (icon, title, clock space, and itself), on the first
paint and the panes' arrival alike. Must not import httpx2.
"""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.widget import Widget

ICON = "⭘"
#: Header's cells for its icon (a click there opens the palette) and for its clock, on either
#: side of the title, which is centred between them: the same place here.
ICON_WIDTH, CLOCK_WIDTH = 8, 10


class TitleBar(Widget):
    DEFAULT_CSS = """
    TitleBar { dock: top; width: 100%; height: 1; background: $panel; color: $foreground;
        text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def on_mount(self) -> None:
        for node in (self.app, self.screen):
            for name in ("title", "sub_title"):
                self.watch(node, name, self._retitled, init=False)

    def _retitled(self) -> None:
        self.refresh()

    def render(self) -> Content:
        screen, app = self.screen, self.app
        title = screen.title if screen.title is not None else app.title
        sub_title = screen.sub_title if screen.sub_title is not None else app.sub_title
        text = app.format_title(title, sub_title)
        free = max(0, self.size.width - ICON_WIDTH - CLOCK_WIDTH - text.cell_length)
        return Content.assemble(f" {ICON}".ljust(ICON_WIDTH + free // 2), text)

    def on_click(self, event: events.Click) -> None:
        if event.x < ICON_WIDTH:
            event.stop()
            self.app.action_command_palette()
