"""What lives as long as the sandbox server (`SandboxState`) and what one request has revealed so far
(`Context`, for the headers of whatever reply it gets). Imports the sandbox's own parts only.
"""

from __future__ import annotations

import uuid
from collections import OrderedDict
from typing import Any

from .config import SandboxConfig
from .conversations import ResponseMemory
from .identity import Identities
from .ratelimit import Balance, RateWindow, WindowState
from .streaming import StreamRun


class SandboxState:
    """Everything that lives as long as the server: limits, balance, remembered exchanges, counters."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.window = RateWindow(config.rpm, config.window_seconds)
        self.balance = Balance(config.balance)
        self.exchanges: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self.requests = 0
        self.answered = 0
        self.disconnects = 0
        self.internal_errors = 0
        self.identities = Identities(config.id_seed, config.clock)
        self.responses = ResponseMemory()
        #: Bodies the adapters could not read for a reason they did not name (answered 400).
        self.unreadable_bodies = 0
        #: Streams being sent now, and the answer tokens made by those that ended.
        self.streams: set[StreamRun] = set()
        self.ended_stream_tokens = 0
        #: How the last stream whose client went away ended: tokens made, time.monotonic() it stopped.
        self.last_disconnect: dict[str, float] | None = None

    def stats(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "answered": self.answered,
            "disconnects": self.disconnects,
            "internal_errors": self.internal_errors,
            "unreadable_bodies": self.unreadable_bodies,
            "active_streams": len(self.streams),
            "stream_tokens": self.ended_stream_tokens + sum(run.tokens for run in self.streams),
            "last_disconnect": self.last_disconnect,
        }

    def remember(self, request_id: str, record: dict[str, Any]) -> None:
        self.exchanges[request_id] = record
        while len(self.exchanges) > self.config.exchange_history:
            self.exchanges.popitem(last=False)


class Context:
    """What one request has revealed so far, for the headers of whatever reply it gets."""

    __slots__ = ("anthropic", "request_id", "seen_key", "window")

    def __init__(self) -> None:
        self.request_id = f"req_{uuid.uuid4().hex[:24]}"
        self.seen_key: str | None = None
        self.window: WindowState | None = None
        #: An Anthropic-format route: its id also goes in `request-id`, the header the SDK reads.
        self.anthropic = False
