"""Anthropic content blocks <-> IR parts, stop reasons, usage and extras: what requests, responses
and streams of the Messages format share.

Reads plain dicts (no pydantic: conversion is a hot path) and raises `ProtocolError` with a JSON path
for a block that does not fit. Fields the IR does not carry are named in a warning, once each.
No I/O; standard library only.
"""

from __future__ import annotations

from typing import Any

from ... import ir
from ...formats import Format
from ...problems import ProtocolError
from ..base import Warnings
from ..shared.citations import anthropic_citation_blocks, anthropic_citations
from ..shared.documents import anthropic_document, document_part
from ..shared.extras import drop_extras
from ..shared.fitting import anthropic_tool_id
from ..shared.foreign_extras import home_extras
from ..shared.images import media_type_of
from ..shared.json_shapes import count, need_bool, need_dict, need_list, need_str, wrong
from ..shared.losses import warn_once
from .hosted import call_part, join_result, result_part

FORMAT_LABEL = "Anthropic"

# ---------------------------------------------------------------------------- warnings


def drop_unknown(block: dict[str, Any], known: frozenset[str], name: str, warnings: Warnings) -> None:
    """Name each field of a block that the IR has no place for (`tool_use.caller`, ...)."""
    for key in block:
        if key not in known:
            warn_once(warnings, f"{name}.{key}: not carried by the neutral form; dropped")


# ---------------------------------------------------------------------------- blocks -> parts

_TEXT_KEYS = frozenset({"type", "text", "cache_control", "citations"})
_IMAGE_KEYS = frozenset({"type", "source"})
TOOL_USE_KEYS = frozenset({"type", "id", "name", "input"})
_TOOL_RESULT_KEYS = frozenset({"type", "tool_use_id", "content", "is_error"})
_THINKING_KEYS = frozenset({"type", "thinking", "signature"})
_REDACTED_KEYS = frozenset({"type", "data"})


def within(exc: ProtocolError, prefix: str) -> ProtocolError:
    """The same problem, its path seen from one level up.

    Readers report paths relative to what they read and callers prefix them on the way out, so the
    path strings of a valid body (the hot path) are never built.
    """
    path = exc.path
    if not path:
        return ProtocolError(exc.message, prefix)
    return ProtocolError(exc.message, prefix + path if path[0] == "[" else f"{prefix}.{path}")


def text_part(block: dict[str, Any], warnings: Warnings) -> ir.TextPart:
    text = block.get("text")
    if type(text) is not str:
        text = need_str(text, "text")
    cache = block.get("cache_control")
    if cache is not None:
        need_dict(cache, "cache_control")
    if len(block) > 2 + (cache is not None):
        drop_unknown(block, _TEXT_KEYS, "text", warnings)
        return ir.TextPart(text, cache, anthropic_citations(block.get("citations"), warnings))
    return ir.TextPart(text, cache)


def image_part(block: dict[str, Any], warnings: Warnings) -> ir.ImagePart | None:
    source = need_dict(block.get("source"), "source")
    kind = source.get("type")
    if kind == "base64":
        media = need_str(source.get("media_type"), "source.media_type")
        return ir.ImagePart(data=need_str(source.get("data"), "source.data"), media_type=media)
    if kind == "url":
        return ir.ImagePart(url=need_str(source.get("url"), "source.url"))
    if kind == "file":
        warn_once(warnings, "image.source: a Files API file_id has no neutral form; image dropped")
        return None
    raise ProtocolError(f"unknown image source type {kind!r} (base64, url or file)", "source.type")


def tool_call_part(block: dict[str, Any], warnings: Warnings, names: dict[str, str]) -> ir.ToolCallPart:
    """A tool_use block; `names` learns its id -> name, for the tool_result that answers it."""
    call_id, name, arguments = block.get("id"), block.get("name"), block.get("input")
    if type(call_id) is not str or type(name) is not str or type(arguments) is not dict:
        call_id, name = need_str(call_id, "id"), need_str(name, "name")  # says which, in order
        arguments = need_dict(arguments, "input")
    if len(block) > 4:
        drop_unknown(block, TOOL_USE_KEYS, "tool_use", warnings)
    names[call_id] = name
    return ir.ToolCallPart(call_id, name, arguments)


