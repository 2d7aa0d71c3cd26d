"""The draft request on disk: what the playground is editing (format, route, model and the body
text exactly as typed, which holds the parameters too), kept so that a crash or a closed terminal
loses nothing and the next start opens where the last one left off.

One small JSON file, `draft.json` in the data directory, replaced atomically on every save
(`atomic.write_atomic`). A file that cannot be read is moved aside (`atomic.quarantine`, kept as
`draft.json.corrupt-*`) and reported, never silently overwritten. The draft has no place for the key.
Textual-free and HTTP-free.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..protocols.formats import Format, RouteKind
from .atomic import quarantine, write_atomic
from .paths import data_dir

FILE_NAME = "draft.json"
#: The layout of the file; a file of another version is set aside like a corrupt one.
VERSION = 1
#: A draft bigger than this is not a draft this app wrote (a request body is a few kilobytes).
MAX_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Draft:
    format: Format
    route: RouteKind
    model: str
    #: The request body as typed: invalid JSON included, never re-formatted.
    body: str


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


def to_json(draft: Draft) -> str:
    return json.dumps(
        {
            "version": VERSION,
            "format": draft.format.value,
            "route": draft.route.value,
            "model": draft.model,
            "body": draft.body,
        },
        ensure_ascii=False,
        indent=2,
    )


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
    )


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
