"""One send, from the first event to the last: routes each client event to the pane that shows it.

Kept apart from the screen so the event-to-pane mapping reads in one place. The loop only queues
text and raw events (the response pane flushes them every ~40 ms), so a fast stream never blocks the
keyboard. While it runs, Python's full garbage collections wait (garbage.py).
Must not import httpx2.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

from ..client.events import (
    FIRST_TOKEN_EVENTS,
    Delta,
    Done,
    Failure,
    FinalBody,
    Head,
    RawEvent,
    Retrying,
    Timings,
    UsageReport,
)
from ..protocols import ir
from .garbage import full_collections_deferred
from .widgets.ratelimits import RateLimitsPane
from .widgets.status import StatusFacts

if TYPE_CHECKING:
    from ..client.plan import Plan
    from .main_screen import PlaygroundScreen


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
    def __init__(self, screen: PlaygroundScreen, plan: Plan) -> None:
        self.screen = screen
        self.plan = plan
        self.facts = StatusFacts(state="sending")
        self.saw_delta = False
        self.failed = False
        self.running = True

    async def run(self) -> None:
        with full_collections_deferred():
            await self._run()

    async def _run(self) -> None:
        screen, response = self.screen, self.screen.response
        await response.begin()
        screen.errors.clear()
        screen.status.show(self.facts)
        turn_ends = time.perf_counter() + TURN_SECONDS
        async for event in screen.session.send(self.plan):
            if time.perf_counter() > turn_ends:
                # A fast stream delivers a whole network chunk (hundreds of events) without the
                # loop waiting once: give keys and frames their turn (measured: 50-70 ms otherwise).
                await asyncio.sleep(0)
                turn_ends = time.perf_counter() + TURN_SECONDS
            if isinstance(event, RawEvent):
                response.add_raw(event.sse)
            elif isinstance(event, Delta):
                if self.facts.ttft is None and type(event.event) in FIRST_TOKEN_EVENTS:
                    self.facts.ttft = event.at  # shown now, not only when the answer ends
                    screen.status.show(self.facts)
                self.saw_delta = True
                response.add_delta(event.event)
            elif isinstance(event, Head):
                self.facts.status = event.status
                self.facts.state = "streaming" if self.plan.stream and event.status < 400 else "receiving"
                response.set_headers(event.status, event.headers)
                screen.status.show(self.facts)
                screen.query_one(RateLimitsPane).tick()
            elif isinstance(event, FinalBody):
                response.set_final(event.body)
                if not self.saw_delta:
                    response.add_text(response_markdown(event.response))
            elif isinstance(event, UsageReport):
                self.facts.usage = event.usage
            elif isinstance(event, Timings):
                self.facts.ttft = event.ttft
                self.facts.total = event.total
                self.facts.tokens_per_second = event.tokens_per_second
            elif isinstance(event, Failure):
                self.failed = True
                # An error with no status of its own that came inside a successful response (an
                # error event in a 200 stream, a malformed body) is said to have come after that 200.
                status = self.facts.status
                screen.errors.show_error(event.error, status if status is not None and status < 400 else None)
                screen.show_inspector("error")
                if event.error.raw:
                    response.set_error_body(event.error.raw)
            elif isinstance(event, Retrying):
                self.facts.state = f"attempt {event.attempt + 1} in {event.delay:.0f}s"
                screen.status.show(self.facts)
                screen.notify(
                    f"Attempt {event.attempt} failed ({event.error.message}); retrying in {event.delay:.1f} s.",
                    title="Retrying",
                    severity="warning",
                )
            elif isinstance(event, Done):
                pass
        self.facts.state = "failed" if self.failed else "done"
        if not self.failed:
            screen.errors.clear(self.facts.status)
            if screen.inspector.active == "error":
                screen.inspector.active = "payloads"  # "No error." is no news after a success
        note = None
        if self.failed and screen.session.error is not None:
            error = screen.session.error
            note = (
                f"failed: {f'HTTP {error.status}' if error.status else error.type} (details in the Error tab)"
            )
        await self._finish(note)

    async def cancelled(self) -> None:
        """After a cancel: keep what arrived, say so."""
        self.facts.state = "cancelled"
        await self._finish("cancelled: the partial answer is kept")

    async def _finish(self, note: str | None) -> None:
        screen = self.screen
        session = screen.session
        self.facts.cost = session.cost()
        self.facts.session_cost = session.spent or None
        if session.rate_limits is not None:
            self.facts.remaining = session.rate_limits.remaining
            self.facts.limit = session.rate_limits.limit
            self.facts.reset_in = session.seconds_until_reset()
        await screen.response.finish(note)
        if session.exchange is not None:
            await screen.keep_in_history(session.exchange, self.facts.cost)
        screen.status.show(self.facts)
        screen.refresh_state()
        screen.query_one(RateLimitsPane).tick()
