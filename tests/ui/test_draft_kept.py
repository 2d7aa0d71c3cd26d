"""Pilot tests: nothing typed is lost. The draft request is kept on disk as the user edits and on
exit, and the next start opens it (invalid JSON included, byte for byte); a corrupt draft file is
kept aside with a message; a format switch never replaces a request it cannot convert. A kept
verdict spares the start its check, only when the same checker gave it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from textual.widgets import OptionList, Static

from pipellm_tui.playground.endpoint import Endpoint
from pipellm_tui.playground.session import Session
from pipellm_tui.protocols.formats import Format, RouteKind
from pipellm_tui.protocols.problems import Issue
from pipellm_tui.store.draft import Draft, Verdict, checker_stamp, draft_path, load_draft, save_draft
from pipellm_tui.ui.app import AppOptions, PlaygroundApp
from pipellm_tui.ui.draft_keeper import DraftKeeper

from .conftest import FakeClock, settle, started
from .support import type_request

#: Not JSON at all (an unfinished edit): it must come back exactly as typed.
HALF_TYPED = '{\n  "model": "claude-sonnet-4-5-20250929",\n  "system": "Be brief.",\n  "messages": [\n    {"role": "user", "content": "héllo\t'


def keeping_app(sandbox: Any) -> PlaygroundApp:
    """The app as the command runs it: the draft kept on disk."""
    endpoint = Endpoint(sandbox.base_url, sandbox.api_key, is_sandbox=True)
    return PlaygroundApp(
        Session(endpoint=endpoint, clock=FakeClock()), AppOptions(cursor_blink=False, keep_draft=True)
    )


async def saved(pilot: Any, app: PlaygroundApp) -> Draft:
    """Wait until the draft keeper has written what it was waiting to write; what is on disk."""
    keeper = app.draft
    assert keeper is not None
    for _ in range(200):
        await pilot.pause(0.05)
        if not keeper.pending:
            break
    await app.workers.wait_for_complete()
    await pilot.pause(0.1)
    loaded = load_draft()
    assert loaded.draft is not None, loaded.problem
    return loaded.draft


def problem(app: PlaygroundApp) -> str:
    return str(app.playground.query_one("#request-problem", Static).render())


def notes(app: PlaygroundApp) -> str:
    return "\n".join(f"{n.title}: {n.message}" for n in app._notifications)


async def test_the_last_draft_opens_at_start_exactly_as_typed(sandbox: Any) -> None:
    save_draft(Draft(Format.ANTHROPIC, RouteKind.CONVERTER, "claude-sonnet-4-5-20250929", HALF_TYPED))
    app = keeping_app(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot, app)
        assert screen.editor.text == HALF_TYPED
        session = app.session
        assert session.format is Format.ANTHROPIC and session.route_kind is RouteKind.CONVERTER
        assert session.model == "claude-sonnet-4-5-20250929"
        assert problem(app).startswith("✗ Not valid JSON")  # validated, not "fixed"
        # The list shown before the draft opened marked the default model; now it marks the draft's.
        options = screen.query_one("#models-list", OptionList)
        marked = [options.get_option_at_index(i).id for i in range(options.option_count)
                  if str(options.get_option_at_index(i).prompt).startswith("● ")]  # fmt: skip
        assert marked == ["claude-sonnet-4-5-20250929"]
    # Nothing changed, so the file is as it was.
    assert load_draft().draft == Draft(
        Format.ANTHROPIC, RouteKind.CONVERTER, "claude-sonnet-4-5-20250929", HALF_TYPED
    )


async def test_edits_are_kept_as_you_type_and_on_quit_without_the_key(sandbox: Any) -> None:
    app = keeping_app(sandbox)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await started(pilot, app)
        assert not draft_path().exists()  # nothing changed yet: nothing written
        await type_request(pilot, app, HALF_TYPED)
        draft = await saved(pilot, app)
        assert draft.body == HALF_TYPED and draft.format is Format.OPENAI_CHAT
        # A valid request, then a format switch: the draft follows both.
        body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 20}
        await type_request(pilot, app, json.dumps(body))
        await pilot.press("ctrl+t")  # openai-chat -> openai-responses
        draft = await saved(pilot, app)
        assert draft.format is Format.OPENAI_RESPONSES
        assert draft.body == app.session.request_text and '"Hi"' in draft.body
        # Typed just before quitting, still inside the editor's debounce: kept by the quit.
        app.playground.editor.text_area.load_text('{"last": "keys"')
        await pilot.press("ctrl+q")
    assert load_draft().draft.body == '{"last": "keys"'  # type: ignore[union-attr]
    on_disk = draft_path().read_text(encoding="utf-8")
    assert sandbox.api_key not in on_disk and "api_key" not in on_disk


async def test_a_corrupt_draft_is_kept_aside_and_said(sandbox: Any) -> None:
    path = draft_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b'{"version": 1, "format": "anthropic", "body": "half')
    app = keeping_app(sandbox)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await started(pilot, app)
        backups = list(path.parent.glob("draft.json.corrupt-*"))
        assert len(backups) == 1
        assert backups[0].read_bytes() == b'{"version": 1, "format": "anthropic", "body": "half'
        assert str(backups[0]) in notes(app) and "unreadable" in notes(app)
        assert app.session.format is Format.OPENAI_CHAT and problem(app) == "✓ valid"  # a fresh start
        await type_request(pilot, app, '{"new": 1}')
        assert (await saved(pilot, app)).body == '{"new": 1}'
    assert backups[0].read_bytes() == b'{"version": 1, "format": "anthropic", "body": "half'


async def test_switching_format_with_invalid_json_keeps_the_text(app_for: Any) -> None:
    app = app_for()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await started(pilot, app)
        await type_request(pilot, app, HALF_TYPED)
        screen.editor.text_area.focus()
        await pilot.press("ctrl+t")
        await settle(pilot, app)
        assert screen.editor.text == HALF_TYPED
        assert app.session.format is Format.OPENAI_CHAT and app.session.request_text == HALF_TYPED
        assert "Not switched to OpenAI Responses" in notes(app) and "kept" in notes(app)
        assert problem(app).startswith("✗ Not valid JSON")
        # The format picker still shows the format the request is in.
        assert str(screen.query_one("#format-select").value) == Format.OPENAI_CHAT.value  # type: ignore[attr-defined]
        # Valid JSON switches as before.
        body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 20}
        await type_request(pilot, app, json.dumps(body))
        await pilot.press("ctrl+t")
        await settle(pilot, app)
        assert app.session.format is Format.OPENAI_RESPONSES


def test_a_draft_that_cannot_be_saved_is_said_once_and_an_older_one_never_wins(tmp_path: Path) -> None:
    session = Session(endpoint=Endpoint("http://127.0.0.1:1", "k"))
    blocker = tmp_path / "data"
    said: list[str] = []
    keeper = DraftKeeper(session, blocker / "draft.json", said.append)
    assert keeper.restore() is None  # no draft yet
    blocker.write_text("a file where the data folder should be")
    for text in ("{1", "{2", "{3"):
        session.request_text = text
        keeper.save_now()  # no folder can be made under a file: an OSError, said once
    assert len(said) == 1 and "could not be saved" in said[0]
    # Writes are numbered: one taken earlier never replaces one written after it.
    keeper = DraftKeeper(session, tmp_path / "draft.json", said.append)
    keeper.restore()
    newer = Draft(Format.GEMINI, RouteKind.NATIVE, "gemini-2.5-pro", '{"newer": 1}')
    older = Draft(Format.GEMINI, RouteKind.NATIVE, "gemini-2.5-pro", '{"older": 1}')
    assert keeper._write(newer, 2) is None and keeper._write(older, 1) is None
    assert load_draft(tmp_path / "draft.json").draft == newer


async def test_a_kept_verdict_is_shown_without_a_check_and_only_from_the_same_checker(sandbox: Any) -> None:
    """A start spares the check (pydantic and the schema, ~75 ms) when the draft brings the verdict
    this checker gave it. Planted here is a verdict the check would not give, so the screen shows
    which one it used."""
    body = '{"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}]}'
    planted = Verdict(checker_stamp(), Issue("messages", "the kept verdict"))
    save_draft(Draft(Format.OPENAI_CHAT, RouteKind.NATIVE, "gpt-4o-mini", body, planted))
    app = keeping_app(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot, app)
        assert "the kept verdict" in problem(app)  # shown as kept, not checked again
        await type_request(pilot, app, body + " ")  # any edit: a real check
        assert problem(app).startswith("✓ valid")
    # By another checker (an upgrade, an edited schema), the body is checked again at start, and
    # the draft is written again with this checker's verdict (though nothing was typed).
    save_draft(
        Draft(Format.OPENAI_CHAT, RouteKind.NATIVE, "gpt-4o-mini", body, Verdict("other", planted.problem))
    )
    app = keeping_app(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot, app)
        assert problem(app).startswith("✓ valid")
        draft = await saved(pilot, app)
        assert draft.body == body and draft.checked == Verdict(checker_stamp(), None)


#: Valid, with settings the form shows, laid out as nobody's formatter would (one line, no spaces).
COMPACT = (
    '{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],'
    '"temperature":0.5,"max_tokens":100,"stream":true}'
)


async def test_a_valid_draft_opens_as_typed_the_form_showing_its_settings(sandbox: Any) -> None:
    """The form's fields, built with the draft's values, are not edits: the start neither rewrites
    the request (pretty-printed, as an edit in the form would) nor checks it again."""
    save_draft(Draft(Format.OPENAI_CHAT, RouteKind.NATIVE, "gpt-4o", COMPACT))
    app = keeping_app(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot, app)
        await settle(pilot, app)
        assert screen.editor.text == COMPACT
        form = screen.query_one("#params")
        assert form.query_one("#param-temperature").value == "0.5"
        assert form.query_one("#param-max_tokens").value == "100"
        assert form.query_one("#param-stream").value is True
    assert load_draft().draft == Draft(Format.OPENAI_CHAT, RouteKind.NATIVE, "gpt-4o", COMPACT)