def thinking_part(block: dict[str, Any], warnings: Warnings) -> ir.ThinkingPart:
    text = block.get("thinking")
    if text is None:  # seen from Anthropic-compatible servers: keep the answer, say what was missing
        warn_once(warnings, "thinking: a thinking block without its text; read as empty")
        text = ""
    elif type(text) is not str:
        need_str(text, "thinking")
    signature = block.get("signature")
    if signature is not None:
        need_str(signature, "signature")
    if len(block) > 3:
        drop_unknown(block, _THINKING_KEYS, "thinking", warnings)
    return ir.ThinkingPart(text, signature or None)


def redacted_part(block: dict[str, Any], warnings: Warnings) -> ir.ThinkingPart:
    if len(block) > 2:
        drop_unknown(block, _REDACTED_KEYS, "redacted_thinking", warnings)
    return ir.ThinkingPart("", need_str(block.get("data"), "data"), redacted=True)


def _result_item(item: Any, warnings: Warnings) -> ir.TextPart | ir.ImagePart | None:
    kind = need_dict(item, "").get("type")
    if kind == "text":
        return text_part(item, warnings)
    if kind == "image":
        return image_part(item, warnings)
    if kind == "document":
        return document_part(item, warnings)
    need_str(kind, "type")
    warn_once(warnings, f"tool_result.content: {kind} blocks have no neutral form; dropped")
    return None


def tool_result_part(block: dict[str, Any], warnings: Warnings, names: dict[str, str]) -> ir.ToolResultPart:
    call_id = block.get("tool_use_id")
    if type(call_id) is not str:
        call_id = need_str(call_id, "tool_use_id")
    content = block.get("content")
    parts: list[ir.TextPart | ir.ImagePart] = []
    if type(content) is str:
        parts.append(ir.TextPart(content))
    elif content is not None:
        for i, item in enumerate(need_list(content, "content")):
            try:
                part = _result_item(item, warnings)
            except ProtocolError as exc:
                raise within(exc, f"content[{i}]") from None
            if part is not None:
                parts.append(part)
    is_error = block.get("is_error")
    if is_error is not None:
        need_bool(is_error, "is_error")
    if len(block) > 4:
        drop_unknown(block, _TOOL_RESULT_KEYS, "tool_result", warnings)
    return ir.ToolResultPart(call_id, names.get(call_id), parts, bool(is_error))


def _image(block: dict[str, Any], warnings: Warnings, names: dict[str, str]) -> ir.ImagePart | None:
    if len(block) > 2:
        drop_unknown(block, _IMAGE_KEYS, "image", warnings)
    return image_part(block, warnings)


#: Readers of the rarer block types; text, tool_use and tool_result are tested for first.
_READERS: dict[str, Any] = {
    "image": _image,
    "thinking": lambda block, warnings, names: thinking_part(block, warnings),
    "redacted_thinking": lambda block, warnings, names: redacted_part(block, warnings),
    "document": lambda block, warnings, names: document_part(block, warnings),
    "server_tool_use": lambda block, warnings, names: call_part(block, warnings),
    **dict.fromkeys(
        ("web_search_tool_result", "code_execution_tool_result", "bash_code_execution_tool_result"),
        lambda block, warnings, names: result_part(block, warnings),
    ),
}


def block_to_part(block: Any, warnings: Warnings, names: dict[str, str]) -> ir.Part | None:
    """One content block of a message or a response; None when it is dropped (with a warning).

    `names` maps tool_use ids seen so far to tool names, so a tool_result can carry the name
    (Gemini needs it); tool_use blocks add to it. Problems have paths relative to the block.
    """
    if type(block) is not dict:
        wrong(block, "a content block object", "")
    kind = block.get("type")
    if kind == "text":
        return text_part(block, warnings)
    if kind == "tool_use":
        return tool_call_part(block, warnings, names)
    if kind == "tool_result":
        return tool_result_part(block, warnings, names)
    reader = _READERS.get(kind) if type(kind) is str else None
    if reader is not None:
        part: ir.Part | None = reader(block, warnings, names)
        return part
    kind = need_str(kind, "type")
    warn_once(warnings, f"{kind}: this block type has no neutral form; dropped")
    return None


