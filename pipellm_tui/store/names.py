"""Names a user gives things the store keeps (saved requests, profiles): safe as file names.

One rule for all of them, so a name that works in one place works in every other.
"""

from __future__ import annotations

import re

_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _.\-]*")
_MAX = 100


class NameProblem(ValueError):
    """A name that cannot be used; the message says why, in words a user can act on."""


def check_name(name: str, what: str = "name") -> str:
    """`name` stripped, or NameProblem: letters, digits, space, `_`, `.`, `-`; no path separators,
    no leading dot or dash, no `..`, at most 100 characters."""
    cleaned = name.strip()
    if not cleaned:
        raise NameProblem(f"The {what} is empty.")
    if "/" in cleaned or "\\" in cleaned:
        raise NameProblem(f"The {what} {cleaned!r} contains a path separator ('/' or '\\').")
    if ".." in cleaned:
        raise NameProblem(f"The {what} {cleaned!r} contains '..'.")
    if len(cleaned) > _MAX:
        raise NameProblem(f"The {what} is longer than {_MAX} characters.")
    if not _SAFE.fullmatch(cleaned):
        raise NameProblem(
            f"The {what} {cleaned!r} may use letters, digits, spaces, '_', '.' and '-', "
            "and must start with a letter or digit."
        )
    return cleaned
