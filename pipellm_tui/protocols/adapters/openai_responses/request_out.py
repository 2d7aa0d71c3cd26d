"""OpenAI Responses requests out: the neutral form to a `POST /v1/responses` body.

The first system text is `instructions`, later ones system input items. Each IR message becomes
input items: text, images and refusals in message items (`input_text` / `input_image` for the user,
`output_text` / `refusal` for the assistant), tool calls, tool results and reasoning as items of
their own. Reasoning items are only sent when the IR came from this format (OpenAI accepts only
reasoning it produced: `encrypted_content` is the signature); thinking from another provider is
dropped with a warning. Settings Responses lacks (top_k, stop, seed, n) are named in warnings;
extras come back only when they came from this format (see `request_in`).

Plain dicts (hot path): no pydantic, no I/O; imports only `protocols/`.
"""

from __future__ import annotations

from typing import Any

from ... import ir
from ...ir import HostedToolPart, ImagePart, RefusalPart, TextPart, ThinkingPart, ToolCallPart, ToolResultPart
from ..shared.citations import url_citations
from ..shared.documents import file_as_text_warning, file_text
from ..shared.extras import drop_extras, put_dotted
from ..shared.fitting import OPENAI, fit_tool_names, object_schemas, openai_tool_name
from ..shared.foreign_extras import home_extras
from ..shared.images import image_to_url, openai_image_url
from ..shared.losses import warn_once
from ..shared.tools import arguments_from_ir, function_definition
from .hosted import part_to_item
from .wire import FORMAT, LABEL, reasoning_item


def request_from_ir(req: ir.Request, warnings: list[str]) -> dict[str, Any]:
    req = fit_tool_names(req, openai_tool_name, LABEL, warnings)
    if req.tools:
        req = object_schemas(req, LABEL, warnings, OPENAI)
    body: dict[str, Any] = {}
    if req.model is not None:
        body["model"] = req.model
    items: list[dict[str, Any]] = []
    marks = 0
    for part in req.system:
        if part.cache_control:
            marks += 1
    if req.system:
        body["instructions"] = req.system[0].text
        items.extend({"role": "system", "content": p.text} for p in req.system[1:])
    notes = _Notes(same=req.extras_format is FORMAT, cache_marks=marks)
    for m, message in enumerate(req.messages):
        _message_items(message, m, items, notes, warnings)
    body["input"] = items
    notes.report(warnings)

    if req.tools:
        body["tools"] = [_tool_from_ir(t) for t in req.tools]
    if req.tool_choice is not None:
        choice = req.tool_choice
        if choice.mode is ir.ToolChoiceMode.TOOL:
            body["tool_choice"] = {"type": "function", "name": choice.name}
        else:
            body["tool_choice"] = choice.mode.value
    if req.parallel_tool_calls is not None:
        body["parallel_tool_calls"] = req.parallel_tool_calls
    if req.max_tokens is not None:
        body["max_output_tokens"] = req.max_tokens
    if req.temperature is not None:
        body["temperature"] = req.temperature
    if req.top_p is not None:
        body["top_p"] = req.top_p
    if req.response_format is not None:
        body["text"] = {"format": _format_from_ir(req.response_format, warnings)}
    if req.thinking is not None:
        reasoning = _reasoning_from_ir(req.thinking, warnings)
        if reasoning:
            body["reasoning"] = reasoning
    if req.stream:
        body["stream"] = True
    _unsupported_settings(req, warnings)
    if req.extras:
        _extras_from_ir(req, body, items, warnings)
    return body


