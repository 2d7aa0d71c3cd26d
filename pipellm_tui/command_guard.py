"""How every command-line command ends (send, models, compare, history, requests): a user's mistake
is one line and exit code 2, Ctrl-C 130, and a bug of ours one line and 1, never a traceback.
Standard library only, so a command that needs nothing heavier (history) does not load the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO


class UsageProblem(Exception):
    """Bad input from the user: printed as one line, exit code 2."""


def guarded_command(
    err: IO[str], command: Callable[[], int], problems: tuple[type[Exception], ...] = ()
) -> int:
    """Run one command and give its exit code: a usage problem (or one of `problems`) is one line
    and 2, Ctrl-C 130, and anything unexpected one line and 1, never a traceback."""
    refused: tuple[type[Exception], ...] = (UsageProblem, *problems)
    try:
        return command()
    except refused as exc:
        print(f"error: {exc}", file=err)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=err)
        return 130
    except Exception as exc:  # noqa: BLE001 - the last guard: one error line, never a traceback
        print(f"error: unexpected {type(exc).__name__}: {exc}", file=err)
        print("  advice: this is a bug in pipellm-tui; please report it with the command you ran.", file=err)
        return 1
