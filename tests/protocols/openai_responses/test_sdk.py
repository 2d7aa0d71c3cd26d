"""The official `openai` SDK as the judge of what the Responses adapter writes.

A tiny HTTP server on 127.0.0.1 answers `POST /v1/responses` with a body made by `response_from_ir`
or a stream made by the encoder; the SDK (which no one here wrote) must parse it:
`responses.create()`, `responses.create(stream=True)` and the `responses.stream()` helper, whose
snapshot checks item ids, output indexes and the final Response against the deltas. Streams of the
other three formats converted to Responses go through the same judge, and so do IR events in any
order a decoder might produce them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any

import openai
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipellm_tui.protocols import Format, convert_sse, ir
from pipellm_tui.protocols.adapters import adapter_for

from ...loopback import serving
from ..fixture_catalog import Fixture, fixtures
from .support import encode, parsed_arguments, stream_facts

ADAPTER = adapter_for(Format.OPENAI_RESPONSES)


class _Reply:
    """What the server answers next: a JSON body or an SSE body; and the last request it got."""

    def __init__(self) -> None:
        self.body = b"{}"
        self.content_type = "application/json"
        self.request: dict[str, Any] = {}

    def json(self, body: dict[str, Any]) -> None:
        self.body, self.content_type = json.dumps(body).encode(), "application/json"

    def sse(self, text: str) -> None:
        self.body, self.content_type = text.encode(), "text/event-stream"


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[openai.OpenAI, _Reply]]:
    reply = _Reply()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", 0))
            reply.request = json.loads(self.rfile.read(length) or b"{}")
            self.send_response(200)
            self.send_header("content-type", reply.content_type)
            self.send_header("content-length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)

        def log_message(self, *args: Any) -> None:
            pass

    with serving(Handler) as base_url:
        client = openai.OpenAI(base_url=f"{base_url}/v1", api_key="sk-test", max_retries=0)
        try:
            yield client, reply
        finally:
            client.close()


ANSWER = ir.Response(
    id="resp_sdk_1",
    model="gpt-4.1",
    created=1755600000,
    candidates=[
        ir.Candidate(
            [
                ir.ThinkingPart("Looking up the weather.", "enc_blob"),
                ir.TextPart("Let me check. "),
                ir.TextPart("One moment."),
                ir.ToolCallPart("call_1", "get_weather", {"city": "Paris"}),
            ],
            ir.StopReason.TOOL_USE,
        )
    ],
    usage=ir.Usage(120, 40, cache_read_tokens=100, reasoning_tokens=12),
    extras_format=Format.OPENAI_RESPONSES,
)


def test_sdk_parses_a_response_from_the_neutral_form(server: tuple[openai.OpenAI, _Reply]) -> None:
    client, reply = server
    reply.json(ADAPTER.response_from_ir(ANSWER, []))
    got = client.responses.create(model="gpt-4.1", input="weather?")
    assert reply.request == {"model": "gpt-4.1", "input": "weather?"}
    assert got.id == "resp_sdk_1" and got.status == "completed"
    assert got.output_text == "Let me check. One moment."
    reasoning, message, call = got.output
    assert reasoning.type == "reasoning" and reasoning.summary[0].text == "Looking up the weather."
    assert reasoning.encrypted_content == "enc_blob"
    assert message.type == "message" and [c.type for c in message.content] == ["output_text", "output_text"]
    assert call.type == "function_call" and (call.call_id, call.name) == ("call_1", "get_weather")
    assert json.loads(call.arguments) == {"city": "Paris"}
    assert got.usage is not None
    assert (got.usage.input_tokens, got.usage.output_tokens, got.usage.total_tokens) == (120, 40, 160)
    assert got.usage.input_tokens_details.cached_tokens == 100
    assert got.usage.output_tokens_details.reasoning_tokens == 12


STREAM: list[ir.StreamEvent] = [
    ir.StreamStart("resp_sdk_2", "gpt-4.1"),
    ir.ThinkingDelta("Think"),
    ir.ThinkingDelta("ing.", "sig"),
    ir.TextDelta("Hello"),
    ir.TextDelta(", world"),
    ir.ToolCallStart(0, "call_a", "lookup"),
    ir.ToolCallDelta(0, '{"q":'),
    ir.ToolCallDelta(0, '"x"}'),
    ir.StreamFinish(ir.StopReason.TOOL_USE),
    ir.StreamUsage(ir.Usage(10, 7)),
]


def test_sdk_reads_an_encoded_stream_event_by_event(server: tuple[openai.OpenAI, _Reply]) -> None:
    client, reply = server
    reply.sse(encode(STREAM))
    events = list(client.responses.create(model="gpt-4.1", input="hi", stream=True))
    kinds = [e.type for e in events]
    assert kinds[:2] == ["response.created", "response.in_progress"]
    assert kinds[-1] == "response.completed"
    assert [e.sequence_number for e in events] == list(range(len(events)))
    text = "".join(e.delta for e in events if e.type == "response.output_text.delta")
    assert text == "Hello, world"
    final = events[-1].response  # type: ignore[union-attr]
    assert final.output_text == "Hello, world"
    assert final.usage is not None and (final.usage.input_tokens, final.usage.output_tokens) == (10, 7)


def test_sdk_stream_helper_accepts_the_snapshot(server: tuple[openai.OpenAI, _Reply]) -> None:
    client, reply = server
    reply.sse(encode(STREAM))
    with client.responses.stream(model="gpt-4.1", input="hi") as stream:
        deltas = [e.delta for e in stream if e.type == "response.output_text.delta"]
        final = stream.get_final_response()
    assert "".join(deltas) == "Hello, world"
    assert final.id == "resp_sdk_2" and final.output_text == "Hello, world"
    call = final.output[-1]
    assert call.type == "function_call" and json.loads(call.arguments) == {"q": "x"}
    assert final.output[0].type == "reasoning" and final.output[0].encrypted_content == "sig"


def _other_format_streams() -> list[Fixture]:
    return [f for f in fixtures("stream") if f.format is not Format.OPENAI_RESPONSES]


@pytest.mark.parametrize("fx", _other_format_streams(), ids=lambda f: f.id)
def test_sdk_accepts_streams_converted_from_other_formats(
    server: tuple[openai.OpenAI, _Reply], fx: Fixture
) -> None:
    client, reply = server
    text = fx.sse_text()
    source_decoder = adapter_for(fx.format).stream_decoder()
    from pipellm_tui.protocols.sse import parse_sse

    source_events = [
        e for event in parse_sse(text) for e in source_decoder.feed(event)
    ] + source_decoder.close()
    expected = stream_facts(source_events)
    reply.sse(convert_sse(text, fx.format, Format.OPENAI_RESPONSES).text)
    events = list(client.responses.create(model="m", input="hi", stream=True))
    assert "".join(e.delta for e in events if e.type == "response.output_text.delta") == expected.text
    terminal = events[-1]
    assert terminal.type in ("response.completed", "response.incomplete", "response.failed")
    if terminal.type == "response.completed":
        output = terminal.response.output
        calls = [
            (o.call_id, o.name, parsed_arguments(o.arguments)) for o in output if o.type == "function_call"
        ]
        assert calls == expected.calls


# IR events in any order, as any decoder might hand them over: the SDK must still accept the stream.
_texts = st.text(max_size=6)
_loose_events = st.lists(
    st.one_of(
        st.builds(ir.StreamStart, st.none() | st.just("resp_x"), st.none() | st.just("m")),
        st.builds(ir.TextDelta, _texts),
        st.builds(ir.RefusalDelta, _texts),
        st.builds(ir.ThinkingDelta, _texts, st.none() | st.just("s")),
        st.just("tool"),
        st.builds(ir.ToolCallDelta, st.integers(0, 3), st.sampled_from(['{"a":', "1}", "", "x"])),
        st.just(ir.BlockStop()),
        st.builds(ir.StreamFinish, st.sampled_from(list(ir.StopReason))),
        st.builds(ir.StreamUsage, st.builds(ir.Usage, st.integers(0, 99), st.integers(0, 99))),
    ),
    max_size=14,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_loose_events)
def test_sdk_accepts_events_in_any_order(server: tuple[openai.OpenAI, _Reply], drawn: list[Any]) -> None:
    client, reply = server
    events: list[ir.StreamEvent] = []
    tools = 0
    for event in drawn:  # tool calls get fresh indexes and ids, as every decoder gives them
        if event == "tool":
            events.append(ir.ToolCallStart(tools, f"call_{tools}", "f"))
            tools += 1
        else:
            events.append(event)
    text = encode(events)
    if not text:
        return  # nothing to say: no stream at all
    reply.sse(text)
    with client.responses.stream(model="m", input="hi") as stream:
        seen = list(stream)
    assert seen[0].type == "response.created"
    assert seen[-1].type in ("response.completed", "response.incomplete", "response.failed")
    if seen[-1].type == "response.completed":
        wanted = "".join(e.text for e in events if isinstance(e, ir.TextDelta))
        assert stream.get_final_response().output_text == wanted
