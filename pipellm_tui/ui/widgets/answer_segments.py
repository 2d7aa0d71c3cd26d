"""The answer as a column of segments: where a chunk of text is cut into segments, and each segment's
Markdown source, its height in lines and its drawn lines while it is near the view.

Why segments: Textual re-wraps a whole Markdown paragraph on every append, so a long answer with no
paragraph breaks would cost O(n) per write and O(n²) in all. The answer is written as a chain of
Markdown documents of a few thousand characters each, cut at a paragraph, sentence or word boundary
and never inside a code fence.

Why heights and not lines: drawing a segment into lines costs about as much as Textual drawing it on
screen, and a 100,000-token answer is ~16,000 lines that nobody looks at while it streams. A segment
is measured (laid out) once, which gives the scroll its height, and drawn only when it comes into
view; the lines of the segments drawn last are kept (a few dozen at most, see `KEPT_DRAWINGS`), so
the collector never walks a whole answer of Strips.

Each height and drawing remembers the look (width, theme) it was made in: after a change, the answer
view measures and draws again, nearest the view first. No Textual widget here; must not import httpx2.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Hashable
from dataclasses import dataclass, field

from textual.strip import Strip

SEGMENT_CHARS = 3000
_SENTENCE_END = re.compile(r"[.!?]\s")
#: How many segments keep their drawn lines (a segment is ~85 lines at 40 cells).
KEPT_DRAWINGS = 24


def split_point(text: str, room: int) -> int:
    """Where to cut `text` so the first part fits in `room` characters if a boundary allows:
    after the last paragraph break, else sentence end, else space; a hard cut when none exists."""
    window = text[: max(room, 1)]
    for finder in (
        lambda w: w.rfind("\n\n") + 2 if "\n\n" in w else -1,
        _last_sentence_end,
        lambda w: w.rfind(" ") + 1 if " " in w else -1,
    ):
        cut = finder(window)
        if cut > 0:
            return cut
    # No boundary inside the room: take the first sentence end (or space) after it, so a word is
    # never split; a text with no boundary at all is cut where the room ends.
    match = _SENTENCE_END.search(text, room)
    if match:
        return match.end()
    space = text.find(" ", room)
    return space + 1 if space >= 0 else max(room, 1)


def _last_sentence_end(window: str) -> int:
    last = -1
    for match in _SENTENCE_END.finditer(window):
        last = match.end()
    return last


def cut_chunk(chunk: str, chars: int, fences: int) -> list[str]:
    """`chunk` cut into what fills the tail segment (holding `chars` characters and `fences` code
    fence marks) and what starts each new segment."""
    pieces: list[str] = []
    while chunk:
        room = SEGMENT_CHARS - chars
        if len(chunk) <= room or fences % 2 == 1:  # never cut inside a code fence
            pieces.append(chunk)
            break
        cut = split_point(chunk, room)
        pieces.append(chunk[:cut])
        chunk = chunk[cut:]
        chars = fences = 0
    return pieces


def estimated_height(source: str, width: int) -> int:
    """About how many lines `source` takes as Markdown at `width` cells: its lines wrapped, a blank
    line between paragraphs (the scroll's height until the segment is measured)."""
    width = max(width, 1)
    return sum(-(-len(line) // width) if line else 1 for line in source.split("\n"))


@dataclass(eq=False)  # parts are told apart by identity: two segments may hold the same text
class AnswerPart:
    """One segment of the answer."""

    source: str
    height: int = 0
    #: The look the height was measured in (None: not measured yet).
    look: Hashable = None
    #: Drawn lines by line number in the segment (only those that came into view).
    lines: dict[int, Strip] | None = field(default=None, repr=False)
    #: The look the lines were drawn in.
    drawn_look: Hashable = None
    #: False once the source changed after the lines were drawn (they show until drawn again).
    fresh: bool = False

    def needs_drawing(self, look: Hashable, top: int = 0, bottom: int | None = None) -> bool:
        """Whether lines `top` to `bottom` lack a drawing in `look` of the current source."""
        if self.lines is None or self.drawn_look != look or not self.fresh:
            return True
        end = self.height if bottom is None else min(bottom, self.height)
        return any(y not in self.lines for y in range(max(top, 0), end))


class AnswerParts:
    """The segments, top to bottom, with where each starts; the last one is the tail being written."""

    def __init__(self) -> None:
        self.parts: list[AnswerPart] = []
        self._starts: list[int] = []
        self._height = 0
        self._drawn: list[AnswerPart] = []  # drawn parts, least recently drawn first

    def __len__(self) -> int:
        return len(self.parts)

    @property
    def height(self) -> int:
        return self._height

    @property
    def source(self) -> str:
        return "".join(part.source for part in self.parts)

    def clear(self) -> None:
        self.parts.clear()
        self._starts.clear()
        self._height = 0
        self._drawn.clear()

    def add(self, part: AnswerPart) -> None:
        self._starts.append(self._height)
        self.parts.append(part)
        self._height += part.height
        if part.lines is not None:
            self._kept(part)

    def set_height(self, index: int, height: int, look: Hashable) -> int:
        """Part `index` measured again; returns how many lines it grew by (negative: shrank)."""
        part = self.parts[index]
        change = height - part.height
        part.height, part.look = height, look
        if change:
            for later in range(index + 1, len(self._starts)):
                self._starts[later] += change
            self._height += change
        return change

    def set_lines(self, index: int, top: int, lines: list[Strip], look: Hashable) -> None:
        """Lines `top` onwards of part `index`, drawn in `look` from its current source."""
        part = self.parts[index]
        if part.lines is None or part.drawn_look != look or not part.fresh:
            part.lines = {}
        part.lines.update(enumerate(lines, top))
        part.drawn_look, part.fresh = look, True
        self._kept(part)

    def _kept(self, part: AnswerPart) -> None:
        if part in self._drawn:
            self._drawn.remove(part)
        self._drawn.append(part)
        while len(self._drawn) > KEPT_DRAWINGS:
            old = self._drawn.pop(0)
            old.lines = old.drawn_look = None
            old.fresh = False

    def start_of(self, index: int) -> int:
        return self._starts[index]

    def part_at(self, y: int) -> int:
        """The index of the part that holds line `y` (the nearest part when `y` is outside)."""
        return min(max(bisect_right(self._starts, y) - 1, 0), max(len(self.parts) - 1, 0))

    def parts_between(self, top: int, bottom: int) -> range:
        """Indexes of the parts with a line in [top, bottom)."""
        if not self.parts or bottom <= top:
            return range(0)
        return range(self.part_at(top), self.part_at(bottom - 1) + 1)
