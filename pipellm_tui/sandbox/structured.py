"""Structured outputs: the answer to a request that asks for JSON, generated from its schema.

Owns what the simulated upstream writes when the request carries a response format: OpenAI Chat
`response_format` (json_schema / json_object), Responses `text.format`, Gemini `responseMimeType`
with `responseSchema` / `responseJsonSchema`, Anthropic `output_format` / `output_config.format`.
All of them arrive as the IR's `response_format`. A schema is filled by the same generator as tool
arguments (tool_arguments.fill_schema), so the answer validates against it; JSON mode without a schema
gets a small object. Deterministic for a given random generator; imports protocols only.
"""

from __future__ import annotations

import json
import random

from ..protocols import ir
from .tool_arguments import fill_schema

#: Characters per streamed piece of a JSON answer: about one token each, as usage counts them.
_PIECE = 4


def structured_tokens(request: ir.Request, rng: random.Random) -> list[str] | None:
    """The JSON answer in pieces, or None when the request does not ask for JSON (the rng is untouched)."""
    form = request.response_format
    if form is None or form.kind is ir.ResponseFormatKind.TEXT:
        return None
    if form.kind is ir.ResponseFormatKind.JSON_SCHEMA and isinstance(form.schema, dict):
        value = fill_schema(form.schema, rng)
    else:
        value = {"answer": "The sandbox answers in JSON because the request asked for it."}
    text = json.dumps(value, ensure_ascii=False)
    return [text[i : i + _PIECE] for i in range(0, len(text), _PIECE)]
