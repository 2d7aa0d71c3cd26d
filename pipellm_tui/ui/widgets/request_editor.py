"""The request editor: the body as JSON with highlighting, checked as you type.

Edits are debounced (~150 ms) into one `RequestEditor.Edited` message; the screen validates through
the session and calls `show_problem`, which says where the problem is (a JSON path or line/column).
Loading text from elsewhere (the form, a format switch) does not echo an Edited back.
Must not import httpx2.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static, TextArea

from .text_update import update_text

if TYPE_CHECKING:
    from ...protocols.problems import Issue

DEBOUNCE_SECONDS = 0.15


class JsonArea(TextArea):
    """The editor's text area: ctrl+a selects all, as in most editors (Textual's TextArea moves to
    the line start, which home still does). F6 and F7 stay TextArea's (select line, select all):
    the screen's F6/F7 give way while the editor has the focus (commands.py)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+a", "select_all", "Select all", show=False, id="editor-select-all"),
    ]


class RequestEditor(Vertical):
    #: F11 ("Maximize pane") gives this pane the whole screen.
    ALLOW_MAXIMIZE = True
    DEFAULT_CSS = """
    RequestEditor { width: 1fr; height: 1fr; }
    RequestEditor > TextArea { height: 1fr; border: none; padding: 0; }
    RequestEditor > #request-problem { height: auto; max-height: 3; padding: 0 1; color: $success; }
    RequestEditor > #request-problem.-invalid { color: $error; }
    """

    class Edited(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, text: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._initial = text
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        # Soft wrap on: a long string stays in view, and the braces never scroll out of sight
        # while the line numbers stay (toggle: "Toggle soft wrap").
        yield JsonArea.code_editor(self._initial, language="json", soft_wrap=True, id="request-json")
        yield Static("", id="request-problem")

    def on_mount(self) -> None:
        self.border_title = "Request"

    @property
    def text_area(self) -> TextArea:
        return self.query_one("#request-json", TextArea)

    @property
    def text(self) -> str:
        return self.text_area.text

    def load(self, text: str) -> None:
        """Replace the text (keeping the cursor where it can) without posting Edited."""
        area = self.text_area
        if area.text == text:
            return
        cursor = area.cursor_location
        with self.prevent(TextArea.Changed):
            area.load_text(text)
        row = min(cursor[0], area.document.line_count - 1)
        area.cursor_location = (row, min(cursor[1], len(area.document[row])))

    def toggle_soft_wrap(self) -> bool:
        area = self.text_area
        area.soft_wrap = not area.soft_wrap
        return area.soft_wrap

    def replace_all(self, text: str) -> None:
        """Replace the whole text as one edit the user can undo (unlike `load`), posting Edited."""
        area = self.text_area
        if area.text != text:
            area.replace(text, (0, 0), area.document.end)

    def show_unchecked(self) -> None:
        """Before a check: what stays on screen if the check itself fails (a bug, said elsewhere)."""
        label = self.query_one("#request-problem", Static)
        label.set_class(True, "-invalid")
        update_text(label, "? not checked: the check failed (see the Error tab)")

    def show_problem(self, issue: Issue | None) -> None:
        label = self.query_one("#request-problem", Static)
        label.set_class(issue is not None, "-invalid")
        if issue is None:
            update_text(label, "✓ valid")
        else:
            where = f"{issue.path}: " if issue.path else ""
            update_text(label, Text(f"✗ {where}{issue.message}"))

    @on(TextArea.Changed, "#request-json")
    def _changed(self, event: TextArea.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE_SECONDS, self._emit)

    def _emit(self) -> None:
        self._timer = None
        self.post_message(self.Edited(self.text))

    @property
    def pending(self) -> bool:
        """An edit is waiting out the debounce (not validated yet)."""
        return self._timer is not None

    def flush(self) -> str:
        """Cancel a pending debounce (before sending) and return the current text."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        return self.text
