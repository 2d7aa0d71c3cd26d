"""The main screen's start-up, in two steps, and what follows it.

1. The first paint holds the header, the model list (composed in when the command line's prefetch
   already has it), a titled frame in the place of every other pane, the status line and the keys.
2. Once that frame is out (Textual's Ready event: `first_frame_shown`) and the list is on screen,
   `mount_panes` puts the panes in their frames' places (panes.py; their modules load after the
   first frame, while the list is on its way: `import_while_waiting`).
   Until it has, the actions that need them show disabled (`PlaygroundScreen.check_action`).
The request is checked before the panes' first paint (validation loads the format's schema, with
pydantic, ~75 ms), so they appear once, with the verdict, rather than "not checked" and a frame later
the verdict (a second paint of every pane, ~60-80 ms later in all); a kept draft brings its verdict
(store/draft.py) and skips that check. Then the warm-up: the validator (loaded already, unless a
kept verdict spared the check), the client (httpx2, ~50 ms) and the history screen load, then the
answer's Markdown (its drawing room), rather than with the first key, the first send, F10 or the first answer. Garbage collection,
paused by the command line for the start-up, resumes after a heap freeze (`freeze_heap`). Each step
was measured with bench/startup.py (README, Architecture). Must not import httpx2, nor the pane
modules that panes.py imports at its own import (they would join the first paint's path).
"""

from __future__ import annotations

import asyncio
import gc
import importlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from textual.widgets import Input

from .. import kept_code
from . import parsed_styles
from .guard import guarded
from .widgets.frame import PaneFrame
from .widgets.models import ModelsPane

if TYPE_CHECKING:
    from textual.app import App

    from ..protocols.errors import ApiError
    from .screen_core import ScreenCore


#: What the panes need that the first screen did not load, in steps of at most ~15 ms (the IR, then
#: TextArea with the JSON views, ...): imported while the model list is on its way (`run`).
PANE_MODULES = (
    "..protocols.ir",
    ".widgets.json_view",
    ".widgets.payloads",
    ".widgets.request_editor",
    ".widgets.params_form",
    ".widgets.answer",
    ".widgets.response",
    ".panes",
)


async def import_while_waiting(waited: asyncio.Future[Any], modules: Sequence[str]) -> None:
    """Import `modules` (relative to this package) one at a time until `waited` is done. The model
    list waits for the sandbox's child (its start-up is the list's critical path), while the app has
    painted its first frame and sits idle: the panes' modules (~30 ms) load then, not after the list.
    A step in progress when the list arrives delays it by that step only."""
    for name in modules:
        if waited.done():
            return
        importlib.import_module(name, __package__)
        await asyncio.sleep(0)  # the list's arrival, or a key, goes first


def keep_for_next_run() -> None:
    """What this run parsed and compiled, kept so that the next start skips it (parsed_styles.py,
    kept_code.py): at the end of the start-up, and again on exit for what later screens added."""
    parsed_styles.store().save()
    kept_code.save()


