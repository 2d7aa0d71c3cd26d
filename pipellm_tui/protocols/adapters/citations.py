"""Web citations (answers grounded by a hosted web search) between the IR and each format: Anthropic
text-block `citations` (`web_search_result_location`), OpenAI Chat `message.annotations` and
Responses `output_text.annotations` (`url_citation`, with character indexes). Other kinds of
citation (document locations, file citations) are named as dropped. No I/O; standard library only.
"""

from __future__ import annotations

from typing import Any

from .. import ir
from .wire import warn_once


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _int(value: Any) -> int | None:
    return value if type(value) is int else None


def anthropic_citations(value: Any, warnings: list[str]) -> list[ir.Citation] | None:
    """A text block's `citations` (null when there are none)."""
    if not isinstance(value, list) or not value:
        return None
    out = []
    for item in value:
        kind = item.get("type") if isinstance(item, dict) else None
        url = _str(item.get("url")) if isinstance(item, dict) else None
        if kind == "web_search_result_location" and url is not None:
            out.append(
                ir.Citation(
                    url,
                    _str(item.get("title")),
                    _str(item.get("cited_text")),
                    opaque=_str(item.get("encrypted_index")),
                )
            )
        else:
            warn_once(warnings, f"citations: {kind} citations have no neutral form; dropped")
    return out or None


def anthropic_citation_blocks(citations: list[ir.Citation]) -> list[dict[str, Any]]:
    return [
        {
            "type": "web_search_result_location",
            "url": c.url,
            "title": c.title,
            "cited_text": c.cited_text or "",
            "encrypted_index": c.opaque or "",
        }
        for c in citations
    ]


def openai_citations(value: Any, nested: bool, warnings: list[str]) -> list[ir.Citation] | None:
    """`annotations` of a Chat message (`nested`: the fields sit under `url_citation`) or of a
    Responses output_text."""
    if not isinstance(value, list) or not value:
        return None
    out = []
    for item in value:
        kind = item.get("type") if isinstance(item, dict) else None
        fields = item.get("url_citation") if nested and isinstance(item, dict) else item
        url = _str(fields.get("url")) if isinstance(fields, dict) else None
        if kind == "url_citation" and url is not None and isinstance(fields, dict):
            start, end = _int(fields.get("start_index")), _int(fields.get("end_index"))
            out.append(ir.Citation(url, _str(fields.get("title")), start=start, end=end))
        elif kind == "url_citation":
            warn_once(warnings, "annotations: a url_citation without a url; dropped")
        else:
            warn_once(warnings, f"annotations: {kind} annotations have no neutral form; dropped")
    return out or None


def url_citations(parts: list[ir.Part], nested: bool) -> list[dict[str, Any]]:
    """The `url_citation` annotations of text parts joined into one string, with their indexes in
    it (a citation of a whole part spans the part)."""
    out: list[dict[str, Any]] = []
    offset = 0
    for part in parts:
        if type(part) is not ir.TextPart:
            continue
        for c in part.citations or ():
            start = offset + (c.start if c.start is not None else 0)
            end = offset + (c.end if c.end is not None else len(part.text))
            fields = {"url": c.url, "title": c.title or c.url, "start_index": start, "end_index": end}
            out.append(
                {"type": "url_citation", "url_citation": fields}
                if nested
                else {"type": "url_citation", **fields}
            )
        offset += len(part.text)
    return out
