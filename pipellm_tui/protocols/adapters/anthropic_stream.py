"""Anthropic Messages streams <-> IR stream events: one decoder and one encoder state machine.

Wire shape (every SSE event is named, its data repeats the name in `type`): message_start, then per
content block content_block_start / content_block_delta... / content_block_stop with indexes 0, 1, 2...,
then message_delta (stop_reason, cumulative usage), message_stop; `ping` anywhere; `error` may come
after HTTP 200.

The decoder never raises: unknown or malformed events are skipped with a warning. The encoder
accepts IR events in any legal order from any format's decoder: it synthesises message_start when a
delta comes first, opens and closes blocks itself, and holds message_delta until `close()` so it
carries the final stop reason and the latest usage.
No I/O; standard library only.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from .. import ir
from ..problems import ProtocolError
from ..sse import SSEEvent
from .anthropic_blocks import (
    STOP_TO_IR,
    TOOL_USE_KEYS,
    drop_unknown,
    stop_from_ir,
    usage_from_ir,
    usage_to_ir,
    warn_once,
)

#: HTTP statuses of Anthropic's error types, for errors that arrive inside a 200 stream.
ERROR_STATUS = {
    "invalid_request_error": 400,
    "authentication_error": 401,
    "billing_error": 402,
    "permission_error": 403,
    "not_found_error": 404,
    "request_too_large": 413,
    "rate_limit_error": 429,
    "api_error": 500,
    "timeout_error": 504,
    "overloaded_error": 529,
}

_SKIPPED = (KeyError, TypeError, ValueError, AttributeError, IndexError, ProtocolError)

# ---------------------------------------------------------------------------- decoder


class AnthropicStreamDecoder:
    """Anthropic SSE events in, IR stream events out. One instance per stream."""

    __slots__ = ("warnings", "_handlers", "_kinds", "_ordinals", "_emitted", "_tools", "_input",
                 "_started", "_finished", "_failed")

    def __init__(self) -> None:
        self.warnings: list[str] = []
        self._handlers: dict[str, Callable[[dict[str, Any]], list[ir.StreamEvent]]] = {
            "content_block_delta": self._delta,
            "content_block_start": self._block_start,
            "content_block_stop": self._block_stop,
            "message_start": self._message_start,
            "message_delta": self._message_delta,
            "message_stop": self._message_stop,
            "ping": _nothing,
            "error": self._error,
        }
        self._kinds: dict[int, str] = {}  # wire block index -> block type
        self._ordinals: dict[int, int] = {}  # wire block index of a tool_use -> tool-call ordinal
        self._emitted: set[int] = set()  # open blocks that produced IR events (so need a BlockStop)
        self._tools = 0
        self._input: ir.Usage | None = None  # message_start usage: the input side of later reports
        self._started = False
        self._finished = False
        self._failed = False

    def feed(self, event: SSEEvent) -> list[ir.StreamEvent]:
        try:
            data = json.loads(event.data)
        except ValueError:
            self.warnings.append(f"event {event.event or '?'}: data is not JSON; skipped")
            return []
        if type(data) is not dict:
            self.warnings.append(f"event {event.event or '?'}: data is not an object; skipped")
            return []
        kind = data.get("type") or event.event
        handler = self._handlers.get(kind)  # type: ignore[arg-type]
        if handler is None:
            warn_once(self.warnings, f"event {kind}: unknown Anthropic event; ignored")
            return []
        try:
            return handler(data)
        except _SKIPPED as exc:
            self.warnings.append(f"event {kind}: malformed ({type(exc).__name__}: {exc}); skipped")
            return []

    def close(self) -> list[ir.StreamEvent]:
        if not self._started or self._finished or self._failed:
            return []
        self._failed = True
        self.warnings.append("stream: ended before message_delta gave a stop reason")
        return [ir.StreamError("the stream ended before it was complete", "api_error")]

    def _message_start(self, data: dict[str, Any]) -> list[ir.StreamEvent]:
        message = data["message"]
        self._started = True
        usage = message.get("usage")
        self._input = None if usage is None else usage_to_ir(usage, "message.usage")
        return [ir.StreamStart(message.get("id"), message.get("model"), self._input)]

    def _block_start(self, data: dict[str, Any]) -> list[ir.StreamEvent]:
        index: int = data["index"]
        block = data["content_block"]
        kind = block["type"]
        self._kinds[index] = kind
        if kind == "text":
            if block.get("text"):
                self._emitted.add(index)
                return [ir.TextDelta(block["text"])]
            return []
        if kind == "tool_use":
            ordinal = self._ordinals[index] = self._tools
            self._tools += 1
            self._emitted.add(index)
            if len(block) > 4:
                drop_unknown(block, TOOL_USE_KEYS, "tool_use", self.warnings)
            events: list[ir.StreamEvent] = [ir.ToolCallStart(ordinal, block["id"], block["name"])]
            if block.get("input"):  # servers send {} and stream the JSON; a whole input is one delta
                events.append(ir.ToolCallDelta(ordinal, json.dumps(block["input"], separators=(",", ":"))))
            return events
        if kind == "thinking":
            text, signature = block.get("thinking") or "", block.get("signature") or None
            if text or signature:
                self._emitted.add(index)
                return [ir.ThinkingDelta(text, signature)]
            return []
        if kind == "redacted_thinking":
            warn_once(self.warnings, "redacted_thinking: streams carry no redacted thinking; dropped")
        else:
            warn_once(self.warnings, f"{kind}: this block type has no neutral form; dropped")
        return []

    def _delta(self, data: dict[str, Any]) -> list[ir.StreamEvent]:
        delta = data["delta"]
        kind = delta["type"]
        index: int = data["index"]
        if kind == "text_delta":
            text = delta["text"]
            if not text:
                return []
            self._emitted.add(index)
            return [ir.TextDelta(text)]
        if kind == "input_json_delta":
            fragment = delta["partial_json"]
            ordinal = self._ordinals.get(index)
            if not fragment or ordinal is None:  # empty, or the input of a server tool
                return []
            return [ir.ToolCallDelta(ordinal, fragment)]
        if kind == "thinking_delta":
            text = delta["thinking"]
            if not text:
                return []
            self._emitted.add(index)
            return [ir.ThinkingDelta(text)]
        if kind == "signature_delta":
            self._emitted.add(index)
            return [ir.ThinkingDelta("", delta["signature"])]
        warn_once(self.warnings, f"{kind}: not carried by the neutral stream; dropped")
        return []

    def _block_stop(self, data: dict[str, Any]) -> list[ir.StreamEvent]:
        index = data["index"]
        self._kinds.pop(index, None)
        if index in self._emitted:
            self._emitted.discard(index)
            return [ir.BlockStop()]
        return []

    def _end_blocks(self) -> list[ir.StreamEvent]:
        # A block cut short (max_tokens mid tool JSON) has no stop of its own: the message ends it.
        self._kinds.clear()
        if self._emitted:
            self._emitted.clear()
            return [ir.BlockStop()]
        return []

    def _message_delta(self, data: dict[str, Any]) -> list[ir.StreamEvent]:
        delta = data["delta"]
        events = self._end_blocks()
        reason = delta.get("stop_reason")
        if reason is not None:
            stop = STOP_TO_IR.get(reason)
            if stop is None:
                warn_once(self.warnings, f"stop_reason {reason!r}: unknown; read as end_turn")
                stop = ir.StopReason.END_TURN
            self._finished = True
            events.append(ir.StreamFinish(stop, delta.get("stop_sequence")))
        if delta.get("stop_details") is not None:
            warn_once(self.warnings, "stop_details: not carried by the neutral stream; dropped")
        usage = data.get("usage")
        if usage is not None:
            events.append(ir.StreamUsage(usage_to_ir(usage, "usage", self._input)))
        return events

    def _message_stop(self, data: dict[str, Any]) -> list[ir.StreamEvent]:
        if not self._finished and self._started:
            self._finished = True
            warn_once(self.warnings, "message_stop: no stop reason was given; end_turn assumed")
            return [*self._end_blocks(), ir.StreamFinish(ir.StopReason.END_TURN)]
        return self._end_blocks()

    def _error(self, data: dict[str, Any]) -> list[ir.StreamEvent]:
        error = data.get("error") or {}
        kind = error.get("type") or "api_error"
        self._failed = True
        events = self._end_blocks()
        events.append(ir.StreamError(error.get("message") or "unknown error", kind, ERROR_STATUS.get(kind)))
        return events


def _nothing(data: dict[str, Any]) -> list[ir.StreamEvent]:
    return []


# ---------------------------------------------------------------------------- encoder

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

_TEXT_DELTA = '{"type":"content_block_delta","index":%d,"delta":{"type":"text_delta","text":%s}}'
_JSON_DELTA = '{"type":"content_block_delta","index":%d,"delta":{"type":"input_json_delta","partial_json":%s}}'
_THINKING_DELTA = '{"type":"content_block_delta","index":%d,"delta":{"type":"thinking_delta","thinking":%s}}'
_SIGNATURE_DELTA = '{"type":"content_block_delta","index":%d,"delta":{"type":"signature_delta","signature":%s}}'
_BLOCK_STOP = '{"type":"content_block_stop","index":%d}'
_DELTA = "content_block_delta"
_TEXT, _THINKING, _TOOL = "text", "thinking", "tool"

#: Used when the source stream named no message id: deterministic, so the same input gives the same output.
SYNTHETIC_STREAM_ID = "msg_0000000000000000000000000"


class AnthropicStreamEncoder:
    """IR stream events in, Anthropic SSE events out. One instance per stream."""

    __slots__ = ("warnings", "_handlers", "_started", "_seen", "_done", "_open", "_index", "_next",
                 "_tool", "_tool_blocks", "_stop", "_sequence", "_usage", "_reported")

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
            self.warnings.append(f"stream: the source gave no finish reason; {stop_from_ir(stop, [])} assumed")
        usage = self._usage
        wire_usage = {"output_tokens": 0} if usage is None else usage_from_ir(usage)
        delta = {"stop_reason": stop_from_ir(stop, self.warnings), "stop_sequence": self._sequence}
        out.append(SSEEvent(_dumps({"type": "message_delta", "delta": delta, "usage": wire_usage}), "message_delta"))
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
        message = {
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
            SSEEvent(_dumps({"type": "message_start", "message": message}), "message_start"),
            SSEEvent('{"type":"ping"}', "ping"),
        ]

    def _open_block(self, kind: str, block: dict[str, Any]) -> list[SSEEvent]:
        out = self._begin() + self._close_block()
        self._open = kind
        self._index = index = self._next
        self._next += 1
        data = _dumps({"type": "content_block_start", "index": index, "content_block": block})
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
            return [SSEEvent(_TEXT_DELTA % (self._index, _dumps(event.text)), _DELTA)]
        out = self._open_block(_TEXT, {"type": "text", "text": ""})
        out.append(SSEEvent(_TEXT_DELTA % (self._index, _dumps(event.text)), _DELTA))
        return out

    def _refusal(self, event: ir.RefusalDelta) -> list[SSEEvent]:
        warn_once(self.warnings, "refusal: Anthropic streams have no refusal delta; sent as text")
        return self._text(ir.TextDelta(event.text))

    def _thinking(self, event: ir.ThinkingDelta) -> list[SSEEvent]:
        out = [] if self._open is _THINKING else self._open_block(
            _THINKING, {"type": "thinking", "thinking": "", "signature": ""}
        )
        if event.text:
            out.append(SSEEvent(_THINKING_DELTA % (self._index, _dumps(event.text)), _DELTA))
        if event.signature:
            out.append(SSEEvent(_SIGNATURE_DELTA % (self._index, _dumps(event.signature)), _DELTA))
        return out

    def _tool_start(self, event: ir.ToolCallStart) -> list[SSEEvent]:
        if event.signature is not None:
            warn_once(self.warnings, "tool call thoughtSignature: Gemini-only; dropped")
        out = self._open_block(_TOOL, {"type": "tool_use", "id": event.id, "name": event.name, "input": {}})
        self._tool = event.index
        self._tool_blocks[event.index] = self._index
        return out

    def _tool_delta(self, event: ir.ToolCallDelta) -> list[SSEEvent]:
        if not event.arguments:
            return []
        if self._open is _TOOL and self._tool == event.index:
            return [SSEEvent(_JSON_DELTA % (self._index, _dumps(event.arguments)), _DELTA)]
        index = self._tool_blocks.get(event.index)
        if index is not None:  # arguments of an earlier call, after another block began
            warn_once(self.warnings, "tool call arguments: arrived after the next block began; sent "
                      "to the earlier block's index")
            return [SSEEvent(_JSON_DELTA % (index, _dumps(event.arguments)), _DELTA)]
        warn_once(self.warnings, "tool call arguments: arrived without a tool call start; id synthesised")
        out = self._tool_start(ir.ToolCallStart(event.index, f"toolu_{event.index:024d}", ""))
        out.append(SSEEvent(_JSON_DELTA % (self._index, _dumps(event.arguments)), _DELTA))
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
            out.append(SSEEvent(_dumps(data), "message_delta"))
        error = {"type": "error", "error": {"type": event.type or "api_error", "message": event.message}}
        out.append(SSEEvent(_dumps(error), "error"))
        return out
