"""The parameters form: system prompt, max tokens, temperature, top_p, stop, stream.

The JSON is the truth: the form shows what `protocols.fields` reads from it and posts
`ParamsForm.Changed` for each edit, which the screen writes back into the JSON. A setting the
format cannot carry (stop sequences in OpenAI Responses) is disabled. Must not import httpx2.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Checkbox, Input

from ...protocols.fields import KIND, Param

LABELS = {
    Param.SYSTEM: "System prompt",
    Param.MAX_TOKENS: "Max tokens",
    Param.TEMPERATURE: "Temperature",
    Param.TOP_P: "Top p",
    Param.STOP: "Stop (comma-separated)",
}
INPUT_TYPE = {"int": "integer", "float": "number", "text": "text", "list": "text"}


def parse_value(param: Param, raw: str) -> Any:
    """The form's text as the JSON value: "" clears the setting; a bad number clears it too."""
    raw = raw.strip() if param is not Param.SYSTEM else raw
    if raw == "":
        return None
    kind = KIND[param]
    try:
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
    except ValueError:
        return None
    if kind == "list":
        return [part.strip() for part in raw.split(",") if part.strip()]
    return raw


def show_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


class ParamsForm(VerticalScroll):
    #: F11 ("Maximize pane") gives this pane the whole screen.
    ALLOW_MAXIMIZE = True
    DEFAULT_CSS = """
    ParamsForm { width: 30; height: 1fr; padding: 0 1; }
    /* Each field's name is the title of its (blank) top border: one widget a field, not two. */
    ParamsForm > Input, ParamsForm > Input:focus, ParamsForm > Input.-invalid,
    ParamsForm > Input.-invalid:focus {
        height: 2; margin: 0; padding: 0 1; border: none; border-top: blank;
        border-title-align: left; border-title-color: $text-muted; }
    ParamsForm > Input.-invalid { background-tint: $error 20%; }
    ParamsForm Input:disabled { opacity: 50%; }
    ParamsForm.-stale { border-subtitle-color: $warning; }
    ParamsForm.-stale Input:disabled { opacity: 80%; }
    ParamsForm Checkbox { margin: 0; border: none; }
    """

    class Changed(Message):
        def __init__(self, param: Param, value: Any) -> None:
            super().__init__()
            self.param = param
            self.value = value

    def __init__(self, values: dict[Param, Any] | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        #: The settings shown from the start (None: none yet): a field built with its value is
        #: checked and styled once, as it mounts; one given it after is styled again (an integer
        #: field's "-valid" class), a pass of the style sheet each, on the panes' arrival.
        self._initial = values
        #: What the fields say, as JSON values: a field's Changed that says the same is no edit.
        #: (A field built with its value posts Changed once mounted: taken as an edit, it rewrote
        #: the kept draft pretty-printed at every start, and checked and converted it again.)
        self._shown: dict[Param, Any] = dict(values or {})

    def compose(self) -> ComposeResult:
        values = self._initial
        for param, label in LABELS.items():
            field = Input(
                show_value(values.get(param)) if values else "",
                id=f"param-{param.value}",
                type=INPUT_TYPE[KIND[param]],  # type: ignore[arg-type]
                disabled=values is not None and param not in values,
            )
            field.border_title = label
            yield field
        yield Checkbox(
            "Stream",
            bool(values and values.get(Param.STREAM)),
            id="param-stream",
            compact=True,
            disabled=values is not None and Param.STREAM not in values,
        )

    def on_mount(self) -> None:
        self.border_title = "Parameters"

    def show_stale(self) -> None:
        """The JSON does not parse: keep the last values on show, marked stale and read-only
        (the form writes into the JSON, which cannot take an edit until it parses again)."""
        self.add_class("-stale")
        self.border_subtitle = "stale: fix the JSON"
        for field in self.query("Input, Checkbox"):
            field.disabled = True

    def show(self, values: dict[Param, Any]) -> None:
        """Reflect the JSON's settings; a setting missing from `values` cannot be carried."""
        self.remove_class("-stale")
        self.border_subtitle = ""
        self._shown = dict(values)
        with self.prevent(Input.Changed, Checkbox.Changed):
            for param in LABELS:
                field = self.query_one(f"#param-{param.value}", Input)
                field.disabled = param not in values
                text = show_value(values.get(param))
                # Don't rewrite a field the user is typing in with an equivalent value ("0." vs 0.0).
                if field.has_focus and parse_value(param, field.value) == values.get(param):
                    continue
                if field.value != text:
                    field.value = text
            stream = self.query_one("#param-stream", Checkbox)
            stream.disabled = Param.STREAM not in values
            stream.value = bool(values.get(Param.STREAM))

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.input.id and event.input.id.startswith("param-"):
            param = Param(event.input.id.removeprefix("param-"))
            self._edited(param, parse_value(param, event.value))

    @on(Checkbox.Changed, "#param-stream")
    def _stream_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        self._edited(Param.STREAM, event.value)

    def _edited(self, param: Param, value: Any) -> None:
        if param is Param.STREAM:
            unchanged = bool(self._shown.get(param)) == value  # an absent "stream" is false
        else:
            unchanged = self._shown.get(param) == value  # an empty field is an absent setting
        if not unchanged:
            self._shown[param] = value
            self.post_message(self.Changed(param, value))
