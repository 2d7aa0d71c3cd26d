"""The answer view apart from a send: segments, lines drawn off screen as Textual draws Markdown,
drawing only what is in view, width and theme changes, following the end, and no screen layout per
write. Plus the send flow's garbage-collection deferral."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.geometry import Offset
from textual.pilot import Pilot
from textual.screen import Screen
from textual.selection import Selection
from textual.widgets import Markdown

from pipellm_tui.ui.widgets.answer import AnswerView
from pipellm_tui.ui.widgets.answer_segments import KEPT_DRAWINGS, SEGMENT_CHARS

SENTENCE = "The river explains the honest lantern to every patient reader. "
RICH = """# A heading

Some *emphasis*, some **strong** text and `inline code`.

- a bullet
- another bullet
  - a nested one

1. first
2. second

```python
def hello() -> str:
    return "world"
```

> A quoted line.

| name | value |
|------|-------|
| a    | 1     |
"""


class AnswerApp(App[None]):
    def compose(self) -> ComposeResult:
        yield AnswerView(id="answer")


class MarkdownApp(App[None]):
    """The same Markdown as a plain Textual widget, where the answer's Markdown segments used to be."""

    CSS = "Vertical { overflow-y: auto; } Vertical > Markdown { margin: 0 1; }"

    def __init__(self, source: str) -> None:
        super().__init__()
        self.source = source

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Markdown(self.source)


