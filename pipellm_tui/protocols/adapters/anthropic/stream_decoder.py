"""Anthropic Messages stream -> IR stream events: the decoder state machine.

Wire shape (every SSE event is named, its data repeats the name in `type`): message_start, then per
content block content_block_start / content_block_delta... / content_block_stop with indexes 0, 1, 2...,
then message_delta (stop_reason, cumulative usage), message_stop; `ping` anywhere; `error` may come
after HTTP 200.

The decoder never raises: unknown or malformed events are skipped with a warning. A block the
message ends without its own stop (max_tokens mid tool JSON, an error) is closed by the message.
No I/O; standard library only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ... import ir
from ...problems import ProtocolError
from ...sse import SSEEvent
from ..shared.citations import anthropic_citations
from ..shared.compact_json import dumps, loads
from ..shared.json_shapes import need_str
from ..shared.losses import warn_once
from ..shared.stream_guard import guard_decoder, not_understood
from .content import STOP_TO_IR, TOOL_USE_KEYS, drop_unknown, usage_to_ir
from .stream_runs import RUN_BLOCKS, ServerRuns

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


@guard_decoder
class AnthropicStreamDecoder:
    """Anthropic SSE events in, IR stream events out. One instance per stream."""

    __slots__ = (
        "_emitted",
        "_failed",
        "_finished",
        "_handlers",
        "_input",
        "_kinds",
        "_ordinals",
        "_runs",
        "_started",
        "_tools",
        "warnings",
    )

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
        self._runs = ServerRuns(self.warnings)  # server tool calls and results, joined into runs
        self._input: ir.Usage | None = None  # message_start usage: the input side of later reports
        self._started = False
        self._finished = False
        self._failed = False

    def feed(self, event: SSEEvent) -> list[ir.StreamEvent]:
        try:
            data = loads(event.data)
        except (ValueError, RecursionError):
            warn_once(self.warnings, f"event {event.event or '?'}: data is not JSON; skipped")
            not_understood(self.warnings, "data not JSON")
            return []
        if type(data) is not dict:
            warn_once(self.warnings, f"event {event.event or '?'}: data is not an object; skipped")
            not_understood(self.warnings, "data not a JSON object")
            return []
        kind = data.get("type") or event.event
        if not isinstance(kind, str):
            not_understood(self.warnings, f"a type that is {type(kind).__name__}, not a string")
            return []
        handler = self._handlers.get(kind)
        if handler is None:
            warn_once(self.warnings, f"event {kind}: unknown Anthropic event; ignored")
            not_understood(self.warnings, f"event {kind[:40]} (unknown type)")
            return []
        try:
            return handler(data)
        except _SKIPPED as exc:
            warn_once(self.warnings, f"event {kind}: malformed ({type(exc).__name__}: {exc}); skipped")
            not_understood(self.warnings, f"event {kind} (malformed)")
            return []

    def close(self) -> list[ir.StreamEvent]:
        if not self._started or self._finished or self._failed:
            return []
        self._failed = True
        self.warnings.append("stream: ended before message_delta gave a stop reason")
        return [
            *self._runs.unanswered(),
            ir.StreamError("the stream ended before it was complete", "api_error"),
        ]

    def _message_start(self, data: dict[str, Any]) -> list[ir.StreamEvent]:
        message = data["message"]
        self._started = True
        usage = message.get("usage")
        self._input = None if usage is None else usage_to_ir(usage, "message.usage")
        id_, model = message.get("id"), message.get("model")
        return [
            ir.StreamStart(
                id_ if isinstance(id_, str) else None, model if isinstance(model, str) else None, self._input
            )
        ]

    def _block_start(self, data: dict[str, Any]) -> list[ir.StreamEvent]:
        index: int = data["index"]
        block = data["content_block"]
        kind = block["type"]
        self._kinds[index] = kind
        if kind == "text":
            if block.get("text"):
                self._emitted.add(index)
                return [ir.TextDelta(need_str(block["text"], "content_block.text"))]
            return []
        if kind == "tool_use":
            ordinal = self._ordinals[index] = self._tools
            self._tools += 1
            self._emitted.add(index)
            if len(block) > 4:
                drop_unknown(block, TOOL_USE_KEYS, "tool_use", self.warnings)
            tool_id, name = (
                need_str(block["id"], "content_block.id"),
                need_str(block["name"], "content_block.name"),
            )
            events: list[ir.StreamEvent] = [ir.ToolCallStart(ordinal, tool_id, name)]
            if block.get("input"):  # servers send {} and stream the JSON; a whole input is one delta
                events.append(ir.ToolCallDelta(ordinal, dumps(block["input"])))
            return events
        if kind == "thinking":
            text, signature = block.get("thinking") or "", block.get("signature") or None
            need_str(text, "content_block.thinking")
            if signature is not None:
                need_str(signature, "content_block.signature")
            if text or signature:
                self._emitted.add(index)
                return [ir.ThinkingDelta(text, signature)]
            return []
        if kind in RUN_BLOCKS:
            return self._runs.start(index, block)
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
            text = need_str(delta["text"], "delta.text")
            if not text:
                return []
            self._emitted.add(index)
            return [ir.TextDelta(text)]
        if kind == "input_json_delta":
            fragment = need_str(delta["partial_json"], "delta.partial_json")
            ordinal = self._ordinals.get(index)
            if not fragment or ordinal is None:  # empty, or the input of a server tool
                self._runs.input(index, fragment)
                return []
            return [ir.ToolCallDelta(ordinal, fragment)]
        if kind == "thinking_delta":
            text = need_str(delta["thinking"], "delta.thinking")
            if not text:
                return []
            self._emitted.add(index)
            return [ir.ThinkingDelta(text)]
        if kind == "citations_delta":
            cited = anthropic_citations([delta["citation"]], self.warnings)
            if cited:
                self._emitted.add(index)
            return [ir.CitationDelta(c) for c in cited or ()]
        if kind == "signature_delta":
            self._emitted.add(index)
            return [ir.ThinkingDelta("", need_str(delta["signature"], "delta.signature"))]
        warn_once(self.warnings, f"{kind}: not carried by the neutral stream; dropped")
        return []

    def _block_stop(self, data: dict[str, Any]) -> list[ir.StreamEvent]:
        index = data["index"]
        if self._kinds.pop(index, None) == "server_tool_use":
            self._runs.stop(index)
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
        events = self._end_blocks() + self._runs.unanswered()
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
        error = data.get("error")
        error = error if isinstance(error, dict) else {}
        kind, message = error.get("type"), error.get("message")
        kind = kind if isinstance(kind, str) and kind else "api_error"  # a server's typo must not pass on
        self._failed = True
        events = self._end_blocks()
        message = message if isinstance(message, str) and message else "unknown error"
        events.append(ir.StreamError(message, kind, ERROR_STATUS.get(kind)))
        return events


def _nothing(data: dict[str, Any]) -> list[ir.StreamEvent]:
    return []
