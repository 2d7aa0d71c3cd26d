"""What a copy put on the clipboard, shown: the text (to select and copy by hand), which paths were
tried, a note on what it needs to run, and "Save to file". Opened by every copy action.

Must not import httpx2.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static, TextArea


class CopyScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    CopyScreen { align: center middle; }
    CopyScreen > Vertical { width: 100; max-width: 95%; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 1; }
    CopyScreen #copy-text { height: auto; max-height: 20; }
    CopyScreen #copy-how, CopyScreen #copy-note { color: $text-muted; height: auto; }
    CopyScreen #copy-note.-shown { color: $warning; }
    CopyScreen Horizontal { height: auto; align-horizontal: right; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.pop_screen", "Close", id="close-copy")]

    def __init__(
        self, title: str, text: str, how: str, note: str = "", file_name: str = "copied.txt"
    ) -> None:
        super().__init__()
        self.title_text = title
        self.text = text
        self.how = how
        self.note = note
        self.file_name = file_name
        self.saved_to: Path | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"[b]{self.title_text}[/b]", id="copy-title")
            yield Static(self.how, id="copy-how")
            yield Static(self.note, id="copy-note", classes="-shown" if self.note else "")
            yield TextArea(self.text, read_only=True, soft_wrap=True, id="copy-text")
            with Horizontal():
                yield Button("Save to file", id="copy-save", compact=True)
                yield Button("Close (esc)", id="copy-close", compact=True)

    def on_mount(self) -> None:
        self.query_one("#copy-title", Static).border_title = self.title_text
        area = self.query_one("#copy-text", TextArea)
        area.focus()
        area.select_all()  # ready for the terminal's own copy

    def save(self, folder: Path | None = None) -> Path:
        """Write the text to a new file (in the data folder's exports/, or `folder`)."""
        from ..store.atomic import write_atomic
        from ..store.paths import data_dir

        stem, dot, suffix = self.file_name.rpartition(".")
        name = f"{stem or suffix}-{time.strftime('%Y%m%d-%H%M%S')}{dot}{suffix if stem else ''}"
        path = (folder or data_dir() / "exports") / name
        write_atomic(path, self.text, mode=0o600)
        self.saved_to = path
        return path

    def save_soon(self) -> None:
        """Save once on screen, as "Save to file" does (exports that are meant as files)."""
        self.call_after_refresh(self._save_and_say)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "copy-close":
            self.app.pop_screen()
            return
        self._save_and_say()

    def _save_and_say(self) -> None:
        try:
            path = self.save()
        except OSError as exc:
            self.notify(f"Could not save: {exc}", title="Save to file", severity="error")
            return
        self.query_one("#copy-how", Static).update(f"{self.how}\nSaved to {path}")
        self.notify(str(path), title="Saved")
