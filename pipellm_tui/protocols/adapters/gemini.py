"""The Gemini generateContent adapter: request bodies <-> IR, and the module's `ADAPTER`.

Owns the request half (contents, systemInstruction, tools, toolConfig, generationConfig); responses are
in `gemini_response`, streams in `gemini_stream`, parts and shared readers in `gemini_parts`.
The model is not in a Gemini body (it is in the URL path): `request_to_ir` takes it as an argument and
`request_from_ir` never writes one. Input may use camelCase or snake_case keys; output is camelCase.
Fields the IR does not model travel in `extras` under dotted names (`generationConfig.presencePenalty`,
`tools.googleSearch`) so a Gemini target can put them back where they were and any other target can
name them in its warnings. No I/O; standard library only.
"""

from __future__ import annotations

from typing import Any

from .. import ir
from ..formats import Format
from .base import Adapter
from .gemini_parts import (
    JSON,
    CallIds,
    as_bool,
    as_dict,
    as_int,
    as_list,
    as_number,
    as_str,
    fail,
    get2,
    kind_of,
    openapi_to_json_schema,
    parts_from_ir,
    parts_to_ir,
    warn,
)
from .gemini_response import response_from_ir, response_to_ir
from .gemini_stream import GeminiStreamDecoder, GeminiStreamEncoder

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

_GENERATION = {
    "maxOutputTokens": "max_tokens",
    "max_output_tokens": "max_tokens",
    "temperature": "temperature",
    "topP": "top_p",
    "top_p": "top_p",
    "topK": "top_k",
    "top_k": "top_k",
    "stopSequences": "stop",
    "stop_sequences": "stop",
    "seed": "seed",
    "candidateCount": "candidate_count",
    "candidate_count": "candidate_count",
    "responseMimeType": "mime",
    "response_mime_type": "mime",
    "responseSchema": "schema",
    "response_schema": "schema",
    "responseJsonSchema": "json_schema",
    "response_json_schema": "json_schema",
    "thinkingConfig": "thinking",
    "thinking_config": "thinking",
}

_ROLES: dict[str, ir.Role] = {"user": "user", "model": "assistant", "function": "user"}

#: reasoning effort -> thinkingBudget. Google's own OpenAI-compatible endpoint uses 1K / 8K / 24K.
_EFFORT_BUDGET = {
    "none": 0,
    "minimal": 128,
    "low": 1024,
    "medium": 8192,
    "high": 24576,
    "xhigh": 32768,
    "max": 32768,
}

_ANOTHER_FORMAT = ("messages", "input", "prompt", "instructions")


# ---------------------------------------------------------------------------- wire -> IR


def request_to_ir(body: dict[str, Any], warnings: list[str], model: str | None) -> ir.Request:
    if not isinstance(body, dict):
        fail(f"expected a JSON object, got {kind_of(body)}", "")
    if body.get("contents") is None:
        other = next((key for key in _ANOTHER_FORMAT if key in body), None)
        hint = f" (this body has {other!r}: is it another format than Gemini?)" if other else ""
        fail(f"required field missing{hint}", "contents")
    request = ir.Request(model=model, extras_format=Format.GEMINI)
    extras = request.extras
    for key, value in body.items():
        field = _TOP.get(key)
        if field == "contents":
            request.messages = _contents_to_ir(value, warnings)
        elif field == "system":
            request.system = _system_to_ir(value, key, warnings)
        elif field == "generation":
            _generation_to_ir(as_dict(value, key), key, request, warnings)
        elif field == "tools":
            request.tools = _tools_to_ir(value, key, extras, warnings)
        elif field == "tool_config":
            request.tool_choice = _tool_config_to_ir(as_dict(value, key), key, extras, warnings)
        elif field == "model":
            if model is None and isinstance(value, str):
                request.model = value.removeprefix("models/")
        else:
            extras[key] = value
    return request


