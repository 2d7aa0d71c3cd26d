"""The response pane apart from a send: the raw events reach the Events log only while it shows (or
when the stream ends), keeping the last ones the log holds; the answer gets a bounded part of a
fast stream's backlog per tick, and all of it at the end."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Log

from pipellm_tui.protocols import ir
from pipellm_tui.protocols.sse import SSEEvent
from pipellm_tui.ui.widgets.response import MAX_EVENT_LINES, MAX_WRITE_CHARS, ResponsePane


class ResponseApp(App[None]):
    def compose(self) -> ComposeResult:
        yield ResponsePane(id="response")


def raw(n: int) -> SSEEvent:
    return SSEEvent(data=f'{{"n": {n}}}', event="delta")


async def streaming(pilot: Pilot[None], app: ResponseApp) -> ResponsePane:
    pane = app.query_one(ResponsePane)
    await pane.begin()
    await pilot.pause()
    return pane


async def test_raw_events_wait_for_their_tab_while_a_stream_runs() -> None:
    app = ResponseApp()
    async with app.run_test(size=(100, 30)) as pilot:
        pane = await streaming(pilot, app)
        log = app.query_one("#events", Log)
        for n in range(3):
            pane.add_raw(raw(n))
            pane.add_delta(ir.TextDelta(f"word{n} "))
        await pane.flush()
        assert pane.answer.source == "word0 word1 word2 "  # the answer is written
        assert log.line_count == 0  # the hidden log is not
        pane.show_tab("tab-events")
        await pilot.pause()
        assert list(log.lines) == ['delta: {"n": 0}', 'delta: {"n": 1}', 'delta: {"n": 2}']
        pane.add_raw(raw(3))  # while the tab shows, each flush writes them
        await pane.flush()
        assert log.line_count == 4
        pane.show_tab("tab-answer")
        await pilot.pause()
        pane.add_raw(raw(4))
        await pane.flush()
        assert log.line_count == 4
        await pane.finish()  # the end of the stream writes what waited
        assert log.line_count == 5 and log.lines[-1] == 'delta: {"n": 4}'


async def test_held_events_are_the_last_ones_the_log_keeps() -> None:
    app = ResponseApp()
    async with app.run_test(size=(100, 30)) as pilot:
        pane = await streaming(pilot, app)
        total = 3 * MAX_EVENT_LINES
        for n in range(total):
            pane.add_raw(raw(n))
            if n % 1000 == 0:
                await pane.flush()
        await pane.finish()
        log = app.query_one("#events", Log)
        assert log.line_count == MAX_EVENT_LINES
        assert log.lines[0] == f'delta: {{"n": {total - MAX_EVENT_LINES}}}'
        assert log.lines[-1] == f'delta: {{"n": {total - 1}}}'



async def test_a_tick_writes_a_bounded_part_and_the_end_writes_the_rest() -> None:
    """A fast stream's backlog reaches the answer a bounded part per tick (so a key pressed meanwhile
    is not kept waiting by one long write), a third of it when more waits, all of it at the end."""
    app = ResponseApp()
    async with app.run_test(size=(100, 30)) as pilot:
        pane = await streaming(pilot, app)
        pane.add_text("a" * (MAX_WRITE_CHARS + 1000))
        await pane.flush()
        assert len(pane.answer.source) == MAX_WRITE_CHARS
        await pane.flush()
        assert len(pane.answer.source) == MAX_WRITE_CHARS + 1000
        big = 10 * MAX_WRITE_CHARS  # far behind: a third of the backlog per tick
        pane.add_text("b" * big)
        await pane.flush()
        assert len(pane.answer.source) == MAX_WRITE_CHARS + 1000 + big // 3
        pane.add_text("c" * MAX_WRITE_CHARS)
        await pane.finish()
        assert pane.answer_text == pane.answer.source  # nothing left behind
        assert pane.answer.source.endswith("b" * 10 + "c" * MAX_WRITE_CHARS)
