"""One adapter per wire format, all with the same six entry points (see `base.Adapter`); the JSON
shape checks and encodings they all use are in `wire`."""

from __future__ import annotations

from ..formats import Format
from .base import Adapter, StreamDecoder, StreamEncoder, Warnings


def adapter_for(fmt: Format | str) -> Adapter:
    """The adapter of a format. Modules load on first use so importing protocols stays cheap."""
    cached = _CACHE.get(fmt)  # a Format is a str, so the name a caller spelled finds it too
    if cached is None:
        from importlib import import_module

        fmt = Format(fmt)
        cached = _CACHE[fmt] = import_module(f"{__name__}.{_MODULE[fmt]}").ADAPTER
    return cached


_MODULE = {
    Format.OPENAI_CHAT: "openai_chat",
    Format.OPENAI_RESPONSES: "openai_responses",
    Format.ANTHROPIC: "anthropic",
    Format.GEMINI: "gemini",
}
_CACHE: dict[Format | str, Adapter] = {}

__all__ = ["Adapter", "StreamDecoder", "StreamEncoder", "Warnings", "adapter_for"]
