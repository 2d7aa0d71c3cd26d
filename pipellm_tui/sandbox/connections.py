"""How long a connection may sit idle: a deadline for every request head.

uvicorn closes a kept-alive connection that stays quiet for `timeout_keep_alive` seconds after a
response, but not one that never sends a whole request head: a client that connects and sends
nothing, or half a head and then nothing (a half-open connection, or a slow-loris), would hold its
socket forever. `HeadDeadlineProtocol` is uvicorn's own h11 protocol with one deadline more: from
the moment a connection opens, and again after each response, a whole request head must arrive
within `idle_timeout` seconds, or the connection is closed. (A slow body is the app's business:
body.py answers it with a 408; a reader that stalls is streaming.py's.)
Imports uvicorn and h11 (uvicorn's own HTTP parser) only.
"""

from __future__ import annotations

import asyncio

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol


class HeadDeadlineProtocol(H11Protocol):
    #: Seconds allowed for a whole request head; `protocol_with_deadline` sets it per server.
    idle_timeout = 5.0
    _head_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def handle_events(self) -> None:
        super().handle_events()
        if self.conn.their_state is not h11.IDLE:  # a whole head came (or the connection ended)
            self._disarm()

    def on_response_complete(self) -> None:
        self._arm()  # before: a pipelined request already buffered is read (and disarms) inside
        super().on_response_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._head_deadline = self.loop.call_later(self.idle_timeout, self._head_too_late)

    def _disarm(self) -> None:
        if self._head_deadline is not None:
            self._head_deadline.cancel()
            self._head_deadline = None

    def _head_too_late(self) -> None:
        self._head_deadline = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()


def protocol_with_deadline(idle_timeout: float) -> type[HeadDeadlineProtocol]:
    return type("HeadDeadlineProtocol", (HeadDeadlineProtocol,), {"idle_timeout": idle_timeout})
