"""Pilot tests: sending through the real sandbox: the streamed answer, the tabs, the status line,
cancel, the converted payloads and the rate-limit pane."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from textual.widgets import DataTable, Log, OptionList, TextArea

from pipellm_tui.client import PlaygroundClient
from pipellm_tui.playground.endpoint import Endpoint
from pipellm_tui.playground.payload_views import KEPT_STRING_CHARS, WHOLE_JSON_CHARS
from pipellm_tui.playground.session import Session
from pipellm_tui.protocols.formats import Format, RouteKind
from pipellm_tui.ui.app import AppOptions, PlaygroundApp
from pipellm_tui.ui.widgets.ratelimits import RateLimitsPane

from .conftest import FakeClock, settle, started
from .support import chat_body, choose, send, static_text, type_request


async def expected_text(sandbox: Any, app: Any) -> str:
    """The sandbox's answer to the same request, non-streamed, through the client directly."""
    client = PlaygroundClient()
    try:
        body = json.loads(app.playground.editor.text)
        body["stream"] = False
        body.pop("stream_options", None)
        plan = client.plan(
            sandbox.base_url,
            sandbox.api_key,
            app.session.format,
            app.session.route_kind,
            app.session.model,
            body,
        )
        exchange = await client.send_collect(plan)
    finally:
        await client.aclose()
    assert exchange.response is not None
    return exchange.response.text


async def test_streamed_answer_fills_every_tab_and_the_status_line(app_for: Any, sandbox: Any) -> None:
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot, app)
        await type_request(pilot, app, chat_body())
        await send(pilot, app)
        want = await expected_text(sandbox, app)
        assert want and screen.response.answer_text == want
        assert screen.response.answer.source == want
        events = screen.query_one("#events", Log)
        assert events.line_count > 3 and any("chat.completion.chunk" in line for line in events.lines)
        final = json.loads(screen.query_one("#final-json", TextArea).text)
        assert final["object"] == "chat.completion"
        assert final["choices"][0]["message"]["content"] == want
        headers = screen.query_one("#headers", DataTable)
        names = [str(headers.get_row_at(i)[0]) for i in range(headers.row_count)]
        assert "x-ratelimit-limit-requests" in names
        status = str(screen.status.render())
        usage = app.session.exchange.usage
        assert "done" in status and "HTTP 200" in status
        assert f"in {usage.input_tokens} / out {usage.output_tokens}" in status
        assert "cost $" in status and "cost —" not in status
        limits = app.session.rate_limits
        assert f"{limits.remaining}/{limits.limit} req" in status  # the rate limit, on the line too
        # A second send: the session's running cost is both calls'.
        first_cost = app.session.cost()
        await send(pilot, app)
        status = str(screen.status.render())
        assert f"(Σ ${first_cost + app.session.cost():.6f})" in status


async def test_the_status_line_keeps_status_timings_and_cost_at_80_columns(app_for: Any) -> None:
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot, app)
        await send(pilot, app)
        status = str(app.playground.status.render())
        for field in ("done", "HTTP 200", "TTFT ", "total ", "cost $"):
            assert field in status, status
        assert len(status) <= 78


async def test_the_hidden_tabs_mount_after_the_start_up_before_the_first_send(app_for: Any) -> None:
    """Nothing shows in Events, JSON or Headers before a send: they are not built on the way to
    the panes, but by the warm-up once the panes are painted, so the first send does not lay out
    the screen for them before its request goes out."""
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.playground
        while not screen.panes_ready:  # no frame can be painted between two turns of this loop
            await asyncio.sleep(0)
        assert not screen.query("#events, #final-json, #headers")
        await started(pilot, app)
        for _ in range(100):
            if len(screen.query("#events, #final-json, #headers")) == 3:
                break
            await pilot.pause(0.02)
        assert len(screen.query("#events, #final-json, #headers")) == 3
        assert screen.session.exchange is None  # before any send
        await pilot.press("ctrl+o")  # toggle raw events: opens the Events tab
        await pilot.pause()
        assert screen.response.active_tab == "tab-events"
        assert screen.query_one("#events", Log).line_count == 0
        await pilot.press("ctrl+o")
        await type_request(pilot, app, chat_body())
        await send(pilot, app)
        assert screen.query_one("#events", Log).line_count > 3
        assert json.loads(screen.query_one("#final-json", TextArea).text)["object"] == "chat.completion"


async def test_a_very_long_answer_is_whole_in_the_answer_and_cut_in_the_json_views(app_for: Any) -> None:
    """20,000 tokens: the Answer tab has every character; the JSON views cut the long string (and
    say by how much) instead of holding a 100 KB line a TextArea would re-render whole."""
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot, app)
        body = json.loads(chat_body("Go on at length. [[tokens:20000]]"))
        body["max_tokens"] = 20_016
        await type_request(pilot, app, json.dumps(body, indent=2))
        await send(pilot, app)
        exchange = app.session.exchange
        assert exchange is not None and exchange.response is not None
        whole = exchange.response.text
        assert len(whole) > WHOLE_JSON_CHARS and screen.response.answer_text == whole
        for view in ("#final-json", "#response-received"):
            shown = json.loads(screen.query_one(view, TextArea).text)
            content = shown["choices"][0]["message"]["content"]
            assert content.startswith(whole[:KEPT_STRING_CHARS])
            assert content.endswith(f"[{len(whole) - KEPT_STRING_CHARS:,} more characters not shown]")
            assert shown["usage"] == exchange.body["usage"]  # the rest of the body is whole


