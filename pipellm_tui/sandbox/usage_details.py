"""Usage details a real upstream reports that the neutral form does not carry.

Gemini's `usageMetadata` breaks the prompt down by modality (`promptTokensDetails: [{"modality":
"TEXT", "tokenCount": N}]`); google-genai reads it as `usage_metadata.prompt_tokens_details`. The
sandbox counts text only, so the whole prompt is TEXT. Added to the simulated upstream's own answer
(its body, its stream's events) before any conversion: a native call shows it, a converted one reads
past it as a real gateway would. Standard library only.
"""

from __future__ import annotations

import json
from typing import Any

from ..protocols.formats import Format


def add_to_body(upstream: Format, body: dict[str, Any]) -> None:
    usage = body.get("usageMetadata") if upstream is Format.GEMINI else None
    if isinstance(usage, dict) and "promptTokensDetails" not in usage:
        prompt = usage.get("promptTokenCount")
        if isinstance(prompt, int):
            usage["promptTokensDetails"] = [{"modality": "TEXT", "tokenCount": prompt}]


def add_to_event(upstream: Format, data: str) -> str:
    """One upstream stream event; only a Gemini chunk with usage changes."""
    if upstream is not Format.GEMINI or '"usageMetadata"' not in data:
        return data
    try:
        chunk = json.loads(data)
    except ValueError:
        return data
    if not isinstance(chunk, dict):
        return data
    add_to_body(upstream, chunk)
    return json.dumps(chunk, separators=(",", ":"), ensure_ascii=False)
