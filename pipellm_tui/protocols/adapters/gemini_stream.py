"""Gemini `streamGenerateContent?alt=sse` <-> IR stream events.

On the wire every `data:` is a whole GenerateContentResponse holding only the new parts; there are no
event names and no terminator. A functionCall arrives whole, usageMetadata is cumulative on every
chunk, finishReason comes on the last chunk of a candidate.

Decoder: the first chunk opens the stream (responseId, modelVersion); text and thought parts become
deltas; a functionCall becomes ToolCallStart + one ToolCallDelta with the whole arguments JSON +
BlockStop; the latest usage is sent once, just before the finish; `{"error": ...}` becomes StreamError;
close() makes up the finish the wire never sends.
Encoder: one chunk per text / thinking delta; tool-call argument fragments are buffered by call index
until the call is complete (BlockStop, the next tool call, other content, the finish), because Gemini
cannot stream arguments; the finish is held until usage is known (or the stream ends) so the last
chunk carries both, the way google-genai expects. Every chunk has a candidate with a non-empty part,
or google-genai's chat history rejects the turn.
No I/O; standard library only.
"""

from __future__ import annotations

import json
from typing import Any

from .. import ir
from ..sse import SSEEvent
from .gemini_parts import compact, gemini_signature, get2, warn
from .gemini_response import FINISH_FROM_IR, call_prefix, finish_to_ir, usage_from_ir, usage_to_ir

#: Google's RPC status names for HTTP codes, for error chunks built from other formats' errors.
_STATUS_NAME = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ABORTED",
    429: "RESOURCE_EXHAUSTED",
    499: "CANCELLED",
    500: "INTERNAL",
    501: "UNIMPLEMENTED",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
    529: "UNAVAILABLE",
}

#: ... and for the error types of the other formats when there is no code.
_TYPE_STATUS = {
    "invalid_request_error": "INVALID_ARGUMENT",
    "authentication_error": "UNAUTHENTICATED",
    "permission_error": "PERMISSION_DENIED",
    "not_found_error": "NOT_FOUND",
    "rate_limit_error": "RESOURCE_EXHAUSTED",
    "overloaded_error": "UNAVAILABLE",
    "api_error": "INTERNAL",
    "server_error": "INTERNAL",
}

_SYNTHETIC_STREAM_ID = "resp_stream"


def _merged(old: ir.Usage | None, new: ir.Usage) -> ir.Usage:
    """Usage reports are cumulative, but one that leaves a count at 0 (Anthropic's message_delta knows
    only output) keeps what an earlier report said: the same rule as `assemble.ResponseAssembler`."""
    if old is None:
        return new
    return ir.Usage(
        new.input_tokens or old.input_tokens,
        new.output_tokens or old.output_tokens,
        new.cache_read_tokens or old.cache_read_tokens,
        new.cache_write_tokens or old.cache_write_tokens,
        new.reasoning_tokens or old.reasoning_tokens,
    )


_CHUNK_KEYS = frozenset(
    {
        "candidates",
        "usageMetadata",
        "usage_metadata",
        "modelVersion",
        "model_version",
        "responseId",
        "response_id",
        "createTime",
        "create_time",
    }
)
_CANDIDATE_KEYS = frozenset({"content", "finishReason", "finish_reason", "index"})


