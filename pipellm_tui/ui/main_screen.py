"""The playground's one main screen: the panes, their wiring to the session, and the actions.

Layout: models and route on the left; request editor and parameters on top; the response and a
shared "Payloads / Limits / Error" inspector below; the status line and footer at the bottom.
Widgets post messages; this screen asks the session (the state) and pushes results back to the
panes. A worker's failure (sending, the models) goes to the error pane as a bug of ours, never to
the screen as a traceback.

The screen is built in layers, each using only what the ones below it declare (mypy checks every
use): screen_core.py (state, panes, `refresh_state`), screen_actions.py and send_actions.py on it,
workbench_actions.py on both, compare_actions.py on the core; this class puts them together with
the layout, the start-up and the panes' messages.

Start-up comes in two steps (startup.py): the first paint holds the model list and a titled frame
for every other pane; once the list is on screen the panes take their frames' places. Until they
have, the actions that need those panes are shown disabled (`check_action`). Must not import httpx2
or the pane modules that panes.py imports.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.worker import Worker, WorkerState

from ..playground.request_draft import SendRefused
from .commands import bindings
from .compare_actions import CompareActions
from .guard import guarded
from .widgets.frame import PaneFrame
from .widgets.keybar import KeyBar
from .widgets.models import ModelsPane
from .widgets.status import StatusLine
from .widgets.title_bar import TitleBar
from .workbench_actions import WorkbenchActions

if TYPE_CHECKING:
    from .widgets.params_form import ParamsForm
    from .widgets.payloads import PayloadsPane
    from .widgets.request_editor import RequestEditor
    from .widgets.route_picker import RoutePicker


#: Actions that work before the panes are mounted (the rest need them: see `check_action`).
EARLY_ACTIONS = frozenset({("focus_pane", ("models",)), ("help", ()), ("reload_models", ())})


class PlaygroundScreen(CompareActions, WorkbenchActions):
    BINDINGS: ClassVar[list[BindingType]] = [*bindings()]
    #: The keys and the status line stay on screen while a pane is maximized (Textual's default
    #: names its own Footer).
    ALLOW_IN_MAXIMIZED_VIEW = "KeyBar, StatusLine"

    def compose(self) -> ComposeResult:
        yield TitleBar()
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

    # ------------------------------------------------------------------ pane messages

    @on(ModelsPane.FilterChanged)
    @guarded
    def _filter_models(self, event: ModelsPane.FilterChanged) -> None:
        self._show_models()

    @on(ModelsPane.Chosen)
    @guarded
    def _model_chosen(self, event: ModelsPane.Chosen) -> None:
        self.choose_model(event.model_id)

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
