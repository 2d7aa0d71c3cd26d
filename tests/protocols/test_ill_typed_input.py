"""Each case found for issue 8, pinned: ill-typed values, deep JSON, huge numbers, events nobody knows.

The fuzz tests (test_fuzz_boundaries.py) look for new ones; these say exactly what the answer is.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from pipellm_tui.protocols import (
    ProtocolError,
    StreamConverter,
    convert_request,
    convert_response,
    convert_sse,
)
from pipellm_tui.protocols.adapters import adapter_for
from pipellm_tui.protocols.adapters.shared.stream_guard import NotUnderstood
from pipellm_tui.protocols.errors import parse_error
from pipellm_tui.protocols.jsontext import MAX_JSON_DEPTH, JsonTooDeep, check_depth, loads_bounded
from pipellm_tui.protocols.ratelimits import (
    format_duration,
    parse_ratelimits,
    parse_reset,
    retry_after_seconds,
)
from pipellm_tui.protocols.sse import SSEEvent, SSELimitExceeded
from pipellm_tui.protocols.validate import Issue, first_problem, validate_request, validate_response

from .mutation import DEEP, DEEP_JSON_TEXT, deep_list, deep_object

CHAT = {"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]}
CLAUDE = {"model": "claude-sonnet-4-5", "max_tokens": 5, "messages": [{"role": "user", "content": "hi"}]}
RESPONSES = {"model": "gpt-4.1", "input": [{"role": "user", "content": "hi"}]}


def not_understood_count(warnings: list[str]) -> int:
    """How many stream events the decoder's summary warning says were skipped (0 when none)."""
    return next((w.skipped for w in warnings if type(w) is NotUnderstood), 0)


# ---------------------------------------------------------------------------- {"type": []} (found 1)


@pytest.mark.parametrize(
    ("fmt", "body", "issue"),
    [
        (
            "openai-chat",
            {**CHAT, "messages": [{"role": "user", "content": [{"type": []}]}]},
            Issue("messages[0].content[0].type", "Input should be a valid string, got an array"),
        ),
        (
            "openai-chat",
            {**CHAT, "tools": [{"type": {}}]},
            Issue("tools[0].type", "Input should be a valid string, got an object"),
        ),
        (
            "openai-responses",
            {**RESPONSES, "input": [{"role": "user", "content": [{"type": []}]}]},
            Issue("input[0].content[0].type", "Input should be a valid string, got an array"),
        ),
        (
            "openai-responses",
            {**RESPONSES, "input": [{"type": {"a": 1}}]},
            Issue("input[0].type", "Input should be a valid string, got an object"),
        ),
        (
            "anthropic",
            {**CLAUDE, "messages": [{"role": "user", "content": [{"type": []}]}]},
            Issue("messages[0].content[0].type", "Input should be a valid string, got an array"),
        ),
        (
            "anthropic",
            {**CLAUDE, "tools": [{"type": [], "name": "x"}]},
            Issue("tools[0].type", "Input should be a valid string, got an array"),
        ),
        (  # Gemini parts have no `type`: the same typo lands on the field that names the part
            "gemini",
            {"contents": [{"role": "user", "parts": [{"text": []}]}]},
            Issue("contents[0].parts[0].text", "Input should be a valid string, got an array"),
        ),
    ],
)
def test_a_list_or_object_where_a_type_string_belongs_is_a_problem_with_a_path(
    fmt: str, body: dict[str, Any], issue: Issue
) -> None:
    assert first_problem(fmt, json.dumps(body)) == issue
    assert validate_request(fmt, body)[0] == issue


def test_a_response_with_an_ill_typed_type_is_a_problem_too() -> None:
    body = {"id": "m", "type": "message", "role": "assistant", "model": "c", "content": [{"type": []}]}
    assert Issue("content[0].type", "Input should be a valid string, got an array") in validate_response(
        "anthropic", body
    )


def test_converting_an_ill_typed_type_is_a_protocol_error_not_a_type_error() -> None:
    body = {**CLAUDE, "messages": [{"role": "user", "content": [{"type": {"a": 1}}]}]}
    for target in ("openai-chat", "gemini"):
        with pytest.raises(ProtocolError) as caught:
            convert_request(body, "anthropic", target)
        assert "bug" not in str(caught.value) and caught.value.path.endswith("type")
    with pytest.raises(ProtocolError, match="tool_choice"):
        convert_request({**CLAUDE, "tool_choice": {"type": {}}}, "anthropic", "openai-chat")


# ---------------------------------------------------------------------------- deep JSON


