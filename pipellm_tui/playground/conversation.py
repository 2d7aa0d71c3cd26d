"""A conversation carried on in the request itself, the same way in all four formats: continue
(append the answer, open a new user turn), fork (cut at a turn), answer a tool call.

One piece of logic through the IR: the body goes to `ir.Request` with its format's adapter, the
turn is edited there, and the adapter writes it back, so what a format cannot carry (thinking in
OpenAI Chat, say) comes back as a warning, never silently. Pure functions on bodies, cheap enough
to call on the UI thread. Must not import Textual.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ..protocols import ir
from ..protocols.adapters import adapter_for
from ..protocols.formats import Format

#: A turn's preview in `turns`.
PREVIEW_CHARS = 80


@dataclass(slots=True)
class Edited:
    """A request body after an edit, and what its format could not carry."""

    body: dict[str, Any]
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Turn:
    """One message of the conversation, for a picker: its index (what `fork` takes), role, preview."""

    index: int
    role: str
    preview: str
    tool_calls: tuple[str, ...] = ()


class ConversationProblem(ValueError):
    """An edit that cannot be made (no such turn, no such tool call); the message says why."""


def _load(fmt: Format | str, body: dict[str, Any], model: str | None) -> tuple[ir.Request, list[str]]:
    warnings: list[str] = []
    return adapter_for(fmt).request_to_ir(body, warnings, model), warnings


def _dump(fmt: Format | str, request: ir.Request, body: dict[str, Any], warnings: list[str]) -> Edited:
    out = adapter_for(fmt).request_from_ir(request, warnings)
    if Format(fmt) is Format.GEMINI and "stream" in body:
        out["stream"] = body["stream"]  # the playground's streaming hint, not part of Gemini's wire
    return Edited(out, list(dict.fromkeys(warnings)))


def answer_from_body(fmt: Format | str, response_body: dict[str, Any]) -> ir.Response:
    """An answer as the format's final JSON (e.g. a history entry's) in the neutral form."""
    return adapter_for(fmt).response_to_ir(response_body, [])


def turns(fmt: Format | str, body: dict[str, Any], model: str | None = None) -> list[Turn]:
    request, _ = _load(fmt, body, model)
    out = []
    for index, message in enumerate(request.messages):
        out.append(
            Turn(
                index,
                message.role,
                _preview(message.parts),
                tuple(p.name for p in message.parts if isinstance(p, ir.ToolCallPart)),
            )
        )
    return out


def continue_conversation(
    fmt: Format | str,
    body: dict[str, Any],
    answer: ir.Response,
    *,
    user_text: str = "",
    model: str | None = None,
) -> Edited:
    """Append the answer (text, tool calls, thinking) as the assistant's turn, then open a user turn
    with `user_text`; an answer that called tools gets no user turn (answer the calls first)."""
    request, warnings = _load(fmt, body, model)
    parts: list[ir.Part] = [p for p in answer.parts if not isinstance(p, ir.ToolResultPart)]
    if not parts:
        parts = [ir.TextPart("")]
    request.messages.append(ir.Message("assistant", parts))
    if not any(isinstance(p, ir.ToolCallPart) for p in parts):
        request.messages.append(ir.Message("user", [ir.TextPart(user_text)]))
    return _dump(fmt, request, body, warnings)


def fork(fmt: Format | str, body: dict[str, Any], keep: int, *, model: str | None = None) -> Edited:
    """The conversation cut after its first `keep` turns (turn indices as `turns` gives them)."""
    request, warnings = _load(fmt, body, model)
    if not 0 < keep <= len(request.messages):
        raise ConversationProblem(f"Cannot keep {keep} turns of a conversation of {len(request.messages)}.")
    request.messages = request.messages[:keep]
    return _dump(fmt, request, body, warnings)


def pending_tool_calls(
    fmt: Format | str, body: dict[str, Any], model: str | None = None
) -> list[ir.ToolCallPart]:
    """The tool calls of the conversation that have no result yet, oldest first."""
    request, _ = _load(fmt, body, model)
    answered = {p.tool_call_id for m in request.messages for p in m.parts if isinstance(p, ir.ToolResultPart)}
    return [
        p
        for m in request.messages
        for p in m.parts
        if isinstance(p, ir.ToolCallPart) and p.id not in answered
    ]


def answer_tool_call(
    fmt: Format | str,
    body: dict[str, Any],
    tool_call_id: str,
    result: str | dict[str, Any] | list[Any],
    *,
    is_error: bool = False,
    model: str | None = None,
) -> Edited:
    """Append the result of one tool call (text, or JSON written as text) to the user turn that
    follows the calls, so several results of one answer travel together."""
    request, warnings = _load(fmt, body, model)
    call = next(
        (
            p
            for m in request.messages
            for p in m.parts
            if isinstance(p, ir.ToolCallPart) and p.id == tool_call_id
        ),
        None,
    )
    if call is None:
        known = ", ".join(p.id for p in pending_tool_calls(fmt, body, model)) or "none"
        raise ConversationProblem(f"No tool call {tool_call_id!r} in the conversation (open calls: {known}).")
    text = result if isinstance(result, str) else json.dumps(result, ensure_ascii=False)
    part = ir.ToolResultPart(tool_call_id, call.name, [ir.TextPart(text)], is_error)
    last = request.messages[-1] if request.messages else None
    if last is not None and last.role == "user" and all(isinstance(p, ir.ToolResultPart) for p in last.parts):
        last.parts.append(part)
    else:
        request.messages.append(ir.Message("user", [part]))
    return _dump(fmt, request, body, warnings)


def _preview(parts: list[ir.Part]) -> str:
    bits = []
    for part in parts:
        if isinstance(part, ir.TextPart | ir.RefusalPart):
            bits.append(part.text)
        elif isinstance(part, ir.ToolCallPart):
            bits.append(f"{part.name}({json.dumps(part.arguments, ensure_ascii=False)})")
        elif isinstance(part, ir.ToolResultPart):
            bits.append("result: " + "".join(c.text for c in part.content if isinstance(c, ir.TextPart)))
        elif isinstance(part, ir.ThinkingPart):
            bits.append(f"(thinking) {part.text}")
        elif isinstance(part, ir.ImagePart):
            bits.append("[image]")
    text = " ".join(b for b in bits if b).replace("\n", " ")
    return text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 1] + "…"
