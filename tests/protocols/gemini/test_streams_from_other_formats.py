"""Streams from other formats' decoders, in any legal order, encoded as Gemini chunks that the
schema and google-genai accept; and the decoder going past junk.
"""

from __future__ import annotations

import json
from typing import Any

from pipellm_tui.protocols import ir
from pipellm_tui.protocols.schemas import gemini as schema
from pipellm_tui.protocols.sse import parse_sse

from .facts import SIG, decode, encode, reencode, stream_facts

S = ir.StopReason


def _stream(events: list[ir.StreamEvent]) -> tuple[list[dict[str, Any]], list[str]]:
    out, warnings = encode(events)
    chunks = [json.loads(e.data) for e in out]
    for chunk in chunks:
        (schema.ErrorBody if "error" in chunk else schema.StreamChunk).model_validate(chunk)
        if "candidates" in chunk:  # google-genai's chat history rejects chunks with no usable part
            assert chunk["candidates"][0]["content"]["parts"]
    return chunks, warnings


def test_openai_order_tool_calls_without_block_stops_and_usage_after_finish() -> None:
    chunks, _ = _stream(
        [
            ir.StreamStart("chatcmpl-1", "gpt-4o"),
            ir.TextDelta("Let me check. "),
            ir.ToolCallStart(0, "call_a", "get_weather", None),
            ir.ToolCallDelta(0, '{"ci'),
            ir.ToolCallDelta(0, 'ty":"Paris"}'),
            ir.ToolCallStart(1, "call_b", "get_time", None),
            ir.ToolCallDelta(1, ""),
            ir.StreamFinish(S.TOOL_USE),
            ir.StreamUsage(ir.Usage(10, 20)),
        ]
    )
    assert [c["candidates"][0]["content"]["parts"] for c in chunks] == [
        [{"text": "Let me check. "}],
        [{"functionCall": {"name": "get_weather", "args": {"city": "Paris"}, "id": "call_a"}}],
        [{"functionCall": {"name": "get_time", "args": {}, "id": "call_b"}}],
        [{"text": ""}],
    ]
    last = chunks[-1]
    assert last["candidates"][0]["finishReason"] == "STOP"
    assert last["usageMetadata"] == {
        "promptTokenCount": 10,
        "candidatesTokenCount": 20,
        "totalTokenCount": 30,
    }
    assert {c["responseId"] for c in chunks} == {"chatcmpl-1"} and {c["modelVersion"] for c in chunks} == {
        "gpt-4o"
    }


def test_anthropic_order_signature_after_thinking_and_usage_in_start() -> None:
    chunks, _ = _stream(
        [
            ir.StreamStart("msg_1", "claude", ir.Usage(input_tokens=7)),
            ir.ThinkingDelta("hmm"),
            ir.ThinkingDelta("", SIG),
            ir.BlockStop(),
            ir.TextDelta("Hi"),
            ir.BlockStop(),
            ir.StreamFinish(S.END_TURN),
            ir.StreamUsage(ir.Usage(output_tokens=3)),
        ]
    )
    assert chunks[1]["candidates"][0]["content"]["parts"] == [{"text": "Hi", "thoughtSignature": SIG}]
    assert chunks[-1]["usageMetadata"]["promptTokenCount"] == 7  # kept from the start
    assert chunks[-1]["usageMetadata"]["candidatesTokenCount"] == 3


def test_finish_without_start_and_text_after_tool_call() -> None:
    events: list[ir.StreamEvent] = [
        ir.ToolCallStart(0, "t1", "f", None),
        ir.ToolCallDelta(0, "{}"),
        ir.TextDelta("done"),
        ir.StreamFinish(S.MAX_TOKENS, "STOP!"),
    ]
    chunks, warnings = _stream(events)
    assert chunks[0]["candidates"][0]["content"]["parts"][0]["functionCall"]["id"] == "t1"
    assert chunks[1]["candidates"][0]["content"]["parts"] == [{"text": "done"}]
    assert chunks[-1]["candidates"][0]["finishReason"] == "MAX_TOKENS" and "usageMetadata" not in chunks[-1]
    assert chunks[0]["responseId"] and any("stop_sequence" in w for w in warnings)
    facts = stream_facts(decode(reencode(events))[0])
    assert (facts.text, facts.calls, facts.stop) == ("done", [("t1", "f", {})], S.MAX_TOKENS)


def test_error_event_becomes_an_error_chunk_that_google_genai_raises_on() -> None:
    out, _ = encode(
        [
            ir.StreamStart(),
            ir.TextDelta("a"),
            ir.StreamError("Overloaded", "overloaded_error", 529),
            ir.TextDelta("ignored"),
        ]
    )
    assert out[-1].data.startswith('{"error":')
    assert json.loads(out[-1].data) == {
        "error": {"code": 529, "message": "Overloaded", "status": "UNAVAILABLE"}
    }
    assert sum("ignored" in e.data for e in out) == 0


def test_decoder_keeps_going_past_junk_and_unknown_parts() -> None:
    text = (
        "data: not json\n\ndata: [1]\n\n"
        'data: {"candidates":[{"content":{"parts":[{"inlineData":{"mimeType":"image/png","data":"AA=="}},{"text":"ok"}]},'
        '"index":0},{"content":{"parts":[{"text":"second"}]},"index":1}],"responseId":"r"}\n\n'
    )
    events, warnings = decode(text)
    facts = stream_facts(events)
    assert (facts.text, facts.stop) == ("ok", S.END_TURN)
    assert len(warnings) == 5  # not JSON, not an object, an image part, a second candidate, and:
    assert "2 stream events not understood and skipped: data not JSON; data not a JSON object" in warnings


def test_empty_body_gives_no_events_either_way() -> None:
    assert decode("")[0] == []
    assert encode([])[0] == []
    assert [e.data for e in parse_sse(reencode([ir.StreamStart("x")]))] == []
