"""The Gemini generateContent adapter: request bodies <-> IR.

Owns the request body (contents, systemInstruction, tools, extras). The rest of the format lives beside
it: `content` (Content.parts), `settings` (toolConfig, generationConfig), `response`
(responses, finish reasons, usage), `stream_decoder` / `stream_encoder` (alt=sse streams) and
`wire` (key lookup, proto3 JSON leniencies); the shape checks every format shares are in `shared`.
The model is not in a Gemini body (it is in the URL path): `request_to_ir` takes it as an argument and
`request_from_ir` never writes one. Input may use camelCase or snake_case keys; output is camelCase.
Fields the IR does not model travel in `extras` under dotted names (`generationConfig.presencePenalty`,
`tools.googleSearch`) so a Gemini target can put them back where they were and any other target can
name them in its warnings. No I/O; standard library only.
"""

from __future__ import annotations

from typing import Any

from ... import ir
from ...formats import Format
from ..shared.extras import drop_extras, put_dotted
from ..shared.fitting import (
    GEMINI_NAME_RULE,
    fit_tool_names,
    gemini_tool_name,
    merge_turns,
    without_empty_text,
)
from ..shared.foreign_extras import home_extras
from ..shared.json_shapes import fail, need_dict, need_str, wrong
from ..shared.losses import warn_once
from ..shared.tools import function_definition
from .call_ids import CallIds
from .content import one_key_part, parts_from_ir, parts_to_ir
from .settings import generation_from_ir, generation_to_ir, tool_choice_from_ir, tool_config_to_ir
from .wire import JSON, get2, one_or_many, openapi_to_json_schema

_TOP = {
    "contents": "contents",
    "systemInstruction": "system",
    "system_instruction": "system",
    "tools": "tools",
    "toolConfig": "tool_config",
    "tool_config": "tool_config",
    "generationConfig": "generation",
    "generation_config": "generation",
    "model": "model",
}

#: Content roles; no role at all means the user.
_ROLES: dict[str | None, ir.Role] = {"user": "user", "model": "assistant", "function": "user", None: "user"}

_ANOTHER_FORMAT = ("messages", "input", "prompt", "instructions")


# ---------------------------------------------------------------------------- wire -> IR


def request_to_ir(body: dict[str, Any], warnings: list[str], model: str | None) -> ir.Request:
    if not isinstance(body, dict):
        wrong(body, "a JSON object", "")
    if body.get("contents") is None:
        other = next((key for key in _ANOTHER_FORMAT if key in body), None)
        hint = f" (this body has {other!r}: is it another format than Gemini?)" if other else ""
        fail(f"required field missing{hint}", "contents")
    request = ir.Request(model=model, extras_format=Format.GEMINI)
    extras = request.extras
    for key, value in body.items():
        if value is None:  # proto3 JSON: null is the same as absent (LiteLLM sends `tools: null`)
            continue
        field = _TOP.get(key)
        if field == "contents":
            request.messages = _contents_to_ir(value, warnings)
        elif field == "system":
            request.system = _system_to_ir(value, key, warnings)
        elif field == "generation":
            generation_to_ir(need_dict(value, key), key, request, warnings)
        elif field == "tools":
            request.tools = _tools_to_ir(value, key, extras, warnings)
        elif field == "tool_config":
            request.tool_choice = tool_config_to_ir(need_dict(value, key), key, extras, warnings)
        elif field == "model":
            if model is None and isinstance(value, str):
                request.model = value.removeprefix("models/")
        else:
            extras[key] = value
    return request


def _contents_to_ir(value: Any, warnings: list[str]) -> list[ir.Message]:
    ids = CallIds()
    messages: list[ir.Message] = []
    roles = _ROLES
    for i, content in enumerate(value if type(value) is list else one_or_many(value, "contents")):
        if type(content) is not dict:
            wrong(content, "an object", f"contents[{i}]")
        role = content.get("role")
        try:
            mapped = roles[role]
        except (KeyError, TypeError):  # TypeError: a role that is a list or an object
            fail(f"expected 'user' or 'model', got {role!r}", f"contents[{i}].role")
        raw_parts = content.get("parts")
        where = ("contents", i, ".parts")
        if (
            type(raw_parts) is list
            and len(raw_parts) == 1
            and type(part := raw_parts[0]) is dict
            and len(part) == 1
            and (one := one_key_part(part, where, 0, warnings, ids, None, 0)) is not None
        ):
            parts = [one]  # one part with one key, most contents: without parts_to_ir's loop
        elif raw_parts is None:
            fail("required field missing", f"contents[{i}].parts")
        else:
            parts = parts_to_ir(raw_parts, where, warnings, ids)
        messages.append(ir.Message(mapped, parts))
        if len(content) != 1 + (role is not None):
            for key in content:
                if key != "role" and key != "parts":
                    warn_once(warnings, f"contents[].{key}: not part of a Gemini Content; dropped")
    return messages


def _system_to_ir(value: Any, key: str, warnings: list[str]) -> list[ir.TextPart]:
    if isinstance(value, str):  # the SDKs accept a bare string; be as forgiving
        return [ir.TextPart(value)]
    content = need_dict(value, key)
    system: list[ir.TextPart] = []
    for j, part in enumerate(one_or_many(content.get("parts", []), f"{key}.parts")):
        part = need_dict(part, f"{key}.parts[{j}]")
        text = part.get("text")
        if text is None:
            warn_once(
                warnings,
                f"{key}.parts[]: only text parts are carried in system instructions; dropped the rest",
            )
        else:
            system.append(ir.TextPart(need_str(text, f"{key}.parts[{j}].text")))
    return system


