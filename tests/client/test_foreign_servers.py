"""Servers we did not write (other OpenAI-compatible gateways, proxies): stubbed at the transport.

The sandbox always answers by the book; these are the shapes it never sends: a stream nobody asked
for, Gemini's JSON-array stream, a gzip-compressed stream, a call left early.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import AsyncIterator

import httpx2

from pipellm_tui.client import Done, Failure, FinalBody, Head, PlaygroundClient, RawEvent
from pipellm_tui.protocols.formats import Format

from .conversation import body, collect, of_type

CHAT_STREAM = (
    b'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,'
    b'"delta":{"role":"assistant","content":"Hel"},"finish_reason":null}]}\n\n'
    b'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,'
    b'"delta":{"content":"lo"},"finish_reason":"stop"}]}\n\n'
    b"data: [DONE]\n\n"
)

GEMINI_ARRAY = [
    {"candidates": [{"content": {"role": "model", "parts": [{"text": "Hi"}]}, "index": 0}]},
    {
        "candidates": [
            {"content": {"role": "model", "parts": [{"text": " there"}]}, "finishReason": "STOP", "index": 0}
        ],
        "usageMetadata": {"promptTokenCount": 2, "candidatesTokenCount": 2, "totalTokenCount": 4},
    },
]


class _EndlessStream(httpx2.AsyncByteStream):
    """An SSE body that never ends, and remembers whether the client closed it."""

    def __init__(self) -> None:
        self.closed = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        n = 0
        while True:
            n += 1
            yield f'data: {{"choices":[{{"index":0,"delta":{{"content":"w{n} "}}}}]}}\n\n'.encode()

    async def aclose(self) -> None:
        self.closed = True


def _client(response: httpx2.Response) -> PlaygroundClient:
    return PlaygroundClient(transport=httpx2.MockTransport(lambda request: response))


async def test_a_stream_nobody_asked_for_is_read_as_a_stream() -> None:
    client = _client(httpx2.Response(200, content=CHAT_STREAM, headers={"content-type": "text/event-stream"}))
    plan = client.plan(
        "http://gw.test", "k", "openai-chat", "native", "m", body(Format.OPENAI_CHAT, stream=False)
    )
    events = await collect(client, plan)
    await client.aclose()
    assert not of_type(events, Failure)
    assert len(of_type(events, RawEvent)) == 3
    assert of_type(events, FinalBody)[0].response.text == "Hello"


async def test_gemini_json_array_stream_is_read_event_by_event() -> None:
    client = _client(httpx2.Response(200, json=GEMINI_ARRAY))
    plan = client.plan(
        "http://gw.test", "k", "gemini", "native", "gemini-2.5-pro", body(Format.GEMINI, stream=True)
    )
    events = await collect(client, plan)
    await client.aclose()
    assert not of_type(events, Failure)
    assert [json.loads(e.sse.data) for e in of_type(events, RawEvent)] == GEMINI_ARRAY
    final = of_type(events, FinalBody)[0]
    assert final.response.text == "Hi there"
    assert final.body["usageMetadata"]["candidatesTokenCount"] == 2


async def test_a_gzip_compressed_stream_is_decoded() -> None:
    headers = {"content-type": "text/event-stream", "content-encoding": "gzip"}
    client = _client(httpx2.Response(200, content=gzip.compress(CHAT_STREAM), headers=headers))
    plan = client.plan(
        "http://gw.test", "k", "openai-chat", "native", "m", body(Format.OPENAI_CHAT, stream=True)
    )
    exchange = await client.send_collect(plan)
    await client.aclose()
    assert exchange.error is None and exchange.response is not None
    assert exchange.response.text == "Hello"


async def test_leaving_the_call_block_early_closes_the_stream() -> None:
    stream = _EndlessStream()
    client = _client(httpx2.Response(200, stream=stream, headers={"content-type": "text/event-stream"}))
    plan = client.plan(
        "http://gw.test", "k", "openai-chat", "native", "m", body(Format.OPENAI_CHAT, stream=True)
    )
    seen = 0
    async with client.send(plan) as call:
        async for event in call:
            seen += isinstance(event, RawEvent)
            if seen == 50:
                break
    await client.aclose()
    assert stream.closed
    assert call.exchange.cancelled and len(call.exchange.raw_events) == 50
    assert call.exchange.error is None


async def test_an_empty_event_stream_is_interrupted_not_silent() -> None:
    client = _client(httpx2.Response(200, content=b"", headers={"content-type": "text/event-stream"}))
    plan = client.plan("http://gw.test", "k", "anthropic", "native", "m", body(Format.ANTHROPIC, stream=True))
    events = await collect(client, plan)
    await client.aclose()
    assert [type(e).__name__ for e in events] == ["Head", "Failure", "Timings", "Done"]
    assert of_type(events, Failure)[0].error.type == "stream_interrupted"
    assert isinstance(events[-1], Done)


async def test_leaving_at_the_head_closes_the_stream() -> None:
    stream = _EndlessStream()
    client = _client(httpx2.Response(200, stream=stream, headers={"content-type": "text/event-stream"}))
    plan = client.plan(
        "http://gw.test", "k", "openai-chat", "native", "m", body(Format.OPENAI_CHAT, stream=True)
    )
    async with client.send(plan) as call:
        async for event in call:
            assert isinstance(event, Head)
            break
    await client.aclose()
    assert stream.closed
    assert call.exchange.cancelled and call.exchange.status == 200 and call.exchange.raw_events == []


async def test_an_error_envelope_with_status_200_is_the_servers_error() -> None:
    envelope = {"error": {"type": "overloaded_error", "code": "529", "message": "Busy upstream"}}
    client = _client(httpx2.Response(200, json=envelope))
    plan = client.plan("http://gw.test", "k", "openai-chat", "native", "m", body(Format.OPENAI_CHAT))
    exchange = await client.send_collect(plan)
    await client.aclose()
    assert exchange.error is not None
    assert (exchange.error.type, exchange.error.message) == ("overloaded_error", "Busy upstream")
    assert exchange.body == envelope
