"""IR stream events -> Gemini `streamGenerateContent?alt=sse` chunks.

One chunk per text / thinking delta; tool-call argument fragments are buffered by call index until the
call is complete (BlockStop, the next tool call, other content, the finish), because Gemini cannot
stream arguments; the finish is held until usage is known (or the stream ends) so the last chunk
carries both, the way google-genai expects. Every chunk has a candidate with a non-empty part, or
google-genai's chat history rejects the turn. Events may come in any order another format's decoder
produces them. No I/O; standard library only.
"""

from __future__ import annotations

from typing import Any

from ... import ir
from ...sse import SSEEvent
from ..shared.compact_json import dumps, quote
from ..shared.losses import warn_once
from ..shared.stream_guard import guard_encoder
from ..shared.tools import arguments_to_ir
from ..shared.usage import merge_usage
from .hosted import code_from_ir, grounding_from_ir
from .response import finish_from_ir, usage_from_ir
from .wire import gemini_signature

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

#: The responseId of a stream whose source named none: fixed, so the same input gives the same output.
_SYNTHETIC_STREAM_ID = "resp_stream"


@guard_encoder
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
                warn_once(
                    self.warnings, "stream: tool-call arguments for a call that was never started; dropped"
                )
            else:
                pending[3].append(event.arguments)
            return []
        if isinstance(event, ir.ThinkingDelta):
            return self._thinking(event)
        if isinstance(event, ir.ToolCallStart):
            out = self._flush_all()
            signature = gemini_signature(event.signature, self.warnings)
            self._calls[event.index] = (event.id, event.name, signature, [])
            return out
        if isinstance(event, ir.BlockStop):
            return self._flush_calls() if self._calls else []
        if isinstance(event, ir.StreamUsage):
            self._usage = merge_usage(self._usage or self._start_usage, event.usage)
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
            warn_once(self.warnings, "refusal: Gemini has no refusal part; sent as text")
            return self._text(event.text)
        if isinstance(event, ir.StreamError):
            return self._error(event)
        if isinstance(event, ir.HostedToolUse):
            return self._hosted(event.part)
        if isinstance(event, ir.CitationDelta):
            warn_once(
                self.warnings,
                "citations: Gemini streams ground text in the last chunk, not per delta; dropped",
            )
            return []
        return []

    def _hosted(self, part: ir.HostedToolPart) -> list[SSEEvent]:
        """Code execution as its two parts; a web search as the groundingMetadata of a chunk."""
        out = self._flush_all()
        if part.kind == "code_execution":
            out.append(self._chunk(code_from_ir(part, self.warnings)))
        else:
            out.append(self._chunk([{"text": ""}], grounding=grounding_from_ir([part], [], self.warnings)))
        return out

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
        self,
        parts: list[dict[str, Any]],
        finish: str | None = None,
        usage: ir.Usage | None = None,
        grounding: dict[str, Any] | None = None,
    ) -> SSEEvent:
        if self._tail is None:
            tail = f',"responseId":{quote(self._id or _SYNTHETIC_STREAM_ID)}}}'
            if self._model is not None:
                tail = f',"modelVersion":{quote(self._model)}{tail}'
            self._tail = tail
        candidate = f'{{"content":{{"role":"model","parts":{dumps(parts)}}}'
        if finish is not None:
            candidate += f',"finishReason":"{finish}"'
        if grounding is not None:
            candidate += f',"groundingMetadata":{dumps(grounding)}'
        data = f'{{"candidates":[{candidate},"index":0}}]'
        if usage is not None:
            data += f',"usageMetadata":{dumps(usage_from_ir(usage, self.warnings))}'
        return SSEEvent(data + self._tail)

    def _thinking(self, event: ir.ThinkingDelta) -> list[SSEEvent]:
        if not event.text:
            if event.signature is None:
                return []
            # Anthropic sends the signature after the thinking text; Gemini puts it on the next part.
            out = self._flush_all()
            self._signature = event.signature
            return out
        out = self._flush_all()
        part: dict[str, Any] = {"text": event.text, "thought": True}
        if event.signature is not None and gemini_signature(event.signature, self.warnings) is not None:
            part["thoughtSignature"] = event.signature
        out.append(self._chunk([part]))
        return out

    def _call_parts(self) -> list[dict[str, Any]]:
        parts = []
        for call_id, name, signature, fragments in self._calls.values():
            args = arguments_to_ir("".join(fragments), self.warnings, "tool call {} arguments", name)
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
            warn_once(self.warnings, "stream: ended without a finish; sent finishReason STOP")
            reason = "STOP"
        else:
            reason = finish_from_ir(finish.stop_reason, finish.stop_sequence, self.warnings)
        usage = self._usage if self._usage is not None else self._start_usage
        out.append(self._chunk([{"text": ""}], reason, usage))
        self._done = True
        return out

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
        out.append(SSEEvent(dumps(body)))
        self._failed = True
        return out
