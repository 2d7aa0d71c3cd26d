"""OpenAI Responses requests in: a `POST /v1/responses` body to the neutral form.

`instructions` and system/developer input items become the system text; `input` is a string (one
user message) or a list of items that group into IR messages: function_call / reasoning / assistant
message items form one assistant message; function_call_output items form one user message of
ToolResultParts (a user message item right after them joins it). Tool results get their tool's
name from the function_call with the same call_id.

What the IR cannot model is kept in `extras` (tagged with this format; `request_out`
puts it back when the target is this format again, other targets name each key in a warning):
- unknown top-level fields by name; unmodelled sub-fields by dotted name (`text.verbosity`,
  `reasoning.summary` when not "auto", `text.format.description`);
- `hosted_tools`: web_search, file_search, mcp, custom... tools; `tool_choice` when it names one;
- `unconverted_input_items`: `[{"index", "item"}]` for item_reference and hosted-tool items;
- `previous_response_id` / `conversation` / `prompt`, with a warning that the conversation state
  they point to lives on OpenAI's side.

Plain dicts and isinstance checks (hot path): no pydantic, no I/O; imports only `protocols/`.
"""

from __future__ import annotations

from typing import Any

from ... import ir
from ...ir import ImagePart, Message, RefusalPart, TextPart, ToolCallPart, ToolResultPart
from ...problems import ProtocolError
from ..shared.citations import openai_citations
from ..shared.documents import document_from_file_data
from ..shared.images import image_from_url
from ..shared.json_shapes import (
    Scalars,
    need_bool,
    need_int,
    need_number,
    opt_bool,
    opt_str,
    read_scalars,
    wrong,
)
from ..shared.tools import arguments_object, arguments_to_ir
from .hosted import HOSTED_ITEMS, item_to_part
from .wire import FORMAT, LABEL, reasoning_to_ir

_MODELED = frozenset(
    {
        "model", "instructions", "input", "tools", "tool_choice", "parallel_tool_calls",
        "max_output_tokens", "temperature", "top_p", "text", "reasoning", "stream",
    }
)  # fmt: skip
_SCALARS: Scalars = (
    ("parallel_tool_calls", "parallel_tool_calls", need_bool),
    ("max_output_tokens", "max_tokens", need_int),
    ("temperature", "temperature", need_number),
    ("top_p", "top_p", need_number),
    ("stream", "stream", need_bool),
)
#: Top-level fields that point at state stored by OpenAI: kept for OpenAI, meaningless elsewhere.
_STATEFUL = ("previous_response_id", "conversation", "prompt")
_TOOL_CHOICE = {
    "auto": ir.ToolChoiceMode.AUTO,
    "none": ir.ToolChoiceMode.NONE,
    "required": ir.ToolChoiceMode.REQUIRED,
}
_FORMATS = {
    "text": ir.ResponseFormatKind.TEXT,
    "json_object": ir.ResponseFormatKind.JSON_OBJECT,
    "json_schema": ir.ResponseFormatKind.JSON_SCHEMA,
}
_OTHER_FORMAT_HINT = {
    "messages": "an OpenAI Chat or Anthropic body (it has `messages`)",
    "contents": "a Gemini body (it has `contents`)",
}

# ---------------------------------------------------------------------------- wire -> IR


