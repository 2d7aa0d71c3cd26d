"""Format and route: the four formats times native / converter, and exactly what the plan implies.

Shows the method, URL and headers of the current plan (the key masked, from `Plan.masked_headers`),
an unavailable route with the seed's advice, and a flag when a native route will refuse the model,
with the key that switches to the converter route. Never builds a URL or header itself: the screen
hands it a `Plan` (or the reason there is none). Must not import httpx2.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

from ...protocols.formats import Format, RouteKind
from .choice import Choice
from .tabs import RadioStrip, TabStrip

if TYPE_CHECKING:
    from ...client.plan import Plan


class RoutePicker(Vertical):
    #: F11 ("Maximize pane") gives this pane the whole screen.
    ALLOW_MAXIMIZE = True
    DEFAULT_CSS = """
    RoutePicker { height: auto; }
    RoutePicker RadioStrip { padding: 0 1; }
    RoutePicker #route-flag { color: $warning; height: auto; padding: 0 1; display: none; }
    RoutePicker #route-flag.-shown { display: block; }
    RoutePicker #route-flag.-unavailable { color: $error; }
    RoutePicker #route-plan { height: auto; padding: 0 1; color: $text-muted; }
    """

    class Changed(Message):
        """The user picked a format or a route kind (one of the two is None)."""

        def __init__(self, fmt: Format | None, kind: RouteKind | None) -> None:
            super().__init__()
            self.format = fmt
            self.kind = kind

    def __init__(
        self, fmt: Format = Format.OPENAI_CHAT, kind: RouteKind = RouteKind.NATIVE, *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        #: What the pane starts with: the session's (a restored draft's format and route).
        self._initial = (fmt, kind)

    def compose(self) -> ComposeResult:
        fmt, kind = self._initial
        yield Choice([(f.label, f.value) for f in Format], fmt.value, id="format-select")
        yield RadioStrip([(k.value, k.value) for k in RouteKind], kind.value, id="route-kind")
        yield Static(id="route-flag")
        yield Static(id="route-plan")

    def on_mount(self) -> None:
        self.border_title = "Format & route"

    def show(
        self,
        fmt: Format,
        kind: RouteKind,
        plan: Plan | str,
        flag: str | None,
        unavailable: bool,
        url: str = "",
    ) -> None:
        """Reflect the session's state without echoing Changed messages back."""
        # Neither posts a message when set in code.
        self.query_one("#format-select", Choice).value = fmt.value
        self.query_one("#route-kind", RadioStrip).active = kind.value
        flag_widget = self.query_one("#route-flag", Static)
        if flag:
            text = Text(f"⚠ {flag}")
            if not unavailable:
                text.append("\nctrl+g", style="bold")
                text.append(": use the converter route")
            flag_widget.update(text)
        flag_widget.set_class(bool(flag), "-shown")
        flag_widget.set_class(unavailable, "-unavailable")
        self.query_one("#route-plan", Static).update(plan_text(plan, url))

    @on(Choice.Changed, "#format-select")
    def _format_changed(self, event: Choice.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(Format(event.value), None))

    @on(TabStrip.Chosen, "#route-kind")
    def _kind_changed(self, event: TabStrip.Chosen) -> None:
        event.stop()
        strip = self.query_one("#route-kind", RadioStrip)
        if event.tab_id != strip.active:
            strip.active = event.tab_id
            self.post_message(self.Changed(None, RouteKind(event.tab_id)))


def plan_text(plan: Plan | str, url: str = "") -> Text:
    """The plan: method and URL (`url` when given: the URL as displayed), then the headers with
    the key masked."""
    if isinstance(plan, str):
        return Text(plan)
    text = Text()
    text.append(plan.method, style="bold")
    text.append(f" {url or plan.url}")
    for name, value in plan.masked_headers.items():
        text.append(f"\n{name}: {value}")
    return text
