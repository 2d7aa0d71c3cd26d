"""The response: the answer streamed as Markdown, the raw SSE events, the final JSON, the headers.

Text deltas and raw events are buffered and flushed every ~40 ms (one widget update per flush, never
one per token: a Markdown write costs ~1.8 ms); the raw events only while their tab shows. The
answer sits in an anchored scroll that follows the end until the user scrolls up. When a request is
cancelled, what arrived stays. The hidden tabs' widgets (events log, JSON view, headers table) mount
with the first send or when their tab is first opened, not at start-up, where nothing would show in
them.
Must not import httpx2.
"""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING, Any, cast

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Log, TextArea

from ...playground.payload_views import shown_json
from ...protocols import ir
from ...protocols.sse import SSEEvent
from ..guard import guarded
from .answer import AnswerView
from .json_view import JsonView, json_view
from .tabs import TabbedPanes, TabPage

if TYPE_CHECKING:
    from .headers_table import HeadersTable

FLUSH_SECONDS = 0.04
#: What a tick writes into the answer at most (or a third of what waits, when more does): a fast
#: stream's 12,000 characters a tick cost ~45 ms, and a key pressed meanwhile waited for them.
#: Interleaved with the uncapped write, typing reached the screen at p90 46-51 ms instead of 51-78,
#: 100k tokens with keys pressed rendered at 26-28k tokens/s instead of 21k, no gap of the visible
#: stream over 100 ms (bench/stream_render.py, bench/visible_stream.py). A third of the backlog keeps
#: a slow machine from falling ever further behind the stream.
MAX_WRITE_CHARS = 6000
MAX_EVENT_LINES = 5000
#: An error body that is not JSON (an HTML page) is shown up to this many characters.
RAW_BODY_CHARS = 100_000


