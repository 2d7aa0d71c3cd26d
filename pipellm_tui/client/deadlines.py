"""The watchdog of one call: ends it when a limit of `Timeouts` passes (first byte, idle, total).

httpx2's own timeouts are per socket operation, so a server that trickles a byte at a time, or a
stream that sends nothing but `: ping` comments, never trips them. The watchdog keeps one timer
per call, re-armed lazily: the hot path only stores the time of the last event (`touch`) and
whether the call is waiting on the network (`waiting`); the timer compares when it fires. It
cancels the iterating task only while that task waits on the network, so a caller busy between
two events is never interrupted in its own code; `expired_by` then tells the call to turn the
cancellation into a `timeout` failure rather than a cancel. Must not import Textual or httpx2.
"""

from __future__ import annotations

import asyncio
import math
import time

from .policy import Timeouts

#: How soon to look again when a limit passed while the caller was busy with an event.
_RECHECK = 0.25


class Watchdog:
    __slots__ = (
        "_deadline",
        "_first_byte",
        "_handle",
        "_idle",
        "_loop",
        "_phase",
        "_phase_limit",
        "_task",
        "_total",
        "expired",
        "last",
        "limit",
        "now",
        "waiting",
    )  # fmt: skip

    def __init__(self, timeouts: Timeouts) -> None:
        self._loop = asyncio.get_running_loop()
        #: The clock (`time.monotonic`, a C function: cheap on the hot path, unlike `loop.time`).
        self.now = time.monotonic
        self._total = timeouts.total
        self._deadline = self.now() + self._total if self._total else math.inf
        self._first_byte = timeouts.first_byte
        self._idle = timeouts.idle
        #: When the current phase began or the last event arrived: set it to `now()` on each event.
        self.last = 0.0
        #: True while the call awaits the network (the only time the watchdog may cancel).
        self.waiting = False
        #: The `Timeouts` field that ended the call, and its value; None while none has.
        self.expired: str | None = None
        self.limit = 0.0
        self._handle: asyncio.TimerHandle | None = None
        self._task: asyncio.Task[object] | None = None
        self._phase = "first_byte"
        self._phase_limit = self._first_byte
        self.new_attempt()

    def new_attempt(self) -> None:
        """An attempt starts: the first-byte limit counts from now; the total deadline does not
        start again."""
        self._task = asyncio.current_task()
        self._start("first_byte", self._first_byte)

    def head_arrived(self) -> None:
        """The head is in: from now on the idle limit applies (a whole body counts as one event)."""
        self._start("idle", self._idle)

    def _start(self, phase: str, limit: float | None) -> None:
        self.last = self.now()
        self._phase, self._phase_limit = phase, limit
        if self._handle is not None:
            self._handle.cancel()
        self._arm(self._due())

    def _arm(self, due: float) -> None:
        # call_later, not call_at: the loop's clock need not be `time.monotonic`.
        self._handle = (
            None if due == math.inf else self._loop.call_later(max(0.0, due - self.now()), self._check)
        )

    def _due(self) -> float:
        limit = self._phase_limit
        due = self.last + limit if limit else math.inf
        return min(due, self._deadline)

    def _check(self) -> None:
        self._handle = None
        now = self.now()
        due = self._due()
        if now < due:
            self._arm(due)
            return
        if not self.waiting or self._task is None:
            self._arm(now + _RECHECK)
            return
        if now >= self._deadline:
            self.expired, self.limit = "total", self._total or 0.0
        else:
            self.expired, self.limit = self._phase, self._phase_limit or 0.0
        self._task.cancel()

    def expired_by(self) -> str | None:
        """After a `CancelledError`: the limit that caused it (the task's cancel is then undone),
        or None when the cancel came from elsewhere (the user) and must go on."""
        if self.expired is None or self._task is None:
            return None
        if self._task.uncancel() > 0:  # the user cancelled too: theirs wins
            return None
        return self.expired

    def stop(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
