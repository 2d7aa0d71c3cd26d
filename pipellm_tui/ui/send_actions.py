"""The main screen's sending: the send action (ctrl+j), a retry now, automatic retry on or off,
cancelling, the exclusive worker that runs one `SendFlow` (send_flow.py), and what a send shows on
the screen (the flow's `SendView`: the answer, the status line, the error pane, the rate limits).
Each send that ends is kept in the history (the app's `Workbench`), off the UI thread. Must not
import httpx2; send_flow.py (and the client) loads with the first send.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from textual import work
from textual.actions import SkipAction

from ..playground.request_draft import SendRefused
from ..playground.send_progress import SendProgress
from .guard import guarded
from .screen_core import ScreenCore
from .workbench import Workbench

if TYPE_CHECKING:
    from ..client.events import Exchange
    from ..client.plan import Plan
    from ..protocols.errors import ApiError
    from .send_flow import AnswerSink, SendFlow


class SendActions(ScreenCore):
    #: The newest send's flow: only it may touch the panes or say whether a send is running.
    current_flow: SendFlow | None = None

    @guarded
    def action_send(self) -> None:
        if not isinstance(self.app.screen, SendActions):
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

    @property
    def workbench(self) -> Workbench:
        """The app's history, saved requests and profiles (loaded here when the app has none)."""
        app: Any = self.app
        bench: Workbench | None = getattr(app, "workbench", None)
        if bench is None:
            bench = app.workbench = Workbench.load()
        return bench

    async def keep_in_history(self, exchange: Exchange, cost: float | None) -> None:
        """After every send (SendFlow): into history, off the UI thread; a failure is said, not raised."""
        try:
            await asyncio.to_thread(self.workbench.record, exchange, cost)
        except Exception as exc:  # noqa: BLE001 - a full disk or a locked file must not end the send
            self.notify(f"Not kept in history: {exc}", title="History", severity="warning")
        error = exchange.error
        target = self.session.endpoint.target if self.session.endpoint is not None else None
        if error is not None and target is not None and target.advice(error) != error.advice:
            self.notify(target.advice(error), title="What next", severity="warning")
