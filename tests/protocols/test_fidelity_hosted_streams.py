"""Hosted-tool runs in streams (issue 12): a web search and a code execution streamed by one format
reach every other as its own blocks, items or parts, read by the SDKs' stream accumulators (Chat,
which has none, names them dropped)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from google.genai import types as genai_types

from pipellm_tui.protocols import Format, convert_response, convert_sse, ir
from pipellm_tui.protocols.adapters import adapter_for

from . import sdk_judges as judge
from .stream_runs import decode_text, encode_events

URL, TITLE, QUERY, CODE = (
    "https://ec.europa.eu/eurostat",
    "Euro area annual inflation",
    "eurozone inflation",
    "print(6 * 7)",
)


def _sse(name: str, data: dict[str, Any]) -> str:
    return f"event: {name}\ndata: {json.dumps(data)}\n\n"


def _block(index: int, block: dict[str, Any], deltas: list[dict[str, Any]] = ()) -> str:  # type: ignore[assignment]
    text = _sse(
        "content_block_start", {"type": "content_block_start", "index": index, "content_block": block}
    )
    for delta in deltas:
        text += _sse("content_block_delta", {"type": "content_block_delta", "index": index, "delta": delta})
    return text + _sse("content_block_stop", {"type": "content_block_stop", "index": index})


MESSAGE = {"id": "msg_1", "type": "message", "role": "assistant", "model": "m", "content": [],
           "stop_reason": None, "stop_sequence": None, "usage": {"input_tokens": 5, "output_tokens": 1}}  # fmt: skip
ANTHROPIC_STREAM = (
    _sse("message_start", {"type": "message_start", "message": MESSAGE})
    + _block(0, {"type": "server_tool_use", "id": "srvtoolu_01A", "name": "web_search", "input": {}},
             [{"type": "input_json_delta", "partial_json": '{"query": "eurozone'}, {"type": "input_json_delta", "partial_json": ' inflation"}'}])
    + _block(1, {"type": "web_search_tool_result", "tool_use_id": "srvtoolu_01A", "content": [
        {"type": "web_search_result", "url": URL, "title": TITLE, "encrypted_content": "Eqg", "page_age": None}]})
    + _block(2, {"type": "server_tool_use", "id": "srvtoolu_01B", "name": "code_execution", "input": {}},
             [{"type": "input_json_delta", "partial_json": json.dumps({"code": CODE})}])
    + _block(3, {"type": "code_execution_tool_result", "tool_use_id": "srvtoolu_01B", "content": {
        "type": "code_execution_result", "stdout": "42\n", "stderr": "", "return_code": 0, "content": []}})
    + _block(4, {"type": "text", "text": ""}, [{"type": "text_delta", "text": "It is 42."}])
    + _sse("message_delta", {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": None}, "usage": {"output_tokens": 9}})
    + _sse("message_stop", {"type": "message_stop"})
)  # fmt: skip


def _runs(fmt: Format, text: str) -> list[ir.HostedToolPart]:
    events, _ = decode_text(adapter_for(fmt), text)
    return [e.part for e in events if type(e) is ir.HostedToolUse]


def test_the_anthropic_decoder_joins_each_call_and_its_result() -> None:
    search, code = _runs(Format.ANTHROPIC, ANTHROPIC_STREAM)
    assert (search.kind, search.input, [r.url for r in search.results]) == ("web_search", QUERY, [URL])
    assert (code.kind, code.input, code.output, code.return_code) == ("code_execution", CODE, "42\n", 0)


def test_anthropic_clients_get_the_runs_back_whole() -> None:
    converted = convert_sse(ANTHROPIC_STREAM, Format.ANTHROPIC, Format.ANTHROPIC)
    judge.anthropic_blocks_in_order(converted.text)
    message = judge.anthropic_stream(converted.text)
    assert [b.type for b in message.content] == [
        "server_tool_use", "web_search_tool_result", "server_tool_use", "code_execution_tool_result", "text",
    ]  # fmt: skip
    assert message.content[0].input == {"query": QUERY}  # type: ignore[union-attr]
    assert message.content[2].input == {"code": CODE}  # type: ignore[union-attr]
    assert message.content[3].content.stdout == "42\n"  # type: ignore[union-attr]


def test_responses_clients_get_hosted_items() -> None:
    converted = convert_sse(ANTHROPIC_STREAM, Format.ANTHROPIC, Format.OPENAI_RESPONSES)
    judge.responses_source_events(converted.text)
    output = judge.openai_responses_stream(converted.text).output
    assert [item.type for item in output] == ["web_search_call", "code_interpreter_call", "message"]
    assert output[0].action.query == QUERY  # type: ignore[union-attr]
    assert output[1].code == CODE  # type: ignore[union-attr]
    # ... and the Responses stream decoder reads them back into the same runs.
    assert [(r.kind, r.input) for r in _runs(Format.OPENAI_RESPONSES, converted.text)] == [
        ("web_search", QUERY), ("code_execution", CODE),
    ]  # fmt: skip


def test_gemini_clients_get_code_parts_and_grounding() -> None:
    converted = convert_sse(ANTHROPIC_STREAM, Format.ANTHROPIC, Format.GEMINI)
    chunks = [genai_types.GenerateContentResponse.model_validate(json.loads(line[6:]))
              for line in converted.text.splitlines() if line.startswith("data: ")]  # fmt: skip
    candidates = [c.candidates[0] for c in chunks if c.candidates]
    queries = [
        q for c in candidates if c.grounding_metadata for q in c.grounding_metadata.web_search_queries or []
    ]
    assert queries == [QUERY]
    parts = [p for c in candidates for p in (c.content.parts if c.content else None) or []]
    assert [p.executable_code.code for p in parts if p.executable_code] == [CODE]
    assert [p.code_execution_result.output for p in parts if p.code_execution_result] == ["42\n"]
    # ... and the Gemini stream decoder reads them back.
    assert [(r.kind, r.input, r.done) for r in _runs(Format.GEMINI, converted.text)] == [
        ("web_search", QUERY, True), ("code_execution", CODE, True),
    ]  # fmt: skip


def test_chat_clients_get_the_text_and_the_runs_are_named_dropped() -> None:
    converted = convert_sse(ANTHROPIC_STREAM, Format.ANTHROPIC, Format.OPENAI_CHAT)
    assert judge.openai_chat_stream(converted.text).choices[0].message.content == "It is 42."
    assert sum("OpenAI Chat streams have no hosted-tool items" in w for w in converted.warnings) == 2


def test_a_call_without_its_result_is_still_sent_when_the_message_ends() -> None:
    paused = ANTHROPIC_STREAM.split(
        'event: content_block_start\ndata: {"type": "content_block_start", "index": 1'
    )[0]
    paused += _sse(
        "message_delta",
        {
            "type": "message_delta",
            "delta": {"stop_reason": "pause_turn", "stop_sequence": None},
            "usage": {"output_tokens": 3},
        },
    )
    (run,) = _runs(Format.ANTHROPIC, paused)
    assert (run.input, run.done) == (QUERY, False)
    message = judge.anthropic_stream(convert_sse(paused, Format.ANTHROPIC, Format.ANTHROPIC).text)
    assert [b.type for b in message.content] == ["server_tool_use"] and message.stop_reason == "pause_turn"


GEMINI_STREAM = "".join(
    f"data: {json.dumps(chunk)}\n\n"
    for chunk in [
        {"candidates": [{"content": {"role": "model", "parts": [{"executableCode": {"language": "PYTHON", "code": CODE}}]}, "index": 0}]},
        {"candidates": [{"content": {"role": "model", "parts": [{"codeExecutionResult": {"outcome": "OUTCOME_OK", "output": "42\n"}}]}, "index": 0}]},
        {"candidates": [{"content": {"role": "model", "parts": [{"text": "It is 42."}]}, "finishReason": "STOP", "index": 0,
                         "groundingMetadata": {"webSearchQueries": [QUERY], "groundingChunks": [{"web": {"uri": URL, "title": TITLE}}]}}],
         "usageMetadata": {"promptTokenCount": 3, "candidatesTokenCount": 5, "totalTokenCount": 8}},
    ]
)  # fmt: skip


@pytest.mark.parametrize("target", [Format.ANTHROPIC, Format.OPENAI_RESPONSES])
def test_a_gemini_stream_reaches_anthropic_and_responses(target: Format) -> None:
    converted = convert_sse(GEMINI_STREAM, Format.GEMINI, target)
    if target is Format.ANTHROPIC:
        judge.anthropic_blocks_in_order(converted.text)
        kinds = [b.type for b in judge.anthropic_stream(converted.text).content]
        assert kinds == [
            "server_tool_use",
            "code_execution_tool_result",
            "text",
            "server_tool_use",
            "web_search_tool_result",
        ]
    else:
        output = judge.openai_responses_stream(converted.text).output
        assert [item.type for item in output] == ["code_interpreter_call", "message", "web_search_call"]


def test_a_streamed_run_assembles_like_the_answer_it_came_from() -> None:
    events, _ = decode_text(adapter_for(Format.ANTHROPIC), ANTHROPIC_STREAM)
    wire, _ = encode_events(adapter_for(Format.OPENAI_RESPONSES), events)
    final = judge.openai_responses_stream("".join(f"event: {e.event}\ndata: {e.data}\n\n" for e in wire))
    whole = convert_response(
        final.model_dump(mode="json", exclude_none=True), Format.OPENAI_RESPONSES, Format.ANTHROPIC
    )
    assert [b["type"] for b in whole.payload["content"]][:4] == [
        "server_tool_use", "web_search_tool_result", "server_tool_use", "code_execution_tool_result",
    ]  # fmt: skip


def test_a_stream_cut_after_a_whole_call_still_sends_it() -> None:
    cut = ANTHROPIC_STREAM.split(
        'event: content_block_start\ndata: {"type": "content_block_start", "index": 1'
    )[0]
    events, warnings = decode_text(adapter_for(Format.ANTHROPIC), cut)
    runs = [e.part for e in events if type(e) is ir.HostedToolUse]
    assert [(r.input, r.done) for r in runs] == [(QUERY, False)]
    assert type(events[-1]) is ir.StreamError and any("ended before" in w for w in warnings)
