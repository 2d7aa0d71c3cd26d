"""Anthropic streams: decoding real and own recordings, encoding back, odd event orders, bad events.

The official SDK reading our encoder's output is in test_anthropic_sdk.py.
"""

from __future__ import annotations

import json

import pytest

from pipellm_tui.protocols import ir
from pipellm_tui.protocols.sse import SSEEvent, encode_sse, parse_sse

from .streams import ODD_ORDERS, STREAMS, check_wire, decode, encode, facts, read_stream


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


@pytest.mark.parametrize("name", list(ODD_ORDERS))
def test_encoder_copes_with_any_legal_order(name: str) -> None:
    wire, _ = encode(ODD_ORDERS[name])
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
    wire, _ = encode(
        [
            ir.StreamStart("msg_1", "m"),
            ir.TextDelta("Once"),
            ir.StreamError("Overloaded", "overloaded_error", 529),
            ir.TextDelta("ignored"),
        ]
    )
    assert wire[-1].event == "error"
    assert json.loads(wire[-1].data) == {
        "type": "error",
        "error": {"type": "overloaded_error", "message": "Overloaded"},
    }
    assert [e.event for e in wire].count("content_block_delta") == 1


def test_usage_reported_before_an_error_survives() -> None:
    events = [
        ir.TextDelta("Once"),
        ir.StreamUsage(ir.Usage(11, 3)),
        ir.StreamError("Overloaded", "overloaded_error", 529),
    ]
    wire, _ = encode(events)
    assert [e.event for e in wire][-3:] == ["content_block_stop", "message_delta", "error"]
    assert json.loads(wire[-2].data)["delta"] == {"stop_reason": None, "stop_sequence": None}
    decoded, _ = decode(wire)
    assert decoded[-3:] == [ir.BlockStop(), ir.StreamUsage(ir.Usage(11, 3)), events[-1]]


def test_decoder_skips_what_it_does_not_know() -> None:
    events = [
        SSEEvent(
            '{"type":"message_start","message":{"id":"msg_1","model":"m","usage":{"input_tokens":3,"output_tokens":1}}}',
            "message_start",
        ),
        SSEEvent('{"type":"brand_new_event","x":1}', "brand_new_event"),
        SSEEvent("not json", "content_block_delta"),
        SSEEvent('{"type":"content_block_delta","index":0}', "content_block_delta"),
        SSEEvent(
            '{"type":"content_block_start","index":0,"content_block":{"type":"server_tool_use","id":"s","name":"web_search","input":{}}}'
        ),
        SSEEvent(
            '{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{}"}}'
        ),
        SSEEvent('{"type":"content_block_delta","index":1,"delta":{"type":"citations_delta","citation":{}}}'),
        SSEEvent("[1, 2]"),
    ]
    decoded, warnings = decode(events)
    assert decoded == [
        ir.StreamStart("msg_1", "m", ir.Usage(3, 1)),
        # A server tool's call cut before its block stop has no input to carry: nothing is sent.
        ir.StreamError("the stream ended before it was complete", "api_error"),
    ]
    assert warnings[0] == "event brand_new_event: unknown Anthropic event; ignored"
    # One summary line counts every event skipped as not understood (issue 8), kept up to date in place.
    assert warnings[1] == (
        "4 stream events not understood and skipped: event brand_new_event (unknown type); data not JSON; "
        "event content_block_delta (malformed); …"
    )
    assert warnings[2] == "event content_block_delta: data is not JSON; skipped"
    assert warnings[3].startswith("event content_block_delta: malformed (KeyError")
    assert warnings[4:] == [
        "citations: None citations have no neutral form; dropped",  # a citation of no known kind
        "event ?: data is not an object; skipped",
        "stream: ended before message_delta gave a stop reason",
    ]
