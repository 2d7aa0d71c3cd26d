"""Pilot tests of keep and reuse in the TUI, against the real sandbox: every send kept in history,
the history pane (search, open, send again on another format), saved requests, profiles, the
conversation (continue, fork, a tool result), exports, curl import, themes, key overrides and the
config's timeouts. Each test has its own config and data folders (tests/conftest.py)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from textual.widgets import Input, TextArea

from pipellm_tui.protocols.formats import Format, RouteKind
from pipellm_tui.store.config import load_config
from pipellm_tui.store.history import History
from pipellm_tui.store.paths import config_dir, data_dir
from pipellm_tui.store.saved_requests import SavedRequests
from pipellm_tui.ui.copy_screen import CopyScreen
from pipellm_tui.ui.history_screen import HistoryScreen
from pipellm_tui.ui.prompt_screen import ChoiceScreen, PromptScreen, TextScreen

from .conftest import settle, started


async def until(pilot: Any, done: Callable[[], bool], what: str) -> None:
    """Wait for a condition by what it says, not by the clock (a loaded machine is slow)."""
    for _ in range(400):
        if done():
            return
        await pilot.pause(0.05)
    raise AssertionError(f"never happened: {what}")


async def load_text(pilot: Any, app: Any, text: str) -> None:
    editor = app.playground.editor
    editor.text_area.load_text(text)
    await until(pilot, lambda: not editor.pending, "the editor's debounce")
    await pilot.pause()


async def send(pilot: Any, app: Any) -> None:
    await pilot.press("ctrl+j")
    await settle(pilot, app)
    await until(pilot, lambda: not app.playground.sending, "the send to end")
    await settle(pilot, app)


def kept() -> History:
    return History(data_dir() / "history.sqlite3")


async def test_every_send_is_kept_and_the_history_pane_reopens_it(app_for: Any) -> None:
    app = app_for()
    async with app.run_test(size=(140, 44)) as pilot:
        screen = await started(pilot, app)
        assert app.workbench._history is None  # the history file is not opened on start-up
        await send(pilot, app)
        answer = screen.response.answer_text
        assert answer.strip()
        history = kept()
        [row] = history.list()
        entry = history.get(row.id)
        assert entry is not None and entry.model == app.session.model and entry.answer.strip()
        assert entry.profile == "sandbox"
        assert all(app.session.endpoint.api_key not in v for v in entry.request_headers.values())
        # A second, different request, then search for the first one's model.
        await load_text(
            pilot, app, json.dumps({"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]})
        )
        await send(pilot, app)
        assert history.count() == 2
        await pilot.press("f10")
        pane = app.screen
        assert isinstance(pane, HistoryScreen)
        await until(pilot, lambda: pane.shown >= 1, "the history list")
        assert [r.model for r in pane.rows] == ["gpt-4o", "gpt-4o-mini"]  # newest first
        await pilot.press(*"mini")
        await until(pilot, lambda: [r.model for r in pane.rows] == ["gpt-4o-mini"], "the search")
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.screen is screen
        assert app.session.model == "gpt-4o-mini"
        assert json.loads(screen.editor.text)["messages"] == entry.request_body["messages"]  # type: ignore[index]
        await until(
            pilot, lambda: screen.response.answer_text.strip() == entry.answer.strip(), "the kept answer"
        )


async def test_send_again_in_another_format_converts_and_keeps_both(app_for: Any) -> None:
    app = app_for()
    async with app.run_test(size=(140, 44)) as pilot:
        await started(pilot, app)
        await send(pilot, app)
        await pilot.press("f10")
        pane = app.screen
        assert isinstance(pane, HistoryScreen)
        await until(pilot, lambda: pane.shown >= 1, "the history list")
        await pilot.press("ctrl+t")  # again, in another format
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("enter")  # the first other one: OpenAI Responses
        await settle(pilot, app)
        await until(pilot, lambda: kept().count() == 2, "the second send kept")
        newest, first = kept().list()
        assert (first.format, newest.format) == ("openai-chat", "openai-responses")
        assert newest.status == 200 and app.session.format is Format.OPENAI_RESPONSES
        await pilot.press("f10")
        pane = app.screen
        assert isinstance(pane, HistoryScreen)
        await until(pilot, lambda: pane.shown >= 1, "the history list")
        await pilot.press("down", "ctrl+r")  # the first one again, on the other route
        await settle(pilot, app)
        await until(pilot, lambda: kept().count() == 3, "the third send kept")
        assert kept().list()[0].route == RouteKind.CONVERTER.value
        await pilot.press("f10")
        pane = app.screen
        assert isinstance(pane, HistoryScreen)
        await until(pilot, lambda: pane.shown >= 1, "the history list")
        await pilot.press("alt+d")  # the newest goes
        await until(pilot, lambda: kept().count() == 2 and len(pane.rows) == 2, "the entry deleted")
        assert [r.format for r in pane.rows] == ["openai-responses", "openai-chat"]


async def test_saved_requests_save_open_rename_delete(app_for: Any) -> None:
    app = app_for()
    async with app.run_test(size=(140, 44)) as pilot:
        screen = await started(pilot, app)
        body = {
            "model": "gpt-4o",
            "messages": [{"role": "user", "content": "kept for later"}],
            "max_tokens": 9,
        }
        await load_text(pilot, app, json.dumps(body))
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, PromptScreen)
        await pilot.press(*"my req", "enter")
        await pilot.pause()
        saved = SavedRequests()
        request = saved.open("my req")
        assert request.model == "gpt-4o" and request.body["max_tokens"] == 9
        await pilot.press("ctrl+n")  # a new request: the saved one is gone from the editor
        await pilot.pause()
        assert "kept for later" not in screen.editor.text
        await pilot.press("ctrl+b")
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert json.loads(screen.editor.text)["messages"][0]["content"] == "kept for later"
        await screen.run_action("rename_saved")
        await pilot.press("enter")  # the only one
        assert isinstance(app.screen, PromptScreen)
        app.screen.query_one(Input).value = "renamed"
        await pilot.press("enter")
        await pilot.pause()
        assert [i.name for i in saved.list()] == ["renamed"]
        await screen.run_action("delete_saved")
        await pilot.press("enter")
        await pilot.pause()
        assert saved.list() == []


def write_config(text: str) -> None:
    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text(text)


async def test_a_gateway_profile_from_the_palette_keeps_its_rules(
    app_for: Any, sandbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GW_KEY", raising=False)
    write_config(f'[profiles.gw]\nkind = "gateway"\nbase_url = "{sandbox.base_url}"\nkey_env = "GW_KEY"\n')
    app = app_for()
    async with app.run_test(size=(140, 44)) as pilot:
        screen = await started(pilot, app)
        await screen.run_action("use_profile('gw')")
        await settle(pilot, app)
        session = app.session
        assert session.endpoint.target is not None and app.workbench.profile == "gw"
        await load_text(
            pilot,
            app,
            json.dumps(
                {"model": "claude-sonnet-4-5-20250929", "messages": [{"role": "user", "content": "x"}]}
            ),
        )
        assert session.route_problem() is None  # any model on a gateway's native route
        plan = session.plan()
        assert plan.secret_header is None and "authorization" not in {h.lower() for h in plan.headers}
        session.set_route(RouteKind.CONVERTER)
        assert "gateway" in (session.route_problem() or "")
        session.set_route(RouteKind.NATIVE)
        await send(pilot, app)  # the sandbox wants a key: a 401, whose advice names $GW_KEY
        assert session.exchange is not None and session.exchange.status == 401
        assert any("$GW_KEY" in n.message for n in app._notifications)
        assert kept().list()[0].profile == "gw"


def test_profile_from_the_command_line_reaches_the_tui(sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import argparse

    from pipellm_tui.playground.endpoint import endpoint_from_args
    from pipellm_tui.playground.session import Session
    from pipellm_tui.ui.app import PlaygroundApp

    monkeypatch.setenv("GW_KEY", "gw-secret")
    write_config(f'[profiles.gw]\nkind = "gateway"\nbase_url = "{sandbox.base_url}"\nkey_env = "GW_KEY"\n')
    endpoint = endpoint_from_args(argparse.Namespace(profile="gw"))
    assert endpoint is not None and endpoint.key_env == "GW_KEY" and endpoint.target is not None
    app = PlaygroundApp(Session(endpoint=endpoint))
    assert app.workbench.profile == "gw"


async def test_config_timeouts_limits_and_keys_reach_the_tui(app_for: Any) -> None:
    write_config(
        "[timeouts]\nconnect = 3.0\nfirst_byte = 20.0\nidle = 7.0\ntotal = 90.0\n"
        "[limits]\nresponse_body_bytes = 123456\n[retry]\nenabled = true\nmax_attempts = 4\n"
        '[keys]\nsave-request = "alt+9"\n'
    )
    app = app_for()
    async with app.run_test(size=(140, 44)) as pilot:
        await started(pilot, app)
        timeouts = app.session.client.timeouts
        assert (timeouts.connect, timeouts.first_byte, timeouts.idle, timeouts.total) == (
            3.0,
            20.0,
            7.0,
            90.0,
        )
        assert app.session.client.limits.max_body_bytes == 123456
        assert app.session.auto_retry and app.session.retry_policy.max_attempts == 4  # type: ignore[union-attr]
        await pilot.press("alt+9")
        assert isinstance(app.screen, PromptScreen)


@pytest.mark.parametrize("fmt", list(Format))
async def test_continue_and_fork_in_every_format(app_for: Any, fmt: Format) -> None:
    app = app_for()
    async with app.run_test(size=(140, 44)) as pilot:
        screen = await started(pilot, app)
        screen.switch_format(fmt)
        await pilot.pause()
        await send(pilot, app)
        assert app.session.exchange is not None and app.session.exchange.status == 200
        await pilot.press("alt+c")
        await pilot.pause()
        from pipellm_tui.playground.conversation import turns

        found = turns(fmt, app.session.request_body() or {}, app.session.model)
        assert [t.role for t in found][-3:] == ["user", "assistant", "user"]
        assert found[-2].preview  # the answer's text is in the assistant turn
        await pilot.press("alt+k")
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("enter")  # keep the first turn only
        await pilot.pause()
        assert [t.role for t in turns(fmt, app.session.request_body() or {}, app.session.model)] == ["user"]


async def test_a_tool_call_is_answered_by_typing_its_result(app_for: Any) -> None:
    app = app_for()
    body = {
        "model": "gpt-4o-mini",
        "messages": [{"role": "user", "content": "What is the weather in Paris?"}],
        "tools": [
            {"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}
        ],
        "tool_choice": "required",
    }
    async with app.run_test(size=(140, 44)) as pilot:
        await started(pilot, app)
        await load_text(pilot, app, json.dumps(body))
        await send(pilot, app)
        await pilot.press("alt+c")  # the assistant's tool call goes into the request
        await pilot.pause()
        await pilot.press("alt+t")
        assert isinstance(app.screen, TextScreen)
        app.screen.query_one(TextArea).load_text('{"temperature": 21}')
        await pilot.press("ctrl+s")
        await pilot.pause()
        messages = json.loads(app.playground.editor.text)["messages"]
        assert messages[-1]["role"] == "tool" and "21" in messages[-1]["content"]
        await send(pilot, app)
        assert app.session.exchange is not None and app.session.exchange.status == 200


async def test_exports_copy_out_and_the_conversation_goes_to_a_file(app_for: Any) -> None:
    app = app_for()
    async with app.run_test(size=(140, 44)) as pilot:
        screen = await started(pilot, app)
        await send(pilot, app)
        expected = {
            "request-json": lambda t: json.loads(t)["model"] == app.session.model,
            "answer": lambda t: t == app.session.exchange.response.text,
            "response-json": lambda t: "choices" in json.loads(t),
            "python": lambda t: "from openai import" in t and "PIPELLM_API_KEY" in t,
            "conversation-md": lambda t: t.startswith("# Conversation"),
            "conversation-json": lambda t: json.loads(t)["messages"][-1]["role"] == "assistant",
        }
        for what, check in expected.items():
            await screen.run_action(f"export({what!r})")
            await pilot.pause()
            copied = app.screen
            assert isinstance(copied, CopyScreen) and check(copied.text), what
            if what.startswith("conversation"):
                await until(pilot, lambda shown=copied: shown.saved_to is not None, "the export file")
                assert copied.saved_to.read_text() == copied.text  # type: ignore[union-attr]
            await pilot.press("escape")


async def test_curl_import_fills_the_editor_and_drops_a_literal_key(app_for: Any, sandbox: Any) -> None:
    app = app_for()
    command = (
        f"curl {sandbox.base_url}/v1/messages -H 'x-api-key: sk-ant-LITERAL-123' "
        "-H 'anthropic-version: 2023-06-01' -H 'content-type: application/json' -H 'x-trace-id: t-42' "
        """-d '{"model": "claude-sonnet-4-5-20250929", "max_tokens": 50, "messages": [{"role": "user", "content": "hello"}]}'"""
    )
    async with app.run_test(size=(140, 44)) as pilot:
        screen = await started(pilot, app)
        await pilot.press("alt+i")
        assert isinstance(app.screen, TextScreen)
        app.screen.query_one(TextArea).load_text(command)
        await pilot.press("ctrl+s")
        await pilot.pause()
        session = app.session
        assert (session.format, session.route_kind, session.model) == (
            Format.ANTHROPIC,
            RouteKind.NATIVE,
            "claude-sonnet-4-5-20250929",
        )
        assert json.loads(screen.editor.text)["messages"][0]["content"] == "hello"
        assert "LITERAL" not in screen.editor.text
        assert any("dropped" in n.message for n in app._notifications)
        # The command's own headers come along: in the route pane, and on the wire.
        assert session.headers == {"x-trace-id": "t-42"}
        assert "x-trace-id: t-42" in str(screen.query_one("#route-plan").render())
        await send(pilot, app)
        assert session.exchange is not None and session.exchange.status == 200
        assert session.exchange.plan.headers["x-trace-id"] == "t-42"
        assert "LITERAL" not in str(session.exchange.plan.headers)


async def test_themes_ship_switch_from_the_palette_and_are_remembered(app_for: Any) -> None:
    from pipellm_tui.ui.theme import bundled_themes

    assert len(bundled_themes()) >= 3
    folder = config_dir() / "themes"
    folder.mkdir(parents=True)
    (folder / "mine.toml").write_text('name = "mine"\ndark = true\nprimary = "#123456"\n')
    (folder / "broken.toml").write_text('name = "broken"\nprimary = "not a colour"\n')
    app = app_for()
    async with app.run_test(size=(140, 44)) as pilot:
        screen = await started(pilot, app)
        assert {"pipellm-dark", "pipellm-light", "pipellm-high-contrast", "mine"} <= set(app.available_themes)
        assert any("broken.toml" in n.message for n in app._notifications)
        await screen.run_action("use_theme('pipellm-light')")
        assert app.theme == "pipellm-light"
        assert load_config().config.theme == "pipellm-light"
    again = app_for()
    async with again.run_test(size=(140, 44)) as pilot:
        await started(pilot, again)
        assert again.theme == "pipellm-light"


def test_the_palette_lists_profiles_themes_and_exports() -> None:
    from pipellm_tui.ui.commands import commands

    titles = {c.title for c in commands()}
    assert {"History", "Save request", "Open saved request", "Continue conversation", "Fork from here",
            "Import curl command", "Copy as Python (official SDK)", "Export conversation as Markdown"} <= titles  # fmt: skip


def hits(app: Any) -> int:
    from textual.command import CommandList

    found = app.screen.query(CommandList)
    return int(found.first().option_count) if found else 0


async def test_profiles_and_themes_are_chosen_from_the_palette(app_for: Any, sandbox: Any) -> None:
    write_config(
        f'[profiles.other]\nkind = "pipellm"\nbase_url = "{sandbox.base_url}"\nkey_env = "OTHER_KEY"\n'
    )
    app = app_for()
    async with app.run_test(size=(140, 44)) as pilot:
        await started(pilot, app)
        await pilot.press("ctrl+p", *"Theme: pipellm-high")
        await until(pilot, lambda: hits(app) > 0, "the palette's hits")
        await pilot.press("enter")
        await until(pilot, lambda: app.theme == "pipellm-high-contrast", "the theme from the palette")
        await pilot.press("ctrl+p", *"Profile: other")
        await until(pilot, lambda: hits(app) > 0, "the palette's hits")
        await pilot.press("enter")
        await settle(pilot, app)
        # No $OTHER_KEY: a PipeLLM profile needs one, so it is refused and the session is unchanged.
        assert any("$OTHER_KEY" in n.message for n in app._notifications)
        assert app.session.endpoint is not None and app.session.endpoint.is_sandbox
