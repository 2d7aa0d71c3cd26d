"""How one send is going, as the status line shows it: state, HTTP status, time to first token (set
at the first token, not only at the end), total time, tokens/s, usage, cost, the session's running
cost and the rate-limit window. A pure reducer: `take` folds the client's events in one by one and
says when the change is worth showing now; `finish` adds what the session knows once it is over.

The UI's send loop (ui/send_flow.py) feeds it and the status line (ui/widgets/status.py) renders
it; tests drive it with client events, without Textual. Must not import Textual, and imports the
client's events lazily: the status line is on the first screen, the IR loads after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..client.events import ClientEvent
    from ..protocols import ir
    from ..protocols.ratelimits import RateLimits


@dataclass(slots=True)
class SendProgress:
    state: str = "ready"
    status: int | None = None
    ttft: float | None = None
    total: float | None = None
    tokens_per_second: float | None = None
    usage: ir.Usage | None = None
    cost: float | None = None
    #: What this session's calls have cost so far (the running total).
    session_cost: float | None = None
    #: Requests left in the rate-limit window, its size, and seconds to its reset.
    remaining: int | None = None
    limit: int | None = None
    reset_in: float | None = None
    #: A Failure event came (the send ends "failed").
    failed: bool = False

    def take(self, event: ClientEvent, *, streaming: bool) -> bool:
        """Fold in one client event (`streaming`: the plan asked for a stream); True when the change
        should be shown now (the status, the first token, a retry), False when it can wait for the
        end (usage, timings) or changed nothing the line shows."""
        from ..client.events import FIRST_TOKEN_EVENTS, Delta, Failure, Head, Retrying, Timings, UsageReport

        if isinstance(event, Delta):
            if self.ttft is None and type(event.event) in FIRST_TOKEN_EVENTS:
                self.ttft = event.at  # shown now, not only when the answer ends
                return True
            return False
        if isinstance(event, Head):
            self.status = event.status
            self.state = "streaming" if streaming and event.status < 400 else "receiving"
            return True
        if isinstance(event, UsageReport):
            self.usage = event.usage
        elif isinstance(event, Timings):
            self.ttft = event.ttft
            self.total = event.total
            self.tokens_per_second = event.tokens_per_second
        elif isinstance(event, Failure):
            self.failed = True
        elif isinstance(event, Retrying):
            self.state = f"attempt {event.attempt + 1} in {event.delay:.0f}s"
            return True
        return False

    def finish(
        self,
        state: str,
        cost: float | None,
        spent: float,
        rate_limits: RateLimits | None,
        reset_in: float | None,
    ) -> None:
        """The send is over (`state`: done, failed, cancelled): its cost, the session's running
        total (`spent`; nothing spent shows as none) and the rate-limit window as last seen."""
        self.state = state
        self.cost = cost
        self.session_cost = spent or None
        if rate_limits is not None:
            self.remaining = rate_limits.remaining
            self.limit = rate_limits.limit
            self.reset_in = reset_in
