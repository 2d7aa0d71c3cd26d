"""The answer as a column of segments: each one's Markdown source, its height in lines, and its drawn
lines while it is near the view.

Why heights and not lines: drawing a segment into lines costs about as much as Textual drawing it on
screen, and a 100,000-token answer is ~16,000 lines that nobody looks at while it streams. A segment
is measured (laid out) once, which gives the scroll its height, and drawn only when it comes into
view; the lines of the segments drawn last are kept (a few dozen at most, see `KEPT_DRAWINGS`), so
the collector never walks a whole answer of Strips.

Each height and drawing remembers the look (width, theme) it was made in: after a change, the answer
view measures and draws again, nearest the view first. No Textual widget here; must not import httpx2.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Hashable
from dataclasses import dataclass, field

from textual.strip import Strip

#: How many segments keep their drawn lines (a segment is ~100 lines at 40 cells).
KEPT_DRAWINGS = 24


@dataclass(eq=False)  # parts are told apart by identity: two segments may hold the same text
class AnswerPart:
    """One segment of the answer."""

    source: str
    height: int = 0
    #: The look the height was measured in (None: not measured yet).
    look: Hashable = None
    lines: list[Strip] | None = field(default=None, repr=False)
    #: The look the lines were drawn in.
    drawn_look: Hashable = None
    #: False once the source changed after the lines were drawn (they show until drawn again).
    fresh: bool = False

    def needs_drawing(self, look: Hashable) -> bool:
        return self.lines is None or self.drawn_look != look or not self.fresh


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

    def set_lines(self, index: int, lines: list[Strip], look: Hashable) -> None:
        part = self.parts[index]
        part.lines, part.drawn_look, part.fresh = lines, look, True
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
