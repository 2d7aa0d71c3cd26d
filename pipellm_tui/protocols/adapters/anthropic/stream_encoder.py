"""IR stream events -> Anthropic Messages stream: the encoder state machine.

Accepts IR events in any legal order from any format's decoder: it synthesises message_start (with
a deterministic id) when a delta comes first, opens and closes content blocks itself with indexes
0, 1, 2..., and holds message_delta until `close()` so it carries the final stop reason and the
latest usage, then message_stop. Output is what the official SDK's `messages.stream()` reads.
No I/O; standard library only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ... import ir
from ...sse import SSEEvent
from ..shared.citations import anthropic_citation_blocks
from ..shared.compact_json import dumps, quote
from ..shared.fitting import anthropic_tool_id
from ..shared.losses import warn_once
from ..shared.stream_guard import guard_encoder
from .content import stop_from_ir, usage_from_ir
from .hosted import hosted_blocks

_TEXT_DELTA = '{"type":"content_block_delta","index":%d,"delta":{"type":"text_delta","text":%s}}'
_JSON_DELTA = (
    '{"type":"content_block_delta","index":%d,"delta":{"type":"input_json_delta","partial_json":%s}}'
)
_THINKING_DELTA = '{"type":"content_block_delta","index":%d,"delta":{"type":"thinking_delta","thinking":%s}}'
_SIGNATURE_DELTA = (
    '{"type":"content_block_delta","index":%d,"delta":{"type":"signature_delta","signature":%s}}'
)
_BLOCK_STOP = '{"type":"content_block_stop","index":%d}'
_DELTA = "content_block_delta"
_TEXT, _THINKING, _TOOL, _HOSTED = "text", "thinking", "tool", "hosted"

#: Used when the source stream named no message id: deterministic, so the same input gives the same output.
SYNTHETIC_STREAM_ID = "msg_0000000000000000000000000"


@guard_encoder
class AnthropicStreamEncoder:
    """IR stream events in, Anthropic SSE events out. One instance per stream."""

    __slots__ = (
        "_done",
        "_handlers",
        "_index",
        "_next",
        "_open",
        "_reported",
        "_seen",
        "_sequence",
        "_started",
        "_stop",
        "_tool",
        "_tool_blocks",
        "_usage",
        "warnings",
    )

    def __init__(self) -> None:
        self.warnings: list[str] = []
        self._handlers: dict[type, Callable[[Any], list[SSEEvent]]] = {
            ir.TextDelta: self._text,
            ir.ToolCallDelta: self._tool_delta,
            ir.ThinkingDelta: self._thinking,
            ir.ToolCallStart: self._tool_start,
            ir.BlockStop: self._block_stop,
            ir.StreamStart: self._start,
            ir.StreamFinish: self._finish,
            ir.StreamUsage: self._usage_report,
            ir.RefusalDelta: self._refusal,
            ir.StreamError: self._error,
            ir.HostedToolUse: self._hosted,
            ir.CitationDelta: self._citation,
        }
        self._started = False
        self._seen = False
        self._done = False
        self._open: str | None = None  # kind of the open block
        self._index = -1  # wire index of the open (or last) block
        self._next = 0
        self._tool = -1  # ordinal of the open tool_use block
        self._tool_blocks: dict[int, int] = {}  # tool-call ordinal -> wire index
        self._stop: ir.StopReason | None = None
        self._sequence: str | None = None
        self._usage: ir.Usage | None = None
        self._reported = False  # a StreamUsage came (not only the usage of StreamStart)

    def encode(self, event: ir.StreamEvent) -> list[SSEEvent]:
        if self._done:
            return []
        self._seen = True
        return self._handlers[type(event)](event)

    def close(self) -> list[SSEEvent]:
        if self._done or not self._seen:
            return []
        self._done = True
        out = self._begin() + self._close_block()
        stop = self._stop
        if stop is None:
            stop = ir.StopReason.TOOL_USE if self._tool_blocks else ir.StopReason.END_TURN
            self.warnings.append(
                f"stream: the source gave no finish reason; {stop_from_ir(stop, [])} assumed"
            )
        usage = self._usage
        wire_usage = {"output_tokens": 0} if usage is None else usage_from_ir(usage)
        delta = {"stop_reason": stop_from_ir(stop, self.warnings), "stop_sequence": self._sequence}
        out.append(
            SSEEvent(dumps({"type": "message_delta", "delta": delta, "usage": wire_usage}), "message_delta")
        )
        out.append(SSEEvent('{"type":"message_stop"}', "message_stop"))
        return out

    # ------------------------------------------------------------------ message and blocks

    def _begin(self, start: ir.StreamStart | None = None) -> list[SSEEvent]:
        if self._started:
            if start is not None and start.usage is not None and self._usage is None:
                self._usage = start.usage
            return []
        self._started = True
        usage = None if start is None else start.usage
        if usage is not None:
            self._usage = usage
        message: dict[str, Any] = {
            "id": (start and start.id) or SYNTHETIC_STREAM_ID,
            "type": "message",
            "role": "assistant",
            "model": (start and start.model) or "",
            "content": [],
            "stop_reason": None,
            "stop_sequence": None,
            "usage": usage_from_ir(usage),
        }
        return [
            SSEEvent(dumps({"type": "message_start", "message": message}), "message_start"),
            SSEEvent('{"type":"ping"}', "ping"),
        ]

    def _open_block(self, kind: str, block: dict[str, Any]) -> list[SSEEvent]:
        out = self._begin() + self._close_block()
        self._open = kind
        self._index = index = self._next
        self._next += 1
        data = dumps({"type": "content_block_start", "index": index, "content_block": block})
        out.append(SSEEvent(data, "content_block_start"))
        return out

    def _close_block(self) -> list[SSEEvent]:
        if self._open is None:
            return []
        self._open = None
        return [SSEEvent(_BLOCK_STOP % self._index, "content_block_stop")]

    # ------------------------------------------------------------------ handlers

    def _start(self, event: ir.StreamStart) -> list[SSEEvent]:
        return self._begin(event)

    def _text(self, event: ir.TextDelta) -> list[SSEEvent]:
        if not event.text:
            return []
        if self._open is _TEXT:
            return [SSEEvent(_TEXT_DELTA % (self._index, quote(event.text)), _DELTA)]
        out = self._open_block(_TEXT, {"type": "text", "text": ""})
        out.append(SSEEvent(_TEXT_DELTA % (self._index, quote(event.text)), _DELTA))
        return out

    def _refusal(self, event: ir.RefusalDelta) -> list[SSEEvent]:
        warn_once(self.warnings, "refusal: Anthropic streams have no refusal delta; sent as text")
        return self._text(ir.TextDelta(event.text))

    def _thinking(self, event: ir.ThinkingDelta) -> list[SSEEvent]:
        out = (
            []
            if self._open is _THINKING
            else self._open_block(_THINKING, {"type": "thinking", "thinking": "", "signature": ""})
        )
        if event.text:
            out.append(SSEEvent(_THINKING_DELTA % (self._index, quote(event.text)), _DELTA))
        if event.signature:
            out.append(SSEEvent(_SIGNATURE_DELTA % (self._index, quote(event.signature)), _DELTA))
        return out

    def _tool_start(self, event: ir.ToolCallStart) -> list[SSEEvent]:
        if event.signature is not None:
            warn_once(self.warnings, "tool call thoughtSignature: Gemini-only; dropped")
        call_id = anthropic_tool_id(event.id, self.warnings)
        out = self._open_block(_TOOL, {"type": "tool_use", "id": call_id, "name": event.name, "input": {}})
        self._tool = event.index
        self._tool_blocks[event.index] = self._index
        return out

    def _tool_delta(self, event: ir.ToolCallDelta) -> list[SSEEvent]:
        if not event.arguments:
            return []
        if self._open is _TOOL and self._tool == event.index:
            return [SSEEvent(_JSON_DELTA % (self._index, quote(event.arguments)), _DELTA)]
        index = self._tool_blocks.get(event.index)
        if index is not None:  # arguments of an earlier call, after another block began
            warn_once(
                self.warnings,
                "tool call arguments: arrived after the next block began; sent to the earlier block's index",
            )
            return [SSEEvent(_JSON_DELTA % (index, quote(event.arguments)), _DELTA)]
        warn_once(self.warnings, "tool call arguments: arrived without a tool call start; id synthesised")
        out = self._tool_start(ir.ToolCallStart(event.index, f"toolu_{event.index:024d}", ""))
        out.append(SSEEvent(_JSON_DELTA % (self._index, quote(event.arguments)), _DELTA))
        return out

    def _citation(self, event: ir.CitationDelta) -> list[SSEEvent]:
        # Anthropic sends a block's citations before its text: a citation may open the block.
        out = [] if self._open is _TEXT else self._open_block(_TEXT, {"type": "text", "text": ""})
        if event.citation.start is not None or event.citation.end is not None:
            warn_once(
                self.warnings,
                "citations: Anthropic streams cite whole text blocks; a span now cites its block",
            )
        (location,) = anthropic_citation_blocks([event.citation])
        delta = {
            "type": "content_block_delta",
            "index": self._index,
            "delta": {"type": "citations_delta", "citation": location},
        }
        out.append(SSEEvent(dumps(delta), _DELTA))
        return out

    def _hosted(self, event: ir.HostedToolUse) -> list[SSEEvent]:
        """A server tool's run: its call block (the input streamed as JSON, as Anthropic does), then
        its result block whole."""
        call, *results = hosted_blocks(event.part, self.warnings)
        out = self._open_block(_HOSTED, {**call, "input": {}})
        out.append(SSEEvent(_JSON_DELTA % (self._index, quote(dumps(call["input"]))), _DELTA))
        out += self._close_block()
        for result in results:
            out += self._open_block(_HOSTED, result)
            out += self._close_block()
        return out

    def _block_stop(self, event: ir.BlockStop) -> list[SSEEvent]:
        return self._close_block()

    def _finish(self, event: ir.StreamFinish) -> list[SSEEvent]:
        self._stop = event.stop_reason
        self._sequence = event.stop_sequence
        return self._close_block()

    def _usage_report(self, event: ir.StreamUsage) -> list[SSEEvent]:
        self._usage = event.usage
        self._reported = True
        return []

    def _error(self, event: ir.StreamError) -> list[SSEEvent]:
        self._done = True  # an Anthropic stream ends at its error event
        out = self._close_block()
        if self._reported:
            # Usage reported before the failure would be lost with the held message_delta: send it
            # now, with no stop reason (the message did not finish), then the error.
            delta = {"stop_reason": None, "stop_sequence": None}
            data = {"type": "message_delta", "delta": delta, "usage": usage_from_ir(self._usage)}
            out.append(SSEEvent(dumps(data), "message_delta"))
        error = {"type": "error", "error": {"type": event.type or "api_error", "message": event.message}}
        out.append(SSEEvent(dumps(error), "error"))
        return out