def _contents_to_ir(value: Any, warnings: list[str]) -> list[ir.Message]:
    ids = CallIds()
    messages: list[ir.Message] = []
    for i, content in enumerate(as_list(value, "contents")):
        if not isinstance(content, dict):
            fail(f"expected an object, got {kind_of(content)}", f"contents[{i}]")
        role = content.get("role")
        mapped: ir.Role = "user"
        if role is not None:
            found = _ROLES.get(role) if isinstance(role, str) else None
            if found is None:
                fail(f"expected 'user' or 'model', got {role!r}", f"contents[{i}].role")
            mapped = found
        raw_parts = content.get("parts")
        if raw_parts is None:
            fail("required field missing", f"contents[{i}].parts")
        parts = parts_to_ir(raw_parts, f"contents[{i}].parts", warnings, ids, f"call_{i}_")
        messages.append(ir.Message(mapped, parts))
        if len(content) > 1 + (role is not None):
            for key in content:
                if key not in ("role", "parts"):
                    warn(warnings, f"contents[].{key}: not part of a Gemini Content; dropped")
    return messages


def _system_to_ir(value: Any, key: str, warnings: list[str]) -> list[ir.TextPart]:
    if isinstance(value, str):  # the SDKs accept a bare string; be as forgiving
        return [ir.TextPart(value)]
    content = as_dict(value, key)
    system: list[ir.TextPart] = []
    for j, part in enumerate(as_list(content.get("parts", []), f"{key}.parts")):
        part = as_dict(part, f"{key}.parts[{j}]")
        text = part.get("text")
        if text is None:
            warn(
                warnings,
                f"{key}.parts[]: only text parts are carried in system instructions; dropped the rest",
            )
        else:
            system.append(ir.TextPart(as_str(text, f"{key}.parts[{j}].text")))
    return system


def _tools_to_ir(value: Any, key: str, extras: JSON, warnings: list[str]) -> list[ir.Tool]:
    tools: list[ir.Tool] = []
    for i, entry in enumerate(as_list(value, key)):
        entry = as_dict(entry, f"{key}[{i}]")
        for kind, spec in entry.items():
            if kind in ("functionDeclarations", "function_declarations"):
                for k, declaration in enumerate(as_list(spec, f"{key}[{i}].{kind}")):
                    tools.append(_declaration_to_ir(declaration, f"{key}[{i}].{kind}[{k}]", warnings))
            elif f"tools.{kind}" in extras:
                warn(warnings, f"tools[{i}].{kind}: a second {kind} tool; kept the first")
            else:
                extras[f"tools.{kind}"] = spec  # googleSearch, codeExecution, urlContext, ...
    return tools


def _declaration_to_ir(value: Any, path: str, warnings: list[str]) -> ir.Tool:
    declaration = as_dict(value, path)
    name = as_str(declaration.get("name"), f"{path}.name")
    description = declaration.get("description")
    if description is not None:
        description = as_str(description, f"{path}.description")
    tool = ir.Tool(name, description)
    schema = get2(declaration, "parametersJsonSchema", "parameters_json_schema")
    if schema is not None:
        tool.parameters = as_dict(schema, f"{path}.parametersJsonSchema")
    elif (legacy := declaration.get("parameters")) is not None:
        tool.parameters = openapi_to_json_schema(as_dict(legacy, f"{path}.parameters"))
    for key in declaration:
        if key not in ("name", "description", "parameters", "parametersJsonSchema", "parameters_json_schema"):
            warn(warnings, f"tools[].functionDeclarations[].{key}: no neutral equivalent; dropped")
    return tool


def _tool_config_to_ir(config: JSON, key: str, extras: JSON, warnings: list[str]) -> ir.ToolChoice | None:
    choice: ir.ToolChoice | None = None
    for name, value in config.items():
        if name not in ("functionCallingConfig", "function_calling_config"):
            extras[f"toolConfig.{name}"] = value
            continue
        path = f"{key}.{name}"
        calling = as_dict(value, path)
        mode = calling.get("mode")
        allowed_raw = get2(calling, "allowedFunctionNames", "allowed_function_names")
        allowed = [
            as_str(n, f"{path}.allowedFunctionNames[{k}]")
            for k, n in enumerate(as_list(allowed_raw or [], f"{path}.allowedFunctionNames"))
        ]
        if mode is None or mode == "MODE_UNSPECIFIED" or mode == "AUTO":
            choice = ir.ToolChoice(ir.ToolChoiceMode.AUTO) if mode == "AUTO" else None
            if allowed:
                warn(warnings, "allowedFunctionNames: only meaningful with mode ANY; dropped")
        elif mode == "NONE":
            choice = ir.ToolChoice(ir.ToolChoiceMode.NONE)
        elif mode == "ANY":
            if len(allowed) == 1:
                choice = ir.ToolChoice(ir.ToolChoiceMode.TOOL, allowed[0])
            else:
                choice = ir.ToolChoice(ir.ToolChoiceMode.REQUIRED)
                if allowed:
                    warn(
                        warnings,
                        "allowedFunctionNames: the neutral form forces one tool or any tool;"
                        f" {len(allowed)} names became 'any tool'",
                    )
        elif mode == "VALIDATED":
            choice = ir.ToolChoice(ir.ToolChoiceMode.AUTO)
            warn(warnings, "toolConfig mode VALIDATED: no neutral equivalent; sent as auto")
        else:
            fail(f"expected AUTO, ANY, NONE or VALIDATED, got {mode!r}", f"{path}.mode")
    return choice


