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
    """Seconds. `read` is the longest silence allowed between two chunks of a stream: models can
    think for minutes before the next event, so it is long; connecting should fail fast."""

    connect: float = 10.0
    read: float = 300.0
    write: float = 30.0
    pool: float = 10.0


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