async def test_non_streaming_answer_from_the_form_switch(app_for: Any, sandbox: Any) -> None:
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot, app)
        await pilot.press("f6")  # parameters form
        await pilot.click("#param-stream")
        await pilot.pause(0.1)
        body = json.loads(screen.editor.text)
        assert body["stream"] is False and "stream_options" not in body
        await send(pilot, app)
        assert app.session.exchange is not None and not app.session.exchange.plan.stream
        assert screen.response.answer_text == await expected_text(sandbox, app)


async def test_cancel_keeps_the_partial_answer_and_the_next_request_works(
    app_for: Any, fresh_sandbox: Any
) -> None:
    slow = fresh_sandbox(token_rate=40.0)
    app = app_for(slow)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot, app)
        await type_request(pilot, app, chat_body("Tell me a long story. [[tokens:400]]"))
        await pilot.press("ctrl+j")
        for _ in range(200):  # up to 10 s for the first words to arrive
            await pilot.pause(0.05)
            if len(screen.response.answer_text.split()) >= 5:
                break
        await pilot.press("escape")
        await settle(pilot, app)
        partial = screen.response.answer_text
        assert 5 <= len(partial.split()) < 400
        assert "cancelled" in str(screen.status.render())
        assert partial in screen.response.answer.source
        assert not screen.sending
        # Nothing typed is lost, and the next request goes through.
        assert "[[tokens:400]]" in screen.editor.text
        await type_request(pilot, app, chat_body("Short one. [[tokens:3]]"))
        await send(pilot, app)
        assert "done" in str(screen.status.render())
        assert len(screen.response.answer_text.split()) >= 1


async def test_converter_route_shows_what_the_upstream_receives(app_for: Any) -> None:
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot, app)
        await choose(pilot, app, "claude-sonnet-4-5-20250929")
        await pilot.press("ctrl+g")  # the proposed converter route, taken
        await pilot.pause()
        assert app.session.route_kind is RouteKind.CONVERTER
        await send(pilot, app)
        assert app.session.exchange is not None and app.session.exchange.status == 200
        # The sandbox says what it forwarded: shown (not our prediction), and compared with it.
        assert str(screen.query_one("#request-other").border_title) == "Forwarded (server) · anthropic"
        assert app.session.forwarded is not None
        notes = static_text(app, "#payload-warnings")
        assert "exactly what our converter predicted" in notes, notes
        upstream = json.loads(screen.query_one("#request-other", TextArea).text)
        assert upstream["system"] == "You are a concise assistant."  # Anthropic's top-level system
        assert upstream["messages"][0]["role"] == "user" and upstream["max_tokens"] == 256
        sent = json.loads(screen.query_one("#request-sent", TextArea).text)
        assert sent["messages"][0]["role"] == "system"
        answered = json.loads(screen.query_one("#response-other", TextArea).text)
        assert answered["type"] == "message" and answered["role"] == "assistant"
        received = json.loads(screen.query_one("#response-received", TextArea).text)
        assert received["object"] == "chat.completion"


async def test_native_route_views_the_request_as_another_format(app_for: Any) -> None:
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot, app)
        assert app.session.route_kind is RouteKind.NATIVE
        await pilot.click("#view-as")  # the menu of the other formats, under the picker
        await pilot.pause()
        menu = app.screen.query_one(OptionList)
        menu.highlighted = next(i for i in range(menu.option_count) if menu.get_option_at_index(i).id == Format.GEMINI.value)
        await pilot.press("enter")
        await pilot.pause(0.1)
        assert str(screen.query_one("#request-other").border_title) == "As · gemini"
        gemini = json.loads(screen.query_one("#request-other", TextArea).text)
        assert gemini["contents"][0]["parts"][0]["text"].startswith("Explain in two sentences")
        assert gemini["systemInstruction"]["parts"][0]["text"] == "You are a concise assistant."


