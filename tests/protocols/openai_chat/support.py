"""What the OpenAI Chat tests share: the adapter, fixture loading, parts as tuples, the expected streams,
event orders of other formats, and stream decode/encode helpers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pipellm_tui.protocols import Format, ir
from pipellm_tui.protocols.adapters import adapter_for
from pipellm_tui.protocols.sse import SSEEvent

from ...conftest import OWN_FIXTURES
from ..stream_runs import decode_text, encode_events

A = adapter_for(Format.OPENAI_CHAT)
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="


def shared_dir(shared_fixtures: Path) -> Path:
    directory = shared_fixtures / "openai_chat"
    return directory


def load(origin: str, name: str, shared_fixtures: Path) -> Any:
    directory = shared_dir(shared_fixtures) if origin == "shared" else OWN_FIXTURES / "openai_chat"
    return json.loads((directory / name).read_text(encoding="utf-8"))


def summary(parts: list[ir.Part]) -> list[tuple[Any, ...]]:
    """Parts as plain tuples, so expectations are literal values."""
    out: list[tuple[Any, ...]] = []
    for p in parts:
        if isinstance(p, ir.TextPart):
            out.append(("text", p.text))
        elif isinstance(p, ir.ImagePart):
            out.append(("image", p.url, p.media_type, p.data is not None, p.detail))
        elif isinstance(p, ir.ToolCallPart):
            out.append(("call", p.id, p.name, p.arguments))
        elif isinstance(p, ir.ToolResultPart):
            out.append(
                ("result", p.tool_call_id, p.name, [c.text for c in p.content if isinstance(c, ir.TextPart)])
            )
        elif isinstance(p, ir.ThinkingPart):
            out.append(("thinking", p.text))
        elif isinstance(p, ir.RefusalPart):
            out.append(("refusal", p.text))
    return out


# ---------------------------------------------------------------------------- streams

END, LENGTH, TOOL = ir.StopReason.END_TURN, ir.StopReason.MAX_TOKENS, ir.StopReason.TOOL_USE
TEXT = (
    "I'm unable to provide real-time weather updates. To get the current weather in San Francisco, I recommend "
    "checking a reliable weather website or a weather app."
)

#: (origin, file) -> (text, refusal, thinking, tool calls (id, name, arguments), stop, usage, error type)
STREAMS: dict[tuple[str, str], tuple[str, str, str, list[Any], ir.StopReason | None, Any, str | None]] = {
    ("shared", "sdktest_stream_text_with_usage.sse"): (TEXT, "", "", [], END, (14, 30, 0, 0, 0), None),
    ("shared", "sdktest_stream_tool_call.sse"): (
        "", "", "", [("call_4XzlGBLtUe9dy3GVNV4jhq7h", "get_weather", {"city": "New York City"})],
        TOOL, (44, 16, 0, 0, 0), None),
    ("shared", "sdktest_stream_parallel_tool_calls.sse"): (
        "", "", "",
        [("call_JMW1whyEaYG438VE1OIflxA2", "GetWeatherArgs", {"city": "Edinburgh", "country": "GB", "units": "c"}),
         ("call_DNYTawLBoN8fj3KN6qU9N1Ou", "get_stock_price", {"ticker": "AAPL", "exchange": "NASDAQ"})],
        TOOL, (149, 60, 0, 0, 0), None),
    ("shared", "sdktest_stream_finish_length.sse"): ('{"', "", "", [], LENGTH, (79, 1, 0, 0, 0), None),
    ("shared", "sdktest_stream_refusal.sse"): (
        "", "I'm sorry, I can't assist with that request.", "", [], END, (79, 11, 0, 0, 0), None),
    ("own", "reasoning_then_text.sse"): (
        "Hello! How can I help today?", "", "The user greets me; reply briefly.", [], END, (900, 21, 768, 0, 12),
        None),
    ("own", "text_then_parallel_tools.sse"): (
        "Let me check both.", "", "",
        [("call_A1", "get_weather", {"city": "Paris"}), ("call_B2", "get_time", {"tz": "Europe/Rome"})],
        TOOL, (310, 48, 0, 0, 0), None),
    ("own", "content_and_finish_together.sse"): ("The answer is forty-two", "", "", [], LENGTH, None, None),
    ("own", "midstream_error.sse"): ("Partial ans", "", "", [], None, None, "server_error"),
}  # fmt: skip
IDS = [f"{o}:{n}" for o, n in STREAMS]


def stream_text(origin: str, name: str, shared_fixtures: Path) -> str:
    directory = shared_dir(shared_fixtures) if origin == "shared" else OWN_FIXTURES / "openai_chat"
    return (directory / name).read_text(encoding="utf-8")


def decode(text: str) -> tuple[list[ir.StreamEvent], list[str]]:
    return decode_text(A, text)


def encode(events: list[ir.StreamEvent]) -> tuple[list[SSEEvent], list[str]]:
    return encode_events(A, events)


def facts(events: list[ir.StreamEvent]) -> tuple[Any, ...]:
    text, refusal, thinking = [], [], []
    calls: dict[int, list[Any]] = {}
    stop, usage, error = None, None, None
    for e in events:
        if isinstance(e, ir.TextDelta):
            text.append(e.text)
        elif isinstance(e, ir.RefusalDelta):
            refusal.append(e.text)
        elif isinstance(e, ir.ThinkingDelta):
            thinking.append(e.text)
        elif isinstance(e, ir.ToolCallStart):
            calls[e.index] = [e.id, e.name, ""]
        elif isinstance(e, ir.ToolCallDelta):
            calls[e.index][2] += e.arguments
        elif isinstance(e, ir.StreamFinish):
            stop = e.stop_reason
        elif isinstance(e, ir.StreamUsage):
            u = e.usage
            usage = (
                u.input_tokens,
                u.output_tokens,
                u.cache_read_tokens,
                u.cache_write_tokens,
                u.reasoning_tokens,
            )
        elif isinstance(e, ir.StreamError):
            error = e.type
    tools = [(i, n, json.loads(a) if a else {}) for i, n, a in calls.values()]
    return "".join(text), "".join(refusal), "".join(thinking), tools, stop, usage, error


ORDERS: dict[str, list[ir.StreamEvent]] = {
    # Anthropic: input usage at the start, block stops, finish then usage with output only.
    "anthropic_like": [
        ir.StreamStart("msg_01", "claude-x", ir.Usage(input_tokens=50, cache_read_tokens=20)),
        ir.ThinkingDelta("hmm"), ir.ThinkingDelta(signature="sig"), ir.BlockStop(),
        ir.TextDelta("Hi"), ir.BlockStop(),
        ir.ToolCallStart(0, "toolu_1", "f"), ir.ToolCallDelta(0, '{"a":'), ir.ToolCallDelta(0, "1}"), ir.BlockStop(),
        ir.StreamFinish(TOOL), ir.StreamUsage(ir.Usage(output_tokens=9)),
    ],
    # Gemini: no block stops, usage on every chunk, whole tool calls, text after a tool call.
    "gemini_like": [
        ir.StreamStart(None, "gemini-x"),
        ir.TextDelta("Hi"), ir.StreamUsage(ir.Usage(5, 1)),
        ir.ToolCallStart(0, "call_0", "f"), ir.ToolCallDelta(0, '{"a":1}'), ir.StreamUsage(ir.Usage(5, 3)),
        ir.TextDelta(" done"), ir.StreamUsage(ir.Usage(5, 4)), ir.StreamFinish(END),
    ],
    "finish_without_start": [ir.StreamFinish(LENGTH)],
    "no_finish": [ir.StreamStart("x", "m"), ir.ToolCallStart(0, "c", "f")],
    "delta_without_start": [ir.ToolCallDelta(3, '{"q":"x"}'), ir.StreamFinish(TOOL)],
}  # fmt: skip
