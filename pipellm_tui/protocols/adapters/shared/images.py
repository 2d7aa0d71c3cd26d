"""Images as URLs (data URLs) and the media type of inline data that came without one."""

from __future__ import annotations

from ... import ir
from .losses import warn_once

#: Base64 openings of file signatures, to name the media type of inline data that came without one.
_SIGNATURES = (
    ("iVBOR", "image/png"),
    ("/9j/", "image/jpeg"),
    ("R0lGOD", "image/gif"),
    ("UklGR", "image/webp"),
    ("JVBER", "application/pdf"),
)


def media_type_of(image: ir.ImagePart, warnings: list[str]) -> str:
    """The media type of inline data: as given, or read from its first bytes (PNG when they say
    nothing), with a warning, for the formats that need one."""
    if image.media_type:
        return image.media_type
    data = image.data or ""
    media = next((media for opening, media in _SIGNATURES if data.startswith(opening)), "image/png")
    warn_once(warnings, f"image media type: not given; {media} assumed from the data")
    return media


def image_from_url(url: str, detail: str | None = None) -> ir.ImagePart:
    """An image URL as a part: a `data:<mime>;base64,<data>` URL is inline data, any other a web address."""
    if url.startswith("data:"):
        head, comma, data = url.partition(",")
        if comma and head.endswith(";base64"):
            return ir.ImagePart(data=data, media_type=head[5:-7] or None, detail=detail)
    return ir.ImagePart(url=url, detail=detail)


def image_to_url(image: ir.ImagePart, warnings: list[str]) -> str:
    """The part as one URL: a data URL for inline data, else its web address."""
    if image.data is not None:
        return f"data:{media_type_of(image, warnings)};base64,{image.data}"
    return image.url or ""


#: The inline image types OpenAI reads (Chat `image_url`, Responses `input_image`): PNG, JPEG, WEBP and
#: non-animated GIF. Gemini also takes HEIC and HEIF, and any inline data a part can hold.
OPENAI_IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/webp", "image/gif"})


def openai_image_url(image: ir.ImagePart, label: str, warnings: list[str]) -> str:
    """`image_to_url`, naming inline data of a type OpenAI refuses (sent as given: no I/O here to
    convert it)."""
    if image.data is not None and image.media_type and image.media_type not in OPENAI_IMAGE_TYPES:
        warn_once(
            warnings,
            f"image media type {image.media_type}: {label} accepts png, jpeg, webp and gif images only; "
            "sent as given (it will refuse it)",
        )
    return image_to_url(image, warnings)
