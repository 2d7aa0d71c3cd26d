"""How each format says "the answer is complete" on the wire, for the reader's terminator check.

No I/O. Must not import Textual or httpx2.
"""

from __future__ import annotations

from collections.abc import Callable

from ..protocols.formats import Format
from ..protocols.sse import SSEEvent

_RESPONSES_TERMINAL = frozenset({"response.completed", "response.failed", "response.incomplete", "error"})


def _openai_chat_done(event: SSEEvent) -> bool:
    return event.data == "[DONE]"


def _anthropic_done(event: SSEEvent) -> bool:
    if event.event is not None:
        return event.event in ("message_stop", "error")
    return '"message_stop"' in event.data  # servers that omit `event:` lines


def _responses_done(event: SSEEvent) -> bool:
    if event.event is not None:
        return event.event in _RESPONSES_TERMINAL
    return any(f'"{name}"' in event.data for name in _RESPONSES_TERMINAL)


#: How each format says "the answer is complete" on the wire, and the name to show when it is
#: missing. Gemini has none: its stream simply ends, so a cut shows only as a broken chunked body
#: (a transport error) or as a stream that never reported a finish reason.
TERMINATORS: dict[Format, tuple[Callable[[SSEEvent], bool], str] | None] = {
    Format.OPENAI_CHAT: (_openai_chat_done, "data: [DONE]"),
    Format.ANTHROPIC: (_anthropic_done, "the message_stop event"),
    Format.OPENAI_RESPONSES: (_responses_done, "response.completed (or another terminal event)"),
    Format.GEMINI: None,
}
