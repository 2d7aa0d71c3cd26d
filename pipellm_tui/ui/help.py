"""The help screen (F1 or ?): every action with its keys, straight from the action registry.

Must not import httpx2.
"""

from __future__ import annotations

from typing import ClassVar

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from .commands import ACTIONS, key_label

INTRO = (
    "[b]pipellm-tui[/b]: pick a model, a format and a route, edit the JSON, send.\n"
    "Every action is also in the command palette ([b]ctrl+p[/b]). Tab moves between fields; "
    "Esc leaves the editor.\n"
)


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 84; max-width: 95%; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 1 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,question_mark,q", "app.pop_screen", "Close", id="close-help")
    ]

    def compose(self) -> ComposeResult:
        rows = [
            f"[b]{escape(key_label(a.keys)):<20}[/b] {escape(a.title)}: {escape(a.help)}" for a in ACTIONS
        ]
        with VerticalScroll():
            yield Static(INTRO + "\n" + "\n".join(rows))
