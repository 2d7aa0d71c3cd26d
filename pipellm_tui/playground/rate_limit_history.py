"""The rate limits the playground has seen: the last window (what is left, when it resets), a short
history of sends, and the one retry countdown (from Retry-After, else a 429's window reset).

`playground/session.py` records into it as the client's events arrive; the Limits pane, the error
pane and the status line read it. Must not import Textual.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..protocols.errors import ApiError
    from ..protocols.ratelimits import RateLimits

#: How many sends the history keeps.
HISTORY_LENGTH = 10


@dataclass(frozen=True, slots=True)
class LimitRecord:
    """One line of the rate-limit history: when, what status, what was left."""

    at: float
    status: int | None
    remaining: int | None
    limit: int | None


def stamped(limits: RateLimits, now: float) -> RateLimits:
    """The limits re-stamped with our clock: the countdown is reset_seconds minus the time since
    *we* saw them."""
    return dataclasses.replace(limits, observed_at=now)


def limit_record(now: float, status: int | None, limits: RateLimits | None) -> LimitRecord:
    """The history's line for a send: its status and what was left (nothing known: no head came)."""
    if limits is None:
        return LimitRecord(now, status, None, None)
    return LimitRecord(now, status, limits.remaining, limits.limit)


def retry_in(error: ApiError | None, error_at: float, limits: RateLimits | None, now: float) -> float | None:
    """Seconds left before a retry makes sense: one countdown, from the error's Retry-After,
    else (a 429) from the rate-limit window's reset; None when neither says."""
    if error is None:
        return None
    if error.retry_after is not None:
        return max(0.0, error.retry_after - (now - error_at))
    if error.status == 429 and limits is not None:
        return limits.seconds_until_reset(now)
    return None
