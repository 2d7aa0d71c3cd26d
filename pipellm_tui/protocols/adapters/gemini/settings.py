"""Gemini settings <-> IR: `toolConfig` (tool choice) and `generationConfig` (max tokens, sampling,
stop sequences, seed, candidate count, JSON mode and schema, thinking).

Settings the IR does not model go to `extras` under dotted names (`generationConfig.presencePenalty`)
so a Gemini target can put them back. Standard library and `protocols/` only.
"""

from __future__ import annotations

from ... import ir
from ...formats import Format
from ..shared.json_shapes import fail, need_dict, need_number, need_str
from ..shared.losses import warn_once
from .thinking import thinking_from_ir, thinking_to_ir
from .wire import JSON, get2, one_or_many, openapi_to_json_schema, proto_int

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

def tool_config_to_ir(config: JSON, key: str, extras: JSON, warnings: list[str]) -> ir.ToolChoice | None:
    choice: ir.ToolChoice | None = None
    for name, value in config.items():
        if name not in ("functionCallingConfig", "function_calling_config"):
            extras[f"toolConfig.{name}"] = value
            continue
        path = f"{key}.{name}"
        calling = need_dict(value, path)
        mode = calling.get("mode")
        allowed_raw = get2(calling, "allowedFunctionNames", "allowed_function_names")
        allowed = [
            need_str(n, f"{path}.allowedFunctionNames[{k}]")
            for k, n in enumerate(one_or_many(allowed_raw or [], f"{path}.allowedFunctionNames"))
        ]
        if mode is None or mode == "MODE_UNSPECIFIED" or mode == "AUTO":
            choice = ir.ToolChoice(ir.ToolChoiceMode.AUTO) if mode == "AUTO" else None
            if allowed:
                warn_once(warnings, "allowedFunctionNames: only meaningful with mode ANY; dropped")
        elif mode == "NONE":
            choice = ir.ToolChoice(ir.ToolChoiceMode.NONE)
        elif mode == "ANY":
            if len(allowed) == 1:
                choice = ir.ToolChoice(ir.ToolChoiceMode.TOOL, allowed[0])
            else:
                choice = ir.ToolChoice(ir.ToolChoiceMode.REQUIRED)
                if allowed:
                    warn_once(
                        warnings,
                        "allowedFunctionNames: the neutral form forces one tool or any tool;"
                        f" {len(allowed)} names became 'any tool'",
                    )
        elif mode == "VALIDATED":
            choice = ir.ToolChoice(ir.ToolChoiceMode.AUTO)
            warn_once(warnings, "toolConfig mode VALIDATED: no neutral equivalent; sent as auto")
        else:
            fail(f"expected AUTO, ANY, NONE or VALIDATED, got {mode!r}", f"{path}.mode")
    return choice


def generation_to_ir(config: JSON, key: str, request: ir.Request, warnings: list[str]) -> None:
    mime: str | None = None
    schema: JSON | None = None
    for name, value in config.items():
        field = _GENERATION.get(name)
        path = f"{key}.{name}"
        if field is None or value is None:
            if value is not None:
                request.extras[f"generationConfig.{name}"] = value
        elif field == "max_tokens":
            request.max_tokens = proto_int(value, path)
        elif field == "temperature":
            request.temperature = need_number(value, path)
        elif field == "top_p":
            request.top_p = need_number(value, path)
        elif field == "top_k":
            request.top_k = proto_int(value, path)
        elif field == "stop":
            request.stop = [need_str(s, f"{path}[{k}]") for k, s in enumerate(one_or_many(value, path))]
        elif field == "seed":
            request.seed = proto_int(value, path)
        elif field == "candidate_count":
            request.candidate_count = proto_int(value, path)
        elif field == "mime":
            mime = need_str(value, path)
        elif field == "schema":
            if schema is None:
                schema = openapi_to_json_schema(need_dict(value, path))
        elif field == "json_schema":
            schema = need_dict(value, path)
        elif field == "thinking":
            request.thinking = thinking_to_ir(need_dict(value, path), path, request.extras)
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


#: Sources whose thinking settings say themselves whether thoughts come back (OpenAI Chat never
#: returns them; Responses and Gemini say so with their own setting); any other (Anthropic) does.
_SOURCES_WITHOUT_THOUGHTS = (Format.OPENAI_CHAT, Format.OPENAI_RESPONSES, Format.GEMINI)

_MODES = {ir.ToolChoiceMode.AUTO: "AUTO", ir.ToolChoiceMode.NONE: "NONE", ir.ToolChoiceMode.REQUIRED: "ANY"}


def tool_choice_from_ir(choice: ir.ToolChoice) -> JSON:
    mode = choice.mode
    if mode is ir.ToolChoiceMode.TOOL:
        return {"mode": "ANY", "allowedFunctionNames": [choice.name]}
    return {"mode": _MODES[mode]}


#: Gemini takes up to five stop sequences (GenerationConfig.stopSequences); Anthropic has no limit.
_MAX_STOP = 5


def generation_from_ir(request: ir.Request, warnings: list[str]) -> JSON:
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
        stop = request.stop
        if len(stop) > _MAX_STOP and request.extras_format is not Format.GEMINI:
            warnings.append(
                f"stop: Gemini takes at most {_MAX_STOP} stop sequences; dropped {stop[_MAX_STOP:]!r}"
            )
            stop = stop[:_MAX_STOP]
        config["stopSequences"] = stop
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
            warn_once(warnings, f"response_format name {form.name!r}: Gemini schemas have no name; dropped")
        if form.strict:
            warn_once(warnings, "response_format strict: Gemini has no strict flag; dropped")
    if request.thinking is not None:
        from_gemini = request.extras_format is Format.GEMINI  # a Gemini body: as written
        config["thinkingConfig"] = thinking_from_ir(request.thinking, request.model, from_gemini, warnings)
        if (
            request.thinking.enabled
            and request.thinking.include_thoughts is None
            and request.extras_format not in _SOURCES_WITHOUT_THOUGHTS
        ):
            # Anthropic returns the thinking it was asked for; Gemini only with includeThoughts.
            config["thinkingConfig"]["includeThoughts"] = True
    return config
