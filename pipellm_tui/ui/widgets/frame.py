"""A pane's titled frame, on screen from the first paint until the pane itself is mounted.

Why: the first screen carries only the model list (what a user looks at first, and what start-up is
measured by); the other panes' widgets cost ~150 ms to build, style and paint, and their modules
~40 ms to import. Each frame has the pane's id, so the layout rules in app.tcss give it the pane's
place and border: the screen's shape is final at once, and the screen replaces the frames with the
panes right after the model list is on screen (PlaygroundScreen.mount_panes).
Must not import httpx2 or any other pane's module.
"""

from __future__ import annotations

from textual.widget import Widget


class PaneFrame(Widget):
    DEFAULT_CSS = """
    PaneFrame { width: 1fr; height: 1fr; }
    """

    def __init__(self, title: str, *, id: str) -> None:
        super().__init__(id=id)
        self.border_title = title or None