def request_to_ir(body: dict[str, Any], warnings: list[str], model: str | None = None) -> ir.Request:
    if not isinstance(body, dict):
        wrong(body, "a JSON object", "")
    req = ir.Request(extras_format=FORMAT)
    req.model = model if model is not None else opt_str(body.get("model"), "model")
    instructions = body.get("instructions")
    if isinstance(instructions, str):
        req.system.append(ir.TextPart(instructions))
    elif instructions is not None:
        wrong(instructions, "a string", "instructions")

    items = body.get("input")
    if isinstance(items, str):
        req.messages.append(ir.Message("user", [ir.TextPart(items)]))
    elif isinstance(items, list):
        _items_to_messages(items, req, warnings)
    elif items is not None:
        wrong(items, "a string or an array of items", "input")
    elif not any(body.get(key) is not None for key in _STATEFUL):
        hint = next((h for key, h in _OTHER_FORMAT_HINT.items() if key in body), None)
        raise ProtocolError(
            "required field missing: a Responses body carries its conversation in `input`"
            + (f"; this looks like {hint}" if hint else ""),
            "input",
        )

    if (tools := body.get("tools")) is not None:
        _tools_to_ir(tools, req)
    _tool_choice_to_ir(body.get("tool_choice"), req)
    read_scalars(body, req, _SCALARS)
    if (text := body.get("text")) is not None:
        _text_to_ir(text, req)
    if (reasoning := body.get("reasoning")) is not None:
        _reasoning_to_ir(reasoning, req)

    for key, value in body.items():
        if key not in _MODELED and value is not None:
            req.extras[key] = value
            if key in _STATEFUL:
                warnings.append(
                    f"{key}: the conversation state it points to lives on OpenAI's side and cannot be "
                    f"converted; kept for {LABEL} only"
                )
    return req


def _items_to_messages(items: list[Any], req: ir.Request, warnings: list[str]) -> None:
    # The hot loop of every conversion from Responses: JSON paths are built only for errors.
    messages = req.messages
    names: dict[str, str] = {}  # call_id -> function name, so tool results know their tool's name
    current: ir.Message | None = None
    unconverted: list[dict[str, Any]] = []
    for i, item in enumerate(items):
        if type(item) is not dict:
            wrong(item, "an object", f"input[{i}]")
        typ = item.get("type")
        if typ is None or typ == "message":
            role = item.get("role")
            if role == "user" or role == "assistant":
                parts = _content_to_ir(item.get("content"), warnings, i, "content")
                # Assistant items of one turn join; a user message joins only the tool results
                # right before it (Anthropic's shape); otherwise a new message starts.
                if (
                    current is not None
                    and current.role == role
                    and (role == "assistant" or _ends_with_result(current))
                ):
                    current.parts.extend(parts)
                else:
                    current = Message(role, parts)
                    messages.append(current)
            elif role == "system" or role == "developer":
                start = len(req.system)
                _system_to_ir(item.get("content"), warnings, i, req)
                if messages:  # after the conversation started: it stays where it was
                    current = Message("system", list[ir.Part](req.system[start:]))
                    del req.system[start:]
                    messages.append(current)
            else:
                raise ProtocolError(
                    f"expected user, assistant, system or developer, got {role!r}", f"input[{i}].role"
                )
            continue
        if typ == "function_call":
            call_id = item.get("call_id")
            name = item.get("name")
            if type(call_id) is not str:
                wrong(call_id, "a string", f"input[{i}].call_id")
            if type(name) is not str:
                wrong(name, "a string", f"input[{i}].name")
            names[call_id] = name
            arguments = item.get("arguments")
            parsed = arguments_object(arguments)
            if parsed is None:
                parsed = arguments_to_ir(arguments, warnings, "input[{}].arguments", i)
            part: ir.Part = ToolCallPart(call_id, name, parsed)
        elif typ == "function_call_output":
            call_id = item.get("call_id")
            if type(call_id) is not str:
                wrong(call_id, "a string", f"input[{i}].call_id")
            output = item.get("output")
            part = ToolResultPart(
                call_id,
                names.get(call_id),
                [TextPart(output)] if type(output) is str else _output_to_ir(output, warnings, i),
            )
            if current is not None and current.role == "user" and _ends_with_result(current):
                current.parts.append(part)
            else:
                current = Message("user", [part])
                messages.append(current)
            continue
        elif typ == "reasoning":
            part = reasoning_to_ir(item, f"input[{i}]")
        elif (
            type(typ) is str and typ in HOSTED_ITEMS and (hosted := item_to_part(item, warnings)) is not None
        ):
            part = hosted
        elif isinstance(typ, str):
            # item_reference and hosted-tool items (web_search_call, computer_call_output, ...).
            warnings.append(f"input[{i}]: {typ} items cannot be converted; kept for {LABEL} only")
            unconverted.append({"index": i, "item": item})
            continue
        else:
            wrong(typ, "a string", f"input[{i}].type")
        if current is not None and current.role == "assistant":
            current.parts.append(part)
        else:
            current = Message("assistant", [part])
            messages.append(current)
    if unconverted:
        req.extras["unconverted_input_items"] = unconverted


