"""One adapter per wire format, all with the same six entry points (see `base.Adapter`); the JSON
shape checks and encodings they all use are in `shared`."""

from __future__ import annotations

from ..formats import Format
from ..problems import ProtocolError
from .base import Adapter, StreamDecoder, StreamEncoder, Warnings


def adapter_for(fmt: Format | str) -> Adapter:
    """The adapter of a format. Modules load on first use so importing protocols stays cheap."""
    # A Format is a str, so the name a caller spelled finds it too (anything else is not a format).
    cached = _CACHE.get(fmt) if isinstance(fmt, str) else None
    if cached is None:
        from importlib import import_module

        try:
            fmt = Format(fmt)
        except ValueError:
            known = ", ".join(f.value for f in Format)
            raise ProtocolError(f"unknown format {str(fmt)[:40]!r} (one of: {known})") from None
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
