"""The Textual app: theme, palette, the main screen, and `main(args)` for the bare `pipellm-tui`.

Small on purpose: the panes live in `widgets/`, their wiring in `main_screen.py`, the state and the
work in `session.py`. Where the endpoint comes from:

| given                                   | endpoint                                     |
|-----------------------------------------|----------------------------------------------|
| `--sandbox`                             | the sandbox, in-process on a free port        |
| `--base-url URL` (+ key from env)       | URL                                          |
| `PIPELLM_API_KEY` (or `--api-key-env`)  | https://api.pipellm.ai                       |
| nothing                                 | the sandbox, in-process on a free port        |

Must not import httpx2, starlette or uvicorn (they load in a worker after the first paint).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from textual.app import App

from ..protocols.routes import PIPELLM_BASE_URL
from .commands import PlaygroundCommands
from .endpoint import Endpoint
from .main_screen import PlaygroundScreen
from .session import Session
from .theme import DEFAULT_THEME, bundled_themes

KEY_ENV = "PIPELLM_API_KEY"


@dataclass(frozen=True, slots=True)
class AppOptions:
    #: Show timings as "<t>" (snapshot tests).
    fixed_timings: bool = False
    cursor_blink: bool = True
    theme: str = DEFAULT_THEME


class PlaygroundApp(App[int]):
    TITLE = "pipellm-tui"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {PlaygroundCommands}
    COMMAND_PALETTE_BINDING = "ctrl+p"

    def __init__(self, session: Session | None = None, options: AppOptions | None = None) -> None:
        super().__init__()
        self.session = session or Session()
        self.options = options or AppOptions()
        for theme in bundled_themes():
            self.register_theme(theme)
        self.theme = self.options.theme

    def on_mount(self) -> None:
        self.push_screen(
            PlaygroundScreen(
                self.session, fixed_timings=self.options.fixed_timings, cursor_blink=self.options.cursor_blink
            )
        )

    async def on_unmount(self) -> None:
        await self.session.aclose()
        self.session.stop_sandbox()

    @property
    def playground(self) -> PlaygroundScreen:
        return next(s for s in self.screen_stack if isinstance(s, PlaygroundScreen))


def endpoint_from_args(args: Any, environ: dict[str, str] | None = None) -> Endpoint | None:
    """The endpoint the arguments and environment ask for; None means "start the sandbox"."""
    environ = dict(os.environ) if environ is None else environ
    if getattr(args, "sandbox", False):
        return None
    key_env = getattr(args, "api_key_env", None) or KEY_ENV
    key = environ.get(key_env, "")
    base_url = getattr(args, "base_url", None)
    if base_url:
        return Endpoint(base_url.rstrip("/"), key)
    if key:
        return Endpoint(PIPELLM_BASE_URL, key)
    return None


def main(args: Any) -> int:
    """Run the playground until the user quits; the exit code."""
    session = Session(endpoint=endpoint_from_args(args))
    session.warm_up()
    result = PlaygroundApp(session).run()
    return result or 0
