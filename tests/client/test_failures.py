"""Every way a call can go wrong becomes the right ApiError, as a Failure event, never an exception."""

from __future__ import annotations

from typing import Any

import httpx2
import pytest

from pipellm_tui.client import Delta, Done, Failure, FinalBody, Head, PlaygroundClient, RawEvent, Timeouts
from pipellm_tui.client.events import ClientEvent
from pipellm_tui.protocols import ir
from pipellm_tui.protocols.errors import ApiError
from pipellm_tui.protocols.formats import Format

from .conversation import NATIVE_MODEL, body, collect, of_type


def _failure(events: list[ClientEvent]) -> ApiError:
    failures = of_type(events, Failure)
    assert len(failures) == 1, events
    done = events[-1]
    assert isinstance(done, Done)
    assert done.exchange.error == failures[0].error
    return failures[0].error  # type: ignore[no-any-return]


async def _send(
    sandbox: Any,
    fmt: Format = Format.OPENAI_CHAT,
    *,
    model: str | None = None,
    kind: str = "native",
    key: str | None = None,
    fault: str | None = None,
    stream: bool = False,
    client: PlaygroundClient | None = None,
) -> list[ClientEvent]:
    own = client is None
    client = client or PlaygroundClient()
    headers = {"x-sandbox-fault": fault} if fault else None
    plan = client.plan(
        sandbox.base_url,
        sandbox.api_key if key is None else key,
        fmt,
        kind,
        model or NATIVE_MODEL[fmt],
        body(fmt, stream=stream),
        headers,
    )
    try:
        return await collect(client, plan)
    finally:
        if own:
            await client.aclose()


@pytest.mark.parametrize("fmt", list(NATIVE_MODEL))
async def test_wrong_key_is_a_401_authentication_error(sandbox: Any, fmt: Format) -> None:
    events = await _send(sandbox, fmt, key="pipe-not-the-key")
    assert isinstance(events[0], Head) and events[0].status == 401
    error = _failure(events)
    assert (error.status, error.type, error.retryable) == (401, "authentication_error", False)
    assert "API key" in error.message
    assert "key" in error.advice.lower()


async def test_no_balance_is_a_402(sandbox: Any) -> None:
    error = _failure(await _send(sandbox, fault="402"))
    assert (error.status, error.type, error.retryable) == (402, "insufficient_balance", False)


async def test_unknown_model_is_a_400_with_suggestions(sandbox: Any) -> None:
    error = _failure(await _send(sandbox, model="gpt-4o-typo"))
    assert (error.status, error.type, error.retryable) == (400, "invalid_request_error", False)
    assert "not a valid model ID" in error.message
    assert "gpt-4o" in error.suggestions


async def test_protocol_guard_names_the_converter_route(sandbox: Any) -> None:
    error = _failure(await _send(sandbox, Format.OPENAI_CHAT, model="claude-sonnet-4-5-20250929"))
    assert (error.status, error.type) == (400, "invalid_request_error")
    assert "/openai/v1/chat/completions" in error.message
    assert "converter" in error.advice


async def test_forced_429_carries_retry_after(sandbox: Any) -> None:
    events = await _send(sandbox, fault="429")
    error = _failure(events)
    assert (error.status, error.type, error.retryable) == (429, "rate_limit_error", True)
    assert error.retry_after is not None and error.retry_after > 0
    assert error.rate_limit is not None and error.rate_limit["rpm"] > 0
    head = events[0]
    assert isinstance(head, Head) and head.rate_limits.retry_after == error.retry_after


@pytest.mark.parametrize(
    ("fault", "status", "type_"),
    [("500", 500, "api_error"), ("529", 529, "overloaded_error")],
)
async def test_server_errors_are_retryable(sandbox: Any, fault: str, status: int, type_: str) -> None:
    error = _failure(await _send(sandbox, fault=fault, stream=True))
    assert (error.status, error.type, error.retryable) == (status, type_, True)
    if fault == "529":
        assert error.retry_after == 1


async def test_html_502_from_a_proxy_keeps_the_page_in_raw(sandbox: Any) -> None:
    error = _failure(await _send(sandbox, fault="html"))
    assert error.status == 502
    assert error.retryable is True
    assert "<html" in error.raw.lower()
    assert "<" not in error.message  # a readable message, not the page