def _generation_to_ir(config: JSON, key: str, request: ir.Request, warnings: list[str]) -> None:
    mime: str | None = None
    schema: JSON | None = None
    for name, value in config.items():
        field = _GENERATION.get(name)
        path = f"{key}.{name}"
        if field is None or value is None:
            if value is not None:
                request.extras[f"generationConfig.{name}"] = value
        elif field == "max_tokens":
            request.max_tokens = as_int(value, path)
        elif field == "temperature":
            request.temperature = as_number(value, path)
        elif field == "top_p":
            request.top_p = as_number(value, path)
        elif field == "top_k":
            request.top_k = as_int(value, path)
        elif field == "stop":
            request.stop = [as_str(s, f"{path}[{k}]") for k, s in enumerate(as_list(value, path))]
        elif field == "seed":
            request.seed = as_int(value, path)
        elif field == "candidate_count":
            request.candidate_count = as_int(value, path)
        elif field == "mime":
            mime = as_str(value, path)
        elif field == "schema":
            if schema is None:
                schema = openapi_to_json_schema(as_dict(value, path))
        elif field == "json_schema":
            schema = as_dict(value, path)
        elif field == "thinking":
            request.thinking = _thinking_to_ir(as_dict(value, path), path, request.extras)
    if mime == "application/json":
        kind = ir.ResponseFormatKind.JSON_SCHEMA if schema is not None else ir.ResponseFormatKind.JSON_OBJECT
        request.response_format = ir.ResponseFormat(kind, schema)
    elif mime == "text/plain" and schema is None:
        request.response_format = ir.ResponseFormat(ir.ResponseFormatKind.TEXT)
    elif mime is not None:  # text/x.enum and friends: only Gemini knows them
        request.extras["generationConfig.responseMimeType"] = mime
        if schema is not None:
            request.extras["generationConfig.responseJsonSchema"] = schema
    elif schema is not None:
        request.response_format = ir.ResponseFormat(ir.ResponseFormatKind.JSON_SCHEMA, schema)


def _thinking_to_ir(config: JSON, path: str, extras: JSON) -> ir.Thinking:
    thinking = ir.Thinking()
    for name, value in config.items():
        if value is None:
            continue
        if name in ("thinkingBudget", "thinking_budget"):
            budget = as_int(value, f"{path}.{name}")
            if budget == 0:
                thinking.enabled = False
            elif budget > 0:
                thinking.budget_tokens = budget
            # -1 means "dynamic", which is what no budget means in the IR
        elif name in ("includeThoughts", "include_thoughts"):
            thinking.include_thoughts = as_bool(value, f"{path}.{name}")
        elif name in ("thinkingLevel", "thinking_level"):
            thinking.effort = as_str(value, f"{path}.{name}").lower()
        else:
            extras[f"generationConfig.thinkingConfig.{name}"] = value
    return thinking


# ---------------------------------------------------------------------------- IR -> wire


