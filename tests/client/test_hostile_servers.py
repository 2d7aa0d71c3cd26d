"""Servers that try to hurt the client, over real loopback HTTP (tests/client/hostile.py): bombs,
floods, deep JSON, silence, trickles, redirects. Each ends in a `Failure` value naming what
happened, never an exception out of `send`, and never unbounded memory."""

from __future__ import annotations

import asyncio
import contextlib
import tracemalloc
from typing import Any

import pytest

from pipellm_tui.client import Done, Failure, Limits, PlaygroundClient, RawEvent, Timeouts
from pipellm_tui.client.events import Exchange
from pipellm_tui.protocols.formats import Format

from .conversation import NATIVE_MODEL, body, collect, of_type
from .hostile import Script, deep_json, forever, gzip_bomb, hostile, lazy_bytes

SSE = {"content-type": "text/event-stream"}
CHAT_EVENT = b'data: {"id":"c","choices":[{"index":0,"delta":{"content":"w "}}]}\n\n'


async def _send(
    base_url: str, fmt: Format = Format.OPENAI_CHAT, *, stream: bool = False, key: str = "k", **client: Any
) -> Exchange:
    http = PlaygroundClient(**client)
    try:
        plan = http.plan(base_url, key, fmt, "native", NATIVE_MODEL[fmt], body(fmt, stream=stream))
        events = await collect(http, plan)
    finally:
        await http.aclose()
    done = events[-1]
    assert isinstance(done, Done), events  # every call ends in Done: nothing escaped as an exception
    assert len(of_type(events, Failure)) <= 1
    return done.exchange


def test_the_default_body_limit_is_32_mb() -> None:
    assert Limits().max_body_bytes == 32 * 1024 * 1024


@pytest.mark.parametrize("status", [200, 500])
async def test_a_gzip_bomb_is_cut_at_the_body_limit_without_inflating(status: int) -> None:
    bomb = gzip_bomb(100 * 1024 * 1024)
    assert len(bomb) < 1024 * 1024
    headers = {"content-type": "application/json", "content-encoding": "gzip"}
    limit = 4 * 1024 * 1024
    with hostile(Script(status, headers, lambda: [bomb])) as base_url:
        tracemalloc.start()
        try:
            exchange = await _send(base_url, limits=Limits(max_body_bytes=limit))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert peak < 8 * limit, f"reading a 100 MB bomb peaked at {peak:,} bytes"
    assert exchange.status == status and exchange.error is not None
    if status == 200:
        assert exchange.error.type == "invalid_response"
        assert "more than 4 MB (after decompression)" in exchange.error.message
        assert "Limits.max_body_bytes" in exchange.error.message
    else:  # the error body is read up to the limit, and the status still says what went wrong
        assert exchange.error.status == 500
        assert len(exchange.error.raw) == limit


async def test_a_100_mb_body_is_cut_at_the_default_limit() -> None:
    headers = {"content-type": "application/json", "content-length": str(100 * 1024 * 1024)}
    with hostile(Script(200, headers, lazy_bytes(100 * 1024 * 1024))) as base_url:
        exchange = await _send(base_url)
    assert exchange.error is not None and exchange.error.type == "invalid_response"
    assert "more than 32 MB" in exchange.error.message
    assert exchange.error.retryable is False


async def test_a_stream_that_never_ends_is_cut_at_the_limit_keeping_its_events() -> None:
    with hostile(Script(200, SSE, forever(CHAT_EVENT * 100, 0.0))) as base_url:
        exchange = await _send(base_url, stream=True, limits=Limits(max_body_bytes=1024 * 1024))
    assert exchange.error is not None and "more than 1 MB" in exchange.error.message
    assert len(exchange.raw_events) > 1000  # what arrived before the limit is kept


async def test_deep_json_in_a_200_body_is_an_invalid_response() -> None:
    with hostile(Script(200, body=lambda: [deep_json()])) as base_url:
        exchange = await _send(base_url)
    assert exchange.error is not None and exchange.error.type == "invalid_response"
    assert "nested too deeply" in exchange.error.message


async def test_deep_json_in_an_error_body_keeps_the_status() -> None:
    with hostile(Script(500, body=lambda: [deep_json()])) as base_url:
        exchange = await _send(base_url)
    assert exchange.error is not None and exchange.error.status == 500


@pytest.mark.parametrize("fmt", list(NATIVE_MODEL))
async def test_deep_json_in_one_stream_event_is_a_malformed_event(fmt: Format) -> None:
    events = [b"data: " + deep_json() + b"\n\n"]
    with hostile(Script(200, SSE, lambda: events)) as base_url:
        exchange = await _send(base_url, fmt, stream=True)
    assert exchange.error is not None
    assert exchange.error.type in ("malformed_event", "stream_interrupted")
    assert exchange.skipped_events == 1


async def test_a_ping_only_stream_ends_with_the_idle_timeout() -> None:
    with hostile(Script(200, SSE, forever(b": ping\n\n", 0.02))) as base_url:
        exchange = await _send(base_url, stream=True, timeout=Timeouts(idle=0.3))
    assert exchange.error is not None and exchange.error.type == "timeout"
    assert "sent no event for 0.3 s" in exchange.error.message
    assert "idle timeout" in exchange.error.message
    assert exchange.status == 200 and not exchange.cancelled


