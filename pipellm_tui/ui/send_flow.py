"""One send, from the first event to the last: routes each client event to what shows it.

The flow knows its view only through two small protocols, which the main screen implements:
`SendView` (begin, progress, failure, retrying, finish) and the `AnswerSink` that `begin` returns
(the response pane: raw events, deltas, headers, the final body). The figures of the status line are
folded by `playground.send_progress.SendProgress`, a reducer tested without Textual. The loop only
queues text and raw events (the response pane flushes them every ~40 ms), so a fast stream never
blocks the keyboard. While it runs, Python's full garbage collections wait (garbage.py).
Must not import httpx2.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any, Protocol

from ..client.events import Delta, FinalBody, Head, RawEvent, Retrying
from ..client.events import Failure as FailureEvent
from ..playground.send_progress import SendProgress
from ..protocols import ir
from .garbage import full_collections_deferred

if TYPE_CHECKING:
    from ..client.plan import Plan
    from ..playground.session import Session
    from ..protocols.errors import ApiError
    from ..protocols.sse import SSEEvent


class AnswerSink(Protocol):
    """Where the answer goes as it arrives (the response pane)."""

    def add_raw(self, event: SSEEvent) -> None: ...

    def add_delta(self, event: ir.StreamEvent) -> None: ...

    def add_text(self, text: str) -> None: ...

    def set_headers(self, status: int, headers: dict[str, str]) -> None: ...

    def set_final(self, body: Any) -> None: ...

    def set_error_body(self, raw: str) -> None: ...


class SendView(Protocol):
    """What a send shows, and where (the main screen)."""

    @property
    def session(self) -> Session: ...

    async def begin(self, progress: SendProgress) -> AnswerSink:
        """A new send: the answer and the error cleared, the progress shown; the answer's sink."""
        ...

    def show_progress(self, progress: SendProgress, *, head: bool = False) -> None:
        """The status line (and, at the response's head, the rate limits) as they now stand."""
        ...

    def failure(self, error: ApiError, after_status: int | None) -> None: ...

    def retrying(self, attempt: int, delay: float, error: ApiError) -> None: ...

    async def finish(self, progress: SendProgress, note: str | None) -> None:
        """The send is over (progress.state says how): the answer closed with `note`, the
        exchange kept in the history, the panes refreshed."""
        ...


def response_markdown(response: ir.Response) -> str:
    """A non-streamed answer as Markdown: text, thinking as a quote, tool calls as JSON blocks."""
    import json

    out: list[str] = []
    for part in response.parts:
        if isinstance(part, (ir.TextPart, ir.RefusalPart)):
            out.append(part.text)
        elif isinstance(part, ir.ThinkingPart) and part.text:
            out.append("> *thinking* " + part.text.replace("\n", "\n> "))
        elif isinstance(part, ir.ToolCallPart):
            args = json.dumps(part.arguments, indent=2, ensure_ascii=False)
            out.append(f"**Tool call** `{part.name}` (id `{part.id}`)\n```json\n{args}\n```")
    return "\n\n".join(out)


#: The longest the send loop handles events before it lets the app's other work run.
TURN_SECONDS = 0.008


class SendFlow:
    def __init__(self, view: SendView, plan: Plan) -> None:
        self.view = view
        self.plan = plan
        self.progress = SendProgress(state="sending")
        self.saw_delta = False
        self.running = True

    async def run(self) -> None:
        with full_collections_deferred():
            await self._run()

    async def _run(self) -> None:
        view, progress, streaming = self.view, self.progress, self.plan.stream
        answer = await view.begin(progress)
        turn_ends = time.perf_counter() + TURN_SECONDS
        async for event in view.session.send(self.plan):
            if time.perf_counter() > turn_ends:
                # A fast stream delivers a whole network chunk (hundreds of events) without the
                # loop waiting once: give keys and frames their turn (measured: 50-70 ms otherwise).
                await asyncio.sleep(0)
                turn_ends = time.perf_counter() + TURN_SECONDS
            if isinstance(event, RawEvent):
                answer.add_raw(event.sse)
                continue
            show = progress.take(event, streaming=streaming)
            if isinstance(event, Delta):
                if show:
                    view.show_progress(progress)
                self.saw_delta = True
                answer.add_delta(event.event)
            elif isinstance(event, Head):
                answer.set_headers(event.status, event.headers)
                view.show_progress(progress, head=True)
            elif isinstance(event, FinalBody):
                answer.set_final(event.body)
                if not self.saw_delta:
                    answer.add_text(response_markdown(event.response))
            elif isinstance(event, FailureEvent):
                # An error with no status of its own that came inside a successful response (an
                # error event in a 200 stream, a malformed body) is said to have come after that 200.
                status = progress.status
                view.failure(event.error, status if status is not None and status < 400 else None)
                if event.error.raw:
                    answer.set_error_body(event.error.raw)
            elif isinstance(event, Retrying):
                view.show_progress(progress)
                view.retrying(event.attempt, event.delay, event.error)
        note = None
        error = view.session.error
        if progress.failed and error is not None:
            note = (
                f"failed: {f'HTTP {error.status}' if error.status else error.type} (details in the Error tab)"
            )
        await self._finish("failed" if progress.failed else "done", note)

    async def cancelled(self) -> None:
        """After a cancel: keep what arrived, say so."""
        await self._finish("cancelled", "cancelled: the partial answer is kept")

    async def _finish(self, state: str, note: str | None) -> None:
        session = self.view.session
        self.progress.finish(
            state, session.cost(), session.spent, session.rate_limits, session.seconds_until_reset()
        )
        await self.view.finish(self.progress, note)
