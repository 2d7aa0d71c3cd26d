"""The streamed answer as Markdown: lines drawn off screen, in a scroll view that follows the end.

Why lines: a Markdown widget on the main screen changes height with each write, and each height
change lays out the whole screen and repaints every scroll view's scrollbars (20-50 ms a frame,
which a key press waited behind). The Markdown is written into a screen that is never shown (the
drawing room, answer_drawing.py), laid out there and drawn into lines exactly as Textual draws it;
this view shows the lines (Line API) and only repaints itself when they change, with no layout of
the screen (but the one that shows or hides its scrollbar).

The answer is a column of segments (answer_segments.py): the tail is the live Markdown document
writes go to; a full segment keeps its source and height. Only what comes into view is drawn: the
tail's lines after each write while the view follows the end, the others' from their source when
the user scrolls to them (a blank line for a frame or two). When the width or the theme changes,
the segments are measured again, nearest the view first (until then they keep their old height and
their lines show cut or padded).

Short answers are drawn once more as a whole at the end (the incremental parser's safety net, as
oterm does). The view follows the end until the user scrolls up, and again once they scroll back to
the bottom. Markdown (and markdown-it) is imported with the first answer, off the start-up path.
Must not import httpx2.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip

from ..textual_compat import show_height
from .answer_lines import highlighted, placeholder_lines, selected_text, with_offsets
from .answer_segments import AnswerPart, AnswerParts, cut_chunk, estimated_height

if TYPE_CHECKING:
    from textual import events

    from .answer_drawing import DrawingRoom

#: Up to this size the finished answer is re-rendered as one document.
WHOLE_RENDER_CHARS = 40_000
#: Cells left blank on each side of the answer (what the Markdown widgets' margin used to be).
_SIDE = 1
#: Roughly the most lines a view shows (the painted-lines cache is cleared past four times this).
_PAINTED_LINES = 200


class AnswerView(ScrollView, can_focus=True):
    COMPONENT_CLASSES: ClassVar[set[str]] = {"answer-view--placeholder"}
    DEFAULT_CSS = """
    AnswerView { height: 1fr; overflow-x: hidden; overflow-y: auto; }
    AnswerView > .answer-view--placeholder { color: $text-muted; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._room: DrawingRoom | None = None
        self._begun = False
        self._parts = AnswerParts()
        self._tail_fences = 0
        self._following = True
        #: The (width, theme) the answer is measured and drawn in.
        self._look: tuple[int, str] = (0, "")
        self._drawing = False
        self._redrawing = False
        self._frame: tuple[int, Style, list[Strip]] = (0, Style(), [])  # the width, background, hint
        #: Lines as last painted, by answer line: (the drawn line, (width, style), the painted line).
        self._painted: dict[int, tuple[Strip, tuple[int, Style], Strip]] = {}
        # begin/write/finish and each drawing step use the room and change the parts: one at a time.
        self._lock = asyncio.Lock()

    def on_mount(self) -> None:
        super().on_mount()  # type: ignore[no-untyped-call]  # Textual leaves it unannotated
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._look_changed())

    # What is on screen -------------------------------------------------------------------------

    @property
    def source(self) -> str:
        """The Markdown source of the answer (all segments)."""
        return self._parts.source

    @property
    def segment_sources(self) -> list[str]:
        """Each segment's source, in order (the last one is the tail)."""
        return [part.source for part in self._parts.parts if part.source]

    @property
    def line_count(self) -> int:
        return self._parts.height

    def visible_text(self) -> list[str]:
        """The answer's lines in the view, as text (without the side margins); blank while drawing."""
        top = self.scroll_offset.y
        return [self._answer_line(top + y).text for y in range(self.scrollable_content_region.height)]

    def _answer_line(self, y: int) -> Strip:
        """Answer line `y` as last drawn (blank when it never was); a line in view that needs
        drawing is drawn after this frame."""
        parts = self._parts
        if not 0 <= y < parts.height:
            return Strip.blank(0)
        index = parts.part_at(y)
        part = parts.parts[index]
        offset = y - parts.start_of(index)
        if part.needs_drawing(self._look, offset, offset + 1):
            self._draw_soon()
        line = part.lines.get(offset) if part.lines is not None else None
        return line if line is not None else Strip.blank(0)

    def render_lines(self, crop: Region) -> list[Strip]:
        # Worked out once a frame, not once a line (rich_style walks the ancestors; the hint is a render).
        hint = (
            [] if self._begun else placeholder_lines(self, self.scrollable_content_region.width, crop.bottom)
        )
        self._frame = (self.scrollable_content_region.width, Style(bgcolor=self.rich_style.bgcolor), hint)
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width, style, hint = self._frame
        if not self._begun:
            return hint[y]
        index = self.scroll_offset.y + y
        if index >= self._parts.height:
            return Strip.blank(width, style)
        line = self._answer_line(index)
        # Following the end scrolls on every write, so every line in view is painted again: the
        # same line with the same margins is kept (until its segment is drawn again).
        selection = self.text_selection
        span = selection.get_span(index) if selection is not None else None
        kept = self._painted.get(index)
        if span is None and kept is not None and kept[0] is line and kept[1] == (width, style):
            return kept[2]
        text = with_offsets(line.crop_extend(0, max(width - 2 * _SIDE, 0), style), index)
        if span is not None:
            text = highlighted(text, *span, self.screen.get_component_rich_style("screen--selection"))
        # Background only, as the Markdown's own padding is drawn: the same runs as on screen before.
        side = Strip.blank(_SIDE, style)
        painted = Strip.join([side, text, side]).crop(0, width)
        if span is None:
            if len(self._painted) > 4 * _PAINTED_LINES:
                self._painted.clear()
            self._painted[index] = (line, (width, style), painted)
        return painted

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The text under a mouse selection (answer_lines.selected_text says which)."""
        return selected_text(self._parts, selection, self._answer_line)

    def selection_updated(self, selection: Selection | None) -> None:
        self.refresh()

    # Writing -----------------------------------------------------------------------------------

    async def prepare(self) -> None:
        """Open the drawing room (Markdown and markdown-it load) before the first answer needs
        it: the start-up's warm-up calls this, so the first text of the first answer does not wait
        ~100-300 ms for it."""
        async with self._lock:
            await self._open_room()

    async def begin(self) -> None:
        """Clear the previous answer and get ready for a new one."""
        async with self._lock:
            room = await self._open_room()
            self._parts.clear()
            await room.start_tail("")
            self._parts.add(AnswerPart("", 0, self._look))
            self._tail_fences = 0
            self._begun = True
            self.anchor()
            self._following = True
            self._show()

    async def write(self, chunk: str) -> None:
        """Append text, starting new segments when the tail is full; draws what is in view."""
        if not chunk:
            return
        async with self._lock:
            room = await self._open_room()
            if not self._parts.parts:
                self._parts.add(AnswerPart("", 0, self._look))
            self._begun = True
            first, *pieces = cut_chunk(chunk, len(self._parts.parts[-1].source), self._tail_fences)
            tail = len(self._parts) - 1
            part = self._parts.parts[tail]
            # When the tail fills up and the rest of the write fills the view on its own, the
            # tail's end is not seen now: it is kept as source with an estimated height, as the
            # segments passed over are, rather than laid out (10-35 ms a write of a fast stream,
            # for lines nobody sees).
            tail_passed = bool(pieces) and self._out_of_view(sum(map(len, pieces)))
            if tail_passed:
                part.source += first
                self._parts.set_height(tail, estimated_height(part.source, self._look[0]), None)
            else:
                height = await room.append_tail(first)
                part.source += first
                self._parts.set_height(tail, height, self._look)
            part.fresh = False
            if pieces and not tail_passed:
                self._keep_tail_bottom(room)
            self._tail_fences += first.count("```")
            if pieces:
                *passed, last = pieces
                # The segments a write passes over are kept as source with an estimated height:
                # laying each out (~8 ms) for lines nobody sees held a fast stream's answer still
                # for 0.4-0.7 s a write. They are measured when they come into view, or after
                # the stream (`finish`), nearest the view first.
                for piece in passed:
                    self._parts.add(AnswerPart(piece, estimated_height(piece, self._look[0])))
                # Whatever else is waiting runs first (a key press among them).
                await asyncio.sleep(0)
                height = await room.start_tail(last)
                self._parts.add(AnswerPart(last, height, self._look))
                self._tail_fences = last.count("```")
            await asyncio.sleep(0)
            await self._draw_in_view()
            self._show()

    async def finish(self, text: str) -> None:
        """Draw `text` again as one document when it is small enough; otherwise measure the
        segments the stream passed over (in the background, nearest the view first)."""
        if len(text) > WHOLE_RENDER_CHARS:
            self._measure_later()
            return
        async with self._lock:
            room = await self._open_room()
            height = await room.start_tail(text)  # the old lines show until the new ones are in
            self._parts.clear()
            self._parts.add(AnswerPart(text, height, self._look))
            self._tail_fences = text.count("```")
            self._begun = True
            await self._draw_in_view()
            self._show()

    async def _open_room(self) -> DrawingRoom:
        if self._room is None:
            from .answer_drawing import DrawingRoom

            self._room = await DrawingRoom.open(self.app)
        look = self._current_look()
        if look != self._look:
            self._look = look
            self._room.set_look(look[0], self.background_colors[1])
            if self._parts.parts:  # the tail is drawn from its live document: lay it out anew now
                self._parts.set_height(len(self._parts) - 1, self._room.measure(self._room.tail), look)
        return self._room

    def _current_look(self) -> tuple[int, str]:
        width = self.scrollable_content_region.width - 2 * _SIDE
        if width <= 0:  # not on screen (another tab, a narrow layout): keep what it was drawn at
            width = self._look[0] or max(self.app.size.width // 2, 20)
        return width, self.app.theme

    # Drawing what is in view -------------------------------------------------------------------

    async def _draw_in_view(self) -> None:
        """Draw the lines in view (and a view's height around them, for scrolling) that are not
        drawn in the current look: the tail's from its live document, the others' from their
        source. Called with the lock held."""
        room = self._room
        if room is None:
            return
        view = max(self.scrollable_content_region.height, 1)
        # Where the view will be once shown: at the end while following (the scroll itself only
        # moves in _show, once the new height is set).
        top = max(self._parts.height - view, 0) if self._following else round(self.scroll_y)
        last = len(self._parts) - 1
        for index in self._parts.parts_between(top, top + view):
            part = self._parts.parts[index]
            start = self._parts.start_of(index)
            first, end = max(top - start, 0), min(top + view - start, part.height)
            if not part.needs_drawing(self._look, first, end):
                continue
            first, end = max(first - view, 0), min(end + view, part.height)
            if index == last:
                lines = room.draw(room.tail, first, end)
            else:
                height, lines = await room.draw_source(part.source, first, end)
                self._set_height(index, height)  # measured in an older look, until now
            # A drawing never comes back short of what was asked (or the view would ask again).
            lines += [Strip.blank(0)] * (min(end, part.height) - first - len(lines))
            self._parts.set_lines(index, first, lines, self._look)

    def _out_of_view(self, still_to_come: int) -> bool:
        """Whether the text still to come in this write fills the view on its own while following
        the end (a line holds at most the width), so nothing before it is in view afterwards."""
        view = max(self.scrollable_content_region.height, 1)
        return self._following and still_to_come >= view * self._look[0]

    def _keep_tail_bottom(self, room: DrawingRoom) -> None:
        """Before the tail document starts over: draw the bottom of the finished tail while it is
        still laid out (the only part of it that can be in view after this write, when following),
        rather than parse it again from its source for the next frame."""
        tail = len(self._parts) - 1
        part = self._parts.parts[tail]
        view = max(self.scrollable_content_region.height, 1)
        if not self._following or not part.height:
            return
        first = max(part.height - view, 0)
        self._parts.set_lines(tail, first, room.draw(room.tail, first, part.height), self._look)

    def _set_height(self, index: int, height: int) -> None:
        """A segment's new height; above the view, the lines in view stay where they are."""
        above = self._parts.start_of(index) < self.scroll_y
        change = self._parts.set_height(index, height, self._look)
        if change and above and not self._following:
            self.scroll_target_y = self.scroll_y = self.scroll_y + change

    def _draw_soon(self) -> None:
        """A line in view has no drawing: draw after this frame (render_line cannot wait)."""
        if not self._drawing:
            self._drawing = True
            self.call_later(self._draw_pending)

    async def _draw_pending(self) -> None:
        try:
            async with self._lock:
                await self._open_room()
                await self._draw_in_view()
        finally:
            self._drawing = False
        self._show()

    def _show(self) -> None:
        """Show the current lines, following the end unless the user scrolled."""
        show_height(self, Size(self.scrollable_content_region.width, self._parts.height), self._following)

    # Following the end -------------------------------------------------------------------------

    def release_anchor(self) -> None:
        """The user scrolled: stop following the end (Textual calls this for user scrolls)."""
        super().release_anchor()
        self._following = False

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if not self._following and self._begun and new_value >= self.max_scroll_y > 0:
            self._following = True  # back at the bottom: follow again (the next write keeps it there)

    # Width and theme changes -------------------------------------------------------------------

    def on_resize(self, _event: events.Resize) -> None:
        self._look_changed()

    def watch_show_vertical_scrollbar(self, _shown: bool) -> None:
        # The scrollbar takes two cells of the width (no Resize: the view keeps its size).
        self.call_after_refresh(self._look_changed)

    def _look_changed(self) -> None:
        if self._begun and self._current_look() != self._look:
            self._measure_later()

    def _measure_later(self) -> None:
        """Measure (and draw what is in view of) every segment not measured in the current look."""
        if not self._redrawing:
            self._redrawing = True
            self.run_worker(self._remeasure(), group="answer-redraw", exit_on_error=False)

    async def _remeasure(self) -> None:
        """Measure every segment again in the current look, nearest the view first (what is in
        view is drawn too); a write may land between two steps. Starts over if the look changes
        again meanwhile. Until a segment is measured it keeps its old height."""
        try:
            while True:
                async with self._lock:
                    room = await self._open_room()
                    look = self._look
                    tail = len(self._parts) - 1
                    if tail >= 0:
                        self._parts.set_height(tail, room.measure(room.tail), look)
                    await self._draw_in_view()
                    self._show()
                while (index := self._next_unmeasured(look)) is not None:
                    async with self._lock:
                        if self._current_look() != look or index >= len(self._parts):
                            break
                        height = await room.measure_source(self._parts.parts[index].source)
                        self._set_height(index, height)
                        await self._draw_in_view()
                        self._show()
                if self._current_look() == look:
                    return
        finally:
            self._redrawing = False

    def _next_unmeasured(self, look: tuple[int, str]) -> int | None:
        """The segment measured in another look that is nearest the top of the view."""
        parts = self._parts.parts
        here = self._parts.part_at(round(self.scroll_y))
        for distance in range(len(parts)):
            for index in (here + distance, here - distance - 1):
                if 0 <= index < len(parts) and parts[index].look != look:
                    return index
        return None
