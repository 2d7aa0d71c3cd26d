"""Text cut at its citations' spans (shared/citations.py `cited_spans`): every piece carries exactly
the citations covering it, and joining the pieces gives the text back."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pipellm_tui.protocols import ir
from pipellm_tui.protocols.adapters.shared.citations import cited_spans, url_citations


def _cite(url: str, start: int | None, end: int | None) -> ir.Citation:
    return ir.Citation(url, start=start, end=end)


def test_overlapping_spans_give_each_piece_its_own_citations() -> None:
    part = ir.TextPart("abcdefgh", citations=[_cite("u1", 2, 6), _cite("u2", 4, 8)])
    pieces = [(text, [c.url for c in cited or []]) for text, cited in cited_spans(part)]
    assert pieces == [("ab", []), ("cd", ["u1"]), ("ef", ["u1", "u2"]), ("gh", ["u2"])]


def test_a_whole_part_citation_stays_one_piece() -> None:
    part = ir.TextPart("abc", citations=[_cite("u", None, None), _cite("v", 0, 3)])
    ((text, cited),) = cited_spans(part)
    assert text == "abc" and [(c.url, c.start, c.end) for c in cited or []] == [
        ("u", None, None),
        ("v", None, None),
    ]


@given(
    text=st.text(max_size=30),
    spans=st.lists(st.tuples(st.integers(-3, 35), st.integers(-3, 35)), max_size=4),
)
def test_pieces_join_to_the_text_and_cite_the_same_characters(
    text: str, spans: list[tuple[int, int]]
) -> None:
    citations = [_cite(f"u{n}", min(a, b), max(a, b)) for n, (a, b) in enumerate(spans)]
    part = ir.TextPart(text, citations=citations)
    pieces = cited_spans(part)
    assert "".join(piece for piece, _ in pieces) == text
    # Read back the way Chat and Responses read them: spans over the joined text.
    back = url_citations([ir.TextPart(piece, citations=cited) for piece, cited in pieces], nested=False)
    covered = {(c["url"], i) for c in back for i in range(c["start_index"], c["end_index"])}
    size = len(text)
    wanted = {(c.url, i) for c in citations for i in range(max(c.start or 0, 0), min(c.end or 0, size))}
    assert covered == wanted
