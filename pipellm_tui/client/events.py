"""What a call yields: one sequence of events for streaming and non-streaming calls alike.

Order of a successful call: `Head`, then (streams) any number of `RawEvent` and `Delta`, then
`FinalBody`, `UsageReport` (when usage is known), `Timings`, and last `Done` carrying the `Exchange`.
A failed call yields `Head` when a response arrived, then `Failure`, then `Timings` and `Done`.
A stream that completed but had unreadable events yields `FinalBody`, `UsageReport`, then a
`Failure` of type `malformed_event`, `Timings`, `Done`. With a retry policy, each attempt that will
be retried yields one `Retrying` (and no `Head`) before the next attempt starts.
Cancelling (cancel the task iterating the call, or `aclose()` it) ends the sequence at once with no
`Done`; the call's live `exchange` then says `cancelled=True` and keeps what arrived.

Must not import Textual.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeAlias

from ..protocols import ir
from ..protocols.errors import ApiError
from ..protocols.ratelimits import RateLimits
from ..protocols.sse import SSEEvent
from .plan import Plan

#: The deltas that count as "the first token" for TTFT: anything the model produced.
FIRST_TOKEN_EVENTS = frozenset(
    {ir.TextDelta, ir.ThinkingDelta, ir.ToolCallStart, ir.ToolCallDelta, ir.RefusalDelta}
)
#: The shortest span a tokens/s figure is measured over: over less, a 22-token answer whose tokens
#: came in one network chunk read 35,401 tok/s (the time between its first and last token ~0).
MIN_RATE_SECONDS = 0.25


@dataclass(frozen=True, slots=True)
class Head:
    status: int
    headers: dict[str, str]
    #: Seconds from sending to the response head.
    ttfb: float
    rate_limits: RateLimits


# RawEvent and Delta are made once per stream event, on the hot path: not frozen, because a frozen
# dataclass's __init__ costs three times as much (0.9 µs against 0.3). Treat them as read-only.
@dataclass(slots=True)
class RawEvent:
    """One SSE event exactly as it arrived, and when (seconds since sending)."""

    sse: SSEEvent
    at: float


@dataclass(slots=True)
class Delta:
    """A neutral stream event (text, thinking, tool call start/argument delta, finish, ...)."""

    event: ir.StreamEvent
    at: float


@dataclass(frozen=True, slots=True)
class FinalBody:
    """The whole answer in the request format's non-streaming shape (assembled for streams)."""

    body: dict[str, Any]
    response: ir.Response


@dataclass(frozen=True, slots=True)
class UsageReport:
    usage: ir.Usage


@dataclass(frozen=True, slots=True)
class Timings:
    #: Seconds to the first text/thinking/tool delta (None when nothing arrived).
    ttft: float | None
    total: float
    #: Output tokens per second over the generation time (None when unknown).
    tokens_per_second: float | None


@dataclass(frozen=True, slots=True)
class Failure:
    error: ApiError


@dataclass(frozen=True, slots=True)
class Retrying:
    """An attempt failed with a retryable error; the next one starts after `delay` seconds."""

    #: The 1-based number of the attempt that failed.
    attempt: int
    delay: float
    error: ApiError
    #: The failed attempt's rate-limit headers (None when no response arrived).
    rate_limits: RateLimits | None = None


@dataclass(slots=True)
class Exchange:
    """The record of one finished call: what history and export keep. Never holds the API key."""

    plan: Plan
    status: int | None = None
    response_headers: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] | None = None
    raw_events: list[SSEEvent] = field(default_factory=list)
    response: ir.Response | None = None
    usage: ir.Usage | None = None
    timings: Timings | None = None
    rate_limits: RateLimits | None = None
    error: ApiError | None = None
    cancelled: bool = False
    #: Retries made before this final attempt (429/529/5xx with a retry policy).
    retries: int = 0
    #: What the client noticed while reading the answer (e.g. a second candidate it ignored).
    warnings: list[str] = field(default_factory=list)
    #: Stream events the client could not use and dropped (unknown types, ill-typed or unreadable
    #: data); `warnings` says why. The answer may be missing what they carried.
    skipped_events: int = 0


@dataclass(frozen=True, slots=True)
class Done:
    exchange: Exchange


ClientEvent: TypeAlias = (
    Head | RawEvent | Delta | FinalBody | UsageReport | Timings | Failure | Retrying | Done
)
