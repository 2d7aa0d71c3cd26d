"""The playground's one main screen: the panes, their wiring to the session, and the actions.

Layout: models and route on the left; request editor and parameters on top; the response and a
shared "Payloads / Limits / Error" inspector below; the status line and footer at the bottom.
Widgets post messages; this screen asks the session (the state) and pushes results back to the
panes. Sending runs in an exclusive async worker (`exit_on_error=False`): its failures go to the
error pane, never to the screen as a traceback. Must not import httpx2.
"""

from __future__ import annotations

import asyncio
import gc
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.geometry import Size
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header, Input, TabbedContent, TabPane, TextArea
from textual.worker import Worker, WorkerState

from ..protocols.formats import Format, RouteKind
from .commands import bindings
from .help import HelpScreen
from .session import SendRefused, Session
from .widgets.errors import ErrorPane
from .widgets.models import ModelsPane
from .widgets.params_form import ParamsForm
from .widgets.payloads import PayloadsPane
from .widgets.ratelimits import RateLimitsPane
from .widgets.request_editor import RequestEditor
from .widgets.response import ResponsePane
from .widgets.route_picker import RoutePicker
from .widgets.status import StatusLine

if TYPE_CHECKING:
    from ..client.plan import Plan
    from .send_flow import SendFlow

FOCUS_TARGETS = {
    "models": "#models-filter",
    "route": "#format-select",
    "editor": "#request-json",
    "params": "#param-system",
    "response": "#response-tabs Tabs",
}


def width_classes(width: int, breakpoints: list[tuple[int, str]]) -> list[str]:
    """The breakpoint class Textual gives a screen this wide: the widest breakpoint it reaches."""
    reached = [b for b in breakpoints if width >= b[0]]
    return [max(reached)[1]] if reached else []


class PlaygroundScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [*bindings()]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]  # noqa: RUF012 - Textual's own declaration

    def __init__(
        self,
        session: Session,
        *,
        fixed_timings: bool = False,
        cursor_blink: bool = True,
        freeze_heap: bool = False,
    ) -> None:
        super().__init__()
        self.session = session
        self.fixed_timings = fixed_timings
        self.cursor_blink = cursor_blink
        self.freeze_heap = freeze_heap
        self._painted = asyncio.Event()
        self.view_as: Format | None = None
        self.current_flow: SendFlow | None = None
        # Start with the class the width calls for: Textual sets it on the first Resize, and a
        # class change then restyles every widget on the screen once more (~30 ms of start-up).
        self.add_class(*width_classes(self.app.size.width, self.HORIZONTAL_BREAKPOINTS))

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="body"):
            with Vertical(id="left"):
                yield ModelsPane(id="models")
                yield RoutePicker(id="route")
            with Vertical(id="main"):
                with Horizontal(id="top"):
                    yield RequestEditor(self.session.request_text, id="editor")
                    yield ParamsForm(id="params")
                with Horizontal(id="bottom"):
                    yield ResponsePane(id="response")
                    with TabbedContent(id="inspector"):
                        with TabPane("Payloads", id="payloads"):
                            yield PayloadsPane(id="payloads-pane")
                        with TabPane("Limits", id="limits"):
                            yield RateLimitsPane(self.session, id="limits-pane")
                        with TabPane("Error", id="error"):
                            yield ErrorPane(self.session, id="error-pane")
        yield StatusLine(fixed_timings=self.fixed_timings, id="status")
        yield Footer()

    # ------------------------------------------------------------------ typed accessors

    @property
    def editor(self) -> RequestEditor:
        return self.query_one(RequestEditor)

    @property
    def response(self) -> ResponsePane:
        return self.query_one(ResponsePane)

    @property
    def errors(self) -> ErrorPane:
        return self.query_one(ErrorPane)

    @property
    def status(self) -> StatusLine:
        return self.query_one(StatusLine)

    @property
    def inspector(self) -> TabbedContent:
        return self.query_one("#inspector", TabbedContent)

    # ------------------------------------------------------------------ start-up

    def _screen_resized(self, size: Size) -> None:
        # Textual 8.2.8 (pinned) forwards the terminal's first size report to the screen even when
        # it is the size the screen was laid out for, and the screen then lays out and repaints
        # everything again (~60 ms of start-up, while the models load). Same size: nothing to do.
        if size != self.outer_size:
            super()._screen_resized(size)

    def on_mount(self) -> None:
        if not self.cursor_blink:
            for widget in self.query(TextArea):
                widget.cursor_blink = False
            for field in self.query(Input):
                field.cursor_blink = False
        self._show_endpoint()
        # Payload conversions wait until the models are on screen (they load the adapters).
        self.refresh_state(params=True, payloads=False)
        self.query_one("#models-filter", Input).focus()
        self.call_after_refresh(self._painted.set)
        self.prepare()

    def _show_endpoint(self) -> None:
        endpoint = self.session.endpoint
        self.sub_title = endpoint.label if endpoint is not None else "Sandbox · starting…"

    @work(exclusive=True, group="models", exit_on_error=False)
    async def prepare(self) -> None:
        """Wait for the sandbox when one is starting, import the client, then load the models.

        The client's import (httpx2 and the client, ~50 ms of CPU) runs here, in the event loop:
        in a thread it would only take turns with the UI for the interpreter (the GIL), and the
        switching made both slower (measured: the model list ~80 ms later). Waiting for the
        sandbox's child process costs no CPU, so that wait is a thread's."""
        models = self.query_one(ModelsPane)
        models.show_loading()
        await self._painted.wait()  # the empty screen first: ~100 ms sooner, the list no later
        if self.session.endpoint is None:
            await asyncio.to_thread(self.session.ensure_endpoint)
        import pipellm_tui.client.playground  # noqa: F401

        self._show_endpoint()
        self.refresh_state(payloads=False)
        await self._load_models()
        # Validation loads the format's schema (pydantic): after the model list is on screen.
        self.call_after_refresh(lambda: self.editor.show_problem(self.session.validate()))
        if self.freeze_heap:
            # What exists now (modules, the screen's widgets) lives as long as the app: frozen, it
            # is left out of every later full garbage collection, which then pauses the app for
            # ~0 ms at rest instead of ~40 ms. Once only: a later freeze would keep garbage forever.
            self.freeze_heap = False
            gc.freeze()

    async def _load_models(self) -> None:
        from ..client import ApiErrorException

        models = self.query_one(ModelsPane)
        models.show_loading()
        try:
            await self.session.load_models()
        except ApiErrorException as exc:
            models.show_error(exc.error.message)
            self.session.error = exc.error
            self.session.error_at = self.session.clock()
            self.errors.show_error(exc.error)
            return
        self._show_models()
        # The payload conversions load the adapters: after the model list is on screen.
        self.refresh_state(payloads=False)
        self.call_after_refresh(self.refresh_state)

    def _show_models(self) -> None:
        pane = self.query_one(ModelsPane)
        shown = self.session.filter_models(pane.filter_input.value)
        pane.show_models(shown, self.session.model, len(self.session.models))

    # ------------------------------------------------------------------ state -> panes

    def refresh_state(self, *, params: bool = False, payloads: bool = True) -> None:
        session = self.session
        route = session.route
        plan = session.preview()
        url = (
            session.endpoint.shown(plan.url)
            if session.endpoint is not None and not isinstance(plan, str)
            else ""
        )
        self.query_one(RoutePicker).show(
            session.format, session.route_kind, plan, session.route_problem(), not route.available, url
        )
        if params:
            self.query_one(ParamsForm).show(session.params())
        if payloads:
            self.query_one(PayloadsPane).show(session.payloads(self.view_as), session.format)

    def _load_request(self) -> None:
        self.editor.load(self.session.request_text)
        self.editor.show_problem(self.session.validate())

    # ------------------------------------------------------------------ pane messages

    @on(ModelsPane.FilterChanged)
    def _filter_models(self, event: ModelsPane.FilterChanged) -> None:
        self._show_models()

    @on(ModelsPane.Chosen)
    def _model_chosen(self, event: ModelsPane.Chosen) -> None:
        before = self.session.route_kind
        route = self.session.choose_model(event.model_id)
        self._load_request()
        self._show_models()
        self.refresh_state(params=True)
        if route.kind is not before:
            self.notify(f"{event.model_id}: switched to the {route.kind.value} route.", title="Route")

    @on(RoutePicker.Changed)
    def _route_changed(self, event: RoutePicker.Changed) -> None:
        if event.format is not None:
            self.switch_format(event.format)
        if event.kind is not None:
            self.session.set_route(event.kind)
            self.refresh_state()

    @on(RequestEditor.Edited)
    def _edited(self, event: RequestEditor.Edited) -> None:
        issue = self.session.set_request_text(event.text)
        self.editor.show_problem(issue)
        self.refresh_state(params=True)

    @on(ParamsForm.Changed)
    def _param_changed(self, event: ParamsForm.Changed) -> None:
        try:
            self.session.set_param(event.param, event.value)
        except SendRefused as exc:
            self.notify(str(exc), severity="warning")
            return
        self._load_request()
        self.refresh_state()

    @on(PayloadsPane.ViewAs)
    def _view_as(self, event: PayloadsPane.ViewAs) -> None:
        self.view_as = event.format
        self.refresh_state()

    def switch_format(self, fmt: Format) -> None:
        if fmt is self.session.format:
            return
        self.session.request_text = self.editor.flush()
        warnings = self.session.set_format(fmt)
        self.view_as = None
        self._load_request()
        self.refresh_state(params=True)
        if warnings:
            self.notify("\n".join(warnings[:6]), title=f"Converted to {fmt.value}", severity="warning")
        else:
            self.notify(f"The request is now in {fmt.label} format.", title="Format")

    # ------------------------------------------------------------------ sending

    def action_send(self) -> None:
        if not isinstance(self.app.screen, PlaygroundScreen):
            raise SkipAction()
        issue = self.session.set_request_text(self.editor.flush())
        self.editor.show_problem(issue)
        try:
            plan = self.session.plan()
        except SendRefused as exc:
            self.errors.show_problem("Not sent", str(exc))
            self.show_inspector("error")
            self.notify(str(exc), title="Not sent", severity="error")
            return
        self.run_send(plan)

    @work(exclusive=True, group="send", exit_on_error=False)
    async def run_send(self, plan: Plan) -> None:
        from .send_flow import SendFlow

        # A new send cancels the one in flight (exclusive worker); only the newest flow may touch
        # the panes or say whether a send is running.
        flow = self.current_flow = SendFlow(self, plan)
        try:
            await flow.run()
        except asyncio.CancelledError:
            if self.current_flow is flow:
                self.call_later(flow.cancelled)
            raise
        finally:
            flow.running = False

    @property
    def sending(self) -> bool:
        return self.current_flow is not None and self.current_flow.running

    def action_cancel(self) -> None:
        if not self.sending or self.app.screen is not self:
            raise SkipAction()
        self.workers.cancel_group(self, "send")

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            error = event.worker.error
            what = "Sending failed" if event.worker.group == "send" else "Loading failed"
            self.errors.show_problem(f"{what}: {type(error).__name__}", str(error))
            self.show_inspector("error")
            self.notify(str(error) or type(error).__name__, title=what, severity="error")
            if event.worker.group == "models":
                self.query_one(ModelsPane).show_error(str(error) or type(error).__name__)

    # ------------------------------------------------------------------ other actions

    def action_switch_format(self) -> None:
        formats = list(Format)
        self.switch_format(formats[(formats.index(self.session.format) + 1) % len(formats)])

    def action_set_format(self, value: str) -> None:
        self.switch_format(Format(value))

    def action_switch_route(self) -> None:
        kind = RouteKind.NATIVE if self.session.route_kind is RouteKind.CONVERTER else RouteKind.CONVERTER
        self.action_set_route(kind.value)

    def action_set_route(self, value: str) -> None:
        self.session.set_route(RouteKind(value))
        self.refresh_state()

    def action_use_converter(self) -> None:
        self.action_set_route(RouteKind.CONVERTER.value)
        self.notify(
            f"Using the converter route: {self.session.route.url_path(self.session.model)}", title="Route"
        )

    def action_focus_pane(self, target: str) -> None:
        self.query_one("#bottom").remove_class("-inspecting")
        self.query_one(FOCUS_TARGETS[target]).focus()

    def show_inspector(self, tab: str) -> None:
        self.inspector.active = tab
        self.query_one("#bottom").add_class("-inspecting")

    def action_show_inspector(self, tab: str) -> None:
        self.show_inspector(tab)
        self.inspector.query_one("Tabs").focus()

    def action_toggle_raw(self) -> None:
        self.response.show_tab("tab-events" if self.response.active_tab == "tab-answer" else "tab-answer")

    def action_new_request(self) -> None:
        self.session.reset_request()
        self._load_request()
        self.refresh_state(params=True)

    async def action_reload_models(self) -> None:
        self.prepare()

    def action_maximize_pane(self) -> None:
        if self.focused is not None:
            pane = next(
                (
                    a
                    for a in self.focused.ancestors_with_self
                    if a.id in ("models", "route", "editor", "params", "response", "inspector")
                ),
                None,
            )
            if isinstance(pane, Widget):
                self.maximize(pane, container=False)

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen())
