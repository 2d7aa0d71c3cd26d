"""The official anthropic SDK reads what our encoder and response_from_ir write, over real HTTP.

A tiny HTTP server on 127.0.0.1 answers every POST with a prepared body; the SDK is an honest judge
of the wire format because nobody here wrote it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any

import anthropic
import pytest

from pipellm_tui.protocols import ir
from pipellm_tui.protocols.sse import SSEEvent, encode_sse, parse_sse

from ...loopback import serving
from .streams import ODD_ORDERS, OWN, A, decode, encode, facts, read_stream


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
    with serving(_Handler) as base_url:
        client = anthropic.Anthropic(base_url=base_url, api_key="sk-test", max_retries=0)
        yield client
        client.close()


def _serve_stream(wire: list[SSEEvent]) -> None:
    _Answer.body = encode_sse(wire).encode()
    _Answer.content_type = "text/event-stream"


ARGS: dict[str, Any] = {"model": "m", "max_tokens": 100, "messages": [{"role": "user", "content": "hi"}]}


@pytest.mark.parametrize(
    "name", ["openai_like", "gemini_like", "finish_only", "no_finish", "delta_without_start"]
)
def test_sdk_reads_encoded_odd_orders(sdk: Any, name: str) -> None:
    wire, _ = encode(ODD_ORDERS[name])
    _serve_stream(wire)
    with sdk.messages.stream(**ARGS) as stream:
        message = stream.get_final_message()
    expected = facts(ODD_ORDERS[name])
    assert "".join(b.text for b in message.content if b.type == "text") == expected["text"]
    assert [(b.name, b.input) for b in message.content if b.type == "tool_use"] == [
        (n, a) for _, n, a in expected["calls"]
    ]
    if expected["stop"] is not None:
        assert (
            message.stop_reason
            == A.response_from_ir(ir.Response(candidates=[ir.Candidate([], expected["stop"])]), [])[
                "stop_reason"
            ]
        )


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
        candidates=[
            ir.Candidate(
                [ir.ThinkingPart("hmm"), ir.TextPart("Sure."), ir.ToolCallPart("call_0", "f", {"x": [1]})]
            )
        ],
        usage=ir.Usage(10, 5),
    )
    _Answer.body = json.dumps(A.response_from_ir(response, [])).encode()
    _Answer.content_type = "application/json"
    message = sdk.messages.create(**ARGS)
    assert [b.type for b in message.content] == ["thinking", "text", "tool_use"]
    assert (message.stop_reason, message.model, message.usage.input_tokens) == (
        "tool_use",
        "gemini-2.5-flash",
        10,
    )
    assert message.content[2].input == {"x": [1]}


def test_sdk_raises_on_an_encoded_error(sdk: Any) -> None:
    import anthropic

    _serve_stream(encode([ir.TextDelta("a"), ir.StreamError("Overloaded", "overloaded_error", 529)])[0])
    with pytest.raises(anthropic.APIStatusError) as caught:
        list(sdk.messages.create(stream=True, **ARGS))
    assert "Overloaded" in str(caught.value)
