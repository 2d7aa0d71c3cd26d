"""Responses streams whose function-call items stream their arguments interleaved (issue 12): the
decoder holds the later call and every target gets complete, ordered calls. The source events are
checked against the openai SDK's stream event types; the targets are judged by the SDKs."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pipellm_tui.protocols import Format, ir
from pipellm_tui.protocols.adapters import adapter_for
from pipellm_tui.protocols.convert import convert_sse

from .. import sdk_judges as judge
from ..stream_runs import decode_text

_SEQ = iter(range(10**6))


def _event(payload: dict[str, Any]) -> str:
    payload["sequence_number"] = next(_SEQ)
    return f"event: {payload['type']}\ndata: {json.dumps(payload)}\n\n"


def _call(item_id: str, call_id: str, name: str, arguments: str, status: str) -> dict[str, Any]:
    return {
        "type": "function_call", "id": item_id, "call_id": call_id, "name": name,
        "arguments": arguments, "status": status,
    }  # fmt: skip


def _response(status: str, output: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": "resp_1", "object": "response", "created_at": 1, "model": "m", "status": status,
        "output": output, "parallel_tool_calls": True, "tool_choice": "auto", "tools": [],
    }  # fmt: skip


def _delta(index: int, item_id: str, delta: str, by_id_only: bool = False) -> str:
    payload: dict[str, Any] = {
        "type": "response.function_call_arguments.delta",
        "item_id": item_id,
        "delta": delta,
    }
    payload["output_index"] = 99 if by_id_only else index  # 99: no such item; the id decides
    return _event(payload)


def _stream(by_id_only: bool = False) -> str:
    a_done = _call("fc_a", "call_a", "read", '{"file1": 1}', "completed")
    b_done = _call("fc_b", "call_b", "write", '{"file2": "x"}', "completed")
    return (
        _event({"type": "response.created", "response": _response("in_progress", [])})
        + _event({"type": "response.output_item.added", "output_index": 0, "item": _call("fc_a", "call_a", "read", "", "in_progress")})
        + _event({"type": "response.output_item.added", "output_index": 1, "item": _call("fc_b", "call_b", "write", "", "in_progress")})
        + _delta(0, "fc_a", '{"file1"', by_id_only)
        + _delta(1, "fc_b", '{"file2"', by_id_only)
        + _delta(0, "fc_a", ": 1}", by_id_only)
        + _delta(1, "fc_b", ': "x"}', by_id_only)
        + _event({"type": "response.output_item.done", "output_index": 1, "item": b_done})
        + _event({"type": "response.output_item.done", "output_index": 0, "item": a_done})
        + _event({"type": "response.completed", "response": _response("completed", [a_done, b_done])})
    )  # fmt: skip


EXPECTED = [("read", {"file1": 1}), ("write", {"file2": "x"})]


def test_the_source_stream_is_one_the_sdk_reads() -> None:
    judge.responses_source_events(_stream())
    judge.responses_source_events(_stream(by_id_only=True))  # the ids decide; the types still fit
    output = judge.openai_responses_stream(_stream()).output
    assert [(i.name, json.loads(i.arguments)) for i in output if i.type == "function_call"] == EXPECTED


@pytest.mark.parametrize("by_id_only", [False, True])
def test_neutral_events_hold_each_call_whole_and_in_order(by_id_only: bool) -> None:
    events, warnings = decode_text(adapter_for(Format.OPENAI_RESPONSES), _stream(by_id_only))
    calls = [e for e in events if type(e) in (ir.ToolCallStart, ir.ToolCallDelta, ir.BlockStop)]
    assert [type(e).__name__ for e in calls] == [
        "ToolCallStart", "ToolCallDelta", "ToolCallDelta", "BlockStop",
        "ToolCallStart", "ToolCallDelta", "BlockStop",
    ]  # fmt: skip
    starts = [(e.index, e.id, e.name) for e in calls if type(e) is ir.ToolCallStart]
    assert starts == [(0, "call_a", "read"), (1, "call_b", "write")]
    assert (
        "".join(e.arguments for e in calls if type(e) is ir.ToolCallDelta and e.index == 1)
        == '{"file2": "x"}'
    )
    assert not warnings


def test_anthropic_clients_never_get_a_delta_after_its_block_stopped() -> None:
    converted = convert_sse(_stream(), Format.OPENAI_RESPONSES, Format.ANTHROPIC)
    judge.anthropic_blocks_in_order(converted.text)
    message = judge.anthropic_stream(converted.text)
    assert [(b.name, b.input) for b in message.content if b.type == "tool_use"] == EXPECTED
    assert message.stop_reason == "tool_use"


def test_gemini_clients_get_whole_arguments() -> None:
    converted = convert_sse(_stream(), Format.OPENAI_RESPONSES, Format.GEMINI)
    assert judge.gemini_stream_calls(converted.text) == EXPECTED


def test_chat_clients_get_both_calls() -> None:
    converted = convert_sse(_stream(), Format.OPENAI_RESPONSES, Format.OPENAI_CHAT)
    calls = judge.openai_chat_stream(converted.text).choices[0].message.tool_calls or []
    assert [(c.function.name, json.loads(c.function.arguments)) for c in calls] == EXPECTED  # type: ignore[union-attr]


def test_responses_clients_get_both_calls_back() -> None:
    converted = convert_sse(_stream(), Format.OPENAI_RESPONSES, Format.OPENAI_RESPONSES)
    output = judge.openai_responses_stream(converted.text).output
    assert [(i.name, json.loads(i.arguments)) for i in output if i.type == "function_call"] == EXPECTED  # type: ignore[union-attr]


def test_a_stream_cut_short_still_sends_the_held_call() -> None:
    cut = _stream().split("event: response.output_item.done")[0]
    events, warnings = decode_text(adapter_for(Format.OPENAI_RESPONSES), cut)
    starts = [e.id for e in events if type(e) is ir.ToolCallStart]
    assert starts == ["call_a", "call_b"]
    assert sum(type(e) is ir.BlockStop for e in events) == 2
    assert any("ended before its terminal event" in w for w in warnings)
