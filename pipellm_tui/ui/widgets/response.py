"""The response: the answer streamed as Markdown, the raw SSE events, the final JSON, the headers.

Text deltas and raw events are buffered and flushed every ~40 ms (one widget update per flush, never
one per token: a Markdown write costs ~1.8 ms). The answer sits in an anchored scroll that follows the
end until the user scrolls up. When a request is cancelled, what arrived stays.
Must not import httpx2.
"""

from __future__ import annotations

import json
from typing import Any

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.lazy import Lazy
from textual.widgets import DataTable, Log, Static, TabbedContent, TabPane, TextArea

from ...protocols import ir
from ...protocols.sse import SSEEvent

if TYPE_CHECKING:
    from textual.widgets import Markdown
    from textual.widgets.markdown import MarkdownStream

PLACEHOLDER = "Send a request (ctrl+j) to see the answer here."

FLUSH_SECONDS = 0.04
#: Above this many characters the final JSON is shown without highlighting (tree-sitter slows down).
HIGHLIGHT_LIMIT = 200_000
MAX_EVENT_LINES = 5000


class HeadersTable(DataTable[str]):
    def on_mount(self) -> None:
        self.add_columns("header", "value")


class ResponsePane(Vertical):
    DEFAULT_CSS = """
    ResponsePane { height: 1fr; }
    ResponsePane TabbedContent { height: 1fr; }
    ResponsePane TabPane { padding: 0; }
    ResponsePane #answer-scroll { height: 1fr; }
    ResponsePane #answer { margin: 0 1; }
    ResponsePane Log, ResponsePane TextArea, ResponsePane DataTable { height: 1fr; border: none; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._parts: list[str] = []
        self._pending: list[str] = []
        self._pending_events: list[str] = []
        self._stream: MarkdownStream | None = None
        self._in_tool_call = False
        self._in_thinking = False
        self._flushing = False

    def compose(self) -> ComposeResult:
        with TabbedContent(id="response-tabs"):
            with TabPane("Answer", id="tab-answer"):
                # The Markdown widget (and markdown-it) loads with the first answer, off start-up.
                with VerticalScroll(id="answer-scroll"):
                    yield Static(PLACEHOLDER, id="answer-placeholder")
            with TabPane("Events", id="tab-events"):
                yield Lazy(Log(max_lines=MAX_EVENT_LINES, id="events"))
            with TabPane("JSON", id="tab-json"):
                yield Lazy(TextArea.code_editor("", language="json", read_only=True, id="final-json"))
            with TabPane("Headers", id="tab-headers"):
                yield Lazy(HeadersTable(id="headers", cursor_type="row", zebra_stripes=True))

    def on_mount(self) -> None:
        self.border_title = "Response"
        self.set_interval(FLUSH_SECONDS, self.flush)

    @property
    def answer_text(self) -> str:
        """Everything that arrived so far (flushed or not)."""
        return "".join(self._parts)

    @property
    def markdown(self) -> Markdown:
        from textual.widgets import Markdown

        return self.query_one("#answer", Markdown)

    async def _ensure_markdown(self) -> None:
        from textual.widgets import Markdown

        if not self.query("#answer"):
            await self.query_one("#answer-placeholder").remove()
            await self.query_one("#answer-scroll", VerticalScroll).mount(Markdown(id="answer"))

    async def begin(self) -> None:
        """Clear the previous answer and start a new stream."""
        from textual.widgets import Markdown

        await self._stop_stream()
        await self._ensure_markdown()
        self._parts.clear()
        self._pending.clear()
        self._pending_events.clear()
        self._in_tool_call = self._in_thinking = False
        await self.markdown.update("")
        self.query_one("#events", Log).clear()
        self.query_one("#final-json", TextArea).load_text("")
        self.query_one("#headers", DataTable).clear()
        scroll = self.query_one("#answer-scroll", VerticalScroll)
        scroll.anchor(False)
        scroll.scroll_home(animate=False, immediate=True)
        self._stream = Markdown.get_stream(self.markdown)
        self.border_subtitle = "sending…"

    def add_delta(self, event: ir.StreamEvent) -> None:
        """Queue a neutral stream event's visible text; cheap, so the stream loop stays fast."""
        if isinstance(event, (ir.TextDelta, ir.RefusalDelta)):
            self._close_block()
            self._queue(event.text)
        elif isinstance(event, ir.ThinkingDelta):
            if event.text:
                # Thinking shows as a quote, so it reads apart from the answer.
                if not self._in_thinking:
                    self._close_block()
                    self._queue("\n> *thinking* ")
                    self._in_thinking = True
                self._queue(event.text.replace("\n", "\n> "))
        elif isinstance(event, ir.ToolCallStart):
            self._close_block()
            self._queue(f"\n\n**Tool call** `{event.name}` (id `{event.id}`)\n```json\n")
            self._in_tool_call = True
        elif isinstance(event, ir.ToolCallDelta):
            self._queue(event.arguments)
        elif isinstance(event, ir.BlockStop):
            self._close_block()

    def _close_block(self) -> None:
        if self._in_tool_call:
            self._queue("\n```\n\n")
        elif self._in_thinking:
            self._queue("\n\n")
        self._in_tool_call = self._in_thinking = False

    def add_text(self, text: str) -> None:
        self._queue(text)

    def _queue(self, text: str) -> None:
        self._parts.append(text)
        self._pending.append(text)

    def add_raw(self, event: SSEEvent) -> None:
        name = f"{event.event}: " if event.event else ""
        self._pending_events.append(f"{name}{event.data}")

    async def flush(self) -> None:
        """Write what is pending: one Markdown write and one Log write per tick."""
        if self._flushing:
            return
        self._flushing = True
        try:
            if self._pending_events:
                lines, self._pending_events = self._pending_events, []
                self.query_one("#events", Log).write_lines(lines)
            if self._pending and self._stream is not None:
                chunk = "".join(self._pending)
                self._pending.clear()
                await self._stream.write(chunk)
                self.call_after_refresh(self._keep_short_answers_at_top)
        finally:
            self._flushing = False

    def _keep_short_answers_at_top(self) -> None:
        # An anchored scroll pins even a short answer to the bottom (chat style); this one reads
        # from the top, so it anchors only once the answer outgrows the view. From then on it
        # follows the end until the user scrolls up.
        scroll = self.query_one("#answer-scroll", VerticalScroll)
        if not scroll.is_anchored and scroll.virtual_size.height > scroll.size.height:
            scroll.anchor()

    def set_headers(self, status: int, headers: dict[str, str]) -> None:
        table = self.query_one("#headers", DataTable)
        table.clear()
        for name, value in sorted(headers.items()):
            table.add_row(name, value)
        self.border_subtitle = f"HTTP {status}"

    def set_final(self, body: Any) -> None:
        text = json.dumps(body, indent=2, ensure_ascii=False)
        area = self.query_one("#final-json", TextArea)
        area.language = "json" if len(text) <= HIGHLIGHT_LIMIT else None
        area.load_text(text)

    def set_error_body(self, raw: str) -> None:
        """An error's raw body goes in the JSON tab (pretty when it parses)."""
        try:
            self.set_final(json.loads(raw))
        except (json.JSONDecodeError, ValueError):
            area = self.query_one("#final-json", TextArea)
            area.language = None
            area.load_text(raw)

    async def finish(self, note: str | None = None) -> None:
        """End the stream: flush, stop, and render the whole text once (safety net for the
        incremental Markdown parser, as oterm does)."""
        await self._ensure_markdown()
        await self.flush()
        await self._stop_stream()
        self._close_block()
        self._pending.clear()
        text = self.answer_text
        if note:
            text = f"{text}\n\n*{note}*" if text else f"*{note}*"
        await self.markdown.update(text)
        self.call_after_refresh(self._keep_short_answers_at_top)
        if note:
            self.border_subtitle = note

    async def _stop_stream(self) -> None:
        if self._stream is not None:
            stream, self._stream = self._stream, None
            await stream.stop()

    def show_tab(self, tab_id: str) -> None:
        self.query_one("#response-tabs", TabbedContent).active = tab_id

    @property
    def active_tab(self) -> str:
        return self.query_one("#response-tabs", TabbedContent).active
