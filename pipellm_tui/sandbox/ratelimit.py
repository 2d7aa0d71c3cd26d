"""Per-key request limits and the account balance of the sandbox.

Owns the sliding-window RPM limiter, the balance, and the `x-ratelimit-*` header values.
Imports protocols only (no starlette), so it can be tested on its own.

Choices (PipeLLM's docs leave them open, see pipellm-api.md §6.4):
- The window is sliding: a request is admitted when fewer than `rpm` requests of the same key were
  admitted in the last 60 seconds. Rejected requests (429) do not count, so a client that keeps
  retrying gets in as soon as the oldest request leaves the window.
- `check_and_record` never awaits, so under asyncio it is atomic: 50 concurrent requests against
  rpm=20 admit exactly 20.
- `x-ratelimit-limit-requests` is the RPM, `x-ratelimit-remaining-requests` what is left in the window
  after this request, and `x-ratelimit-reset-requests` the time until the oldest counted request
  leaves the window, as an OpenAI-style duration ("12.5s", "1m0s"; "0s" for an empty window).
- 429 carries `Retry-After` in whole seconds, rounded up, never below 1.
- Every response carries the three headers. Requests that are refused before the limiter (405, 404,
  401) carry the current state of the presented key's window without counting; a wrong or missing
  key has an empty window, so it shows the full limit.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from ..protocols.ratelimits import format_duration


@dataclass(frozen=True, slots=True)
class WindowState:
    allowed: bool
    limit: int
    remaining: int
    #: Seconds until the oldest counted request leaves the window (0 when the window is empty).
    reset_seconds: float

    @property
    def retry_after(self) -> int:
        return max(1, math.ceil(self.reset_seconds))

    def headers(self) -> dict[str, str]:
        return {
            "x-ratelimit-limit-requests": str(self.limit),
            "x-ratelimit-remaining-requests": str(self.remaining),
            "x-ratelimit-reset-requests": format_duration(self.reset_seconds),
        }


class RateWindow:
    """A sliding window of admitted-request timestamps per key."""

    def __init__(self, rpm: int, window_seconds: float = 60.0, clock: Callable[[], float] = time.monotonic):
        self.rpm = rpm
        self.window = window_seconds
        self._clock = clock
        self._stamps: dict[str, deque[float]] = {}

    def _prune(self, key: str, now: float) -> deque[float]:
        stamps = self._stamps.setdefault(key, deque())
        horizon = now - self.window
        while stamps and stamps[0] <= horizon:
            stamps.popleft()
        return stamps

    def _state(self, stamps: deque[float], now: float, allowed: bool) -> WindowState:
        reset = stamps[0] + self.window - now if stamps else 0.0
        return WindowState(allowed, self.rpm, max(self.rpm - len(stamps), 0), max(reset, 0.0))

    def check_and_record(self, key: str) -> WindowState:
        """Admit and count one request, or refuse it without counting. Never awaits: atomic."""
        now = self._clock()
        stamps = self._prune(key, now)
        if len(stamps) >= self.rpm:
            return self._state(stamps, now, allowed=False)
        stamps.append(now)
        return self._state(stamps, now, allowed=True)

    def peek(self, key: str | None) -> WindowState:
        """The window as it is, without counting (for responses refused before the limiter)."""
        now = self._clock()
        stamps = self._prune(key, now) if key is not None else deque[float]()
        return self._state(stamps, now, allowed=len(stamps) < self.rpm)

    def exhausted_state(self, key: str) -> WindowState:
        """What a forced 429 (the `429` fault) reports: the real window, shown as full."""
        state = self.peek(key)
        return WindowState(False, state.limit, 0, state.reset_seconds or self.window)


class Balance:
    """The account's balance in USD; charged after each answered request."""

    def __init__(self, usd: float) -> None:
        self.usd = usd
        self.spent = 0.0

    @property
    def exhausted(self) -> bool:
        return self.usd <= 0

    def charge(self, usd: float) -> None:
        self.usd -= usd
        self.spent += usd
