"""How the answer view's lines are painted and copied: the selection offsets Textual reads from a
line's styles, a selected run, the text under a mouse selection, and the hint before the first
answer. Kept apart from answer.py (the view: writing, drawing, following the end) so each reads in
one sitting. Must not import httpx2.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style
from textual.selection import Selection
from textual.strip import Strip

from ..textual_compat import has_meta

if TYPE_CHECKING:
    from textual.widget import Widget

    from .answer_segments import AnswerParts

PLACEHOLDER = "Send a request (ctrl+j) to see the answer here."


def with_offsets(line: Strip, y: int) -> Strip:
    """`line` with its text's selection offsets saying where it is in the answer: (column, line y).
    As drawn they say where it was in its Markdown block; runs without one (padding) keep none, so
    they still merge with the margins around them."""
    segments: list[Segment] = []
    x = 0
    for text, style, control in line:
        if style is not None and has_meta(style) and "offset" in style.meta:
            style = style + Style.from_meta({"offset": (x, y)})
        segments.append(Segment(text, style, control))
        x += len(text)
    return Strip(segments, line.cell_length)


def highlighted(line: Strip, start: int, end: int, over: Style) -> Strip:
    """`line` with cells `start` to `end` (-1: the end) in the selection's style."""
    end = line.cell_length if end == -1 else end
    chosen = Strip([Segment(t, s + over if s else over) for t, s, _ in line.crop(start, end)])
    return Strip.join([line.crop(0, start), chosen, line.crop(end)])


def selected_text(
    parts: AnswerParts, selection: Selection, answer_line: Callable[[int], Strip]
) -> tuple[str, str]:
    """The text under a mouse selection: the lines as drawn, or the whole Markdown source when
    everything is selected (most of a long answer is not drawn). A selection that reaches a
    segment whose lines are not drawn (scrolled past quickly, or dropped from the kept ones)
    copies the Markdown source of the segments it spans, so no text is lost to blank lines."""
    if selection.start is None and selection.end is None:
        return parts.source, "\n"
    first = selection.start.y if selection.start is not None else 0
    last = selection.end.y if selection.end is not None else parts.height - 1
    spanned = parts.parts_between(first, last + 1)
    if any(not _drawn(parts, index, first, last) for index in spanned):
        return "".join(parts.parts[index].source for index in spanned), "\n"
    lines = [answer_line(y).text.rstrip() for y in range(first, last + 1)]
    start = selection.start - (0, first) if selection.start is not None else None
    end = selection.end - (0, first) if selection.end is not None else None
    return textwrap.dedent(Selection(start, end).extract("\n".join(lines))), "\n"


def _drawn(parts: AnswerParts, index: int, first: int, last: int) -> bool:
    """Whether the lines of part `index` within answer lines first..last are drawn."""
    part = parts.parts[index]
    start = parts.start_of(index)
    top, bottom = max(first - start, 0), min(last + 1 - start, part.height)
    return part.lines is not None and all(y in part.lines for y in range(top, bottom))


def placeholder_lines(view: Widget, width: int, height: int) -> list[Strip]:
    """The `height` lines of a view before its first answer: the hint, muted, one blank line and two
    cells in, then blank lines."""
    from textual.content import Content
    from textual.visual import Visual

    style = view.rich_style
    blank = Strip.blank(width, style)
    lines = [blank]
    if width > 4:
        hint_style = view.get_visual_style("answer-view--placeholder")
        pad = Strip.blank(2, style)
        for line in Visual.to_strips(view, Content(PLACEHOLDER), width - 4, None, hint_style):
            lines.append(Strip.join([pad, line.extend_cell_length(width - 4, style), pad]))
    return (lines + [blank] * height)[:height]
