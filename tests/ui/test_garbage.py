"""Full garbage collections wait while any send runs, and the put-off one runs a moment after."""

from __future__ import annotations

import asyncio
import gc
from typing import Any

import pytest

from pipellm_tui.ui import garbage
from pipellm_tui.ui.garbage import NEVER, full_collections_deferred

from .conftest import settle, started


def test_full_collections_wait_while_any_send_runs() -> None:
    garbage.resume_full_collections(collect=False)  # as any app leaves it when it closes
    before = gc.get_threshold()
    first, second = full_collections_deferred(), full_collections_deferred()
    first.__enter__()
    assert gc.get_threshold()[:2] == before[:2] and gc.get_threshold()[2] == NEVER
    second.__enter__()
    first.__exit__(None, None, None)  # a cancelled send ends while the next one runs
    assert gc.get_threshold()[2] == NEVER
    second.__exit__(None, None, None)  # no event loop here: resumed at once
    assert gc.get_threshold() == before


async def test_the_put_off_collection_runs_once_it_is_quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(garbage, "QUIET_SECONDS", 0.05)
    garbage.resume_full_collections(collect=False)
    before = gc.get_threshold()
    collections: list[int] = []

    def counting(phase: str, info: dict[str, int]) -> None:
        if phase == "stop":
            collections.append(info["generation"])

    gc.callbacks.append(counting)
    try:
        with full_collections_deferred():
            pass
        assert gc.get_threshold()[2] == NEVER  # not yet: the app may still be busy with the send
        with full_collections_deferred():  # another send began before the quiet moment
            assert gc.get_threshold()[2] == NEVER
        await asyncio.sleep(0.2)
        assert gc.get_threshold() == before  # the one saved before the first send, not NEVER
        assert 2 in collections  # a full collection ran
    finally:
        gc.callbacks.remove(counting)
        garbage.resume_full_collections(collect=False)
        gc.set_threshold(*before)


async def test_an_app_that_closes_soon_after_a_send_turns_full_collections_back_on(app_for: Any) -> None:
    garbage.resume_full_collections(collect=False)
    before = gc.get_threshold()
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot, app)
        await pilot.press("ctrl+j")
        await settle(pilot, app)
        assert app.playground.session.exchange is not None
        assert gc.get_threshold()[2] == NEVER  # the quiet second has not passed
    assert gc.get_threshold() == before
