"""Retries (counted, never timed) and cancellation (the connection closes, the client stays usable)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any

import httpx2
import pytest

from pipellm_tui.client import (
    Delta,
    Done,
    Failure,
    FinalBody,
    PlaygroundClient,
    RawEvent,
    Retrying,
    RetryPolicy,
)
from pipellm_tui.protocols.errors import network_error, parse_error
from pipellm_tui.protocols.formats import Format

from .conversation import body, collect, of_type


class _Sleeps:
    """Records the waits instead of waiting, so the tests count retries without taking time."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


class _FaultFirst(httpx2.AsyncBaseTransport):
    """The real network, but the first `times` requests ask the sandbox for `fault`."""

    def __init__(self, fault: str, times: int) -> None:
        self.inner = httpx2.AsyncHTTPTransport()
        self.fault = fault
        self.left = times
        self.requests = 0

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        self.requests += 1
        if self.left > 0:
            self.left -= 1
            request.headers["x-sandbox-fault"] = self.fault
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def _plan(client: PlaygroundClient, sandbox: Any, fault: str | None = None, stream: bool = False) -> Any:
    headers = {"x-sandbox-fault": fault} if fault else None
    return client.plan(
        sandbox.base_url,
        sandbox.api_key,
        "openai-chat",
        "native",
        "gpt-4o",
        body(Format.OPENAI_CHAT, stream=stream),
        headers,
    )


async def test_529_is_retried_after_retry_after_then_given_up(sandbox: Any) -> None:
    sleeps = _Sleeps()
    client = PlaygroundClient(sleep=sleeps)
    events = await collect(client, _plan(client, sandbox, "529"), retry=RetryPolicy(max_attempts=2))
    await client.aclose()
    retrying = of_type(events, Retrying)
    assert [(r.attempt, r.delay, r.error.status) for r in retrying] == [(1, 1.0, 529)]
    assert retrying[0].rate_limits is not None and retrying[0].rate_limits.limit is not None
    assert sleeps.delays == [1.0]  # the server's Retry-After: 1
    exchange = events[-1].exchange  # type: ignore[attr-defined]
    assert exchange.retries == 1
    assert exchange.error.status == 529
    assert of_type(events, Failure)[0].error.status == 529


async def test_gives_up_after_max_attempts(sandbox: Any) -> None:
    sleeps = _Sleeps()
    client = PlaygroundClient(sleep=sleeps, retry=RetryPolicy(max_attempts=3, jitter=False))
    exchange = await client.send_collect(_plan(client, sandbox, "500"))
    await client.aclose()
    assert exchange.retries == 2
    assert sleeps.delays == [0.5, 1.0]  # no Retry-After on a 500: exponential backoff
    assert exchange.error is not None and exchange.error.status == 500


async def test_a_retry_that_succeeds_returns_the_answer(sandbox: Any) -> None:
    transport = _FaultFirst("529", times=2)
    client = PlaygroundClient(transport=transport, sleep=_Sleeps(), retry=RetryPolicy(max_attempts=3))
    events = await collect(client, _plan(client, sandbox, stream=True))
    await client.aclose()
    assert transport.requests == 3
    assert len(of_type(events, Retrying)) == 2
    assert not of_type(events, Failure)
    exchange = events[-1].exchange  # type: ignore[attr-defined]
    assert exchange.retries == 2 and exchange.status == 200
    assert of_type(events, FinalBody)[0].response.text


@pytest.mark.parametrize(("key", "fault", "status"), [("pipe-wrong", None, 401), (None, "402", 402)])
async def test_client_errors_are_never_retried(
    sandbox: Any, key: str | None, fault: str | None, status: int
) -> None:
    sleeps = _Sleeps()
    client = PlaygroundClient(sleep=sleeps, retry=RetryPolicy(max_attempts=5))
    plan = client.plan(
        sandbox.base_url,
        key or sandbox.api_key,
        "openai-chat",
        "native",
        "gpt-4o",
        body(Format.OPENAI_CHAT),
        {"x-sandbox-fault": fault} if fault else None,
    )
    exchange = await client.send_collect(plan)
    await client.aclose()
    assert exchange.error is not None and exchange.error.status == status
    assert exchange.retries == 0 and sleeps.delays == []


async def test_a_refused_connection_is_retried(closed_port: int) -> None:
    sleeps = _Sleeps()
    client = PlaygroundClient(sleep=sleeps, retry=RetryPolicy(max_attempts=3, base_delay=0.25, jitter=False))
    plan = client.plan(
        f"http://127.0.0.1:{closed_port}", "k", "gemini", "native", "gemini-2.5-pro", body(Format.GEMINI)
    )
    exchange = await client.send_collect(plan)
    await client.aclose()
    assert exchange.retries == 2 and sleeps.delays == [0.25, 0.5]
    assert exchange.error is not None and exchange.error.type == "connection_refused"


async def test_a_stream_cut_after_delivery_is_never_retried(sandbox: Any) -> None:
    sleeps = _Sleeps()
    client = PlaygroundClient(sleep=sleeps, retry=RetryPolicy(max_attempts=3))
    exchange = await client.send_collect(_plan(client, sandbox, "disconnect", stream=True))
    await client.aclose()
    assert exchange.error is not None and exchange.error.type == "stream_interrupted"
    assert exchange.retries == 0 and sleeps.delays == []
    assert exchange.raw_events