def blocks_to_parts(blocks: Any, path: str, warnings: Warnings, names: dict[str, str]) -> list[ir.Part]:
    """A list of content blocks (a message's or a response's `content`); `path` names the list."""
    parts: list[ir.Part] = []
    append = parts.append
    for i, block in enumerate(blocks if type(blocks) is list else need_list(blocks, path)):
        try:
            part = block_to_part(block, warnings, names)
        except ProtocolError as exc:
            raise within(exc, f"{path}[{i}]") from None
        if part is not None and (type(part) is not ir.HostedToolPart or not join_result(parts, part)):
            append(part)
    return parts


# ---------------------------------------------------------------------------- parts -> blocks

#: Media types the image block accepts; anything else is sent as-is with a warning.
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})


def text_block(part: ir.TextPart) -> dict[str, Any]:
    if part.citations is not None:
        block: dict[str, Any] = {"type": "text", "text": part.text}
        if part.cache_control is not None:
            block["cache_control"] = part.cache_control
        block["citations"] = anthropic_citation_blocks(part.citations)
        return block
    if part.cache_control is None:
        return {"type": "text", "text": part.text}
    return {"type": "text", "text": part.text, "cache_control": part.cache_control}


def image_block(part: ir.ImagePart, warnings: Warnings) -> dict[str, Any]:
    if part.detail is not None:
        warn_once(warnings, f"image detail: {FORMAT_LABEL} has no image detail setting; dropped")
    if (document := anthropic_document(part)) is not None:  # PDFs and plain text: document blocks
        return document
    if part.data is None:
        return {"type": "image", "source": {"type": "url", "url": part.url or ""}}
    media = media_type_of(part, warnings)
    if media not in IMAGE_TYPES:
        warn_once(warnings, f"image media type {media}: {FORMAT_LABEL} accepts jpeg, png, gif and webp only")
    return {"type": "image", "source": {"type": "base64", "media_type": media, "data": part.data}}


def tool_use_block(part: ir.ToolCallPart, warnings: Warnings) -> dict[str, Any]:
    if part.signature is not None:
        warn_once(warnings, "tool call thoughtSignature: Gemini-only; dropped")
    call_id = anthropic_tool_id(part.id, warnings)
    return {"type": "tool_use", "id": call_id, "name": part.name, "input": part.arguments}


def thinking_block(part: ir.ThinkingPart) -> dict[str, Any]:
    if part.redacted:
        return {"type": "redacted_thinking", "data": part.signature or ""}
    return {"type": "thinking", "thinking": part.text, "signature": part.signature or ""}


def tool_result_block(part: ir.ToolResultPart, warnings: Warnings) -> dict[str, Any]:
    call_id = anthropic_tool_id(part.tool_call_id, warnings)
    block: dict[str, Any] = {"type": "tool_result", "tool_use_id": call_id}
    content = part.content
    if len(content) == 1 and type(content[0]) is ir.TextPart and content[0].cache_control is None:
        block["content"] = content[0].text
    elif content:
        block["content"] = [
            text_block(p) if isinstance(p, ir.TextPart) else image_block(p, warnings) for p in content
        ]
    if part.is_error:
        block["is_error"] = True
    return block


# ---------------------------------------------------------------------------- stop reasons, usage

STOP_TO_IR: dict[str, ir.StopReason] = {
    "end_turn": ir.StopReason.END_TURN,
    "stop_sequence": ir.StopReason.STOP_SEQUENCE,
    "max_tokens": ir.StopReason.MAX_TOKENS,
    "tool_use": ir.StopReason.TOOL_USE,
    "pause_turn": ir.StopReason.PAUSE,
    "refusal": ir.StopReason.CONTENT_FILTER,
    "model_context_window_exceeded": ir.StopReason.CONTEXT_WINDOW_EXCEEDED,
}

