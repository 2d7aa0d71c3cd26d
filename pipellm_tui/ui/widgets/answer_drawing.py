"""Markdown drawn into lines off screen, for the answer view: the "drawing room".

Why: a Markdown widget on the main screen changes height with every write, and every height change
makes Textual lay out the whole screen (~130 widgets) and repaint every scroll view's scrollbars
(the editor, the JSON views, the inputs), so a frame cost 20-50 ms at 25 writes a second and a key
press waited behind it. Here the answer's Markdown lives on a screen of its own that is never shown;
it is laid out by hand at the answer's width (a handful of widgets) and drawn into lines (Strips)
exactly as Textual draws a Markdown widget. The answer view shows those lines, and the main screen
lays nothing out for a write.

Two documents live in the room: the tail (the segment being written, or a short answer drawn whole
at the end) and a scratch one (a finished segment measured or drawn again from its source: when it
comes back into view, or at a new width or in a new theme).

Uses Textual internals, through ui/textual_compat.py (which says why each is needed; Textual is
pinned in pyproject.toml, and tests/ui/test_answer_view.py compares the lines with a Markdown
widget's on screen, style for style, and fails if they change): a compositor of its own, a screen
started and laid out without being shown, and Markdown's parse state (`_Document.restart`).
Imported with the first answer, off the start-up path. Must not import httpx2.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.color import Color
from textual.containers import Vertical
from textual.geometry import Region, Size
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Markdown

from ..textual_compat import Compositor, forget_markdown, lay_out_unshown, mount_unshown


def capture_lines(widget: Widget, top: int = 0, bottom: int | None = None) -> list[Strip] | None:
    """Lines `top` to `bottom` of `widget` and its children, drawn at the size its screen gave it,
    or None when its screen's layout does not match its content (drawing would use stale sizes).

    Drawing goes through the widgets' own `render_lines`, which read their sizes from their screen's
    layout, so the layout drawn here (a compositor of its own, rooted at `widget`) must agree. Only
    the widgets with a line in the range are drawn, back to front, each over what is behind it."""
    size = widget.region.size
    if not size.width:
        return None
    compositor = Compositor()
    compositor.reflow(widget, size)
    for child, geometry in compositor.full_map.items():
        if child.region.size != geometry.region.size:
            return None
    bottom = size.height if bottom is None else min(bottom, size.height)
    if bottom <= top:
        return []
    crop = Region(0, top, size.width, bottom - top)
    lines = [Strip.blank(size.width) for _ in range(crop.height)]
    for child, (region, clip) in reversed(list(compositor.visible_widgets.items())):
        shown = region.intersection(clip).intersection(crop)
        if not shown:
            continue
        strips = child.render_lines(shown.translate((-region.x, -region.y)))
        x, right = shown.x, shown.right
        for y, strip in enumerate(strips, shown.y - top):
            behind = lines[y]
            lines[y] = Strip.join([behind.crop(0, x), strip, behind.crop(right, size.width)])
    return lines


class _Document(Markdown):
    """A Markdown document that can start over cheaply, for each new segment. `Markdown.update`
    parses in a worker thread and mounts every block anew, and each of those waits for the event
    loop to come round (behind frames and the stream) several times. Here the last block stays and
    takes the new source's first block in place, as an append does; the others go."""

    async def restart(self, source: str) -> None:
        async with self.lock:
            blocks = list(self.children)
            gone = blocks if not source else blocks[:-1]
            if gone:
                await self.remove_children(gone)
            forget_markdown(self)
        if source:
            await self.append(source)


class DrawingRoom(Screen[None]):
    """A screen that is never shown, holding the Markdown documents that are drawn into lines."""

    DEFAULT_CSS = """
    DrawingRoom { layout: vertical; overflow: hidden hidden; background: transparent; }
    DrawingRoom > #drawing-box { width: 40; height: auto; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.width = 40
        self.background = Color(0, 0, 0, 0)

    def compose(self) -> ComposeResult:
        with Vertical(id="drawing-box"):
            yield _Document(id="drawing-tail")
            yield _Document(id="drawing-scratch")

    @classmethod
    async def open(cls, app: App[object]) -> DrawingRoom:
        room = cls()
        await mount_unshown(app, room)
        return room

    @property
    def tail(self) -> _Document:
        return self.query_one("#drawing-tail", _Document)

    @property
    def scratch(self) -> _Document:
        return self.query_one("#drawing-scratch", _Document)

    def set_look(self, width: int, background: Color) -> None:
        """Draw at `width` cells on `background` (the answer view's own background, so the lines
        look as the Markdown would on the main screen)."""
        self.width = max(width, 1)
        self.background = background
        box = self.query_one("#drawing-box", Vertical)
        box.styles.width = self.width
        box.styles.background = background

    async def start_tail(self, source: str) -> int:
        """A new tail document holding `source`; its height in lines."""
        await self.tail.restart(source)
        return self.measure(self.tail)

    async def append_tail(self, text: str) -> int:
        """`text` added to the tail document; its height in lines."""
        await self.tail.append(text)
        return self.measure(self.tail)

    async def measure_source(self, source: str) -> int:
        """The height of `source` as a document of its own (the tail is left as it is)."""
        await self._load_scratch(source)
        return self.measure(self.scratch)

    async def draw_source(
        self, source: str, top: int = 0, bottom: int | None = None
    ) -> tuple[int, list[Strip]]:
        """`source` as a document of its own (the tail stays): its height, and lines `top` to `bottom`."""
        await self._load_scratch(source)
        height = self.measure(self.scratch)
        return height, self.draw(self.scratch, top, bottom)

    async def _load_scratch(self, source: str) -> None:
        if self.scratch.source != source or not source:
            await self.scratch.restart(source)

    def measure(self, markdown: Markdown) -> int:
        """Lay the room out at its width (by hand: the room is never shown); `markdown`'s height."""
        if not markdown.source:
            return 0
        changed = (*markdown.walk_children(Widget, with_self=True), *markdown.ancestors)
        lay_out_unshown(self, Size(self.width, 1), (w for w in changed if isinstance(w, Widget)))
        return markdown.region.height

    def draw(self, markdown: Markdown, top: int = 0, bottom: int | None = None) -> list[Strip]:
        """Lines `top` to `bottom` of `markdown`, as laid out by the last `measure`."""
        if not markdown.source:
            return []
        lines = capture_lines(markdown, top, bottom)
        if lines is None:  # laid out for other content: measure first, then draw
            self.measure(markdown)
            lines = capture_lines(markdown, top, bottom) or []
        return lines
