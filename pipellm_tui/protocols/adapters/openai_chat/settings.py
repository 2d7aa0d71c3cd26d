"""OpenAI Chat Completions request settings into and out of the neutral form (IR).

Owns everything at the top level of a request body except the messages: tools and tool_choice,
generation settings, response_format, reasoning_effort, streaming options, and the unknown fields
that travel as `extras`. Must not import pydantic; no I/O.
"""

from __future__ import annotations

from typing import Any

from ... import ir
from ..shared.extras import drop_extras
from ..shared.foreign_extras import home_extras
from ..shared.json_shapes import (
    Scalars,
    fail,
    need_bool,
    need_dict,
    need_int,
    need_list,
    need_number,
    need_str,
    opt_bool,
    opt_int,
    opt_str,
    read_scalars,
    wrong,
)
from ..shared.tools import function_definition
from .wire import FORMAT, LABEL

_MODELLED = frozenset(
    {
        "model",
        "messages",
        "max_completion_tokens",
        "max_tokens",
        "temperature",
        "top_p",
        "stop",
        "seed",
        "n",
        "response_format",
        "tools",
        "tool_choice",
        "parallel_tool_calls",
        "reasoning_effort",
        "stream",
        "stream_options",
    }
)

_CHOICE_MODES = {
    "auto": ir.ToolChoiceMode.AUTO,
    "none": ir.ToolChoiceMode.NONE,
    "required": ir.ToolChoiceMode.REQUIRED,
}
#: Plain strings: an enum's `.value` is a slow descriptor, and the wire wants `str`, not a StrEnum.
_CHOICE_WIRE = {mode: str(wire) for wire, mode in _CHOICE_MODES.items()}

_SCALARS: Scalars = (
    ("temperature", "temperature", need_number),
    ("top_p", "top_p", need_number),
    ("seed", "seed", need_int),
    ("n", "candidate_count", need_int),
    ("parallel_tool_calls", "parallel_tool_calls", need_bool),
    ("stream", "stream", need_bool),
)

#: OpenAI Chat accepts at most four stop strings.
_MAX_STOP = 4


# ---------------------------------------------------------------------------- wire -> IR


def read_settings(body: dict[str, Any], request: ir.Request, warnings: list[str]) -> None:
    get = body.get
    if not _MODELLED.issuperset(body):
        extras = request.extras
        for key, value in body.items():
            if key not in _MODELLED and value is not None:
                extras[key] = value
    limit = get("max_completion_tokens")
    legacy = get("max_tokens")
    if limit is not None:
        request.max_tokens = opt_int(limit, "max_completion_tokens")
        if legacy is not None and legacy != limit:
            warnings.append("max_tokens: ignored because max_completion_tokens is also set")
    elif legacy is not None:
        request.max_tokens = opt_int(legacy, "max_tokens")
    read_scalars(body, request, _SCALARS)
    stop = get("stop")
    if stop is not None:
        if isinstance(stop, str):
            request.stop = [stop]
        else:
            request.stop = [need_str(s, f"stop[{j}]") for j, s in enumerate(need_list(stop, "stop"))]
    tools = get("tools")
    if tools is not None:
        request.tools = _read_tools(tools, warnings)
    choice = get("tool_choice")
    if choice is not None:
        request.tool_choice = _read_tool_choice(choice, warnings)
    response_format = get("response_format")
    if response_format is not None:
        request.response_format = _read_response_format(response_format, warnings)
    effort = get("reasoning_effort")
    if effort is not None:
        effort = need_str(effort, "reasoning_effort")
        request.thinking = ir.Thinking(enabled=effort != "none", effort=effort)
    options = get("stream_options")
    if options is not None:
        options = need_dict(options, "stream_options")
        request.stream_include_usage = opt_bool(options.get("include_usage"), "stream_options.include_usage")
        for key, value in options.items():
            if key != "include_usage" and value is not None:
                warnings.append(f"stream_options.{key}: the neutral form cannot carry it; dropped")


