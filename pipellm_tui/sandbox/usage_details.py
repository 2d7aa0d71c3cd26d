"""Usage details a real upstream reports that the neutral form does not carry.

- Gemini's `usageMetadata` breaks the prompt down by modality (`promptTokensDetails: [{"modality":
  "TEXT", "tokenCount": N}]`; google-genai's `usage_metadata.prompt_tokens_details`). The sandbox
  counts text only, so the whole prompt is TEXT.
- Anthropic's `usage` says which cache the written tokens went to (`cache_creation:
  {ephemeral_5m_input_tokens, ephemeral_1h_input_tokens}`) and the `service_tier` that served it
  ("standard"), in the body and in the stream's `message_start`.
Added to the simulated upstream's own answer (its body, its stream's events) before any conversion:
a native call shows them, a converted one reads past them as a real gateway would (the adapters read
only the counts). Standard library only.
"""

from __future__ import annotations

import json
from typing import Any

from ..protocols.formats import Format

#: The stream events that carry these details: a Gemini chunk with usage, Anthropic's message_start.
_MARKS = {Format.GEMINI: '"usageMetadata"', Format.ANTHROPIC: '"message_start"'}


def add_to_body(upstream: Format, body: dict[str, Any]) -> None:
    if upstream is Format.GEMINI:
        usage = body.get("usageMetadata")
        prompt = usage.get("promptTokenCount") if isinstance(usage, dict) else None
        if isinstance(usage, dict) and isinstance(prompt, int):
            usage.setdefault("promptTokensDetails", [{"modality": "TEXT", "tokenCount": prompt}])
    elif upstream is Format.ANTHROPIC:
        message = body.get("message") if body.get("type") == "message_start" else body
        usage = message.get("usage") if isinstance(message, dict) else None
        written = usage.get("cache_creation_input_tokens") if isinstance(usage, dict) else None
        if isinstance(usage, dict):
            cache = {"ephemeral_5m_input_tokens": written or 0, "ephemeral_1h_input_tokens": 0}
            usage.setdefault("cache_creation", cache)
            usage.setdefault("service_tier", "standard")


def add_to_event(upstream: Format, data: str) -> str:
    """One upstream stream event; only the events that carry these details change."""
    mark = _MARKS.get(upstream)
    if mark is None or mark not in data:
        return data
    try:
        chunk = json.loads(data)
    except ValueError:
        return data
    if not isinstance(chunk, dict):
        return data
    add_to_body(upstream, chunk)
    return json.dumps(chunk, separators=(",", ":"), ensure_ascii=False)
