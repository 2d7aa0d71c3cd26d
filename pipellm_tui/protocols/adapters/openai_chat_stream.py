"""OpenAI Chat Completions streams (`chat.completion.chunk` events) into and out of IR stream events.

Decoder: the first chunk opens the stream; `delta.content`, `delta.refusal`, non-standard
`delta.reasoning_content` and `delta.tool_calls` (keyed by their `index`: only the first fragment of
a call has its id and name) become deltas; a chunk carrying both content and a finish_reason is split;
the `choices: []` chunk carries usage; `{"error": ...}` becomes `StreamError`; `[DONE]` is ignored.

Encoder: writes the real wire shape the official SDK parses, with a role chunk first. The finish
chunk is held until usage arrives or the stream closes, so the order is always finish chunk, usage
chunk (only if the source reported usage), `data: [DONE]`. Events may arrive in any legal order from
any decoder (no start, no block stops, usage before the finish).

Must not import pydantic; no I/O.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from typing import Any

from .. import ir
from ..problems import ProtocolError
from ..sse import SSEEvent
from .openai_chat_wire import (
    LABEL,
    dumps,
    finish_from_ir,
    finish_to_ir,
    synthetic_id,
    usage_from_ir,
    usage_to_ir,
)

_DONE = "[DONE]"
_TEXT = "text"
_THINKING = "thinking"
_REFUSAL = "refusal"
END = ir.StopReason.END_TURN


class OpenAIChatStreamDecoder:
    """SSE events of an OpenAI Chat stream in, IR stream events out. One instance per stream."""

    __slots__ = ("_block", "_done", "_failed", "_finished", "_noted", "_started", "_tools", "warnings")

    def __init__(self) -> None:
        self.warnings: list[str] = []
        self._started = False
        #: The open block: "text", "thinking", "refusal", the ordinal of a tool call, or None.
        self._block: str | int | None = None
        #: Wire `tool_calls[].index` -> ordinal of the call in this message.
        self._tools: dict[int, int] = {}
        self._finished = False
        self._done = False
        self._failed = False
        self._noted: set[str] = set()

    def feed(self, event: SSEEvent) -> list[ir.StreamEvent]:
        data = event.data
        if data == _DONE or data.strip() == _DONE:
            self._done = True
            return []
        name = event.event
        if name is not None and name != "message" and name != "error":
            self._note(f"event {name!r}: not an OpenAI Chat event; ignored")
            return []
        try:
            chunk = json.loads(data)
        except (ValueError, RecursionError):
            self._note("stream: an event whose data is not JSON was ignored")
            return []
        if not isinstance(chunk, dict):
            self._note("stream: an event whose data is not a JSON object was ignored")
            return []
        error = chunk.get("error")
        if error is not None or name == "error":
            self._failed = True
            return [_stream_error(error if error is not None else chunk)]
        out: list[ir.StreamEvent] = []
        if not self._started:
            self._started = True
            chunk_id, model = chunk.get("id"), chunk.get("model")
            out.append(
                ir.StreamStart(
                    chunk_id if isinstance(chunk_id, str) else None, model if isinstance(model, str) else None
                )
            )
        choices = chunk.get("choices")
        if isinstance(choices, list):
            for choice in choices:
                if isinstance(choice, dict):
                    if choice.get("index", 0) == 0:
                        self._choice(choice, out)
                    else:
                        self._note(
                            "choices: only the first candidate of a stream is carried; the others dropped"
                        )
        usage = chunk.get("usage")
        if usage is not None:
            try:
                counts = usage_to_ir(usage, "usage")
            except ProtocolError as exc:
                self._note(f"stream: usage ignored ({exc})")
            else:
                if counts is not None:
                    out.append(ir.StreamUsage(counts))
        return out

    def _choice(self, choice: dict[str, Any], out: list[ir.StreamEvent]) -> None:
        delta = choice.get("delta")
        if isinstance(delta, dict) and delta:
            text = delta.get("reasoning_content")
            if text and isinstance(text, str):
                self._open(_THINKING, out)
                out.append(ir.ThinkingDelta(text))
            text = delta.get("content")
            if text and isinstance(text, str):
                self._open(_TEXT, out)
                out.append(ir.TextDelta(text))
            text = delta.get("refusal")
            if text and isinstance(text, str):
                self._open(_REFUSAL, out)
                out.append(ir.RefusalDelta(text))
            calls = delta.get("tool_calls")
            if calls and isinstance(calls, list):
                for position, call in enumerate(calls):
                    if isinstance(call, dict):
                        self._tool_call(call, position, out)
            legacy = delta.get("function_call")
            if legacy and isinstance(legacy, dict):
                # The legacy single function call: one call without an id, made a tool call of its own.
                call = {"index": -1, "function": legacy}
                if -1 not in self._tools:
                    call["id"] = f"call_{len(self._tools)}"
                self._tool_call(call, 0, out)
        finish = choice.get("finish_reason")
        if finish is not None:
            if self._block is not None:
                out.append(ir.BlockStop())
                self._block = None
            try:
                reason = finish_to_ir(finish, bool(self._tools), "finish_reason", self.warnings) or END
            except ProtocolError:
                self._note(f"finish_reason: {finish!r} is not a string; read as a normal end of turn")
                reason = END
            self._finished = True
            out.append(ir.StreamFinish(reason))

    def _open(self, block: str | int, out: list[ir.StreamEvent]) -> None:
        if self._block != block:
            if self._block is not None:
                out.append(ir.BlockStop())
            self._block = block

    def _tool_call(self, call: dict[str, Any], position: int, out: list[ir.StreamEvent]) -> None:
        wire_index = call.get("index")
        if type(wire_index) is not int:
            wire_index = position
        function = call.get("function")
        if not isinstance(function, dict):
            function = {}
        ordinal = self._tools.get(wire_index)
        if ordinal is None:
            ordinal = self._tools[wire_index] = len(self._tools)
            self._open(ordinal, out)
            call_id, name = call.get("id"), function.get("name")
            if not isinstance(call_id, str) or not call_id:
                call_id = f"call_{ordinal}"
                self._note(f"tool_calls[{wire_index}]: first fragment without an id; used {call_id!r}")
            if not isinstance(name, str):
                name = ""
                self._note(f"tool_calls[{wire_index}]: first fragment without a function name")
            out.append(ir.ToolCallStart(ordinal, call_id, name))
        else:
            self._open(ordinal, out)
        arguments = function.get("arguments")
        if arguments and isinstance(arguments, str):
            out.append(ir.ToolCallDelta(ordinal, arguments))

    def close(self) -> list[ir.StreamEvent]:
        if self._finished or self._failed or not self._started:
            return []
        out: list[ir.StreamEvent] = []
        if self._block is not None:
            out.append(ir.BlockStop())
            self._block = None
        self._finished = True
        if self._done:
            self._note("stream: [DONE] came without a finish_reason; read as a normal end of turn")
            reason = ir.StopReason.TOOL_USE if self._tools else ir.StopReason.END_TURN
            out.append(ir.StreamFinish(reason))
        else:
            out.append(ir.StreamError("the stream ended before its finish chunk and [DONE]", "api_error"))
        return out

    def _note(self, warning: str) -> None:
        if warning not in self._noted:
            self._noted.add(warning)
            self.warnings.append(warning)


def _stream_error(error: Any) -> ir.StreamError:
    if not isinstance(error, dict):
        return ir.StreamError(str(error))
    message = error.get("message")
    kind = error.get("type")
    code = error.get("code")
    status = error.get("status")
    if type(status) is not int:
        status = (
            code if type(code) is int else int(code) if isinstance(code, str) and code.isdigit() else None
        )
    return ir.StreamError(
        message if isinstance(message, str) else dumps(error),
        kind if isinstance(kind, str) and kind else "api_error",
        status,
    )


# ---------------------------------------------------------------------------- encoder

_OPEN_TAIL = ',"logprobs":null,"finish_reason":null}]}'


class OpenAIChatStreamEncoder:
    """IR stream events in, `chat.completion.chunk` SSE events out. One instance per stream."""

    __slots__ = (
        "_base",
        "_closed",
        "_failed",
        "_finish",
        "_finish_sent",
        "_head",
        "_noted",
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
        self._noted: set[str] = set()

    def encode(self, event: ir.StreamEvent) -> list[SSEEvent]:
        kind = type(event)
        if self._closed:
            return []
        if kind is ir.TextDelta:
            return self._delta('{"content":' + encode_basestring(event.text) + "}") if event.text else []  # type: ignore[union-attr]
        if kind is ir.ToolCallDelta:
            return self._tool_delta(event)  # type: ignore[arg-type]
        if kind is ir.ThinkingDelta:
            return self._thinking(event)  # type: ignore[arg-type]
        if kind is ir.ToolCallStart:
            return self._tool_start(event)  # type: ignore[arg-type]
        if kind is ir.RefusalDelta:
            return self._delta('{"refusal":' + encode_basestring(event.text) + "}") if event.text else []  # type: ignore[union-attr]
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
        self._note(f"stream: unknown event {kind.__name__} ignored")
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
            + encode_basestring(chunk_id or synthetic_id(model))
            + ',"object":"chat.completion.chunk","created":0,"model":'
            + encode_basestring(model)
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
            self._note(f"thinking signature: {LABEL} streams cannot carry it; dropped")
        if not event.text:
            return []
        return self._delta('{"reasoning_content":' + encode_basestring(event.text) + "}")

    def _tool_start(self, event: ir.ToolCallStart) -> list[SSEEvent]:
        if event.signature is not None:
            self._note(f"tool call {event.name!r}: {LABEL} cannot carry a thought signature; dropped")
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
            self._note(f"tool call {event.index}: arguments came before the call's start; started it unnamed")
            out = self._tool_start(ir.ToolCallStart(event.index, f"call_{event.index}", ""))
            wire = self._tools[event.index]
        if event.arguments:
            arguments = encode_basestring(event.arguments)
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
        new, old = event.usage, self._usage or self._start_usage
        if old is not None:  # a report that leaves a count at 0 keeps the count an earlier one gave
            new = ir.Usage(
                new.input_tokens or old.input_tokens,
                new.output_tokens or old.output_tokens,
                new.cache_read_tokens or old.cache_read_tokens,
                new.cache_write_tokens or old.cache_write_tokens,
                new.reasoning_tokens or old.reasoning_tokens,
            )
        self._usage = new
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
                    self._note(f"stream: the source ended without a finish; sent {self._finish!r}")
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
        return SSEEvent(
            self._base + '"choices":[],"usage":' + dumps(usage_from_ir(usage, self.warnings)) + "}"
        )

    def _note(self, warning: str) -> None:
        if warning not in self._noted:
            self._noted.add(warning)
            self.warnings.append(warning)