def test_loads_bounded_refuses_deep_json_and_says_how_deep() -> None:
    for text in (DEEP_JSON_TEXT, "[" * 200 + "]" * 200, ("{" + '"a":') * 500 + "1" + "}" * 500):
        with pytest.raises(JsonTooDeep) as caught:
            loads_bounded(text)
        assert caught.value.limit == MAX_JSON_DEPTH == 128
        assert str(caught.value) == "JSON nested deeper than 128 levels; refused"
    depth_128 = "[" * 128 + "]" * 128
    assert loads_bounded(depth_128) == json.loads(depth_128)  # the limit itself is fine
    assert loads_bounded('"[[[[" ', max_depth=2) == "[[[["  # brackets inside strings are no nesting
    with pytest.raises(JsonTooDeep):
        loads_bounded("[[[1]]]", max_depth=2)


def test_loads_bounded_turns_every_failure_into_a_protocol_error() -> None:
    cases = {
        "{": "not valid JSON: Expecting property name enclosed in double quotes at line 1, column 2",
        b'{"a": "\xff"}': "not valid JSON: not UTF-8 text (byte 7)",
        "1" * 5000: "not valid JSON: a number of more than 4,300 digits",
        42: "not valid JSON: expected text, got int",
    }
    for text, message in cases.items():
        with pytest.raises(ProtocolError) as caught:
            loads_bounded(text)  # type: ignore[arg-type]
        assert str(caught.value) == message
    assert loads_bounded(b'\xef\xbb\xbf{"a": NaN}')["a"] != 0  # a BOM is fine; NaN reads by default
    with pytest.raises(ProtocolError, match="NaN is not a JSON number"):
        loads_bounded('{"a": NaN}', allow_nan=False)


def test_check_depth_walks_any_depth_without_recursion() -> None:
    with pytest.raises(JsonTooDeep):
        check_depth(deep_list())
    with pytest.raises(JsonTooDeep):
        check_depth({"a": [deep_object()]})
    check_depth({"a": [[{"b": 1}]]}, max_depth=4)
    with pytest.raises(JsonTooDeep):
        check_depth({"a": [[{"b": 1}]]}, max_depth=3)


def test_deep_json_anywhere_is_a_clear_error_not_a_recursion_error() -> None:
    with pytest.raises(JsonTooDeep):
        convert_request(DEEP_JSON_TEXT, "openai-chat", "anthropic")
    deep_body = {**CHAT, "messages": [{"role": "user", "content": [{"type": "text", "text": deep_list()}]}]}
    with pytest.raises(ProtocolError):
        convert_request(deep_body, "openai-chat", "anthropic")
    with pytest.raises(ProtocolError):
        convert_response({"id": "x", "choices": deep_list(DEEP)}, "openai-chat", "gemini")
    assert first_problem("openai-chat", DEEP_JSON_TEXT) == Issue(
        "", "JSON nested deeper than 128 levels; refused"
    )
    assert validate_request("anthropic", {**CLAUDE, "metadata": deep_object()}) == [
        Issue("", "The body is JSON nested deeper than 128 levels; refused")
    ]
    stream = convert_sse(f"data: {DEEP_JSON_TEXT}\n\n", "openai-chat", "anthropic")
    assert "1 stream event not understood and skipped: data not JSON" in stream.warnings


# ---------------------------------------------------------------------------- numbers and text


def test_format_duration_takes_numbers_of_any_size_and_refuses_the_rest() -> None:
    assert format_duration(10**400) == format_duration(float("inf")) == "277777777h46m40s"
    assert format_duration(-(10**400)) == format_duration(float("nan")) == format_duration(-1) == "0s"
    assert format_duration(90) == "1m30s"
    for bad in ("5", None, [], True):
        with pytest.raises(ProtocolError, match="a duration must be a number of seconds"):
            format_duration(bad)  # type: ignore[arg-type]


def test_rate_limit_parsers_read_garbage_as_nothing() -> None:
    assert parse_ratelimits({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}, now="soon").retry_after == 0.0  # type: ignore[arg-type]
    assert parse_ratelimits([1, 2], now=10**400).known is False  # type: ignore[arg-type]
    assert retry_after_seconds({"retry-after": "5"}, now=float("nan")) == 5.0
    assert parse_reset([], 0.0) is None  # type: ignore[arg-type]
    assert parse_reset("1m30s", float("inf")) == 90.0


def test_the_error_parser_keeps_its_promise_for_absurd_statuses_and_bodies() -> None:
    class Unprintable:
        def __str__(self) -> str:
            raise RuntimeError("no")

    error = parse_error(10**400, Unprintable())  # type: ignore[arg-type]
    assert (error.status, error.raw, error.type) == (None, "", "network_error")
    assert parse_error(429, '{"error": {"code": 429, "message": "' + "9" * 5000 + '"}}').status == 429


def test_a_lone_surrogate_in_an_answer_does_not_break_its_synthetic_id() -> None:
    body = {
        "candidates": [{"content": {"role": "model", "parts": [{"text": "x\ud800"}]}, "finishReason": "STOP"}]
    }
    converted = convert_response(body, "gemini", "openai-chat")
    assert converted.payload["id"].startswith("chatcmpl-")