async def test_refused_connection_on_a_closed_port(closed_port: int) -> None:
    client = PlaygroundClient()
    plan = client.plan(
        f"http://127.0.0.1:{closed_port}",
        "k",
        "anthropic",
        "native",
        "claude-sonnet-4-5-20250929",
        body(Format.ANTHROPIC),
    )
    events = await collect(client, plan)
    await client.aclose()
    assert [type(e).__name__ for e in events] == ["Failure", "Timings", "Done"]
    error = _failure(events)
    assert (error.status, error.type) == (None, "connection_refused")
    assert f"127.0.0.1:{closed_port}" in error.message


async def test_a_url_without_scheme_is_a_clear_failure() -> None:
    client = PlaygroundClient()
    plan = client.plan("127.0.0.1:9", "k", "openai-chat", "native", "gpt-4o", body(Format.OPENAI_CHAT))
    error = _failure(await collect(client, plan))
    await client.aclose()
    assert error.type == "network_error" and error.retryable is False
    assert "http://" in error.message


@pytest.mark.parametrize("fmt", list(NATIVE_MODEL))
async def test_disconnect_mid_stream_keeps_what_arrived(sandbox: Any, fmt: Format) -> None:
    events = await _send(sandbox, fmt, fault="disconnect", stream=True)
    error = _failure(events)
    assert (error.status, error.type, error.retryable) == (None, "stream_interrupted", True)
    assert not of_type(events, FinalBody)
    raw = of_type(events, RawEvent)
    assert raw, "some events arrived before the cut"
    exchange = events[-1].exchange  # type: ignore[attr-defined]
    assert exchange.status == 200
    assert exchange.raw_events == [e.sse for e in raw]
    assert exchange.response is not None  # the partial answer, assembled
    text = "".join(e.event.text for e in of_type(events, Delta) if isinstance(e.event, ir.TextDelta))
    assert exchange.response.text == text
    assert not any(isinstance(e.event, ir.StreamFinish) for e in of_type(events, Delta))


async def test_disconnect_mid_body_without_stream(sandbox: Any) -> None:
    error = _failure(await _send(sandbox, Format.ANTHROPIC, fault="disconnect"))
    assert (error.status, error.type) == (None, "stream_interrupted")


@pytest.mark.parametrize("fmt", list(NATIVE_MODEL))
async def test_malformed_event_is_skipped_and_reported_at_the_end(sandbox: Any, fmt: Format) -> None:
    events = await _send(sandbox, fmt, fault="malformed", stream=True)
    kinds = [type(e).__name__ for e in events[-4:]]
    assert kinds == ["UsageReport", "Failure", "Timings", "Done"] or kinds[1:] == [
        "Failure",
        "Timings",
        "Done",
    ]
    error = _failure(events)
    assert (error.type, error.retryable) == ("malformed_event", False)
    assert error.raw and error.raw in [e.sse.data for e in of_type(events, RawEvent)]
    assert "Event #" in error.message
    final = of_type(events, FinalBody)
    assert len(final) == 1 and final[0].response.text  # the rest of the answer is intact


async def test_truncated_json_with_200_is_an_invalid_response(sandbox: Any) -> None:
    events = await _send(sandbox, Format.GEMINI, fault="malformed")
    error = _failure(events)
    assert (error.status, error.type, error.retryable) == (None, "invalid_response", False)
    assert error.raw  # the body as received
    assert not of_type(events, FinalBody)


async def test_slow_first_byte_beyond_the_read_timeout_is_a_timeout(sandbox: Any) -> None:
    client = PlaygroundClient(timeout=Timeouts(read=0.2))
    plan = client.plan(
        sandbox.base_url,
        sandbox.api_key,
        "openai-chat",
        "native",
        "gpt-4o",
        body(Format.OPENAI_CHAT),
        {"x-sandbox-fault": "slow-start", "x-sandbox-delay": "1"},
    )
    error = _failure(await collect(client, plan))
    await client.aclose()
    assert (error.status, error.type) == (None, "timeout")
    assert "0.2 s" in error.message


async def test_non_json_200_from_a_foreign_server_is_an_invalid_response() -> None:
    transport = httpx2.MockTransport(lambda request: httpx2.Response(200, text="OK, got it"))
    client = PlaygroundClient(transport=transport)
    plan = client.plan(
        "http://gateway.test", "k", "openai-chat", "native", "gpt-4o", body(Format.OPENAI_CHAT)
    )
    events = await collect(client, plan)
    await client.aclose()
    error = _failure(events)
    assert (error.type, error.raw) == ("invalid_response", "OK, got it")
    assert [type(e).__name__ for e in events] == ["Head", "Failure", "Timings", "Done"]
