"""IR stream events into OpenAI Chat Completions streams (`chat.completion.chunk` events).

Writes the real wire shape the official SDK parses, with a role chunk first. The finish chunk is held
until usage arrives or the stream closes, so the order is always finish chunk, usage chunk (only if
the source reported usage), `data: [DONE]`. Events may arrive in any legal order from any decoder (no
start, no block stops, text after a tool call, usage before the finish). Chunks are assembled from
pre-built JSON text around the one field that changes: this is the streaming hot path.

Must not import pydantic; no I/O.
"""

from __future__ import annotations

from typing import Any

from ... import ir
from ...sse import SSEEvent
from ..shared.compact_json import dumps, quote
from ..shared.hosted import drop_hosted
from ..shared.ids import synthetic_id
from ..shared.losses import warn_once
from ..shared.stream_guard import guard_encoder
from ..shared.usage import merge_usage
from .wire import LABEL, finish_from_ir, usage_from_ir

_DONE = "[DONE]"
_OPEN_TAIL = ',"logprobs":null,"finish_reason":null}]}'


@guard_encoder
class OpenAIChatStreamEncoder:
    """IR stream events in, `chat.completion.chunk` SSE events out. One instance per stream."""

    __slots__ = (
        "_base",
        "_closed",
        "_failed",
        "_finish",
        "_finish_sent",
        "_head",
        "_start_usage",
        "_tools",
        "_usage",
        "_usage_sent",
        "warnings",
    )

    def __init__(self) -> None:
        self.warnings: list[str] = []
        #: `{"id":...,"object":...,"created":...,"model":...,` once the stream has started.
        self._base = ""
        #: `_base` plus the opening of choice 0 up to its delta.
        self._head = ""
        #: IR tool-call index -> wire `tool_calls[].index`.
        self._tools: dict[int, int] = {}
        self._finish: str | None = None
        self._finish_sent = False
        self._usage: ir.Usage | None = None
        self._usage_sent: ir.Usage | None = None
        self._start_usage: ir.Usage | None = None
        self._failed = False
        self._closed = False

    def encode(self, event: ir.StreamEvent) -> list[SSEEvent]:
        kind = type(event)
        if self._closed:
            return []
        if kind is ir.TextDelta:
            return self._delta('{"content":' + quote(event.text) + "}") if event.text else []  # type: ignore[union-attr]
        if kind is ir.ToolCallDelta:
            return self._tool_delta(event)  # type: ignore[arg-type]
        if kind is ir.ThinkingDelta:
            return self._thinking(event)  # type: ignore[arg-type]
        if kind is ir.ToolCallStart:
            return self._tool_start(event)  # type: ignore[arg-type]
        if kind is ir.RefusalDelta:
            return self._delta('{"refusal":' + quote(event.text) + "}") if event.text else []  # type: ignore[union-attr]
        if kind is ir.BlockStop:
            return []
        if kind is ir.StreamStart:
            return self._stream_start(event)  # type: ignore[arg-type]
        if kind is ir.StreamFinish:
            return self._stream_finish(event)  # type: ignore[arg-type]
        if kind is ir.StreamUsage:
            return self._stream_usage(event)  # type: ignore[arg-type]
        if kind is ir.StreamError:
            return self._stream_error(event)  # type: ignore[arg-type]
        if kind is ir.CitationDelta:
            warn_once(self.warnings, f"citations: {LABEL} stream chunks carry no annotations; dropped")
            return []
        if kind is ir.HostedToolUse:
            drop_hosted(event.part, f"{LABEL} streams have no hosted-tool items", self.warnings)  # type: ignore[union-attr]
            return []
        warn_once(self.warnings, f"stream: unknown event {kind.__name__} ignored")
        return []

    # ------------------------------------------------------------------ events

    def _stream_start(self, event: ir.StreamStart) -> list[SSEEvent]:
        if event.usage is not None:
            self._start_usage = event.usage
        if self._head:
            return []
        return self._start(event.id, event.model)

    def _start(self, chunk_id: str | None, model: str | None) -> list[SSEEvent]:
        model = model or "unknown"
        self._base = (
            '{"id":'
            + quote(chunk_id or synthetic_id("chatcmpl-", model))
            + ',"object":"chat.completion.chunk","created":0,"model":'
            + quote(model)
            + ","
        )
        self._head = self._base + '"choices":[{"index":0,"delta":'
        return [SSEEvent(self._head + '{"role":"assistant","content":""}' + _OPEN_TAIL)]

    def _delta(self, delta: str) -> list[SSEEvent]:
        if not self._head:
            out = self._start(None, None)
            out.append(SSEEvent(self._head + delta + _OPEN_TAIL))
            return out
        return [SSEEvent(self._head + delta + _OPEN_TAIL)]

    def _thinking(self, event: ir.ThinkingDelta) -> list[SSEEvent]:
        if event.signature:
            warn_once(self.warnings, f"thinking signature: {LABEL} streams cannot carry it; dropped")
        if not event.text:
            return []
        return self._delta('{"reasoning_content":' + quote(event.text) + "}")

    def _tool_start(self, event: ir.ToolCallStart) -> list[SSEEvent]:
        if event.signature is not None:
            warn_once(
                self.warnings, f"tool call {event.name!r}: {LABEL} cannot carry a thought signature; dropped"
            )
        wire = self._tools[event.index] = len(self._tools)
        call = {
            "index": wire,
            "id": event.id,
            "type": "function",
            "function": {"name": event.name, "arguments": ""},
        }
        return self._delta('{"tool_calls":[' + dumps(call) + "]}")

    def _tool_delta(self, event: ir.ToolCallDelta) -> list[SSEEvent]:
        out: list[SSEEvent] = []
        wire = self._tools.get(event.index)
        if wire is None:
            warn_once(
                self.warnings,
                f"tool call {event.index}: arguments came before the call's start; started it unnamed",
            )
            out = self._tool_start(ir.ToolCallStart(event.index, f"call_{event.index}", ""))
            wire = self._tools[event.index]
        if event.arguments:
            arguments = quote(event.arguments)
            out.extend(
                self._delta(f'{{"tool_calls":[{{"index":{wire},"function":{{"arguments":{arguments}}}}}]}}')
            )
        return out

    def _stream_finish(self, event: ir.StreamFinish) -> list[SSEEvent]:
        out = [] if self._head else self._start(None, None)
        if not self._finish_sent:  # a second finish cannot be said on the wire
            self._finish = finish_from_ir(
                event.stop_reason, event.stop_sequence, bool(self._tools), self.warnings
            )
        return out

    def _stream_usage(self, event: ir.StreamUsage) -> list[SSEEvent]:
        self._usage = merge_usage(self._usage or self._start_usage, event.usage)
        if self._finish is not None and not self._finish_sent:
            return self._finish_chunks()
        return []

    def _stream_error(self, event: ir.StreamError) -> list[SSEEvent]:
        self._failed = True
        error: dict[str, Any] = {"message": event.message, "type": event.type, "code": event.status}
        return [SSEEvent(dumps({"error": error}))]

    def close(self) -> list[SSEEvent]:
        if self._closed:
            return []
        self._closed = True
        out: list[SSEEvent] = []
        if self._head and not self._failed:
            if not self._finish_sent:
                if self._finish is None:
                    self._finish = "tool_calls" if self._tools else "stop"
                    warn_once(
                        self.warnings, f"stream: the source ended without a finish; sent {self._finish!r}"
                    )
                out = self._finish_chunks()
            elif self._usage is not None and self._usage != self._usage_sent:
                out.append(self._usage_chunk(self._usage))
        out.append(SSEEvent(_DONE))
        return out

    # ------------------------------------------------------------------ chunks

    def _finish_chunks(self) -> list[SSEEvent]:
        self._finish_sent = True
        out = [SSEEvent(self._head + '{},"logprobs":null,"finish_reason":"' + str(self._finish) + '"}]}')]
        if self._usage is not None:
            out.append(self._usage_chunk(self._usage))
        return out

    def _usage_chunk(self, usage: ir.Usage) -> SSEEvent:
        self._usage_sent = usage
        said: list[str] = []
        wire = usage_from_ir(usage, said)
        for warning in said:  # once per stream, however many usage chunks
            warn_once(self.warnings, warning)
        return SSEEvent(self._base + '"choices":[],"usage":' + dumps(wire) + "}")
