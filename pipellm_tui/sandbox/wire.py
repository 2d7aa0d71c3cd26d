"""The caller's streaming wire format, byte for byte: SSE framing and each format's small habits.

Owns what the encoders cannot know because it depends on the HTTP request, not on the events:
- OpenAI Chat sends its usage chunk only when the request asked (`stream_options.include_usage`);
- Anthropic sends a `ping` after `message_start` (added when the encoder did not);
- Gemini without `alt=sse` streams one JSON array (`[{...}\\r\\n,{...}]`), as Google does;
- and the `malformed` fault's broken event in the caller's framing.
Imports protocols only (no starlette).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ..protocols.formats import Format
from ..protocols.sse import SSEEvent, encode_event

_PING = SSEEvent('{"type":"ping"}', "ping")


class StreamWriter:
    def __init__(self, caller: Format, sse: bool = True, include_usage: bool = True) -> None:
        self._caller = caller
        self._sse = sse
        self._drop_usage = caller is Format.OPENAI_CHAT and not include_usage
        self._ping_due = False
        self._items = 0

    @property
    def media_type(self) -> str:
        return "text/event-stream" if self._sse else "application/json"

    def write(self, events: list[SSEEvent]) -> str:
        out: list[str] = []
        for event in events:
            if self._drop_usage:
                event = _without_usage(event)  # type: ignore[assignment]
                if event is None:
                    continue
            if self._ping_due and event.event != "ping":
                out.append(self._frame(_PING))
            self._ping_due = self._caller is Format.ANTHROPIC and event.event == "message_start"
            out.append(self._frame(event))
        return "".join(out)

    def close(self) -> str:
        if self._sse:
            return ""
        return "]" if self._items else "[]"

    def malformed(self) -> str:
        """One event whose data is not valid JSON, framed like the others."""
        broken = '{"sandbox_fault":"malformed", "choices": [{"delta": {"content": "'
        name = "content_block_delta" if self._caller is Format.ANTHROPIC else None
        return self._frame(SSEEvent(broken, name))

    def _frame(self, event: SSEEvent) -> str:
        if self._sse:
            return encode_event(event)
        if event.data == "[DONE]":
            return ""
        prefix = "[" if self._items == 0 else ",\r\n"
        self._items += 1
        return prefix + event.data


def edited_json(data: str, edit: Callable[[dict[str, Any]], bool]) -> str:
    """A stream event's JSON object changed in place by `edit` (which says whether it changed
    anything), compact again; `data` itself when it is not a JSON object or nothing changed."""
    try:
        value = json.loads(data)
    except ValueError:
        return data
    if not isinstance(value, dict) or not edit(value):
        return data
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _without_usage(event: SSEEvent) -> SSEEvent | None:
    """An OpenAI chunk without its usage; None for the usage-only chunk (empty `choices`)."""
    if '"usage"' not in event.data:
        return event
    try:
        chunk = json.loads(event.data)
    except ValueError:
        return event
    if not isinstance(chunk, dict) or "usage" not in chunk:
        return event
    if chunk.get("choices") == []:
        return None
    chunk.pop("usage")
    return SSEEvent(json.dumps(chunk, separators=(",", ":"), ensure_ascii=False), event.event, event.id)
