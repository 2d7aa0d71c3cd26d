"""Web citations (answers grounded by a hosted web search) between the IR and each format: Anthropic
text-block `citations` (`web_search_result_location`), OpenAI Chat `message.annotations` and
Responses `output_text.annotations` (`url_citation`, with character indexes). Other kinds of
citation (document locations, file citations) are named as dropped. No I/O; standard library only.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from ... import ir
from .losses import warn_once


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


def gemini_grounding(
    metadata: Any, parts: list[ir.Part], warnings: list[str], wire_texts: list[int] | None = None
) -> None:
    """A candidate's `groundingMetadata` (Google Search grounding) as citations on its text parts:
    each grounding support cites its web chunks for a segment given in UTF-8 byte offsets within
    the part `partIndex` (an index into Content.parts; `wire_texts` lists those of the text parts)."""
    if not isinstance(metadata, dict):
        return
    texts = [p for p in parts if type(p) is ir.TextPart]
    chunks = metadata.get("groundingChunks") or metadata.get("grounding_chunks") or []
    chunks = chunks if isinstance(chunks, list) else []
    supports = metadata.get("groundingSupports") or metadata.get("grounding_supports") or []
    for support in supports if isinstance(supports, list) and texts else ():
        if not isinstance(support, dict):
            continue
        segment = support.get("segment")
        indices = support.get("groundingChunkIndices", support.get("grounding_chunk_indices"))
        if not isinstance(segment, dict) or not isinstance(indices, list):
            continue
        where = segment.get("partIndex", segment.get("part_index"))
        if wire_texts is not None and type(where) is int:
            where = wire_texts.index(where) if where in wire_texts else 0
        part = texts[where] if type(where) is int and 0 <= where < len(texts) else texts[0]
        raw = part.text.encode("utf-8", "surrogatepass")
        start_byte = _int(segment.get("startIndex", segment.get("start_index"))) or 0
        end_byte = _int(segment.get("endIndex", segment.get("end_index")))
        start = len(raw[:start_byte].decode(errors="ignore"))
        end = len(raw[: len(raw) if end_byte is None else end_byte].decode(errors="ignore"))
        for index in indices:
            chunk = chunks[index] if type(index) is int and 0 <= index < len(chunks) else None
            web = chunk.get("web") if isinstance(chunk, dict) else None
            if not isinstance(web, dict) or _str(web.get("uri")) is None:
                continue
            title, cited = _str(web.get("title")), _str(segment.get("text"))
            citation = ir.Citation(web["uri"], title, cited, start, end)
            part.citations = [*(part.citations or []), citation]
    for key in metadata:
        if key not in _GROUNDING_READ:
            warn_once(warnings, f"groundingMetadata.{key}: no neutral equivalent; dropped")


#: What `gemini_grounding` and the Gemini adapter's web searches (gemini/hosted.py) read.
_GROUNDING_READ = frozenset(
    {"groundingChunks", "grounding_chunks", "groundingSupports", "grounding_supports"}
    | {"webSearchQueries", "web_search_queries"}
)


def cited_spans(part: ir.TextPart) -> list[tuple[str, list[ir.Citation] | None]]:
    """The text cut at its citations' spans, each piece with exactly the citations covering it (as
    whole-piece citations), for formats whose citations cite a whole text block (Anthropic)."""
    text, citations = part.text, part.citations or []
    size = len(text)
    if all(c.start is None or (c.start <= 0 and (c.end is None or c.end >= size)) for c in citations):
        return [(text, [_whole(c) for c in citations] or None)]
    cuts = {0, size}
    for c in citations:
        cuts.update(min(max(i, 0), size) for i in (c.start, c.end) if i is not None)
    edges = sorted(cuts)
    pieces: list[tuple[str, list[ir.Citation] | None]] = []
    for a, b in pairwise(edges):
        covering = [
            _whole(c)
            for c in citations
            if (c.start is None or c.start <= a) and (b <= (size if c.end is None else c.end))
        ]
        if pieces and pieces[-1][1] is None and not covering:
            pieces[-1] = (pieces[-1][0] + text[a:b], None)
        else:
            pieces.append((text[a:b], covering or None))
    return pieces


def _whole(c: ir.Citation) -> ir.Citation:
    return (
        c if c.start is None and c.end is None else ir.Citation(c.url, c.title, c.cited_text, opaque=c.opaque)
    )