def test_a_created_at_too_big_for_a_float_is_a_protocol_error() -> None:
    body = {"id": "r", "object": "response", "created_at": 10**400, "status": "completed", "output": []}
    with pytest.raises(ProtocolError, match="created_at"):
        convert_response(body, "openai-responses", "openai-chat")


# ---------------------------------------------------------------------------- streams (found 4)


def test_decoders_count_the_events_they_did_not_understand() -> None:
    decoder = adapter_for("anthropic").stream_decoder()
    events = [
        SSEEvent('{"type": "brand_new", "x": 1}', "brand_new"),
        SSEEvent('{"type": ["message_start"]}'),  # used to raise TypeError (unhashable)
        SSEEvent('{"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": []}}'),
        SSEEvent("{not json"),
    ]
    for event in events:
        assert decoder.feed(event) == []
    assert not_understood_count(decoder.warnings) == 4
    assert (
        "4 stream events not understood and skipped: event brand_new (unknown type); "
        "a type that is list, not a string; event content_block_delta (malformed); …"
    ) in decoder.warnings


def test_each_format_reports_events_it_skipped() -> None:
    junk = "data: {nope\n\ndata: [1]\n\n"
    for source in ("openai-chat", "openai-responses", "anthropic", "gemini"):
        converted = convert_sse(junk, source, "openai-chat" if source != "openai-chat" else "anthropic")
        assert "2 stream events not understood and skipped: data not JSON; data not a JSON object" in (
            converted.warnings
        ), source


def test_a_responses_event_type_nobody_knows_is_counted() -> None:
    decoder = adapter_for("openai-responses").stream_decoder()
    decoder.feed(SSEEvent('{"type": "response.brand_new.delta"}'))
    decoder.feed(SSEEvent('{"type": "response.queued"}'))  # known and quietly skipped: not counted
    assert not_understood_count(decoder.warnings) == 1


def test_an_encoder_given_an_ill_typed_event_warns_and_carries_on() -> None:
    from pipellm_tui.protocols import ir

    encoder = adapter_for("anthropic").stream_encoder()
    encoder.encode(ir.StreamStart("m", "x"))
    assert encoder.encode(ir.TextDelta(["x"])) == []  # type: ignore[arg-type]
    assert encoder.encode(ir.TextDelta("ok"))
    assert any("stream encoder encode: could not be read (TypeError" in w for w in encoder.warnings)


def test_a_stream_converter_past_its_line_cap_keeps_the_events_before_it() -> None:
    converter = StreamConverter("openai-chat", "anthropic", max_line=200)
    first = '{"id":"c","model":"m","choices":[{"index":0,"delta":{"content":"hi"}}]}'
    with pytest.raises(SSELimitExceeded) as caught:
        converter.feed_text(f"data: {first}\n\ndata: {'x' * 500}\n\n")
    kept = caught.value.events
    assert [e.event for e in kept][:3] == ["message_start", "ping", "content_block_start"]
    assert any('"text":"hi"' in e.data for e in kept)
    assert caught.value.limit == "max_line" and isinstance(caught.value, ProtocolError)


def test_a_created_timestamp_past_year_9999_is_left_out_with_a_warning() -> None:
    body = {
        "id": "c",
        "object": "chat.completion",
        "created": 10**30,
        "model": "m",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "hi"}, "finish_reason": "stop"}],
    }
    converted = convert_response(body, "openai-chat", "gemini")
    assert "createTime" not in converted.payload
    assert any(w.startswith("created: 1000000000000000000") for w in converted.warnings)


def test_a_stream_error_with_an_ill_typed_type_still_ends_the_stream_cleanly() -> None:
    text = (
        'event: message_start\ndata: {"type":"message_start","message":{"id":"m","model":"c"}}\n\n'
        'event: error\ndata: {"type":"error","error":{"type":12345,"message":["Overloaded"]}}\n\n'
    )
    converted = convert_sse(text, "anthropic", "gemini")
    assert '"status":"INTERNAL"' in converted.text or '"code":500' in converted.text
    assert not [w for w in converted.warnings if "bug" in w]
    chat = convert_sse(
        'data: {"error": {"message": "x", "code": "' + "9" * 5000 + '"}}\n\n', "openai-chat", "gemini"
    )
    assert not [w for w in chat.warnings if "bug" in w]


@pytest.mark.parametrize("fmt", ["anthropic", "openai-responses", "openai-chat", "gemini"])
def test_endless_distinct_junk_events_keep_the_warnings_bounded_and_the_count_right(fmt: str) -> None:
    decoder = adapter_for(fmt).stream_decoder()
    for i in range(3000):
        decoder.feed(SSEEvent(f'{{"type": "kind_{i}"}}', f"kind_{i}"))
        decoder.feed(SSEEvent(f"not json {i}"))
    assert len(decoder.warnings) <= 202  # MAX_WARNINGS, the note that more were left out, the tally
    expected = 6000 if fmt != "gemini" else 3000  # a Gemini chunk has no type: only the junk is skipped
    assert not_understood_count(decoder.warnings) == expected
