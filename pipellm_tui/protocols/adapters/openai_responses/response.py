"""OpenAI Responses: non-streaming response bodies (the Response object) to and from the neutral form.

`output[]` items become the parts of one candidate: message items give TextPart / RefusalPart,
function_call items ToolCallPart (and TOOL_USE, since `status` never says a tool was called),
reasoning items ThinkingPart. `status` + `incomplete_details` give the stop reason (§C.6), `usage`
the inclusive usage (§C.7). The request settings a Response echoes (temperature, tools, ...) travel
together in `extras["request_echo"]`, so another target names them in one warning rather than ten;
web_search_call (search) and code_interpreter_call items are hosted-tool runs (hosted.py); other
hosted-tool output items travel in `extras["unconverted_output_items"]`. Both come back only when
the target is this format again.

`response_from_ir` builds the full object the official SDK parses. No pydantic, no I/O.
"""

from __future__ import annotations

from typing import Any

from ... import ir
from ...problems import ProtocolError
from ..shared.citations import openai_citations, url_citations
from ..shared.extras import drop_extras
from ..shared.ids import answer_id
from ..shared.json_shapes import opt_str, wrong
from ..shared.tools import arguments_to_ir
from .hosted import HOSTED_ITEMS, item_to_part, part_to_item
from .wire import (
    FORMAT,
    LABEL,
    envelope,
    function_call_item,
    item_id,
    output_text,
    reasoning_item,
    reasoning_to_ir,
    status_from_ir,
    stop_to_ir,
    usage_from_ir,
    usage_to_ir,
)

_MODELED = frozenset(
    {"id", "object", "created_at", "status", "model", "output", "usage", "incomplete_details"}
)
#: Request settings a Response repeats back; not part of the answer.
_ECHO = frozenset(
    {
        "instructions", "max_output_tokens", "max_tool_calls", "parallel_tool_calls",
        "previous_response_id", "prompt", "prompt_cache_key", "prompt_cache_retention", "reasoning",
        "reasoning_effort", "safety_identifier", "service_tier", "store", "temperature", "text",
        "tool_choice", "tools", "top_logprobs", "top_p", "truncation", "user", "metadata",
        "background", "conversation", "include",
    }
)  # fmt: skip
_OTHER_FORMAT_HINT = {
    "choices": "an OpenAI Chat completion (it has `choices`)",
    "content": "an Anthropic message (it has `content`)",
    "candidates": "a Gemini response (it has `candidates`)",
}
#: What `response_from_ir` writes for the echoed settings when it knows none: no information, not kept.
_NEUTRAL_ECHO = {key: value for key, value in envelope("", None, None, "", [], None).items() if key in _ECHO}
#: The error a failed response reports when the neutral form says only "error".
_FAILED = {"code": "server_error", "message": "The model failed to generate a response."}


def response_to_ir(body: dict[str, Any], warnings: list[str]) -> ir.Response:
    if not isinstance(body, dict):
        wrong(body, "a JSON object", "")
    obj = body.get("object")
    if obj is not None and obj != "response":
        raise ProtocolError(f"expected 'response', got {obj!r}", "object")
    output = body.get("output")
    if not isinstance(output, list):
        if output is None:
            hint = next((h for key, h in _OTHER_FORMAT_HINT.items() if key in body), None)
            raise ProtocolError(
                "required field missing: a Response carries its answer in `output`"
                + (f"; this looks like {hint}" if hint else ""),
                "output",
            )
        wrong(output, "an array of items", "output")
    resp = ir.Response(
        id=opt_str(body.get("id"), "id"),
        model=opt_str(body.get("model"), "model"),
        created=_created(body),
        extras_format=FORMAT,
    )
    parts, has_calls = _output_to_parts(output, resp, warnings)
    stop = stop_to_ir(body.get("status"), body.get("incomplete_details"), has_calls, "", warnings)
    resp.candidates.append(ir.Candidate(parts, stop))
    resp.usage = usage_to_ir(body.get("usage"), "usage")
    echo = {}
    for key, value in body.items():
        if key not in _MODELED and value is not None:
            if key in _ECHO:
                if value != _NEUTRAL_ECHO.get(key):
                    echo[key] = value
            else:
                resp.extras[key] = value
    if echo:
        resp.extras["request_echo"] = echo
    return resp


def _created(body: dict[str, Any]) -> int | None:
    value = body.get("created_at")
    if value is None:
        return None
    if (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and 0 <= value < 2**63  # no overflow for a 400-digit int; NaN fails, inf fails
    ):
        return int(value)
    wrong(value, "a Unix timestamp", "created_at")


