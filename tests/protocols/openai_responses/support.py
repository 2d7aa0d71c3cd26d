"""Small helpers the OpenAI Responses tests share: run a stream through the adapter, sum it up."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from pipellm_tui.protocols import Format, ir
from pipellm_tui.protocols.adapters import adapter_for
from pipellm_tui.protocols.sse import SSEEvent, encode_sse

from .. import stream_runs
from ..stream_runs import decode_text

ADAPTER = adapter_for(Format.OPENAI_RESPONSES)


def decode(text: str) -> tuple[list[ir.StreamEvent], list[str]]:
    """An SSE body through a fresh decoder: the IR events and the decoder's warnings."""
    return decode_text(ADAPTER, text)


def encode_events(events: list[ir.StreamEvent]) -> tuple[list[SSEEvent], list[str]]:
    return stream_runs.encode_events(ADAPTER, events)


def encode(events: list[ir.StreamEvent]) -> str:
    return encode_sse(encode_events(events)[0])


@dataclass
class StreamFacts:
    """What a stream says, independent of how it was cut into deltas."""

    start: ir.StreamStart | None = None
    text: str = ""
    refusal: str = ""
    thinking: str = ""
    signatures: list[str] = field(default_factory=list)
    calls: list[tuple[str, str, Any]] = field(default_factory=list)  # (id, name, parsed arguments)
    blocks: int = 0
    finish: ir.StopReason | None = None
    usage: ir.Usage | None = None
    errors: list[tuple[str, str]] = field(default_factory=list)


def stream_facts(events: list[ir.StreamEvent]) -> StreamFacts:
    facts = StreamFacts()
    arguments: dict[int, list[str]] = {}
    ids: dict[int, tuple[str, str]] = {}
    for event in events:
        if isinstance(event, ir.StreamStart):
            assert facts.start is None, "two StreamStart events"
            facts.start = event
        elif isinstance(event, ir.TextDelta):
            facts.text += event.text
        elif isinstance(event, ir.RefusalDelta):
            facts.refusal += event.text
        elif isinstance(event, ir.ThinkingDelta):
            facts.thinking += event.text
            if event.signature:
                facts.signatures.append(event.signature)
        elif isinstance(event, ir.ToolCallStart):
            ids[event.index] = (event.id, event.name)
            arguments[event.index] = []
        elif isinstance(event, ir.ToolCallDelta):
            arguments[event.index].append(event.arguments)
        elif isinstance(event, ir.BlockStop):
            facts.blocks += 1
        elif isinstance(event, ir.StreamFinish):
            facts.finish = event.stop_reason
        elif isinstance(event, ir.StreamUsage):
            facts.usage = event.usage
        elif isinstance(event, ir.StreamError):
            facts.errors.append((event.type, event.message))
    for index, (call_id, name) in sorted(ids.items()):
        facts.calls.append((call_id, name, parsed_arguments("".join(arguments[index]))))
    return facts


def parsed_arguments(arguments: str) -> Any:
    """Arguments as an object, or as the raw text when a stream was cut in the middle of them."""
    try:
        return json.loads(arguments) if arguments else {}
    except ValueError:
        return arguments
