"""Sending a stream: pacing tokens, batching writes, and cutting the connection on purpose.

Owns `StreamRun` (turns generator events into body chunks at the configured token rate, with the
`disconnect` and `malformed` faults) and `SandboxStream` (a starlette StreamingResponse that can end
without its final empty chunk, which is how a mid-stream disconnect looks on the wire).
With token_rate 0 the events are written in batches of about 64 KB: one write per event would make
the server, not the client, the bottleneck of every benchmark.

The events are made as they are read (generator.py), and every PAUSE_EVERY seconds the stream hands
the event loop to the other requests: a million-token answer neither delays a small request nor keeps
being made after its reader left (starlette cancels the stream at its next pause, where the
generator then stops). A reader that stops reading for `stall_timeout` seconds is given up on.
Imports starlette and protocols only.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from typing import Any

from starlette.responses import StreamingResponse
from starlette.types import Send

from ..protocols import ir
from .answer import StreamPipeline
from .wire import StreamWriter

log = logging.getLogger("pipellm_tui.sandbox")

BATCH_BYTES = 64 * 1024
#: Longest stretch (seconds) a stream works before it lets the event loop serve other requests.
PAUSE_EVERY = 0.001


class StreamRun:
    """One stream's state: whether it ended on purpose without its terminator, and how it ended."""

    def __init__(
        self,
        token_rate: float = 0.0,
        cut_after: int | None = None,
        malformed_at: int | None = None,
        on_end: Callable[[bool, bool], None] | None = None,
    ) -> None:
        self.token_rate = token_rate
        self.cut_after = cut_after
        self.malformed_at = malformed_at
        self.on_end = on_end
        #: Set when the body must end without its final chunk (the `disconnect` fault, or a bug).
        self.cut = False
        #: Answer tokens made so far (text deltas and tool-argument fragments).
        self.tokens = 0
        #: Set when the reader stopped reading for too long and the stream was given up.
        self.stalled = False
        self.ended = False

    async def chunks(self, chunks: Iterable[str]) -> AsyncIterator[str]:
        """Fixed chunks; with `cut_after`, only that many are sent before the cut."""
        for index, chunk in enumerate(chunks):
            if self.cut_after is not None and index >= self.cut_after:
                self.cut = True
                return
            yield chunk

    async def events(
        self, events: Iterable[ir.StreamEvent], pipeline: StreamPipeline, writer: StreamWriter
    ) -> AsyncIterator[str]:
        completed = False
        try:
            async for chunk in self._paced(events, pipeline, writer):
                yield chunk
            completed = not self.cut
        except Exception:
            log.exception("sandbox: stream failed")
            self.cut = True
        finally:
            # (completed, the client went away: it closed, or stopped reading)
            self.end(completed, not completed and (self.stalled or not self.cut))

    def end(self, completed: bool, went_away: bool) -> None:
        """Report how the stream ended, once (a stream cancelled before it began ends here too)."""
        if not self.ended:
            self.ended = True
            if self.on_end is not None:
                self.on_end(completed, went_away)

    async def _paced(
        self, events: Iterable[ir.StreamEvent], pipeline: StreamPipeline, writer: StreamWriter
    ) -> AsyncIterator[str]:
        loop = asyncio.get_running_loop()
        started = loop.time()
        buffer: list[str] = []
        size = 0
        paused_at = started
        for index, event in enumerate(events):
            if index == self.cut_after:
                self.cut = True
                if buffer:
                    yield "".join(buffer)
                return
            if index == self.malformed_at:
                buffer.append(writer.malformed())
            if isinstance(event, (ir.TextDelta, ir.ToolCallDelta)):
                if self.token_rate > 0:
                    # Pace against the clock, not per sleep, so a slow loop catches up instead of drifting.
                    wait = started + self.tokens / self.token_rate - loop.time()
                    if buffer and wait > 0:
                        yield "".join(buffer)
                        buffer, size = [], 0
                    if wait > 0:
                        await asyncio.sleep(wait)
                self.tokens += 1
            text = writer.write(pipeline.feed(event))
            if text:
                buffer.append(text)
                size += len(text)
                # The start and the first token go out at once (time to first token), the rest in batches.
                if size >= BATCH_BYTES or self.token_rate > 0 or self.tokens <= 1:
                    yield "".join(buffer)
                    buffer, size = [], 0
            # Let the other requests (and the news of a disconnect) in every millisecond:
            # writing to a socket that keeps up never pauses on its own.
            if loop.time() - paused_at >= PAUSE_EVERY:
                await asyncio.sleep(0)
                paused_at = loop.time()
        buffer.append(writer.write(pipeline.close()) + writer.close())
        yield "".join(buffer)


class SandboxStream(StreamingResponse):
    """A streaming response that, when its run says so, ends without completing the HTTP body."""

    def __init__(
        self,
        content: AsyncIterator[str],
        run: StreamRun,
        headers: Mapping[str, str],
        media_type: str,
        stall_timeout: float | None = None,
    ) -> None:
        super().__init__(content, headers=headers, media_type=media_type)
        self.run = run
        self.stall_timeout = stall_timeout

    async def stream_response(self, send: Send) -> None:
        iterator = self.body_iterator
        try:
            await send(
                {"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers}
            )
            async for chunk in iterator:
                data = chunk.encode(self.charset) if isinstance(chunk, str) else bytes(chunk)
                message = {"type": "http.response.body", "body": data, "more_body": True}
                if data and not await self._sent(send, message):
                    return
        finally:
            # Close the generator now (not at garbage collection) so a disconnect is counted at once.
            close = getattr(iterator, "aclose", None)
            if close is not None:
                await close()
            self.run.end(False, True)  # no-op once the body ended; else it was cancelled before it began
        if not self.run.cut:
            await send({"type": "http.response.body", "body": b"", "more_body": False})

    async def _sent(self, send: Send, message: Any) -> bool:
        """Send one chunk; False when the reader has not taken any of it for `stall_timeout` seconds
        (a client that stopped reading, or a peer that vanished): the stream then ends, cut."""
        try:
            async with asyncio.timeout(self.stall_timeout):
                await send(message)
        except TimeoutError:  # the run's end reports it (one log line)
            self.run.stalled = True
            self.run.cut = True
            return False
        return True
