"""Text parts as Anthropic text blocks, cut where their citations begin and end.

An Anthropic citation cites the whole text block it sits on, while OpenAI `url_citation` annotations
and Gemini grounding supports cite a span of the text. A part citing spans becomes several blocks,
each carrying exactly the citations of its span; reading them back (`shared.citations.url_citations`)
gives the same spans over the joined text. No pydantic, no I/O.
"""

from __future__ import annotations

from typing import Any

from ... import ir
from ..shared.citations import cited_spans
from .content import text_block


def text_blocks(part: ir.TextPart) -> list[dict[str, Any]]:
    if not part.citations:
        return [text_block(part)]
    pieces = cited_spans(part)
    if len(pieces) == 1:
        return [text_block(ir.TextPart(part.text, part.cache_control, pieces[0][1]))]
    blocks = [text_block(ir.TextPart(text, None, cited)) for text, cited in pieces]
    if part.cache_control is not None:  # the marker ends the part: it goes on the last piece
        blocks[-1]["cache_control"] = part.cache_control
    return blocks
