"""The Anthropic Messages adapter: the non-streaming response body <-> `ir.Response`.

Requests live in `request.py` (settings in `settings.py`), streams in
`stream_decoder.py` and `stream_encoder.py`, the block, stop-reason, usage and
extras rules they share in `content.py`. A response body is
`{id, type:"message", role:"assistant", content:[blocks], model, stop_reason, stop_sequence, usage}`;
`response_from_ir` fills every field the official SDK needs, synthesising a deterministic id when
the IR has none.
No I/O; standard library only.
"""

from __future__ import annotations

from typing import Any

from ... import ir
from ...formats import Format
from ...problems import ProtocolError
from ..base import Warnings
from ..shared.ids import answer_id
from ..shared.json_shapes import need_dict, need_str
from ..shared.losses import warn_once
from .cited_text import text_blocks
from .content import (
    FORMAT_LABEL,
    blocks_to_parts,
    merge_extras,
    stop_from_ir,
    stop_to_ir,
    text_block,
    thinking_block,
    tool_use_block,
    usage_from_ir,
    usage_to_ir,
)
from .hosted import hosted_blocks

_MODELLED = frozenset({"id", "type", "role", "content", "model", "stop_reason", "stop_sequence", "usage"})


def response_to_ir(body: dict[str, Any], warnings: Warnings) -> ir.Response:
    need_dict(body, "")
    kind = body.get("type")
    if kind == "error":
        raise ProtocolError("this is an error body, not a message", "type")
    if kind is not None and kind != "message":
        raise ProtocolError(f"expected type 'message', got {kind!r}", "type")
    if "content" not in body:
        raise ProtocolError("content is required", "content")
    names: dict[str, str] = {}
    parts = blocks_to_parts(body["content"], "content", warnings, names)
    get = body.get
    stop = stop_to_ir(get("stop_reason"), "stop_reason", warnings)
    if stop is None and names:  # no reason given (a partial message) but it called tools
        stop = ir.StopReason.TOOL_USE
    sequence = get("stop_sequence")
    candidate = ir.Candidate(parts, stop, None if sequence is None else need_str(sequence, "stop_sequence"))
    response = ir.Response(candidates=[candidate])
    if (value := get("id")) is not None:
        response.id = need_str(value, "id")
    if (value := get("model")) is not None:
        response.model = need_str(value, "model")
    if (value := get("usage")) is not None:
        response.usage = usage_to_ir(value, "usage")
    extras = {key: body[key] for key in body if key not in _MODELLED}
    if extras:
        response.extras = extras
        response.extras_format = Format.ANTHROPIC
    return response


def response_from_ir(response: ir.Response, warnings: Warnings) -> dict[str, Any]:
    if len(response.candidates) > 1:
        warnings.append(
            f"candidates: {FORMAT_LABEL} answers carry one candidate; "
            f"{len(response.candidates) - 1} more dropped"
        )
    candidate = response.candidates[0] if response.candidates else ir.Candidate([])
    content: list[dict[str, Any]] = []
    for part in candidate.parts:
        kind = type(part)
        if kind is ir.TextPart and part.citations:  # type: ignore[union-attr]
            content.extend(text_blocks(part))  # type: ignore[arg-type]
        elif kind is ir.HostedToolPart:
            content.extend(hosted_blocks(part, warnings))  # type: ignore[arg-type]
        elif (block := _answer_block(part, warnings)) is not None:
            content.append(block)
    stop = candidate.stop_reason
    if stop is None and any(type(p) is ir.ToolCallPart for p in candidate.parts):
        stop = ir.StopReason.TOOL_USE
    model = response.model or ""
    body: dict[str, Any] = {
        "id": response.id or answer_id("msg_", response),
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": content,
        "stop_reason": None if stop is None else stop_from_ir(stop, warnings),
        "stop_sequence": candidate.stop_sequence,
        "usage": usage_from_ir(response.usage),
    }
    if response.created is not None:
        warn_once(warnings, f"created: {FORMAT_LABEL} messages carry no timestamp; dropped")
    if response.extras:
        merge_extras(body, response.extras, response.extras_format, warnings)
    return body


def _answer_block(part: ir.Part, warnings: Warnings) -> dict[str, Any] | None:
    kind = type(part)
    if kind is ir.TextPart:
        return text_block(part)  # type: ignore[arg-type]
    if kind is ir.ToolCallPart:
        return tool_use_block(part, warnings)  # type: ignore[arg-type]
    if kind is ir.ThinkingPart:
        return thinking_block(part)  # type: ignore[arg-type]
    if kind is ir.RefusalPart:
        warn_once(warnings, f"refusal: {FORMAT_LABEL} has no refusal part; sent as text")
        return {"type": "text", "text": part.text}  # type: ignore[union-attr]
    warn_once(warnings, f"{kind.__name__}: {FORMAT_LABEL} answers cannot carry it; dropped")
    return None
