"""Stream assembly: IR stream events in, the whole `ir.Response` out.

The client feeds every decoded event of a stream to a `ResponseAssembler` and, at the end, turns
`assembler.response()` into the format's non-streaming body with `adapter.response_from_ir(...)`.
It sits on the streaming hot path, so `add` only appends to lists; joining and JSON parsing happen
once, in `response()`.

Block rules: consecutive text deltas form one `TextPart`; a tool call, thinking, a refusal or a
`BlockStop` ends it, so text after a tool call is a new `TextPart`. Thinking deltas join the same
way, their signature fragments into the part's signature. Tool-call argument fragments are joined
per call index and parsed; unparseable JSON is kept as `{"_raw": text}`.

No I/O; standard library only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from . import ir
from .adapters.shared.tools import arguments_to_ir
from .adapters.shared.usage import merge_usage

_TEXT = "text"
_THINKING = "thinking"
_REFUSAL = "refusal"


class _ToolCallBuilder:
    __slots__ = ("fragments", "id", "name", "signature")

    def __init__(self, id: str, name: str, signature: str | None) -> None:
        self.id = id
        self.name = name
        self.signature = signature
        self.fragments: list[str] = []

    def build(self) -> ir.ToolCallPart:
        return ir.ToolCallPart(
            self.id, self.name, arguments_to_ir("".join(self.fragments), None, "arguments"), self.signature
        )


class ResponseAssembler:
    """Feed `add(event)` with a stream's IR events; `response()` gives the assembled Response."""

    __slots__ = (
        "_chunks",
        "_citations",
        "_handlers",
        "_kind",
        "_signature",
        "_slots",
        "_tools",
        "error",
        "events",
        "id",
        "model",
        "stop_reason",
        "stop_sequence",
        "usage",
    )

    def __init__(self) -> None:
        self.id: str | None = None
        self.model: str | None = None
        self.usage: ir.Usage | None = None
        self.stop_reason: ir.StopReason | None = None
        self.stop_sequence: str | None = None
        #: The first error event of the stream, if any.
        self.error: ir.StreamError | None = None
        #: How many events were added.
        self.events = 0
        # Finished parts in order; a tool call holds its builder until response() parses it.
        self._slots: list[ir.Part | _ToolCallBuilder] = []
        self._tools: dict[int, _ToolCallBuilder] = {}
        self._kind: str | None = None
        self._chunks: list[str] = []
        self._signature: list[str] = []
        self._citations: list[ir.Citation] = []  # of the open text block
        self._handlers: dict[type, Callable[[Any], None]] = {
            ir.TextDelta: self._text,
            ir.ThinkingDelta: self._thinking,
            ir.ToolCallDelta: self._tool_delta,
            ir.ToolCallStart: self._tool_start,
            ir.RefusalDelta: self._refusal,
            ir.HostedToolUse: self._hosted,
            ir.CitationDelta: self._citation,
            ir.BlockStop: self._block_stop,
            ir.StreamUsage: self._usage,
            ir.StreamFinish: self._finish,
            ir.StreamStart: self._start,
            ir.StreamError: self._error,
        }

    def add(self, event: ir.StreamEvent) -> None:
        self.events += 1
        handler = self._handlers.get(type(event))
        if handler is not None:
            handler(event)

    def add_all(self, events: Iterable[ir.StreamEvent]) -> ResponseAssembler:
        for event in events:
            self.add(event)
        return self

    def response(self) -> ir.Response:
        """The Response so far (callable more than once; the stream may go on afterwards)."""
        parts: list[ir.Part] = [s.build() if isinstance(s, _ToolCallBuilder) else s for s in self._slots]
        pending = self._pending_part()
        if pending is not None:
            parts.append(pending)
        usage = self.usage
        if usage is not None:  # a copy: the Response is the caller's to change, the usage a stream event's
            usage = ir.Usage(
                usage.input_tokens,
                usage.output_tokens,
                usage.cache_read_tokens,
                usage.cache_write_tokens,
                usage.reasoning_tokens,
            )
        stop = self.stop_reason
        if stop is None and self.error is not None:
            stop = ir.StopReason.ERROR
        candidate = ir.Candidate(parts, stop, self.stop_sequence)
        return ir.Response(id=self.id, model=self.model, candidates=[candidate], usage=usage)

    # ------------------------------------------------------------------ handlers

    def _text(self, event: ir.TextDelta) -> None:
        if self._kind is not _TEXT:
            self._close_block()
            self._kind = _TEXT
        self._chunks.append(event.text)

    def _refusal(self, event: ir.RefusalDelta) -> None:
        if self._kind is not _REFUSAL:
            self._close_block()
            self._kind = _REFUSAL
        self._chunks.append(event.text)

    def _thinking(self, event: ir.ThinkingDelta) -> None:
        if self._kind is not _THINKING:
            self._close_block()
            self._kind = _THINKING
        if event.text:
            self._chunks.append(event.text)
        if event.signature:
            self._signature.append(event.signature)

    def _tool_start(self, event: ir.ToolCallStart) -> None:
        self._close_block()
        builder = _ToolCallBuilder(event.id, event.name, event.signature)
        self._tools[event.index] = builder
        self._slots.append(builder)

    def _tool_delta(self, event: ir.ToolCallDelta) -> None:
        builder = self._tools.get(event.index)
        if builder is None:  # a delta without its start: keep the arguments rather than lose them
            self._close_block()
            builder = self._tools[event.index] = _ToolCallBuilder("", "", None)
            self._slots.append(builder)
        builder.fragments.append(event.arguments)

    def _citation(self, event: ir.CitationDelta) -> None:
        if self._kind is not _TEXT:  # a citation may come before its block's text (Anthropic)
            self._close_block()
            self._kind = _TEXT
        self._citations.append(event.citation)

    def _hosted(self, event: ir.HostedToolUse) -> None:
        self._close_block()
        self._slots.append(event.part)

    def _block_stop(self, event: ir.BlockStop) -> None:
        self._close_block()

    def _start(self, event: ir.StreamStart) -> None:
        if event.id is not None:
            self.id = event.id
        if event.model is not None:
            self.model = event.model
        if event.usage is not None:
            self.usage = merge_usage(self.usage, event.usage)

    def _usage(self, event: ir.StreamUsage) -> None:
        self.usage = merge_usage(self.usage, event.usage)

    def _finish(self, event: ir.StreamFinish) -> None:
        self.stop_reason = event.stop_reason
        if event.stop_sequence is not None:
            self.stop_sequence = event.stop_sequence

    def _error(self, event: ir.StreamError) -> None:
        if self.error is None:
            self.error = event

    # ------------------------------------------------------------------ blocks

    def _close_block(self) -> None:
        if self._kind is None:
            return
        part = self._pending_part()
        if part is not None:
            self._slots.append(part)
        self._kind = None
        self._chunks = []
        self._signature = []
        self._citations = []

    def _pending_part(self) -> ir.Part | None:
        """The part the open block would become (None for an empty one), without closing it."""
        kind = self._kind
        if kind is None:
            return None
        text = "".join(self._chunks)
        if kind is _TEXT:
            return ir.TextPart(text, None, list(self._citations) or None) if text else None
        if kind is _THINKING:
            signature = "".join(self._signature) or None
            return ir.ThinkingPart(text, signature) if text or signature else None
        return ir.RefusalPart(text) if text else None
