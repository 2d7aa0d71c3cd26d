"""Gemini GenerateContentResponse bodies <-> IR, with the finish-reason and usage tables they share
with the stream half (conversion.md §C.6 "ours" column, §C.7 projection to Gemini).

Gemini has no tool-call finish reason (a function call ends with STOP), so TOOL_USE is inferred from
the parts. Usage: promptTokenCount includes cached tokens, candidatesTokenCount excludes thoughts;
the IR's totals are inclusive, so output = candidates + thoughts. No I/O; standard library only.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ... import ir
from ...formats import Format
from ..shared.citations import gemini_grounding
from ..shared.extras import drop_extras
from ..shared.ids import answer_id
from ..shared.json_shapes import fail, need_dict, wrong
from ..shared.losses import warn_once
from .call_ids import CallIds
from .content import parts_from_ir, parts_to_ir
from .hosted import grounding_from_ir, web_searches_to_ir
from .wire import JSON, get2, one_or_many, proto_int

S = ir.StopReason

#: Gemini finishReason -> IR. STOP becomes TOOL_USE when the candidate called a function.
FINISH_TO_IR: dict[str, ir.StopReason] = {
    "STOP": S.END_TURN,
    "FINISH_REASON_UNSPECIFIED": S.END_TURN,
    "MAX_TOKENS": S.MAX_TOKENS,
    **dict.fromkeys(
        (
            "SAFETY",
            "RECITATION",
            "OTHER",
            "BLOCKLIST",
            "PROHIBITED_CONTENT",
            "SPII",
            "IMAGE_SAFETY",
            "LANGUAGE",
            "IMAGE_PROHIBITED_CONTENT",
            "IMAGE_RECITATION",
            "IMAGE_OTHER",
            "MODEL_ARMOR",
        ),
        S.CONTENT_FILTER,
    ),
}

FINISH_FROM_IR: dict[ir.StopReason, str] = {
    S.END_TURN: "STOP",
    S.STOP_SEQUENCE: "STOP",
    S.MAX_TOKENS: "MAX_TOKENS",
    S.TOOL_USE: "STOP",
    S.CONTENT_FILTER: "SAFETY",
    S.CONTEXT_WINDOW_EXCEEDED: "MAX_TOKENS",
    S.PAUSE: "STOP",
    S.ERROR: "OTHER",
}


def finish_to_ir(reason: Any, called: bool, path: str, warnings: list[str]) -> ir.StopReason:
    mapped = FINISH_TO_IR.get(reason) if isinstance(reason, str) else None
    if mapped is None:
        if not isinstance(reason, str):
            wrong(reason, "a string", path)
        warn_once(warnings, f"finishReason {reason}: no neutral equivalent; reported as end_turn")
        mapped = S.END_TURN
    if called and mapped is S.END_TURN:
        return S.TOOL_USE
    return mapped


def finish_from_ir(reason: ir.StopReason, stop_sequence: str | None, warnings: list[str]) -> str:
    if stop_sequence is not None:
        warn_once(
            warnings,
            f"stop_sequence {stop_sequence!r}: Gemini does not say which stop sequence matched; dropped",
        )
    if reason is S.CONTEXT_WINDOW_EXCEEDED or reason is S.PAUSE or reason is S.ERROR:
        warn_once(
            warnings,
            f"stop reason {reason.value}: Gemini has no such finishReason; sent {FINISH_FROM_IR[reason]}",
        )
    return FINISH_FROM_IR[reason]


def usage_to_ir(value: Any, path: str) -> ir.Usage:
    usage = need_dict(value, path)
    prompt = usage.get("promptTokenCount")
    candidates = usage.get("candidatesTokenCount")
    thoughts = usage.get("thoughtsTokenCount")
    cached = usage.get("cachedContentTokenCount")
    tool_prompt = usage.get("toolUsePromptTokenCount")
    if len(usage) and prompt is None and candidates is None:  # snake_case from some SDK dumps
        prompt = usage.get("prompt_token_count")
        candidates = usage.get("candidates_token_count")
        thoughts = usage.get("thoughts_token_count")
        cached = usage.get("cached_content_token_count")
        tool_prompt = usage.get("tool_use_prompt_token_count")
    reasoning = proto_int(thoughts, f"{path}.thoughtsTokenCount") if thoughts is not None else 0
    prompt_total = proto_int(prompt, f"{path}.promptTokenCount") if prompt is not None else 0
    if tool_prompt is not None:
        prompt_total += proto_int(tool_prompt, f"{path}.toolUsePromptTokenCount")
    output = reasoning
    if candidates is not None:
        output += proto_int(candidates, f"{path}.candidatesTokenCount")
    total = usage.get("totalTokenCount", usage.get("total_token_count"))
    if total is not None and reasoning:
        # Some models count thoughts inside candidatesTokenCount too; the reported total decides, so
        # the totals every target shows agree with the upstream's.
        reported = proto_int(total, f"{path}.totalTokenCount") - prompt_total
        if reasoning <= reported < output:
            output = reported
    return ir.Usage(
        input_tokens=prompt_total,
        output_tokens=output,
        cache_read_tokens=proto_int(cached, f"{path}.cachedContentTokenCount") if cached is not None else 0,
        reasoning_tokens=reasoning,
    )


def usage_from_ir(usage: ir.Usage, warnings: list[str]) -> JSON:
    if usage.cache_write_tokens:
        warn_once(warnings, "cache_write_tokens: Gemini does not report cache writes; dropped")
    out: JSON = {
        "promptTokenCount": usage.input_tokens,
        "candidatesTokenCount": usage.output_tokens - usage.reasoning_tokens,
        "totalTokenCount": usage.input_tokens + usage.output_tokens,
    }
    if usage.reasoning_tokens:
        out["thoughtsTokenCount"] = usage.reasoning_tokens
    if usage.cache_read_tokens:
        out["cachedContentTokenCount"] = usage.cache_read_tokens
    return out


def call_prefix(response_id: str | None, candidate: int) -> str:
    """Synthetic tool-call ids `call_<responseId>_<n>`: stable for the same response, distinct across turns."""
    prefix = "call_" if response_id is None else f"call_{response_id}_"
    return prefix if candidate == 0 else f"{prefix}{candidate}_"


# ---------------------------------------------------------------------------- wire -> IR

#: The fields of a response (and of each stream chunk) the neutral form reads; others are extras.
RESPONSE_KEYS = frozenset(
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
CANDIDATE_KEYS = frozenset({"content", "finishReason", "finish_reason", "index"})


def response_to_ir(body: dict[str, Any], warnings: list[str]) -> ir.Response:
    if not isinstance(body, dict):
        wrong(body, "a JSON object", "")
    if "error" in body and "candidates" not in body:
        fail("this is a Gemini error body, not a response", "error")
    raw_candidates = body.get("candidates")
    feedback = get2(body, "promptFeedback", "prompt_feedback")
    usage = get2(body, "usageMetadata", "usage_metadata")
    if raw_candidates is None and feedback is None and usage is None:
        other = next((k for k in ("choices", "output", "content", "body") if k in body), None)
        hint = f" (this body has {other!r}: is it another format than Gemini?)" if other else ""
        fail(
            f"required field missing: a Gemini response has candidates or promptFeedback{hint}", "candidates"
        )
    response_id = get2(body, "responseId", "response_id")
    if response_id is not None and not isinstance(response_id, str):
        wrong(response_id, "a string", "responseId")
    model = get2(body, "modelVersion", "model_version")
    if model is not None and not isinstance(model, str):
        wrong(model, "a string", "modelVersion")
    response = ir.Response(id=response_id, model=model, extras_format=Format.GEMINI)
    if raw_candidates is not None:
        for c, candidate in enumerate(one_or_many(raw_candidates, "candidates")):
            response.candidates.append(_candidate_to_ir(candidate, c, response_id, warnings))
    if (
        not response.candidates
        and isinstance(feedback, dict)
        and get2(feedback, "blockReason", "block_reason")
    ):
        response.candidates.append(ir.Candidate([], S.CONTENT_FILTER))  # the prompt itself was blocked
    if usage is not None:
        response.usage = usage_to_ir(usage, "usageMetadata")
    created = get2(body, "createTime", "create_time")
    if isinstance(created, str):
        try:
            response.created = int(datetime.fromisoformat(created).timestamp())
        except ValueError:
            warn_once(warnings, f"createTime {created!r}: not an RFC 3339 time; dropped")
    for key, value in body.items():
        if key not in RESPONSE_KEYS:
            response.extras[key] = value
    return response


def _candidate_to_ir(value: Any, c: int, response_id: str | None, warnings: list[str]) -> ir.Candidate:
    path = f"candidates[{c}]"
    candidate = need_dict(value, path)
    parts: list[ir.Part] = []
    raw_texts: list[Any] = []
    content = candidate.get("content")
    if content is not None:
        content = need_dict(content, f"{path}.content")
        raw_parts = content.get("parts")
        raw_texts = raw_parts if isinstance(raw_parts, list) else []
        if raw_parts is not None:
            parts = parts_to_ir(
                raw_parts,
                ("candidates", c, ".content.parts"),
                warnings,
                CallIds(),
                call_prefix(response_id, c),
            )
    called = any(isinstance(p, ir.ToolCallPart) for p in parts)
    reason = get2(candidate, "finishReason", "finish_reason")
    stop = finish_to_ir(reason if reason is not None else "STOP", called, f"{path}.finishReason", warnings)
    if reason in ("MALFORMED_FUNCTION_CALL", "UNEXPECTED_TOOL_CALL", "TOO_MANY_TOOL_CALLS"):
        message = candidate.get("finishMessage")
        warn_once(
            warnings,
            f"finishReason {reason}: the model's function call was rejected"
            f"{f' ({message})' if isinstance(message, str) else ''}; reported as end_turn",
        )
    for key in candidate:
        if key not in CANDIDATE_KEYS:
            if key == "groundingMetadata" or key == "grounding_metadata":
                texts = [
                    i
                    for i, p in enumerate(raw_texts)
                    if isinstance(p, dict) and "text" in p and not p.get("thought")
                ]
                gemini_grounding(candidate[key], parts, warnings, texts)  # Google Search citations
                parts[:0] = web_searches_to_ir(candidate[key], f"{call_prefix(response_id, c)}search_")
                continue
            warn_once(warnings, f"candidates[].{key}: no neutral equivalent; dropped")
    return ir.Candidate(parts, stop)


# ---------------------------------------------------------------------------- IR -> wire


def response_from_ir(response: ir.Response, warnings: list[str]) -> dict[str, Any]:
    names: dict[str, str] = {}
    candidates = []
    for c, candidate in enumerate(response.candidates):
        parts = parts_from_ir(candidate.parts, ("candidates", c, ".parts"), warnings, names)
        out: JSON = {"content": {"role": "model", "parts": parts}}
        grounding = grounding_from_ir(candidate.parts, parts, warnings)
        if grounding is not None:
            out["groundingMetadata"] = grounding
        if candidate.stop_reason is not None:
            out["finishReason"] = finish_from_ir(candidate.stop_reason, candidate.stop_sequence, warnings)
        out["index"] = c
        candidates.append(out)
    body: JSON = {"candidates": candidates}
    if response.usage is not None:
        body["usageMetadata"] = usage_from_ir(response.usage, warnings)
    if response.model is not None:
        body["modelVersion"] = response.model
    body["responseId"] = response.id if response.id is not None else answer_id("resp_", response)
    if response.created is not None:
        try:
            moment = datetime.fromtimestamp(response.created, UTC)
        except (OverflowError, ValueError, OSError):  # a timestamp past year 9999: no date to write
            warn_once(warnings, f"created: {str(response.created)[:20]} is no date; createTime left out")
        else:
            body["createTime"] = moment.isoformat().replace("+00:00", "Z")
    if response.extras:
        if response.extras_format is not None and response.extras_format != Format.GEMINI:
            drop_extras(response.extras, response.extras_format, "Gemini", warnings)
        else:
            for key, value in response.extras.items():
                body.setdefault(key, value)
    return body