class StartUp:
    """The start-up steps of one main screen (which runs `run` in its "models" worker)."""

    def __init__(self, screen: ScreenCore, *, cursor_blink: bool, freeze_heap: bool) -> None:
        self.screen = screen
        self.cursor_blink = cursor_blink
        self.freeze_heap = freeze_heap
        self._painted = asyncio.Event()

    @property
    def app(self) -> App[object]:
        """The screen's app (where `guarded` reports a bug)."""
        return self.screen.app

    def mounted(self) -> None:
        """The screen is mounted (its first frame is being drawn): start loading."""
        self.stop_blinking()
        self.show_endpoint()
        self.screen.query_one("#models-filter", Input).focus()
        self.screen.prepare(loaded=bool(self.screen.session.models))

    def first_frame_shown(self) -> None:
        """Called by the app on Textual's Ready event, sent once the first frame was displayed.
        (Not `call_after_refresh` here: before the first layout it can run before any paint.)"""
        self._painted.set()

    def stop_blinking(self) -> None:
        if not self.cursor_blink:
            # By type name: importing TextArea (tree-sitter) here would put it on the first paint.
            for widget in self.screen.query("TextArea, Input"):
                widget.cursor_blink = False  # type: ignore[attr-defined]

    def show_endpoint(self) -> None:
        endpoint = self.screen.session.endpoint
        self.screen.sub_title = endpoint.label if endpoint is not None else "Sandbox · starting…"

    async def mount_panes(self) -> None:
        """Replace the frames with the panes (once), after the first paint and the model list."""
        screen = self.screen
        if screen.panes_ready:
            return
        from .panes import build_panes

        screen.open_draft()  # the panes show the draft
        panes = build_panes(screen.session)
        async with screen.batch():  # no paint between the frames leaving and the panes arriving
            await screen.query(PaneFrame).remove()
            await asyncio.gather(
                screen.query_one("#left").mount(panes["route"]),
                screen.query_one("#top").mount_all([panes["editor"], panes["params"]]),
                screen.query_one("#bottom").mount_all([panes["response"], panes["inspector"]]),
            )
        screen.panes_ready = True
        self.stop_blinking()
        screen.refresh_bindings()

    async def run(self, *, loaded: bool = False) -> None:
        """Load the models (unless `loaded`), then put the panes in their frames' places.

        The fetch is a thread's (Session.load_models): waiting for a starting sandbox and for the
        server costs no CPU, so it overlaps the first paint. httpx2 loads later, when the panes
        are on screen (`_warm_up`), so the first send does not wait for it."""
        screen = self.screen
        try:
            if loaded:
                error = None
                await self._painted.wait()  # the first frame out, with the list
            else:
                loading = asyncio.ensure_future(self._load_models())
                try:
                    await self._painted.wait()
                    await import_while_waiting(loading, PANE_MODULES)
                    error = await loading
                finally:
                    loading.cancel()  # done: nothing; a start-up cancelled meanwhile ends it too
                await self._next_paint()  # the list that came later on screen, before the panes
            await self.mount_panes()
            screen.refresh_state(params=True)
            if error is not None:
                screen.errors.show_error(error)
            self._warm_up()
        finally:
            if self.freeze_heap:
                # What exists now (modules, the screen's widgets) lives as long as the app:
                # frozen, it is left out of every later full garbage collection, which then pauses
                # the app for ~0 ms at rest instead of ~40 ms. Once only: a later freeze would keep
                # garbage forever. The command line paused collection for the start-up (cli.py):
                # it resumes here, whatever happened above.
                self.freeze_heap = False
                gc.freeze()
                gc.enable()

    @guarded
    def _warm_up(self) -> None:
        """Once the panes are mounted, before their first paint: validation loads the format's
        schema (pydantic); once the panes and the verdict are painted, the client (httpx2, ~50 ms)
        loads, rather than with the first send."""
        self.screen.check_request()
        self.screen.call_after_refresh(self._load_client)

    def _load_client(self) -> None:
        from ..protocols.validate import warm_up

        # When a kept verdict (draft_keeper.py) spared the check, the next one (a key typed) would
        # otherwise load pydantic and the schema; after a check this costs ~0.1 ms.
        warm_up(self.screen.session.format)
        if self.screen.session.sandbox is not None:  # its own loading, kept until now
            self.screen.session.sandbox.warm_up()
        endpoint = self.screen.session.endpoint
        if endpoint is not None:  # its pool built, with what the first request would load
            self.screen.session.client.warm_up(endpoint.base_url)
        else:
            import pipellm_tui.client.playground  # noqa: F401

        from . import history_screen  # noqa: F401 - F10 then opens without an import

        self.screen.call_after_refresh(self._open_drawing_room)

    async def _open_drawing_room(self) -> None:
        """Last: the answer's Markdown, which the first answer would otherwise wait for, and the
        hidden tabs' widgets (the response's, the limits' table), which the first send would
        otherwise mount (a layout of the screen, ~40 ms, before its request goes out)."""
        from .widgets.answer import AnswerView
        from .widgets.ratelimits import RateLimitsPane
        from .widgets.response import ResponsePane

        for view in self.screen.query(AnswerView):
            await view.prepare()
        for pane in self.screen.query(ResponsePane):
            await pane.mount_details()
        for limits in self.screen.query(RateLimitsPane):
            await limits.mount_history()
        keep_for_next_run()

    async def _next_paint(self) -> None:
        painted = asyncio.Event()
        self.screen.call_after_refresh(painted.set)
        await painted.wait()

    async def _load_models(self) -> ApiError | None:
        """Fetch and show the model list; the error (for the error pane) when that failed."""
        from ..client import ApiErrorException

        screen = self.screen
        models = screen.query_one(ModelsPane)
        models.show_loading()
        try:
            await screen.session.load_models()
        except ApiErrorException as exc:
            models.show_error(exc.error.message)
            screen.session.error = exc.error
            screen.session.error_at = screen.session.clock()
            return exc.error
        finally:
            self.show_endpoint()  # known now, fetched or not; with the list, in the same frame
        screen._show_models()
        return None
