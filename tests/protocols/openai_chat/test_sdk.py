"""The official `openai` SDK reads what the OpenAI Chat encoder and response_from_ir write.

The encoder's output is served over real HTTP on 127.0.0.1 and read with
`openai.OpenAI().chat.completions.create(stream=True)` and `.stream()`: the SDK is an honest judge of the
wire format because nobody here wrote it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import openai
import pytest

from pipellm_tui.protocols import ir
from pipellm_tui.protocols.sse import encode_sse

from ...loopback import serving
from .support import END, IDS, LENGTH, ORDERS, STREAMS, TOOL, A, decode, encode, stream_text


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

    with serving(Handler) as base_url:
        yield f"{base_url}/v1", _Served


def client(base_url: str) -> Any:
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
