"""Gemini `streamGenerateContent?alt=sse` -> IR stream events (the encoder is `stream_encoder`).

On the wire every `data:` is a whole GenerateContentResponse holding only the new parts; there are no
event names and no terminator. A functionCall arrives whole, usageMetadata is cumulative on every
chunk, finishReason comes on the last chunk of a candidate.

The first chunk opens the stream (responseId, modelVersion); text and thought parts become deltas; a
functionCall becomes ToolCallStart + one ToolCallDelta with the whole arguments JSON + BlockStop; the
latest usage is sent once, just before the finish; `{"error": ...}` becomes StreamError; close()
makes up the finish the wire never sends. Junk and unknown parts are skipped with a warning.
No I/O; standard library only.
"""

from __future__ import annotations

from typing import Any

from ... import ir
from ...sse import SSEEvent
from ..shared.compact_json import dumps, loads
from ..shared.losses import warn_once
from ..shared.stream_guard import guard_decoder, not_understood
from .hosted import code_to_ir, result_to_ir, web_searches_to_ir
from .response import CANDIDATE_KEYS, RESPONSE_KEYS, call_prefix, finish_to_ir, usage_to_ir
from .wire import get2

_GROUNDING = frozenset({"groundingMetadata", "grounding_metadata"})


@guard_decoder
class GeminiStreamDecoder:
    __slots__ = (
        "_calls", "_dropped", "_failed", "_finished", "_prefix", "_runs", "_searched", "_started", "_usage", "warnings",
    )  # fmt: skip

    def __init__(self) -> None:
        self.warnings: list[str] = []
        self._started = False
        self._prefix = "call_"
        self._calls = 0
        self._finished = False
        self._failed = False
        self._usage: ir.Usage | None = None
        self._dropped: set[str] = set()
        self._runs: list[ir.Part] = []  # code runs waiting for their result
        self._searched: set[str] = set()  # the web searches sent (groundingMetadata may repeat)

    def feed(self, event: SSEEvent) -> list[ir.StreamEvent]:
        data = event.data
        if not data or data.isspace() or self._failed:
            return []
        try:
            chunk = loads(data)
        except (ValueError, RecursionError):
            warn_once(self.warnings, "stream: an event that is not JSON; skipped")
            not_understood(self.warnings, "data not JSON")
            return []
        if not isinstance(chunk, dict):
            warn_once(self.warnings, "stream: an event that is not a JSON object; skipped")
            not_understood(self.warnings, "data not a JSON object")
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
                warn_once(self.warnings, "stream: unreadable usageMetadata; skipped")
        for key in chunk:
            if key not in RESPONSE_KEYS and key not in self._dropped:
                self._dropped.add(key)
                warn_once(self.warnings, f"stream: {key} has no place in the neutral stream; dropped")
        candidates = chunk.get("candidates")
        reason: Any = None
        first = False
        if isinstance(candidates, list):
            for candidate in candidates:
                if not isinstance(candidate, dict):
                    continue
                if candidate.get("index") or 0:
                    warn_once(
                        self.warnings, "stream: only the first candidate is carried; the others were dropped"
                    )
                    continue
                first = True
                if len(candidate) > 3 or "content" not in candidate:
                    for key in candidate:
                        if key in _GROUNDING:
                            continue
                        if key not in CANDIDATE_KEYS and key not in self._dropped:
                            self._dropped.add(key)
                            warn_once(
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
                grounding = get2(candidate, "groundingMetadata", "grounding_metadata")
                if grounding is not None:
                    self._grounding(grounding, out)
                reason = get2(candidate, "finishReason", "finish_reason")
        if not first and not self._finished:
            feedback = get2(chunk, "promptFeedback", "prompt_feedback")
            if isinstance(feedback, dict) and get2(feedback, "blockReason", "block_reason"):
                reason = "SAFETY"  # the prompt was blocked: no candidates at all
        if reason is not None and not self._finished:
            self._unanswered(out)
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
                out.append(ir.ToolCallDelta(self._calls, dumps(args if isinstance(args, dict) else {})))
                out.append(ir.BlockStop())
                self._calls += 1
            elif (code := get2(part, "executableCode", "executable_code")) is not None:
                self._runs.append(code_to_ir(code, self._calls + len(self._runs)))
            elif (result := get2(part, "codeExecutionResult", "code_execution_result")) is not None:
                result_to_ir(result, self._runs)
                out.extend(
                    ir.HostedToolUse(run) for run in self._runs if type(run) is ir.HostedToolPart and run.done
                )
                self._runs = [run for run in self._runs if type(run) is ir.HostedToolPart and not run.done]
            elif signature is not None and len(part) == 1:
                out.append(ir.ThinkingDelta("", signature))
            else:
                kinds = ", ".join(part)
                warn_once(
                    self.warnings,
                    f"stream: parts other than text, thoughts and function calls ({kinds}) dropped",
                )

    def _grounding(self, metadata: Any, out: list[ir.StreamEvent]) -> None:
        for run in web_searches_to_ir(metadata, f"{self._prefix}search_"):
            if run.input not in self._searched:
                self._searched.add(run.input)
                out.append(ir.HostedToolUse(run))
        if isinstance(metadata, dict) and get2(metadata, "groundingSupports", "grounding_supports"):
            warn_once(
                self.warnings,
                "stream: groundingSupports (citations) have no place in the neutral stream; dropped",
            )

    def _unanswered(self, out: list[ir.StreamEvent]) -> None:
        """Code the answer ended without a result for."""
        out.extend(ir.HostedToolUse(run) for run in self._runs if type(run) is ir.HostedToolPart)
        self._runs = []

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
                message if isinstance(message, str) else dumps(error),
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
        self._unanswered(out)
        if self._usage is not None:
            out.append(ir.StreamUsage(self._usage))
        out.append(ir.StreamFinish(ir.StopReason.TOOL_USE if self._calls else ir.StopReason.END_TURN))
        return out
