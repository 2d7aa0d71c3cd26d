"""UI test helpers: the playground app against a real sandbox on 127.0.0.1, a fake clock, waits."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from pipellm_tui.playground.endpoint import Endpoint
from pipellm_tui.playground.session import Session
from pipellm_tui.ui.app import AppOptions, PlaygroundApp
from pipellm_tui.ui.main_screen import PlaygroundScreen

#: What snapshot tests show instead of the sandbox's random port.
FIXED_URL = "http://127.0.0.1:8787"
#: A fixed wall-clock instant (2026-01-01 12:00:00 UTC) for snapshot tests.
FIXED_NOW = 1_767_268_800.0


class FakeClock:
    """Epoch seconds that move only when told to."""

    def __init__(self, now: float | None = None) -> None:
        self.now = time.time() if now is None else now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def make_app(
    base_url: str,
    api_key: str,
    *,
    clock: Callable[[], float] | None = None,
    fixed: bool = False,
    is_sandbox: bool = True,
    **session: Any,
) -> PlaygroundApp:
    """The app on an injected endpoint; `fixed=True` makes the screen deterministic for snapshots."""
    endpoint = Endpoint(base_url, api_key, is_sandbox=is_sandbox, display_url=FIXED_URL if fixed else None)
    return PlaygroundApp(
        Session(endpoint=endpoint, clock=clock or FakeClock(FIXED_NOW if fixed else None), **session),
        AppOptions(fixed_timings=fixed, cursor_blink=False),
    )


@pytest.fixture
def app_for(sandbox: Any) -> Callable[..., PlaygroundApp]:
    """`app_for()` on the shared sandbox; `app_for(running_sandbox)` on another one."""

    def build(running: Any = None, **options: Any) -> PlaygroundApp:
        target = running or sandbox
        return make_app(target.base_url, target.api_key, **options)

    return build


def screen_of(app: PlaygroundApp) -> PlaygroundScreen:
    return app.playground


async def settle(pilot: Pilot[Any], app: PlaygroundApp) -> None:
    """Let workers finish and the screen catch up (flush timers run every 40 ms)."""
    await app.workers.wait_for_complete()
    await pilot.pause(0.1)
    await app.workers.wait_for_complete()
    await pilot.pause()


async def started(pilot: Pilot[Any], app: PlaygroundApp) -> PlaygroundScreen:
    """Wait for the models to load; the main screen."""
    await settle(pilot, app)
    return screen_of(app)
