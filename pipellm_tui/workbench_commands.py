"""The headless face of "keep and reuse": `pipellm-tui history` and `pipellm-tui requests`, the
`--saved NAME` option of `send`, and recording headless sends in history.

Owns argument syntax and plain-text output only; the work is in store/ (history, saved requests,
config), playground/ (recording, endpoint, exports) and export/ (curl import). Exit codes: 0 done,
2 bad input (an unknown name, an unreadable file). Imports nothing heavy at module level, so the
command line stays quick to start.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict
from typing import IO, TYPE_CHECKING, Any

from .cli import FORMATS, ROUTE_KINDS
from .sandbox.config import DEFAULT_PORT

if TYPE_CHECKING:
    from .client.events import Exchange
    from .playground.endpoint import Target
    from .store.saved_requests import SavedRequest

#: Where an export points when the profile is the sandbox (its usual port when run on its own).
SANDBOX_EXPORT_URL = f"http://127.0.0.1:{DEFAULT_PORT}"


class _Problem(Exception):
    """Bad input: one line on stderr, exit code 2."""


def add_commands(commands: Any, profile_option: Any) -> None:
    """Declare `history` and `requests` (and their options) on the CLI's subparsers."""
    history = commands.add_parser("history", help="list past exchanges, newest first")
    profile_option(history)
    history.add_argument("--json", action="store_true", help="print JSON (one object per entry)")
    history.add_argument("--limit", type=int, default=20, metavar="N", help="how many (default 20)")
    history.add_argument("--grep", default="", metavar="TEXT", help="only entries whose model, route, status, "
                         "error or answer contains TEXT (all words)")  # fmt: skip
    history.add_argument("--group", metavar="ID", help="only the entries of one compare run")
    history.add_argument("--show", type=int, metavar="ID", help="print one entry in full (JSON)")
    requests = commands.add_parser("requests", help="list, save, import, export saved requests")
    profile_option(requests)
    actions = requests.add_subparsers(dest="action", metavar="ACTION")
    listed = actions.add_parser("list", help="list saved requests (the default)")
    show = actions.add_parser("show", help="print one saved request's file")
    show.add_argument("name")
    save = actions.add_parser("save", help="save a request body under NAME")
    save.add_argument("name")
    save.add_argument("--format", required=True, choices=FORMATS)
    save.add_argument("--route", default="native", choices=ROUTE_KINDS)
    save.add_argument("--model", required=True)
    save.add_argument(
        "file", nargs="?", metavar="FILE.json", help="the body; '-' reads stdin; none: the starter"
    )
    imported = actions.add_parser("import", help="save a curl command (from a file or stdin) under NAME")
    imported.add_argument("name")
    imported.add_argument(
        "file", nargs="?", default="-", metavar="FILE", help="the command; '-' (default) stdin"
    )
    export = actions.add_parser(
        "export",
        help="print a saved request as curl or Python SDK code, or its conversation as Markdown or JSON",
    )
    export.add_argument("name")
    export.add_argument("--as", dest="as_", choices=("curl", "python", "markdown", "json"), default="curl")
    rename = actions.add_parser("rename", help="rename a saved request")
    rename.add_argument("name")
    rename.add_argument("new_name")
    delete = actions.add_parser("delete", help="delete a saved request")
    delete.add_argument("name")
    for action in (listed, show, save, imported, export, rename, delete):
        profile_option(action)


def _guarded(run: Any, err: IO[str]) -> int:
    """Every command's guard (command_guard.py), with these commands' problems."""
    from .command_guard import guarded_command
    from .export.curl_import import CurlImportError
    from .store.names import NameProblem
    from .store.profiles import ProfileProblem
    from .store.saved_requests import SavedRequestProblem

    problems = (_Problem, NameProblem, SavedRequestProblem, CurlImportError, ProfileProblem)
    return guarded_command(err, lambda: int(run()), problems)


