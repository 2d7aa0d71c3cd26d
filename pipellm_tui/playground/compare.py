"""A comparison: one request on several routes or models at once, each target in its own run.

`Comparison` plans every target through the client (`client.plan`), streams them concurrently,
paced by the live rate limits (`compare_pacing.RateGate`, one per endpoint), and keeps each run's
state in a plain record (`TargetRun`) that both faces read: the TUI renders it, the headless
command prints it. One target's failure (a 402, a 429, a dead server) stays in its own run;
`cancel()` stops them all and keeps what arrived. `repeat=N` runs every target N times, in rounds,
so the report can give p50 / p90.

The whole comparison is one group (`group_id`). Each run that ends is handed to
`on_exchange(record, group_id)`: history can store it as one row of that group.

Must not import Textual; uses the client only through `PlaygroundClient` (imported lazily).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..protocols import ir
from ..protocols.formats import Format
from .compare_pacing import RateGate
from .compare_targets import Payload, Target, payload_for

if TYPE_CHECKING:
    from ..client import PlaygroundClient
    from ..client.events import Exchange
    from ..protocols.errors import ApiError

#: The most requests of one comparison in flight at once (each also waits for the rate limits).
MAX_CONCURRENCY = 8
#: A 429 that pacing could not avoid (another client on the same key) is retried this often.
MAX_RATE_LIMIT_RETRIES = 2

#: The longest one run handles events before it lets the others (and a UI) run (as ui/send_flow.py).
TURN_SECONDS = 0.008

OnExchange = Callable[["TargetRun", str], None]


@dataclass(slots=True)
class TargetRun:
    """One run of one target: the plain record a column shows and history keeps."""

    target: Target
    #: 0-based round (with `repeat`).
    round: int
    payload: Payload
    #: waiting · paced · sending · streaming · done · failed · cancelled · not sent
    state: str = "waiting"
    status: int | None = None
    chunks: list[str] = field(default_factory=list)
    #: When each text chunk arrived, in seconds since the request was sent.
    chunk_times: list[float] = field(default_factory=list)
    ttft: float | None = None
    total: float | None = None
    tokens_per_second: float | None = None
    usage: ir.Usage | None = None
    cost: float | None = None
    stop_reason: ir.StopReason | None = None
    #: The final body in the target's format (the raw stop reason is read from it).
    final_body: dict[str, Any] | None = None
    error: ApiError | None = None
    #: Every status a head came back with (a paced comparison has no 429 here).
    statuses: list[int] = field(default_factory=list)
    #: Bumped on every change, so a view repaints only the runs that changed.
    version: int = 0
    exchange: Exchange | None = None

    @property
    def answer(self) -> str:
        return "".join(self.chunks)

    @property
    def warnings(self) -> list[str]:
        out = list(self.payload.warnings)
        if self.exchange is not None:
            out.extend(self.exchange.warnings)
        return out

    @property
    def failed(self) -> bool:
        return self.state == "failed"

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed", "cancelled", "not sent")

    @property
    def sent_body(self) -> dict[str, Any] | None:
        """The body as it went out (the plan's, after make_plan set the model and stream)."""
        if self.exchange is not None and self.exchange.plan.body is not None:
            return self.exchange.plan.body
        return self.payload.body


@dataclass(slots=True)
class Endpoint:
    base_url: str
    api_key: str = field(repr=False)


class Comparison:
    """Runs `targets` for the request `body` (in `source` format) against `endpoint`."""

    def __init__(
        self,
        client: PlaygroundClient,
        endpoint: Endpoint,
        source: Format,
        body: dict[str, Any],
        targets: list[Target],
        *,
        repeat: int = 1,
        price: Callable[[str, ir.Usage], float | None] | None = None,
        on_exchange: OnExchange | None = None,
        group_id: str | None = None,
    ) -> None:
        self.client = client
        self.endpoint = endpoint
        self.source = Format(source)
        self.body = body
        self.targets = targets
        self.repeat = max(1, repeat)
        self.price = price
        self.on_exchange = on_exchange
        self.group_id = group_id or uuid.uuid4().hex
        payloads = [payload_for(t, self.source, body) for t in targets]
        self.runs: list[TargetRun] = [
            TargetRun(t, r, p) for r in range(self.repeat) for t, p in zip(targets, payloads, strict=True)
        ]
        self._gates: dict[str, RateGate] = {}
        self._tasks: list[asyncio.Task[None]] = []
        #: Runs reading a response now (they share one turn of the event loop).
        self._streaming = 0
        self.cancelled = False

    # ------------------------------------------------------------------ reading

    def latest(self) -> list[TargetRun]:
        """Per target, its newest run that has started (or its first): what a column shows."""
        out = []
        for index in range(len(self.targets)):
            runs = self.runs[index :: len(self.targets)]
            started = [r for r in runs if r.state != "waiting"]
            out.append(started[-1] if started else runs[0])
        return out

    def runs_of(self, index: int) -> list[TargetRun]:
        return self.runs[index :: len(self.targets)]

    @property
    def finished(self) -> bool:
        return all(r.finished for r in self.runs)

    @property
    def any_failed(self) -> bool:
        return any(r.failed for r in self.runs)

    @property
    def paced(self) -> int:
        """How many requests waited for the rate limits."""
        return sum(g.waits for g in self._gates.values())

    # ------------------------------------------------------------------ running

    async def run(self) -> None:
        """Run every round; returns when all runs ended (or the comparison was cancelled)."""
        limit = asyncio.Semaphore(MAX_CONCURRENCY)
        try:
            for round_ in range(self.repeat):
                runs = [r for r in self.runs if r.round == round_]
                self._tasks = [asyncio.ensure_future(self._run_one(run, limit)) for run in runs]
                await asyncio.gather(*self._tasks, return_exceptions=True)
                if self.cancelled:
                    break
        finally:
            self._mark_cancelled()

    def cancel(self) -> None:
        """Stop every run; what arrived stays (Esc in the TUI, Ctrl+C headless)."""
        self.cancelled = True
        for task in self._tasks:
            task.cancel()

    def _mark_cancelled(self) -> None:
        for run in self.runs:
            if not run.finished:
                run.state = "cancelled"
                run.version += 1

    def _turn(self) -> float:
        return TURN_SECONDS / max(1, self._streaming)

    def _gate(self, base_url: str) -> RateGate:
        gate = self._gates.get(base_url)
        if gate is None:
            gate = self._gates[base_url] = RateGate()
        return gate

    async def _run_one(self, run: TargetRun, limit: asyncio.Semaphore) -> None:
        if run.payload.body is None:
            run.state = "not sent"
            run.version += 1
            return
        from ..client.plan import PlanError

        base_url = run.target.base_url or self.endpoint.base_url
        try:
            plan = self.client.plan(
                base_url,
                self.endpoint.api_key,
                run.target.format,
                run.target.kind,
                run.target.model,
                run.payload.body,
                run.target.extra_headers or None,
            )
        except PlanError as exc:
            run.state = "not sent"
            run.payload.problem = str(exc)
            run.version += 1
            return
        try:
            async with limit:
                for _attempt in range(MAX_RATE_LIMIT_RETRIES + 1):
                    if not await self._attempt(run, plan, self._gate(base_url)):
                        break
        except asyncio.CancelledError:
            run.state = "cancelled"
            run.version += 1
            raise
        finally:
            if run.finished and self.on_exchange is not None:
                self.on_exchange(run, self.group_id)

    async def _attempt(self, run: TargetRun, plan: Any, gate: RateGate) -> bool:
        """One send of `run`; True when it met a 429 that should be tried again."""
        from ..client.events import Delta, Done, Failure, FinalBody, Head, Timings, UsageReport

        run.state = "paced"
        run.version += 1
        await gate.acquire()
        observed = False
        run.state, run.chunks, run.chunk_times, run.error = "sending", [], [], None
        run.ttft = run.total = run.tokens_per_second = None
        run.version += 1
        call = self.client.send(plan)
        run.exchange = call.exchange
        turn_ends = time.perf_counter() + self._turn()
        self._streaming += 1
        try:
            async for event in call:
                if time.perf_counter() > turn_ends:
                    # A fast stream hands over a whole network chunk (hundreds of events) without
                    # waiting once: let the other runs, and a UI's keys and frames, have a turn.
                    # The runs share one turn, so four streams hold the loop no longer than one.
                    await asyncio.sleep(0)
                    turn_ends = time.perf_counter() + self._turn()
                if isinstance(event, Delta):
                    if isinstance(event.event, ir.TextDelta):
                        run.chunks.append(event.event.text)
                        run.chunk_times.append(event.at)
                        if run.ttft is None:
                            run.ttft = event.at
                    elif isinstance(event.event, ir.StreamFinish):
                        run.stop_reason = event.event.stop_reason
                elif isinstance(event, Head):
                    observed = True
                    await gate.observe(event.rate_limits)
                    run.status = event.status
                    run.statuses.append(event.status)
                    run.state = "streaming" if event.status < 400 else "failed"
                elif isinstance(event, FinalBody):
                    run.final_body = event.body
                    if not run.chunks and event.response.text:
                        run.chunks.append(event.response.text)
                    if event.response.candidates and event.response.candidates[0].stop_reason:
                        run.stop_reason = event.response.candidates[0].stop_reason
                elif isinstance(event, UsageReport):
                    run.usage = event.usage
                    if self.price is not None:
                        run.cost = self.price(run.target.model, event.usage)
                elif isinstance(event, Timings):
                    run.ttft = event.ttft if event.ttft is not None else run.ttft
                    run.total = event.total
                    run.tokens_per_second = event.tokens_per_second
                elif isinstance(event, Failure):
                    run.error = event.error
                    run.state = "failed"
                elif isinstance(event, Done) and run.state != "failed":
                    run.state = "done"
                run.version += 1
        finally:
            self._streaming -= 1
            await call.aclose()
            if not observed:
                await gate.release()
        # A 429 pacing could not prevent (another client shares the key): the gate has closed for
        # Retry-After, and this run tries again once it opens.
        return run.status == 429 and run.error is not None
