"""Documents (PDF) as the formats write them, read into the IR's media part (`ir.ImagePart` with
media type application/pdf): Anthropic `document` blocks and OpenAI's `file_data`. Writing them
back is each format's own media code (`ImagePart.is_document`). A text/plain file (a Gemini part can
hold one) is read here for all of them (`file_text`): Anthropic takes it as a plain-text document,
OpenAI as its text. No I/O; standard library only.
"""

from __future__ import annotations

import base64
from typing import Any

from ... import ir
from .images import image_from_url
from .json_shapes import need_dict, need_str
from .losses import warn_once

_DOCUMENT_KEYS = frozenset({"type", "source", "title"})


def document_part(block: dict[str, Any], warnings: list[str]) -> ir.TextPart | ir.ImagePart | None:
    """A document block: a PDF (base64 or URL) is a document part, a plain-text one its text."""
    source = need_dict(block.get("source"), "source")
    kind = source.get("type")
    title = block.get("title")
    title = None if title is None else need_str(title, "title")
    for key in block:
        if key not in _DOCUMENT_KEYS:  # context, citations, cache_control
            warn_once(warnings, f"document.{key}: not carried by the neutral form; dropped")
    if kind == "base64":
        media = need_str(source.get("media_type"), "source.media_type")
        data = need_str(source.get("data"), "source.data")
        return ir.ImagePart(data=data, media_type=media, filename=title)
    if kind == "url":
        url = need_str(source.get("url"), "source.url")
        return ir.ImagePart(url=url, media_type="application/pdf", filename=title)
    if kind == "text":
        warn_once(warnings, "document: a plain-text document is carried as its text (title dropped)")
        return ir.TextPart(need_str(source.get("data"), "source.data"))
    need_str(kind, "source.type")
    warn_once(warnings, f"document: a {kind} source (Files API, content blocks) has no neutral form; dropped")
    return None


def document_from_file_data(data: str, filename: str | None) -> ir.ImagePart:
    """OpenAI's `file_data` (a data URL, or bare base64) as a document part."""
    part = image_from_url(data) if data.startswith("data:") else ir.ImagePart(data=data)
    if part.data is None:  # a data URL that is not base64: keep its text as the data
        part = ir.ImagePart(data=data)
    part.media_type = part.media_type or "application/pdf"
    part.filename = filename
    return part


def anthropic_document(part: ir.ImagePart) -> dict[str, Any] | None:
    """The part as an Anthropic `document` block, when it is one: a PDF (Anthropic reads PDFs only
    as documents), or inline text/plain data (a Gemini part can hold a text file) as a plain-text
    document; None for an image."""
    if part.is_document:
        source = (
            {"type": "url", "url": part.url or ""}
            if part.data is None
            else {"type": "base64", "media_type": "application/pdf", "data": part.data}
        )
    elif (text := file_text(part)) is not None:
        source = {"type": "text", "media_type": "text/plain", "data": text}
    else:
        return None  # an image, or text/plain data that is not text after all: sent as an image, named
    document: dict[str, Any] = {"type": "document", "source": source}
    if part.filename is not None:
        document["title"] = part.filename
    return document


def file_text(part: ir.ImagePart) -> str | None:
    """The text of an inline text/plain file (a Gemini part can hold one); None for any other part,
    and for data that is not text after all (not base64, or not UTF-8)."""
    if part.media_type != "text/plain" or part.data is None:
        return None
    try:
        return base64.b64decode(part.data, validate=True).decode("utf-8")
    except ValueError:  # not base64 (binascii.Error), not ASCII, or not UTF-8 (UnicodeDecodeError)
        return None


def file_as_text_warning(label: str) -> str:
    return f"text/plain file: {label} takes PDF files only; sent as its text"
