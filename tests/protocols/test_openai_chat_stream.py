"""OpenAI Chat streams: real and own recordings decoded, encoded back event for event, odd event orders
from other formats' decoders, and the official SDK reading what the encoder writes.

The SDK tests serve the encoder's output over real HTTP on 127.0.0.1 and read it with
`openai.OpenAI().chat.completions.create(stream=True)` and `.stream()`: the SDK is an honest judge of the
wire format because nobody here wrote it.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from pipellm_tui.protocols import Format, ir
from pipellm_tui.protocols.adapters import adapter_for
from pipellm_tui.protocols.schemas import openai_chat as schema
from pipellm_tui.protocols.sse import SSEEvent, encode_sse, parse_sse

from ..conftest import OWN_FIXTURES

A = adapter_for(Format.OPENAI_CHAT)
END, LENGTH, TOOL = ir.StopReason.END_TURN, ir.StopReason.MAX_TOKENS, ir.StopReason.TOOL_USE
TEXT = (
    "I'm unable to provide real-time weather updates. To get the current weather in San Francisco, I recommend "
    "checking a reliable weather website or a weather app."
)

#: (origin, file) -> (text, refusal, thinking, tool calls (id, name, arguments), stop, usage, error type)
STREAMS: dict[tuple[str, str], tuple[str, str, str, list[Any], ir.StopReason | None, Any, str | None]] = {
    ("shared", "sdktest_stream_text_with_usage.sse"): (TEXT, "", "", [], END, (14, 30, 0, 0, 0), None),
    ("shared", "sdktest_stream_tool_call.sse"): (
        "", "", "", [("call_4XzlGBLtUe9dy3GVNV4jhq7h", "get_weather", {"city": "New York City"})],
        TOOL, (44, 16, 0, 0, 0), None),
    ("shared", "sdktest_stream_parallel_tool_calls.sse"): (
        "", "", "",
        [("call_JMW1whyEaYG438VE1OIflxA2", "GetWeatherArgs", {"city": "Edinburgh", "country": "GB", "units": "c"}),
         ("call_DNYTawLBoN8fj3KN6qU9N1Ou", "get_stock_price", {"ticker": "AAPL", "exchange": "NASDAQ"})],
        TOOL, (149, 60, 0, 0, 0), None),
    ("shared", "sdktest_stream_finish_length.sse"): ('{"', "", "", [], LENGTH, (79, 1, 0, 0, 0), None),
    ("shared", "sdktest_stream_refusal.sse"): (
        "", "I'm sorry, I can't assist with that request.", "", [], END, (79, 11, 0, 0, 0), None),
    ("own", "reasoning_then_text.sse"): (
        "Hello! How can I help today?", "", "The user greets me; reply briefly.", [], END, (900, 21, 768, 0, 12),
        None),
    ("own", "text_then_parallel_tools.sse"): (
        "Let me check both.", "", "",
        [("call_A1", "get_weather", {"city": "Paris"}), ("call_B2", "get_time", {"tz": "Europe/Rome"})],
        TOOL, (310, 48, 0, 0, 0), None),
    ("own", "content_and_finish_together.sse"): ("The answer is forty-two", "", "", [], LENGTH, None, None),
    ("own", "midstream_error.sse"): ("Partial ans", "", "", [], None, None, "server_error"),
}  # fmt: skip
IDS = [f"{o}:{n}" for o, n in STREAMS]


def stream_text(origin: str, name: str, shared_fixtures: Path) -> str:
    if origin == "shared":
        directory = shared_fixtures / "openai_chat"
        if not directory.is_dir():
            pytest.skip("../shared/fixtures/openai_chat is absent")
    else:
        directory = OWN_FIXTURES / "openai_chat"
    return (directory / name).read_text(encoding="utf-8")


def decode(text: str) -> tuple[list[ir.StreamEvent], list[str]]:
    decoder = A.stream_decoder()
    events: list[ir.StreamEvent] = []
    for event in parse_sse(text):
        events.extend(decoder.feed(event))
    events.extend(decoder.close())
    return events, decoder.warnings


def encode(events: list[ir.StreamEvent]) -> tuple[list[SSEEvent], list[str]]:
    encoder = A.stream_encoder()
    out: list[SSEEvent] = []
    for event in events:
        out.extend(encoder.encode(event))
    out.extend(encoder.close())
    return out, encoder.warnings


def facts(events: list[ir.StreamEvent]) -> tuple[Any, ...]:
    text, refusal, thinking = [], [], []
    calls: dict[int, list[Any]] = {}
    stop, usage, error = None, None, None
    for e in events:
        if isinstance(e, ir.TextDelta):
            text.append(e.text)
        elif isinstance(e, ir.RefusalDelta):
            refusal.append(e.text)
        elif isinstance(e, ir.ThinkingDelta):
            thinking.append(e.text)
        elif isinstance(e, ir.ToolCallStart):
            calls[e.index] = [e.id, e.name, ""]
        elif isinstance(e, ir.ToolCallDelta):
            calls[e.index][2] += e.arguments
        elif isinstance(e, ir.StreamFinish):
            stop = e.stop_reason
        elif isinstance(e, ir.StreamUsage):
            u = e.usage
            usage = (
                u.input_tokens,
                u.output_tokens,
                u.cache_read_tokens,
                u.cache_write_tokens,
                u.reasoning_tokens,
            )
        elif isinstance(e, ir.StreamError):
            error = e.type
    tools = [(i, n, json.loads(a) if a else {}) for i, n, a in calls.values()]
    return "".join(text), "".join(refusal), "".join(thinking), tools, stop, usage, error


@pytest.mark.parametrize(("origin", "name"), list(STREAMS), ids=IDS)
def test_stream_decodes_to_the_expected_events(origin: str, name: str, shared_fixtures: Path) -> None:
    events, warnings = decode(stream_text(origin, name, shared_fixtures))
    assert facts(events) == STREAMS[origin, name]
    assert warnings == []
    assert isinstance(events[0], ir.StreamStart) and events[0].id and events[0].model
    if STREAMS[origin, name][4] is not None:  # the finish comes after every content event
        finish = next(i for i, e in enumerate(events) if isinstance(e, ir.StreamFinish))
        assert not any(isinstance(e, (ir.TextDelta, ir.ToolCallDelta)) for e in events[finish:])
        assert isinstance(events[finish - 1], ir.BlockStop)


@pytest.mark.parametrize(("origin", "name"), list(STREAMS), ids=IDS)
def test_stream_encoded_back_decodes_to_the_same_events(
    origin: str, name: str, shared_fixtures: Path
) -> None:
    events, _ = decode(stream_text(origin, name, shared_fixtures))
    wire, warnings = encode(events)
    assert warnings == []
    assert wire[-1].data == "[DONE]"
    for event in wire[:-1]:
        body = json.loads(event.data)
        if "error" in body:
            schema.StreamErrorEvent.model_validate(body)
        else:
            schema.StreamChunk.model_validate(body)
    again, _ = decode(encode_sse(wire))
    assert again == events


def test_a_chunk_with_content_and_finish_is_split(shared_fixtures: Path) -> None:
    events, _ = decode(stream_text("own", "content_and_finish_together.sse", shared_fixtures))
    assert [type(e).__name__ for e in events] == [
        "StreamStart", "TextDelta", "TextDelta", "TextDelta", "BlockStop", "StreamFinish"
    ]  # fmt: skip
    assert events[3] == ir.TextDelta("-two") and events[5] == ir.StreamFinish(LENGTH)


def test_decoder_keeps_going_past_junk_and_reports_it() -> None:
    chunk = {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m"}
    lines = [
        SSEEvent(json.dumps({**chunk, "choices": [{"index": 0, "delta": {"content": "a"}}]})),
        SSEEvent("not json"),
        SSEEvent("[1, 2]"),
        SSEEvent(json.dumps({"x": 1}), event="ping"),
        SSEEvent(json.dumps({**chunk, "choices": [{"index": 1, "delta": {"content": "other"}}]})),
        SSEEvent(
            json.dumps({**chunk, "choices": [{"index": 0, "delta": {"content": "b"}, "finish_reason": 7}]})
        ),
        SSEEvent(json.dumps({**chunk, "choices": [], "usage": {"prompt_tokens": "many"}})),
        SSEEvent("[DONE]"),
    ]
    decoder = A.stream_decoder()
    events = [e for line in lines for e in decoder.feed(line)] + decoder.close()
    assert events == [
        ir.StreamStart("c", "m"), ir.TextDelta("a"), ir.TextDelta("b"), ir.BlockStop(), ir.StreamFinish(END)
    ]  # fmt: skip
    assert decoder.warnings == [
        "stream: an event whose data is not JSON was ignored",
        "stream: an event whose data is not a JSON object was ignored",
        "event 'ping': not an OpenAI Chat event; ignored",
        "choices: only the first candidate of a stream is carried; the others dropped",
        "finish_reason: 7 is not a string; read as a normal end of turn",
        "stream: usage ignored (usage.prompt_tokens: expected an integer, got a string)",
    ]


def test_a_cut_stream_ends_in_an_error_and_done_without_finish_in_a_finish() -> None:
    first = SSEEvent(
        json.dumps({"id": "c", "model": "m", "choices": [{"index": 0, "delta": {"content": "a"}}]})
    )
    decoder = A.stream_decoder()
    decoder.feed(first)
    assert decoder.close() == [
        ir.BlockStop(), ir.StreamError("the stream ended before its finish chunk and [DONE]", "api_error")
    ]  # fmt: skip
    decoder = A.stream_decoder()
    decoder.feed(first)
    decoder.feed(SSEEvent("[DONE]"))
    assert decoder.close() == [ir.BlockStop(), ir.StreamFinish(END)]


def test_the_spec_streaming_example_decodes(shared_fixtures: Path) -> None:
    """The docs print bare chunks without `data:` and elide the middle: read the JSON lines as events."""
    text = stream_text("shared", "spec_streaming.chunks.txt", shared_fixtures)
    events, warnings = decode(
        "".join(f"data: {line}\n\n" for line in text.splitlines() if line.startswith("{"))
    )
    assert events == [
        ir.StreamStart("chatcmpl-123", "gpt-4o-mini"), ir.TextDelta("Hello"), ir.BlockStop(), ir.StreamFinish(END)
    ]  # fmt: skip
    assert warnings == []


def test_a_legacy_function_call_stream_becomes_a_tool_call() -> None:
    chunks = [{"role": "assistant", "content": None, "function_call": {"name": "w", "arguments": ""}},
              {"function_call": {"arguments": '{"c":'}}, {"function_call": {"arguments": ' "X"}'}}]  # fmt: skip
    wire = [
        SSEEvent(json.dumps({"id": "x", "model": "m", "choices": [{"index": 0, "delta": d}]})) for d in chunks
    ]
    wire.append(SSEEvent(json.dumps({"id": "x", "model": "m", "choices": [{"index": 0, "delta": {},
                                                                           "finish_reason": "function_call"}]})))  # fmt: skip
    events, warnings = decode(encode_sse(wire) + "data: [DONE]\n\n")
    assert facts(events)[3:5] == ([("call_0", "w", {"c": "X"})], TOOL)
    assert warnings == []


def test_error_events_carry_their_status() -> None:
    decoder = A.stream_decoder()
    body = {"error": {"message": "Too many requests", "type": "rate_limit_error", "code": "429"}}
    assert decoder.feed(SSEEvent(json.dumps(body))) == [
        ir.StreamError("Too many requests", "rate_limit_error", 429)
    ]
    assert decoder.close() == []


# ---------------------------------------------------------------------------- events in other orders

ORDERS: dict[str, list[ir.StreamEvent]] = {
    # Anthropic: input usage at the start, block stops, finish then usage with output only.
    "anthropic_like": [
        ir.StreamStart("msg_01", "claude-x", ir.Usage(input_tokens=50, cache_read_tokens=20)),
        ir.ThinkingDelta("hmm"), ir.ThinkingDelta(signature="sig"), ir.BlockStop(),
        ir.TextDelta("Hi"), ir.BlockStop(),
        ir.ToolCallStart(0, "toolu_1", "f"), ir.ToolCallDelta(0, '{"a":'), ir.ToolCallDelta(0, "1}"), ir.BlockStop(),
        ir.StreamFinish(TOOL), ir.StreamUsage(ir.Usage(output_tokens=9)),
    ],
    # Gemini: no block stops, usage on every chunk, whole tool calls, text after a tool call.
    "gemini_like": [
        ir.StreamStart(None, "gemini-x"),
        ir.TextDelta("Hi"), ir.StreamUsage(ir.Usage(5, 1)),
        ir.ToolCallStart(0, "call_0", "f"), ir.ToolCallDelta(0, '{"a":1}'), ir.StreamUsage(ir.Usage(5, 3)),
        ir.TextDelta(" done"), ir.StreamUsage(ir.Usage(5, 4)), ir.StreamFinish(END),
    ],
    "finish_without_start": [ir.StreamFinish(LENGTH)],
    "no_finish": [ir.StreamStart("x", "m"), ir.ToolCallStart(0, "c", "f")],
    "delta_without_start": [ir.ToolCallDelta(3, '{"q":"x"}'), ir.StreamFinish(TOOL)],
}  # fmt: skip

#: name -> (chunk kinds after the role chunk, text, tool calls, finish, usage chunk, warnings)
EXPECTED_ORDERS: dict[str, tuple[list[str], str, list[Any], str, Any, list[str]]] = {
    "anthropic_like": (
        ["reasoning_content", "content", "tool_calls", "tool_calls", "tool_calls", "finish", "usage"],
        "Hi", [("toolu_1", "f", {"a": 1})], "tool_calls",
        {"prompt_tokens": 50, "completion_tokens": 9, "total_tokens": 59,
         "prompt_tokens_details": {"cached_tokens": 20}, "completion_tokens_details": {"reasoning_tokens": 0}},
        ["thinking signature: OpenAI Chat streams cannot carry it; dropped"],
    ),
    "gemini_like": (
        ["content", "tool_calls", "tool_calls", "content", "finish", "usage"],
        "Hi done", [("call_0", "f", {"a": 1})], "tool_calls",
        {"prompt_tokens": 5, "completion_tokens": 4, "total_tokens": 9,
         "prompt_tokens_details": {"cached_tokens": 0}, "completion_tokens_details": {"reasoning_tokens": 0}},
        [],
    ),
    "finish_without_start": (["finish"], "", [], "length", None, []),
    "no_finish": (
        ["tool_calls", "finish"], "", [("c", "f", {})], "tool_calls", None,
        ["stream: the source ended without a finish; sent 'tool_calls'"],
    ),
    "delta_without_start": (
        ["tool_calls", "tool_calls", "finish"], "", [("call_3", "", {"q": "x"})], "tool_calls", None,
        ["tool call 3: arguments came before the call's start; started it unnamed"],
    ),
}  # fmt: skip


def chunk_kind(body: dict[str, Any]) -> str:
    if not body["choices"]:
        return "usage"
    choice = body["choices"][0]
    if choice["finish_reason"] is not None:
        assert choice["delta"] == {}
        return "finish"
    (key,) = choice["delta"]
    return str(key)


@pytest.mark.parametrize("name", list(ORDERS))
def test_events_in_any_legal_order_make_a_real_stream(name: str) -> None:
    kinds, text, calls, finish, usage, warnings = EXPECTED_ORDERS[name]
    wire, got_warnings = encode(ORDERS[name])
    assert wire[-1].data == "[DONE]"
    bodies = [json.loads(e.data) for e in wire[:-1]]
    for body in bodies:
        schema.StreamChunk.model_validate(body)
    assert bodies[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    assert [chunk_kind(b) for b in bodies[1:]] == kinds
    assert len({b["id"] for b in bodies}) == 1 and bodies[0]["id"].startswith(("chatcmpl-", "msg_", "x"))
    assert bodies[-1].get("usage") == usage
    assert got_warnings == warnings
    got = facts(decode(encode_sse(wire))[0])
    assert (got[0], got[3]) == (text, calls)
    assert [c["finish_reason"] for b in bodies for c in b["choices"] if c["finish_reason"]] == [finish]


def test_usage_after_the_finish_releases_the_finish_at_once() -> None:
    encoder = A.stream_encoder()
    encoder.encode(ir.StreamStart("x", "m"))
    assert encoder.encode(ir.StreamFinish(END)) == []
    released = encoder.encode(ir.StreamUsage(ir.Usage(3, 4)))
    assert json.loads(released[0].data)["choices"][0]["finish_reason"] == "stop"
    assert json.loads(released[1].data)["usage"]["total_tokens"] == 7
    assert [e.data for e in encoder.close()] == ["[DONE]"]


def test_an_error_ends_the_stream_without_a_finish() -> None:
    wire, _ = encode(
        [ir.StreamStart("x", "m"), ir.TextDelta("a"), ir.StreamError("overloaded", "overloaded_error", 529)]
    )
    assert json.loads(wire[-2].data) == {
        "error": {"message": "overloaded", "type": "overloaded_error", "code": 529}
    }
    assert wire[-1].data == "[DONE]"


# ---------------------------------------------------------------------------- the official SDK


class _Served:
    body = b""
    content_type = "text/event-stream"


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, type[_Served]]]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length", 0)))
            self.send_response(200)
            self.send_header("content-type", _Served.content_type)
            self.send_header("content-length", str(len(_Served.body)))
            self.end_headers()
            self.wfile.write(_Served.body)

        def log_message(self, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1", _Served
    httpd.shutdown()
    httpd.server_close()


def client(base_url: str) -> Any:
    openai = pytest.importorskip("openai")
    return openai.OpenAI(base_url=base_url, api_key="sk-test", max_retries=0)


@pytest.mark.parametrize(("origin", "name"), [k for k in STREAMS if STREAMS[k][6] is None], ids=IDS[:-1])
def test_the_sdk_reads_the_encoded_stream(
    origin: str, name: str, shared_fixtures: Path, server: tuple[str, type[_Served]]
) -> None:
    base_url, served = server
    text, refusal, _, calls, stop, usage, _ = STREAMS[origin, name]
    wire, _ = encode(decode(stream_text(origin, name, shared_fixtures))[0])
    served.body, served.content_type = encode_sse(wire).encode(), "text/event-stream"
    with client(base_url).chat.completions.stream(
        model="m", messages=[{"role": "user", "content": "x"}]
    ) as stream:
        for _ in stream:
            pass
        # The accumulated answer (get_final_completion() refuses to parse a "length" finish).
        final = stream.current_completion_snapshot
    message = final.choices[0].message
    assert (message.content or "") == text and (message.refusal or "") == refusal
    got_calls = [(c.id, c.function.name, json.loads(c.function.arguments)) for c in message.tool_calls or []]
    assert got_calls == [tuple(c) for c in calls]
    assert final.choices[0].finish_reason == {END: "stop", LENGTH: "length", TOOL: "tool_calls"}[stop]
    if usage is not None:
        assert final.usage is not None
        assert (final.usage.prompt_tokens, final.usage.completion_tokens) == usage[:2]


def test_the_sdk_reads_events_from_another_format(server: tuple[str, type[_Served]]) -> None:
    base_url, served = server
    wire, _ = encode(ORDERS["anthropic_like"])
    served.body, served.content_type = encode_sse(wire).encode(), "text/event-stream"
    chunks = list(client(base_url).chat.completions.create(model="m", messages=[], stream=True))
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "Hi"
    assert chunks[-1].usage is not None and chunks[-1].usage.prompt_tokens_details.cached_tokens == 20


def test_the_sdk_raises_on_an_encoded_error(server: tuple[str, type[_Served]]) -> None:
    openai = pytest.importorskip("openai")
    base_url, served = server
    wire, _ = encode(
        [ir.StreamStart("x", "m"), ir.TextDelta("a"), ir.StreamError("overloaded", "overloaded_error")]
    )
    served.body, served.content_type = encode_sse(wire).encode(), "text/event-stream"
    with pytest.raises(openai.APIError, match="overloaded"):
        list(client(base_url).chat.completions.create(model="m", messages=[], stream=True))


def test_the_sdk_reads_a_response_converted_from_another_format(server: tuple[str, type[_Served]]) -> None:
    base_url, served = server
    response = ir.Response(
        id="msg_01",
        model="claude-x",
        candidates=[
            ir.Candidate(
                [
                    ir.ThinkingPart("hmm", "sig"),
                    ir.TextPart("Sure."),
                    ir.ToolCallPart("toolu_9", "f", {"q": "x"}),
                ],
                ir.StopReason.TOOL_USE,
            )
        ],
        usage=ir.Usage(10, 5, reasoning_tokens=2),
    )
    served.body = json.dumps(A.response_from_ir(response, [])).encode()
    served.content_type = "application/json"
    answer = client(base_url).chat.completions.create(model="m", messages=[{"role": "user", "content": "x"}])
    assert answer.id == "msg_01" and answer.choices[0].finish_reason == "tool_calls"
    assert answer.choices[0].message.content == "Sure."
    assert answer.choices[0].message.tool_calls[0].function.arguments == '{"q":"x"}'
    assert answer.usage is not None and answer.usage.completion_tokens_details.reasoning_tokens == 2