def _read_tools(value: Any, warnings: list[str]) -> list[ir.Tool]:
    tools = []
    for j, tool in enumerate(need_list(value, "tools")):
        if not isinstance(tool, dict):
            wrong(tool, "an object", f"tools[{j}]")
        kind = tool.get("type")
        if kind != "function":
            if type(kind) is not str:
                wrong(kind, "a string", f"tools[{j}].type")
            warnings.append(f"tools[{j}]: {kind!r} tools have no place in the neutral form; dropped")
            continue
        function = tool.get("function")
        if not isinstance(function, dict):
            wrong(function, "an object", f"tools[{j}].function")
        get = function.get
        name, description, parameters, strict = (
            get("name"),
            get("description"),
            get("parameters"),
            get("strict"),
        )
        # Paths are only built when something is wrong: tool lists are long and read on every request.
        if type(name) is not str:
            wrong(name, "a string", f"tools[{j}].function.name")
        if description is not None and type(description) is not str:
            wrong(description, "a string", f"tools[{j}].function.description")
        if strict is not None and type(strict) is not bool:
            wrong(strict, "true or false", f"tools[{j}].function.strict")
        if parameters is None:
            tools.append(ir.Tool(name, description, strict=strict))
        elif isinstance(parameters, dict):
            tools.append(ir.Tool(name, description, parameters, strict))
        else:
            wrong(parameters, "an object", f"tools[{j}].function.parameters")
    return tools


def _read_tool_choice(value: Any, warnings: list[str]) -> ir.ToolChoice | None:
    if isinstance(value, str):
        mode = _CHOICE_MODES.get(value)
        if mode is None:
            fail(f"unknown value {value!r}; expected auto, none, required or an object", "tool_choice")
        return ir.ToolChoice(mode)
    value = need_dict(value, "tool_choice")
    kind = value.get("type")
    if kind == "function":
        function = need_dict(value.get("function"), "tool_choice.function")
        return ir.ToolChoice(
            ir.ToolChoiceMode.TOOL, need_str(function.get("name"), "tool_choice.function.name")
        )
    if kind == "allowed_tools":
        allowed = need_dict(value.get("allowed_tools"), "tool_choice.allowed_tools")
        required = allowed.get("mode") == "required"
        warnings.append(
            "tool_choice.allowed_tools: the neutral form cannot restrict the tool list; "
            f"read as {'required' if required else 'auto'!r}"
        )
        return ir.ToolChoice(ir.ToolChoiceMode.REQUIRED if required else ir.ToolChoiceMode.AUTO)
    if isinstance(kind, str):
        warnings.append(f"tool_choice: {kind!r} tool choices have no place in the neutral form; dropped")
        return None
    wrong(kind, "a string", "tool_choice.type")


def _read_response_format(value: Any, warnings: list[str]) -> ir.ResponseFormat:
    value = need_dict(value, "response_format")
    kind = value.get("type")
    if kind == "text":
        return ir.ResponseFormat(ir.ResponseFormatKind.TEXT)
    if kind == "json_object":
        return ir.ResponseFormat(ir.ResponseFormatKind.JSON_OBJECT)
    if kind != "json_schema":
        if kind is None:
            fail("required field missing", "response_format.type")
        fail(f"unknown value {kind!r}; expected text, json_object or json_schema", "response_format.type")
    spec = need_dict(value.get("json_schema"), "response_format.json_schema")
    schema = spec.get("schema")
    if schema is not None:
        need_dict(schema, "response_format.json_schema.schema")
    if spec.get("description") is not None:
        warnings.append("response_format.json_schema.description: the neutral form cannot carry it; dropped")
    return ir.ResponseFormat(
        ir.ResponseFormatKind.JSON_SCHEMA,
        schema,
        opt_str(spec.get("name"), "response_format.json_schema.name"),
        opt_bool(spec.get("strict"), "response_format.json_schema.strict"),
    )


# ---------------------------------------------------------------------------- IR -> wire