class _Notes:
    """What one request conversion had to leave out, reported once per kind instead of per part."""

    __slots__ = ("cache_marks", "reasoning_items", "same", "signatures_dropped", "thinking_dropped")

    def __init__(self, same: bool, cache_marks: int) -> None:
        self.same = same  # the IR came from this format: reasoning items and signatures are ours
        self.cache_marks = cache_marks
        self.thinking_dropped = 0
        self.signatures_dropped = 0
        self.reasoning_items = 0

    def report(self, warnings: list[str]) -> None:
        if self.cache_marks:
            warnings.append(
                f"cache_control: {LABEL} caches prompts automatically; "
                f"{self.cache_marks} cache_control mark(s) dropped"
            )
        if self.thinking_dropped:
            warnings.append(
                f"thinking: OpenAI only accepts reasoning items it produced itself; "
                f"{self.thinking_dropped} thinking block(s) of the conversation dropped"
            )
        if self.signatures_dropped:
            warnings.append(
                f"signature: {LABEL} function calls carry no thought signature; "
                f"{self.signatures_dropped} signature(s) dropped"
            )


def _message_items(
    message: ir.Message, m: int, items: list[dict[str, Any]], notes: _Notes, warnings: list[str]
) -> None:
    """One IR message as input items: text (and images, refusals) in message items; tool calls,
    tool results and reasoning as items of their own. The hot loop of every conversion to Responses."""
    role = message.role
    assistant = role == "assistant"
    content: list[dict[str, Any]] = []
    parts = message.parts
    if not assistant and not notes.same and any(type(p) is ToolResultPart for p in parts[1:]):
        # Outputs right after their calls: some Responses servers pair them only when adjacent.
        parts = [p for p in parts if type(p) is ToolResultPart] + [
            p for p in parts if type(p) is not ToolResultPart
        ]
    for part in parts:
        if type(part) is TextPart:
            if assistant:
                cited = url_citations([part], nested=False) if part.citations else []
                content.append({"type": "output_text", "text": part.text, "annotations": cited})
            else:
                content.append({"type": "input_text", "text": part.text})
            if part.cache_control:
                notes.cache_marks += 1
            continue
        if type(part) is ImagePart or type(part) is RefusalPart:
            _inline_part(part, assistant, m, content, warnings)
            continue
        if content:
            items.append({"role": role, "content": content})
            content = []
        if type(part) is ToolCallPart:
            call = {"type": "function_call", "call_id": part.id, "name": part.name}
            call["arguments"] = arguments_from_ir(part.arguments)
            items.append(call)
            if part.signature is not None:
                notes.signatures_dropped += 1
        elif type(part) is ToolResultPart:
            items.append(_tool_output(part, m, warnings))
        elif type(part) is ThinkingPart:
            if not notes.same or part.redacted:
                notes.thinking_dropped += 1
                continue
            # The IR keeps no item id; OpenAI resumes stateless reasoning from encrypted_content.
            items.append(reasoning_item(f"rs_{notes.reasoning_items}", part.text, part.signature))
            notes.reasoning_items += 1
        elif type(part) is HostedToolPart:
            items.append(part_to_item(part, warnings))
    if content:
        items.append({"role": role, "content": content})


def _inline_part(
    part: ir.Part, assistant: bool, m: int, content: list[dict[str, Any]], warnings: list[str]
) -> None:
    if isinstance(part, ImagePart):
        if assistant:
            warnings.append(
                f"messages[{m}]: {LABEL} assistant messages cannot hold images; an image was dropped"
            )
        else:
            content.append(_input_media(part, m, warnings))
    elif isinstance(part, RefusalPart):
        if assistant:
            content.append({"type": "refusal", "refusal": part.text})
        else:
            warnings.append(f"messages[{m}]: a refusal in a user message was sent as plain text")
            content.append({"type": "input_text", "text": part.text})


def _tool_output(part: ir.ToolResultPart, m: int, warnings: list[str]) -> dict[str, Any]:
    content = part.content
    output: Any
    if len(content) == 1 and type(content[0]) is TextPart:
        output = content[0].text
    elif not content:
        output = ""
    else:
        output = [
            {"type": "input_text", "text": p.text}
            if isinstance(p, TextPart)
            else _input_media(p, m, warnings)
            for p in content
        ]
    if part.is_error:
        warnings.append(
            f"messages[{m}]: {LABEL} function_call_output has no error flag; "
            f"the failed result of {part.tool_call_id} was sent as plain output"
        )
    return {"type": "function_call_output", "call_id": part.tool_call_id, "output": output}


