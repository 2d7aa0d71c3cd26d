"""What a Gemini payload says, in plain values the Gemini tests can compare with their expectations.

Shared by `test_gemini.py`, `test_gemini_properties.py` and `test_gemini_sdk.py`: reading fixtures,
summarising IR requests / responses / stream events, and running a stream through the decoder.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipellm_tui.protocols import Format, ir
from pipellm_tui.protocols.adapters import adapter_for
from pipellm_tui.protocols.sse import SSEEvent, encode_sse

from ..stream_runs import decode_text, encode_events

#: A Gemini thought signature (base64 of "signature").
SIG = "c2lnbmF0dXJl"
ADAPTER = adapter_for(Format.GEMINI)
OWN_DIR = Path(__file__).resolve().parent.parent.parent / "fixtures" / "gemini"


def sse_text(path: Path) -> str:
    """A stream fixture as SSE text; `.chunks.json` arrays are framed the way `alt=sse` sends them."""
    if path.name.endswith(".chunks.json"):
        chunks = json.loads(path.read_text(encoding="utf-8"))
        return "".join(f"data: {json.dumps(chunk)}\r\n\r\n" for chunk in chunks)
    return path.read_text(encoding="utf-8")


def decode(text: str) -> tuple[list[ir.StreamEvent], list[str]]:
    return decode_text(ADAPTER, text)


def encode(events: list[ir.StreamEvent]) -> tuple[list[SSEEvent], list[str]]:
    return encode_events(ADAPTER, events)


def reencode(events: list[ir.StreamEvent]) -> str:
    return encode_sse(encode(events)[0])


@dataclass
class StreamFacts:
    start: tuple[str | None, str | None] | None = None
    text: str = ""
    thinking: str = ""
    signatures: int = 0
    calls: list[tuple[str, str, Any]] = field(default_factory=list)
    stop: ir.StopReason | None = None
    usage: tuple[int, int, int, int] | None = None
    error: tuple[str, int | None] | None = None


def stream_facts(events: list[ir.StreamEvent]) -> StreamFacts:
    facts = StreamFacts()
    calls: dict[int, list[Any]] = {}
    for event in events:
        if isinstance(event, ir.StreamStart):
            facts.start = (event.id, event.model)
        elif isinstance(event, ir.TextDelta):
            facts.text += event.text
        elif isinstance(event, ir.ThinkingDelta):
            facts.thinking += event.text
            facts.signatures += event.signature is not None
        elif isinstance(event, ir.ToolCallStart):
            calls[event.index] = [event.id, event.name, ""]
            facts.signatures += event.signature is not None
        elif isinstance(event, ir.ToolCallDelta):
            calls[event.index][2] += event.arguments
        elif isinstance(event, ir.StreamFinish):
            facts.stop = event.stop_reason
        elif isinstance(event, ir.StreamUsage):
            u = event.usage
            facts.usage = (u.input_tokens, u.output_tokens, u.cache_read_tokens, u.reasoning_tokens)
        elif isinstance(event, ir.StreamError):
            facts.error = (event.type, event.status)
    facts.calls = [(i, n, json.loads(a)) for i, n, a in calls.values()]
    return facts


def usage_facts(usage: ir.Usage | None) -> tuple[int, int, int, int] | None:
    if usage is None:
        return None
    return (usage.input_tokens, usage.output_tokens, usage.cache_read_tokens, usage.reasoning_tokens)


def result_value(text: str) -> Any:
    """A tool result's text as the value it encodes when it is JSON (Gemini results are objects)."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def conversation(request: ir.Request) -> dict[str, Any]:
    texts: list[tuple[str, str]] = []
    calls, results, images, thinking = [], [], [], []
    for message in request.messages:
        texts.append((message.role, "".join(p.text for p in message.parts if isinstance(p, ir.TextPart))))
        for p in message.parts:
            if isinstance(p, ir.ToolCallPart):
                calls.append((p.id, p.name, p.arguments, p.signature is not None))
            elif isinstance(p, ir.ToolResultPart):
                text = "".join(c.text for c in p.content if isinstance(c, ir.TextPart))
                results.append((p.tool_call_id, p.name, result_value(text), p.is_error))
            elif isinstance(p, ir.ImagePart):
                images.append((p.url, p.data is not None, p.media_type))
            elif isinstance(p, ir.ThinkingPart):
                thinking.append((p.text[:20], p.signature is not None))
    return {
        "system": [p.text for p in request.system],
        "texts": texts,
        "calls": calls,
        "results": results,
        "images": images,
        "thinking": thinking,
        "tools": [t.name for t in request.tools],
    }
