"""The draft request on disk (store/draft.py): a round trip keeps every byte of the body, an
unreadable file is kept aside and reported (never overwritten), and the file has no place for a key.
The body's verdict is kept with it, stamped with the checking code, and dropped when it is broken."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from pipellm_tui.protocols.formats import Format, RouteKind
from pipellm_tui.protocols.problems import Issue
from pipellm_tui.store.draft import (
    Draft,
    Verdict,
    checker_stamp,
    draft_path,
    load_draft,
    save_draft,
    stamp_of,
)

INVALID_BODY = '{\n  "model": "claude-x",\n  "messages": [ {"role": "user", "content": "héllo \\u00e9\t"\n'


def test_the_draft_lives_in_the_data_directory(data_home: Path) -> None:
    assert draft_path() == data_home / "pipellm-tui" / "draft.json"


def test_round_trip_keeps_everything_and_invalid_json_verbatim() -> None:
    for body in ('{"model": "gpt-4o"}', INVALID_BODY, "", "[1, 2", "\u2028 tabs\tand\r\nCRLF \U0001f600"):
        draft = Draft(Format.ANTHROPIC, RouteKind.CONVERTER, "claude-sonnet-4-5", body)
        save_draft(draft)
        loaded = load_draft()
        assert loaded.problem is None and loaded.draft == draft
        assert loaded.draft.body == body  # byte for byte


def test_no_file_is_no_draft_and_no_problem() -> None:
    loaded = load_draft()
    assert loaded.draft is None and loaded.problem is None and loaded.may_save


def test_the_file_is_private_and_holds_only_the_draft() -> None:
    save_draft(Draft(Format.GEMINI, RouteKind.NATIVE, "gemini-2.5-pro", '{"contents": []}'))
    path = draft_path()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert set(json.loads(path.read_text())) == {"version", "format", "route", "model", "body"}
    assert not any(p.name.endswith(".tmp") for p in path.parent.iterdir())  # no temp file left


@pytest.mark.parametrize(
    "content",
    [
        b"{ this is not json",
        b"\xff\xfe not utf-8",
        b"[1, 2, 3]",
        b'{"version": 99, "format": "anthropic", "route": "native", "model": "m", "body": ""}',
        b'{"version": 1, "format": "cobol", "route": "native", "model": "m", "body": ""}',
        b'{"version": 1, "format": "anthropic", "route": "native", "model": "m", "body": ["x"]}',
        b'{"version": 1, "format": "anthropic", "route": "native", "model": "m"}',
    ],
)
def test_a_corrupt_file_is_kept_aside_with_a_message(content: bytes) -> None:
    path = draft_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    loaded = load_draft()
    assert loaded.draft is None and loaded.problem is not None
    assert loaded.backup is not None and loaded.backup.name.startswith("draft.json.corrupt-")
    assert str(loaded.backup) in loaded.problem and "unreadable" in loaded.problem
    assert loaded.backup.read_bytes() == content  # kept as it was
    assert not path.exists() and loaded.may_save
    # A new draft does not touch the backup.
    save_draft(Draft(Format.OPENAI_CHAT, RouteKind.NATIVE, "gpt-4o", "{}"))
    assert loaded.backup.read_bytes() == content
    # A second corrupt file gets a backup of its own.
    path.write_bytes(content)
    again = load_draft()
    assert again.backup is not None and again.backup != loaded.backup and again.backup.exists()


def test_an_unreadable_location_is_reported_and_left_alone(tmp_path: Path) -> None:
    folder = tmp_path / "a-folder-named-like-the-draft"
    folder.mkdir()
    loaded = load_draft(folder)  # reading a folder as a file: an OSError, not corruption
    assert loaded.draft is None and loaded.problem is not None and loaded.backup is None
    assert not loaded.may_save and folder.is_dir()


def test_a_verdict_is_kept_with_the_draft_and_one_this_app_did_not_write_is_dropped() -> None:
    for problem in (
        None,
        Issue("messages[0].role", "Input should be 'user'"),
        Issue("", "Not valid JSON", 3, 7),
    ):
        draft = Draft(Format.GEMINI, RouteKind.NATIVE, "gemini-2.5-pro", "{}", Verdict("stamp-1", problem))
        save_draft(draft)
        loaded = load_draft().draft
        assert loaded is not None and loaded.checked == Verdict("stamp-1", problem)
    # A verdict is only a shortcut: a broken one loses the verdict, never the draft.
    kept = {"version": 1, "format": "anthropic", "route": "native", "model": "m", "body": "{}"}
    for checked in (
        "yes",
        {"problem": None},
        {"stamp": 7, "problem": None},
        {"stamp": "s", "problem": "bad"},
        {"stamp": "s", "problem": {"path": 1, "message": "m"}},
        {"stamp": "s", "problem": {"path": "", "message": "m", "line": "3"}},
        {"stamp": "s", "problem": {"path": "", "message": "m", "line": True}},
    ):
        draft_path().parent.mkdir(parents=True, exist_ok=True)
        draft_path().write_text(json.dumps({**kept, "checked": checked}))
        loaded = load_draft()
        assert loaded.problem is None and loaded.draft is not None, checked
        assert loaded.draft.body == "{}" and loaded.draft.checked is None, checked


def test_the_checker_stamp_changes_with_the_code_that_checks(tmp_path: Path) -> None:
    import shutil

    import pipellm_tui.protocols

    copy = tmp_path / "protocols"
    shutil.copytree(Path(pipellm_tui.protocols.__file__).parent, copy)
    before = stamp_of(copy)
    assert stamp_of(copy) == before  # the same code, the same stamp
    schema = copy / "schemas" / "openai_chat.py"
    schema.write_text(schema.read_text() + "\n# an edited schema\n")
    assert stamp_of(copy) != before
    assert checker_stamp() == checker_stamp() != stamp_of(copy)