def request_from_ir(request: ir.Request, warnings: list[str]) -> dict[str, Any]:
    body: JSON = {}
    if request.system:
        if any(p.cache_control is not None for p in request.system):
            warn(warnings, "cache_control: Gemini caches through cachedContent, not per block; dropped")
        body["systemInstruction"] = {"parts": [{"text": p.text} for p in request.system]}
    names: dict[str, str] = {}
    body["contents"] = [
        {
            "role": "model" if m.role == "assistant" else "user",
            "parts": parts_from_ir(m.parts, f"messages[{i}].parts", warnings, names),
        }
        for i, m in enumerate(request.messages)
    ]
    if request.tools:
        declarations = []
        for tool in request.tools:
            declaration: JSON = {"name": tool.name}
            if tool.description is not None:
                declaration["description"] = tool.description
            declaration["parametersJsonSchema"] = tool.parameters
            if tool.strict:
                warn(warnings, "tools[].strict: Gemini has no strict mode; dropped")
            declarations.append(declaration)
        body["tools"] = [{"functionDeclarations": declarations}]
    if request.tool_choice is not None:
        body["toolConfig"] = {"functionCallingConfig": _tool_choice_from_ir(request.tool_choice)}
    if request.parallel_tool_calls is False:
        warn(warnings, "parallel_tool_calls: Gemini cannot limit a turn to one tool call; dropped")
    elif request.parallel_tool_calls:
        warn(
            warnings,
            "parallel_tool_calls: Gemini always allows parallel calls and has no such field; not sent",
        )
    generation = _generation_from_ir(request, warnings)
    if generation:
        body["generationConfig"] = generation
    if request.extras:
        _extras_from_ir(request.extras, request.extras_format, body, warnings)
    return body


def _tool_choice_from_ir(choice: ir.ToolChoice) -> JSON:
    mode = choice.mode
    if mode == ir.ToolChoiceMode.TOOL:
        return {"mode": "ANY", "allowedFunctionNames": [choice.name]}
    return {"mode": {"auto": "AUTO", "none": "NONE", "required": "ANY"}[mode]}


def _generation_from_ir(request: ir.Request, warnings: list[str]) -> JSON:
    config: JSON = {}
    if request.max_tokens is not None:
        config["maxOutputTokens"] = request.max_tokens
    if request.temperature is not None:
        config["temperature"] = request.temperature
    if request.top_p is not None:
        config["topP"] = request.top_p
    if request.top_k is not None:
        config["topK"] = request.top_k
    if request.stop:
        config["stopSequences"] = request.stop
    if request.seed is not None:
        config["seed"] = request.seed
    if request.candidate_count is not None:
        config["candidateCount"] = request.candidate_count
    form = request.response_format
    if form is not None:
        if form.kind == ir.ResponseFormatKind.TEXT:
            config["responseMimeType"] = "text/plain"
        else:
            config["responseMimeType"] = "application/json"
            if form.schema is not None and form.kind == ir.ResponseFormatKind.JSON_SCHEMA:
                config["responseJsonSchema"] = form.schema
        if form.name is not None:
            warn(warnings, f"response_format name {form.name!r}: Gemini schemas have no name; dropped")
        if form.strict:
            warn(warnings, "response_format strict: Gemini has no strict flag; dropped")
    if request.thinking is not None:
        config["thinkingConfig"] = _thinking_from_ir(request.thinking, warnings)
    return config


def _thinking_from_ir(thinking: ir.Thinking, warnings: list[str]) -> JSON:
    config: JSON = {}
    if not thinking.enabled:
        config["thinkingBudget"] = 0
    elif thinking.budget_tokens is not None:
        config["thinkingBudget"] = thinking.budget_tokens
    elif thinking.effort is not None:
        budget = _EFFORT_BUDGET.get(thinking.effort, 8192)
        config["thinkingBudget"] = budget
        warn(
            warnings,
            f"reasoning effort {thinking.effort!r}: Gemini takes a token budget; sent thinkingBudget {budget}",
        )
    if thinking.include_thoughts is not None:
        config["includeThoughts"] = thinking.include_thoughts
    return config


def _extras_from_ir(extras: JSON, source: Format | None, body: JSON, warnings: list[str]) -> None:
    if source is not None and source != Format.GEMINI:
        for key in extras:
            warn(warnings, f"{key}: a {source.label} field with no Gemini equivalent; dropped")
        return
    for key, value in extras.items():
        if "." not in key:
            body.setdefault(key, value)
            continue
        head, _, rest = key.partition(".")
        if head == "tools":
            body.setdefault("tools", []).append({rest: value})
            continue
        target = body.setdefault(head, {})
        *parents, leaf = rest.split(".")
        for parent in parents:
            target = target.setdefault(parent, {})
        target.setdefault(leaf, value)


ADAPTER = Adapter(
    format=Format.GEMINI,
    request_to_ir=request_to_ir,
    request_from_ir=request_from_ir,
    response_to_ir=response_to_ir,
    response_from_ir=response_from_ir,
    stream_decoder=GeminiStreamDecoder,
    stream_encoder=GeminiStreamEncoder,
)
