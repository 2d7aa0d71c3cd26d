"""OpenAI Chat streams: real and own recordings decoded, encoded back event for event, and events in the
orders other formats' decoders give them made into real streams. The official SDK reading the encoder's
output is in test_openai_chat_sdk.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pipellm_tui.protocols import ir
from pipellm_tui.protocols.schemas import openai_chat as schema
from pipellm_tui.protocols.sse import SSEEvent, encode_sse

from .support import END, IDS, LENGTH, ORDERS, STREAMS, TOOL, A, decode, encode, facts, stream_text


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
        # One summary line counts every event skipped as not understood (issue 8).
        (
            "3 stream events not understood and skipped: data not JSON; data not a JSON object; "
            "event 'ping' (not an OpenAI Chat event)"
        ),
        "stream: an event whose data is not a JSON object was ignored",
        "event 'ping': not an OpenAI Chat event; ignored",
        "choices: only the first candidate of a stream is carried; the others dropped",
        "finish_reason: 7 is not a string; read as a normal end of turn",
        "stream: usage ignored (usage.prompt_tokens: expected a non-negative integer, got a string)",
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
