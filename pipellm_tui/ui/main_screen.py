"""The playground's one main screen: the panes, their wiring to the session, and the actions.

Layout: models and route on the left; request editor and parameters on top; the response and a
shared "Payloads / Limits / Error" inspector below; the status line and footer at the bottom.
Widgets post messages; this screen asks the session (the state) and pushes results back to the
panes. Sending runs in an exclusive async worker (`exit_on_error=False`): its failures go to the
error pane, never to the screen as a traceback.

Start-up comes in two steps (startup.py): the first paint holds the model list and a titled frame
for every other pane; once the list is on screen the panes take their frames' places. Until they
have, the actions that need those panes are shown disabled (`check_action`). Must not import httpx2
or the pane modules that panes.py imports.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Header
from textual.worker import Worker, WorkerState

from ..playground.request_draft import SendRefused
from ..playground.send_progress import SendProgress
from ..playground.session import Session
from ..protocols.formats import Format, RouteKind
from .commands import bindings
from .compare_actions import CompareActions
from .guard import guarded
from .startup import StartUp
from .textual_compat import FirstResizeSkipped
from .widgets.frame import PaneFrame
from .widgets.keybar import KeyBar
from .widgets.models import ModelsPane
from .widgets.status import StatusLine
from .workbench_actions import WorkbenchActions

if TYPE_CHECKING:
    from textual.widgets import TabbedContent

    from ..client.events import Exchange
    from ..client.plan import Plan
    from ..protocols.errors import ApiError
    from .draft_keeper import DraftKeeper
    from .send_flow import AnswerSink, SendFlow
    from .widgets.errors import ErrorPane
    from .widgets.params_form import ParamsForm
    from .widgets.payloads import PayloadsPane
    from .widgets.request_editor import RequestEditor
    from .widgets.response import ResponsePane
    from .widgets.route_picker import RoutePicker


#: Actions that work before the panes are mounted (the rest need them: see `check_action`).
EARLY_ACTIONS = frozenset({("focus_pane", ("models",)), ("help", ()), ("reload_models", ())})


def width_classes(width: int, breakpoints: list[tuple[int, str]]) -> list[str]:
    """The breakpoint class Textual gives a screen this wide: the widest breakpoint it reaches."""
    reached = [b for b in breakpoints if width >= b[0]]
    return [max(reached)[1]] if reached else []


class PlaygroundScreen(CompareActions, WorkbenchActions, FirstResizeSkipped):
    BINDINGS: ClassVar[list[BindingType]] = [*bindings()]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide"), (160, "-huge")]  # noqa: RUF012 - Textual's
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]  # noqa: RUF012 - own declarations
    #: The keys and the status line stay on screen while a pane is maximized (Textual's default
    #: names its own Footer).
    ALLOW_IN_MAXIMIZED_VIEW = "KeyBar, StatusLine"

    def __init__(
        self,
        session: Session,
        *,
        fixed_timings: bool = False,
        cursor_blink: bool = True,
        freeze_heap: bool = False,
        keep_draft: bool = False,
    ) -> None:
        super().__init__()
        self.session = session
        self.keep_draft = keep_draft
        #: Set once the draft is opened (`open_draft`, after the first paint).
        self.draft: DraftKeeper | None = None
        self.fixed_timings = fixed_timings
        self.start_up = StartUp(self, cursor_blink=cursor_blink, freeze_heap=freeze_heap)
        #: Set once the panes have replaced their frames (`mount_panes`).
        self.panes_ready = False
        self.view_as: Format | None = None
        self.current_flow: SendFlow | None = None
        # Start with the class the width calls for: Textual sets it on the first Resize, and a
        # class change then restyles every widget on the screen once more (~30 ms of start-up).
        self.add_class(*width_classes(self.app.size.width, self.HORIZONTAL_BREAKPOINTS))
        self.add_class(*width_classes(self.app.size.height, self.VERTICAL_BREAKPOINTS))

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="body"):
            with Vertical(id="left"):
                # A list the command line's prefetch already has is composed in: the first paint shows it.
                prefetched = self.session.prefetched_models()
                yield ModelsPane(
                    id="models",
                    models=self.session.filter_models("") if prefetched is not None else None,
                    current=self.session.model,
                )
                yield PaneFrame("Format & route", id="route")
            with Vertical(id="main"):
                with Horizontal(id="top"):
                    yield PaneFrame("Request", id="editor")
                    yield PaneFrame("Parameters", id="params")
                with Horizontal(id="bottom"):
                    yield PaneFrame("Response", id="response")
                    yield PaneFrame("", id="inspector")
        yield StatusLine(fixed_timings=self.fixed_timings, id="status")
        yield KeyBar()

    # ------------------------------------------------------------------ typed accessors

    @property
    def editor(self) -> RequestEditor:
        return cast("RequestEditor", self.query_one("#editor"))

    @property
    def response(self) -> ResponsePane:
        return cast("ResponsePane", self.query_one("#response"))

    @property
    def errors(self) -> ErrorPane:
        return cast("ErrorPane", self.query_one("#error-pane"))

    @property
    def status(self) -> StatusLine:
        return self.query_one(StatusLine)

    @property
    def inspector(self) -> TabbedContent:
        return cast("TabbedContent", self.query_one("#inspector"))

    # ------------------------------------------------------------------ start-up

    @guarded
    def on_mount(self) -> None:
        self.start_up.mounted()

    def first_frame_shown(self) -> None:
        """Called by the app on Textual's Ready event (startup.py)."""
        self.start_up.first_frame_shown()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Until the panes are mounted, their actions show disabled (None) and do not run."""
        if self.panes_ready or (action, parameters) in EARLY_ACTIONS:
            return True
        return None

    async def mount_panes(self) -> None:
        """Replace the frames with the panes (once): startup.py."""
        await self.start_up.mount_panes()

    @work(exclusive=True, group="models", exit_on_error=False)
    async def prepare(self, *, loaded: bool = False) -> None:
        """Load the models (unless `loaded`), then put the panes in their frames' places
        (startup.py); "Reload models" and a new endpoint run it again."""
        await self.start_up.run(loaded=loaded)

    def _show_models(self) -> None:
        pane = self.query_one(ModelsPane)
        shown = self.session.filter_models(pane.filter_input.value)
        pane.show_models(shown, self.session.model, len(self.session.models), self.session.model_sort)

    # ------------------------------------------------------------------ state -> panes

    def refresh_state(self, *, params: bool = False, payloads: bool = True) -> None:
        if self.draft is not None:  # first: whatever fails below, the change is kept
            self.draft.changed(self)
        session = self.session
        route = session.route
        plan = session.preview()
        url = (
            session.endpoint.shown(plan.url)
            if session.endpoint is not None and not isinstance(plan, str)
            else ""
        )
        if not route.available:
            plan = ""  # the flag says why the route does not exist: once, not twice
        cast("RoutePicker", self.query_one("#route")).show(
            session.format, session.route_kind, plan, session.route_problem(), not route.available, url
        )
        if params:
            form = cast("ParamsForm", self.query_one("#params"))
            if session.request_body() is None:
                form.show_stale()  # the last valid values stay, marked: nothing was lost
            else:
                form.show(session.params())
        if payloads:
            cast("PayloadsPane", self.query_one("#payloads-pane")).show(
                session.payloads(self.view_as), session.format
            )

    def _load_request(self) -> None:
        self.editor.load(self.session.request_text)
        self.check_request()

    # ------------------------------------------------------------------ pane messages

    @on(ModelsPane.FilterChanged)
    @guarded
    def _filter_models(self, event: ModelsPane.FilterChanged) -> None:
        self._show_models()

    @on(ModelsPane.Chosen)
    @guarded
    def _model_chosen(self, event: ModelsPane.Chosen) -> None:
        self.choose_model(event.model_id)

    def choose_model(self, model_id: str) -> None:
        """The model goes into the request; a better route is proposed (one key), not taken."""
        suggested = self.session.choose_model(model_id)
        self._load_request()
        self._show_models()
        self.refresh_state(params=True)
        if suggested.kind is not self.session.route_kind:
            key = "ctrl+g" if suggested.kind is RouteKind.CONVERTER else "ctrl+r"
            problem = self.session.route_problem()
            self.notify(
                f"{problem or model_id + ' is native to this format.'} Press {key} for the "
                f"{suggested.kind.value} route.",
                title="Route",
                severity="warning" if problem else "information",
            )

    # The panes' messages are handled by name (on_<pane>_<message>), so this module need not
    # import the pane modules, which load only with the panes.
    @guarded
    def on_route_picker_changed(self, event: RoutePicker.Changed) -> None:
        if event.format is not None:
            self.switch_format(event.format)
        if event.kind is not None:
            self.session.set_route(event.kind)
            self.refresh_state()

    @guarded
    def on_request_editor_edited(self, event: RequestEditor.Edited) -> None:
        self.check_request(event.text)
        self.refresh_state(params=True)

    @guarded
    def on_params_form_changed(self, event: ParamsForm.Changed) -> None:
        try:
            self.session.set_param(event.param, event.value)
        except SendRefused as exc:
            self.notify(str(exc), severity="warning")
            return
        self._load_request()
        self.refresh_state()

    @guarded
    def on_payloads_pane_view_as(self, event: PayloadsPane.ViewAs) -> None:
        self.view_as = event.format
        self.refresh_state()

    # ------------------------------------------------------------------ sending

    @guarded
    def action_send(self) -> None:
        if not isinstance(self.app.screen, PlaygroundScreen):
            raise SkipAction()
        self.check_request(self.editor.flush())
        try:
            plan = self.session.plan()
        except SendRefused as exc:
            self.errors.show_problem("Not sent", str(exc))
            self.status.show(SendProgress(state="not sent"))  # not the last send's figures
            self.show_inspector("error")
            self.notify(str(exc), title="Not sent", severity="error")
            return
        self.run_send(plan)

    def action_retry_now(self) -> None:
        plan = self.session.last_plan()
        if plan is None:
            self.notify("Nothing was sent yet.", title="Retry now", severity="warning")
            return
        self.run_send(plan)

    def action_toggle_auto_retry(self) -> None:
        self.session.auto_retry = not self.session.auto_retry
        self.notify(
            "Failed calls are retried (429, 529, 5xx), waiting as the server says."
            if self.session.auto_retry
            else "Failed calls are shown as they are; alt+r retries by hand.",
            title=f"Automatic retry {'on' if self.session.auto_retry else 'off'}",
        )

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

    # What a send shows (send_flow.SendView) -------------------------------------------------------

    async def begin(self, progress: SendProgress) -> AnswerSink:
        response = self.response
        await response.begin()
        self.errors.clear()
        self.status.show(progress)
        return response

    def show_progress(self, progress: SendProgress, *, head: bool = False) -> None:
        self.status.show(progress)
        if head:
            self._tick_rate_limits()

    def failure(self, error: ApiError, after_status: int | None) -> None:
        self.errors.show_error(error, after_status)
        self.show_inspector("error")

    def retrying(self, attempt: int, delay: float, error: ApiError) -> None:
        self.notify(
            f"Attempt {attempt} failed ({error.message}); retrying in {delay:.1f} s.",
            title="Retrying",
            severity="warning",
        )

    async def finish(self, progress: SendProgress, note: str | None) -> None:
        if progress.state == "done":
            self.errors.clear(progress.status)
            if self.inspector.active == "error":
                self.inspector.active = "payloads"  # "No error." is no news after a success
        await self.response.finish(note)
        exchange: Exchange | None = self.session.exchange
        if exchange is not None:
            await self.keep_in_history(exchange, progress.cost)
        self.status.show(progress)
        self.refresh_state()
        self._tick_rate_limits()

    def _tick_rate_limits(self) -> None:
        from .widgets.ratelimits import RateLimitsPane  # a pane module: loaded with the panes

        self.query_one(RateLimitsPane).tick()

    @property
    def sending(self) -> bool:
        return self.current_flow is not None and self.current_flow.running

    @guarded
    def action_cancel(self) -> None:
        if not self.sending or self.app.screen is not self:
            raise SkipAction()
        self.workers.cancel_group(self, "send")

    @on(Worker.StateChanged)
    @guarded
    async def _worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            await self.mount_panes()  # a start-up that failed still gets its panes, to say why
            error = event.worker.error or RuntimeError("the worker failed without an exception")
            # Failures the client and the server can cause arrive as events (Failure), and the
            # models' fetch catches its own: an exception out of a worker is a bug of ours.
            what = "sending" if event.worker.group == "send" else "loading the models"
            self.show_bug(error, what)
            if event.worker.group == "models":
                self.query_one(ModelsPane).show_error(str(error) or type(error).__name__)
