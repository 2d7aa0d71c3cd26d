"""Pilot tests: every kind of failure reaches the error pane as words, the app stays responsive,
nothing typed is lost, and the next request works."""

from __future__ import annotations

import json
import socket
from typing import Any

import pytest
from textual.widgets import Static

from pipellm_tui.ui.widgets.ratelimits import RateLimitsPane

from .conftest import make_app, settle, started
from .support import chat_body, send, type_request

#: (what is sent, expected status, expected ApiError type, words the message or raw body holds)
HTTP_FAULTS = [
    ("[[fault:500]]", 500, "api_error", ""),
    ("[[fault:529]]", 529, "overloaded_error", ""),
    ("[[fault:429]]", 429, "rate_limit_error", "Rate limit"),
    ("[[fault:402]]", 402, None, ""),
    ("[[fault:html]]", 502, None, "<html"),
]


def error_text(app: Any) -> str:
    screen = app.playground
    return (
        str(screen.query_one("#error-title", Static).render())
        + "\n"
        + str(screen.query_one("#error-body", Static).render())
    )


async def test_each_api_error_reaches_the_error_pane_and_the_app_recovers(app_for: Any) -> None:
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot, app)
        for marker, status, kind, words in HTTP_FAULTS:
            typed = chat_body(f"Hello {marker}")
            await type_request(pilot, app, typed)
            await send(pilot, app)
            error = app.session.error
            assert error is not None and error.status == status, marker
            if kind:
                assert error.type == kind
            assert screen.inspector.active == "error"
            shown = error_text(app)
            assert f"HTTP {status}" in shown and error.advice.split()[0] in shown
            assert words.lower() in (error.message + error.raw).lower()
            assert "Traceback" not in shown
            assert screen.editor.text == typed  # nothing typed is lost
            assert "failed" in str(screen.status.render())
            limits = screen.query_one(RateLimitsPane)
            limits.tick()
            assert limits.has_class("-limited") is (status in (429, 402))  # these two stand out
        retry = next(e for e in (app.session.error,) if e)  # the last one (html) is a 502: retryable
        assert retry.retryable
        # And the next request works; the error pane says so.
        await type_request(pilot, app, chat_body("All good now?"))
        await send(pilot, app)
        assert app.session.error is None and app.session.exchange.status == 200
        assert error_text(app).startswith("No error: HTTP 200")


async def test_rate_limited_error_counts_down_from_retry_after(app_for: Any) -> None:
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot, app)
        await type_request(pilot, app, chat_body("[[fault:529]]"))
        await send(pilot, app)
        error = app.session.error
        assert error is not None and error.retry_after == 1
        assert "Retry     yes, in 1s (alt+r: retry now)" in error_text(app)
        assert screen.errors.has_class("-retryable")  # the pane's "Retry now" button shows
        app.session.clock.advance(5)  # the fake clock
        screen.errors.tick()
        assert "Retry     yes, now (alt+r)" in error_text(app)  # not a countdown stuck at 0s
        # "Retry now" sends the last request again (the fault is in it, so it fails again).
        sent = app.session.exchange
        await pilot.press("alt+r")
        await settle(pilot, app)
        assert app.session.exchange is not sent and app.session.exchange.plan == sent.plan


async def test_a_429_counts_down_once_and_automatic_retry_shows_its_attempts(app_for: Any) -> None:
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot, app)
        await type_request(pilot, app, chat_body("[[fault:429]]"))
        await send(pilot, app)
        error = app.session.error
        assert error is not None and error.status == 429
        text = error_text(app)
        # One countdown (the Retry line); the advice does not give a second, different one.
        assert text.count("in ") >= 1 and "wait 1m" not in text and "before retrying" not in text
        await pilot.press("alt+a")  # automatic retry on
        await pilot.pause()
        assert app.session.auto_retry
        await type_request(pilot, app, chat_body("[[fault:500]]"))
        await send(pilot, app)
        retrying = [n.message for n in app._notifications if n.title == "Retrying"]
        assert retrying and retrying[0].startswith("Attempt 1 failed"), retrying
        assert app.session.exchange is not None and app.session.exchange.retries >= 1


@pytest.mark.parametrize(
    ("marker", "kind"),
    [("[[fault:disconnect]]", "stream_interrupted"), ("[[fault:malformed]]", "malformed_event")],
)
async def test_broken_streams_keep_what_arrived(app_for: Any, marker: str, kind: str) -> None:
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot, app)
        await type_request(pilot, app, chat_body(f"Go on. {marker} [[tokens:60]]"))
        await send(pilot, app)
        error = app.session.error
        assert error is not None and error.type == kind
        assert screen.inspector.active == "error"
        assert screen.response.answer_text  # the part that arrived stays on screen
        assert kind in error_text(app)
        # The answer began with a 200: the pane says so, not "no response".
        assert app.session.exchange is not None and app.session.exchange.status == 200
        assert error_text(app).startswith(f"HTTP 200, then an error · {kind}")
        assert "Status    200, then this error inside the answer" in error_text(app)
        assert "no response" not in error_text(app)


async def test_unknown_model_and_protocol_guard(app_for: Any) -> None:
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot, app)
        await type_request(pilot, app, chat_body(model="gpt-nonexistent-9"))
        await send(pilot, app)
        error = app.session.error
        assert error is not None and error.status == 400
        assert "is not a valid model ID" in error.message and "gpt-nonexistent-9" in error_text(app)
        # A Claude model on the native OpenAI route: flagged before, refused by the guard after.
        await type_request(pilot, app, chat_body(model="claude-sonnet-4-5-20250929"))
        assert app.session.route_problem() is not None
        await send(pilot, app)
        error = app.session.error
        assert error is not None and error.status == 400
        assert "/openai/v1/chat/completions" in error.message
        assert "converter route" in error.advice.lower() or "converter" in error.message.lower()


async def test_wrong_key_is_a_401_with_advice(sandbox: Any) -> None:
    app = make_app(sandbox.base_url, "pipe-not-the-key")
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot, app)
        await send(pilot, app)
        error = app.session.error
        assert error is not None and error.status == 401 and error.type == "authentication_error"
        assert "key" in error.advice.lower()
        assert "HTTP 401" in error_text(app)
        assert "pipe-not-the-key" not in error_text(app)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_refused_connection_is_a_network_failure() -> None:
    app = make_app(f"http://127.0.0.1:{closed_port()}", "pipe-sandbox", is_sandbox=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot, app)
        assert "Could not load models" in str(screen.query_one("#models-state", Static).render())
        typed = screen.editor.text
        await send(pilot, app)
        error = app.session.error
        assert error is not None and error.status is None and error.retryable
        assert error_text(app).startswith("Network failure")
        assert screen.editor.text == typed
        assert json.loads(typed)["model"] == "gpt-4o-mini"
