"""The model list: filter as you type, each model's family and price per million tokens in / out.

Shows a loading, an empty ("no model matches") and an error state. Choosing a model posts
`ModelsPane.Chosen`; the screen puts it in the request. Filtering is the session's job (the pane
is given the models to show). Must not import httpx2.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ...playground.model_search import ModelSort, price_lines
from ..textual_compat import QuietContentSize, option_at_line
from .text_update import update_text

if TYPE_CHECKING:
    from ...protocols.catalog import ModelInfo


class ModelFilter(Input, QuietContentSize):
    """The filter: typing changes its text's width, which lays nothing out."""


class ModelList(OptionList, QuietContentSize):
    """The list: filtering changes its length, which lays nothing out unless its scrollbar appears
    or goes."""


def model_prompt(model: ModelInfo, current: bool = False) -> Text:
    family = model.type_target.value if model.type_target is not None else "unknown family"
    text = Text()
    text.append(("● " if current else "  ") + model.id, style="bold" if current else "")
    first, *more = price_lines(model.pricing)  # a long-prompt tier gets a line of its own
    text.append(f"\n  {family} · {first}", style="dim")
    for line in more:
        text.append(f"\n    {line}", style="dim")
    return text


def _options(models: list[ModelInfo], current: str) -> list[Option]:
    return [Option(model_prompt(m, m.id == current), id=m.id) for m in models]


def _count(models: list[ModelInfo], total: int, sort: ModelSort = ModelSort.NAME) -> str:
    count = f"{len(models)}/{total}" if len(models) != total else f"{total}"
    return f"{count} models · {sort.value} · $/1M"


class ModelsPane(Vertical):
    """Input + OptionList; the option ids are model ids. Up/Down in the filter move through the
    matches, so filter, arrows, Enter never leaves the keyboard's home row."""

    #: F11 ("Maximize pane") gives this pane the whole screen.
    ALLOW_MAXIMIZE = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "move(1)", "Next model", show=False, id="models-next"),
        Binding("up", "move(-1)", "Previous model", show=False, id="models-previous"),
    ]

    DEFAULT_CSS = """
    ModelsPane { height: 1fr; }
    ModelsPane > Input { margin: 0; }
    ModelsPane > OptionList { height: 1fr; border: none; padding: 0; }
    ModelsPane > #models-state { color: $text-muted; height: auto; padding: 0 1; }
    ModelsPane > #models-state.-error { color: $error; }
    """

    class Chosen(Message):
        def __init__(self, model_id: str) -> None:
            super().__init__()
            self.model_id = model_id

    class FilterChanged(Message):
        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    def __init__(
        self, *, models: list[ModelInfo] | None = None, current: str = "", id: str | None = None
    ) -> None:
        """`models`: a list already loaded (the start-up prefetch), composed in at once. Adding
        options to a list not yet laid out (width 0) would leave it blank until the next repaint."""
        super().__init__(id=id)
        self._initial = models
        self._current = current
        self._kept_options: dict[tuple[int, bool], tuple[ModelInfo, Option]] = {}

    def compose(self) -> ComposeResult:
        models = self._initial
        yield ModelFilter(placeholder="Filter models…", id="models-filter", compact=True)
        yield Static("Loading models…" if models is None else _count(models, len(models)), id="models-state")
        yield ModelList(*_options(models or [], self._current), id="models-list")

    def on_mount(self) -> None:
        self.border_title = "Models"
        if self._initial:
            self._highlight(self._current)

    @property
    def filter_input(self) -> Input:
        return self.query_one("#models-filter", Input)

    @property
    def option_list(self) -> OptionList:
        return self.query_one("#models-list", OptionList)

    def _state(self, text: str, error: bool = False) -> None:
        state = self.query_one("#models-state", Static)
        # A count on one line where one line stood repaints that line: no layout of the screen for
        # each key typed into the filter.
        update_text(state, text)
        state.set_class(error, "-error")
        state.display = bool(text)

    def _option(self, model: ModelInfo, current: bool) -> Option:
        """The model's option, made once per model (and mark) and reused by each filtering: its
        prompt's text and wrapped height are worked out once, not for every key typed."""
        key = (id(model), current)
        kept = self._kept_options.get(key)
        if kept is None or kept[0] is not model:  # the model held, its id cannot be another's
            kept = self._kept_options[key] = (model, Option(model_prompt(model, current), id=model.id))
        return kept[1]

    def show_loading(self) -> None:
        self._kept_options.clear()
        self.option_list.clear_options()
        self._state("Loading models…")

    def show_error(self, message: str) -> None:
        self.option_list.clear_options()
        self._state(f"Could not load models: {message}", error=True)

    def show_models(
        self, models: list[ModelInfo], current: str, total: int, sort: ModelSort = ModelSort.NAME
    ) -> None:
        # In one step: clearing first would empty the list for a moment (its scrollbar going and
        # coming back, a layout of the screen each time) for every key typed into the filter.
        self.option_list.set_options([self._option(model, model.id == current) for model in models])
        if not models:
            query = self.filter_input.value.strip()
            self._state(
                f"No model matches “{query}”." if query and total else "The endpoint lists no models."
            )
        else:
            self._state(_count(models, total, sort))
            self._highlight(current)

    def _highlight(self, current: str) -> None:
        option_list = self.option_list
        ids = [option_list.get_option_at_index(i).id for i in range(option_list.option_count)]
        option_list.highlighted = ids.index(current) if current in ids else 0
        if option_list.size:  # laid out: in this frame, not a frame showing the list from its top
            self.show_highlight()
        self.call_after_refresh(self.show_highlight)

    def show_highlight(self) -> None:
        """Put the highlighted model at the top of the view (as far as the list allows). Done
        after layout and again on resize, so where the list sits never depends on timing. Near the
        list's end the view could start inside a model's option (a price line without its name):
        it starts at that option's name instead, while the highlighted model stays whole in view."""
        options = self.option_list
        options.scroll_to_highlight(top=True)
        top = round(options.scroll_y)
        found, highlighted = option_at_line(options, top), options.highlighted
        if found is None or found[1] == 0 or highlighted is None:
            return
        aligned = top - found[1]
        last = top
        while (below := option_at_line(options, last + 1)) is not None and below[0] <= highlighted:
            last += 1  # the highlighted option's last line
        if last < aligned + options.scrollable_content_region.height:
            options.scroll_to(y=aligned, animate=False, immediate=True)

    def on_resize(self) -> None:
        self.call_after_refresh(self.show_highlight)

    def action_move(self, step: int) -> None:
        option_list = self.option_list
        if option_list.option_count:
            current = option_list.highlighted if option_list.highlighted is not None else -1
            option_list.highlighted = max(0, min(option_list.option_count - 1, current + step))

    @on(Input.Changed, "#models-filter")
    def _filter(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.FilterChanged(event.value))

    @on(Input.Submitted, "#models-filter")
    def _submit_first(self, event: Input.Submitted) -> None:
        """Enter in the filter chooses the highlighted (first) match: filter, Enter, done."""
        event.stop()
        option_list = self.option_list
        if option_list.option_count:
            index = option_list.highlighted or 0
            option = option_list.get_option_at_index(index)
            if option.id:
                self.post_message(self.Chosen(option.id))

    @on(OptionList.OptionSelected, "#models-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Chosen(event.option.id))