async def long_answer(view: AnswerView, segments: int) -> str:
    """Write about `segments` segments' worth of sentences in flush-sized chunks."""
    text = SENTENCE * (SEGMENT_CHARS * segments // len(SENTENCE))
    for start in range(0, len(text), 4000):
        await view.write(text[start : start + 4000])
    return text


async def settled(pilot: Pilot[None], view: AnswerView) -> None:
    """Wait until every segment is measured and the tail drawn in the view's current look."""
    for _ in range(100):
        await pilot.pause(0.02)
        parts = view._parts.parts
        measured = view._look == view._current_look() and all(part.look == view._look for part in parts)
        if measured and (not parts or not parts[-1].needs_drawing(view._look)):
            return


async def test_a_chunk_of_several_segments_is_cut_at_sentences_and_kept_whole() -> None:
    app = AnswerApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(AnswerView)
        await view.begin()
        big = SENTENCE * (SEGMENT_CHARS * 7 // (2 * len(SENTENCE)))  # about 3.5 segments at once
        small = [SENTENCE[:20], SENTENCE[20:], 'A fence:\n```json\n{"a": 1}\n```\n']
        await view.write(big)
        for piece in small:
            await view.write(piece)
        await pilot.pause()
        segments = view.segment_sources
        assert view.source == big + "".join(small)
        assert len(segments) == 4
        assert all(len(s) <= SEGMENT_CHARS for s in segments)
        assert all(s.endswith(". ") for s in segments[:-1])  # cut after a sentence
        assert segments[-1].endswith("```\n")


async def test_segments_a_write_passes_over_are_measured_after_the_stream() -> None:
    """A write of many segments lays out only its last one (the view follows the end); the ones it
    passes over, the tail it filled up among them (above the view), keep an estimated height until the
    stream ends, then each is measured in the view's look, and the answer's height is what laying out
    every segment gives."""
    app = AnswerApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(AnswerView)
        await view.begin()
        big = SENTENCE * (SEGMENT_CHARS * 6 // len(SENTENCE))  # about six segments in one write
        await view.write(big)
        parts = view._parts.parts
        assert len(parts) >= 6
        # Measured: the last; and the one before the last when the last is too short to fill the
        # view (drawn from its source for the view). Not the tail the write filled up: the rest of
        # the write fills the view, so its end was never in view.
        assert parts[-1].look is not None
        assert all(part.look is None for part in parts[:-2])
        assert any(line.strip() for line in view.visible_text())  # the end of the answer is drawn
        await view.finish(big + "x" * 40_000)  # too long to be drawn again whole
        await settled(pilot, view)
        assert all(part.look == view._look for part in parts)
        room = view._room
        assert room is not None
        measured = [await room.measure_source(part.source) for part in parts[:-1]]
        assert [part.height for part in parts[:-1]] == measured
        assert view.line_count == sum(part.height for part in parts)


async def test_a_tail_whose_end_stays_in_view_is_laid_out_and_its_bottom_drawn() -> None:
    """A write that fills the tail up but brings too little to fill the view after it: the tail's
    end is still in view, so it is laid out (its real height) and its bottom drawn from the live
    document before the next segment starts."""
    app = AnswerApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(AnswerView)
        await view.begin()
        full = SENTENCE * ((SEGMENT_CHARS - 100) // len(SENTENCE))
        await view.write(full)
        await settled(pilot, view)  # its scrollbar shows: drawn again at the new width
        await view.write(SENTENCE * 4)  # about 250 characters: the tail fills up, a short segment starts
        await pilot.pause()
        parts = view._parts.parts
        assert len(parts) == 2
        filled = parts[0]
        assert filled.look == view._look and filled.fresh
        room = view._room
        assert room is not None
        assert not room.scratch.source  # drawn from the live document, never parsed again from its source
        assert filled.height == await room.measure_source(filled.source)
        assert filled.lines and max(filled.lines) == filled.height - 1  # its bottom line is drawn
        assert any(line.strip() for line in view.visible_text())


async def test_an_open_code_fence_is_never_cut() -> None:
    app = AnswerApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(AnswerView)
        await view.begin()
        opening = SENTENCE * 10 + "\n```python\n"
        code = "print('x')\n" * (SEGMENT_CHARS // 5)  # two segments' worth inside the fence
        await view.write(opening)
        await view.write(code)
        await view.write("```\nAfter the fence.")
        await pilot.pause()
        assert view.source == opening + code + "```\nAfter the fence."
        assert len(view.segment_sources) == 1 and view.segment_sources[0].count("```") == 2


async def test_the_answer_looks_as_textual_draws_the_markdown() -> None:
    """Headings, emphasis, lists, a code block, a quote and a table: line for line and style for
    style what a Markdown widget shows in the same place."""
    reference = MarkdownApp(RICH)
    async with reference.run_test(size=(70, 60)) as pilot:
        await pilot.pause()
        markdown = reference.query_one(Markdown)
        region = markdown.region
        screen_lines = reference.screen._compositor.render_strips()
        expected = [line.crop(region.x, region.right) for line in screen_lines[region.y : region.bottom]]
    app = AnswerApp()
    async with app.run_test(size=(70, 60)) as pilot:
        view = app.query_one(AnswerView)
        await view.begin()
        await view.write(RICH)
        await pilot.pause()
        drawn = [view._answer_line(y) for y in range(view.line_count)]
    assert "A heading" in expected[2].text and "def hello" in "".join(line.text for line in expected)
    assert [line.text for line in drawn] == [line.text for line in expected]
    for mine, theirs in zip(drawn, expected):
        assert [
            (s.text, s.style and s.style.color, s.style and s.style.bgcolor) for s in mine.simplify()
        ] == [(s.text, s.style and s.style.color, s.style and s.style.bgcolor) for s in theirs.simplify()]


async def test_only_segments_in_view_are_drawn_and_scrolling_up_draws_the_start() -> None:
    app = AnswerApp()
    async with app.run_test(size=(60, 16)) as pilot:
        view = app.query_one(AnswerView)
        await view.begin()
        await long_answer(view, KEPT_DRAWINGS + 10)
        await pilot.pause()
        parts = view._parts.parts
        assert len(parts) > KEPT_DRAWINGS + 5
        # Each segment was drawn while it was the tail (in view); only the last few keep lines.
        assert sum(part.lines is not None for part in parts) == KEPT_DRAWINGS
        assert all(part.lines is None for part in parts[:5])
        assert view.scroll_y == view.max_scroll_y > 0
        view.focus()
        await pilot.press("home")
        for _ in range(20):  # drawing happens after the frame that asked for it
            await pilot.pause(0.02)
            if view.visible_text()[0].strip():
                break
        assert view.visible_text()[0].strip().startswith("The river explains")
        assert view._parts.parts[0].lines is not None


async def test_a_narrower_view_measures_and_draws_every_segment_again() -> None:
    app = AnswerApp()
    async with app.run_test(size=(90, 20)) as pilot:
        view = app.query_one(AnswerView)
        await view.begin()
        text = await long_answer(view, 5)
        await pilot.pause()
        wide_lines = view.line_count
        await pilot.resize_terminal(50, 20)
        for _ in range(50):
            await pilot.pause(0.02)
            if all(part.look == view._look for part in view._parts.parts):
                break
        assert view._look[0] == 50 - 2 - 2  # the scrollbar's two cells and a cell on each side
        assert all(part.look == view._look for part in view._parts.parts)
        assert view.line_count > wide_lines * 1.5
        assert view.source == text
        shown = [line for line in view.visible_text() if line.strip()]
        assert shown and all(len(line.rstrip()) <= view._look[0] for line in shown)
        assert view.scroll_y == view.max_scroll_y  # still following the end


async def test_a_new_theme_draws_the_lines_again_in_its_colours() -> None:
    app = AnswerApp()
    async with app.run_test(size=(60, 16)) as pilot:
        view = app.query_one(AnswerView)
        await view.begin()
        await view.write(RICH)
        await settled(pilot, view)
        before = view._answer_line(4).simplify()
        app.theme = "textual-light"
        await pilot.pause()
        await settled(pilot, view)
        after = view._answer_line(4).simplify()
        assert view._look[1] == "textual-light"
        assert after.text == before.text and "emphasis" in after.text
        assert [s.style.bgcolor for s in after if s.style] != [s.style.bgcolor for s in before if s.style]


async def test_scrolling_up_stops_following_and_the_bottom_follows_again() -> None:
    app = AnswerApp()
    async with app.run_test(size=(60, 16)) as pilot:
        view = app.query_one(AnswerView)
        await view.begin()
        await long_answer(view, 2)
        await pilot.pause()
        assert view.scroll_y == view.max_scroll_y > 0
        view.focus()
        await pilot.press("pageup")
        await pilot.pause()
        where = view.scroll_y
        await view.write(SENTENCE * 20)
        await pilot.pause()
        assert view.scroll_y == where < view.max_scroll_y  # it stays where the user put it
        await pilot.press("end")
        for _ in range(100):  # the scroll to the end is animated
            await pilot.pause(0.02)
            if view.scroll_y == view.max_scroll_y:
                break
        await view.write(SENTENCE * 20)
        await pilot.pause()
        assert view.scroll_y == view.max_scroll_y  # back at the bottom: it follows again


async def test_writes_do_not_lay_out_the_screen() -> None:
    """The point of drawing off screen: once the scrollbar is there, a write repaints the answer
    and lays out nothing on the screen the user sees."""
    app = AnswerApp()
    async with app.run_test(size=(60, 16)) as pilot:
        view = app.query_one(AnswerView)
        await view.begin()
        await long_answer(view, 1)
        await pilot.pause()
        assert view.show_vertical_scrollbar
        await pilot.pause(0.2)  # the layout that showed the scrollbar, and any frame still due, are done
        screen = app.screen
        layouts: list[object] = []
        original = Screen._refresh_layout

        def counted(self: Screen[object], *args: object, **kwargs: object) -> None:
            if self is screen:
                layouts.append(args)
            original(self, *args, **kwargs)  # type: ignore[arg-type]

        Screen._refresh_layout = counted  # type: ignore[method-assign]
        try:
            for _ in range(10):
                await view.write(SENTENCE * 30)
                await pilot.pause(0.05)
        finally:
            Screen._refresh_layout = original  # type: ignore[method-assign]
        assert view.line_count > 60 and view.scroll_y == view.max_scroll_y
        assert layouts == []


async def test_a_short_answer_is_drawn_again_whole_at_the_end() -> None:
    app = AnswerApp()
    async with app.run_test(size=(60, 16)) as pilot:
        view = app.query_one(AnswerView)
        await view.begin()
        text = SENTENCE * (SEGMENT_CHARS * 2 // len(SENTENCE))
        await view.write(text)
        assert len(view.segment_sources) >= 2
        await view.finish(text)
        await pilot.pause()
        assert view.segment_sources == [text]
        assert view.visible_text()[-2].strip()  # drawn, following the end


async def test_mouse_selection_copies_the_drawn_text_and_select_all_the_markdown() -> None:
    app = AnswerApp()
    async with app.run_test(size=(60, 16)) as pilot:
        view = app.query_one(AnswerView)
        await view.begin()
        await view.write(SENTENCE * 3 + "\n\n- **bold** item\n")
        await pilot.pause()
        # Where the mouse is, in answer coordinates: line 0, the "r" of "river" (margin + padding).
        widget, offset = app.screen.get_widget_and_offset_at(view.region.x + 1 + 2 + 4, view.region.y)
        assert widget is view and offset == Offset(6, 0)
        app.screen.selections = {view: Selection(Offset(6, 0), Offset(11, 0))}
        await pilot.pause()
        assert app.screen.get_selected_text() == "river"
        highlighted = [s for s in view.render_line(0) if s.text == "river"]
        assert highlighted and highlighted[0].style.bgcolor != view.rich_style.bgcolor
        app.screen.selections = {view: Selection(None, None)}
        assert (app.screen.get_selected_text() or "").strip() == view.source.strip()


async def test_a_selection_over_segments_never_drawn_copies_their_markdown() -> None:
    app = AnswerApp()
    async with app.run_test(size=(60, 16)) as pilot:
        view = app.query_one(AnswerView)
        await view.begin()
        first = "# First\n\n" + SENTENCE * (SEGMENT_CHARS // len(SENTENCE)) + "\n\n"
        await view.write(first + SENTENCE * (3 * SEGMENT_CHARS // len(SENTENCE)))
        await pilot.pause()
        assert len(view.segment_sources) >= 3
        last = view.line_count - 1
        assert "First" not in "".join(view.visible_text())  # the view follows the end
        app.screen.selections = {view: Selection(Offset(0, 0), Offset(10, last))}
        copied = app.screen.get_selected_text() or ""
        assert copied.startswith("# First")  # the first segment's source, not blank lines
        assert copied.strip() == view.source.strip()
