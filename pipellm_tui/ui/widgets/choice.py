"""A value chosen from a few, in one widget of one line: the format and the "view as" pickers.

Textual's Select is six widgets (its current value in three statics, its overlay list hidden beside
them) and costs ~10 ms to mount, lay out and paint (bench/widget_cost.py; the panes held two, at
start-up). `Choice` draws `label ▾` itself and opens its options in a small menu under it only when
asked (Enter, space, ↓ or a click): a screen of its own with an OptionList, Esc to close.
Only the user's pick posts `Choice.Changed`; setting `value` in code does not (Select's did, and
its callers had to hold the echo back). Must not import httpx2.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Offset
from textual.message import Message
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import OptionList
from textual.widgets.option_list import Option

#: (label shown, value)
Options = Sequence[tuple[str, str]]


class Choice(Widget, can_focus=True):
    """`label ▾`; the options open under it. `value` is the chosen option's value (None: none yet)."""

    DEFAULT_CSS = """
    Choice { height: 1; width: 1fr; padding: 0 1; background: $surface; color: $foreground; }
    Choice:focus { background: $block-cursor-blurred-background; text-style: bold; }
    Choice.-empty { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter,space,down", "open", "Choose", show=False)]

    class Changed(Message):
        """The user picked another option."""

        def __init__(self, choice: Choice, value: str) -> None:
            super().__init__()
            self.choice = choice
            self.value = value

        @property
        def control(self) -> Choice:
            return self.choice

    def __init__(
        self, options: Options = (), value: str | None = None, *, prompt: str = "", id: str | None = None
    ) -> None:
        super().__init__(id=id, classes="-empty" if value is None else "")
        self.prompt = prompt
        self._options = list(options)
        self._value = value

    @property
    def options(self) -> list[tuple[str, str]]:
        return list(self._options)

    @property
    def value(self) -> str | None:
        return self._value

    @value.setter
    def value(self, value: str | None) -> None:
        if value != self._value:
            self._value = value
            self._changed()

    def set_options(self, options: Options) -> None:
        """New options; the value stays when it is one of them."""
        self._options = list(options)
        if self._value not in {value for _, value in self._options}:
            self._value = None
        self._changed()

    def _changed(self) -> None:
        self.set_class(self._value is None, "-empty")
        self.refresh()

    @property
    def label(self) -> str:
        return next((label for label, value in self._options if value == self._value), self.prompt)

    def render(self) -> Content:
        # The ▾ stays in sight on a narrow pane: the label gives way (with an ellipsis).
        label, room = self.label, self.content_region.width - 2
        if 0 < room < len(label):
            label = label[: room - 1] + "…"
        return Content(f"{label} ▾")

    def choose(self, value: str) -> None:
        """What picking `value` in the menu does: it becomes the value, and Changed says so."""
        if value == self._value:
            return
        self.value = value
        self.post_message(self.Changed(self, value))

    def action_open(self) -> None:
        if not self._options:
            return
        below = Offset(self.region.x, self.region.bottom)
        self.app.push_screen(ChoiceMenu(self._options, self._value, below), self._picked)

    def _picked(self, value: str | None) -> None:
        if value is not None:
            self.choose(value)

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.action_open()


class ChoiceMenu(ModalScreen[str | None]):
    """The options under their Choice: Enter or a click picks one; Esc or a click elsewhere closes."""

    DEFAULT_CSS = """
    ChoiceMenu { background: $background 0%; }
    ChoiceMenu OptionList, ChoiceMenu OptionList:focus { width: auto; min-width: 16; height: auto;
        max-height: 12; border: round $accent; padding: 0; background: $surface;
        constrain: inside inside; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Close", show=False)]

    def __init__(self, options: Options, value: str | None, at: Offset) -> None:
        super().__init__()
        self._options = list(options)
        self._value = value
        self._at = at

    def compose(self) -> ComposeResult:
        menu = OptionList(*(Option(label, id=value) for label, value in self._options))
        menu.styles.offset = (self._at.x, self._at.y)
        values = [value for _, value in self._options]
        menu.highlighted = values.index(self._value) if self._value in values else 0
        yield menu

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def on_click(self, event: events.Click) -> None:
        if event.widget is self:  # outside the menu
            self.dismiss(None)
