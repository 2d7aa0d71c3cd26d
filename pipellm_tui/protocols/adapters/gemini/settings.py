"""Gemini settings <-> IR: `toolConfig` (tool choice) and `generationConfig` (max tokens, sampling,
stop sequences, seed, candidate count, JSON mode and schema, thinking).

Settings the IR does not model go to `extras` under dotted names (`generationConfig.presencePenalty`)
so a Gemini target can put them back. Standard library and `protocols/` only.
"""

from __future__ import annotations

from ... import ir
from ...formats import Format
from ..shared.json_shapes import fail, need_bool, need_dict, need_number, need_str
from ..shared.losses import warn_once
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
            request.thinking = _thinking_to_ir(need_dict(value, path), path, request.extras)
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
            budget = proto_int(value, f"{path}.{name}")
            if budget == 0:
                thinking.enabled = False
            elif budget > 0:
                thinking.budget_tokens = budget
            # -1 means "dynamic", which is what no budget means in the IR
        elif name in ("includeThoughts", "include_thoughts"):
            thinking.include_thoughts = need_bool(value, f"{path}.{name}")
        elif name in ("thinkingLevel", "thinking_level"):
            thinking.effort = need_str(value, f"{path}.{name}").lower()
        else:
            extras[f"generationConfig.thinkingConfig.{name}"] = value
    return thinking


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
        config["thinkingConfig"] = _thinking_from_ir(request.thinking, warnings)
        if request.extras_format is not Format.GEMINI and request.model:  # a Gemini body: as written
            _fit_budget(config["thinkingConfig"], request.model, warnings)
        if (
            request.thinking.enabled
            and request.thinking.include_thoughts is None
            and request.extras_format not in _SOURCES_WITHOUT_THOUGHTS
        ):
            # Anthropic returns the thinking it was asked for; Gemini only with includeThoughts.
            config["thinkingConfig"]["includeThoughts"] = True
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
        warn_once(
            warnings,
            f"reasoning effort {thinking.effort!r}: Gemini takes a token budget; sent thinkingBudget {budget}",
        )
    if thinking.include_thoughts is not None:
        config["includeThoughts"] = thinking.include_thoughts
    return config


#: Gemini 2.5 thinking budgets by model (Gemini's thinking guide): (model, smallest, largest, can be
#: off with 0). Most specific name first. Other models (Gemini 3 takes levels) are sent as given.
_BUDGETS = (
    ("gemini-2.5-flash-lite", 512, 24576, True),
    ("gemini-2.5-flash", 0, 24576, True),
    ("gemini-2.5-pro", 128, 32768, False),
)


def _fit_budget(config: JSON, model: str, warnings: list[str]) -> None:
    """Another format's thinking setting made to fit the model's budget range: 2.5 Pro cannot stop
    thinking (0 is refused), Flash-Lite thinks 512 tokens at least, each has a largest budget."""
    budget = config.get("thinkingBudget")
    limits = next((b for b in _BUDGETS if b[0] in model), None)
    if limits is None or not isinstance(budget, int) or budget < 0:
        return
    name, low, high, can_stop = limits
    if budget == 0:
        if can_stop:
            return
        config["thinkingBudget"] = low
        warnings.append(f"thinking: {name} cannot turn thinking off; its smallest budget, {low}, sent")
    elif not low <= budget <= high:
        config["thinkingBudget"] = fitted = min(max(budget, low), high)
        warnings.append(f"thinking budget {budget}: {name} takes {low} to {high}; {fitted} sent")
