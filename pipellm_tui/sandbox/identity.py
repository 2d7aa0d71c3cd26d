"""Ids and times like the real APIs': prefixed, unique per answer, on a real clock.

Owns the shapes of answer and tool-call ids per upstream format (`chatcmpl-…`, `resp_…`, `msg_01…`,
`toolu_01…`, `call_…`, Gemini's bare response ids) and the creation time of answers. The generator
stays deterministic (same request, same text); what identifies an answer comes from here. With
`SandboxConfig.id_seed` the ids come from a seeded generator, and with `SandboxConfig.clock` the time
is fixed, for tests that need them reproducible. Standard library and protocols only.
"""

from __future__ import annotations

import random
import secrets
import string
import time
from dataclasses import replace
from typing import Any

from ..protocols.formats import Format
from .generator import Generation

_ALNUM = string.ascii_letters + string.digits
#: (answer id prefix, length of the random part, tool-call id prefix), per upstream format.
_SHAPES: dict[Format, tuple[str, int, str]] = {
    Format.OPENAI_CHAT: ("chatcmpl-", 29, "call_"),
    Format.OPENAI_RESPONSES: ("resp_", 48, "call_"),
    Format.ANTHROPIC: ("msg_01", 22, "toolu_01"),
    Format.GEMINI: ("", 22, "call_"),
}


class Identities:
    def __init__(self, id_seed: int | None = None, clock: float | None = None) -> None:
        self._random: random.Random = (
            random.Random(id_seed) if id_seed is not None else secrets.SystemRandom()
        )
        self._clock = clock

    def now(self) -> int:
        return int(self._clock if self._clock is not None else time.time())

    def token(self, length: int) -> str:
        return "".join(self._random.choice(_ALNUM) for _ in range(length))

    def answer_id(self, fmt: Format) -> str:
        prefix, length, _ = _SHAPES[fmt]
        if fmt is Format.OPENAI_RESPONSES:
            return prefix + "".join(self._random.choice("0123456789abcdef") for _ in range(length))
        return prefix + self.token(length)

    def tool_call_id(self, fmt: Format) -> str:
        return _SHAPES[fmt][2] + self.token(24 if fmt is not Format.ANTHROPIC else 22)

    def stamp(self, generation: Generation, fmt: Format) -> None:
        """Give one answer its id, its tool call's id and its time, as `fmt`'s upstream would."""
        generation.id = self.answer_id(fmt)
        generation.created = self.now()
        if generation.tool_call is not None:
            generation.tool_call = replace(generation.tool_call, id=self.tool_call_id(fmt))


#: Formats whose answers say when they were made (`created`, `created_at`).
TIMED_FORMATS = (Format.OPENAI_CHAT, Format.OPENAI_RESPONSES)


def stamp_body_time(body: dict[str, Any], created: int | None) -> dict[str, Any]:
    """A converted OpenAI answer whose upstream said no time gets the answer's time, not 0."""
    for key in ("created", "created_at"):
        if created is not None and body.get(key) == 0:
            body[key] = created
    return body


def stamp_stream_times(event_data: str, created: int) -> str:
    """OpenAI chunks and Responses events say `created`/`created_at`; the encoders write 0 (no clock)."""
    if '"created":0,' in event_data:
        event_data = event_data.replace('"created":0,', f'"created":{created},', 1)
    if '"created_at":0,' in event_data:
        event_data = event_data.replace('"created_at":0,', f'"created_at":{created},', 1)
    return event_data
