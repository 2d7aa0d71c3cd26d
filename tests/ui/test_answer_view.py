"""The answer view's segments and the send flow's garbage-collection deferral, apart from a send."""

from __future__ import annotations

import gc

from textual.app import App, ComposeResult
from textual.widgets import Markdown

from pipellm_tui.ui.send_flow import full_collections_deferred
from pipellm_tui.ui.widgets.answer import SEGMENT_CHARS, AnswerView

SENTENCE = "The river explains the honest lantern to every patient reader. "


class AnswerApp(App[None]):
    def compose(self) -> ComposeResult:
        yield AnswerView(id="answer")


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
        segments = list(view.query(Markdown))
        assert view.source == big + "".join(small)
        assert len(segments) == 4
        assert all(len(s.source) <= SEGMENT_CHARS for s in segments)
        assert all(s.source.endswith(". ") for s in segments[:-1])  # cut after a sentence
        assert segments[-1].source.endswith("```\n")


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
        segments = list(view.query(Markdown))
        assert view.source == opening + code + "```\nAfter the fence."
        assert len(segments) == 1 and segments[0].source.count("```") == 2


def test_full_collections_wait_while_any_send_runs() -> None:
    before = gc.get_threshold()
    first, second = full_collections_deferred(), full_collections_deferred()
    first.__enter__()
    assert gc.get_threshold()[:2] == before[:2] and gc.get_threshold()[2] > 1_000_000
    second.__enter__()
    first.__exit__(None, None, None)  # a cancelled send ends while the next one runs
    assert gc.get_threshold()[2] > 1_000_000
    second.__exit__(None, None, None)
    assert gc.get_threshold() == before
