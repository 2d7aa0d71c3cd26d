"""The four request formats, the two route kinds and the three model families.

Owns the names only; what a format looks like on the wire lives in `adapters/`, where it is
reached lives in `routes.py`. No I/O, no imports outside the standard library.
"""

from __future__ import annotations

from enum import StrEnum


class Family(StrEnum):
    """A model family: which native protocol a model speaks (`type_target` in `/v1/models`)."""

    OPENAI = "openai"
    ANTHROPIC = "anthropic"
    GEMINI = "gemini"


class Format(StrEnum):
    """A request format. `Format("openai-chat")` works, so does `Format.OPENAI_CHAT`."""

    OPENAI_CHAT = "openai-chat"
    OPENAI_RESPONSES = "openai-responses"
    ANTHROPIC = "anthropic"
    GEMINI = "gemini"

    @property
    def family(self) -> Family:
        return _FAMILY[self]

    @property
    def label(self) -> str:
        return _LABEL[self]


class RouteKind(StrEnum):
    NATIVE = "native"
    CONVERTER = "converter"


_FAMILY = {
    Format.OPENAI_CHAT: Family.OPENAI,
    Format.OPENAI_RESPONSES: Family.OPENAI,
    Format.ANTHROPIC: Family.ANTHROPIC,
    Format.GEMINI: Family.GEMINI,
}

_LABEL = {
    Format.OPENAI_CHAT: "OpenAI Chat Completions",
    Format.OPENAI_RESPONSES: "OpenAI Responses",
    Format.ANTHROPIC: "Anthropic Messages",
    Format.GEMINI: "Gemini Generate Content",
}

#: The format a family's simulated or real upstream answers in natively.
NATIVE_FORMAT: dict[Family, Format] = {
    Family.OPENAI: Format.OPENAI_CHAT,
    Family.ANTHROPIC: Format.ANTHROPIC,
    Family.GEMINI: Format.GEMINI,
}
