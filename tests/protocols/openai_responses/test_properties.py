"""Properties of the OpenAI Responses adapter: round trips keep every field the IR models, bad input
fails with a ProtocolError that says where, and nothing the target cannot carry goes unmentioned.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipellm_tui.protocols import Format, ProtocolError, ir
from pipellm_tui.protocols.adapters import adapter_for
from pipellm_tui.protocols.schemas.openai_responses import Request, Response
from pipellm_tui.protocols.sse import SSEEvent

from .strategies import json_values, requests, responses, streams
from .support import decode, encode

ADAPTER = adapter_for(Format.OPENAI_RESPONSES)
PROPERTY = settings(max_examples=100, deadline=None)


def _over_the_wire(body: dict[str, Any]) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(json.dumps(body))
    return loaded


# ---------------------------------------------------------------------------- round trips


@PROPERTY
@given(requests())
def test_request_round_trip(req: ir.Request) -> None:
    warnings: list[str] = []
    body = ADAPTER.request_from_ir(req, warnings)
    Request.model_validate(body if req.model is not None else {**body, "model": "m"})
    assert ADAPTER.request_to_ir(_over_the_wire(body), [], None) == req
    assert warnings == []


@PROPERTY
@given(responses())
def test_response_round_trip(resp: ir.Response) -> None:
    warnings: list[str] = []
    body = ADAPTER.response_from_ir(resp, warnings)
    Response.model_validate(body)
    assert ADAPTER.response_to_ir(_over_the_wire(body), []) == resp
    assert warnings == []


@PROPERTY
@given(streams())
def test_stream_round_trip(events: list[ir.StreamEvent]) -> None:
    decoded, warnings = decode(encode(events))
    assert decoded == events
    assert warnings == []


def test_conversion_is_deterministic() -> None:
    req = ir.Request(model="m", messages=[ir.Message("user", [ir.TextPart("hi")])])
    resp = ir.Response(candidates=[ir.Candidate([ir.TextPart("hello")], ir.StopReason.END_TURN)])
    assert ADAPTER.request_from_ir(req, []) == ADAPTER.request_from_ir(req, [])
    assert ADAPTER.response_from_ir(resp, []) == ADAPTER.response_from_ir(resp, [])
    stream = [ir.TextDelta("a"), ir.StreamFinish(ir.StopReason.END_TURN)]
    assert encode(stream) == encode(stream)


# ---------------------------------------------------------------------------- what cannot be carried


def test_settings_responses_lacks_are_named_in_warnings() -> None:
    req = ir.Request(
        model="m",
        messages=[ir.Message("user", [ir.TextPart("hi", cache_control={"type": "ephemeral"})])],
        top_k=40,
        stop=["END"],
        seed=7,
        candidate_count=2,
        thinking=ir.Thinking(budget_tokens=3000),
        response_format=ir.ResponseFormat(ir.ResponseFormatKind.JSON_SCHEMA, {"type": "object"}),
        extras={"metadata": {"user_id": "u1"}},
        extras_format=Format.ANTHROPIC,
    )
    warnings: list[str] = []
    body = ADAPTER.request_from_ir(req, warnings)
    said = "\n".join(warnings)
    for field in ("top_k", "stop", "seed", "candidate_count", "cache_control", "thinking.budget_tokens"):
        assert f"{field}:" in said, field
    assert body["safety_identifier"] == "u1"  # Anthropic's metadata.user_id has a home here
    assert not any(w.startswith("metadata") for w in warnings)
    assert "text.format.name:" in said
    assert body["reasoning"] == {"effort": "medium"}  # 3000 budget tokens bucketed
    assert body["text"]["format"]["name"] == "response"
    assert "metadata" not in body and "top_k" not in body and "stop" not in body


def test_thinking_from_another_provider_is_not_replayed() -> None:
    req = ir.Request(
        messages=[
            ir.Message("user", [ir.TextPart("q")]),
            ir.Message("assistant", [ir.ThinkingPart("hmm", "anthropic-signature"), ir.TextPart("a")]),
        ],
        extras_format=Format.ANTHROPIC,
    )
    warnings: list[str] = []
    body = ADAPTER.request_from_ir(req, warnings)
    assert [item.get("type", "message") for item in body["input"]] == ["message", "message"]
    assert any(w.startswith("thinking:") and "1 thinking block" in w for w in warnings)


def test_tool_result_errors_and_gemini_signatures_are_reported() -> None:
    req = ir.Request(
        messages=[
            ir.Message("assistant", [ir.ToolCallPart("call_1", "f", {"a": 1}, signature="sig")]),
            ir.Message("user", [ir.ToolResultPart("call_1", "f", [ir.TextPart("boom")], is_error=True)]),
        ]
    )
    warnings: list[str] = []
    body = ADAPTER.request_from_ir(req, warnings)
    assert body["input"][1] == {"type": "function_call_output", "call_id": "call_1", "output": "boom"}
    assert any("no error flag" in w for w in warnings)
    assert any(w.startswith("signature:") for w in warnings)


def test_hosted_tools_and_server_state_are_kept_for_responses_and_named_elsewhere() -> None:
    body = {
        "model": "gpt-5",
        "previous_response_id": "resp_1",
        "input": [{"type": "item_reference", "id": "msg_1"}, {"role": "user", "content": "hi"}],
        "tools": [{"type": "web_search"}, {"type": "file_search", "vector_store_ids": ["vs_1"]}],
    }
    warnings: list[str] = []
    req = ADAPTER.request_to_ir(body, warnings, None)
    assert any("previous_response_id" in w and "OpenAI's side" in w for w in warnings)
    assert any(w.startswith("input[0]: item_reference") for w in warnings)
    back = ADAPTER.request_from_ir(req, [])
    assert back["input"][0] == {"type": "item_reference", "id": "msg_1"}
    assert back["tools"] == body["tools"] and back["previous_response_id"] == "resp_1"
    elsewhere: list[str] = []
    anthropic = adapter_for(Format.ANTHROPIC).request_from_ir(req, elsewhere)
    for key in ("previous_response_id", "unconverted_input_items"):
        assert any(w.startswith(f"{key}:") for w in elsewhere), key
    # Web search has an Anthropic home; file search is named on its own.
    assert anthropic["tools"] == [{"type": "web_search_20250305", "name": "web_search"}]
    assert any("'file_search'" in w and "no Anthropic" in w for w in elsewhere)


def test_stop_reasons_responses_can_only_approximate_are_named() -> None:
    for stop, status in [
        (ir.StopReason.PAUSE, "completed"),
        (ir.StopReason.CONTEXT_WINDOW_EXCEEDED, "incomplete"),
        (ir.StopReason.STOP_SEQUENCE, "completed"),
    ]:
        warnings: list[str] = []
        resp = ir.Response(candidates=[ir.Candidate([ir.TextPart("x")], stop, "END")])
        body = ADAPTER.response_from_ir(resp, warnings)
        assert body["status"] == status
        assert warnings, stop


# ---------------------------------------------------------------------------- bad input

BAD_REQUESTS: list[tuple[Any, str, str]] = [
    ([], "", "expected a JSON object"),
    ({"model": 5, "input": "x"}, "model", "a string"),
    ({"model": "m", "input": 5}, "input", "a string or an array"),
    ({"model": "m"}, "input", "required"),
    ({"model": "m", "input": [3]}, "input[0]", "an object"),
    ({"model": "m", "input": [{"role": "robot", "content": "x"}]}, "input[0].role", "user, assistant"),
    ({"model": "m", "input": [{"role": "user", "content": [{"type": "input_text", "text": 3}]}]}, "input[0].content[0].text", "a string"),
    ({"model": "m", "input": [{"type": "function_call", "name": "f", "arguments": "{}"}]}, "input[0].call_id", "a string"),
    ({"model": "m", "input": [{"type": "function_call", "call_id": "c", "name": "f", "arguments": {}}]}, "input[0].arguments", "JSON string"),
    ({"model": "m", "input": [{"type": "function_call_output", "call_id": "c", "output": 3}]}, "input[0].output", "a string or an array"),
    ({"model": "m", "input": "x", "tools": {}}, "tools", "an array"),
    ({"model": "m", "input": "x", "tools": [{"type": "function"}]}, "tools[0].name", "a string"),
    ({"model": "m", "input": "x", "tool_choice": "sometimes"}, "tool_choice", "auto, none or required"),
    ({"model": "m", "input": "x", "max_output_tokens": "100"}, "max_output_tokens", "an integer"),
    ({"model": "m", "input": "x", "temperature": "hot"}, "temperature", "a number"),
    ({"model": "m", "input": "x", "stream": "yes"}, "stream", "true or false"),
    ({"model": "m", "input": "x", "reasoning": "high"}, "reasoning", "an object"),
    ({"model": "m", "input": "x", "text": {"format": {"type": "json_schema", "name": "n"}}}, "text.format.schema", "JSON Schema"),
    # Bodies of the other formats.
    ({"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]}, "input", "OpenAI Chat or Anthropic"),
    ({"model": "claude", "max_tokens": 5, "messages": [{"role": "user", "content": "hi"}]}, "input", "messages"),
    ({"contents": [{"role": "user", "parts": [{"text": "hi"}]}]}, "input", "Gemini"),
]  # fmt: skip


@pytest.mark.parametrize(("body", "path", "words"), BAD_REQUESTS)
def test_bad_requests_say_where(body: Any, path: str, words: str) -> None:
    with pytest.raises(ProtocolError) as caught:
        ADAPTER.request_to_ir(body, [], None)
    assert caught.value.path == path
    assert words in caught.value.message


BAD_RESPONSES: list[tuple[Any, str, str]] = [
    ("text", "", "expected a JSON object"),
    ({"id": "x", "object": "chat.completion", "choices": []}, "object", "'response'"),
    ({"id": "x", "choices": [{"message": {"content": "hi"}}]}, "output", "OpenAI Chat"),
    ({"id": "msg_1", "type": "message", "content": [{"type": "text", "text": "hi"}]}, "output", "Anthropic"),
    ({"candidates": [{"content": {"parts": [{"text": "hi"}]}}]}, "output", "Gemini"),
    ({"id": "r", "output": {}}, "output", "an array"),
    ({"id": "r", "output": [{"type": "function_call", "call_id": "c", "arguments": "{}"}]}, "output[0].name", "a string"),
    ({"id": "r", "output": [{"type": "message", "content": "hi"}]}, "output[0].content", "an array"),
    ({"id": "r", "output": [], "usage": {"input_tokens": "ten"}}, "usage.input_tokens", "integer"),
    ({"id": "r", "output": [], "status": 5}, "status", "a string"),
    ({"id": "r", "output": [], "created_at": "today"}, "created_at", "Unix timestamp"),
]  # fmt: skip


@pytest.mark.parametrize(("body", "path", "words"), BAD_RESPONSES)
def test_bad_responses_say_where(body: Any, path: str, words: str) -> None:
    with pytest.raises(ProtocolError) as caught:
        ADAPTER.response_to_ir(body, [])
    assert caught.value.path == path
    assert words in caught.value.message


_KEYS = ["model", "input", "instructions", "tools", "tool_choice", "text", "reasoning", "output", "usage",
         "status", "type", "role", "content", "call_id", "name", "arguments", "output_index", "item", "delta",
         "summary", "format", "response", "incomplete_details", "created_at", "object", "error"]  # fmt: skip
plausible: st.SearchStrategy[Any] = st.recursive(
    json_values,
    lambda inner: st.dictionaries(st.sampled_from(_KEYS), inner, max_size=5) | st.lists(inner, max_size=3),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(plausible)
def test_random_json_only_ever_raises_protocol_error(body: Any) -> None:
    for read in (lambda: ADAPTER.request_to_ir(body, [], None), lambda: ADAPTER.response_to_ir(body, [])):
        try:
            read()
        except ProtocolError:
            pass


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["response.created", "response.output_item.added",
    "response.output_text.delta", "response.function_call_arguments.delta", "response.output_item.done",
    "response.completed", "response.failed", "error", "x"]), plausible), max_size=8))  # fmt: skip
def test_decoder_survives_any_events(events: list[tuple[str, Any]]) -> None:
    decoder = ADAPTER.stream_decoder()
    for name, data in events:
        payload = {**data, "type": name} if isinstance(data, dict) else data
        decoder.feed(SSEEvent(json.dumps(payload), name))
    decoder.feed(SSEEvent("{not json", "response.output_text.delta"))
    decoder.close()
    assert any("not JSON" in w for w in decoder.warnings)


def _paths(value: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [here]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*here, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*here, index))
    return found


def _replaced(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[path[0]] = _replaced(value[path[0]], path[1:], new)
    return copy


def _own(name: str) -> Any:
    from ...conftest import OWN_FIXTURES

    return json.loads((OWN_FIXTURES / "openai_responses" / name).read_text(encoding="utf-8"))


REAL_BODIES = {
    "request": _own("stateful_hosted_tools.request.json"),
    "request2": _own("multi_turn_tools.request.json"),
    "response": _own("reasoning_tool_call.response.json"),
}


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(REAL_BODIES)), st.data(), json_values)
def test_one_wrong_field_in_a_real_body_is_a_protocol_error_at_most(which: str, data: Any, new: Any) -> None:
    body = REAL_BODIES[which]
    path = data.draw(st.sampled_from(_paths(body)))
    broken = _replaced(body, path, new)
    read = ADAPTER.response_to_ir if which == "response" else lambda b, w: ADAPTER.request_to_ir(b, w, None)
    try:
        read(broken, [])
    except ProtocolError:
        pass


@settings(max_examples=200, deadline=None)
@given(st.data(), json_values)
def test_one_wrong_field_in_a_real_stream_never_breaks_the_decoder(data: Any, new: Any) -> None:
    from pipellm_tui.protocols.sse import parse_sse

    from ...conftest import OWN_FIXTURES

    text = (OWN_FIXTURES / "openai_responses" / "stream_reasoning_text_tool_call.sse").read_text(
        encoding="utf-8"
    )
    events = [json.loads(e.data) for e in parse_sse(text)]
    which = data.draw(st.integers(0, len(events) - 1))
    path = data.draw(st.sampled_from(_paths(events[which])))
    events[which] = _replaced(events[which], path, new)
    decoder = ADAPTER.stream_decoder()
    for event in events:
        decoder.feed(SSEEvent(json.dumps(event), None))
    decoder.close()


def test_a_broken_final_response_still_ends_the_stream() -> None:
    final = {"status": "incomplete", "incomplete_details": {"reason": "max_output_tokens"}}
    final |= {"usage": {"input_tokens": "many"}, "output": [{"type": "function_call", "name": "f"}]}
    text = f"event: response.incomplete\ndata: {json.dumps({'type': 'response.incomplete', 'response': final})}\n\n"
    events, warnings = decode(text)
    assert events == [ir.StreamStart(), ir.StreamFinish(ir.StopReason.MAX_TOKENS)]
    assert any(w.startswith("response.output[0]") for w in warnings)
    assert any("usage.input_tokens" in w and "usage skipped" in w for w in warnings)
