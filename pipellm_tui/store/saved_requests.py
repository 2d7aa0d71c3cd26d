"""Saved requests: one TOML file per request in `data_dir()/requests/`, a folder a user can keep
under git. A file looks like:

    format = "anthropic"
    route = "native"
    model = "claude-sonnet-4-5-20250929"
    profile = "pipellm"            # optional
    body = '''
    { ...the request body as JSON... }
    '''

The body is JSON text inside the TOML (TOML has no null, JSON bodies may). Names are checked by
`names.check_name`, so a name is always a plain file name. A file that cannot be read is reported
(file, line, problem) and left as it is; saving over it keeps it as a `.corrupt-<time>` backup first.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..protocols.formats import Format, RouteKind
from .atomic import quarantine, write_atomic
from .names import check_name
from .paths import data_dir
from .toml_file import FileProblem, read_toml

SUFFIX = ".toml"


class SavedRequestProblem(ValueError):
    """A saved request that cannot be opened, saved, renamed or deleted; the message says why."""


@dataclass(frozen=True, slots=True)
class SavedRequest:
    name: str
    format: Format
    route: RouteKind
    model: str
    body: dict[str, Any]
    profile: str | None = None

    def to_toml(self) -> str:
        import tomli_w  # only when saving: the module is on the start's path

        table: dict[str, Any] = {"format": self.format.value, "route": self.route.value, "model": self.model}
        if self.profile:
            table["profile"] = self.profile
        text = json.dumps(self.body, indent=2, ensure_ascii=False)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate ("\ud800" in the editor's JSON): keep it escaped
            text = json.dumps(self.body, indent=2)
        # TOML allows no DEL in a literal string; json.dumps leaves it bare, and only inside strings.
        text = text.replace("\x7f", "\\u007f")
        if "'''" in text:  # cannot be a literal string: a basic one, with its escapes
            return tomli_w.dumps({**table, "body": text + "\n"}, multiline_strings=True)
        # A literal multi-line string: the JSON reads as it is, no escapes (json.dumps escapes
        # every control character, so only the closing quotes could break it).
        return tomli_w.dumps(table) + f"body = '''\n{text}\n'''\n"


@dataclass(frozen=True, slots=True)
class SavedRequestInfo:
    """A row of the list. `problem` is set (and the rest may be empty) for a file that cannot be read."""

    name: str
    path: Path
    format: str = ""
    route: str = ""
    model: str = ""
    modified: float = 0.0
    problem: FileProblem | None = None


def requests_dir() -> Path:
    return data_dir() / "requests"


class SavedRequests:
    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or requests_dir()

    def path_of(self, name: str) -> Path:
        return self.folder / (check_name(name, "request name") + SUFFIX)

    def list(self) -> list[SavedRequestInfo]:
        """Every saved request, by name (case-insensitive); unreadable ones say why."""
        if not self.folder.is_dir():
            return []
        found = []
        for path in sorted(self.folder.glob(f"*{SUFFIX}"), key=lambda p: p.stem.lower()):
            if path.name.startswith("."):
                continue
            modified = path.stat().st_mtime
            try:
                request = self._read(path)
            except SavedRequestProblem as exc:
                problem = exc.args[1] if len(exc.args) > 1 else FileProblem(path, str(exc))
                found.append(SavedRequestInfo(path.stem, path, modified=modified, problem=problem))
                continue
            found.append(
                SavedRequestInfo(
                    path.stem, path, request.format.value, request.route.value, request.model, modified
                )
            )
        return found

    def open(self, name: str) -> SavedRequest:
        path = self.path_of(name)
        if not path.exists():
            known = ", ".join(info.name for info in self.list()) or "none yet"
            raise SavedRequestProblem(f"No saved request named {name!r} (saved: {known}).")
        return self._read(path)

    def save(self, request: SavedRequest, *, overwrite: bool = True) -> FileProblem | None:
        """Write the request's file atomically. A file there that could not be read is kept as a
        backup first (the returned problem says where)."""
        path = self.path_of(request.name)
        text = request.to_toml()
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise SavedRequestProblem(
                "The model or profile holds characters that are not text (a lone surrogate)."
            ) from None
        kept = None
        if path.exists():
            if not overwrite:
                raise SavedRequestProblem(f"A saved request named {request.name!r} already exists.")
            try:
                self._read(path)
            except SavedRequestProblem as exc:
                kept = FileProblem(path, str(exc), backup=quarantine(path))
        write_atomic(path, text)
        return kept

    def rename(self, old: str, new: str) -> None:
        source, target = self.path_of(old), self.path_of(new)
        if not source.exists():
            raise SavedRequestProblem(f"No saved request named {old!r}.")
        if target.exists() and source != target:
            raise SavedRequestProblem(f"A saved request named {new!r} already exists.")
        os.replace(source, target)

    def delete(self, name: str) -> None:
        path = self.path_of(name)
        try:
            path.unlink()
        except FileNotFoundError:
            raise SavedRequestProblem(f"No saved request named {name!r}.") from None

    def _read(self, path: Path) -> SavedRequest:
        table, problem = read_toml(path)
        if problem is None and table is None:
            problem = FileProblem(path, "has gone")
        if problem is not None:
            raise SavedRequestProblem(str(problem), problem)
        assert table is not None
        try:
            fmt = Format(table["format"])
            route = RouteKind(table.get("route", "native"))
            model = table["model"]
            body = json.loads(table["body"]) if isinstance(table["body"], str) else table["body"]
            profile = table.get("profile")
        except KeyError as exc:
            raise _problem(path, f"is missing {exc.args[0]!r}") from None
        except ValueError as exc:  # a Format/RouteKind it does not know, or JSON that does not parse
            raise _problem(path, str(exc)) from None
        if not isinstance(model, str) or not isinstance(body, dict) or not isinstance(profile, str | None):
            raise _problem(path, "model must be text, body a JSON object, profile text")
        return SavedRequest(path.stem, fmt, route, model, body, profile)


def _problem(path: Path, message: str) -> SavedRequestProblem:
    problem = FileProblem(path, message)
    return SavedRequestProblem(str(problem), problem)
