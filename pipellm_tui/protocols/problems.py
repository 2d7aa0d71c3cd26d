"""The one exception raised for input a format cannot accept, with the JSON path of the culprit, and
the `Issue` a check reports (protocols/validate.py finds them; here, so that a verdict can be read
back, from a kept draft, without loading pydantic).

No I/O; standard library only.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True, slots=True)
class Issue:
    #: JSON path of the culprit ("" for the whole body).
    path: str
    message: str
    #: Where in the text, for JSON syntax errors (1-based), so an editor can put the cursor there.
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class ProtocolError(ValueError):
    """A body that does not fit its format: not JSON, a wrong type, a missing required field.

    `path` is a JSON path such as `messages[2].content[0].type` ("" for the whole body), so the
    editor, the sandbox's 400 and the CLI can all say where the problem is.
    """

    def __init__(self, message: str, path: str = "") -> None:
        self.message = message
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


def guarded(what: str) -> Callable[[F], F]:
    """Defence in depth at a public entry point: it raises `ProtocolError` and nothing else.

    The adapters check types themselves; an exception of another kind that still gets out is a gap
    in those checks (a bug), so it is reported as one, with the original kept as `__cause__`. Nesting
    too deep for the interpreter is the input's fault and says so.
    """

    def wrap(function: F) -> F:
        @functools.wraps(function)
        def run(*args: Any, **kwargs: Any) -> Any:
            try:
                return function(*args, **kwargs)
            except ProtocolError:
                raise
            except RecursionError:
                raise ProtocolError(f"{what}: nested too deeply to read") from None
            except Exception as exc:
                raise ProtocolError(unexpected(what, exc)) from exc

        return run  # type: ignore[return-value]

    return wrap


def unexpected(what: str, exc: BaseException) -> str:
    """The message for an exception the checks missed: what failed, and that it is a bug to report."""
    try:
        detail = str(exc)[:200]
    except Exception:  # noqa: BLE001 - a message that cannot even be shown
        detail = ""
    return (
        f"{what}: could not be read ({type(exc).__name__}: {detail}); "
        "this is a bug in pipellm-tui (the input should have been refused with a clear message)"
    )