# ---------------------------------------------------------------------------- history


def run_history(args: Any, out: IO[str] | None = None, err: IO[str] | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    return _guarded(lambda: _history(args, out, err), err)


def _history(args: Any, out: IO[str], err: IO[str]) -> int:
    from .playground.recording import open_history

    history = open_history(_config(err))
    if history.problem:
        print(f"warning: {history.problem}", file=err)
    try:
        if args.show is not None:
            entry = history.get(args.show)
            if entry is None:
                raise _Problem(f"No history entry {args.show}.")
            out.write(json.dumps(asdict(entry), indent=2, ensure_ascii=False) + "\n")
            return 0
        search = " ".join(filter(None, [args.grep]))
        rows = history.list(
            limit=max(0, args.limit) * (4 if args.profile else 1), search=search, group_id=args.group
        )
        if args.profile:
            rows = [row for row in rows if row.profile == args.profile][: args.limit]
        total = history.count()
    finally:
        history.close()
    if args.json:
        for row in rows:
            out.write(json.dumps(asdict(row), ensure_ascii=False) + "\n")
        return 0
    for row in rows:
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(row.at))
        status = str(row.status) if row.status is not None else "---"
        timing = f"{row.total:.2f}s" if row.total is not None else "-"
        what = row.error or row.answer_preview.replace("\n", " ")
        route = f"{row.format}/{row.route}"
        out.write(
            f"{row.id:>6}  {when}  {status:>3}  {route:<26}  {row.model:<28}  {timing:>7}  {what[:60]}\n"
        )
    print(f"{len(rows)} shown of {total} in history", file=err)
    return 0


def record_in_history(exchange: Exchange, where: Target, err: IO[str]) -> None:
    """Keep a headless send in history (unless `[history] enabled = false`). A history that cannot
    be written is a warning, never a failed send."""
    import sqlite3

    from .playground.recording import open_history, record_exchange

    config = _config(None)
    if not config.history.enabled:
        return
    try:
        history = open_history(config)
    except (OSError, sqlite3.Error) as exc:
        print(f"warning: history not written: {exc}", file=err)
        return
    try:
        if history.problem:
            print(f"warning: {history.problem}", file=err)
        record_exchange(history, exchange, profile=where.profile.name)
    except (OSError, sqlite3.Error) as exc:
        print(f"warning: history not written: {exc}", file=err)
    finally:
        history.close()


def _config(err: IO[str] | None) -> Any:
    from .store.config import load_config

    loaded = load_config()
    if loaded.problem is not None and err is not None:
        print(f"warning: {loaded.problem}; using the default settings.", file=err)
    return loaded.config


# ---------------------------------------------------------------------------- saved requests


def apply_saved_request(args: Any) -> None:
    """`send --saved NAME`: the saved format, route, model, body and profile, unless the command
    line names its own model or profile."""
    from .store.saved_requests import SavedRequestProblem, SavedRequests

    try:
        saved = SavedRequests().open(args.saved)
    except (SavedRequestProblem, ValueError) as exc:
        from .command_guard import UsageProblem

        raise UsageProblem(str(exc.args[0] if exc.args else exc)) from None
    args.format = saved.format.value
    args.route = saved.route.value
    args.model = args.model or saved.model
    args.saved_body = saved.body
    if saved.profile and not getattr(args, "profile", None) and not args.base_url and not args.sandbox:
        args.profile = saved.profile


def run_requests(
    args: Any, out: IO[str] | None = None, err: IO[str] | None = None, stdin: IO[str] | None = None
) -> int:
    out, err, stdin = out or sys.stdout, err or sys.stderr, stdin or sys.stdin
    return _guarded(lambda: _requests(args, out, err, stdin), err)


