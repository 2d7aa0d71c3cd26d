"""Reading one answer: response bytes in, client events out, the exchange filled as they arrive.

Owns the per-answer state machine that both streaming and non-streaming calls go through: the
SSE parser, the format's stream decoder, the assembler that rebuilds the non-streaming body from a
stream, time to first token, the terminator check, malformed events, and the tail of events
(`FinalBody`, `UsageReport`, `Failure`, `Timings`). No I/O here: `playground.py` does the reading.
This is the streaming hot path: one clock reading per network chunk, plain lists, no per-event
allocation beyond the events themselves. Must not import Textual or httpx2.
"""

from __future__ import annotations

import codecs
import dataclasses
import json
from collections.abc import Callable
from typing import Any

from ..protocols import ir
from ..protocols.adapters import StreamDecoder, adapter_for
from ..protocols.assemble import ResponseAssembler
from ..protocols.errors import ApiError, network_error, parse_error
from ..protocols.formats import Format
from ..protocols.sse import SSEEvent, SSELimitExceeded, SSEParser
from .answer_errors import invalid_answer, loads_answer_json
from .events import (
    FIRST_TOKEN_EVENTS,
    MIN_RATE_SECONDS,
    ClientEvent,
    Delta,
    Exchange,
    Failure,
    FinalBody,
    RawEvent,
    Timings,
    UsageReport,
)
from .httpx_failures import interrupted
from .terminators import TERMINATORS

_FIRST_TOKEN = FIRST_TOKEN_EVENTS
#: The events that change the reader's state besides the assembler's.
_NOTED = frozenset({ir.StreamFinish, ir.StreamUsage, ir.StreamError})

#: Data-shape errors a decoder raises on an event it cannot read. Caught per event so one bad
#: event does not lose the rest of the answer (anything else is a bug and propagates).
#: RecursionError: JSON nested deeper than Python's stack (a hostile server's event or body).
_DECODE_ERRORS = (ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError)
#: The words a decoder's warning uses when it dropped an event it could not convert.
_SKIP_WORDS = ("skipped", "ignored")