def test_backoff_doubles_is_capped_and_honours_retry_after() -> None:
    policy = RetryPolicy(max_attempts=10, base_delay=0.5, max_delay=3, jitter=False)
    overloaded = parse_error(529, b"")
    assert [policy.delay(overloaded, n) for n in range(1, 6)] == [0.5, 1.0, 2.0, 3.0, 3.0]
    told = parse_error(429, b"", {"retry-after": "2"})
    assert policy.delay(told, 1) == 2.0
    assert policy.delay(parse_error(429, b"", {"retry-after": "120"}), 1) == 3.0  # capped
    jittered = RetryPolicy(base_delay=1.0, max_delay=20, jitter=True)
    assert jittered.delay(overloaded, 3, rand=lambda: 0.0) == 2.0
    assert jittered.delay(overloaded, 3, rand=lambda: 1.0) == 4.0


def test_what_is_retryable() -> None:
    policy = RetryPolicy(max_attempts=3)
    for status in (429, 500, 502, 503, 529):
        assert policy.should_retry(parse_error(status, b""), 1)
    for status in (400, 401, 402, 403, 404, 405, 422):
        assert not policy.should_retry(parse_error(status, b""), 1)
    assert not policy.should_retry(parse_error(529, b""), 3)  # the last attempt
    refused = network_error("connection_refused", "no")
    assert policy.should_retry(refused, 1, connect_failed=True)
    assert not policy.should_retry(network_error("timeout", "read"), 1, connect_failed=False)


async def test_cancelling_mid_stream_keeps_what_arrived_and_the_client_works(fresh_sandbox: Any) -> None:
    slow = fresh_sandbox(token_rate=40.0)
    client = PlaygroundClient()
    plan = client.plan(
        slow.base_url,
        slow.api_key,
        "anthropic",
        "native",
        "claude-sonnet-4-5-20250929",
        body(Format.ANTHROPIC, "[[tokens:2000]] Go on.", stream=True, max_tokens=4000),
    )
    call = client.send(plan)
    seen: list[Any] = []
    some_text = asyncio.Event()

    async def consume() -> None:
        async for event in call:
            seen.append(event)
            if isinstance(event, Delta) and len(of_type(seen, Delta)) >= 3:
                some_text.set()

    task = asyncio.create_task(consume())
    await asyncio.wait_for(some_text.wait(), 30)
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    assert task.cancelled()
    assert call.exchange.cancelled is True
    assert not of_type(seen, Done)
    assert call.exchange.raw_events == [e.sse for e in of_type(seen, RawEvent)]
    assert call.exchange.timings is not None and call.exchange.timings.total > 0
    # The sandbox saw the connection go (it counts streams that ended before their last event).
    await _until(lambda: slow.state.disconnects == 1)
    assert slow.state.disconnects == 1

    # The same client (and pool) serves the next request at once.
    quick = client.plan(
        slow.base_url, slow.api_key, "openai-chat", "native", "gpt-4o", body(Format.OPENAI_CHAT)
    )
    exchange = await client.send_collect(quick)
    await client.aclose()
    assert exchange.status == 200 and exchange.error is None


async def test_cancel_closes_the_connection_at_once() -> None:
    """A server that streams forever sees its client hang up as soon as the consumer is cancelled."""
    hung_up = asyncio.Event()
    sent_some = asyncio.Event()

    async def endless(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(
            b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n"
        )
        try:
            for n in range(10_000):
                event = f'data: {{"choices":[{{"index":0,"delta":{{"content":"w{n} "}}}}]}}\n\n'.encode()
                writer.write(f"{len(event):x}\r\n".encode() + event + b"\r\n")
                await writer.drain()
                sent_some.set()
                if await _closed_within(reader, 0.02):
                    break
        except (ConnectionError, OSError):
            pass
        hung_up.set()
        writer.close()

    server = await asyncio.start_server(endless, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    client = PlaygroundClient()
    plan = client.plan(
        f"http://127.0.0.1:{port}",
        "k",
        "openai-chat",
        "native",
        "gpt-4o",
        body(Format.OPENAI_CHAT, stream=True),
    )
    call = client.send(plan)

    async def consume() -> None:
        async for _ in call:
            pass

    task = asyncio.create_task(consume())
    await asyncio.wait_for(sent_some.wait(), 10)
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    await asyncio.wait_for(hung_up.wait(), 10)
    assert call.exchange.cancelled and call.exchange.raw_events
    await client.aclose()
    server.close()
    await server.wait_closed()


async def _until(condition: Callable[[], bool], limit: float = 10.0) -> None:
    """Wait (bounded) for something another thread does; the caller asserts the outcome."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while not condition() and loop.time() < deadline:
        await asyncio.sleep(0.01)


async def _closed_within(reader: asyncio.StreamReader, seconds: float) -> bool:
    """True when the peer closed its side (EOF) within `seconds`."""
    try:
        data = await asyncio.wait_for(reader.read(1), seconds)
    except TimeoutError:
        return False
    return data == b""


def test_the_policy_retries_exactly_what_the_error_calls_retryable() -> None:
    """One rule: the error pane's "Retry: yes" is a retry the client's policy makes."""
    from pipellm_tui.client.policy import RetryPolicy
    from pipellm_tui.protocols.errors import parse_error

    policy = RetryPolicy(max_attempts=3)
    for status in (400, 401, 402, 404, 408, 409, 422, 429, 500, 502, 529):
        error = parse_error(status, "")
        assert policy.should_retry(error, 1) is error.retryable, status
    told_not_to = parse_error(503, "", {"x-should-retry": "false"})
    assert not told_not_to.retryable and not policy.should_retry(told_not_to, 1)
    told_to = parse_error(400, "", {"x-should-retry": "true"})
    assert told_to.retryable and policy.should_retry(told_to, 1)
    assert not policy.should_retry(parse_error(500, ""), 3)  # attempts used up
