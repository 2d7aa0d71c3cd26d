"""OpenAI Chat Completions: the wire-level pieces its requests, responses and streams share.

Owns the finish-reason table (conversion.md §C.6), the usage projection (§C.7), tool calls and text
parts; the type checks, argument strings and ids every format shares are in `shared`.
Must not import pydantic (conversion is a hot path) or anything outside `protocols/`; no I/O.
"""

from __future__ import annotations

from typing import Any

from ... import ir
from ...formats import Format
from ..shared.json_shapes import count, need_dict, wrong
from ..shared.tools import arguments_from_ir

FORMAT = Format.OPENAI_CHAT
LABEL = "OpenAI Chat"


# ---------------------------------------------------------------------------- finish reasons

FINISH_TO_IR: dict[str, ir.StopReason] = {
    "stop": ir.StopReason.END_TURN,
    "length": ir.StopReason.MAX_TOKENS,
    "tool_calls": ir.StopReason.TOOL_USE,
    "function_call": ir.StopReason.TOOL_USE,
    "content_filter": ir.StopReason.CONTENT_FILTER,
}

FINISH_FROM_IR: dict[ir.StopReason, str] = {
    ir.StopReason.END_TURN: "stop",
    ir.StopReason.STOP_SEQUENCE: "stop",
    ir.StopReason.MAX_TOKENS: "length",
    ir.StopReason.TOOL_USE: "tool_calls",
    ir.StopReason.CONTENT_FILTER: "content_filter",
    ir.StopReason.CONTEXT_WINDOW_EXCEEDED: "length",
    ir.StopReason.PAUSE: "stop",
    ir.StopReason.ERROR: "stop",
}

#: Stop reasons OpenAI Chat can only approximate: the warning says what was sent instead.
_APPROXIMATED = {
    ir.StopReason.CONTEXT_WINDOW_EXCEEDED: "context window exceeded",
    ir.StopReason.PAUSE: "pause (server tool turn paused)",
    ir.StopReason.ERROR: "error",
}


def finish_to_ir(value: Any, has_tool_calls: bool, path: str, warnings: list[str]) -> ir.StopReason | None:
    """A wire finish_reason as a StopReason; a plain `stop` that carries tool calls means TOOL_USE."""
    if value is None:
        return None
    reason = FINISH_TO_IR.get(value) if isinstance(value, str) else None
    if reason is None:
        if not isinstance(value, str):
            wrong(value, "a string or null", path)
        warnings.append(f"{path}: unknown finish_reason {value!r}; read as a normal end of turn")
        reason = ir.StopReason.END_TURN
    if has_tool_calls and reason is ir.StopReason.END_TURN:
        return ir.StopReason.TOOL_USE
    return reason


def finish_from_ir(
    reason: ir.StopReason | None, stop_sequence: str | None, has_tool_calls: bool, warnings: list[str]
) -> str:
    if reason is None or (has_tool_calls and reason is ir.StopReason.END_TURN):
        return "tool_calls" if has_tool_calls else "stop"
    approximated = _APPROXIMATED.get(reason)
    if approximated is not None:
        finish = FINISH_FROM_IR[reason]
        warnings.append(f"finish_reason: {LABEL} has no '{approximated}' finish; sent as {finish!r}")
        return finish
    if stop_sequence is not None:
        warnings.append(f"stop_sequence: {LABEL} does not say which stop string matched ({stop_sequence!r})")
    return FINISH_FROM_IR[reason]


# ---------------------------------------------------------------------------- usage


def usage_to_ir(value: Any, path: str) -> ir.Usage | None:
    """OpenAI usage is already inclusive: prompt counts cached tokens, completion counts reasoning."""
    if value is None:
        return None
    if not isinstance(value, dict):
        wrong(value, "an object or null", path)
    usage = ir.Usage(
        count(value.get("prompt_tokens"), f"{path}.prompt_tokens"),
        count(value.get("completion_tokens"), f"{path}.completion_tokens"),
    )
    details = value.get("prompt_tokens_details")
    if isinstance(details, dict):
        usage.cache_read_tokens = count(
            details.get("cached_tokens"), f"{path}.prompt_tokens_details.cached_tokens"
        )
    details = value.get("completion_tokens_details")
    if isinstance(details, dict):
        usage.reasoning_tokens = count(
            details.get("reasoning_tokens"), f"{path}.completion_tokens_details.reasoning_tokens"
        )
    return usage


def usage_from_ir(usage: ir.Usage, warnings: list[str]) -> dict[str, Any]:
    if usage.cache_write_tokens:
        warnings.append(
            f"usage.cache_write_tokens: {LABEL} usage has no cache-write count; "
            f"its {usage.cache_write_tokens} tokens stay counted in prompt_tokens"
        )
    return {
        "prompt_tokens": usage.input_tokens,
        "completion_tokens": usage.output_tokens,
        "total_tokens": usage.input_tokens + usage.output_tokens,
        "prompt_tokens_details": {"cached_tokens": usage.cache_read_tokens},
        "completion_tokens_details": {"reasoning_tokens": usage.reasoning_tokens},
    }


# ---------------------------------------------------------------------------- tool calls


def tool_call_wire(part: ir.ToolCallPart, warnings: list[str]) -> dict[str, Any]:
    if part.signature is not None:
        warnings.append(f"tool call {part.name!r}: {LABEL} cannot carry a thought signature; dropped")
    return {
        "id": part.id,
        "type": "function",
        "function": {"name": part.name, "arguments": arguments_from_ir(part.arguments)},
    }


# ---------------------------------------------------------------------------- parts


def text_part(item: dict[str, Any], path: str) -> ir.TextPart:
    text = item.get("text")
    if not isinstance(text, str):
        wrong(text, "a string", f"{path}.text")
    cache_control = item.get("cache_control")
    if cache_control is not None:
        return ir.TextPart(text, need_dict(cache_control, f"{path}.cache_control"))
    return ir.TextPart(text)