class GeminiStreamDecoder:
    __slots__ = ("_calls", "_dropped", "_failed", "_finished", "_prefix", "_started", "_usage", "warnings")

    def __init__(self) -> None:
        self.warnings: list[str] = []
        self._started = False
        self._prefix = "call_"
        self._calls = 0
        self._finished = False
        self._failed = False
        self._usage: ir.Usage | None = None
        self._dropped: set[str] = set()

    def feed(self, event: SSEEvent) -> list[ir.StreamEvent]:
        data = event.data
        if not data or data.isspace() or self._failed:
            return []
        try:
            chunk = json.loads(data)
        except ValueError:
            warn(self.warnings, "stream: an event that is not JSON; skipped")
            return []
        if not isinstance(chunk, dict):
            warn(self.warnings, "stream: an event that is not a JSON object; skipped")
            return []
        if "error" in chunk and "candidates" not in chunk:
            return self._error(chunk["error"])
        out: list[ir.StreamEvent] = []
        if not self._started:
            self._started = True
            response_id = get2(chunk, "responseId", "response_id")
            model = get2(chunk, "modelVersion", "model_version")
            response_id = response_id if isinstance(response_id, str) else None
            self._prefix = call_prefix(response_id, 0)
            out.append(ir.StreamStart(response_id, model if isinstance(model, str) else None))
        usage = get2(chunk, "usageMetadata", "usage_metadata")
        if usage is not None:
            try:
                self._usage = usage_to_ir(usage, "usageMetadata")
            except ValueError:
                warn(self.warnings, "stream: unreadable usageMetadata; skipped")
        for key in chunk:
            if key not in _CHUNK_KEYS and key not in self._dropped:
                self._dropped.add(key)
                warn(self.warnings, f"stream: {key} has no place in the neutral stream; dropped")
        candidates = chunk.get("candidates")
        reason: Any = None
        first = False
        if isinstance(candidates, list):
            for candidate in candidates:
                if not isinstance(candidate, dict):
                    continue
                if candidate.get("index") or 0:
                    warn(
                        self.warnings, "stream: only the first candidate is carried; the others were dropped"
                    )
                    continue
                first = True
                if len(candidate) > 3 or "content" not in candidate:
                    for key in candidate:
                        if key not in _CANDIDATE_KEYS and key not in self._dropped:
                            self._dropped.add(key)
                            warn(
                                self.warnings,
                                f"stream: candidates[].{key} has no place in the neutral stream; dropped",
                            )
                content = candidate.get("content")
                if isinstance(content, dict):
                    parts = content.get("parts")
                    if isinstance(parts, list):
                        self._parts(parts, out)
                    elif isinstance(parts, dict):
                        self._parts([parts], out)
                reason = get2(candidate, "finishReason", "finish_reason")
        if not first and not self._finished:
            feedback = get2(chunk, "promptFeedback", "prompt_feedback")
            if isinstance(feedback, dict) and get2(feedback, "blockReason", "block_reason"):
                reason = "SAFETY"  # the prompt was blocked: no candidates at all
        if reason is not None and not self._finished:
            try:
                stop = finish_to_ir(reason, self._calls > 0, "finishReason", self.warnings)
            except ValueError:
                stop = ir.StopReason.END_TURN
            if self._usage is not None:
                out.append(ir.StreamUsage(self._usage))
            out.append(ir.StreamFinish(stop))
            self._finished = True
        elif usage is not None and self._finished and self._usage is not None:
            out.append(ir.StreamUsage(self._usage))  # a late update after the finish: last one wins
        return out

    def _parts(self, parts: list[Any], out: list[ir.StreamEvent]) -> None:
        for part in parts:
            if not isinstance(part, dict):
                continue
            signature = get2(part, "thoughtSignature", "thought_signature")
            if not isinstance(signature, str):
                signature = None
            text = part.get("text")
            if isinstance(text, str):
                if part.get("thought") is True:
                    out.append(ir.ThinkingDelta(text, signature))
                else:
                    if signature is not None:
                        out.append(ir.ThinkingDelta("", signature))
                    if text:
                        out.append(ir.TextDelta(text))
                continue
            call = get2(part, "functionCall", "function_call")
            if isinstance(call, dict) and isinstance(call.get("name"), str):
                call_id = call.get("id")
                if not isinstance(call_id, str):
                    call_id = f"{self._prefix}{self._calls}"
                args = call.get("args")
                out.append(ir.ToolCallStart(self._calls, call_id, call["name"], signature))
                out.append(ir.ToolCallDelta(self._calls, compact(args if isinstance(args, dict) else {})))
                out.append(ir.BlockStop())
                self._calls += 1
            elif signature is not None and len(part) == 1:
                out.append(ir.ThinkingDelta("", signature))
            else:
                kinds = ", ".join(part)
                warn(
                    self.warnings,
                    f"stream: parts other than text, thoughts and function calls ({kinds}) dropped",
                )

    def _error(self, error: Any) -> list[ir.StreamEvent]:
        self._failed = True
        out: list[ir.StreamEvent] = []
        if self._usage is not None and not self._finished:
            out.append(ir.StreamUsage(self._usage))  # what was spent before the failure still counts
        message = error.get("message") if isinstance(error, dict) else error
        status = error.get("status") if isinstance(error, dict) else None
        code = error.get("code") if isinstance(error, dict) else None
        out.append(
            ir.StreamError(
                message if isinstance(message, str) else json.dumps(error),
                status if isinstance(status, str) else "api_error",
                code if isinstance(code, int) and not isinstance(code, bool) else None,
            )
        )
        return out

    def close(self) -> list[ir.StreamEvent]:
        if self._failed or self._finished or not self._started:
            return []
        self._finished = True
        out: list[ir.StreamEvent] = []
        if self._usage is not None:
            out.append(ir.StreamUsage(self._usage))
        out.append(ir.StreamFinish(ir.StopReason.TOOL_USE if self._calls else ir.StopReason.END_TURN))
        return out


