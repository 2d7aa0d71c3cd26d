"""Server-sent events: one incremental parser and one encoder for every format's stream.

Follows the WHATWG event-stream rules: lines end in LF, CRLF or CR (in any chunking, including a CR
at the end of one chunk and its LF at the start of the next), `:` starts a comment, multi-line `data`
joins with LF, an event is dispatched at a blank line, a field with no colon has an empty value, one
leading space after the colon is dropped, an event with no data is not dispatched, a byte-order mark
at the very start is ignored.
Bounded and linear: see `SSEParser` (`MAX_LINE`, `MAX_EVENT`, `SSELimitExceeded`).
No I/O; standard library only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NoReturn

from .problems import ProtocolError


@dataclass(slots=True)
class SSEEvent:
    data: str
    event: str | None = None
    id: str | None = None
    retry: int | None = None


class SSELimitExceeded(ProtocolError):
    """A line or an event grew past the parser's cap: the stream cannot be read further.

    `limit` names the cap (`"max_line"` or `"max_event"`) and `size` its value in characters;
    `events` are the events completed in the same `feed` call before the cap was met (those of earlier
    calls were already returned), so nothing that arrived whole is lost. After it the parser is
    spent: `error` keeps it and later `feed`/`close` calls return nothing. The client turns it into an
    ApiError (`malformed_event`).
    """

    def __init__(self, limit: str, size: int, events: list[SSEEvent]) -> None:
        what = "line" if limit == "max_line" else "event"
        super().__init__(
            f"the stream sent an SSE {what} longer than {size:,} characters ({limit}); "
            "it was cut off there (the events before it were kept)"
        )
        self.limit = limit
        self.size = size
        self.events = events


#: Default caps, in characters: far above any real event (a response.completed event repeating a
#: long answer with a few images is a few MB), low enough that an endless line cannot fill memory.
MAX_LINE = 16 * 1024 * 1024
MAX_EVENT = 32 * 1024 * 1024


class SSEParser:
    """Feed text chunks as they arrive; get back the events they complete.

    Linear in the input: only the unterminated tail of the last line is kept (as pieces, joined once
    its line ends), and each chunk is scanned once. A line longer than `max_line` or an event whose
    data lines add up to more than `max_event` characters raises `SSELimitExceeded`; None lifts a cap.
    """

    __slots__ = (
        "_data",
        "_data_size",
        "_event",
        "_id",
        "_pending_cr",
        "_retry",
        "_started",
        "_tail",
        "_tail_size",
        "error",
        "max_event",
        "max_line",
    )

    def __init__(self, max_line: int | None = MAX_LINE, max_event: int | None = MAX_EVENT) -> None:
        self.max_line = max_line
        self.max_event = max_event
        self.error: SSELimitExceeded | None = None
        self._tail: list[str] = []  # the line not yet ended, in the pieces it came in
        self._tail_size = 0
        self._pending_cr = False
        self._started = False
        self._data: list[str] = []
        self._data_size = 0
        self._event: str | None = None
        self._id: str | None = None
        self._retry: int | None = None

    def feed(self, chunk: str) -> list[SSEEvent]:
        if not chunk or self.error is not None:
            return []  # an empty chunk must not forget a CR that may still meet its LF
        if not self._started:
            self._started = True
            if chunk[0] == "\ufeff":
                chunk = chunk[1:]
        if self._pending_cr:
            self._pending_cr = False  # met now, whatever follows: a second LF is a line of its own
            if chunk[0] == "\n":
                chunk = chunk[1:]  # the LF of a CRLF split across chunks
        if not chunk:  # a byte order mark or that LF alone
            return []
        self._pending_cr = chunk[-1] == "\r"
        if "\r" in chunk:
            chunk = chunk.replace("\r\n", "\n").replace("\r", "\n")
        end = chunk.rfind("\n")
        if end < 0:  # still inside one line: keep the piece, look at nothing else
            self._tail.append(chunk)
            self._tail_size += len(chunk)
            if self.max_line is not None and self._tail_size > self.max_line:
                self._fail("max_line", self.max_line, [])
            return []
        if self._tail:
            self._tail.append(chunk[:end])
            text = "".join(self._tail)
            self._tail = []
        else:
            text = chunk[:end]
        rest = chunk[end + 1 :]
        if rest:
            self._tail.append(rest)
        self._tail_size = len(rest)
        lines = text.split("\n")
        max_line = self.max_line
        if max_line is not None and (len(text) > max_line or self._tail_size > max_line):
            return self._feed_checked(lines, max_line)
        return self._dispatch(lines)

    def _dispatch(self, lines: list[str]) -> list[SSEEvent]:
        events: list[SSEEvent] = []
        data = self._data
        max_event = self.max_event
        # The loop inlines the two lines every event has (`data:` and the blank line): this parser
        # sits on the streaming hot path, and a method call per line costs a third of its time.
        for line in lines:
            if line[:5] == "data:":
                value = line[6:] if line[5:6] == " " else line[5:]
                data.append(value)
                if max_event is not None:
                    self._data_size += len(value) + 1
                    if self._data_size > max_event:
                        self._fail("max_event", max_event, events)
            elif not line:
                if data:
                    events.append(
                        SSEEvent(
                            data[0] if len(data) == 1 else "\n".join(data), self._event, self._id, self._retry
                        )
                    )
                    data = self._data = []
                    self._data_size = 0
                    self._retry = None
                self._event = None
            else:
                self._line(line)
                data = self._data
                if max_event is not None and self._data_size > max_event:
                    self._fail("max_event", max_event, events)
        return events

    def _feed_checked(self, lines: list[str], max_line: int) -> list[SSEEvent]:
        """The rare chunk with a line past the cap: dispatch the lines before it, then fail."""
        for index, line in enumerate(lines):
            if len(line) > max_line:
                self._fail("max_line", max_line, self._dispatch(lines[:index]))
        events = self._dispatch(lines)
        if self._tail_size > max_line:
            self._fail("max_line", max_line, events)
        return events

    def _fail(self, limit: str, size: int, events: list[SSEEvent]) -> NoReturn:
        self.error = SSELimitExceeded(limit, size, events)
        self._tail = []
        self._data = []
        raise self.error

    def close(self) -> list[SSEEvent]:
        """End of stream: a final event without its blank line is still delivered."""
        if self.error is not None:
            return []
        events: list[SSEEvent] = []
        if self._tail:
            tail = "".join(self._tail)
            self._tail = []
            self._tail_size = 0
            event = self._line(tail)
            if event is not None:
                events.append(event)
        event = self._line("")
        if event is not None:
            events.append(event)
        return events

    def _line(self, line: str) -> SSEEvent | None:
        if not line:
            if not self._data:
                self._event = None
                return None
            event = SSEEvent("\n".join(self._data), self._event, self._id, self._retry)
            self._data = []
            self._data_size = 0
            self._event = None
            self._retry = None
            return event
        if line[0] == ":":
            return None
        name, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if name == "data":
            self._data.append(value)
            self._data_size += len(value) + 1
        elif name == "event":
            self._event = value or None
        elif name == "id":
            if "\0" not in value:
                self._id = value
        # "²".isdigit(), yet int("²") fails; past 18 digits it is no delay anyone means (and int() of
        # 5,000 digits raises).
        elif name == "retry" and value.isascii() and value.isdigit() and len(value) <= 18:
            self._retry = int(value)
        return None


def parse_sse(text: str) -> list[SSEEvent]:
    """Parse a whole SSE body at once."""
    parser = SSEParser()
    return parser.feed(text) + parser.close()


def encode_event(event: SSEEvent) -> str:
    out = []
    if event.event is not None:
        out.append(f"event: {event.event}\n")
    if event.id is not None:
        out.append(f"id: {event.id}\n")
    if event.retry is not None:
        out.append(f"retry: {event.retry}\n")
    data = event.data
    if "\r" in data:  # a CR would end the line on the wire: send it as the line break it means
        data = data.replace("\r\n", "\n").replace("\r", "\n")
    if "\n" in data:
        out.extend(f"data: {line}\n" for line in data.split("\n"))
    else:
        out.append(f"data: {data}\n")
    out.append("\n")
    return "".join(out)


def encode_sse(events: Iterable[SSEEvent]) -> str:
    return "".join(encode_event(e) for e in events)
