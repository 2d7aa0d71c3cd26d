"""OpenAI Responses: the wire-level pieces its requests, responses and streams share.

Owns the status table (conversion.md §C.6: `status` + `incomplete_details.reason` <-> StopReason),
the usage projection (§C.7), deterministic item ids and the envelope of a full Response
object; the type checks and tool-call argument strings every format shares are in `shared`.
Must not import pydantic (conversion is a hot path) or anything outside `protocols/`; no I/O.
"""

from __future__ import annotations

from typing import Any

from ... import ir
from ...formats import Format
from ..shared.json_shapes import count, wrong
from ..shared.tools import arguments_from_ir

FORMAT = Format.OPENAI_RESPONSES
LABEL = "OpenAI Responses"


# ---------------------------------------------------------------------------- items


def reasoning_to_ir(item: dict[str, Any], path: str) -> ir.ThinkingPart:
    """A reasoning item: its summary texts (or, with no summary, its raw reasoning text) joined by a
    blank line; `encrypted_content` is the signature that lets OpenAI resume it."""
    texts = []
    for key in ("summary", "content"):
        entries = item.get(key)
        if entries is None:
            continue
        if not isinstance(entries, list):
            wrong(entries, "an array", f"{path}.{key}")
        for k, entry in enumerate(entries):
            text = entry.get("text") if isinstance(entry, dict) else None
            if not isinstance(text, str):
                wrong(text, "a string", f"{path}.{key}[{k}].text")
            texts.append(text)
        if texts:
            break
    signature = item.get("encrypted_content")
    if signature is not None and not isinstance(signature, str):
        wrong(signature, "a string", f"{path}.encrypted_content")
    return ir.ThinkingPart("\n\n".join(texts), signature)


def function_call_item(item_id_: str, call: ir.ToolCallPart, status: str = "completed") -> dict[str, Any]:
    return {
        "id": item_id_,
        "type": "function_call",
        "status": status,
        "call_id": call.id,
        "name": call.name,
        "arguments": arguments_from_ir(call.arguments),
    }


def reasoning_item(item_id_: str, text: str, signature: str | None) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": item_id_,
        "type": "reasoning",
        "summary": [{"type": "summary_text", "text": text}] if text else [],
    }
    if signature is not None:
        item["encrypted_content"] = signature
    return item


def output_text(text: str) -> dict[str, Any]:
    return {"type": "output_text", "text": text, "annotations": []}


# ---------------------------------------------------------------------------- status <-> stop reason

INCOMPLETE_TO_IR: dict[str, ir.StopReason] = {
    "max_output_tokens": ir.StopReason.MAX_TOKENS,
    # The API reference's own example event says "max_tokens" although the enum has no such value.
    "max_tokens": ir.StopReason.MAX_TOKENS,
    "content_filter": ir.StopReason.CONTENT_FILTER,
}


def stop_to_ir(
    status: Any, incomplete_details: Any, has_tool_calls: bool, path: str, warnings: list[str]
) -> ir.StopReason | None:
    """`status` (+ the incomplete reason) as a StopReason; Responses has no tool-call status, so a
    completed response with function_call items means TOOL_USE (inferred from content)."""
    if status is None or status == "completed":
        return ir.StopReason.TOOL_USE if has_tool_calls else ir.StopReason.END_TURN
    if status == "incomplete":
        reason = incomplete_details.get("reason") if isinstance(incomplete_details, dict) else None
        stop = INCOMPLETE_TO_IR.get(reason) if isinstance(reason, str) else None
        if stop is None:
            warnings.append(
                f"{path}incomplete_details.reason: {reason!r} is not a known reason; read as max_tokens"
            )
            return ir.StopReason.MAX_TOKENS
        return stop
    if status in ("failed", "cancelled"):
        return ir.StopReason.ERROR
    if status in ("in_progress", "queued"):
        return None
    if not isinstance(status, str):
        wrong(status, "a string", path + "status")
    warnings.append(f"{path}status: {status!r} is not a known status; read as completed")
    return ir.StopReason.TOOL_USE if has_tool_calls else ir.StopReason.END_TURN


