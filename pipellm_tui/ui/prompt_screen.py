"""Small modal questions the workbench asks: a line (a name), a text (a pasted curl command, a tool
result), or a choice from a list (a turn to fork at, a saved request). Each returns its answer,
None when dismissed with Esc. Must not import httpx2.
"""

from __future__ import annotations

from typing import ClassVar, Generic, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

T = TypeVar("T")

MODAL_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{ width: 100; max-width: 95%; height: auto; max-height: 90%;
    border: round $accent; background: $surface; padding: 0 1; }}
{name} .prompt-help {{ color: $text-muted; height: auto; }}
{name} Horizontal {{ height: auto; align-horizontal: right; }}
{name} TextArea {{ height: 14; }}
{name} OptionList {{ height: auto; max-height: 24; }}
"""


class PromptScreen(ModalScreen[str | None]):
    """One line: Enter answers, Esc cancels."""

    DEFAULT_CSS = MODAL_CSS.format(name="PromptScreen")
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Cancel", id="prompt-cancel")]

    def __init__(self, title: str, help: str = "", value: str = "") -> None:
        super().__init__()
        self.title_text, self.help, self.value = title, help, value

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self.title_text
            yield Static(self.help, classes="prompt-help")
            yield Input(self.value, id="prompt-input")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip() or None)


class TextScreen(ModalScreen[str | None]):
    """Several lines: ctrl+s (or the button) answers, Esc cancels."""

    DEFAULT_CSS = MODAL_CSS.format(name="TextScreen")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="text-cancel"),
        Binding("ctrl+s", "done", "Done", id="text-done", priority=True),
    ]

    def __init__(self, title: str, help: str = "", value: str = "", button: str = "Done (ctrl+s)") -> None:
        super().__init__()
        self.title_text, self.help, self.value, self.button = title, help, value, button

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self.title_text
            yield Static(self.help, classes="prompt-help")
            yield TextArea(self.value, soft_wrap=True, id="text-input")
            with Horizontal():
                yield Button(self.button, id="text-done", compact=True)
                yield Button("Cancel (esc)", id="text-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_done(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "text-done":
            self.action_done()
        else:
            self.dismiss(None)


class ChoiceScreen(ModalScreen[T | None], Generic[T]):
    """A list: Enter chooses, Esc cancels."""

    DEFAULT_CSS = MODAL_CSS.format(name="ChoiceScreen")
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Cancel", id="choice-cancel")]

    def __init__(self, title: str, choices: list[tuple[str, T]], help: str = "") -> None:
        super().__init__()
        self.title_text, self.choices, self.help = title, choices, help

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self.title_text
            yield Static(self.help, classes="prompt-help")
            yield OptionList(*[Option(Text(label), id=str(i)) for i, (label, _) in enumerate(self.choices)])

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.choices[event.option_index][1])
