"""Conversion speed in every direction: requests per second and stream events per second.

    python bench/convert.py [--seconds 0.5]

Request: a 20-message conversation with tools (tool calls and results among the turns), written once
in OpenAI Chat format and converted into each source format first. Stream: 2,000 events per source
format (text deltas with a tool call in the middle), produced by that format's own encoder, then
parsed, decoded and re-encoded by `StreamConverter`. Targets (issue 2): >= 20,000 requests/s and
>= 50,000 events/s in every direction. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from pipellm_tui.protocols import Format, StreamConverter, convert_request, ir
from pipellm_tui.protocols.adapters import adapter_for
from pipellm_tui.protocols.sse import encode_sse

TOOLS = [
    {
        "type": "function",
        "function": {
            "name": f"tool_{i}",
            "description": f"Tool number {i}",
            "parameters": {
                "type": "object",
                "properties": {"city": {"type": "string"}, "days": {"type": "integer"}},
                "required": ["city"],
            },
        },
    }
    for i in range(3)
]


def chat_request() -> dict[str, Any]:
    messages: list[dict[str, Any]] = [{"role": "system", "content": "You are a terse assistant."}]
    for turn in range(6):
        messages.append({"role": "user", "content": f"Question {turn}: what is the weather in city {turn}?"})
        call_id = f"call_{turn}"
        messages.append(
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": call_id,
                        "type": "function",
                        "function": {"name": "tool_0", "arguments": '{"city": "Paris", "days": 3}'},
                    }
                ],
            }
        )
        messages.append({"role": "tool", "tool_call_id": call_id, "content": '{"forecast": "sunny"}'})
    messages.append({"role": "user", "content": "Thanks. Summarise it all."})
    assert len(messages) == 20
    return {
        "model": "gpt-4o",
        "messages": messages,
        "tools": TOOLS,
        "tool_choice": "auto",
        "max_completion_tokens": 512,
        "temperature": 0.5,
    }


def stream_text(fmt: Format, events: int) -> str:
    encoder = adapter_for(fmt).stream_encoder()
    neutral: list[ir.StreamEvent] = [ir.StreamStart(id="bench", model="bench-model")]
    for i in range(events // 2):
        neutral.append(ir.TextDelta(f"tok{i} "))
    neutral += [ir.BlockStop(), ir.ToolCallStart(0, "call_0", "tool_0")]
    neutral += [ir.ToolCallDelta(0, '{"city": "Paris"}')]
    neutral += [ir.BlockStop()]
    for i in range(events // 2):
        neutral.append(ir.TextDelta(f"tok{i} "))
    neutral += [ir.StreamFinish(ir.StopReason.END_TURN), ir.StreamUsage(ir.Usage(100, events))]
    out = []
    for event in neutral:
        out.extend(encoder.encode(event))
    out.extend(encoder.close())
    return encode_sse(out)


def rate(fn: Any, seconds: float) -> float:
    fn()  # warm up
    count, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        for _ in range(20):
            fn()
        count += 20
    return count / elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=0.5)
    parser.add_argument("--events", type=int, default=2000)
    args = parser.parse_args()

    base = chat_request()
    sources = {fmt: convert_request(base, Format.OPENAI_CHAT, fmt).payload for fmt in Format}
    sources[Format.OPENAI_CHAT] = base
    streams = {fmt: stream_text(fmt, args.events) for fmt in Format}

    print(f"{'direction':<36} {'requests/s':>12} {'events/s':>12}")
    worst_req, worst_ev = float("inf"), float("inf")
    for source in Format:
        for target in Format:
            if source is target:
                continue
            model = "gpt-4o" if source is Format.GEMINI else None
            body = sources[source]
            req_rate = rate(lambda b=body, s=source, t=target, m=model: convert_request(b, s, t, m), args.seconds)

            text = streams[source]
            n_events = text.count("\n\n")

            def run_stream(s: Format = source, t: Format = target, text: str = text) -> None:
                converter = StreamConverter(s, t)
                converter.feed_text(text)
                converter.close()

            ev_rate = rate(run_stream, args.seconds) * n_events
            worst_req, worst_ev = min(worst_req, req_rate), min(worst_ev, ev_rate)
            print(f"{source + ' -> ' + target:<36} {req_rate:>12,.0f} {ev_rate:>12,.0f}")
    print(f"{'worst':<36} {worst_req:>12,.0f} {worst_ev:>12,.0f}")
    print("targets: requests/s >= 20,000 and events/s >= 50,000 in every direction")


if __name__ == "__main__":
    main()