def _input_media(part: ir.ImagePart, m: int, warnings: list[str]) -> dict[str, Any]:
    """An image, a PDF, or the text of a text/plain file, as Responses input."""
    text = file_text(part)
    if text is not None:
        warn_once(warnings, file_as_text_warning(LABEL))
        return {"type": "input_text", "text": text}
    if part.is_document:
        if part.data is None:
            return {"type": "input_file", "file_url": part.url or ""}
        data = image_to_url(ir.ImagePart(data=part.data, media_type="application/pdf"), warnings)
        return {"type": "input_file", "file_data": data, "filename": part.filename or "document.pdf"}
    image: dict[str, Any] = {"type": "input_image", "image_url": openai_image_url(part, LABEL, warnings)}
    if part.detail is not None:
        image["detail"] = part.detail
    return image


def _tool_from_ir(tool: ir.Tool) -> dict[str, Any]:
    # Responses would make an unmarked tool strict, which rejects ordinary schemas: say false.
    out = function_definition(tool, "parameters", {"type": "function"})
    out["strict"] = bool(tool.strict)
    return out


def _format_from_ir(fmt: ir.ResponseFormat, warnings: list[str]) -> dict[str, Any]:
    if fmt.kind is not ir.ResponseFormatKind.JSON_SCHEMA:
        return {"type": fmt.kind.value}
    name = fmt.name
    if name is None:
        name = "response"
        warnings.append(f"text.format.name: {LABEL} requires a schema name; sent as 'response'")
    out: dict[str, Any] = {"type": "json_schema", "name": name, "schema": fmt.schema or {}}
    if fmt.strict is not None:
        out["strict"] = fmt.strict
    return out


def _effort_for_budget(budget: int) -> str:
    """Bucket a thinking budget into an effort (musistudio/llms' thresholds, conversion.md §C.5)."""
    if budget <= 0:
        return "none"
    if budget <= 1024:
        return "low"
    if budget <= 8192:
        return "medium"
    return "high"


def _reasoning_from_ir(thinking: ir.Thinking, warnings: list[str]) -> dict[str, Any]:
    reasoning: dict[str, Any] = {}
    effort = thinking.effort
    budget = thinking.budget_tokens
    if budget is not None:
        if effort is None:
            effort = _effort_for_budget(budget)
            warnings.append(
                f"thinking.budget_tokens: {LABEL} takes an effort, not a budget; "
                f"{budget} tokens sent as effort {effort!r}"
            )
        else:
            warnings.append(f"thinking.budget_tokens: {LABEL} takes an effort only; the budget was dropped")
    if effort is not None:
        reasoning["effort"] = effort
    elif not thinking.enabled:
        warnings.append(f"thinking: disabled thinking has no {LABEL} setting; the model's default applies")
    if thinking.include_thoughts:
        reasoning["summary"] = "auto"
    return reasoning


def _unsupported_settings(req: ir.Request, warnings: list[str]) -> None:
    if req.top_k is not None:
        warnings.append(f"top_k: {LABEL} has no top_k; dropped")
    if req.stop:
        warnings.append(f"stop: {LABEL} has no stop sequences; {req.stop!r} dropped")
    if req.seed is not None:
        warnings.append(f"seed: {LABEL} has no seed; dropped")
    if req.candidate_count is not None and req.candidate_count != 1:
        warnings.append(f"candidate_count: {LABEL} returns one answer (no n); {req.candidate_count} dropped")


def _extras_from_ir(
    req: ir.Request, body: dict[str, Any], items: list[dict[str, Any]], warnings: list[str]
) -> None:
    extras = req.extras
    if req.extras_format is not FORMAT:
        extras, rest = home_extras(extras, req.extras_format, FORMAT, warnings)
        drop_extras(rest, req.extras_format, LABEL, warnings)
    for key, value in extras.items():
        if key == "hosted_tools":
            body.setdefault("tools", []).extend(value)
        elif key == "unconverted_input_items":
            for entry in value:
                items.insert(min(entry["index"], len(items)), entry["item"])
        else:
            put_dotted(body, key, value)
