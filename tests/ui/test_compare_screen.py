"""Pilot tests of the compare screen against the sandbox: the columns appear, the answers stream in,
Esc cancels every run and keeps what arrived; the report; picking models."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

from rich.console import Console
from textual.widgets import SelectionList, Sparkline, Static

from pipellm_tui.ui.compare_screen import CompareScreen
from pipellm_tui.ui.widgets.compare_column import CompareColumn, StreamedText, wrap_rows

from .conftest import settle, started
from .support import type_request


def long_request(tokens: int) -> str:
    return json.dumps(
        {
            "model": "gpt-4o-mini",
            "messages": [
                {"role": "system", "content": "Be thorough."},
                {"role": "user", "content": f"Write at length. [[tokens:{tokens}]]"},
            ],
            "max_tokens": tokens + 16,
            "stream": True,
        }
    )


def _static(screen: Any, selector: str) -> str:
    """The text a Static shows (a Rich table or group rendered as the terminal would)."""
    content = screen.query_one(selector, Static).content
    if isinstance(content, str):
        return content
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(content)
    return console.export_text()


async def test_columns_stream_in_and_escape_cancels_keeping_what_arrived(
    app_for: Callable[..., Any], fresh_sandbox: Callable[..., Any]
) -> None:
    slow = fresh_sandbox(token_rate=200, rpm=1000)  # 25 s per answer: Esc comes long before the end
    app = app_for(slow)
    async with app.run_test(size=(160, 48)) as pilot:
        await started(pilot, app)
        await type_request(pilot, app, long_request(5000))
        await pilot.press("alt+v")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        columns = list(screen.query(CompareColumn))
        assert [c.border_title for c in columns] == [
            "openai-chat native · gpt-4o-mini",
            "openai-chat converter · gpt-4o-mini",
            "anthropic converter · gpt-4o-mini",
            "gemini converter · gpt-4o-mini",
            "openai-responses converter · gpt-4o-mini",
        ]
        sent = columns[:4]
        for _ in range(400):  # until every sent column shows some of its answer
            await pilot.pause(0.05)
            if all(c.answer.text for c in sent):
                break
        assert all(c.answer.text for c in sent) and screen.running
        await pilot.press("escape")
        await settle(pilot, app)
        assert not screen.running and app.screen is screen  # the first Esc cancels, it does not leave
        runs = screen.comparison.latest()
        assert [r.state for r in runs] == ["cancelled"] * 4 + ["not sent"]
        for column, run in zip(sent, runs[:4], strict=True):
            assert column.answer.text == run.answer and 0 < len(run.answer.split()) < 5000
            assert "cancelled" in _static(column, ".compare-facts")
        assert "not available yet" in _static(columns[4], ".compare-facts")
        assert "cancelled" in _static(screen, "#compare-title")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.playground  # the second Esc goes back


async def test_a_finished_comparison_shows_the_report(app_for: Callable[..., Any]) -> None:
    app = app_for()
    async with app.run_test(size=(160, 48)) as pilot:
        await started(pilot, app)
        await pilot.press("alt+v")
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        for _ in range(200):
            await pilot.pause(0.05)
            if not screen.running:
                break
        await pilot.pause(0.1)
        assert "done" in _static(screen, "#compare-title")
        columns = list(screen.query(CompareColumn))
        answers = {c.answer.text for c in columns[:4]}
        assert len(answers) == 1 and answers.pop()
        assert "Every answer is the same" in _static(screen, "#compare-answers-body")
        strips = [column.query_one(Sparkline).data for column in columns[:4]]
        assert all(
            data and len(data) == len(run.chunks) - 1
            for data, run in zip(strips, screen.comparison.runs, strict=False)
        )
        summary = _static(screen, "#compare-summary-body")
        assert "gpt-4o-mini · gemini converter" in summary and "▲" in summary
        await pilot.press("plus", "plus")
        assert "×3" in _static(screen, "#compare-title")
        await pilot.press("r")
        for _ in range(400):
            await pilot.pause(0.05)
            if not screen.running:
                break
        assert len(screen.comparison.runs) == 15 and "p50" not in summary
        assert " / " in _static(screen, "#compare-summary-body")  # p50 / p90
        await pilot.press("q")
        await pilot.pause()
        assert app.screen is app.playground


async def test_compare_models_from_the_picker(app_for: Callable[..., Any]) -> None:
    app = app_for()
    async with app.run_test(size=(160, 48)) as pilot:
        await started(pilot, app)
        await pilot.press("alt+n")
        await pilot.pause()
        picker = app.screen.query_one(SelectionList)
        assert picker.selected == ["gpt-4o-mini"]
        models = [str(picker.get_option_at_index(i).value) for i in range(picker.option_count)]
        claude = next(m for m in models if m.startswith("claude"))
        picker.select(claude)
        await pilot.press("enter")
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        titles = [c.border_title for c in screen.query(CompareColumn)]
        assert titles == ["openai-chat native · gpt-4o-mini", f"openai-chat converter · {claude}"]


def test_wrapping_is_incremental_and_matches_a_whole_wrap() -> None:
    text = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu\nnu xi omicron " * 20
    view = StreamedText()
    view._width = 17
    for start in range(0, len(text), 7):
        view._add(text[start : start + 7])
    whole = [row for line in text.split("\n") for row in wrap_rows(line, 17)]
    assert view.rows == whole
    assert all(len(row) <= 17 for row in whole)