class ResponsePane(Vertical):
    #: F11 ("Maximize pane") gives this pane the whole screen.
    ALLOW_MAXIMIZE = True
    DEFAULT_CSS = """
    ResponsePane { height: 1fr; }
    ResponsePane Log, ResponsePane TextArea, ResponsePane DataTable { height: 1fr; border: none; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._parts: list[str] = []
        self._pending: list[str] = []
        self._pending_events: list[str] = []
        self._streaming = False
        self._in_tool_call = False
        self._in_thinking = False
        self._lock = asyncio.Lock()
        self._details_mounted = False
        self._details_lock = asyncio.Lock()

    def compose(self) -> ComposeResult:
        yield TabbedPanes(
            TabPage("Answer", AnswerView(id="answer-scroll"), id="tab-answer"),
            TabPage("Events", id="tab-events"),
            TabPage("JSON", id="tab-json"),
            TabPage("Headers", id="tab-headers"),
            id="response-tabs",
        )

    def on_mount(self) -> None:
        self.border_title = "Response"
        # A write that outlasts a tick is followed by the next tick time (textual_compat fixes
        # Textual's timers, which waited for the one after it).
        self.set_interval(FLUSH_SECONDS, self.flush)

    @property
    def answer_text(self) -> str:
        """Everything that arrived so far (flushed or not)."""
        return "".join(self._parts)

    @property
    def answer(self) -> AnswerView:
        return self.query_one(AnswerView)

    @property
    def headers_table(self) -> HeadersTable:
        return cast("HeadersTable", self.query_one("#headers"))

    async def mount_details(self) -> None:
        """Mount the events log, the JSON view and the headers table (once)."""
        async with self._details_lock:  # a tab opened and a send beginning may both ask
            if self._details_mounted:
                return
            tabs = self.query_one("#response-tabs", TabbedPanes)
            await tabs.get_pane("tab-events").mount(Log(max_lines=MAX_EVENT_LINES, id="events"))
            await tabs.get_pane("tab-json").mount(json_view("final-json"))
            from .headers_table import HeadersTable

            await tabs.get_pane("tab-headers").mount(
                HeadersTable(id="headers", cursor_type="row", zebra_stripes=True)
            )
            self._details_mounted = True

    @on(TabbedPanes.TabActivated, "#response-tabs")
    async def _tab_opened(self, event: TabbedPanes.TabActivated) -> None:
        if event.pane.id != "tab-answer":
            await self.mount_details()
        if event.pane.id == "tab-events":
            self._write_events()

    async def begin(self) -> None:
        """Clear the previous answer and start a new stream."""
        self._parts.clear()
        self._pending.clear()
        self._pending_events.clear()
        self._in_tool_call = self._in_thinking = False
        async with self._lock:  # never while a flush is writing into the old answer
            await self.answer.begin()
            self._streaming = True
        await self.mount_details()
        self.query_one("#events", Log).clear()
        self.query_one("#final-json", TextArea).load_text("")
        self.headers_table.clear()
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
        if not self._parts and self._streaming:
            # The answer's first text is written at once, not on the next tick.
            self.call_later(self.flush)
        self._parts.append(text)
        self._pending.append(text)

    def add_raw(self, event: SSEEvent) -> None:
        name = f"{event.event}: " if event.event else ""
        self._pending_events.append(f"{name}{event.data}")

    @guarded  # on a timer: what the server sent is drawn here
    async def flush(self) -> None:
        """Write what is pending (up to MAX_WRITE_CHARS): one Markdown write and one Log write per
        tick. A tick that finds the previous write (or a begin/finish) still running skips: the next
        one catches up. The end of the stream writes everything."""
        if self._lock.locked():
            return
        async with self._lock:
            # One write a tick. Writing again at once while more waits kept the answer moving
            # (bench/visible_stream.py gaps p90 59 ms instead of 124) but left the loop no room:
            # 100k tokens rendered at 16-18k tokens/s instead of 35k, and typing reached the
            # screen at p90 110 ms instead of 82 (bench/stream_render.py).
            await self._flush(MAX_WRITE_CHARS)

    async def _flush(self, most: int | None = None) -> None:
        self._write_events(unless_hidden=True)
        if self._pending and self._streaming:
            chunk = "".join(self._pending)
            self._pending.clear()
            if most is not None:
                most = max(most, len(chunk) // 3)
                chunk, rest = chunk[:most], chunk[most:]
                if rest:
                    self._pending.append(rest)
            await self.answer.write(chunk)

    def _write_events(self, *, unless_hidden: bool = False) -> None:
        """Write the raw events that came into the Events log. While a stream runs, only when its
        tab shows: a fast stream's thousands of lines a tick cost 5-10 ms a write for a log nobody
        reads; they are written when the tab opens or the stream ends (the log keeps the last
        MAX_EVENT_LINES, so no more are held)."""
        if not self._pending_events:
            return
        if unless_hidden and self.active_tab != "tab-events":
            if len(self._pending_events) > 2 * MAX_EVENT_LINES:
                del self._pending_events[:-MAX_EVENT_LINES]
            return
        lines, self._pending_events = self._pending_events[-MAX_EVENT_LINES:], []
        for log in self.query("#events").results(Log):
            log.write_lines(lines)

    def set_headers(self, status: int, headers: dict[str, str]) -> None:
        self.headers_table.show(headers)
        self.border_subtitle = f"HTTP {status}"

    def set_final(self, body: Any) -> None:
        self.query_one("#final-json", JsonView).show(shown_json(body))

    def set_error_body(self, raw: str) -> None:
        """An error's raw body goes in the JSON tab (pretty when it parses)."""
        try:
            self.set_final(json.loads(raw))
        except (json.JSONDecodeError, ValueError):
            cut = (
                f"\n… [{len(raw) - RAW_BODY_CHARS:,} more characters not shown]"
                if len(raw) > RAW_BODY_CHARS
                else ""
            )
            self.query_one("#final-json", JsonView).show(raw[:RAW_BODY_CHARS] + cut, language=None)

    async def finish(self, note: str | None = None) -> None:
        """End the stream: flush what is pending (and the note, which is not part of the answer),
        then let the answer view settle its segments."""
        self._close_block()
        suffix = ""
        if note:
            suffix = f"\n\n*{note}*" if self._parts else f"*{note}*"
            self._pending.append(suffix)
        async with self._lock:
            await self._flush()
            self._write_events()
            self._streaming = False
            await self.answer.finish(self.answer_text + suffix)
        if note:
            self.border_subtitle = note

    def show_tab(self, tab_id: str) -> None:
        self.query_one("#response-tabs", TabbedPanes).active = tab_id

    @property
    def active_tab(self) -> str:
        return self.query_one("#response-tabs", TabbedPanes).active
