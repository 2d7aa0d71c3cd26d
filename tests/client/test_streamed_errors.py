"""Errors a server reports inside a stream, in every format's shape, reach the ApiError with their
type, code and message: in a 200 stream (even when `[DONE]` follows), and in a non-2xx answer sent
as `text/event-stream`. Stream events the client cannot use are counted, not dropped silently."""

from __future__ import annotations

import contextlib
import io
import json
from typing import Any

import pytest

from pipellm_tui.cli import main
from pipellm_tui.client import Done, PlaygroundClient
from pipellm_tui.client.events import Exchange
from pipellm_tui.protocols.formats import Format

from .conversation import NATIVE_MODEL, body, collect
from .hostile import Script, hostile

SSE = {"content-type": "text/event-stream"}


def _event(data: dict[str, Any], name: str | None = None) -> bytes:
    head = f"event: {name}\n" if name else ""
    return f"{head}data: {json.dumps(data)}\n\n".encode()


#: (format, the error event(s) as the server sends them, expected (type, code, message)).
SHAPES: list[tuple[Format, bytes, tuple[str, str | None, str]]] = [
    (
        Format.OPENAI_CHAT,
        _event({"error": {"message": "Upstream is busy", "type": "server_error", "code": "upstream_busy"}})
        + b"data: [DONE]\n\n",
        ("server_error", "upstream_busy", "Upstream is busy"),
    ),
    (
        Format.OPENAI_RESPONSES,
        _event(
            {
                "type": "response.failed",
                "sequence_number": 1,
                "response": {
                    "id": "resp_1",
                    "object": "response",
                    "status": "failed",
                    "error": {"code": "server_error", "message": "The model crashed"},
                    "output": [],
                },
            },
            "response.failed",
        ),
        ("server_error", "server_error", "The model crashed"),
    ),
    (
        Format.OPENAI_RESPONSES,
        _event(
            {"type": "error", "code": "rate_limit_exceeded", "message": "Slow down", "param": None}, "error"
        ),
        ("rate_limit_exceeded", "rate_limit_exceeded", "Slow down"),
    ),
    (
        Format.ANTHROPIC,
        _event({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}, "error"),
        ("overloaded_error", None, "Overloaded"),
    ),
    (
        Format.GEMINI,
        _event({"error": {"code": 429, "message": "Quota exceeded", "status": "RESOURCE_EXHAUSTED"}}),
        ("rate_limit_error", "RESOURCE_EXHAUSTED", "Quota exceeded"),
    ),
]
IDS = ["chat-error+DONE", "responses-failed", "responses-error", "anthropic-error", "gemini-error"]


async def _send(base_url: str, fmt: Format) -> Exchange:
    client = PlaygroundClient()
    try:
        plan = client.plan(base_url, "k", fmt, "native", NATIVE_MODEL[fmt], body(fmt, stream=True))
        events = await collect(client, plan)
    finally:
        await client.aclose()
    assert isinstance(events[-1], Done)
    return events[-1].exchange


@pytest.mark.parametrize(("fmt", "wire", "expected"), SHAPES, ids=IDS)
async def test_an_error_inside_a_200_stream_keeps_type_code_and_message(
    fmt: Format, wire: bytes, expected: tuple[str, str | None, str]
) -> None:
    with hostile(Script(200, SSE, lambda: [wire])) as base_url:
        exchange = await _send(base_url, fmt)
    error = exchange.error
    assert error is not None
    type_, code, message = expected
    assert error.message == message
    assert error.code == code
    assert error.type == type_
    assert exchange.status == 200
    assert "No response" not in error.message


@pytest.mark.parametrize(("fmt", "wire", "expected"), SHAPES, ids=IDS)
async def test_an_error_status_sent_as_an_event_stream_keeps_the_servers_message(
    fmt: Format, wire: bytes, expected: tuple[str, str | None, str]
) -> None:
    with hostile(Script(500, SSE, lambda: [wire])) as base_url:
        exchange = await _send(base_url, fmt)
    error = exchange.error
    assert error is not None and error.status in (500, 429)  # Gemini's body names its own status
    assert error.message == expected[2]
    assert error.code == expected[1]
    assert "500 Internal Server Error" != error.message


def test_headless_send_prints_the_streamed_error_not_done(capsys: pytest.CaptureFixture[str]) -> None:
    wire = SHAPES[0][1]
    with hostile(Script(200, SSE, lambda: [wire])) as base_url:
        code = main(
            ["send", "--base-url", base_url, "--format", "openai-chat", "--model", "gpt-4o", "--stream"]
        )
    err = capsys.readouterr().err
    assert code == 1
    assert "error: server_error" in err
    assert "code: upstream_busy" in err and "message: Upstream is busy" in err
    assert "No response" not in err and "no response" not in err


ANTHROPIC_WITH_UNKNOWN_EVENTS = b"".join(
    [
        _event(
            {
                "type": "message_start",
                "message": {
                    "id": "msg_1",
                    "type": "message",
                    "role": "assistant",
                    "model": "claude",
                    "content": [],
                    "stop_reason": None,
                    "usage": {"input_tokens": 3, "output_tokens": 0},
                },
            },
            "message_start",
        ),
        _event({"type": "mystery_event", "n": 1}, "mystery_event"),
        _event(
            {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
            "content_block_start",
        ),
        _event(
            {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hi"}},
            "content_block_delta",
        ),
        _event({"type": "mystery_event", "n": 2}, "mystery_event"),
        _event({"type": "ping"}, "ping"),
        _event({"type": "content_block_stop", "index": 0}, "content_block_stop"),
        _event(
            {"type": "message_delta", "delta": {"stop_reason": "end_turn"}, "usage": {"output_tokens": 1}},
            "message_delta",
        ),
        _event({"type": "message_stop"}, "message_stop"),
    ]
)


async def test_unknown_stream_events_are_counted_and_the_answer_still_completes() -> None:
    with hostile(Script(200, SSE, lambda: [ANTHROPIC_WITH_UNKNOWN_EVENTS])) as base_url:
        exchange = await _send(base_url, Format.ANTHROPIC)
    assert exchange.error is None
    assert exchange.response is not None and exchange.response.text == "Hi"
    assert exchange.skipped_events == 2  # the two mystery events; ping and the others are understood


def test_headless_send_warns_about_skipped_events(capsys: pytest.CaptureFixture[str]) -> None:
    with hostile(Script(200, SSE, lambda: [ANTHROPIC_WITH_UNKNOWN_EVENTS])) as base_url:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(
                [
                    "send",
                    "--base-url",
                    base_url,
                    "--format",
                    "anthropic",
                    "--model",
                    "claude-sonnet-4-5-20250929",
                    "--stream",
                ]
            )
    assert code == 0
    assert out.getvalue() == "Hi\n"
    assert "warning: 2 stream events not understood and skipped" in err.getvalue()
    assert "mystery_event" in err.getvalue()
