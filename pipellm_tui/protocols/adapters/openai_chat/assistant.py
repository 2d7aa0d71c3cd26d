"""OpenAI Chat Completions assistant messages into and out of IR parts.

Shared by request history (`messages[]` of role assistant) and response choices (`message`): text
or text parts, `refusal`, `tool_calls` (arguments as JSON strings), the legacy `function_call`, and
the non-standard `reasoning_content` of reasoning models. Must not import pydantic; no I/O.
"""

from __future__ import annotations

from typing import Any

from ... import ir
from ..shared.hosted import drop_hosted
from ..shared.json_shapes import fail, need_dict, need_list, need_str, wrong
from ..shared.tools import arguments_object, arguments_to_ir
from .wire import LABEL, text_part, tool_call_wire


def assistant_parts(item: dict[str, Any], where: str, position: int, warnings: list[str]) -> list[ir.Part]:
    """An assistant message (request history or response choice) as parts, in the IR's order:
    thinking, text, refusal, tool calls. `where.format(position)` is the message's JSON path
    (`messages[{}]`), built only when something is wrong: this is the hot path. A legacy
    `function_call` has no id: it gets `call_<position>`, stable for the same input."""
    parts: list[ir.Part] = []
    get = item.get
    reasoning = get("reasoning_content")
    if reasoning is not None:
        if type(reasoning) is not str:
            wrong(reasoning, "a string", where.format(position) + ".reasoning_content")
        if reasoning:
            parts.append(ir.ThinkingPart(reasoning))
    content = get("content")
    if type(content) is str:
        if content:  # "" beside tool calls is common and means nothing
            parts.append(ir.TextPart(content))
    elif content is not None:
        _content_parts(content, where.format(position) + ".content", parts)
    refusal = get("refusal")
    if refusal is not None:
        if type(refusal) is not str:
            wrong(refusal, "a string", where.format(position) + ".refusal")
        if refusal:
            parts.append(ir.RefusalPart(refusal))
    calls = get("tool_calls")
    if calls is not None:
        if not isinstance(calls, list):
            wrong(calls, "an array", where.format(position) + ".tool_calls")
        for j, call in enumerate(calls):
            # Fast path for a well-formed call; anything else goes through _tool_call, which says why.
            function = call.get("function") if type(call) is dict else None
            if type(function) is dict and call.get("type", "function") == "function":
                call_id, name, arguments = call.get("id"), function.get("name"), function.get("arguments")
                if type(call_id) is str and type(name) is str and type(arguments) is str:
                    parsed = arguments_object(arguments)
                    if parsed is not None:
                        parts.append(ir.ToolCallPart(call_id, name, parsed))
                        continue
            part = _tool_call(call, where, position, j, warnings)
            if part is not None:
                parts.append(part)
    legacy = get("function_call")
    if legacy is not None:
        path = where.format(position)
        legacy = need_dict(legacy, f"{path}.function_call")
        name = need_str(legacy.get("name"), f"{path}.function_call.name")
        arguments = legacy.get("arguments", "")
        parsed = arguments_to_ir(arguments, warnings, f"{path}.function_call.arguments")
        parts.append(ir.ToolCallPart(f"call_{position}", name, parsed))
    return parts


def _content_parts(content: Any, path: str, parts: list[ir.Part]) -> None:
    for j, part in enumerate(need_list(content, path)):
        part = need_dict(part, f"{path}[{j}]")
        kind = part.get("type")
        if kind == "text":
            text = text_part(part, f"{path}[{j}]")
            if text.text:
                parts.append(text)
        elif kind == "refusal":
            parts.append(ir.RefusalPart(need_str(part.get("refusal"), f"{path}[{j}].refusal")))
        else:
            fail("assistant content parts are 'text' or 'refusal'", f"{path}[{j}].type")


def _tool_call(call: Any, where: str, position: int, j: int, warnings: list[str]) -> ir.ToolCallPart | None:
    if not isinstance(call, dict):
        wrong(call, "an object", f"{where.format(position)}.tool_calls[{j}]")
    kind = call.get("type", "function")
    if kind != "function":
        warnings.append(
            f"{where.format(position)}.tool_calls[{j}]: {kind!r} tool calls have no place in the neutral form; dropped"
        )
        return None
    call_id = call.get("id")
    if type(call_id) is not str:
        wrong(call_id, "a string", f"{where.format(position)}.tool_calls[{j}].id")
    function = call.get("function")
    if not isinstance(function, dict):
        wrong(function, "an object", f"{where.format(position)}.tool_calls[{j}].function")
    name = function.get("name")
    if type(name) is not str:
        wrong(name, "a string", f"{where.format(position)}.tool_calls[{j}].function.name")
    arguments = function.get("arguments")
    parsed = arguments_to_ir(
        arguments, warnings, f"{where.format(position)}.tool_calls[{j}].function.arguments"
    )
    return ir.ToolCallPart(call_id, name, parsed)


def assistant_message(parts: list[ir.Part], warnings: list[str], join_text: bool) -> dict[str, Any]:
    """Parts as an assistant message. Requests keep several text parts as a list; a response's
    `content` is one string (`join_text`)."""
    texts: list[str] = []
    refusals: list[str] = []
    thinking: list[str] = []
    calls: list[dict[str, Any]] = []
    for part in parts:
        kind = type(part)
        if kind is ir.TextPart:
            texts.append(part.text)  # type: ignore[union-attr]
        elif kind is ir.ToolCallPart:
            calls.append(tool_call_wire(part, warnings))  # type: ignore[arg-type]
        elif kind is ir.ThinkingPart:
            assert isinstance(part, ir.ThinkingPart)
            if part.redacted:
                warnings.append(f"redacted thinking: {LABEL} cannot carry it; dropped")
                continue
            if part.signature is not None:
                warnings.append(f"thinking signature: {LABEL} cannot carry it; dropped")
            thinking.append(part.text)
        elif kind is ir.RefusalPart:
            refusals.append(part.text)  # type: ignore[union-attr]
        elif kind is ir.HostedToolPart:
            where = f"{LABEL} has no hosted-tool items (web citations stay as url_citation annotations)"
            drop_hosted(part, where, warnings)  # type: ignore[arg-type]
        else:
            warnings.append(f"assistant message: {LABEL} cannot carry {part_name(part)} here; dropped")
    message: dict[str, Any] = {"role": "assistant"}
    if len(texts) == 1:
        message["content"] = texts[0]
    elif texts:
        message["content"] = "".join(texts) if join_text else [{"type": "text", "text": t} for t in texts]
    else:
        message["content"] = None if calls or refusals else ""
    if refusals:
        message["refusal"] = "".join(refusals)
    if thinking:
        # Not in the OpenAI spec; the de-facto field of reasoning models behind OpenAI-style APIs.
        message["reasoning_content"] = "".join(thinking)
    if calls:
        message["tool_calls"] = calls
    return message


def part_name(part: ir.Part) -> str:
    return {
        ir.TextPart: "a text part",
        ir.ImagePart: "an image",
        ir.ToolCallPart: "a tool call",
        ir.ToolResultPart: "a tool result",
        ir.ThinkingPart: "a thinking part",
        ir.RefusalPart: "a refusal",
        ir.HostedToolPart: "a hosted tool's run",
    }[type(part)]
