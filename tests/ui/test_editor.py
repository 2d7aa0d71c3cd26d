"""Pilot tests: the JSON editor (highlighting, validation as you type, refusal to send), the
parameters form kept in sync with the JSON, the format switch, the palette and the help screen."""

from __future__ import annotations

import json
from typing import Any

from textual.widgets import Input, Static

from pipellm_tui.protocols.formats import Format, RouteKind
from pipellm_tui.ui.commands import ACTIONS
from pipellm_tui.ui.help import HelpScreen
from pipellm_tui.ui.main_screen import PlaygroundScreen

from .conftest import settle, started
from .support import send, type_request

CONVERSATION = {
    "model": "gpt-4o-mini",
    "messages": [
        {"role": "system", "content": "Answer like a pirate."},
        {"role": "user", "content": "What is a gateway?"},
        {"role": "assistant", "content": "Arr, a door for ships of data."},
        {"role": "user", "content": "And a converter?"},
    ],
    "max_tokens": 64,
    "temperature": 0.5,
    "stream": True,
}


def problem(app: Any) -> str:
    return str(app.playground.query_one("#request-problem", Static).render())


async def test_json_editor_mounts_with_tree_sitter_highlighting(app_for: Any) -> None:
    """Guards the tree-sitter pin: a bad resolution segfaults as soon as a JSON TextArea mounts."""
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot, app)
        area = screen.editor.text_area
        assert area.language == "json" and area.is_syntax_aware
        area.load_text('{"model": "gpt-4o", "n": [1, true, null]}')
        await pilot.pause()
        assert area.is_syntax_aware
        assert problem(app).startswith("✓ valid") or problem(app).startswith("✗")


async def test_invalid_json_and_schema_errors_say_where_and_block_sending(app_for: Any) -> None:
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot, app)
        assert problem(app) == "✓ valid"
        await type_request(pilot, app, '{\n  "model": "gpt-4o",\n  "messages": [\n}')
        assert problem(app).startswith("✗ Not valid JSON") and "line 4, column 1" in problem(app)
        await pilot.press("ctrl+j")
        await settle(pilot, app)
        assert app.session.exchange is None
        assert screen.inspector.active == "error"
        error = str(screen.query_one("#error-body", Static).render())
        assert "line 4, column 1" in error
        # A schema error names the JSON path; sending is refused with it.
        await type_request(pilot, app, json.dumps({"model": "gpt-4o", "messages": [{"role": "user"}]}))
        assert problem(app).startswith("✗ messages[0]")
        await pilot.press("ctrl+j")
        await settle(pilot, app)
        assert app.session.exchange is None
        assert "messages[0]" in str(screen.query_one("#error-body", Static).render())
        # Fixed: valid again, and it sends.
        await type_request(pilot, app, json.dumps(CONVERSATION))
        assert problem(app) == "✓ valid"
        await send(pilot, app)
        assert app.session.exchange is not None and app.session.exchange.status == 200


async def test_parameters_form_and_json_stay_in_sync(app_for: Any) -> None:
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot, app)
        await type_request(pilot, app, json.dumps(CONVERSATION))
        form = {
            name: screen.query_one(f"#param-{name}", Input)
            for name in ("system", "max_tokens", "temperature")
        }
        assert form["system"].value == "Answer like a pirate."
        assert form["max_tokens"].value == "64" and form["temperature"].value == "0.5"
        # Form -> JSON
        await pilot.press("f6")
        form["max_tokens"].value = "512"
        form["system"].value = "Answer like a poet."
        screen.query_one("#param-stop", Input).value = "END, STOP"
        await pilot.pause(0.1)
        body = json.loads(screen.editor.text)
        assert body["max_tokens"] == 512
        assert body["messages"][0] == {"role": "system", "content": "Answer like a poet."}
        assert body["stop"] == ["END", "STOP"]
        assert body["messages"][1:] == CONVERSATION["messages"][1:]
        form["temperature"].value = ""
        await pilot.pause(0.1)
        assert "temperature" not in json.loads(screen.editor.text)
        # JSON -> form
        await type_request(pilot, app, json.dumps({**CONVERSATION, "top_p": 0.9}))
        assert screen.query_one("#param-top_p", Input).value == "0.9"
        assert form["temperature"].value == "0.5"


async def test_format_switch_converts_and_keeps_the_conversation(app_for: Any) -> None:
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot, app)
        await type_request(pilot, app, json.dumps(CONVERSATION))
        screen.switch_format(Format.ANTHROPIC)
        await pilot.pause(0.1)
        body = json.loads(screen.editor.text)
        assert app.session.format is Format.ANTHROPIC
        assert body["model"] == "gpt-4o-mini" and body["system"] == "Answer like a pirate."
        texts = [
            (m["role"], m["content"] if isinstance(m["content"], str) else m["content"][0]["text"])
            for m in body["messages"]
        ]
        assert texts == [(m["role"], m["content"]) for m in CONVERSATION["messages"][1:]]
        assert body["max_tokens"] == 64 and body["stream"] is True
        # gpt-4o-mini is an OpenAI model: in Anthropic format it needs the converter route.
        assert app.session.route_kind is RouteKind.CONVERTER
        assert (
            "⚠" in str(screen.query_one("#payload-warnings", Static).render())
            or app.session.switch_warnings == []
        )
        # On to Gemini with the palette-free key, and send it: the conversation reaches the sandbox.
        await pilot.press("ctrl+t")
        await pilot.pause(0.1)
        assert app.session.format is Format.GEMINI
        gemini = json.loads(screen.editor.text)
        assert [c["role"] for c in gemini["contents"]] == ["user", "model", "user"]
        assert gemini["contents"][1]["parts"][0]["text"] == "Arr, a door for ships of data."
        await send(pilot, app)
        assert app.session.exchange is not None and app.session.exchange.status == 200
        assert ":streamGenerateContent?alt=sse" in app.session.exchange.plan.url
        assert screen.response.answer_text


async def test_every_action_has_a_binding_id_and_runs_from_the_palette(app_for: Any) -> None:
    assert {b.id for b in PlaygroundScreen.BINDINGS} == {a.id for a in ACTIONS}  # type: ignore[union-attr]
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot, app)
        assert app.session.route_kind is RouteKind.NATIVE
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Switch route")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert app.session.route_kind is RouteKind.CONVERTER
        await pilot.press("f4", "f11")  # maximize the editor, Esc gives the screen back
        await pilot.pause()
        assert app.screen.maximized is app.playground.editor
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.maximized is None
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PlaygroundScreen)