def _requests(args: Any, out: IO[str], err: IO[str], stdin: IO[str]) -> int:
    from .store.saved_requests import SavedRequests

    store = SavedRequests()
    action = getattr(args, "action", None) or "list"
    if action == "list":
        rows = [
            row for row in store.list() if not args.profile or _profile_of(store, row.name) == args.profile
        ]
        for row in rows:
            if row.problem is not None:
                out.write(f"{row.name}  (unreadable: {row.problem})\n")
            else:
                out.write(f"{row.name}  {row.format}/{row.route}  {row.model}\n")
        print(f"{len(rows)} saved request(s) in {store.folder}", file=err)
    elif action == "show":
        out.write(store.open(args.name).to_toml())
    elif action == "save":
        _save(store, args, err, stdin)
    elif action == "import":
        _import(store, args, err, stdin)
    elif action == "export":
        out.write(_export(store.open(args.name), args, err) + "\n")
    elif action == "rename":
        store.rename(args.name, args.new_name)
        print(f"renamed {args.name!r} to {args.new_name!r}", file=err)
    elif action == "delete":
        store.delete(args.name)
        print(f"deleted {args.name!r}", file=err)
    return 0


def _profile_of(store: Any, name: str) -> str | None:
    try:
        return str(store.open(name).profile or "") or None
    except ValueError:
        return None


def _save(store: Any, args: Any, err: IO[str], stdin: IO[str]) -> None:
    from .command_guard import UsageProblem
    from .headless import read_body
    from .protocols.formats import Format, RouteKind
    from .store.saved_requests import SavedRequest

    try:
        body = read_body(args.file, Format(args.format), args.model, stdin)
    except UsageProblem as exc:
        raise _Problem(str(exc)) from None
    saved = SavedRequest(
        args.name, Format(args.format), RouteKind(args.route), args.model, body, args.profile
    )
    _report_save(store, saved, err)


def _import(store: Any, args: Any, err: IO[str], stdin: IO[str]) -> None:
    from .export.curl_import import import_curl
    from .store.saved_requests import SavedRequest

    text = stdin.read() if args.file == "-" else _read_text(args.file)
    imported = import_curl(text, key_env=_profile(args).key_env)
    body = {k: v for k, v in imported.body.items() if k != "model"}
    saved = SavedRequest(args.name, imported.format, imported.route, imported.model, body, args.profile)
    _report_save(store, saved, err)
    if imported.dropped_literal_key:
        print(f"note: the key in the command was not kept; the request reads ${imported.key_env}.", file=err)
    if imported.ignored:
        print(f"note: ignored {', '.join(imported.ignored)}", file=err)


def _report_save(store: Any, saved: SavedRequest, err: IO[str]) -> None:
    kept = store.save(saved)
    if kept is not None:
        print(f"warning: {kept}", file=err)
    print(f"saved {saved.name!r} in {store.path_of(saved.name)}", file=err)


def _export(saved: SavedRequest, args: Any, err: IO[str]) -> str:
    from .playground.exports import export_request
    from .store.profiles import ProfileKind

    if args.as_ in ("markdown", "json"):
        from .export.conversation import conversation_json, conversation_markdown

        write = conversation_markdown if args.as_ == "markdown" else conversation_json
        return write(saved.format, saved.body, model=saved.model).rstrip("\n")
    profile = _profile(args, saved.profile)
    base_url = SANDBOX_EXPORT_URL if profile.kind is ProfileKind.SANDBOX else profile.base_url
    return export_request(
        args.as_, saved.format, saved.route, base_url, saved.model, saved.body, profile.key_env
    )


def _profile(args: Any, fallback: str | None = None) -> Any:
    from .store.profiles import find_profile

    config = _config(None)
    name = getattr(args, "profile", None) or fallback or config.profile or "pipellm"
    return find_profile(config.all_profiles(), name)


def _read_text(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise _Problem(f"cannot read {path}: {exc}") from None


def add_saved_option(send: argparse.ArgumentParser) -> None:
    send.add_argument("--saved", metavar="NAME", help="send a saved request (see `pipellm-tui requests`)")
