"""Starter request bodies, one per format: what the playground's editor opens with.

Each template holds the same conversation (a system prompt and one user turn) so switching between
starters shows how the formats differ, not a different question. No I/O; standard library only.
"""

from __future__ import annotations

import json
from typing import Any

from .fields import write_model
from .formats import Format

SYSTEM_PROMPT = "You are a concise assistant."
USER_PROMPT = "Explain in two sentences what an API gateway does."
MAX_TOKENS = 256


def starter_request(fmt: Format, model: str = "") -> dict[str, Any]:
    """A small valid request in `fmt`, streaming on. Gemini's model travels in the URL, not the body."""
    fmt = Format(fmt)
    body: dict[str, Any]
    if fmt is Format.OPENAI_CHAT:
        body = {
            "messages": [
                {"role": "system", "content": SYSTEM_PROMPT},
                {"role": "user", "content": USER_PROMPT},
            ],
            "max_tokens": MAX_TOKENS,
            "stream": True,
            # Without it an OpenAI stream carries no usage, and the status line could show no cost.
            "stream_options": {"include_usage": True},
        }
    elif fmt is Format.OPENAI_RESPONSES:
        body = {
            "instructions": SYSTEM_PROMPT,
            "input": [{"role": "user", "content": USER_PROMPT}],
            "max_output_tokens": MAX_TOKENS,
            "stream": True,
        }
    elif fmt is Format.ANTHROPIC:
        body = {
            "system": SYSTEM_PROMPT,
            "messages": [{"role": "user", "content": USER_PROMPT}],
            "max_tokens": MAX_TOKENS,
            "stream": True,
        }
    else:
        body = {
            "systemInstruction": {"parts": [{"text": SYSTEM_PROMPT}]},
            "contents": [{"role": "user", "parts": [{"text": USER_PROMPT}]}],
            "generationConfig": {"maxOutputTokens": MAX_TOKENS},
            "stream": True,
        }
    return write_model(fmt, body, model) if model else body


def pretty(body: Any) -> str:
    """The JSON text the editor shows: two-space indents, non-ASCII kept readable."""
    return json.dumps(body, indent=2, ensure_ascii=False)
