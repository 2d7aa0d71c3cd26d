"""Picking the models of a comparison: a list to tick up to four in, Enter to compare, Esc to leave.

Must not import httpx2.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import SelectionList, Static


class ModelPicker(ModalScreen[list[str] | None]):
    DEFAULT_CSS = """
    ModelPicker { align: center middle; }
    ModelPicker > Vertical { width: 70; max-width: 95%; height: 80%; border: round $accent;
        background: $surface; padding: 0 1; }
    ModelPicker SelectionList { height: 1fr; }
    ModelPicker #picker-hint { height: auto; color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "done", "Compare", id="picker-compare", priority=True),
        Binding("escape", "leave", "Back", id="picker-back"),
    ]

    def __init__(self, models: list[str], current: str, most: int) -> None:
        super().__init__()
        self.models = models
        self.current = current
        self.most = most

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                f"Tick up to {self.most} models (space), Enter compares them, Esc goes back.",
                id="picker-hint",
            )
            yield SelectionList[str](*((m, m, m == self.current) for m in self.models))

    @property
    def chosen(self) -> list[str]:
        return list(self.query_one(SelectionList).selected)

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged[str]) -> None:
        if len(self.chosen) > self.most:
            self.notify(f"At most {self.most} models side by side.", severity="warning")

    def action_done(self) -> None:
        chosen = self.chosen
        if not chosen or len(chosen) > self.most:
            self.notify(f"Tick between 1 and {self.most} models.", severity="warning")
            return
        self.dismiss(chosen)

    def action_leave(self) -> None:
        self.dismiss(None)
