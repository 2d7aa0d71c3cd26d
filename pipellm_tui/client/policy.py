"""How patient the client is: timeouts, and when and how long to wait before trying a call again.

Owns the retry rules (which failures are worth another attempt, and the delay before it); the
sending itself lives in `playground.py`. Pure values and arithmetic: no I/O, no httpx2, no Textual.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..protocols.errors import ApiError


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Seconds; `None` switches a limit off. Each limit ends a call with a `timeout` error that
    names it, keeping whatever arrived.

    - `connect`: to open the connection (TCP and TLS). Should fail fast.
    - `first_byte`: from sending to the response head. A non-streaming answer comes in one piece
      when the model is done, so it is long.
    - `idle`: the longest wait for the next stream event. Comments and keep-alive pings (`: ping`)
      do not count as events: a server that only pings still times out. A non-streaming body
      counts as one event: it must be complete within `idle` of the head.
    - `total`: an optional deadline for the whole call, from sending to the last byte.
    - `read`: the longest silence of the socket itself (httpx2's read timeout).
    - `write`, `pool`: sending the request body; waiting for a free connection of the pool.
    - `models_total`: the deadline of the model list (`GET /v1/models`), however it trickles in.
    """

    connect: float = 10.0
    first_byte: float | None = 300.0
    idle: float | None = 300.0
    total: float | None = None
    read: float = 300.0
    write: float = 30.0
    pool: float = 10.0
    models_total: float = 30.0


@dataclass(frozen=True, slots=True)
class Limits:
    """How much of an answer the client reads. `max_body_bytes` counts the bytes after
    decompression, as they are read, so a small gzip body that inflates to gigabytes is cut off
    at the limit (and so is a plain body that never ends). It applies to every answer: streams,
    whole bodies and error bodies alike; what arrived before the limit is kept."""

    max_body_bytes: int = 32 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Optional retries for overload and server failures.

    Retried: what `ApiError.retryable` says is worth another attempt (408, 409, 429, 529, any other
    5xx, and the server's `x-should-retry`), and failures to connect. Never: other 4xx (the request
    itself is wrong), and never once stream bytes reached the caller (the answer was already shown).
    `max_attempts` counts every attempt, the first included.
    """

    max_attempts: int = 3
    base_delay: float = 0.5
    max_delay: float = 20.0
    jitter: bool = True

    def should_retry(self, error: ApiError, attempt: int, *, connect_failed: bool = False) -> bool:
        """`attempt` is the 1-based number of the attempt that just failed. `connect_failed` says
        the connection was never made (refused, DNS, connect timeout): nothing reached the server,
        so another attempt cannot duplicate a charge or a side effect."""
        if attempt >= self.max_attempts:
            return False
        if error.status is None:
            return connect_failed
        return error.retryable  # one rule: the error pane's "Retry: yes" is a retry this makes

    def delay(self, error: ApiError, attempt: int, rand: Callable[[], float] = random.random) -> float:
        """Seconds to wait before attempt `attempt + 1`: the server's Retry-After when it gave one
        (it knows best; capped so a bad header cannot hang the app), else exponential backoff."""
        if error.retry_after is not None and error.retry_after >= 0:
            return min(error.retry_after, self.max_delay)
        backoff = min(self.base_delay * 2.0 ** (attempt - 1), self.max_delay)
        if self.jitter:
            # "Equal jitter": keeps at least half the backoff while spreading clients apart.
            backoff = backoff / 2 + rand() * backoff / 2
        return backoff
