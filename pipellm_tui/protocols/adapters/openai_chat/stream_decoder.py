"""OpenAI Chat Completions streams (`chat.completion.chunk` events) into IR stream events.

The first chunk opens the stream; `delta.content`, `delta.refusal`, non-standard
`delta.reasoning_content` and `delta.tool_calls` (keyed by their `index`: only the first fragment of
a call has its id and name) become deltas, with a block stop wherever the kind of content changes; a
chunk carrying both content and a finish_reason is split; the `choices: []` chunk carries usage;
`{"error": ...}` becomes `StreamError`; `[DONE]` is ignored. The encoder is in
`stream_encoder`.

Must not import pydantic; no I/O.
"""

from __future__ import annotations

from typing import Any

from ... import ir
from ...problems import ProtocolError
from ...sse import SSEEvent
from ..shared.compact_json import dumps, loads
from ..shared.losses import warn_once
from ..shared.stream_guard import guard_decoder, not_understood
from .wire import finish_to_ir, usage_to_ir

_DONE = "[DONE]"
_TEXT = "text"
_THINKING = "thinking"
_REFUSAL = "refusal"
END = ir.StopReason.END_TURN


@guard_decoder
class OpenAIChatStreamDecoder:
    """SSE events of an OpenAI Chat stream in, IR stream events out. One instance per stream."""

    __slots__ = ("_block", "_done", "_failed", "_finished", "_held", "_started", "_tools", "warnings")

    def __init__(self) -> None:
        self.warnings: list[str] = []
        self._started = False
        #: The open block: "text", "thinking", "refusal", the ordinal of a tool call, or None.
        self._block: str | int | None = None
        #: Wire `tool_calls[].index` -> ordinal of the call in this message.
        self._tools: dict[int, int] = {}
        #: Calls that began while another call's arguments were streaming (fragments keyed by index
        #: may interleave): ordinal -> [id, name, argument fragments], sent whole and in order when
        #: other content begins or the message ends.
        self._held: dict[int, list[Any]] = {}
        self._finished = False
        self._done = False
        self._failed = False

    def feed(self, event: SSEEvent) -> list[ir.StreamEvent]:
        data = event.data
        if data == _DONE or data.strip() == _DONE:
            self._done = True
            return []
        name = event.event
        if name is not None and name != "message" and name != "error":
            warn_once(self.warnings, f"event {name!r}: not an OpenAI Chat event; ignored")
            not_understood(self.warnings, f"event {name[:40]!r} (not an OpenAI Chat event)")
            return []
        try:
            chunk = loads(data)
        except (ValueError, RecursionError):
            warn_once(self.warnings, "stream: an event whose data is not JSON was ignored")
            not_understood(self.warnings, "data not JSON")
            return []
        if not isinstance(chunk, dict):
            warn_once(self.warnings, "stream: an event whose data is not a JSON object was ignored")
            not_understood(self.warnings, "data not a JSON object")
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
                        warn_once(
                            self.warnings,
                            "choices: only the first candidate of a stream is carried; the others dropped",
                        )
        usage = chunk.get("usage")
        if usage is not None:
            try:
                counts = usage_to_ir(usage, "usage")
            except ProtocolError as exc:
                warn_once(self.warnings, f"stream: usage ignored ({exc})")
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
            if self._held:
                self._send_held(out)
            if self._block is not None:
                out.append(ir.BlockStop())
                self._block = None
            try:
                reason = finish_to_ir(finish, bool(self._tools), "finish_reason", self.warnings) or END
            except ProtocolError:
                warn_once(
                    self.warnings, f"finish_reason: {finish!r} is not a string; read as a normal end of turn"
                )
                reason = END
            self._finished = True
            out.append(ir.StreamFinish(reason))

    def _open(self, block: str | int, out: list[ir.StreamEvent]) -> None:
        if self._held and type(block) is str:  # the calls are over: send the ones held back first
            self._send_held(out)
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
            call_id, name = call.get("id"), function.get("name")
            if not isinstance(call_id, str) or not call_id:
                call_id = f"call_{ordinal}"
                warn_once(
                    self.warnings, f"tool_calls[{wire_index}]: first fragment without an id; used {call_id!r}"
                )
            if not isinstance(name, str):
                name = ""
                warn_once(self.warnings, f"tool_calls[{wire_index}]: first fragment without a function name")
            if type(self._block) is int:  # another call is streaming: this one may interleave with it
                self._held[ordinal] = [call_id, name, []]
            else:
                self._open(ordinal, out)
                out.append(ir.ToolCallStart(ordinal, call_id, name))
        elif not (self._held and ordinal in self._held):
            self._open(ordinal, out)
        arguments = function.get("arguments")
        if self._held and ordinal in self._held:
            if arguments and isinstance(arguments, str):
                self._held[ordinal][2].append(arguments)
            return
        if arguments and isinstance(arguments, str):
            out.append(ir.ToolCallDelta(ordinal, arguments))

    def _send_held(self, out: list[ir.StreamEvent]) -> None:
        """The calls held back, each whole (start, all its arguments, stop), in the order they began."""
        if self._block is not None:
            out.append(ir.BlockStop())
            self._block = None
        for ordinal in sorted(self._held):
            call_id, name, fragments = self._held[ordinal]
            out.append(ir.ToolCallStart(ordinal, call_id, name))
            out.extend(ir.ToolCallDelta(ordinal, fragment) for fragment in fragments)
            out.append(ir.BlockStop())
        self._held.clear()

    def close(self) -> list[ir.StreamEvent]:
        if self._finished or self._failed or not self._started:
            return []
        out: list[ir.StreamEvent] = []
        if self._held:
            self._send_held(out)
        if self._block is not None:
            out.append(ir.BlockStop())
            self._block = None
        self._finished = True
        if self._done:
            warn_once(
                self.warnings, "stream: [DONE] came without a finish_reason; read as a normal end of turn"
            )
            reason = ir.StopReason.TOOL_USE if self._tools else ir.StopReason.END_TURN
            out.append(ir.StreamFinish(reason))
        else:
            out.append(ir.StreamError("the stream ended before its finish chunk and [DONE]", "api_error"))
        return out


def _stream_error(error: Any) -> ir.StreamError:
    if not isinstance(error, dict):
        return ir.StreamError(error if isinstance(error, str) else "The stream reported an error.")
    message = error.get("message")
    kind = error.get("type")
    code = error.get("code")
    status = error.get("status")
    if type(status) is not int:
        status = (
            code
            if type(code) is int
            else int(code)
            if isinstance(code, str) and code.isascii() and code.isdigit() and len(code) <= 3
            else None
        )
    return ir.StreamError(
        message if isinstance(message, str) else dumps(error),
        kind if isinstance(kind, str) and kind else "api_error",
        status,
    )