class AnswerReader:
    """One attempt's answer. Feed it body bytes (`feed`) or a whole body (`read_body`), then call
    `finish()` for the closing events. Fills `exchange` in place as it goes, so whatever arrived is
    kept even if the caller stops early."""

    __slots__ = (
        "_assembler",
        "_broken",
        "_clock",
        "_decoder",
        "_exchange",
        "_finished",
        "_fmt",
        "_malformed",
        "_parser",
        "_skip_kinds",
        "_stopped",
        "_stream_error",
        "_stream_error_raw",
        "_streamed",
        "_t0",
        "_terminated",
        "_terminator",
        "_terminator_name",
        "_usage",
        "_utf8",
        "_warned",
        "ttft",
    )  # fmt: skip

    def __init__(self, fmt: Format, exchange: Exchange, t0: float, clock: Callable[[], float]) -> None:
        self._fmt = fmt
        self._exchange = exchange
        self._clock = clock
        self._t0 = t0
        self._utf8 = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._parser = SSEParser()
        # Made on the first event: an error answer never needs the format's code loaded.
        self._decoder: StreamDecoder | None = None
        self._assembler = ResponseAssembler()
        terminator = TERMINATORS[fmt]
        self._terminator: Callable[[SSEEvent], bool] | None = terminator[0] if terminator else None
        self._terminator_name = terminator[1] if terminator else None
        self._terminated = False
        self._finished = False
        self._stream_error: ir.StreamError | None = None
        self._stream_error_raw = ""
        #: Why reading stopped before the end (a limit passed); None while it has not.
        self._stopped: ApiError | None = None
        #: Decoder warnings already looked at, and the (event, type) of events found skipped.
        self._warned = 0
        self._skip_kinds: set[tuple[str | None, str]] = set()
        self._malformed: list[tuple[int, SSEEvent, str]] = []
        self._broken: Exception | None = None
        self._usage: ir.Usage | None = None
        self._streamed = False
        self.ttft: float | None = None

    # ------------------------------------------------------------------ streaming

    def begin_stream(self) -> None:
        """The answer is a stream: even one that brings no event at all must end in a verdict."""
        self._streamed = True

    def feed(self, chunk: bytes) -> list[ClientEvent]:
        """A chunk of the body as it came off the network."""
        self._streamed = True
        text = self._utf8.decode(chunk)
        if not text:
            return []
        try:
            events = self._parser.feed(text)
        except SSELimitExceeded as exc:  # an endless line or event: keep what came whole, then stop
            self.stop(dataclasses.replace(network_error("malformed_event", f"{exc}."), retryable=False))
            events = exc.events
        return self._events(events, self._clock() - self._t0)

    @property
    def stopped(self) -> bool:
        """The reader will take no more of this stream (a limit passed): the caller stops reading."""
        return self._stopped is not None

    def feed_event(self, event: SSEEvent) -> list[ClientEvent]:
        """One already-framed event (Gemini's JSON-array stream has no SSE framing)."""
        return self._events([event], self._clock() - self._t0)

    def broke(self, exc: Exception) -> None:
        """The connection failed while the stream was being read."""
        self._broken = exc

    def stop(self, error: ApiError) -> None:
        """The client stopped reading the stream (a limit passed): `error` says which."""
        self._stopped = error

    def fail(self, error: ApiError) -> Failure:
        """The call failed before any answer could be read (a whole body cut short)."""
        return Failure(self._fail(error))

    def _events(self, events: list[SSEEvent], at: float) -> list[ClientEvent]:
        # The hot path: names bound to locals, and only the rare events go through `_take`.
        self._streamed = True
        out: list[ClientEvent] = []
        append = out.append
        raw_log = self._exchange.raw_events
        decoder = self._decoder or self._start_decoding()
        feed = decoder.feed
        add = self._assembler.add
        for sse in events:
            raw_log.append(sse)
            append(RawEvent(sse, at))
            if self._terminator is not None and not self._terminated and self._terminator(sse):
                self._terminated = True
            try:
                neutral = feed(sse)
            except _DECODE_ERRORS as exc:
                self._malformed.append((len(raw_log), sse, str(exc)))
                continue
            if not neutral:
                # Decoders skip what they cannot read (with a warning); only an event that gave
                # nothing can be a skipped one, so only those pay for a second look.
                self._gave_nothing(sse, len(raw_log), decoder)
                continue
            for event in neutral:
                add(event)
                kind = type(event)
                if kind in _NOTED or (self.ttft is None and kind in _FIRST_TOKEN):
                    self._take(event, kind, at)
                    if kind is ir.StreamError:
                        self._stream_error_raw = sse.data
                append(Delta(event, at))
        return out

    def _gave_nothing(self, sse: SSEEvent, index: int, decoder: StreamDecoder) -> None:
        """An event that gave no neutral event: unreadable (malformed), dropped by the decoder as
        unknown or ill-typed (counted in `exchange.skipped_events`), or one that carries nothing
        (a ping, a lifecycle event)."""
        why, kind = _look(sse.data)
        if why is not None:
            self._malformed.append((index, sse, why))
            return
        warnings = decoder.warnings
        new = warnings[self._warned :]
        self._warned = len(warnings)
        key = (sse.event, kind or "")
        if any(word in warning for warning in new for word in _SKIP_WORDS):
            self._exchange.skipped_events += 1
            if sse.event is not None or kind is not None:
                self._skip_kinds.add(key)  # decoders warn once per kind: count the repeats here
        elif key in self._skip_kinds:
            self._exchange.skipped_events += 1

    def _start_decoding(self) -> StreamDecoder:
        self._decoder = adapter_for(self._fmt).stream_decoder()
        return self._decoder

    def _take(self, event: ir.StreamEvent, kind: type, at: float) -> None:
        if kind in _FIRST_TOKEN:
            if self.ttft is None:
                self.ttft = at
        elif kind is ir.StreamFinish:
            self._finished = True
        elif kind is ir.StreamUsage:
            self._usage = event.usage  # type: ignore[union-attr]
        elif kind is ir.StreamError:
            self._stream_error = event  # type: ignore[assignment]

    # ------------------------------------------------------------------ non-streaming

    def read_body(self, content: bytes) -> list[ClientEvent]:
        """A whole non-streaming body. A JSON array for a streaming plan is Gemini's stream without
        `alt=sse`: each element is read as one event."""
        exchange = self._exchange
        try:
            body: Any = loads_answer_json(content)
        except (ValueError, UnicodeDecodeError) as exc:
            return [Failure(self._fail(invalid_answer(f"The answer is not JSON ({exc}).", content)))]
        if isinstance(body, list) and self._exchange.plan.stream:
            self._streamed = True
            out: list[ClientEvent] = []
            for item in body:
                try:
                    data = json.dumps(item)
                except RecursionError:
                    data = "<nested too deeply to show>"  # read as a malformed event
                out.extend(self.feed_event(SSEEvent(data)))
            return out
        if not isinstance(body, dict):
            return [Failure(self._fail(invalid_answer("The answer is JSON but not an object.", content)))]
        exchange.body = body
        warnings: list[str] = []
        try:
            response = adapter_for(self._fmt).response_to_ir(body, warnings)
        except _DECODE_ERRORS as exc:
            if isinstance(body.get("error"), (dict, str)):
                # Some gateways answer 200 with an error envelope: it is their error, not ours.
                return [Failure(self._fail(parse_error(self._exchange.status, content)))]
            message = f"The answer does not fit the {self._fmt.label} format: {exc}"
            return [Failure(self._fail(invalid_answer(message, content)))]
        exchange.warnings.extend(warnings)
        exchange.response = response
        self._usage = response.usage
        return [FinalBody(body, response)]

    # ------------------------------------------------------------------ the end

    def finish(self) -> list[ClientEvent]:
        """The closing events: for a stream `FinalBody` and `UsageReport` (when it completed), a
        `Failure` when something went wrong, and `Timings` in every case."""
        out: list[ClientEvent] = []
        if self._streamed:
            out.extend(self._finish_stream())
        elif self._exchange.response is not None and self._usage is not None:
            self._exchange.usage = self._usage
            out.append(UsageReport(self._usage))
        out.append(self.timings())
        return out

    def _finish_stream(self) -> list[ClientEvent]:
        exchange = self._exchange
        tail = self._utf8.decode(b"", final=True)
        at = self._clock() - self._t0
        events: list[ClientEvent] = self._events(self._parser.feed(tail) + self._parser.close(), at)
        clean_end = (
            self._broken is None
            and self._stopped is None
            and (self._terminated if self._terminator is not None else self._finished)
        )
        # A cut stream must not look finished: the decoder's close() may synthesise a finish.
        decoder = self._decoder or self._start_decoding()
        closing = decoder.close() if clean_end else []
        for event in closing:
            self._assembler.add(event)
            self._take(event, type(event), at)
            events.append(Delta(event, at))
        exchange.warnings.extend(decoder.warnings)
        exchange.skipped_events += len(self._malformed)
        response = self._assembler.response()
        warnings: list[str] = []
        try:
            body: dict[str, Any] | None = adapter_for(self._fmt).response_from_ir(response, warnings)
        except _DECODE_ERRORS as exc:  # what a foreign server streamed cannot be put back together
            body = None
            if clean_end and self._stream_error is None:
                message = f"The stream could not be assembled into a {self._fmt.label} body: {exc}"
                events.append(Failure(self._fail(invalid_answer(message, b""))))
                exchange.response = response
                return events
        exchange.warnings.extend(warnings)
        exchange.response, exchange.body = response, body
        exchange.usage = self._usage or response.usage
        if self._stream_error is not None:
            events.append(Failure(self._fail(self._error_from_stream(self._stream_error))))
            return events
        if not clean_end:
            error = self._stopped or interrupted(
                self._broken, len(exchange.raw_events), self._terminator_name
            )
            events.append(Failure(self._fail(error)))
            return events
        assert body is not None
        events.append(FinalBody(body, response))
        if exchange.usage is not None:
            events.append(UsageReport(exchange.usage))
        if self._malformed:
            events.append(Failure(self._fail(self._malformed_error())))
        return events

    def timings(self) -> Timings:
        total = self._clock() - self._t0
        output = self._exchange.usage.output_tokens if self._exchange.usage else 0
        # Streams: the generation speed after the first token; whole bodies: over the whole call.
        start = self.ttft if self._streamed else 0.0
        span = total - start if start is not None else 0.0
        rate = output / span if output and span >= MIN_RATE_SECONDS else None
        timings = Timings(ttft=self.ttft, total=total, tokens_per_second=rate)
        self._exchange.timings = timings
        return timings

    def _fail(self, error: ApiError) -> ApiError:
        self._exchange.error = error
        return error

    def _error_from_stream(self, event: ir.StreamError) -> ApiError:
        """An error the server reported inside a 200 stream (Anthropic `event: error`, a Responses
        `error`/`response.failed`, an OpenAI Chat or Gemini `{"error": ...}`): parse the event that
        carried it (not the last one: a `[DONE]` may follow) so its type, code and message survive."""
        raw = self._stream_error_raw
        parsed = parse_error(event.status, raw)
        if parsed.type in ("invalid_response", "api_error", "network_error") and event.type:
            parsed = dataclasses.replace(parsed, type=event.type)
        message = parsed.message
        if not message or message.startswith(_NO_RESPONSE):  # after a 200 there was a response
            message = event.message or "The server reported an error in the stream."
        return dataclasses.replace(parsed, message=message)

    def _malformed_error(self) -> ApiError:
        index, sse, why = self._malformed[0]
        more = f" (and {len(self._malformed) - 1} more)" if len(self._malformed) > 1 else ""
        snippet = sse.data if len(sse.data) <= 120 else sse.data[:117] + "..."
        message = (
            f"Event #{index}{more} could not be read and was skipped: {why}. Data: {snippet!r}. "
            "The rest of the answer is complete."
        )
        error = network_error("malformed_event", message)
        return dataclasses.replace(error, retryable=False, raw=sse.data)


_NO_RESPONSE = "No response from the server"


def _look(data: str) -> tuple[str | None, str | None]:
    """Why an event's data is not JSON (None when it is, or is OpenAI's `[DONE]`), and the
    `type` it names (None when it names none)."""
    if data == "[DONE]":
        return None, None
    try:
        payload = loads_answer_json(data)
    except ValueError as exc:
        return f"its data is not valid JSON ({exc})", None
    kind = payload.get("type") if isinstance(payload, dict) else None
    return None, kind if isinstance(kind, str) else None
