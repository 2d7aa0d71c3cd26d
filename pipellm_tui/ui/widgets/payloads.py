"""Converted payloads side by side: request as sent | what the upstream receives, response as
received | the upstream's native form, and the conversion warnings.

On a native route a "view as" selector picks any other format for the right-hand side. The content
comes from `playground.payload_views` (conversions by `protocols.convert`). Must not import httpx2.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical
from textual.message import Message
from textual.widgets import Label, Static

from ...playground.payload_views import Payload, PayloadViews, other_formats
from ...protocols.formats import Format
from .choice import Choice
from .json_view import JsonView, json_view

SLOTS = ("request-sent", "request-other", "response-received", "response-other")


class PayloadsPane(Vertical):
    DEFAULT_CSS = """
    PayloadsPane { height: 1fr; }
    PayloadsPane #payloads-bar { height: auto; }
    PayloadsPane #payloads-bar Label { padding: 0 1; width: 1fr; }
    PayloadsPane #view-as { width: 22; display: none; }
    PayloadsPane #view-as.-shown { display: block; }
    PayloadsPane Grid { grid-size: 2 2; grid-gutter: 0 1; height: 1fr; }
    PayloadsPane Grid > JsonView, PayloadsPane Grid > JsonView:focus { height: 1fr; padding: 0; border: none; border-top: blank;
        border-title-align: left; border-title-color: $text-muted; border-title-style: bold; }
    PayloadsPane #payload-warnings { height: auto; max-height: 6; color: $warning; padding: 0 1; }
    """

    class ViewAs(Message):
        def __init__(self, fmt: Format) -> None:
            super().__init__()
            self.format = fmt

    def compose(self) -> ComposeResult:
        with Horizontal(id="payloads-bar"):
            yield Label("", id="payloads-title")
            yield Choice(prompt="view as", id="view-as")
        with Grid():
            for slot in SLOTS:
                # No wrapping and no line numbers: in a quarter pane, JSON reads better cut at the
                # edge (scroll sideways, or F11 to maximize) than folded every 20 columns. Its
                # title is in its (blank) top border: one widget a payload rather than three.
                yield json_view(slot, soft_wrap=False, show_line_numbers=False)
        yield Static("", id="payload-warnings")

    def show(self, views: PayloadViews, current: Format) -> None:
        if views.is_converter:
            title = f"Converter: {current.value} → {views.target.value if views.target else '?'}"
        else:
            title = "Native route"
        self.query_one("#payloads-title", Label).update(title)
        view_as = self.query_one("#view-as", Choice)
        view_as.set_class(not views.is_converter, "-shown")
        if not views.is_converter:  # neither posts Changed
            view_as.set_options([(f.value, f.value) for f in other_formats(current)])
            if views.target is not None:
                view_as.value = views.target.value
        pairs: tuple[Payload, ...] = (
            views.request_sent,
            views.request_other,
            views.response_received,
            views.response_other,
        )
        for slot, payload in zip(SLOTS, pairs):
            area = self.query_one(f"#{slot}", JsonView)
            area.border_title = Text(payload.title)
            if area.text != payload.text:
                area.show(payload.text)
        lines = ([views.note] if views.note else []) + [f"⚠ {w}" for w in views.warnings]
        self.query_one("#payload-warnings", Static).update(
            Text("\n".join(lines)) if lines else "No conversion warnings."
        )

    @on(Choice.Changed, "#view-as")
    def _view_as(self, event: Choice.Changed) -> None:
        event.stop()
        self.post_message(self.ViewAs(Format(event.value)))
