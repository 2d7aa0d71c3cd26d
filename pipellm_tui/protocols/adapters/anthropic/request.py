"""Anthropic Messages request bodies (POST /v1/messages) <-> `ir.Request`.

Owns the request-level rules of the format: `max_tokens` is required (defaulted to 4096 with a
warning when the IR has none), temperature is 0..1 (clamped), tool_result blocks come first in their
user message, `tool_choice.disable_parallel_tool_use` carries "no parallel tool calls", server tools
and unmodelled top-level fields travel in `extras`.
No I/O; standard library only.
"""

from __future__ import annotations

from typing import Any

from ... import ir
from ...formats import Format
from ...problems import ProtocolError
from ..base import Warnings
from ..shared.fitting import (
    anthropic_tool_name,
    fit_tool_names,
    merge_turns,
    object_schemas,
    without_empty_text,
)
from ..shared.json_shapes import (
    Scalars,
    need_bool,
    need_dict,
    need_int,
    need_list,
    need_number,
    need_str,
    read_scalars,
)
from ..shared.losses import warn_once
from ..shared.tools import function_definition
from .cited_text import text_blocks
from .content import (
    FORMAT_LABEL,
    blocks_to_parts,
    image_block,
    merge_extras,
    text_block,
    text_part,
    thinking_block,
    tool_result_block,
    tool_use_block,
    within,
)
from .hosted import hosted_blocks
from .settings import settings_from_ir, settings_to_ir

DEFAULT_MAX_TOKENS = 4096

_MODELLED = frozenset(
    {
        "model",
        "max_tokens",
        "messages",
        "system",
        "temperature",
        "top_p",
        "top_k",
        "stop_sequences",
        "stream",
        "tools",
        "tool_choice",
        "thinking",
        "output_config",
        "output_format",
    }
)
_SCALARS: Scalars = (
    ("temperature", "temperature", need_number),
    ("top_p", "top_p", need_number),
    ("top_k", "top_k", need_int),
    ("stream", "stream", need_bool),
)
_TOOL_CHOICE = {
    "auto": ir.ToolChoiceMode.AUTO,
    "any": ir.ToolChoiceMode.REQUIRED,
    "tool": ir.ToolChoiceMode.TOOL,
    "none": ir.ToolChoiceMode.NONE,
}
_TOOL_CHOICE_BACK = {mode: kind for kind, mode in _TOOL_CHOICE.items()}

# ---------------------------------------------------------------------------- wire -> IR


def request_to_ir(body: dict[str, Any], warnings: Warnings, model: str | None = None) -> ir.Request:
    need_dict(body, "")
    if model is None:
        if "model" not in body:
            raise ProtocolError("model is required", "model")
        model = need_str(body["model"], "model")
    if "max_tokens" not in body:
        raise ProtocolError("max_tokens is required", "max_tokens")
    if "messages" not in body:
        raise ProtocolError("messages is required", "messages")
    request = ir.Request(
        model=model, max_tokens=need_int(body["max_tokens"], "max_tokens"), extras_format=Format.ANTHROPIC
    )
    request.messages = _messages(body["messages"], warnings)
    get = body.get
    if (system := get("system")) is not None:
        request.system = _system(system, warnings)
    read_scalars(body, request, _SCALARS)
    if (value := get("stop_sequences")) is not None:
        request.stop = _strings(value, "stop_sequences")
    # A field sent as null says nothing (as in the other formats' readers): not carried, not named dropped.
    extras: dict[str, Any] = {k: v for k, v in body.items() if k not in _MODELLED and v is not None}
    if (value := get("tools")) is not None:
        request.tools = _tools(value, extras)
    if (value := get("tool_choice")) is not None:
        _tool_choice(value, request)
    settings_to_ir(get("output_config"), get("output_format"), get("thinking"), request, extras, warnings)
    if extras:
        request.extras = extras
    return request


def _strings(value: Any, path: str) -> list[str]:
    for i, item in enumerate(need_list(value, path)):
        if type(item) is not str:
            need_str(item, f"{path}[{i}]")
    return list(value)


def _system(value: Any, warnings: Warnings) -> list[ir.TextPart]:
    if type(value) is str:
        return [ir.TextPart(value)]
    parts = []
    for i, block in enumerate(need_list(value, "system")):
        try:
            kind = need_dict(block, "").get("type")
            if kind != "text":
                raise ProtocolError(f"system blocks must be text blocks, got {kind!r}", "type")
            parts.append(text_part(block, warnings))
        except ProtocolError as exc:
            raise within(exc, f"system[{i}]") from None
    return parts