def _ends_with_result(message: ir.Message) -> bool:
    parts = message.parts
    return bool(parts) and type(parts[-1]) is ToolResultPart


def _content_to_ir(content: Any, warnings: list[str], i: int, key: str) -> list[ir.Part]:
    """A message's content (string or parts) as TextPart / ImagePart / RefusalPart."""
    if type(content) is str:
        return [TextPart(content)]
    if type(content) is not list:
        wrong(content, "a string or an array of parts", f"input[{i}].{key}")
    parts: list[ir.Part] = []
    for j, part in enumerate(content):
        typ = part.get("type") if type(part) is dict else None
        if typ == "input_text" or typ == "output_text":
            text = part.get("text")
            if type(text) is str:
                cited = part.get("annotations")  # an earlier answer's citations, in the history
                parts.append(TextPart(text, None, openai_citations(cited, False, warnings) if cited else None))
                continue
        _odd_part(part, parts, warnings, f"input[{i}].{key}[{j}]")
    return parts


def _odd_part(part: Any, parts: list[ir.Part], warnings: list[str], path: str) -> None:
    """Every content part but well-formed text: images, refusals, files, and what is wrong."""
    if not isinstance(part, dict):
        wrong(part, "an object", path)
    typ = part.get("type")
    if typ == "input_text" or typ == "output_text":
        wrong(part.get("text"), "a string", path + ".text")
    elif typ == "input_image":
        url = opt_str(part.get("image_url"), path + ".image_url")
        detail = opt_str(part.get("detail"), path + ".detail")
        if url is not None:
            parts.append(image_from_url(url, detail))
        else:
            warnings.append(
                f"{path}: an input_image without image_url (file_id) needs OpenAI's Files API; dropped"
            )
    elif typ == "input_file":
        data = opt_str(part.get("file_data"), path + ".file_data")
        url = opt_str(part.get("file_url"), path + ".file_url")
        filename = opt_str(part.get("filename"), path + ".filename")
        if data is not None:
            parts.append(document_from_file_data(data, filename))
        elif url is not None:
            parts.append(ImagePart(url=url, media_type="application/pdf", filename=filename))
        else:
            warnings.append(f"{path}: an input_file given by file_id needs OpenAI's Files API; dropped")
    elif typ == "refusal":
        text = part.get("refusal")
        if not isinstance(text, str):
            wrong(text, "a string", path + ".refusal")
        parts.append(RefusalPart(text))
    elif isinstance(typ, str):
        warnings.append(f"{path}: {typ} parts cannot be converted; dropped")
    else:
        wrong(typ, "a string", path + ".type")


def _system_to_ir(content: Any, warnings: list[str], i: int, req: ir.Request) -> None:
    for part in _content_to_ir(content, warnings, i, "content"):
        if isinstance(part, TextPart):
            req.system.append(part)
        else:
            warnings.append(
                f"input[{i}].content: only text can be a system instruction; an image was dropped"
            )


def _output_to_ir(output: Any, warnings: list[str], i: int) -> list[ir.TextPart | ir.ImagePart]:
    return [
        p if isinstance(p, (TextPart, ImagePart)) else TextPart(p.text)  # type: ignore[union-attr]
        for p in _content_to_ir(output, warnings, i, "output")
    ]


