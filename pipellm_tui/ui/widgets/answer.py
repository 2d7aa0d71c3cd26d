"""The streamed answer as Markdown, in segments, in a scroll that follows the end.

Why segments: Textual re-wraps a whole Markdown paragraph on every append, so a long answer with no
paragraph breaks would cost O(n) per write and O(n²) in all. The answer is written into a chain of
Markdown widgets of a few thousand characters each (cut at a paragraph, sentence or word boundary,
never inside a code fence), so each write re-renders one small segment. Short answers are rendered
once more as a whole at the end (the incremental parser's safety net, as oterm does).

The scroll anchors once the answer outgrows the view (an anchored scroll pins short content to the
bottom), then follows the end until the user scrolls up. Markdown (and markdown-it) is imported
with the first answer, off the start-up path.

Writes go through `Markdown.append`, awaited, rather than `Markdown.get_stream`: the response pane
already coalesces tokens into one write per 40 ms (what MarkdownStream would add), and an awaited
append leaves no background task that could write into a segment after it was removed.
Must not import httpx2.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from textual.containers import VerticalScroll
from textual.widgets import Static

if TYPE_CHECKING:
    from textual.widgets import Markdown

PLACEHOLDER = "Send a request (ctrl+j) to see the answer here."
SEGMENT_CHARS = 6000
#: Up to this size the finished answer is re-rendered as one document.
WHOLE_RENDER_CHARS = 40_000
_SENTENCE_END = re.compile(r"[.!?]\s")


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


class AnswerView(VerticalScroll):
    DEFAULT_CSS = """
    AnswerView { height: 1fr; }
    AnswerView > Markdown { margin: 0 1; }
    AnswerView > #answer-placeholder { padding: 1 2; color: $text-muted; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._segments: list[Markdown] = []
        self._segment_chars = 0
        self._segment_fences = 0

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(PLACEHOLDER, id="answer-placeholder")

    @property
    def source(self) -> str:
        """The Markdown source on screen (all segments)."""
        return "".join(segment.source for segment in self._segments)

    async def begin(self) -> None:
        await self.remove_children()
        self._segments.clear()
        await self._new_segment()
        self.anchor(False)
        self.scroll_home(animate=False, immediate=True)

    async def write(self, chunk: str) -> None:
        """Append text, starting new segments when the current one is full. A chunk that fills
        several segments mounts them together: each separate mount would cost a layout of the
        whole screen."""
        if not chunk:
            return
        if not self._segments:
            await self._new_segment()
        first, *pieces = self._pieces(chunk)
        await self._append(first)
        if pieces:
            from textual.widgets import Markdown

            segments = [Markdown(piece) for piece in pieces]
            self._segments.extend(segments)
            await self.mount_all(segments)
            self._segment_chars = len(pieces[-1])
            self._segment_fences = pieces[-1].count("```")
        self.call_after_refresh(self._follow)

    def _pieces(self, chunk: str) -> list[str]:
        """`chunk` cut into what fills the current segment and what starts each new one."""
        pieces: list[str] = []
        chars, fences = self._segment_chars, self._segment_fences
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

    async def finish(self, text: str) -> None:
        """Re-render `text` as one document when it is small enough."""
        if not self._segments:
            await self._new_segment()
        if len(text) <= WHOLE_RENDER_CHARS:
            if len(self._segments) > 1:
                await self.remove_children(self._segments[1:])
            del self._segments[1:]
            await self._segments[0].update(text)
        self.call_after_refresh(self._follow)

    async def _append(self, text: str) -> None:
        if not text:
            return
        await self._segments[-1].append(text)
        self._segment_chars += len(text)
        self._segment_fences += text.count("```")

    async def _new_segment(self) -> None:
        from textual.widgets import Markdown

        segment = Markdown()
        self._segments.append(segment)
        await self.mount(segment)
        self._segment_chars = self._segment_fences = 0

    def _follow(self) -> None:
        if not self.is_anchored and self.virtual_size.height > self.size.height:
            self.anchor()
