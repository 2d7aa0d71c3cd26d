"""Anthropic stream test material shared by the stream and SDK tests: expected answers of every
recording, odd IR event orders, and small decode / encode / join helpers. Not a test module.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pipellm_tui.protocols import Format, ir
from pipellm_tui.protocols.adapters import adapter_for
from pipellm_tui.protocols.schemas import anthropic_stream as stream_schema
from pipellm_tui.protocols.sse import SSEEvent

from ...conftest import OWN_FIXTURES, SHARED_FIXTURES, shared_path
from ..stream_runs import decode_events, encode_events

A = adapter_for(Format.ANTHROPIC)
SHARED = SHARED_FIXTURES / "anthropic"
OWN = OWN_FIXTURES / "anthropic"
TRUNCATED = '{"filename": "taxes.txt", "lines_of_text": [\n"# COMPREHENSIVE TAX GUIDE FOR INDIVIDUALS WITH MULTIPLE W-2s",\n"",\n"## INTRODUCTION",\n"",\n"Filing taxes'

#: name -> (directory, text, thinking, tool calls (id, name, arguments or raw JSON text), stop, usage, model)
STREAMS: dict[str, tuple[Path, str, str, list[Any], ir.StopReason | None, tuple[int, ...] | None, str]] = {
    "hosted_tools.sse": (OWN, "It is 42.", "", [], ir.StopReason.END_TURN, (5, 9, 0, 0, 0), "m"),
    "cited_text.sse": (
        OWN,
        "Here is what I found. Paris is sunny.",
        "",
        [],
        ir.StopReason.END_TURN,
        (5, 9, 0, 0, 0),
        "m",
    ),
    "sdkfixture_stream_basic.sse": (
        SHARED,
        "Hello there!",
        "",
        [],
        ir.StopReason.END_TURN,
        (11, 6, 0, 0, 0),
        "claude-3-opus-latest",
    ),
    "sdkfixture_stream_text_then_tool_use.sse": (
        SHARED,
        "I'll check the current weather in Paris for you.",
        "",
        [("toolu_01NRLabsLyVHZPKxbKvkfSMn", "get_weather", {"location": "Paris"})],
        ir.StopReason.TOOL_USE,
        (377, 65, 0, 0, 0),
        "claude-sonnet-4-20250514",
    ),
    "sdkfixture_stream_max_tokens_mid_tool_json.sse": (
        SHARED,
        (
            "I'll create a comprehensive tax guide for someone with multiple W2s and save it in a file "
            "called taxes.txt. Let me do that for you now."
        ),
        "",
        [("toolu_01EKqbqmZrGRXy18eN7m9kvY", "make_file", TRUNCATED)],
        ir.StopReason.MAX_TOKENS,
        (450, 124, 0, 0, 0),
        "claude-3-7-sonnet-20250219",
    ),
    "sdkfixture_stream_refusal.sse": (
        SHARED,
        "",
        "",
        [],
        ir.StopReason.CONTENT_FILTER,
        (20, 0, 0, 0, 0),
        "claude-opus-4-7",
    ),
    "sdkfixture_stream_thinking_signature_refusal.sse": (
        SHARED,
        "Hi",
        (
            "Simple educational question about what a solar eclipse is. This is benign general "
            'knowledge — definitions are fine. Also the user called me "claudius" — I\'m Claude. '
            "Minor correction or just roll with it politely."
        ),
        [],
        ir.StopReason.CONTENT_FILTER,
        (28, 106, 0, 0, 67),
        "claude-fable-5",
    ),
    "cassette_stream_tool_use.sse": (
        SHARED,
        "",
        "",
        [("toolu_018acGYLtfR52q9yDbWaEdQZ", "get_weather", {"location": "San Francisco, CA", "units": "f"})],
        ir.StopReason.TOOL_USE,
        (656, 74, 0, 0, 0),
        "claude-haiku-4-5-20251001",
    ),
    "cassette_stream_output_config_json_schema.sse": (
        SHARED,
        "[12345,67890]",
        "",
        [],
        ir.StopReason.END_TURN,
        (135, 10, 0, 0, 0),
        "claude-sonnet-4-5-20250929",
    ),
    "parallel_tools.sse": (
        OWN,
        "Checking both cities now.",
        "",
        [
            (
                "toolu_01Pa1Tokyo0000000000000001",
                "get_weather",
                {"location": "Tokyo, Japan", "unit": "celsius"},
            ),
            ("toolu_01Pa2Lima00000000000000002", "get_weather", {"location": "Lima, Peru"}),
        ],
        ir.StopReason.TOOL_USE,
        (472 + 1536, 96, 1536, 0, 0),
        "claude-sonnet-4-5-20250929",
    ),
    "thinking_text.sse": (
        OWN,
        "27 × 453 = **12,231**.",
        "27 * 453: 27 * 400 = 10800, 27 * 53 = 1431. Sum: 12231.",
        [],
        ir.StopReason.END_TURN,
        (36, 143, 0, 0, 0),
        "claude-sonnet-4-5-20250929",
    ),
    "overloaded_midstream.sse": (
        OWN,
        "Once upon a",
        "",
        [],
        None,
        (18, 1, 0, 0, 0),
        "claude-haiku-4-5-20251001",
    ),
}


def read_stream(directory: Path, name: str) -> str:
    if directory.is_relative_to(SHARED_FIXTURES):
        shared_path()  # skips, saying why, when ../shared is not beside the checkout
    return (directory / name).read_text(encoding="utf-8")


def decode(events: list[SSEEvent]) -> tuple[list[ir.StreamEvent], list[str]]:
    return decode_events(A, events)


def encode(events: list[ir.StreamEvent]) -> tuple[list[SSEEvent], list[str]]:
    return encode_events(A, events)


def facts(events: list[ir.StreamEvent]) -> dict[str, Any]:
    """What a stream says, joined: text, thinking, tool calls with parsed arguments, finish, usage."""
    tools: dict[int, list[Any]] = {}
    out: dict[str, Any] = {
        "text": "",
        "thinking": "",
        "signature": "",
        "stop": None,
        "usage": None,
        "model": None,
    }
    for event in events:
        if isinstance(event, (ir.TextDelta, ir.RefusalDelta)):
            out["text"] += event.text
        elif isinstance(event, ir.ThinkingDelta):
            out["thinking"] += event.text
            out["signature"] += event.signature or ""
        elif isinstance(event, ir.ToolCallStart):
            tools[event.index] = [event.id, event.name, ""]
        elif isinstance(event, ir.ToolCallDelta):
            tools.setdefault(event.index, [None, "", ""])[2] += event.arguments
        elif isinstance(event, ir.StreamFinish):
            out["stop"] = event.stop_reason
        elif isinstance(event, (ir.StreamUsage, ir.StreamStart)) and event.usage is not None:
            u = event.usage
            out["usage"] = (
                u.input_tokens,
                u.output_tokens,
                u.cache_read_tokens,
                u.cache_write_tokens,
                u.reasoning_tokens,
            )
        if isinstance(event, ir.StreamStart):
            out["model"] = event.model
    out["calls"] = []
    for call_id, name, arguments in tools.values():
        try:
            parsed = json.loads(arguments)
        except ValueError:
            parsed = arguments  # a call cut short keeps its raw text
        out["calls"].append((call_id, name, parsed))
    return out


def check_wire(events: list[SSEEvent]) -> None:
    """The event order every Anthropic client expects, and every data object valid."""
    names = [e.event for e in events]
    assert names[0] == "message_start" and names[-2:] == ["message_delta", "message_stop"]
    open_index, next_index = None, 0
    for event in events:
        data = json.loads(event.data)
        assert data["type"] == event.event
        stream_schema.STREAM_CHUNK.validate_python(data)
        if event.event == "content_block_start":
            assert open_index is None and data["index"] == next_index
            open_index, next_index = data["index"], next_index + 1
        elif event.event == "content_block_delta":
            assert data["index"] == open_index
        elif event.event == "content_block_stop":
            assert data["index"] == open_index
            open_index = None
        elif event.event == "message_delta":
            assert open_index is None


ODD_ORDERS: dict[str, list[ir.StreamEvent]] = {
    # An OpenAI-like source: no StreamStart, no BlockStops, usage after the finish.
    "openai_like": [
        ir.TextDelta("Let me check."),
        ir.ToolCallStart(0, "call_a", "get_weather"),
        ir.ToolCallDelta(0, '{"city":'),
        ir.ToolCallDelta(0, '"Oslo"}'),
        ir.ToolCallStart(1, "call_b", "get_time"),
        ir.ToolCallDelta(1, "{}"),
        ir.StreamFinish(ir.StopReason.TOOL_USE),
        ir.StreamUsage(ir.Usage(50, 12, cache_read_tokens=20)),
    ],
    # A Gemini-like source: whole calls, text after a tool call, usage before the finish, thinking.
    "gemini_like": [
        ir.StreamStart(model="gemini-2.5-flash"),
        ir.ThinkingDelta("thinking about it", "sig-from-elsewhere"),
        ir.ToolCallStart(0, "call_0", "f", signature="gemini-sig"),
        ir.ToolCallDelta(0, '{"x":1}'),
        ir.TextDelta("and some text after the call"),
        ir.StreamUsage(ir.Usage(9, 30, reasoning_tokens=10)),
        ir.StreamFinish(ir.StopReason.END_TURN),
    ],
    "finish_only": [ir.StreamFinish(ir.StopReason.MAX_TOKENS)],
    "no_finish": [ir.StreamStart("msg_x", "m"), ir.RefusalDelta("I can't."), ir.BlockStop(), ir.BlockStop()],
    "delta_without_start": [ir.ToolCallDelta(3, '{"a":true}')],
}