def _tools_to_ir(value: Any, key: str, extras: JSON, warnings: list[str]) -> list[ir.Tool]:
    tools: list[ir.Tool] = []
    for i, entry in enumerate(one_or_many(value, key)):
        entry = need_dict(entry, f"{key}[{i}]")
        for kind, spec in entry.items():
            if kind == "functionDeclarations" or kind == "function_declarations":
                if type(spec) is not list:
                    spec = one_or_many(spec, f"{key}[{i}].{kind}")
                for k, declaration in enumerate(spec):
                    tools.append(_declaration_to_ir(declaration, (key, i, kind, k), warnings))
            elif f"tools.{kind}" in extras:
                warn_once(warnings, f"tools[{i}].{kind}: a second {kind} tool; kept the first")
            else:
                extras[f"tools.{kind}"] = spec  # googleSearch, codeExecution, urlContext, ...
    return tools


_DECLARATION_KEYS = frozenset(
    {"name", "description", "parameters", "parametersJsonSchema", "parameters_json_schema"}
)


def _path(where: tuple[str, int, str, int], tail: str = "") -> str:
    """A declaration's JSON path, spelled out only when something is wrong."""
    return f"{where[0]}[{where[1]}].{where[2]}[{where[3]}]{tail}"


def _declaration_to_ir(value: Any, where: tuple[str, int, str, int], warnings: list[str]) -> ir.Tool:
    if type(value) is not dict:
        wrong(value, "an object", _path(where))
    name = value.get("name")
    if type(name) is not str:
        wrong(name, "a string", _path(where, ".name"))
    description = value.get("description")
    if description is not None and type(description) is not str:
        wrong(description, "a string", _path(where, ".description"))
    schema = get2(value, "parametersJsonSchema", "parameters_json_schema")
    if schema is not None:
        if type(schema) is not dict:
            wrong(schema, "an object", _path(where, ".parametersJsonSchema"))
        parameters = schema
    elif (legacy := value.get("parameters")) is not None:
        parameters = openapi_to_json_schema(need_dict(legacy, _path(where, ".parameters")))
    else:
        parameters = {"type": "object", "properties": {}}
    if not _DECLARATION_KEYS.issuperset(value):
        for key in value:
            if key not in _DECLARATION_KEYS:
                warn_once(warnings, f"tools[].functionDeclarations[].{key}: no neutral equivalent; dropped")
    return ir.Tool(name, description, parameters)


# ---------------------------------------------------------------------------- IR -> wire


def request_from_ir(request: ir.Request, warnings: list[str]) -> dict[str, Any]:
    request = fit_tool_names(
        request, gemini_tool_name, "Gemini", warnings, (Format.GEMINI,), rule=GEMINI_NAME_RULE
    )
    body: JSON = {}
    system, messages = _fold_system(request, warnings)
    if system:
        parts = []
        for part in system:
            if not part.text and request.extras_format is not Format.GEMINI:  # Gemini refuses it
                continue
            if part.cache_control is not None:
                warn_once(
                    warnings, "cache_control: Gemini caches through cachedContent, not per block; dropped"
                )
            parts.append({"text": part.text})
        if parts:
            body["systemInstruction"] = {"parts": parts}
    names: dict[str, str] = {}
    body["contents"] = [
        {
            "role": "model" if m.role == "assistant" else "user",
            "parts": parts_from_ir(m.parts, ("messages", i, ".parts"), warnings, names),
        }
        for i, m in enumerate(
            # Another format's turns of one role in a row are one Gemini turn (tool results first);
            # a Gemini body's own are kept as written (the API takes them).
            messages
            if request.extras_format is Format.GEMINI
            else merge_turns(without_empty_text(messages, "Gemini", warnings))
        )
    ]
    if request.tools:
        declarations = []
        for tool in request.tools:
            declaration = function_definition(tool, "parametersJsonSchema")
            if declaration.pop("strict", None):
                warn_once(warnings, "tools[].strict: Gemini has no strict mode; dropped")
            declarations.append(declaration)
        body["tools"] = [{"functionDeclarations": declarations}]
    if request.tool_choice is not None:
        body["toolConfig"] = {"functionCallingConfig": tool_choice_from_ir(request.tool_choice)}
    if request.parallel_tool_calls is False:
        warn_once(warnings, "parallel_tool_calls: Gemini cannot limit a turn to one tool call; dropped")
    elif request.parallel_tool_calls:
        warn_once(
            warnings,
            "parallel_tool_calls: Gemini always allows parallel calls and has no such field; not sent",
        )
    generation = generation_from_ir(request, warnings)
    if generation:
        body["generationConfig"] = generation
    if request.extras:
        _extras_from_ir(request.extras, request.extras_format, body, warnings)
    return body


def _fold_system(request: ir.Request, warnings: list[str]) -> tuple[list[ir.TextPart], list[ir.Message]]:
    """Gemini has one system instruction, before the conversation: system messages within it are
    added to it, in order, with a warning (their place in the conversation is lost)."""
    messages = request.messages
    if not any(m.role == "system" for m in messages):
        return request.system, messages
    warn_once(
        warnings,
        "system messages: Gemini has only a leading systemInstruction; system messages within the "
        "conversation were added to it (their place is lost)",
    )
    system = list(request.system)
    for message in messages:
        if message.role == "system":
            system.extend(p for p in message.parts if type(p) is ir.TextPart)
    return system, [m for m in messages if m.role != "system"]


def _extras_from_ir(extras: JSON, source: Format | None, body: JSON, warnings: list[str]) -> None:
    if source is not None and source != Format.GEMINI:
        extras, rest = home_extras(extras, source, Format.GEMINI, warnings)
        drop_extras(rest, source, "Gemini", warnings)
    for key, value in extras.items():
        if key.startswith("tools."):
            body.setdefault("tools", []).append({key[6:]: value})
        else:
            put_dotted(body, key, value, replace=False)
