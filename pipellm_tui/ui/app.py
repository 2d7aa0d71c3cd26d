"""The Textual app: theme, palette, the main screen, and `main()` for the bare `pipellm-tui`.

Small on purpose: the panes live in `widgets/`, their wiring in `main_screen.py`, the state and the
work in `playground/session.py`. The command line decides the endpoint (`playground/endpoint.py`),
starts the sandbox and the model list's fetch, and builds the session before this module (and
Textual) loads.

Must not import httpx2, starlette or uvicorn (they load in a worker after the first paint).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.screen import Screen

from ..playground.session import Session
from . import garbage, textual_compat
from .commands import ModelCommands, PlaygroundCommands, WorkbenchCommands
from .guard import report
from .main_screen import PlaygroundScreen
from .startup import keep_for_next_run
from .textual_compat import QuietCrashReport
from .theme import DEFAULT_THEME, bundled_themes, user_themes
from .workbench import Workbench

if TYPE_CHECKING:
    from .draft_keeper import DraftKeeper

__all__ = ["AppOptions", "PlaygroundApp", "main"]

textual_compat.apply()


@dataclass(frozen=True, slots=True)
class AppOptions:
    #: Show timings as "<t>" (snapshot tests).
    fixed_timings: bool = False
    cursor_blink: bool = True
    #: Freeze the heap once the models are on screen (see PlaygroundScreen.prepare). The command
    #: does; tests, which build many apps in one process, must not (a frozen app is never freed).
    freeze_heap: bool = False
    theme: str = DEFAULT_THEME
    #: Keep the draft request on disk (store/draft.py) and open the last one. The command does;
    #: tests that do not test it leave it off, so no test reads another's draft.
    keep_draft: bool = False


class PlaygroundApp(QuietCrashReport):
    TITLE = "pipellm-tui"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {PlaygroundCommands, ModelCommands, WorkbenchCommands}
    COMMAND_PALETTE_BINDING = "ctrl+p"

    def __init__(
        self,
        session: Session | None = None,
        options: AppOptions | None = None,
        workbench: Workbench | None = None,
    ) -> None:
        super().__init__()
        self.session = session or Session()
        self.options = options or AppOptions()
        #: config.toml, history, saved requests (workbench.py); the history opens on first use.
        self.workbench = workbench or Workbench.load()
        self.workbench.apply_settings(self.session)
        for theme in bundled_themes():
            self.register_theme(theme)
        mine, self.theme_problems = user_themes()
        for theme in mine:
            self.register_theme(theme)
        wanted = self.options.theme
        if wanted == DEFAULT_THEME and self.workbench.config.theme in self.available_themes:
            wanted = self.workbench.config.theme  # the one chosen last time
        self._start_with_theme(wanted)
        if self.workbench.config.keys:
            self.set_keymap(self.workbench.config.keys)  # by binding id (commands.py)

    def report_bug(self, error: BaseException, doing: str) -> None:
        """An unexpected exception, caught at the edge (guard.py): said in the error pane."""
        self.playground.show_bug(error, doing)

    def _start_with_theme(self, name: str) -> None:
        """Use theme `name` from the start. Not `self.theme = name`: its watcher re-parses every
        style sheet and restyles every widget right after the first screen is built (~15 ms of
        start-up), for a theme the first parse can use as well: its variables go to the style sheet
        now, before anything is parsed, and the watcher's classes are set here."""
        self.set_reactive(App.theme, name)
        self.stylesheet.set_variables(self.get_css_variables())
        dark = self.current_theme.dark
        self.update_classes(
            {f"-theme-{name}": True, "-dark-mode": dark, "-light-mode": not dark}, update=False
        )

    def get_default_screen(self) -> Screen[Any]:
        """The main screen is the first screen: no empty default screen is built and shown first,
        and Textual's Ready event (see `on_ready`) marks the main screen's first frame."""
        self._main = PlaygroundScreen(
            self.session,
            fixed_timings=self.options.fixed_timings,
            cursor_blink=self.options.cursor_blink,
            freeze_heap=self.options.freeze_heap,
            keep_draft=self.options.keep_draft,
        )
        return self._main

    def on_ready(self) -> None:
        """The first frame is on its way to the terminal: the main screen's panes may follow."""
        self.playground.first_frame_shown()
        for theme_problem in self.theme_problems:
            self.notify(theme_problem, title="Theme file not used", severity="warning")
        problem = self.workbench.config_problem
        if problem is not None:
            self.notify(
                f"{problem.path}: {problem.message}", title="config.toml not used", severity="warning"
            )

    async def action_quit(self) -> None:
        """Quit; the editor's last keys (still in their debounce) go into the draft first. Quitting
        must work whatever else does not: a bug here is reported, and the app quits all the same."""
        try:
            self.playground.take_editor_text()
        except Exception as error:  # noqa: BLE001 - never stand between the user and the exit
            report(self, error, "quitting")
        finally:
            self.exit()

    async def on_unmount(self) -> None:
        draft = self.draft
        if draft is not None:
            draft.save_now()
        keep_for_next_run()  # what the screens opened since the start-up parsed and defined
        # A send that ended less than a second ago left full collections off (garbage.py): the
        # app is closing, so its quiet moment will not come.
        garbage.resume_full_collections(collect=False)
        await self.session.aclose()
        self.session.stop_sandbox()
        self.workbench.close()

    @property
    def draft(self) -> DraftKeeper | None:
        """What keeps the draft on disk (once the main screen has opened it), if the app keeps one.
        Through the screen as built: at unmount it has already left the screen stack."""
        screen: PlaygroundScreen | None = getattr(self, "_main", None)
        return screen.draft if screen is not None else None

    @property
    def playground(self) -> PlaygroundScreen:
        return next(s for s in self.screen_stack if isinstance(s, PlaygroundScreen))


def main(session: Session) -> int:
    """Run the playground on `session` until the user quits; the exit code."""
    # httpcore2 imports trio, when it is installed, only to learn whether it runs under trio. The
    # playground runs on asyncio, and that import costs ~40 ms of the first send.
    sys.modules.setdefault("trio", None)  # type: ignore[arg-type]  # None: "import trio" fails
    return exit_code(PlaygroundApp(session, AppOptions(freeze_heap=True, keep_draft=True)))


def exit_code(app: PlaygroundApp, **run_options: Any) -> int:
    """Run `app` until it ends; its exit code: 1 when it crashed (Textual's return code), else what
    it returned, else 0."""
    result = app.run(**run_options)
    return app.return_code or result or 0
