"""Anthropic streams: decoding real and own recordings, encoding back, odd event orders, the official SDK.

The SDK tests serve our encoder's output over real HTTP on 127.0.0.1 and read it with
`anthropic.Anthropic().messages.stream()` / `create(stream=True)`: the SDK is an honest judge of the
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
from pipellm_tui.protocols.schemas import anthropic as schema
from pipellm_tui.protocols.sse import SSEEvent, encode_sse, parse_sse

from ..conftest import OWN_FIXTURES, SHARED_FIXTURES

A = adapter_for(Format.ANTHROPIC)
SHARED = SHARED_FIXTURES / "anthropic"
OWN = OWN_FIXTURES / "anthropic"
TRUNCATED = '{"filename": "taxes.txt", "lines_of_text": [\n"# COMPREHENSIVE TAX GUIDE FOR INDIVIDUALS WITH MULTIPLE W-2s",\n"",\n"## INTRODUCTION",\n"",\n"Filing taxes'

#: name -> (directory, text, thinking, tool calls (id, name, arguments or raw JSON text), stop, usage, model)
STREAMS: dict[str, tuple[Path, str, str, list[Any], ir.StopReason | None, tuple[int, ...] | None, str]] = {
    "sdkfixture_stream_basic.sse": (
        SHARED, "Hello there!", "", [], ir.StopReason.END_TURN, (11, 6, 0, 0, 0), "claude-3-opus-latest"),
    "sdkfixture_stream_text_then_tool_use.sse": (
        SHARED, "I'll check the current weather in Paris for you.", "",
        [("toolu_01NRLabsLyVHZPKxbKvkfSMn", "get_weather", {"location": "Paris"})],
        ir.StopReason.TOOL_USE, (377, 65, 0, 0, 0), "claude-sonnet-4-20250514"),
    "sdkfixture_stream_max_tokens_mid_tool_json.sse": (
        SHARED, "I'll create a comprehensive tax guide for someone with multiple W2s and save it in a file "
        "called taxes.txt. Let me do that for you now.", "",
        [("toolu_01EKqbqmZrGRXy18eN7m9kvY", "make_file", TRUNCATED)],
        ir.StopReason.MAX_TOKENS, (450, 124, 0, 0, 0), "claude-3-7-sonnet-20250219"),
    "sdkfixture_stream_refusal.sse": (
        SHARED, "", "", [], ir.StopReason.CONTENT_FILTER, (20, 0, 0, 0, 0), "claude-opus-4-7"),
    "sdkfixture_stream_thinking_signature_refusal.sse": (
        SHARED, "Hi", "Simple educational question about what a solar eclipse is. This is benign general "
        "knowledge — definitions are fine. Also the user called me \"claudius\" — I'm Claude. Minor "
        "correction or just roll with it politely.", [], ir.StopReason.CONTENT_FILTER, (28, 106, 0, 0, 67),
        "claude-fable-5"),
    "cassette_stream_tool_use.sse": (
        SHARED, "", "", [("toolu_018acGYLtfR52q9yDbWaEdQZ", "get_weather",
                          {"location": "San Francisco, CA", "units": "f"})],
        ir.StopReason.TOOL_USE, (656, 74, 0, 0, 0), "claude-haiku-4-5-20251001"),
    "cassette_stream_output_config_json_schema.sse": (
        SHARED, "[12345,67890]", "", [], ir.StopReason.END_TURN, (135, 10, 0, 0, 0), "claude-sonnet-4-5-20250929"),
    "parallel_tools.sse": (
        OWN, "Checking both cities now.", "",
        [("toolu_01Pa1Tokyo0000000000000001", "get_weather", {"location": "Tokyo, Japan", "unit": "celsius"}),
         ("toolu_01Pa2Lima00000000000000002", "get_weather", {"location": "Lima, Peru"})],
        ir.StopReason.TOOL_USE, (472 + 1536, 96, 1536, 0, 0), "claude-sonnet-4-5-20250929"),
    "thinking_text.sse": (
        OWN, "27 × 453 = **12,231**.", "27 * 453: 27 * 400 = 10800, 27 * 53 = 1431. Sum: 12231.", [],
        ir.StopReason.END_TURN, (36, 143, 0, 0, 0), "claude-sonnet-4-5-20250929"),
    "overloaded_midstream.sse": (
        OWN, "Once upon a", "", [], None, (18, 1, 0, 0, 0), "claude-haiku-4-5-20251001"),
}


def read_stream(directory: Path, name: str) -> str:
    if not directory.is_dir():
        pytest.skip(f"{directory} is absent")
    return (directory / name).read_text(encoding="utf-8")


def decode(events: list[SSEEvent]) -> tuple[list[ir.StreamEvent], list[str]]:
    decoder = A.stream_decoder()
    out = [neutral for event in events for neutral in decoder.feed(event)]
    return out + decoder.close(), decoder.warnings


def encode(events: list[ir.StreamEvent]) -> tuple[list[SSEEvent], list[str]]:
    encoder = A.stream_encoder()
    out = [wire for event in events for wire in encoder.encode(event)]
    return out + encoder.close(), encoder.warnings


def facts(events: list[ir.StreamEvent]) -> dict[str, Any]:
    """What a stream says, joined: text, thinking, tool calls with parsed arguments, finish, usage."""
    tools: dict[int, list[Any]] = {}
    out: dict[str, Any] = {"text": "", "thinking": "", "signature": "", "stop": None, "usage": None, "model": None}
    for event in events:
        if isinstance(event, (ir.TextDelta, ir.RefusalDelta)):
            out["text"] += event.text
        elif isinstance(event, ir.ThinkingDelta):
            out["thinking"] += event.text
            out["signature"] += event.signature or ""
        elif isinstance(event, ir.ToolCallStart):
            tools[event.index] = [event.id, event.name, ""]
        elif isinstance(event, ir.ToolCallDelta):
            tools.setdefault(event.index, [None, "", ""])[2] += event.arguments
        elif isinstance(event, ir.StreamFinish):
            out["stop"] = event.stop_reason
        elif isinstance(event, (ir.StreamUsage, ir.StreamStart)) and event.usage is not None:
            u = event.usage
            out["usage"] = (u.input_tokens, u.output_tokens, u.cache_read_tokens, u.cache_write_tokens, u.reasoning_tokens)
        if isinstance(event, ir.StreamStart):
            out["model"] = event.model
    out["calls"] = []
    for call_id, name, arguments in tools.values():
        try:
            parsed = json.loads(arguments)
        except ValueError:
            parsed = arguments  # a call cut short keeps its raw text
        out["calls"].append((call_id, name, parsed))
    return out


def check_wire(events: list[SSEEvent]) -> None:
    """The event order every Anthropic client expects, and every data object valid."""
    names = [e.event for e in events]
    assert names[0] == "message_start" and names[-2:] == ["message_delta", "message_stop"]
    open_index, next_index = None, 0
    for event in events:
        data = json.loads(event.data)
        assert data["type"] == event.event
        schema.STREAM_CHUNK.validate_python(data)
        if event.event == "content_block_start":
            assert open_index is None and data["index"] == next_index
            open_index, next_index = data["index"], next_index + 1
        elif event.event == "content_block_delta":
            assert data["index"] == open_index
        elif event.event == "content_block_stop":
            assert data["index"] == open_index
            open_index = None
        elif event.event == "message_delta":
            assert open_index is None


@pytest.mark.parametrize("name", list(STREAMS))
def test_stream_decodes_to_the_expected_answer(name: str) -> None:
    directory, text, thinking, tool_calls, stop, usage, model = STREAMS[name]
    events, warnings = decode(parse_sse(read_stream(directory, name)))
    got = facts(events)
    assert (got["text"], got["thinking"], got["calls"]) == (text, thinking, tool_calls)
    assert (got["stop"], got["usage"], got["model"]) == (stop, usage, model)
    assert isinstance(events[0], ir.StreamStart) and events[0].id.startswith("msg_")
    if thinking:
        assert got["signature"]
    if stop is None:
        assert events[-1] == ir.StreamError("Overloaded", "overloaded_error", 529)
    assert all(w.startswith(("stop_details", "tool_use.caller")) for w in warnings)


@pytest.mark.parametrize("name", list(STREAMS))
def test_stream_encodes_back_to_the_same_events(name: str) -> None:
    directory = STREAMS[name][0]
    events, _ = decode(parse_sse(read_stream(directory, name)))
    wire, warnings = encode(events)
    assert warnings == []
    again, _ = decode(parse_sse(encode_sse(wire)))
    assert again == events
    if STREAMS[name][4] is not None:
        check_wire(wire)


# ---------------------------------------------------------------------------- any legal order


ODD_ORDERS: dict[str, list[ir.StreamEvent]] = {
    # An OpenAI-like source: no StreamStart, no BlockStops, usage after the finish.
    "openai_like": [
        ir.TextDelta("Let me check."),
        ir.ToolCallStart(0, "call_a", "get_weather"),
        ir.ToolCallDelta(0, '{"city":'),
        ir.ToolCallDelta(0, '"Oslo"}'),
        ir.ToolCallStart(1, "call_b", "get_time"),
        ir.ToolCallDelta(1, "{}"),
        ir.StreamFinish(ir.StopReason.TOOL_USE),
        ir.StreamUsage(ir.Usage(50, 12, cache_read_tokens=20)),
    ],
    # A Gemini-like source: whole calls, text after a tool call, usage before the finish, thinking.
    "gemini_like": [
        ir.StreamStart(model="gemini-2.5-flash"),
        ir.ThinkingDelta("thinking about it", "sig-from-elsewhere"),
        ir.ToolCallStart(0, "call_0", "f", signature="gemini-sig"),
        ir.ToolCallDelta(0, '{"x":1}'),
        ir.TextDelta("and some text after the call"),
        ir.StreamUsage(ir.Usage(9, 30, reasoning_tokens=10)),
        ir.StreamFinish(ir.StopReason.END_TURN),
    ],
    "finish_only": [ir.StreamFinish(ir.StopReason.MAX_TOKENS)],
    "no_finish": [ir.StreamStart("msg_x", "m"), ir.RefusalDelta("I can't."), ir.BlockStop(), ir.BlockStop()],
    "delta_without_start": [ir.ToolCallDelta(3, '{"a":true}')],
}


@pytest.mark.parametrize("name", list(ODD_ORDERS))
def test_encoder_copes_with_any_legal_order(name: str) -> None:
    wire, warnings = encode(ODD_ORDERS[name])
    check_wire(wire)
    got = facts(decode(wire)[0])
    expected = facts(ODD_ORDERS[name])
    assert got["text"] == expected["text"]
    assert [(n, a) for _, n, a in got["calls"]] == [(n, a) for _, n, a in expected["calls"]]
    if expected["stop"] is not None:
        assert got["stop"] == expected["stop"]
    if expected["usage"] is not None:
        assert got["usage"] == expected["usage"]


def test_encoder_warnings_and_synthesised_parts() -> None:
    wire, warnings = encode(ODD_ORDERS["no_finish"])
    assert json.loads(wire[-2].data)["delta"]["stop_reason"] == "end_turn"
    assert warnings == [
        "refusal: Anthropic streams have no refusal delta; sent as text",
        "stream: the source gave no finish reason; end_turn assumed",
    ]
    wire, _ = encode(ODD_ORDERS["finish_only"])
    start = json.loads(wire[0].data)["message"]
    assert (start["id"], start["model"]) == ("msg_0000000000000000000000000", "")
    assert encode(ODD_ORDERS["finish_only"])[0] == wire  # deterministic
    assert [e.event for e in wire] == ["message_start", "ping", "message_delta", "message_stop"]
    assert encode([])[0] == []


def test_error_ends_the_encoded_stream() -> None:
    wire, _ = encode([ir.StreamStart("msg_1", "m"), ir.TextDelta("Once"), ir.StreamError("Overloaded", "overloaded_error", 529),
                      ir.TextDelta("ignored")])
    assert wire[-1].event == "error"
    assert json.loads(wire[-1].data) == {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
    assert [e.event for e in wire].count("content_block_delta") == 1


def test_usage_reported_before_an_error_survives() -> None:
    events = [ir.TextDelta("Once"), ir.StreamUsage(ir.Usage(11, 3)), ir.StreamError("Overloaded", "overloaded_error", 529)]
    wire, _ = encode(events)
    assert [e.event for e in wire][-3:] == ["content_block_stop", "message_delta", "error"]
    assert json.loads(wire[-2].data)["delta"] == {"stop_reason": None, "stop_sequence": None}
    decoded, _ = decode(wire)
    assert decoded[-3:] == [ir.BlockStop(), ir.StreamUsage(ir.Usage(11, 3)), events[-1]]


def test_decoder_skips_what_it_does_not_know() -> None:
    events = [
        SSEEvent('{"type":"message_start","message":{"id":"msg_1","model":"m","usage":{"input_tokens":3,"output_tokens":1}}}', "message_start"),
        SSEEvent('{"type":"brand_new_event","x":1}', "brand_new_event"),
        SSEEvent("not json", "content_block_delta"),
        SSEEvent('{"type":"content_block_delta","index":0}', "content_block_delta"),
        SSEEvent('{"type":"content_block_start","index":0,"content_block":{"type":"server_tool_use","id":"s","name":"web_search","input":{}}}'),
        SSEEvent('{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{}"}}'),
        SSEEvent('{"type":"content_block_delta","index":1,"delta":{"type":"citations_delta","citation":{}}}'),
        SSEEvent("[1, 2]"),
    ]
    decoded, warnings = decode(events)
    assert decoded == [ir.StreamStart("msg_1", "m", ir.Usage(3, 1)), ir.StreamError(
        "the stream ended before it was complete", "api_error")]
    assert warnings[0] == "event brand_new_event: unknown Anthropic event; ignored"
    assert warnings[1] == "event content_block_delta: data is not JSON; skipped"
    assert warnings[2].startswith("event content_block_delta: malformed (KeyError")
    assert warnings[3:] == [
        "server_tool_use: this block type has no neutral form; dropped",
        "citations_delta: not carried by the neutral stream; dropped",
        "event ?: data is not an object; skipped",
        "stream: ended before message_delta gave a stop reason",
    ]


# ---------------------------------------------------------------------------- the official SDK


class _Answer:
    body = b""
    content_type = "application/json"


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length") or 0))
        self.send_response(200)
        self.send_header("content-type", _Answer.content_type)
        self.send_header("content-length", str(len(_Answer.body)))
        self.end_headers()
        self.wfile.write(_Answer.body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def sdk() -> Iterator[Any]:
    anthropic = pytest.importorskip("anthropic")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    client = anthropic.Anthropic(base_url=f"http://127.0.0.1:{server.server_port}", api_key="sk-test", max_retries=0)
    yield client
    client.close()
    server.shutdown()
    server.server_close()


def _serve_stream(wire: list[SSEEvent]) -> None:
    _Answer.body = encode_sse(wire).encode()
    _Answer.content_type = "text/event-stream"


ARGS: dict[str, Any] = {"model": "m", "max_tokens": 100, "messages": [{"role": "user", "content": "hi"}]}


@pytest.mark.parametrize("name", ["openai_like", "gemini_like", "finish_only", "no_finish", "delta_without_start"])
def test_sdk_reads_encoded_odd_orders(sdk: Any, name: str) -> None:
    wire, _ = encode(ODD_ORDERS[name])
    _serve_stream(wire)
    with sdk.messages.stream(**ARGS) as stream:
        message = stream.get_final_message()
    expected = facts(ODD_ORDERS[name])
    assert "".join(b.text for b in message.content if b.type == "text") == expected["text"]
    assert [(b.name, b.input) for b in message.content if b.type == "tool_use"] == [(n, a) for _, n, a in expected["calls"]]
    if expected["stop"] is not None:
        assert message.stop_reason == A.response_from_ir(ir.Response(candidates=[ir.Candidate([], expected["stop"])]), [])["stop_reason"]


@pytest.mark.parametrize("name", ["parallel_tools.sse", "thinking_text.sse"])
def test_sdk_reads_re_encoded_recordings(sdk: Any, name: str) -> None:
    events, _ = decode(parse_sse(read_stream(OWN, name)))
    _serve_stream(encode(events)[0])
    raw = list(sdk.messages.create(stream=True, **ARGS))
    assert raw[0].type == "message_start" and raw[-1].type == "message_stop"
    _serve_stream(encode(events)[0])
    with sdk.messages.stream(**ARGS) as stream:
        message = stream.get_final_message()
    expected = facts(events)
    assert [(b.id, b.name, b.input) for b in message.content if b.type == "tool_use"] == expected["calls"]
    assert "".join(b.thinking for b in message.content if b.type == "thinking") == expected["thinking"]
    assert message.usage.output_tokens == expected["usage"][1]
    assert message.usage.input_tokens + (message.usage.cache_read_input_tokens or 0) == expected["usage"][0]


def test_sdk_reads_response_from_ir(sdk: Any) -> None:
    response = ir.Response(
        model="gemini-2.5-flash",
        candidates=[ir.Candidate([ir.ThinkingPart("hmm"), ir.TextPart("Sure."), ir.ToolCallPart("call_0", "f", {"x": [1]})])],
        usage=ir.Usage(10, 5),
    )
    _Answer.body = json.dumps(A.response_from_ir(response, [])).encode()
    _Answer.content_type = "application/json"
    message = sdk.messages.create(**ARGS)
    assert [b.type for b in message.content] == ["thinking", "text", "tool_use"]
    assert (message.stop_reason, message.model, message.usage.input_tokens) == ("tool_use", "gemini-2.5-flash", 10)
    assert message.content[2].input == {"x": [1]}


def test_sdk_raises_on_an_encoded_error(sdk: Any) -> None:
    import anthropic

    _serve_stream(encode([ir.TextDelta("a"), ir.StreamError("Overloaded", "overloaded_error", 529)])[0])
    with pytest.raises(anthropic.APIStatusError) as caught:
        list(sdk.messages.create(stream=True, **ARGS))
    assert "Overloaded" in str(caught.value)
