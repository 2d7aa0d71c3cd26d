"""Start-up in two steps: the model list and the panes' frames first, the panes once the list is in.

The endpoint here is a real server on 127.0.0.1 that holds the model list back until the test lets
it go, so the screen can be read while the list is still loading.
"""

from __future__ import annotations

import asyncio
import gc
import importlib
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import OptionList

from pipellm_tui.ui.widgets.frame import PaneFrame
from pipellm_tui.ui.widgets.request_editor import RequestEditor

from .conftest import make_app, started
from .support import held_catalog

PANE_IDS = ["route", "editor", "params", "response", "inspector"]


async def test_frames_hold_the_panes_places_until_the_list_is_in() -> None:
    with held_catalog() as (base_url, release):
        app = make_app(base_url, "k", is_sandbox=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause(0.2)
            screen = app.playground
            frames = list(screen.query(PaneFrame))
            assert [f.id for f in frames] == PANE_IDS
            assert [f.border_title for f in frames] == [
                "Format & route",
                "Request",
                "Parameters",
                "Response",
                None,
            ]
            assert all(f.size.width > 0 and f.size.height > 0 for f in frames)
            assert not screen.panes_ready
            assert "Loading models" in str(screen.query_one("#models-state").render())
            # Keys for the panes do nothing yet (shown disabled), and break nothing.
            assert screen.check_action("send", ()) is None
            assert screen.check_action("focus_pane", ("models",)) is True
            await pilot.press("ctrl+j", "ctrl+t", "f4")
            assert screen.session.exchange is None

            release.set()
            await started(pilot, app)
            assert screen.panes_ready
            assert not screen.query(PaneFrame)
            assert [w.id for w in screen.query("#left > *, #top > *, #bottom > *")][1:] == PANE_IDS
            assert isinstance(screen.editor, RequestEditor)
            assert screen.editor.text_area.text == screen.session.request_text
            options = screen.query_one("#models-list", OptionList)
            assert options.option_count == 2
            assert screen.check_action("send", ()) is True


async def test_the_panes_arrive_even_when_the_list_fails(closed_port: int) -> None:
    app = make_app(f"http://127.0.0.1:{closed_port}", "k", is_sandbox=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot, app)
        assert screen.panes_ready
        assert "Could not load models" in str(screen.query_one("#models-state").render())
        title = str(screen.query_one("#error-title").render())
        assert "connection_refused" in title or "refused" in title.lower()


async def test_a_list_prefetched_before_the_app_starts_is_in_the_first_frame(sandbox: Any) -> None:
    """What the command line does: the list's fetch starts before Textual loads; when it is in by
    the time the screen is built, the first frame shows it and nothing fetches it again."""
    app = make_app(sandbox.base_url, sandbox.api_key)
    session = app.session
    session.prefetch_models()
    assert session._prefetched is not None
    session._prefetched.result(timeout=10)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.playground
        options = screen.query_one("#models-list", OptionList)
        assert options.option_count == len(session.models) > 0  # composed in, before any worker ran
        current = options.get_option_at_index(options.highlighted or 0)
        assert current.id == session.model
        await started(pilot, app)
        assert screen.panes_ready
        assert "models · name · $/1M" in str(screen.query_one("#models-state").render())
        assert options.option_count == len(session.models)


async def test_collection_paused_for_the_start_up_resumes_once_the_panes_are_up(sandbox: Any) -> None:
    """The command pauses garbage collection before Textual loads (cli.py); the screen freezes
    what start-up built and turns collection back on."""
    from pipellm_tui.ui.app import AppOptions, PlaygroundApp

    gc.disable()
    try:
        base = make_app(sandbox.base_url, sandbox.api_key)
        app = PlaygroundApp(base.session, AppOptions(cursor_blink=False, freeze_heap=True))
        async with app.run_test(size=(120, 40)) as pilot:
            await started(pilot, app)
            assert app.playground.panes_ready
            assert gc.isenabled()
            assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()  # this test process builds many more apps: none may stay frozen
        gc.enable()


async def test_the_warm_up_opens_the_answers_drawing_room_before_any_send(sandbox: Any) -> None:
    """After the panes, the warm-up loads what the first answer would wait for: the answer's
    Markdown drawing room is open and the client's pool for the endpoint built before anything was
    sent."""
    from pipellm_tui.ui.widgets.answer import AnswerView

    app = make_app(sandbox.base_url, sandbox.api_key)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot, app)
        view = app.playground.query_one(AnswerView)
        for _ in range(100):
            if view._room is not None:
                break
            await pilot.pause(0.02)
        assert view._room is not None and view._room.is_mounted
        assert view.line_count == 0  # nothing was written: the placeholder still shows
        assert list(app.session.client._pools) == [False]  # plain http: the pool without TLS
        assert app.session.exchange is None


async def test_the_panes_first_paint_shows_the_requests_verdict(app_for: Any) -> None:
    """The request is checked before the panes are first painted: they appear once, with the
    verdict, not with a blank check that a second paint of every pane fills in a frame later."""
    app = app_for()
    async with app.run_test(size=(120, 40)):
        screen = app.playground
        while not screen.panes_ready:  # no frame can be painted between two turns of this loop
            await asyncio.sleep(0)
        label = screen.query_one("#request-problem")
        assert str(label.render()) == "✓ valid"


async def test_the_pane_modules_load_while_the_list_is_on_its_way_and_stop_when_it_is_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`import_while_waiting` imports one module a step, and none once the list is in: a module
    that is imported completes the awaited list, and the next one is left for later."""
    import sys

    from pipellm_tui.ui.startup import PANE_MODULES, import_while_waiting

    package = tmp_path / "waiting_pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "first.py").write_text("")
    (package / "second.py").write_text("import waiting_pkg\nwaiting_pkg.arrived.set_result(None)\n")
    (package / "third.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    import waiting_pkg

    names = ["waiting_pkg.first", "waiting_pkg.second", "waiting_pkg.third"]
    try:
        waiting_pkg.arrived = asyncio.get_running_loop().create_future()  # type: ignore[attr-defined]
        await import_while_waiting(waiting_pkg.arrived, names)  # type: ignore[attr-defined]
        assert [name in sys.modules for name in names] == [True, True, False]

        done = asyncio.get_running_loop().create_future()
        done.set_result(None)
        await import_while_waiting(done, ["waiting_pkg.third"])  # the list already in: nothing
        assert "waiting_pkg.third" not in sys.modules
    finally:
        for name in ["waiting_pkg", *names]:
            sys.modules.pop(name, None)
    # The app's own list: its modules, the panes' module last (after it, mounting imports nothing).
    assert PANE_MODULES[-1] == ".panes"
    for name in PANE_MODULES:
        importlib.import_module(name, "pipellm_tui.ui")


async def test_the_app_tells_its_sandbox_to_load_once_the_panes_are_painted() -> None:
    """The sandbox's child, as the command line starts it (no endpoint: the session waits for the
    child's URL), loads what requests need when the app says its start-up is over, not during it."""
    from pipellm_tui.playground.session import Session
    from pipellm_tui.sandbox.child import SandboxProcess
    from pipellm_tui.ui.app import AppOptions, PlaygroundApp

    child = SandboxProcess.spawn(warm_up_after=300)  # only the app's word can start its loading
    try:
        app = PlaygroundApp(Session(sandbox=child), AppOptions(cursor_blink=False))
        async with app.run_test(size=(120, 40)) as pilot:
            await started(pilot, app)
            assert app.playground.panes_ready
            assert await asyncio.to_thread(child.warmed, 60.0)
    finally:
        child.stop()
