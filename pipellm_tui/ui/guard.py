"""The edge where an unexpected exception stops: our handlers of what the user does and of what a
server sends (key bindings, pane messages, timers) run under `guarded`.

An exception that escapes a handler would reach Textual, which ends the app and prints a traceback
with every frame's local variables. Caught here instead, it is shown in the error pane as what it is,
a bug in pipellm-tui, with where to report it; the app keeps running and the request stays as typed.
Textual's own `SkipAction` passes through (it is how an action declines a key).

Must not import httpx2.
"""

from __future__ import annotations

import functools
import inspect
import traceback
from collections.abc import Awaitable, Callable
from typing import Any, Protocol, TypeVar, cast, runtime_checkable

from textual.actions import SkipAction

#: Where a user reports a bug (the project's one issue tracker).
REPORT_TO = "the pipellm-tui issue tracker"
#: The innermost frames shown with a bug: enough to find it, short enough to read in the pane.
FRAMES_SHOWN = 6

Handler = TypeVar("Handler", bound=Callable[..., Any])


@runtime_checkable
class BugReporter(Protocol):
    def report_bug(self, error: BaseException, doing: str) -> None: ...


def bug_title(error: BaseException) -> str:
    return f"This is a bug in pipellm-tui: {type(error).__name__}"


def bug_text(error: BaseException, doing: str) -> str:
    """What the error pane says about an unexpected exception. Frames only (file, line, function
    and source line): no local variables, so no key, whatever the frames held."""
    frames = traceback.extract_tb(error.__traceback__)[-FRAMES_SHOWN:]
    where = "".join(traceback.format_list(frames)).rstrip()
    message = str(error) or "(no message)"
    return (
        f"Something went wrong inside pipellm-tui while {doing}: {type(error).__name__}: {message}\n\n"
        "The app keeps running and your request is kept as you typed it.\n"
        f"Please report this bug on {REPORT_TO}, with the steps that led here and the lines below "
        "(they hold no key).\n\n"
        f"{where}"
    )


def report(node: Any, error: BaseException, doing: str) -> None:
    """Hand `error` to the app's bug report (the playground's), or, failing that, a notification.
    When neither can be shown, `error` goes on to Textual: a crash (exit 1, no locals) is better
    than a bug nobody sees."""
    try:
        app = node.app
        if isinstance(app, BugReporter):
            app.report_bug(error, doing)
            return
    except Exception:  # noqa: BLE001, S110 - the report itself failed: try the shortest one
        pass
    try:
        node.app.notify(f"{bug_title(error)} ({error}). Please report it on {REPORT_TO}.", severity="error")
    except Exception:  # noqa: BLE001
        raise error from None


def guarded(handler: Handler) -> Handler:
    """Run `handler` (a method of a widget, a screen or the app) at the edge: an unexpected exception
    becomes a bug report on screen instead of the end of the app. Sync and async alike; the
    signature is kept (Textual counts a handler's parameters)."""
    doing = handler.__name__.removeprefix("on_").removeprefix("action_").strip("_").replace("_", " ")
    doing = f"handling '{doing}'"
    if inspect.iscoroutinefunction(handler):

        @functools.wraps(handler)
        async def run_async(self: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                return await cast(Callable[..., Awaitable[Any]], handler)(self, *args, **kwargs)
            except SkipAction:
                raise
            except Exception as error:  # noqa: BLE001 - this is the edge
                report(self, error, doing)
                return None

        return cast(Handler, run_async)

    @functools.wraps(handler)
    def run(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return handler(self, *args, **kwargs)
        except SkipAction:
            raise
        except Exception as error:  # noqa: BLE001 - this is the edge
            report(self, error, doing)
            return None

    return cast(Handler, run)