STOP_FROM_IR: dict[ir.StopReason, str] = {
    ir.StopReason.END_TURN: "end_turn",
    ir.StopReason.STOP_SEQUENCE: "stop_sequence",
    ir.StopReason.MAX_TOKENS: "max_tokens",
    ir.StopReason.TOOL_USE: "tool_use",
    ir.StopReason.PAUSE: "pause_turn",
    ir.StopReason.CONTENT_FILTER: "refusal",
    ir.StopReason.CONTEXT_WINDOW_EXCEEDED: "model_context_window_exceeded",
    ir.StopReason.ERROR: "end_turn",
}


def stop_to_ir(value: Any, path: str, warnings: Warnings) -> ir.StopReason | None:
    if value is None:
        return None
    reason = STOP_TO_IR.get(need_str(value, path))
    if reason is None:
        warn_once(warnings, f"stop_reason {value!r}: unknown; read as end_turn")
        return ir.StopReason.END_TURN
    return reason


def stop_from_ir(reason: ir.StopReason, warnings: Warnings) -> str:
    if reason is ir.StopReason.ERROR:
        warn_once(warnings, f"stop reason error: {FORMAT_LABEL} has no error stop reason; end_turn sent")
    return STOP_FROM_IR[reason]


def _count(usage: dict[str, Any], key: str, path: str) -> int:
    return count(usage.get(key), f"{path}.{key}")


def usage_to_ir(usage: Any, path: str, base: ir.Usage | None = None) -> ir.Usage:
    """Anthropic usage to inclusive IR totals (input_tokens there excludes cache reads and writes).

    `base` fills the input side when the wire object has no input_tokens (a stream's message_delta
    that carries only the cumulative output count).
    """
    usage = need_dict(usage, path)
    output = _count(usage, "output_tokens", path)
    details = usage.get("output_tokens_details")
    reasoning = (
        0
        if details is None
        else _count(
            need_dict(details, f"{path}.output_tokens_details"),
            "thinking_tokens",
            f"{path}.output_tokens_details",
        )
    )
    if base is not None and usage.get("input_tokens") is None:
        return ir.Usage(
            base.input_tokens,
            output,
            base.cache_read_tokens,
            base.cache_write_tokens,
            reasoning or base.reasoning_tokens,
        )
    read = _count(usage, "cache_read_input_tokens", path)
    write = _count(usage, "cache_creation_input_tokens", path)
    return ir.Usage(_count(usage, "input_tokens", path) + read + write, output, read, write, reasoning)


def usage_from_ir(usage: ir.Usage | None) -> dict[str, Any]:
    if usage is None:
        return {"input_tokens": 0, "output_tokens": 0}
    read, write = usage.cache_read_tokens, usage.cache_write_tokens
    out: dict[str, Any] = {
        "input_tokens": max(0, usage.input_tokens - read - write),
        "cache_creation_input_tokens": write,
        "cache_read_input_tokens": read,
        "output_tokens": usage.output_tokens,
    }
    if usage.reasoning_tokens:
        out["output_tokens_details"] = {"thinking_tokens": usage.reasoning_tokens}
    return out


# ---------------------------------------------------------------------------- extras


def merge_extras(
    body: dict[str, Any],
    extras: dict[str, Any],
    source: Format | None,
    warnings: Warnings,
    request: bool = False,
) -> None:
    """Extras of an Anthropic source go back in (lists extend, objects merge); another format's
    are named as dropped, except request fields Anthropic has a home for (`home_extras`)."""
    if source is not Format.ANTHROPIC:
        if not request:
            drop_extras(extras, source, FORMAT_LABEL, warnings)
            return
        extras, rest = home_extras(extras, source, Format.ANTHROPIC, warnings)
        drop_extras(rest, source, FORMAT_LABEL, warnings)
    for key, value in extras.items():
        mine = body.get(key)
        if type(mine) is list and type(value) is list:
            body[key] = mine + value
        elif type(mine) is dict and type(value) is dict:
            body[key] = {**mine, **value}
        else:
            body[key] = value
