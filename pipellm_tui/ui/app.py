"""The Textual app: theme, palette, the main screen, and `main()` for the bare `pipellm-tui`.

Small on purpose: the panes live in `widgets/`, their wiring in `main_screen.py`, the state and the
work in `session.py`. The command line decides the endpoint (`endpoint.py`), starts the sandbox and
the model list's fetch, and builds the session before this module (and Textual) loads.

Must not import httpx2, starlette or uvicorn (they load in a worker after the first paint).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

from textual.app import App
from textual.screen import Screen

from . import garbage, textual_fixes
from .commands import ModelCommands, PlaygroundCommands, WorkbenchCommands
from .main_screen import PlaygroundScreen
from .session import Session
from .theme import DEFAULT_THEME, bundled_themes, user_themes
from .workbench import Workbench

__all__ = ["AppOptions", "PlaygroundApp", "main"]

textual_fixes.apply()


@dataclass(frozen=True, slots=True)
class AppOptions:
    #: Show timings as "<t>" (snapshot tests).
    fixed_timings: bool = False
    cursor_blink: bool = True
    #: Freeze the heap once the models are on screen (see PlaygroundScreen.prepare). The command
    #: does; tests, which build many apps in one process, must not (a frozen app is never freed).
    freeze_heap: bool = False
    theme: str = DEFAULT_THEME


class PlaygroundApp(App[int]):
    TITLE = "pipellm-tui"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {PlaygroundCommands, ModelCommands, WorkbenchCommands}
    COMMAND_PALETTE_BINDING = "ctrl+p"

    def __init__(
        self, session: Session | None = None, options: AppOptions | None = None, workbench: Workbench | None = None
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
        return PlaygroundScreen(
            self.session,
            fixed_timings=self.options.fixed_timings,
            cursor_blink=self.options.cursor_blink,
            freeze_heap=self.options.freeze_heap,
        )

    def on_ready(self) -> None:
        """The first frame is on its way to the terminal: the main screen's panes may follow."""
        self.playground.first_frame_shown()
        for theme_problem in self.theme_problems:
            self.notify(theme_problem, title="Theme file not used", severity="warning")
        problem = self.workbench.config_problem
        if problem is not None:
            self.notify(f"{problem.path}: {problem.message}", title="config.toml not used", severity="warning")

    async def on_unmount(self) -> None:
        # A send that ended less than a second ago left full collections off (garbage.py): the
        # app is closing, so its quiet moment will not come.
        garbage.resume_full_collections(collect=False)
        await self.session.aclose()
        self.session.stop_sandbox()
        self.workbench.close()

    @property
    def playground(self) -> PlaygroundScreen:
        return next(s for s in self.screen_stack if isinstance(s, PlaygroundScreen))


def main(session: Session) -> int:
    """Run the playground on `session` until the user quits; the exit code."""
    # httpcore2 imports trio, when it is installed, only to learn whether it runs under trio. The
    # playground runs on asyncio, and that import costs ~40 ms of the first send.
    sys.modules.setdefault("trio", None)  # type: ignore[arg-type]  # None: "import trio" fails
    result = PlaygroundApp(session, AppOptions(freeze_heap=True)).run()
    return result or 0
