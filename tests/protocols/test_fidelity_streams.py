"""Converted streams every client can read (issue 12): OpenAI tool-call fragments keyed by `index`
may interleave; each target gets complete, ordered tool calls. Judged by the SDKs' accumulators."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pipellm_tui.protocols import Format, ir
from pipellm_tui.protocols.convert import StreamConverter, convert_request, convert_sse

from . import sdk_judges as judge


def _chunk(delta: dict[str, Any], finish: str | None = None) -> str:
    choice = {"index": 0, "delta": delta, "finish_reason": finish}
    body = {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m", "choices": [choice]}
    return f"data: {json.dumps(body)}\n\n"


def _fragment(index: int, arguments: str, call_id: str | None = None, name: str | None = None) -> str:
    call: dict[str, Any] = {"index": index, "function": {"arguments": arguments}}
    if call_id is not None:
        call.update(id=call_id, type="function")
        call["function"]["name"] = name
    return _chunk({"tool_calls": [call]})


INTERLEAVED = (
    _chunk({"role": "assistant", "content": "Reading both."})
    + _fragment(0, "", "call_a", "read")
    + _fragment(1, "", "call_b", "write")
    + _fragment(0, '{"file1"')
    + _fragment(1, '{"file2"')
    + _fragment(0, ": 1}")
    + _fragment(1, ': "x"}')
    + _chunk({}, "tool_calls")
    + "data: [DONE]\n\n"
)
EXPECTED = [("read", {"file1": 1}), ("write", {"file2": "x"})]


def test_anthropic_clients_get_each_call_whole_before_its_block_stops() -> None:
    converted = convert_sse(INTERLEAVED, Format.OPENAI_CHAT, Format.ANTHROPIC)
    message = judge.anthropic_stream(converted.text)
    calls = [(b.name, b.input) for b in message.content if b.type == "tool_use"]
    assert calls == EXPECTED
    assert message.stop_reason == "tool_use"
    assert [b.type for b in message.content] == ["text", "tool_use", "tool_use"]
    assert not any("after the next block began" in w for w in converted.warnings)


def test_gemini_clients_get_whole_arguments() -> None:
    converted = convert_sse(INTERLEAVED, Format.OPENAI_CHAT, Format.GEMINI)
    assert judge.gemini_stream_calls(converted.text) == EXPECTED


def test_responses_clients_get_each_call_before_its_item_closes() -> None:
    converted = convert_sse(INTERLEAVED, Format.OPENAI_CHAT, Format.OPENAI_RESPONSES)
    response = judge.openai_responses_stream(converted.text)
    calls = [(i.name, json.loads(i.arguments)) for i in response.output if i.type == "function_call"]
    assert calls == EXPECTED


def test_chat_clients_get_the_same_calls_back() -> None:
    converted = convert_sse(INTERLEAVED, Format.OPENAI_CHAT, Format.OPENAI_CHAT)
    completion = judge.openai_chat_stream(converted.text)
    calls = completion.choices[0].message.tool_calls or []
    assert [(c.function.name, json.loads(c.function.arguments)) for c in calls] == EXPECTED  # type: ignore[union-attr]


def test_sequential_calls_still_stream_the_first_one_live() -> None:
    decoder = StreamConverter(Format.OPENAI_CHAT, Format.ANTHROPIC)
    out = decoder.feed_text(
        _chunk({"role": "assistant"}) + _fragment(0, "", "call_a", "read") + _fragment(0, '{"a"')
    )
    assert any("input_json_delta" in event.data for event in out)


LONG = "x" * 80


@pytest.mark.parametrize("target", [Format.ANTHROPIC, Format.GEMINI, Format.OPENAI_RESPONSES])
def test_a_streamed_answer_gets_the_long_tool_name_back(target: Format) -> None:
    request = {
        "model": "m",
        "max_tokens": 10,
        "tools": [{"name": LONG, "input_schema": {"type": "object"}}],
        "messages": [{"role": "user", "content": "go"}],
    }
    sent = convert_request(request, Format.ANTHROPIC, Format.OPENAI_CHAT)
    (short,) = sent.tool_names
    stream = _fragment(0, "{}", "call_a", short) + _chunk({}, "tool_calls") + "data: [DONE]\n\n"
    converted = convert_sse(stream, Format.OPENAI_CHAT, target, sent.tool_names)
    assert LONG in converted.text and short not in converted.text
    if target is Format.ANTHROPIC:
        (block,) = judge.anthropic_stream(converted.text).content
        assert block.type == "tool_use" and block.name == LONG


def test_the_held_calls_keep_their_ordinals() -> None:
    from pipellm_tui.protocols.adapters import adapter_for
    from pipellm_tui.protocols.sse import parse_sse

    decoder = adapter_for(Format.OPENAI_CHAT).stream_decoder()
    events = [e for sse in parse_sse(INTERLEAVED) for e in decoder.feed(sse)] + decoder.close()
    starts = [e for e in events if type(e) is ir.ToolCallStart]
    assert [(s.index, s.id) for s in starts] == [(0, "call_a"), (1, "call_b")]
