"""The draft request on disk: what the playground is editing (format, route, model and the body
text exactly as typed, which holds the parameters too), kept so that a crash or a closed terminal
loses nothing and the next start opens where the last one left off.

One small JSON file, `draft.json` in the data directory, replaced atomically on every save
(`atomic.write_atomic`). It also keeps the verdict of the body's last check, stamped with the checker
that gave it (`checker_stamp`): a start that opens the draft shows that verdict at once instead of
loading pydantic and the format's schema first (~75 ms of the panes' arrival, ui/startup.py). A
verdict by other code (an upgrade, an edited schema) is not read back; the body is checked again. A file that cannot be read is moved aside (`atomic.quarantine`, kept as
`draft.json.corrupt-*`) and reported, never silently overwritten. The draft has no place for the key.
Textual-free and HTTP-free.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib.util
import json
import os
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..protocols.formats import Format, RouteKind
from ..protocols.problems import Issue
from .atomic import quarantine, write_atomic
from .paths import data_dir

FILE_NAME = "draft.json"
#: The layout of the file; a file of another version is set aside like a corrupt one.
VERSION = 1
#: A draft bigger than this is not a draft this app wrote (a request body is a few kilobytes).
MAX_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Verdict:
    """A check of the body: its first problem (None: valid), by the checker `stamp` names."""

    stamp: str
    problem: Issue | None


@dataclass(frozen=True, slots=True)
class Draft:
    format: Format
    route: RouteKind
    model: str
    #: The request body as typed: invalid JSON included, never re-formatted.
    body: str
    #: The body's check, when it was checked (not part of what the user drafted: drafts that
    #: differ only here are the same draft).
    checked: Verdict | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class LoadedDraft:
    """What `load_draft` found: a draft, or none; and when the file was unreadable, why, and
    where it was kept."""

    draft: Draft | None
    problem: str | None = None
    backup: Path | None = None

    @property
    def may_save(self) -> bool:
        """Whether a new draft may replace the file: not when it is unreadable and still there."""
        return self.problem is None or self.backup is not None


def draft_path() -> Path:
    return data_dir() / FILE_NAME


@functools.cache
def checker_stamp() -> str:
    """What a verdict depends on besides the body: the code that checks (every module of
    `protocols`) and pydantic's release. ~1 ms, once a process."""
    return stamp_of(Path(__file__).resolve().parent.parent / "protocols")


def stamp_of(protocols: Path) -> str:
    """A stamp of the modules under `protocols` (by size and modification time) and pydantic's."""
    seen: list[tuple[str, int, int]] = []
    for folder, subfolders, files in os.walk(protocols):
        subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                stat = os.stat(os.path.join(folder, name))
                seen.append(
                    (os.path.join(os.path.relpath(folder, protocols), name), stat.st_size, stat.st_mtime_ns)
                )
    spec = importlib.util.find_spec("pydantic")
    if spec is not None and spec.origin is not None:
        stat = Path(spec.origin).with_name("version.py").stat()
        seen.append(("pydantic", stat.st_size, stat.st_mtime_ns))
    # crc32, not a hashlib digest: loading hashlib costs ~4 ms of the start, and this is a memo's key
    return f"{zlib.crc32(repr(seen).encode()):08x}-{len(seen)}"


def to_json(draft: Draft) -> str:
    data: dict[str, Any] = {
        "version": VERSION,
        "format": draft.format.value,
        "route": draft.route.value,
        "model": draft.model,
        "body": draft.body,
    }
    if draft.checked is not None:
        problem = draft.checked.problem
        data["checked"] = {"stamp": draft.checked.stamp, "problem": problem and dataclasses.asdict(problem)}
    return json.dumps(data, ensure_ascii=False, indent=2)


def from_json(text: str) -> Draft:
    """The draft in `text`; ValueError saying what is wrong."""
    data = json.loads(text)
    found = data if isinstance(data, dict) else {}
    if found.get("version") != VERSION:
        raise ValueError(f"not a draft of version {VERSION}")
    values = {name: found.get(name) for name in ("format", "route", "model", "body")}
    text_values = {name: value for name, value in values.items() if isinstance(value, str)}
    wrong = [name for name in values if name not in text_values]
    if wrong:
        raise ValueError(f"missing or not text: {', '.join(wrong)}")
    return Draft(
        Format(text_values["format"]),
        RouteKind(text_values["route"]),
        text_values["model"],
        text_values["body"],
        _verdict(found.get("checked")),
    )


def _verdict(found: object) -> Verdict | None:
    """The kept verdict; None when there is none or it is not one this app wrote (it is only a
    shortcut: without it the body is checked again, so a bad one never makes the draft unreadable)."""
    if not isinstance(found, dict) or not isinstance(found.get("stamp"), str):
        return None
    problem = found.get("problem")
    if problem is None:
        return Verdict(found["stamp"], None)
    if not isinstance(problem, dict):
        return None
    path, message, line, column = (problem.get(k) for k in ("path", "message", "line", "column"))
    if not isinstance(path, str) or not isinstance(message, str):
        return None
    if not all(v is None or (isinstance(v, int) and not isinstance(v, bool)) for v in (line, column)):
        return None
    return Verdict(found["stamp"], Issue(path, message, line, column))


def save_draft(draft: Draft, path: Path | None = None) -> None:
    """Replace the draft on disk (atomically: a crash leaves the old draft or the new one). 0600: a
    body may hold what the user would not show others."""
    write_atomic(path or draft_path(), to_json(draft), mode=0o600)


def load_draft(path: Path | None = None) -> LoadedDraft:
    """The draft kept on disk. No file: no draft. An unreadable file is moved aside and reported;
    an OSError other than "not there" (a folder we may not read) is reported and the file left."""
    path = path or draft_path()
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ValueError(f"{size} bytes, more than a draft can be")
        raw = path.read_bytes()
    except FileNotFoundError:
        return LoadedDraft(None)
    except OSError as exc:
        return LoadedDraft(None, f"The saved draft could not be read ({exc}); it was left as it is.")
    except ValueError as exc:
        return _set_aside(path, str(exc))
    try:
        return LoadedDraft(from_json(raw.decode("utf-8")))
    except (ValueError, UnicodeDecodeError) as exc:  # JSONDecodeError is a ValueError
        return _set_aside(path, str(exc))


def _set_aside(path: Path, why: str) -> LoadedDraft:
    try:
        backup = quarantine(path)
    except OSError as exc:
        return LoadedDraft(
            None, f"The saved draft is unreadable ({why}) and could not be moved aside ({exc})."
        )
    return LoadedDraft(
        None, f"The saved draft was unreadable ({why}). It is kept as {backup}; starting afresh.", backup
    )