def _output_to_parts(output: list[Any], resp: ir.Response, warnings: list[str]) -> tuple[list[ir.Part], bool]:
    parts: list[ir.Part] = []
    has_calls = False
    unconverted = []
    for i, item in enumerate(output):
        if not isinstance(item, dict):
            wrong(item, "an object", f"output[{i}]")
        typ = item.get("type")
        if typ == "message":
            _message_to_parts(item, i, parts, warnings)
        elif typ == "function_call":
            call_id = item.get("call_id")
            name = item.get("name")
            if not isinstance(call_id, str):
                wrong(call_id, "a string", f"output[{i}].call_id")
            if not isinstance(name, str):
                wrong(name, "a string", f"output[{i}].name")
            arguments = arguments_to_ir(item.get("arguments"), warnings, "output[{}].arguments", i)
            parts.append(ir.ToolCallPart(call_id, name, arguments))
            has_calls = True
        elif typ == "reasoning":
            parts.append(reasoning_to_ir(item, f"output[{i}]"))
        elif (
            type(typ) is str and typ in HOSTED_ITEMS and (hosted := item_to_part(item, warnings)) is not None
        ):
            parts.append(hosted)
        elif isinstance(typ, str):
            warnings.append(f"output[{i}]: {typ} items cannot be converted; kept for {LABEL} only")
            unconverted.append({"index": i, "item": item})
        else:
            wrong(typ, "a string", f"output[{i}].type")
    if unconverted:
        resp.extras["unconverted_output_items"] = unconverted
    return parts, has_calls


def _message_to_parts(item: dict[str, Any], i: int, parts: list[ir.Part], warnings: list[str]) -> None:
    content = item.get("content")
    if not isinstance(content, list):
        wrong(content, "an array of parts", f"output[{i}].content")
    for j, part in enumerate(content):
        if not isinstance(part, dict):
            wrong(part, "an object", f"output[{i}].content[{j}]")
        typ = part.get("type")
        if typ == "output_text":
            text = part.get("text")
            if not isinstance(text, str):
                wrong(text, "a string", f"output[{i}].content[{j}].text")
            parts.append(ir.TextPart(text, None, openai_citations(part.get("annotations"), False, warnings)))
        elif typ == "refusal":
            text = part.get("refusal")
            if not isinstance(text, str):
                wrong(text, "a string", f"output[{i}].content[{j}].refusal")
            parts.append(ir.RefusalPart(text))
        elif isinstance(typ, str):
            warnings.append(f"output[{i}].content[{j}]: {typ} parts cannot be converted; dropped")
        else:
            wrong(typ, "a string", f"output[{i}].content[{j}].type")


# ---------------------------------------------------------------------------- IR -> wire


def response_from_ir(resp: ir.Response, warnings: list[str]) -> dict[str, Any]:
    response_id = resp.id or answer_id("resp_", resp)
    candidate = resp.candidates[0] if resp.candidates else ir.Candidate([])
    if len(resp.candidates) > 1:
        warnings.append(
            f"candidates: {LABEL} has one answer; {len(resp.candidates) - 1} more candidate(s) dropped"
        )
    same = resp.extras_format is FORMAT
    status, incomplete = status_from_ir(candidate.stop_reason, candidate.stop_sequence, warnings)
    item_status = "incomplete" if status == "incomplete" else "completed"
    output = output_from_parts(candidate.parts, response_id, item_status, same, warnings)
    error = dict(_FAILED) if status == "failed" else None
    body = envelope(
        response_id, resp.model, resp.created, status, output, usage_from_ir(resp.usage), incomplete, error
    )
    if resp.extras:
        if same:
            for key, value in resp.extras.items():
                if key == "request_echo":
                    body.update(value)
                elif key == "unconverted_output_items":
                    for entry in value:
                        output.insert(min(entry["index"], len(output)), entry["item"])
                else:
                    body[key] = value
        else:
            drop_extras(resp.extras, resp.extras_format, LABEL, warnings)
    return body


def output_from_parts(
    parts: list[ir.Part], response_id: str, item_status: str, same: bool, warnings: list[str]
) -> list[dict[str, Any]]:
    """Output items in order: consecutive text/refusal parts share one message item."""
    output: list[dict[str, Any]] = []
    content: list[dict[str, Any]] | None = None
    for part in parts:
        if isinstance(part, (ir.TextPart, ir.RefusalPart)):
            if content is None:
                content = []
                output.append(
                    {
                        "id": item_id("msg", response_id, len(output)),
                        "type": "message",
                        "status": item_status,
                        "role": "assistant",
                        "content": content,
                    }
                )
            if isinstance(part, ir.TextPart):
                text = output_text(part.text)
                if part.citations:
                    text["annotations"] = url_citations([part], nested=False)
                content.append(text)
            else:
                content.append({"type": "refusal", "refusal": part.text})
            continue
        content = None
        if isinstance(part, ir.ToolCallPart):
            output.append(function_call_item(item_id("fc", response_id, len(output)), part))
            if part.signature is not None:
                warnings.append(f"signature: {LABEL} function calls carry no thought signature; dropped")
        elif isinstance(part, ir.ThinkingPart):
            if part.redacted:
                warnings.append(f"thinking: redacted thinking has no {LABEL} form; dropped")
                continue
            signature = part.signature
            if signature is not None and not same:
                warnings.append(
                    f"thinking.signature: another provider's signature is no {LABEL} encrypted_content; dropped"
                )
                signature = None
            output.append(reasoning_item(item_id("rs", response_id, len(output)), part.text, signature))
        elif isinstance(part, ir.HostedToolPart):
            output.append(part_to_item(part, warnings))
        else:
            what = "an image" if isinstance(part, ir.ImagePart) else "a tool result"
            warnings.append(f"output: {LABEL} answers cannot hold {what}; dropped")
    return output
