"""OpenAI Chat Completions response bodies (`chat.completion`) into and out of the neutral form.

Owns `choices[]` <-> candidates, finish reasons and usage of a whole answer. response_from_ir fills
every field the official SDK reads (id, object, created, model, index, role, logprobs, usage with
total_tokens). Must not import pydantic; no I/O.
"""

from __future__ import annotations

from typing import Any

from ... import ir
from ..shared.citations import openai_citations, url_citations
from ..shared.extras import drop_extras
from ..shared.ids import answer_id
from ..shared.json_shapes import need_dict, need_list, opt_int, opt_str, wrong
from .assistant import assistant_message, assistant_parts
from .wire import FORMAT, LABEL, finish_from_ir, finish_to_ir, usage_from_ir, usage_to_ir

_MODELLED = frozenset({"id", "object", "created", "model", "choices", "usage"})
_MESSAGE_FIELDS = frozenset(
    {"role", "content", "refusal", "tool_calls", "function_call", "reasoning_content", "annotations"}
)


def response_to_ir(body: dict[str, Any], warnings: list[str]) -> ir.Response:
    if not isinstance(body, dict):
        wrong(body, "a JSON object", "")
    choices = need_list(body.get("choices"), "choices")
    response = ir.Response(
        id=opt_str(body.get("id"), "id"),
        model=opt_str(body.get("model"), "model"),
        created=opt_int(body.get("created"), "created"),
        extras_format=FORMAT,
    )
    indexed: list[tuple[int, ir.Candidate]] = []
    for j, choice in enumerate(choices):
        path = f"choices[{j}]"
        choice = need_dict(choice, path)
        index = opt_int(choice.get("index"), f"{path}.index")
        indexed.append((j if index is None else index, _candidate(choice, path, warnings)))
    if any(index != position for position, (index, _) in enumerate(indexed)):
        indexed.sort(key=lambda pair: pair[0])
    response.candidates = [candidate for _, candidate in indexed]
    response.usage = usage_to_ir(body.get("usage"), "usage")
    if not _MODELLED.issuperset(body):
        extras = response.extras
        for key, value in body.items():
            if key not in _MODELLED and value is not None:
                extras[key] = value
    return response


def _candidate(choice: dict[str, Any], path: str, warnings: list[str]) -> ir.Candidate:
    message = need_dict(choice.get("message"), f"{path}.message")
    parts = assistant_parts(message, path + ".message", 0, warnings)
    citations = openai_citations(message.get("annotations"), True, warnings)
    if citations is not None:  # indexes into the content string, which is the one text part
        text = next((p for p in parts if type(p) is ir.TextPart), None)
        if text is not None:
            text.citations = citations
    if not _MESSAGE_FIELDS.issuperset(message):
        for key, value in message.items():
            if key not in _MESSAGE_FIELDS and value not in (None, [], {}):
                warnings.append(f"{path}.message.{key}: the neutral form cannot carry it; dropped")
    if choice.get("logprobs") is not None:
        warnings.append(f"{path}.logprobs: the neutral form cannot carry log probabilities; dropped")
    has_calls = any(type(p) is ir.ToolCallPart for p in parts)
    stop = finish_to_ir(choice.get("finish_reason"), has_calls, f"{path}.finish_reason", warnings)
    return ir.Candidate(parts, stop)


def response_from_ir(response: ir.Response, warnings: list[str]) -> dict[str, Any]:
    choices = []
    for index, candidate in enumerate(response.candidates):
        message = assistant_message(candidate.parts, warnings, join_text=True)
        message.setdefault("refusal", None)  # the real API always sends it
        annotations = url_citations(candidate.parts, nested=True)
        if annotations:
            message["annotations"] = annotations
        has_calls = "tool_calls" in message
        finish = finish_from_ir(candidate.stop_reason, candidate.stop_sequence, has_calls, warnings)
        choices.append({"index": index, "message": message, "logprobs": None, "finish_reason": finish})
    model = response.model or "unknown"
    body: dict[str, Any] = {
        "id": response.id or answer_id("chatcmpl-", response),
        "object": "chat.completion",
        "created": response.created or 0,
        "model": model,
        "choices": choices,
    }
    if response.usage is not None:
        body["usage"] = usage_from_ir(response.usage, warnings)
    if response.extras:
        if response.extras_format is FORMAT:
            for key, value in response.extras.items():
                body.setdefault(key, value)
        else:
            drop_extras(response.extras, response.extras_format, LABEL, warnings)
    return body