def _messages(value: Any, warnings: Warnings) -> list[ir.Message]:
    names: dict[str, str] = {}  # tool_use id -> name, so tool results can carry the name
    messages = []
    for i, message in enumerate(need_list(value, "messages")):
        try:
            messages.append(_message_to_ir(message, warnings, names))
        except ProtocolError as exc:
            raise within(exc, f"messages[{i}]") from None
    return messages


def _message_to_ir(message: Any, warnings: Warnings, names: dict[str, str]) -> ir.Message:
    role = need_dict(message, "").get("role")
    if role != "user" and role != "assistant" and role != "system":
        raise ProtocolError(f"role must be 'user', 'assistant' or 'system', got {role!r}", "role")
    content = message.get("content")
    if type(content) is str:
        parts: list[ir.Part] = [ir.TextPart(content)]
    elif content is None:
        raise ProtocolError("content is required", "content")
    elif role == "system":  # text blocks only, like the top-level system
        parts = list(_system(content, warnings))
    else:
        parts = blocks_to_parts(content, "content", warnings, names)
    if len(message) > 2:
        for key in message:
            if key != "role" and key != "content":
                warn_once(warnings, f"message.{key}: not carried by the neutral form; dropped")
    return ir.Message(role, parts)


def _tools(value: Any, extras: dict[str, Any]) -> list[ir.Tool]:
    tools = []
    server: list[Any] = []
    for i, tool in enumerate(need_list(value, "tools")):
        try:
            kind = need_dict(tool, "").get("type")
            if kind is not None and kind != "custom":
                server.append(tool)  # web_search, bash, code execution...: Anthropic-only, kept as extras
                continue
            tools.append(_tool_to_ir(tool))
        except ProtocolError as exc:
            raise within(exc, f"tools[{i}]") from None
    if server:
        extras["tools"] = server
    return tools


def _tool_to_ir(tool: dict[str, Any]) -> ir.Tool:
    description = tool.get("description")
    strict = tool.get("strict")
    return ir.Tool(
        name=need_str(tool.get("name"), "name"),
        description=None if description is None else need_str(description, "description"),
        parameters=need_dict(tool.get("input_schema"), "input_schema"),
        strict=None if strict is None else need_bool(strict, "strict"),
    )


def _tool_choice(value: Any, request: ir.Request) -> None:
    kind = need_dict(value, "tool_choice").get("type")
    mode = _TOOL_CHOICE.get(kind) if type(kind) is str else None
    if mode is None:
        raise ProtocolError(
            f"unknown tool_choice type {kind!r} (auto, any, tool or none)", "tool_choice.type"
        )
    name = None
    if mode is ir.ToolChoiceMode.TOOL:
        name = need_str(value.get("name"), "tool_choice.name")
    request.tool_choice = ir.ToolChoice(mode, name)
    disable = value.get("disable_parallel_tool_use")
    if disable is not None:
        request.parallel_tool_calls = not need_bool(disable, "tool_choice.disable_parallel_tool_use")


# ---------------------------------------------------------------------------- IR -> wire


def request_from_ir(request: ir.Request, warnings: Warnings) -> dict[str, Any]:
    request = fit_tool_names(request, anthropic_tool_name, FORMAT_LABEL, warnings, (), 128)
    body: dict[str, Any] = {}
    if request.model is not None:
        body["model"] = request.model
    else:
        warnings.append(f"model: {FORMAT_LABEL} requires a model and none was given")
    body["max_tokens"] = _max_tokens(request, warnings)
    if request.system:
        system = request.system
        if not all(p.text for p in system):  # the API refuses empty text blocks and an empty system
            system = [p for p in system if p.text]
            warn_once(warnings, f"system: {FORMAT_LABEL} refuses empty system text; the empty parts dropped")
        if len(system) == 1 and system[0].cache_control is None:
            body["system"] = system[0].text
        elif system:
            body["system"] = [text_block(p) for p in system]
    messages = request.messages
    if request.extras_format is not Format.ANTHROPIC:  # an Anthropic body (the playground's draft
        # with an empty turn to type into) is written as it is
        messages = _prefill_fits(without_empty_text(messages, FORMAT_LABEL, warnings), warnings)
    messages = merge_turns(messages)
    body["messages"] = [_message(m, warnings) for m in messages]
    if request.tools:
        tools = object_schemas(request, FORMAT_LABEL, warnings).tools
        body["tools"] = [function_definition(t, "input_schema") for t in tools]
    choice = _tool_choice_from_ir(request)
    if choice is not None:
        body["tool_choice"] = choice
    settings_from_ir(request, body, warnings)
    if request.stream:
        body["stream"] = True
    if request.extras:
        merge_extras(body, request.extras, request.extras_format, warnings, request=True)
    return body