class GeminiStreamEncoder:
    __slots__ = (
        "_calls",
        "_done",
        "_failed",
        "_finish",
        "_id",
        "_model",
        "_signature",
        "_start_usage",
        "_tail",
        "_usage",
        "warnings",
    )

    def __init__(self) -> None:
        self.warnings: list[str] = []
        self._tail: str | None = None  # `,"modelVersion":...,"responseId":...}` once the ids are known
        self._id: str | None = None
        self._model: str | None = None
        #: tool calls waiting for their arguments, by IR index: [id, name, signature, fragments]
        self._calls: dict[int, tuple[str, str, str | None, list[str]]] = {}
        self._signature: str | None = None  # a text-less thinking signature waiting for the next part
        self._finish: ir.StreamFinish | None = None
        self._usage: ir.Usage | None = None
        self._start_usage: ir.Usage | None = None
        self._done = False
        self._failed = False

    def encode(self, event: ir.StreamEvent) -> list[SSEEvent]:
        if self._failed:
            return []
        if isinstance(event, ir.TextDelta):
            return self._text(event.text)
        if isinstance(event, ir.ToolCallDelta):
            pending = self._calls.get(event.index)
            if pending is None:
                warn(self.warnings, "stream: tool-call arguments for a call that was never started; dropped")
            else:
                pending[3].append(event.arguments)
            return []
        if isinstance(event, ir.ThinkingDelta):
            return self._thinking(event)
        if isinstance(event, ir.ToolCallStart):
            out = self._flush_calls() if self._calls else []
            signature = gemini_signature(event.signature, self.warnings)
            if signature is None and self._signature is not None:
                signature = self._take_signature()
            self._calls[event.index] = (event.id, event.name, signature, [])
            return out
        if isinstance(event, ir.BlockStop):
            return self._flush_calls() if self._calls else []
        if isinstance(event, ir.StreamUsage):
            self._usage = _merged(self._usage or self._start_usage, event.usage)
            if self._done:
                return [self._chunk([{"text": ""}], usage=self._usage)]
            return self._final() if self._finish is not None else []
        if isinstance(event, ir.StreamFinish):
            self._finish = event
            return self._final() if self._usage is not None else self._flush_all()
        if isinstance(event, ir.StreamStart):
            if self._tail is None:
                self._id, self._model = event.id, event.model
            self._start_usage = event.usage
            return []
        if isinstance(event, ir.RefusalDelta):
            warn(self.warnings, "refusal: Gemini has no refusal part; sent as text")
            return self._text(event.text)
        if isinstance(event, ir.StreamError):
            return self._error(event)
        return []

    def _text(self, text: str) -> list[SSEEvent]:
        if not text:
            return []
        out = self._flush_calls() if self._calls else []
        part: dict[str, Any] = {"text": text}
        if self._signature is not None and (signature := self._take_signature()) is not None:
            part["thoughtSignature"] = signature
        out.append(self._chunk([part]))
        return out

    def close(self) -> list[SSEEvent]:
        if self._failed or self._done:
            return []
        if self._finish is None and self._tail is None and not self._calls and self._signature is None:
            return []  # nothing was said at all: an empty body stays empty
        return self._final()

    # -------------------------------------------------------------------- chunks

    def _chunk(
        self, parts: list[dict[str, Any]], finish: str | None = None, usage: ir.Usage | None = None
    ) -> SSEEvent:
        if self._tail is None:
            tail = f',"responseId":{json.dumps(self._id or _SYNTHETIC_STREAM_ID)}}}'
            if self._model is not None:
                tail = f',"modelVersion":{json.dumps(self._model)}{tail}'
            self._tail = tail
        candidate = f'{{"content":{{"role":"model","parts":{compact(parts)}}}'
        if finish is not None:
            candidate += f',"finishReason":"{finish}"'
        data = f'{{"candidates":[{candidate},"index":0}}]'
        if usage is not None:
            data += f',"usageMetadata":{compact(usage_from_ir(usage, self.warnings))}'
        return SSEEvent(data + self._tail)

    def _thinking(self, event: ir.ThinkingDelta) -> list[SSEEvent]:
        if not event.text:
            if event.signature is not None:
                # Anthropic sends the signature after the thinking text; Gemini puts it on the next part.
                self._signature = (self._signature or "") + event.signature
            return []
        out = self._flush_all()
        part: dict[str, Any] = {"text": event.text, "thought": True}
        if event.signature is not None and gemini_signature(event.signature, self.warnings) is not None:
            part["thoughtSignature"] = event.signature
        out.append(self._chunk([part]))
        return out

    def _call_parts(self) -> list[dict[str, Any]]:
        parts = []
        for call_id, name, signature, fragments in self._calls.values():
            raw = "".join(fragments)
            try:
                args = json.loads(raw) if raw.strip() else {}
            except ValueError:
                args = None
            if not isinstance(args, dict):
                warn(
                    self.warnings,
                    f'tool call {name}: arguments are not a JSON object; sent as {{"_raw": ...}}',
                )
                args = {"_raw": raw}
            part: dict[str, Any] = {"functionCall": {"name": name, "args": args, "id": call_id}}
            if signature is not None:
                part["thoughtSignature"] = signature
            parts.append(part)
        self._calls.clear()
        return parts

    def _flush_calls(self) -> list[SSEEvent]:
        return [self._chunk(self._call_parts())]

    def _flush_all(self) -> list[SSEEvent]:
        out = self._flush_calls() if self._calls else []
        if self._signature is not None and (signature := self._take_signature()) is not None:
            out.append(self._chunk([{"text": "", "thought": True, "thoughtSignature": signature}]))
        return out

    def _take_signature(self) -> str | None:
        signature, self._signature = self._signature, None
        return gemini_signature(signature, self.warnings)

    def _final(self) -> list[SSEEvent]:
        out = self._flush_all()
        finish = self._finish
        if finish is None:
            warn(self.warnings, "stream: ended without a finish; sent finishReason STOP")
            reason = "STOP"
        else:
            reason = self._finish_name(finish)
        usage = self._usage if self._usage is not None else self._start_usage
        out.append(self._chunk([{"text": ""}], reason, usage))
        self._done = True
        return out

    def _finish_name(self, finish: ir.StreamFinish) -> str:
        reason = finish.stop_reason
        if finish.stop_sequence is not None:
            warn(
                self.warnings,
                f"stop_sequence {finish.stop_sequence!r}: Gemini does not say which matched; dropped",
            )
        if (
            reason is ir.StopReason.CONTEXT_WINDOW_EXCEEDED
            or reason is ir.StopReason.PAUSE
            or reason is ir.StopReason.ERROR
        ):
            warn(
                self.warnings,
                f"stop reason {reason.value}: Gemini has no such finishReason; sent {FINISH_FROM_IR[reason]}",
            )
        return FINISH_FROM_IR[reason]

    def _error(self, error: ir.StreamError) -> list[SSEEvent]:
        out = self._flush_all()
        usage = self._usage or self._start_usage
        if usage is not None and not self._done:  # what was spent before the failure still counts
            out.append(self._chunk([{"text": ""}], usage=usage))
        code = error.status if error.status is not None else 500
        status = (
            error.type
            if error.type.isupper()
            else _STATUS_NAME.get(code) or _TYPE_STATUS.get(error.type, "UNKNOWN")
        )
        # "error" first: google-genai only raises for chunks that start with {"error":
        body = {"error": {"code": code, "message": error.message, "status": status}}
        out.append(SSEEvent(compact(body)))
        self._failed = True
        return out