async def test_events_keep_an_idle_stream_alive_until_the_total_deadline() -> None:
    with hostile(Script(200, SSE, forever(CHAT_EVENT, 0.02))) as base_url:
        exchange = await _send(base_url, stream=True, timeout=Timeouts(idle=0.3, total=0.8))
    assert exchange.error is not None and exchange.error.type == "timeout"
    assert "total deadline" in exchange.error.message and "0.8 s" in exchange.error.message
    assert len(exchange.raw_events) > 5  # the idle limit never fired: events kept coming


async def test_a_trickled_whole_body_counts_as_one_event() -> None:
    with hostile(Script(200, body=forever(b" ", 0.02))) as base_url:
        exchange = await _send(base_url, timeout=Timeouts(idle=0.3))
    assert exchange.error is not None and exchange.error.type == "timeout"
    assert "idle timeout" in exchange.error.message


async def test_a_silent_head_ends_with_the_first_byte_timeout() -> None:
    with hostile(Script(200, head_delay=10.0)) as base_url:
        exchange = await _send(base_url, timeout=Timeouts(first_byte=0.3))
    assert exchange.error is not None and exchange.error.type == "timeout"
    assert "sent no response within 0.3 s" in exchange.error.message
    assert "first-byte timeout" in exchange.error.message
    assert exchange.status is None


async def test_a_redirect_to_another_host_is_reported_and_not_followed() -> None:
    other = Script()
    with hostile(other) as elsewhere:
        target = elsewhere.replace("127.0.0.1", "localhost") + "/v1/chat/completions"
        with hostile(Script(302, {"location": target}, lambda: [b""])) as base_url:
            exchange = await _send(base_url, key="pipe-secret-key")
    assert other.seen == []  # nothing, and so no key, reached the other host
    error = exchange.error
    assert error is not None and (error.status, error.type) == (302, "redirect")
    assert target in error.message and "not followed" in error.message
    assert error.retryable is False


@pytest.mark.parametrize("fmt", list(NATIVE_MODEL))
async def test_without_a_key_no_auth_header_is_sent_and_the_401_is_shown(fmt: Format) -> None:
    answer = b'{"error": {"type": "authentication_error", "message": "Missing API key"}}'
    script = Script(401, body=lambda: [answer])
    with hostile(script) as base_url:
        exchange = await _send(base_url, fmt, key="")
    sent = script.seen[0].headers
    assert not {"authorization", "x-api-key", "x-goog-api-key"} & set(sent)
    if fmt is Format.ANTHROPIC:
        assert "anthropic-version" in sent
    error = exchange.error
    assert error is not None and (error.status, error.type) == (401, "authentication_error")
    assert error.message == "Missing API key"
    assert "No API key was sent with this request." in exchange.warnings


@pytest.mark.parametrize("url", ["http://[::1", "http://127.0.0.1:99999", "ftp://x", "", "http://"])
async def test_a_bad_base_url_is_a_failure_value(url: str) -> None:
    exchange = await _send(url)
    assert exchange.error is not None and exchange.error.status is None
    assert exchange.error.retryable is False


async def test_a_key_http_cannot_carry_is_a_clear_error_not_a_retryable_one() -> None:
    script = Script()
    with hostile(script) as base_url:
        exchange = await _send(base_url, key="pipe-key-with-a-line-break\n")
    error = exchange.error
    assert error is not None and error.retryable is False
    assert "could not be sent" in error.message and "check the API key" in error.message
    assert script.seen == []


async def test_cancelling_a_silent_stream_does_not_wait_for_a_chunk() -> None:
    """The consumer is cancelled while the server sends nothing: the call ends now, not at the
    next chunk (30 s away); the wait below only bounds a hang."""
    script = Script(200, SSE, lambda: [CHAT_EVENT, 30.0, CHAT_EVENT])
    with hostile(script) as base_url:
        client = PlaygroundClient()
        plan = client.plan(
            base_url, "k", "openai-chat", "native", "gpt-4o", body(Format.OPENAI_CHAT, stream=True)
        )
        call = client.send(plan)
        first = asyncio.Event()

        async def consume() -> None:
            async for event in call:
                if isinstance(event, RawEvent):
                    first.set()

        task = asyncio.create_task(consume())
        await asyncio.wait_for(first.wait(), 10)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 10)
        await client.aclose()
    assert task.cancelled()
    assert call.exchange.cancelled and len(call.exchange.raw_events) == 1
    assert call.exchange.error is None  # a cancel is no timeout and no failure


async def test_an_endless_sse_line_ends_at_the_parsers_cap_keeping_the_events_before_it() -> None:
    """One line that never ends (no newline, ever): the parser's line cap (16 MiB, below the 32 MB
    body limit) stops the stream with a clear error; the whole events before it stay."""

    def endless() -> Any:
        yield CHAT_EVENT * 50
        yield from forever(b"data: " + b"x" * 65536, 0.0)()

    with hostile(Script(200, SSE, endless)) as base_url:
        exchange = await _send(base_url, stream=True)
    assert exchange.error is not None and exchange.error.type == "malformed_event"
    assert "max_line" in exchange.error.message and "longer than" in exchange.error.message
    assert len(exchange.raw_events) == 50
