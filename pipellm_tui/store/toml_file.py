"""Reading and writing the store's TOML files, and the one way a file's problem is reported.

A file that cannot be read is never a crash and never silently replaced: the reader returns a
`FileProblem` naming the file, the line when known, and what is wrong; writers go through
`atomic.write_atomic`. Standard library and tomli-w only.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .atomic import write_atomic

_AT_LINE = re.compile(r"\(at line (\d+), column (\d+)\)")


@dataclass(frozen=True, slots=True)
class FileProblem:
    """Why a file was not used. `backup` is where it was moved when it had to make room."""

    path: Path
    message: str
    line: int | None = None
    backup: Path | None = None

    def __str__(self) -> str:
        where = f"{self.path}, line {self.line}" if self.line else str(self.path)
        kept = f" (kept as {self.backup.name})" if self.backup else ""
        return f"{where}: {self.message}{kept}"


def read_toml(path: Path) -> tuple[dict[str, Any] | None, FileProblem | None]:
    """The file's table, (None, None) when there is no file, (None, problem) when it is unreadable."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, None
    except OSError as exc:
        return None, FileProblem(path, f"cannot be read: {exc.strerror or exc}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, FileProblem(path, "is not UTF-8 text", line)
    try:
        return tomllib.loads(text), None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = _AT_LINE.search(message)
        at = int(found.group(1)) if found else None
        return None, FileProblem(path, _AT_LINE.sub("", message).strip() + " (not valid TOML)", at)


def write_toml(path: Path, table: dict[str, Any], *, mode: int = 0o644) -> None:
    import tomli_w  # only when writing: the module is on the start's path

    write_atomic(path, tomli_w.dumps(table), mode=mode)


def line_of(path: Path, keys: Sequence[str | int]) -> int | None:
    """The line where the last of `keys` (a location like ("timeouts", "connect")) is assigned,
    so a value of the wrong type is reported where the user will look. Best effort: None if unseen."""
    names = [k for k in keys if isinstance(k, str)]
    if not names:
        return None
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    key = re.compile(rf"^\s*[\"']?{re.escape(names[-1])}[\"']?\s*=")
    table = re.compile(rf"^\s*\[+\s*[^\]]*{re.escape(names[-1])}[\"']?\s*\]+")
    for number, text in enumerate(lines, 1):
        if key.match(text) or table.match(text):
            return number
    return None
