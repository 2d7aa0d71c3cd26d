"""The request settings an OpenAI Responses answer repeats, as the real API does.

A Response object says back the settings it was made with (`instructions`, `max_output_tokens`,
`temperature`, `tools`, `previous_response_id`, `store`, `metadata`, ...), in the JSON body and in the
`response` of the stream's lifecycle events. The neutral form carries none of them, so the encoder
writes neutral values (`instructions: null`, `store: false`); the sandbox, which has the caller's
body, puts back what was asked. `store` is true unless the request said false (the API's default,
and what conversations.py remembers). Works on the caller's JSON; standard library only.
"""

from __future__ import annotations

import json
from typing import Any

from ..protocols.formats import Format

#: The settings a Response repeats when the request gave them (openai.types.responses.Response).
_REPEATED = (
    "background",
    "instructions",
    "max_output_tokens",
    "max_tool_calls",
    "metadata",
    "parallel_tool_calls",
    "previous_response_id",
    "prompt_cache_key",
    "reasoning",
    "safety_identifier",
    "service_tier",
    "temperature",
    "text",
    "tool_choice",
    "tools",
    "top_logprobs",
    "top_p",
    "truncation",
    "user",
)
#: The stream events whose `response` is the whole Response object.
_LIFECYCLE = ('"response.created"', '"response.in_progress"', '"response.completed"', '"response.incomplete"')


def settings(fmt: Format, body: dict[str, Any]) -> dict[str, Any]:
    """What a Response to this Responses request repeats; nothing for the other formats."""
    if fmt is not Format.OPENAI_RESPONSES:
        return {}
    repeated = {key: body[key] for key in _REPEATED if body.get(key) is not None}
    repeated["store"] = body.get("store") is not False
    return repeated


def apply(response: dict[str, Any], repeated: dict[str, Any]) -> None:
    """The Response object with the request's settings in place of the neutral ones."""
    for key, value in repeated.items():
        neutral = response.get(key)
        # `reasoning: {"effort": "low"}` comes back whole: `{"effort": "low", "summary": null}`.
        response[key] = (
            {**neutral, **value} if isinstance(neutral, dict) and isinstance(value, dict) else value
        )


def apply_to_event(data: str, repeated: dict[str, Any]) -> str:
    """A lifecycle event (`response.created`, `.in_progress`, `.completed`, `.incomplete`) with the
    settings; any other event as it is."""
    if not repeated or not data.startswith('{"type":"') or not data.startswith(_LIFECYCLE, 8):
        return data
    event = json.loads(data)
    response = event.get("response")
    if not isinstance(response, dict):
        return data
    apply(response, repeated)
    return json.dumps(event, separators=(",", ":"), ensure_ascii=False)