def write_settings(request: ir.Request, body: dict[str, Any], warnings: list[str]) -> None:
    if request.tools:
        body["tools"] = [
            {"type": "function", "function": function_definition(tool, "parameters")}
            for tool in request.tools
        ]
    if request.tool_choice is not None:
        if request.tools:
            body["tool_choice"] = _tool_choice_wire(request.tool_choice, warnings)
        else:
            warnings.append(f"tool_choice: {LABEL} rejects a tool_choice without tools; dropped")
    if request.parallel_tool_calls is not None:
        if request.tools:
            body["parallel_tool_calls"] = request.parallel_tool_calls
        else:
            warnings.append(f"parallel_tool_calls: {LABEL} rejects it without tools; dropped")
    if request.max_tokens is not None:
        body["max_completion_tokens"] = request.max_tokens
    if request.temperature is not None:
        body["temperature"] = request.temperature
    if request.top_p is not None:
        body["top_p"] = request.top_p
    if request.top_k is not None:
        warnings.append(f"top_k: {LABEL} has no top_k; dropped")
    if request.stop:
        stop = request.stop
        if len(stop) > _MAX_STOP:
            warnings.append(
                f"stop: {LABEL} takes at most {_MAX_STOP} stop strings; dropped {stop[_MAX_STOP:]!r}"
            )
            stop = stop[:_MAX_STOP]
        body["stop"] = list(stop)
    if request.seed is not None:
        body["seed"] = request.seed
    if request.candidate_count is not None:
        body["n"] = request.candidate_count
    if request.response_format is not None:
        body["response_format"] = _response_format_wire(request.response_format, warnings)
    if request.thinking is not None:
        _write_thinking(request.thinking, body, warnings)
    if request.extras:
        _write_extras(request, body, warnings)
    if request.stream:
        body["stream"] = True
        # Ask for usage unless the caller said no: every other format streams usage unasked.
        include = request.stream_include_usage
        body["stream_options"] = {"include_usage": True if include is None else include}


def _tool_choice_wire(choice: ir.ToolChoice, warnings: list[str]) -> Any:
    mode = choice.mode
    if mode is ir.ToolChoiceMode.TOOL:
        if choice.name is not None:
            return {"type": "function", "function": {"name": choice.name}}
        warnings.append("tool_choice: a forced tool without a name; sent as 'required'")
        return "required"
    return _CHOICE_WIRE[mode]


def _response_format_wire(fmt: ir.ResponseFormat, warnings: list[str]) -> dict[str, Any]:
    kind = fmt.kind
    if kind is ir.ResponseFormatKind.JSON_SCHEMA:
        if fmt.schema is None:
            warnings.append("response_format: JSON schema mode without a schema; sent as json_object")
            return {"type": "json_object"}
        spec: dict[str, Any] = {"name": fmt.name or "response", "schema": fmt.schema}
        if fmt.strict is not None:
            spec["strict"] = fmt.strict
        return {"type": "json_schema", "json_schema": spec}
    if fmt.schema is not None:
        warnings.append(f"response_format.schema: {LABEL} {kind} mode takes no schema; dropped")
    return {"type": str(kind)}


def _write_thinking(thinking: ir.Thinking, body: dict[str, Any], warnings: list[str]) -> None:
    budget = thinking.budget_tokens
    if thinking.effort is not None:
        body["reasoning_effort"] = thinking.effort
        if budget is not None:
            warnings.append(
                f"thinking.budget_tokens: {LABEL} takes an effort, not a budget; {budget} dropped"
            )
    elif not thinking.enabled or budget == 0:
        warnings.append(
            f"thinking: disabled, and {LABEL} has no off switch every model accepts; "
            "reasoning_effort left unset (the model's default)"
        )
    elif budget is not None and budget > 0:
        effort = "low" if budget <= 1024 else "medium" if budget <= 8192 else "high"
        body["reasoning_effort"] = effort
        warnings.append(
            f"thinking.budget_tokens: {LABEL} takes an effort, not a budget; {budget} sent as {effort!r}"
        )
    else:
        warnings.append(
            f"thinking: enabled without an effort or a fixed budget; {LABEL} reasoning_effort left unset "
            "(the model's default)"
        )
    if thinking.include_thoughts:
        warnings.append(f"thinking.include_thoughts: {LABEL} cannot ask for the thought text; dropped")


def _write_extras(request: ir.Request, body: dict[str, Any], warnings: list[str]) -> None:
    extras = request.extras
    if request.extras_format is not FORMAT:
        extras, rest = home_extras(extras, request.extras_format, FORMAT, warnings)
        drop_extras(rest, request.extras_format, LABEL, warnings)
    for key, value in extras.items():
        body.setdefault(key, value)
