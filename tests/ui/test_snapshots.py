"""SVG snapshots of the key screens (pytest-textual-snapshot). `pytest -n 0 --snapshot-update`
rewrites them, in one process.

Deterministic on purpose: each test gets its own sandbox (so rate-limit counts do not depend on test
order) shown under a fixed URL, a frozen clock, no cursor blink, the bundled theme, timings shown as
"<t>", and the sandbox's token rate 0. What still varies from run to run (the reset seconds of the
sandbox's real 60-second window, Retry-After) is pinned before the picture is taken.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from .conftest import make_app, settle
from .support import chat_body

Steps = Callable[[Pilot[Any]], Awaitable[None]]


@pytest.fixture
def snapshot_app(fresh_sandbox: Any) -> Callable[[], Any]:
    def build() -> Any:
        running = fresh_sandbox(rpm=30, id_seed=0, clock=1_700_000_000)  # ids and times as in the pictures
        return make_app(running.base_url, running.api_key, fixed=True)

    return build


def steps(*actions: Callable[[Pilot[Any]], Awaitable[None]]) -> Steps:
    """Wait for the models, run the actions, then settle and drop the toasts (they time out)."""

    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot, pilot.app)  # type: ignore[arg-type]
        for action in actions:
            await action(pilot)
            await settle(pilot, pilot.app)  # type: ignore[arg-type]
        pin_variable_values(pilot.app)
        pilot.app.clear_notifications()
        await pilot.pause(0.1)

    return run


def pin_variable_values(app: Any) -> None:
    session = app.session
    if session.rate_limits is not None and session.rate_limits.reset_seconds is not None:
        session.rate_limits = dataclasses.replace(session.rate_limits, reset_seconds=42.0)
    if session.error is not None and session.error.retry_after is not None:
        session.error = dataclasses.replace(session.error, retry_after=30.0)
        app.playground.errors.show_error(session.error)
    app.playground.query_one("#limits-pane").tick()
    status = app.playground.status
    if status.facts.reset_in is not None:  # the status line's copy of the reset, taken at the end
        status.facts.reset_in = 42.0
        status.show(status.facts)


def keys(*names: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def press(pilot: Pilot[Any]) -> None:
        await pilot.press(*names)

    return press


def editor_text(text: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def load(pilot: Pilot[Any]) -> None:
        pilot.app.playground.editor.text_area.load_text(text)  # type: ignore[attr-defined]
        await pilot.pause(0.3)

    return load


def model_filter(text: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def filter_models(pilot: Pilot[Any]) -> None:
        await pilot.press("f2")
        pilot.app.playground.query_one("#models-filter").value = text  # type: ignore[attr-defined]
        await pilot.pause()

    return filter_models


#: The sizes the screen is checked at (issue 13): the smallest usual terminal, a common one, a wide one.
SIZES = [
    pytest.param((80, 24), id="80x24"),
    pytest.param((120, 40), id="120x40"),
    pytest.param((200, 50), id="200x50"),
]


@pytest.mark.parametrize("size", SIZES)
def test_start_with_models_loaded(snap_compare: Any, snapshot_app: Any, size: tuple[int, int]) -> None:
    assert snap_compare(snapshot_app(), run_before=steps(), terminal_size=size)


def test_model_filtered(snap_compare: Any, snapshot_app: Any) -> None:
    assert snap_compare(snapshot_app(), run_before=steps(model_filter("claude")), terminal_size=(120, 40))


def test_route_flag_for_a_model_of_another_family(snap_compare: Any, snapshot_app: Any) -> None:
    # Choosing the model proposes the converter route (one key) and keeps the native one: flagged.
    run = steps(model_filter("claude-sonnet-4-5"), keys("enter"))
    assert snap_compare(snapshot_app(), run_before=run, terminal_size=(120, 40))


def test_invalid_json_refused(snap_compare: Any, snapshot_app: Any) -> None:
    run = steps(editor_text('{\n  "model": "gpt-4o",\n  "messages": [\n}'), keys("ctrl+j"))
    assert snap_compare(snapshot_app(), run_before=run, terminal_size=(120, 40))


@pytest.mark.parametrize("size", SIZES)
def test_streamed_answer_done(snap_compare: Any, snapshot_app: Any, size: tuple[int, int]) -> None:
    assert snap_compare(snapshot_app(), run_before=steps(keys("ctrl+j")), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_payloads_after_a_converter_send(snap_compare: Any, snapshot_app: Any, size: tuple[int, int]) -> None:
    """What the sandbox forwarded next to what was sent, at each size (F7 brings the payloads in)."""
    run = steps(model_filter("claude-sonnet-4-5"), keys("enter"), keys("ctrl+g"), keys("ctrl+j"), keys("f7"))
    assert snap_compare(snapshot_app(), run_before=run, terminal_size=size)


def test_converted_payloads_maximized(snap_compare: Any, snapshot_app: Any) -> None:
    run = steps(model_filter("claude-sonnet-4-5"), keys("enter"), keys("f7"), keys("f11"))
    assert snap_compare(snapshot_app(), run_before=run, terminal_size=(120, 40))


def test_rate_limits_after_requests(snap_compare: Any, snapshot_app: Any) -> None:
    run = steps(keys("ctrl+j"), keys("ctrl+j"), keys("ctrl+j"), keys("f8"))
    assert snap_compare(snapshot_app(), run_before=run, terminal_size=(120, 40))


@pytest.mark.parametrize("size", SIZES)
def test_rate_limited_429_error(snap_compare: Any, snapshot_app: Any, size: tuple[int, int]) -> None:
    body = json.loads(chat_body("Hello [[fault:429]]"))
    run = steps(editor_text(json.dumps(body, indent=2)), keys("ctrl+j"))
    assert snap_compare(snapshot_app(), run_before=run, terminal_size=size)


def test_help_screen(snap_compare: Any, snapshot_app: Any) -> None:
    assert snap_compare(snapshot_app(), run_before=steps(keys("f1")), terminal_size=(120, 40))
