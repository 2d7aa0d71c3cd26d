"""What a model's id alone says: the family it probably belongs to and PipeLLM's display name.

Kept apart from `catalog.py` (which needs pydantic) because the playground asks for a model's family
before its first paint, when the catalog has not loaded yet. No I/O; imports only the standard library
and `formats`.
"""

from __future__ import annotations

import re

from .formats import Family

_DATE_SUFFIX = re.compile(r"-(?:\d{8}|\d{4}-\d{2}-\d{2})$")


def display_name_for(model_id: str) -> str:
    """PipeLLM's rule: a trailing date dropped, hyphens to spaces, each word capitalised.

    claude-sonnet-4-20250514 -> "Claude Sonnet 4", gpt-4o -> "Gpt 4o", gemini-2.5-pro -> "Gemini 2.5 Pro".
    """
    stem = _DATE_SUFFIX.sub("", model_id) or model_id
    return " ".join(word[:1].upper() + word[1:] for word in stem.split("-") if word)


_PROVIDER_PREFIX = {
    "openai": Family.OPENAI,
    "anthropic": Family.ANTHROPIC,
    "google": Family.GEMINI,
    "gemini": Family.GEMINI,
}
_OPENAI_ID = re.compile(
    r"^(?:gpt|chatgpt|o\d|text-embedding|dall-e|davinci|babbage|whisper|tts|sora|omni-moderation|codex|"
    r"computer-use)"
)


def family_for(model_id: str) -> Family | None:
    """A guess from the id, for lists that do not say: gpt-/o1/o3/o4... openai, claude anthropic, gemini."""
    lowered = model_id.strip().lower()
    provider, slash, rest = lowered.partition("/")
    if slash:
        if provider in _PROVIDER_PREFIX:
            return _PROVIDER_PREFIX[provider]
        lowered = rest
    if lowered.startswith("models/"):
        lowered = lowered.removeprefix("models/")
    if lowered.startswith("claude"):
        return Family.ANTHROPIC
    if lowered.startswith(("gemini", "gemma")):
        return Family.GEMINI
    if _OPENAI_ID.match(lowered):
        return Family.OPENAI
    return None
