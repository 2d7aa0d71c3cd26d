"""Pacing a comparison by the live rate limits, so that many targets never burst into a 429.

`RateGate` decides when the next request to one endpoint may start. It reads each response's
`x-ratelimit-remaining-requests` / `-reset-requests` and `Retry-After` (parsed by
`protocols.ratelimits`), and stays on the safe side of what the server can have counted:

- Before any answer is known, one request at a time: the first head says what is left.
- After a head that says `remaining = R`, at most `R - in_flight` more may start (requests still in
  flight may not have been counted yet when that head was written; if they were, we only wait a
  little longer than needed).
- With nothing left, wait until the window's oldest request leaves it (`reset`, plus a small margin
  for rounding), then go one at a time again until the next head.
- A `Retry-After` (a 429 someone else caused, or a 503) closes the gate for that long.
- A server that sends no rate-limit headers is not paced (beyond the comparison's own concurrency).

No I/O besides `asyncio.sleep`; no Textual, no httpx2.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from ..protocols.ratelimits import RateLimits

#: Added to every wait: the server rounds its reset durations, and a few ms early is a 429.
MARGIN_SECONDS = 0.1
#: The longest single wait (a bogus reset header must not hang the comparison).
MAX_WAIT_SECONDS = 120.0


class RateGate:
    """Admits requests to one endpoint as fast as its rate limits allow, never faster."""

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        #: How many more may start now; None: unknown (one at a time), -1: unpaced (no headers).
        self._budget: int | None = None
        self._in_flight = 0
        #: Nothing starts before this moment (on `clock`).
        self._closed_until = 0.0
        self._changed = asyncio.Condition()
        #: Times a request had to wait for the limits (what the comparison reports as "paced").
        self.waits = 0

    @property
    def in_flight(self) -> int:
        return self._in_flight

    async def acquire(self) -> None:
        """Wait until one more request may start, then count it as in flight."""
        waited = False
        async with self._changed:
            while True:
                delay = self._closed_until - self._clock()
                if delay > 0:
                    waited = True
                    self._changed.release()
                    try:
                        await self._sleep(min(delay, MAX_WAIT_SECONDS))
                    finally:
                        await self._changed.acquire()
                    continue
                if self._may_start():
                    break
                waited = True
                await self._changed.wait()
            self._in_flight += 1
            if self._budget is not None and self._budget > 0:
                self._budget -= 1
        if waited:
            self.waits += 1

    def _may_start(self) -> bool:
        if self._budget is None:
            return self._in_flight == 0
        return self._budget == -1 or self._budget > 0

    async def observe(self, limits: RateLimits | None) -> None:
        """A response head arrived for one started request (None: the request got no response)."""
        async with self._changed:
            self._in_flight = max(0, self._in_flight - 1)
            if limits is not None:
                self._learn(limits)
            self._changed.notify_all()

    async def release(self) -> None:
        """A started request ended without a head (cancelled, connection refused)."""
        await self.observe(None)

    def _learn(self, limits: RateLimits) -> None:
        now = self._clock()
        if limits.retry_after is not None and limits.retry_after > 0:
            self._closed_until = max(self._closed_until, now + limits.retry_after + MARGIN_SECONDS)
            self._budget = None
            return
        if limits.remaining is None:
            if limits.limit is None and self._budget is None:
                self._budget = -1  # the server says nothing about limits: nothing to pace by
            return
        budget = limits.remaining - self._in_flight
        if budget > 0:
            self._budget = budget
            return
        # Nothing left: the oldest counted request leaves the window after `reset`.
        reset = limits.reset_seconds if limits.reset_seconds is not None else 1.0
        self._closed_until = max(self._closed_until, now + min(reset, MAX_WAIT_SECONDS) + MARGIN_SECONDS)
        self._budget = None