async def test_rate_limit_history_and_countdown_on_a_fake_clock(app_for: Any, fresh_sandbox: Any) -> None:
    limited = fresh_sandbox(rpm=5)
    clock = FakeClock()
    app = app_for(limited, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot, app)
        await send(pilot, app)
        await send(pilot, app)
        pane = screen.query_one(RateLimitsPane)
        pane.tick()
        history = screen.query_one("#limits-history", DataTable)
        rows = [[str(c) for c in history.get_row_at(i)] for i in range(history.row_count)]
        # Newest first; the model list took one request of the five too.
        assert [r[1] for r in rows] == ["200", "200"]
        assert [r[2] for r in rows] == ["2", "3"]
        assert all(r[3] == "5" for r in rows)
        before = app.session.seconds_until_reset()
        assert before is not None and 50 < before <= 60
        summary = static_text(app, "#limits-summary")
        assert "Remaining  2" in summary and "Limit      5" in summary
        clock.advance(10)
        pane.tick()
        assert app.session.seconds_until_reset() == before - 10
        from pipellm_tui.ui.widgets.ratelimits import countdown

        assert f"Resets in  {countdown(before - 10)}" in static_text(app, "#limits-summary")


async def test_a_long_answer_follows_the_end_until_the_user_scrolls_up(
    app_for: Any, fresh_sandbox: Any
) -> None:
    slow = fresh_sandbox(token_rate=400.0)
    app = app_for(slow)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot, app)
        await type_request(pilot, app, chat_body("A long one. [[tokens:1200]]"))
        await pilot.press("ctrl+j")
        answer = screen.response.answer
        for _ in range(200):  # until the answer outgrows the view
            await pilot.pause(0.05)
            if answer.max_scroll_y > 5:
                break
        await pilot.pause(0.2)
        assert answer.is_anchored and answer.scroll_y >= answer.max_scroll_y - 1  # following the end
        answer.focus()
        await pilot.press("home")  # the user scrolls up to read
        await pilot.pause(0.3)
        assert answer.scroll_y < answer.max_scroll_y - 5  # it stays where the user put it
        await settle(pilot, app)
        assert "done" in str(screen.status.render())


async def test_sending_again_mid_stream_replaces_the_first_answer(app_for: Any, fresh_sandbox: Any) -> None:
    slow = fresh_sandbox(token_rate=40.0)
    app = app_for(slow)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot, app)
        await type_request(pilot, app, chat_body("First, long. [[tokens:400]]"))
        await pilot.press("ctrl+j")
        for _ in range(200):
            await pilot.pause(0.05)
            if screen.response.answer_text:
                break
        await type_request(pilot, app, chat_body("Second, short. [[tokens:4]]"))
        await pilot.press("ctrl+j")  # the first send is cancelled: one answer at a time
        await settle(pilot, app)
        assert not screen.sending
        assert "done" in str(screen.status.render())
        assert len(screen.response.answer_text.split()) <= 6
        assert app.session.exchange is not None and app.session.exchange.usage.output_tokens == 4
        assert screen.response.answer.source == screen.response.answer_text


async def test_copy_as_curl_puts_the_request_on_the_clipboard_without_the_key(
    sandbox: Any, tmp_path: Any
) -> None:
    endpoint = Endpoint(sandbox.base_url, sandbox.api_key, key_env="MY_GATEWAY_KEY")
    app = PlaygroundApp(Session(endpoint=endpoint, clock=FakeClock()), AppOptions(cursor_blink=False))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot, app)
        await pilot.press("f12")
        await pilot.pause()
        copied = app.clipboard
        assert copied.startswith("curl -N")
        assert f"\n  {sandbox.base_url}/v1/chat/completions \\\n" in copied
        assert '-H "authorization: Bearer ${MY_GATEWAY_KEY}"' in copied
        assert sandbox.api_key not in copied
        assert json.loads(copied.split("--data-binary ", 1)[1].strip("'")) == json.loads(
            screen.session.request_text
        )
        # The notice says which paths were tried, never a bare "Copied"; the text is shown too.
        from pipellm_tui.ui.copy_screen import CopyScreen

        notices = [n.message for n in app._notifications if n.title == "Copy as curl"]
        assert notices and "terminal (OSC 52" in notices[-1] and "Copied" not in notices[-1]
        shown = app.screen
        assert isinstance(shown, CopyScreen) and shown.query_one("#copy-text", TextArea).text == copied
        assert "MY_GATEWAY_KEY" in str(shown.query_one("#copy-note").render())
        saved = shown.save(tmp_path)  # "Save to file"
        assert saved.read_text() == copied and sandbox.api_key not in saved.read_text()
        await pilot.press("escape")
        await pilot.pause()

        screen.editor.text_area.load_text("{ not json")  # nothing to copy: said, and nothing lost
        await pilot.press("f12")
        await pilot.pause()
        assert app.clipboard == copied
        assert screen.editor.text_area.text == "{ not json"


async def test_copy_as_curl_in_sandbox_mode_says_how_to_set_the_key(app_for: Any) -> None:
    app = app_for()  # a sandbox endpoint: its key variable is unset in a user's shell
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot, app)
        app.session.endpoint = Endpoint(app.session.endpoint.base_url, "pipe-sandbox", is_sandbox=True)
        await pilot.press("f12")
        await pilot.pause()
        note = str(app.screen.query_one("#copy-note").render())
        assert "export PIPELLM_API_KEY=pipe-sandbox" in note and "sandbox" in note