def _prefill_fits(messages: list[ir.Message], warnings: Warnings) -> list[ir.Message]:
    """The messages with a final assistant text (a prefill) ending without whitespace: Anthropic
    refuses "final assistant content cannot end with trailing whitespace", OpenAI takes it."""
    last = messages[-1] if messages else None
    if last is None or last.role != "assistant" or not last.parts:
        return messages
    text = last.parts[-1]
    if type(text) is not ir.TextPart or text.text == text.text.rstrip() or text.citations:
        return messages
    warnings.append(f"prefill: {FORMAT_LABEL} refuses a final assistant text ending in whitespace; stripped")
    parts = last.parts[:-1]
    if text.text.strip():
        parts.append(ir.TextPart(text.text.rstrip(), text.cache_control))
    return messages[:-1] + [ir.Message("assistant", parts)] if parts else messages[:-1]


def _max_tokens(request: ir.Request, warnings: Warnings) -> int:
    if request.max_tokens is not None:
        return request.max_tokens
    budget = request.thinking.budget_tokens if request.thinking and request.thinking.enabled else None
    value = (
        DEFAULT_MAX_TOKENS if budget is None or budget < DEFAULT_MAX_TOKENS else budget + DEFAULT_MAX_TOKENS
    )
    warnings.append(f"max_tokens: required by {FORMAT_LABEL} and not given; {value} used")
    return value


def _message(message: ir.Message, warnings: Warnings) -> dict[str, Any]:
    parts = message.parts
    if (
        len(parts) == 1
        and type(parts[0]) is ir.TextPart
        and parts[0].cache_control is None
        and not parts[0].citations
    ):
        return {"role": message.role, "content": parts[0].text}
    results: list[dict[str, Any]] = []  # the API wants tool_result blocks first in a user message
    blocks: list[dict[str, Any]] = []
    for part in parts:
        kind = type(part)
        if kind is ir.TextPart:
            if part.citations:  # type: ignore[union-attr]
                blocks.extend(text_blocks(part))  # type: ignore[arg-type]
            elif part.text:  # type: ignore[union-attr]  # the API rejects empty text blocks
                blocks.append(text_block(part))  # type: ignore[arg-type]
        elif kind is ir.HostedToolPart:
            blocks.extend(hosted_blocks(part, warnings))  # type: ignore[arg-type]
        elif kind is ir.ToolCallPart:
            blocks.append(tool_use_block(part, warnings))  # type: ignore[arg-type]
        elif kind is ir.ToolResultPart:
            results.append(tool_result_block(part, warnings))  # type: ignore[arg-type]
        elif kind is ir.ImagePart:
            blocks.append(image_block(part, warnings))  # type: ignore[arg-type]
        elif kind is ir.ThinkingPart:
            if part.signature:  # type: ignore[union-attr]
                blocks.append(thinking_block(part))  # type: ignore[arg-type]
            else:
                warn_once(
                    warnings,
                    "thinking: a thinking block without an Anthropic signature "
                    "cannot be sent back to Anthropic; dropped",
                )
        elif kind is ir.RefusalPart:
            warn_once(warnings, f"refusal: {FORMAT_LABEL} has no refusal part; sent as text")
            blocks.append({"type": "text", "text": part.text})  # type: ignore[union-attr]
    return {"role": message.role, "content": results + blocks if results else blocks}


def _tool_choice_from_ir(request: ir.Request) -> dict[str, Any] | None:
    choice, parallel = request.tool_choice, request.parallel_tool_calls
    if choice is None:
        # Parallel calls are Anthropic's default; only "off" needs a tool_choice to carry it.
        return {"type": "auto", "disable_parallel_tool_use": True} if parallel is False else None
    out: dict[str, Any] = {"type": _TOOL_CHOICE_BACK[choice.mode]}
    if choice.mode is ir.ToolChoiceMode.TOOL:
        out["name"] = choice.name or ""
    if parallel is not None and choice.mode is not ir.ToolChoiceMode.NONE:
        out["disable_parallel_tool_use"] = not parallel
    return out
