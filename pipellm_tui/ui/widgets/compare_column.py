"""One column of the compare screen: a target's title, its facts, its timing strip, its answer.

The answer is plain text in a line-based scroll view (`StreamedText`), not Markdown: four answers
stream at once, and wrapping plain text is cheap enough to keep up with all of them. Wrapping is
incremental: a write re-wraps only the last row and what was added (greedy wrapping is left to
right, so the earlier rows stay as they are); a new width re-wraps everything once.

The column renders a `TargetRun` (playground/compare.py); it never reads the network.
Must not import httpx2.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Sparkline, Static

from ...playground import compare_report as report
from ..textual_compat import show_height

if TYPE_CHECKING:
    from textual import events

    from ...playground.compare import TargetRun

#: The timing strip is drawn again at most this often (its Sparkline walks every gap).
STRIP_EVERY = 4


def wrap_rows(text: str, width: int) -> list[str]:
    """`text` (one line, no newline) cut into rows of at most `width` characters, at spaces when
    a row has one (a word longer than the row is cut)."""
    rows: list[str] = []
    while len(text) > width:
        cut = text.rfind(" ", 0, width + 1)
        if cut <= 0:
            rows.append(text[:width])
            text = text[width:]
        else:
            rows.append(text[:cut])
            text = text[cut + 1 :]
    rows.append(text)
    return rows


class StreamedText(ScrollView, can_focus=True):
    """Plain text that grows at the end, wrapped to the view's width, following the end."""

    # The scrollbar is always there: one appearing mid-stream lays out the whole screen (~80 ms).
    DEFAULT_CSS = "StreamedText { height: 1fr; overflow-x: hidden; overflow-y: scroll; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text: list[str] = []
        #: Wrapped rows; the last one is still growing.
        self._rows: list[str] = [""]
        self._width = 0
        self._following = True
        self._frame: tuple[int, Style] = (0, Style())
        #: Rows as last painted: (the row's text, (width, style), the painted line).
        self._painted: dict[int, tuple[str, tuple[int, Style], Strip]] = {}

    @property
    def text(self) -> str:
        return "".join(self._text)

    @property
    def rows(self) -> list[str]:
        return self._rows

    def clear(self) -> None:
        self._text, self._rows = [], [""]
        self._following = True
        self._show()

    def write(self, chunk: str) -> None:
        if not chunk:
            return
        self._text.append(chunk)
        self._add(chunk)
        self._show()

    def _add(self, chunk: str) -> None:
        width = max(self._width, 1)
        lines = chunk.split("\n")
        rows = self._rows
        for number, line in enumerate(lines):
            if number:
                rows.append("")
            tail = rows.pop() + line
            rows.extend(wrap_rows(tail, width) if len(tail) > width else (tail,))

    def _rewrap(self) -> None:
        self._rows = [""]
        self._add("".join(self._text))

    def on_resize(self, event: events.Resize) -> None:
        width = self.scrollable_content_region.width
        if width and width != self._width:
            self._width = width
            self._rewrap()
            self._show()

    def _show(self) -> None:
        """The new height, without a layout of the screen (four columns each ask 20 times a second)."""
        show_height(self, Size(self._width, len(self._rows)), self._following)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        # Scrolled up by the user: stop following; back at the bottom: follow again.
        self._following = new_value >= self.max_scroll_y

    def render_lines(self, crop: Region) -> list[Strip]:
        # What every line of this frame shares, worked out once (rich_style walks the ancestors).
        self._frame = (self.scrollable_content_region.width, Style(bgcolor=self.rich_style.bgcolor))
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width, style = self._frame
        if index >= len(self._rows):
            return Strip.blank(width, style)
        row = self._rows[index]
        kept = self._painted.get(index)
        if kept is not None and kept[0] is row and kept[1] == self._frame:
            return kept[2]
        strip = Strip([Segment(row, style)], len(row)).crop_extend(0, width, style)
        if len(self._painted) > 400:
            self._painted.clear()
        self._painted[index] = (row, self._frame, strip)
        return strip


def facts_text(run: TargetRun) -> str:
    """The column's facts, short enough for a narrow column: state, status and the normalised stop
    reason (the format's own word is in the report); TTFT and total; tokens/s and usage; cost. Or
    the error, or why it was not sent."""
    lines = [run.state if run.status is None else f"{run.state} {run.status}"]
    if run.stop_reason is not None:
        lines[0] += f" · {run.stop_reason.value}"
    if run.state == "not sent" and run.payload.problem:
        return "\n".join([*lines, run.payload.problem])
    timing = []
    if run.ttft is not None:
        timing.append(f"TTFT {run.ttft * 1000:.0f} ms")
    if run.total is not None:
        timing.append(f"total {run.total:.2f} s")
    lines.append(" · ".join(timing))
    tokens = [f"{run.tokens_per_second:.0f} tok/s"] if run.tokens_per_second is not None else []
    if run.usage is not None:
        tokens.append(f"{run.usage.input_tokens}→{run.usage.output_tokens} tokens")
    lines.append(" · ".join(tokens))
    if run.error is not None:
        lines.append(f"error: {run.error.message}")
    elif run.cost is not None:
        lines.append(f"${run.cost:.6f}")
    return "\n".join(lines)


class CompareColumn(Vertical):
    """A target's column. `show(run)` brings it up to date; it writes only what is new."""

    DEFAULT_CSS = """
    CompareColumn { width: 1fr; height: 1fr; border: round $panel-lighten-2; border-title-style: bold; }
    CompareColumn:focus-within { border: round $accent; }
    CompareColumn.-failed { border: round $error; }
    CompareColumn > .compare-facts { height: 4; color: $text-muted; }
    CompareColumn > Sparkline { height: 1; }
    CompareColumn > .compare-stalls { height: 1; color: $warning; }
    """

    def __init__(self, title: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = title
        self._run: TargetRun | None = None
        self._written = 0
        self._version = -1
        self._strip_tick = 0
        self._shown: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Static("waiting", classes="compare-facts", markup=False)
        yield Sparkline([], summary_function=max)
        yield Static("", classes="compare-stalls", markup=False)
        yield StreamedText()

    @property
    def answer(self) -> StreamedText:
        return self.query_one(StreamedText)

    def show(self, run: TargetRun, *, final: bool = False) -> None:
        if run is not self._run:  # a new round: start the answer again
            self._run, self._written, self._version = run, 0, -1
            self.answer.clear()
        if run.version == self._version and not final:
            return
        self._version = run.version
        chunks = run.chunks
        if len(chunks) > self._written:
            self.answer.write("".join(chunks[self._written :]))
            self._written = len(chunks)
        self._update(".compare-facts", facts_text(run))
        self.set_class(run.failed, "-failed")
        self._strip_tick += 1
        if final or run.finished or self._strip_tick % STRIP_EVERY == 0:
            self._draw_strip(run)

    def _draw_strip(self, run: TargetRun) -> None:
        gaps = report.gaps(run)
        self.query_one(Sparkline).data = [g * 1000 for g in gaps[1:]]
        stalls = report.stalls(run)
        note = ""
        if stalls:
            worst = max(gaps[i] for i in stalls)
            note = f"{len(stalls)} stall(s) over {report.STALL_SECONDS:.1f} s, worst {worst:.2f} s"
        self._update(".compare-stalls", note)

    def _update(self, selector: str, text: str) -> None:
        """Repaint a line of facts when it changed. Fixed heights: an update repaints the line, it
        does not lay out the screen again."""
        if self._shown.get(selector) != text:
            self._shown[selector] = text
            self.query_one(selector, Static).update(text, layout=False)