#: StopReason -> (status, incomplete reason) and what a warning says when it is an approximation.
_STATUS_FROM_IR: dict[ir.StopReason, tuple[str, str | None, str | None]] = {
    ir.StopReason.END_TURN: ("completed", None, None),
    ir.StopReason.TOOL_USE: ("completed", None, None),
    ir.StopReason.STOP_SEQUENCE: ("completed", None, None),
    ir.StopReason.PAUSE: (
        "completed",
        None,
        "pause (a server-tool turn paused) has no status; sent as completed",
    ),
    ir.StopReason.MAX_TOKENS: ("incomplete", "max_output_tokens", None),
    ir.StopReason.CONTEXT_WINDOW_EXCEEDED: (
        "incomplete",
        "max_output_tokens",
        "context window exceeded has no status; sent as incomplete/max_output_tokens",
    ),
    ir.StopReason.CONTENT_FILTER: ("incomplete", "content_filter", None),
    ir.StopReason.ERROR: ("failed", None, None),
}


def status_from_ir(
    stop: ir.StopReason | None, stop_sequence: str | None, warnings: list[str]
) -> tuple[str, dict[str, str] | None]:
    """(status, incomplete_details) for a stop reason; None means the answer simply completed."""
    if stop is None:
        return "completed", None
    status, reason, approximation = _STATUS_FROM_IR[stop]
    if approximation:
        warnings.append(f"stop_reason: {approximation}")
    if stop_sequence is not None:
        warnings.append(f"stop_sequence: {LABEL} does not say which stop string matched; dropped")
    return status, ({"reason": reason} if reason else None)


# ---------------------------------------------------------------------------- usage


def usage_to_ir(usage: Any, path: str) -> ir.Usage | None:
    if usage is None:
        return None
    if not isinstance(usage, dict):
        wrong(usage, "an object", path)
    details_in = usage.get("input_tokens_details")
    details_out = usage.get("output_tokens_details")
    if details_in is not None and not isinstance(details_in, dict):
        wrong(details_in, "an object", path + ".input_tokens_details")
    if details_out is not None and not isinstance(details_out, dict):
        wrong(details_out, "an object", path + ".output_tokens_details")
    return ir.Usage(
        input_tokens=count(usage.get("input_tokens"), path + ".input_tokens"),
        output_tokens=count(usage.get("output_tokens"), path + ".output_tokens"),
        cache_read_tokens=count(
            details_in.get("cached_tokens") if details_in else None,
            path + ".input_tokens_details.cached_tokens",
        ),
        cache_write_tokens=count(
            details_in.get("cache_write_tokens") if details_in else None,
            path + ".input_tokens_details.cache_write_tokens",
        ),
        reasoning_tokens=count(
            details_out.get("reasoning_tokens") if details_out else None,
            path + ".output_tokens_details.reasoning_tokens",
        ),
    )


def usage_from_ir(usage: ir.Usage | None) -> dict[str, Any] | None:
    """Responses counts like the IR: input includes cached tokens, output includes reasoning."""
    if usage is None:
        return None
    return {
        "input_tokens": usage.input_tokens,
        "input_tokens_details": {
            "cached_tokens": usage.cache_read_tokens,
            "cache_write_tokens": usage.cache_write_tokens,
        },
        "output_tokens": usage.output_tokens,
        "output_tokens_details": {"reasoning_tokens": usage.reasoning_tokens},
        "total_tokens": usage.input_tokens + usage.output_tokens,
    }


# ---------------------------------------------------------------------------- ids and the envelope

#: The id of a stream whose source named none (a body's is `wire.answer_id`): fixed, so the same
#: input gives the same bytes.
SYNTHETIC_STREAM_ID = "resp_0"


def item_id(prefix: str, response_id: str, index: int) -> str:
    """A stable output-item id (`msg_…`, `fc_…`, `rs_…`) derived from the response id and position."""
    suffix = response_id.removeprefix("resp_")
    return f"{prefix}_{suffix}_{index}"


def envelope(
    response_id: str,
    model: str | None,
    created: int | None,
    status: str,
    output: list[dict[str, Any]],
    usage: dict[str, Any] | None,
    incomplete_details: dict[str, str] | None = None,
    error: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A complete Response object with every field the official SDK models (echoed settings at
    their neutral values), as OpenAI sends it in a body and in the stream's lifecycle events."""
    return {
        "id": response_id,
        "object": "response",
        "created_at": created or 0,
        "status": status,
        "error": error,
        "incomplete_details": incomplete_details,
        "instructions": None,
        "max_output_tokens": None,
        "model": model or "unknown",
        "output": output,
        "parallel_tool_calls": True,
        "previous_response_id": None,
        "reasoning": {"effort": None, "summary": None},
        "store": False,
        "temperature": None,
        "text": {"format": {"type": "text"}},
        "tool_choice": "auto",
        "tools": [],
        "top_p": None,
        "truncation": "disabled",
        "usage": usage,
        "user": None,
        "metadata": {},
    }
