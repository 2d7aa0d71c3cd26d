"""A bare Textual app (Header, a JSON TextArea, Footer): the yardstick bench/startup.py measures
the playground against. Run it directly to see it: `python bench/bare_app.py`."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, TextArea

#: What bench/startup.py waits for on screen.
READY_TEXT = "bare-app-ready"


class BareApp(App[None]):
    TITLE = READY_TEXT

    def compose(self) -> ComposeResult:
        yield Header()
        yield TextArea.code_editor('{\n  "model": "gpt-4o"\n}', language="json")
        yield Footer()


if __name__ == "__main__":
    BareApp().run()
