"""The main screen's core: its state (the session, the draft, whether the panes are up, the format
the payloads are viewed as), typed access to its panes, and the one way state reaches them
(`refresh_state`, `check_request`, the model list). Every action layer of the screen builds on it
(screen_actions.py, send_actions.py, workbench_actions.py, compare_actions.py; main_screen.py puts
them together), so each uses only members declared below it and mypy checks every use.
Must not import httpx2 or the pane modules that panes.py imports.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import work

from ..playground.session import Session
from .startup import StartUp
from .textual_compat import FirstResizeSkipped
from .widgets.models import ModelsPane
from .widgets.status import StatusLine

if TYPE_CHECKING:
    from ..protocols.formats import Format
    from ..protocols.problems import Issue
    from .draft_keeper import DraftKeeper
    from .widgets.errors import ErrorPane
    from .widgets.params_form import ParamsForm
    from .widgets.payloads import PayloadsPane
    from .widgets.request_editor import RequestEditor
    from .widgets.response import ResponsePane
    from .widgets.route_picker import RoutePicker
    from .widgets.tabs import TabbedPanes


def width_classes(width: int, breakpoints: list[tuple[int, str]]) -> list[str]:
    """The breakpoint class Textual gives a screen this wide: the widest breakpoint it reaches."""
    reached = [b for b in breakpoints if width >= b[0]]
    return [max(reached)[1]] if reached else []


class ScreenCore(FirstResizeSkipped):
    """The state and the panes every layer of the main screen reads (see the module's docstring)."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide"), (160, "-huge")]  # noqa: RUF012 - Textual's
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]  # noqa: RUF012 - own declarations

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
        # Start with the class the width calls for: Textual sets it on the first Resize, and a
        # class change then restyles every widget on the screen once more (~30 ms of start-up).
        self.add_class(*width_classes(self.app.size.width, self.HORIZONTAL_BREAKPOINTS))
        self.add_class(*width_classes(self.app.size.height, self.VERTICAL_BREAKPOINTS))

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
    def inspector(self) -> TabbedPanes:
        return cast("TabbedPanes", self.query_one("#inspector"))

    # ------------------------------------------------------------------ models

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

    def open_draft(self) -> None:
        """Open the kept draft (once, when the app keeps one): after the first paint, off its path,
        and before the panes that show it are built. The model list then marks its model."""
        if not self.keep_draft or self.draft is not None:
            return
        from ..store.draft import draft_path
        from .draft_keeper import DraftKeeper

        self.draft = DraftKeeper(self.session, draft_path(), self._warn_about_draft)
        shown_model = self.session.model
        problem = self.draft.restore()
        if problem is not None:
            self._warn_about_draft(problem)
        if self.session.models and self.session.model != shown_model:
            self._show_models()  # the list marks the draft's model (rebuilt, and drawn again, only then)

    def _warn_about_draft(self, message: str) -> None:
        self.notify(message, title="Draft", severity="warning", timeout=15)

    def check_request(self, text: str | None = None) -> Issue | None:
        """Validate the request (taking `text` first, when given) and show the verdict. The draft
        is kept first: a check that fails with a bug (guard.py reports it) leaves the text kept
        and "not checked" on the editor, not the last verdict."""
        self.editor.show_unchecked()
        try:
            issue = self.session.validate() if text is None else self.session.set_request_text(text)
        finally:
            if self.draft is not None:
                self.draft.changed(self)
        self.editor.show_problem(issue)
        return issue

    def show_inspector(self, tab: str) -> None:
        self.inspector.active = tab
        self.query_one("#bottom").add_class("-inspecting")