def _tools_to_ir(tools: Any, req: ir.Request) -> None:
    if not isinstance(tools, list):
        wrong(tools, "an array", "tools")
    hosted = []
    for k, tool in enumerate(tools):
        if not isinstance(tool, dict):
            wrong(tool, "an object", f"tools[{k}]")
        typ = tool.get("type")
        if typ == "function":
            name = tool.get("name")
            if not isinstance(name, str):
                wrong(name, "a string", f"tools[{k}].name")
            params = tool.get("parameters")
            if params is not None and not isinstance(params, dict):
                wrong(params, "a JSON Schema object", f"tools[{k}].parameters")
            strict = opt_bool(tool.get("strict"), f"tools[{k}].strict")
            # Responses makes function tools strict unless told otherwise.
            strict = True if strict is None else strict
            description = opt_str(tool.get("description"), f"tools[{k}].description")
            req.tools.append(
                ir.Tool(name, description, params, strict)
                if params
                else ir.Tool(name, description, strict=strict)
            )
        elif isinstance(typ, str):
            hosted.append(tool)
        else:
            wrong(typ, "a string", f"tools[{k}].type")
    if hosted:
        req.extras["hosted_tools"] = hosted


def _tool_choice_to_ir(choice: Any, req: ir.Request) -> None:
    if choice is None:
        return
    if isinstance(choice, str):
        mode = _TOOL_CHOICE.get(choice)
        if mode is None:
            raise ProtocolError(f"expected auto, none or required, got {choice!r}", "tool_choice")
        req.tool_choice = ir.ToolChoice(mode)
    elif isinstance(choice, dict):
        if choice.get("type") == "function":
            name = choice.get("name")
            if not isinstance(name, str):
                wrong(name, "a string", "tool_choice.name")
            req.tool_choice = ir.ToolChoice(ir.ToolChoiceMode.TOOL, name)
        else:
            req.extras["tool_choice"] = choice  # hosted-tool or allowed_tools choices
    else:
        wrong(choice, "a string or an object", "tool_choice")


def _text_to_ir(text: Any, req: ir.Request) -> None:
    if not isinstance(text, dict):
        wrong(text, "an object", "text")
    fmt = text.get("format")
    if fmt is not None:
        if not isinstance(fmt, dict):
            wrong(fmt, "an object", "text.format")
        typ = fmt.get("type")
        kind_ = _FORMATS.get(typ) if isinstance(typ, str) else None
        if kind_ is None:
            if not isinstance(typ, str):
                wrong(typ, "a string", "text.format.type")
            req.extras["text.format"] = fmt
        elif kind_ is ir.ResponseFormatKind.JSON_SCHEMA:
            schema = fmt.get("schema")
            if not isinstance(schema, dict):
                wrong(schema, "a JSON Schema object", "text.format.schema")
            req.response_format = ir.ResponseFormat(
                kind_,
                schema,
                opt_str(fmt.get("name"), "text.format.name"),
                opt_bool(fmt.get("strict"), "text.format.strict"),
            )
            if fmt.get("description") is not None:
                req.extras["text.format.description"] = fmt["description"]
        else:
            req.response_format = ir.ResponseFormat(kind_)
    for key, value in text.items():
        if key != "format" and value is not None:
            req.extras[f"text.{key}"] = value


def _reasoning_to_ir(reasoning: Any, req: ir.Request) -> None:
    if not isinstance(reasoning, dict):
        wrong(reasoning, "an object", "reasoning")
    effort = opt_str(reasoning.get("effort"), "reasoning.effort")
    summary = opt_str(reasoning.get("summary"), "reasoning.summary")
    if effort is not None or summary is not None:
        req.thinking = ir.Thinking(
            enabled=effort != "none", effort=effort, include_thoughts=True if summary is not None else None
        )
    for key, value in reasoning.items():
        if value is not None and key != "effort" and not (key == "summary" and value == "auto"):
            req.extras[f"reasoning.{key}"] = value  # "concise" / "detailed" summaries, generate_summary...
