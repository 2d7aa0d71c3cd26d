"""The shape every format adapter has: six entry points between its wire JSON and the IR.

Each adapter module (`openai_chat`, `openai_responses`, `anthropic`, `gemini`) builds one `Adapter`
named `ADAPTER`. Warnings are appended to the list passed in, one plain sentence per field the
target cannot carry, saying what was done with it. Invalid input raises `ProtocolError` with a path.
No I/O; standard library only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from .. import ir
from ..formats import Format
from ..sse import SSEEvent

Warnings = list[str]


class StreamDecoder(Protocol):
    """Wire SSE events of one format in, IR stream events out. One instance per stream."""

    warnings: Warnings

    def feed(self, event: SSEEvent) -> list[ir.StreamEvent]: ...

    def close(self) -> list[ir.StreamEvent]:
        """End of the HTTP body: flush, and synthesise a finish if the format has no terminator."""
        ...


class StreamEncoder(Protocol):
    """IR stream events in, wire SSE events of one format out. One instance per stream."""

    warnings: Warnings

    def encode(self, event: ir.StreamEvent) -> list[SSEEvent]: ...

    def close(self) -> list[SSEEvent]:
        """End of the source stream: close open blocks, emit the terminator ([DONE], message_stop)."""
        ...


@dataclass(frozen=True, slots=True)
class Adapter:
    format: Format
    #: body -> IR. `model` is required for Gemini (its body has none) and overrides the body's.
    request_to_ir: Callable[[dict[str, Any], Warnings, str | None], ir.Request]
    request_from_ir: Callable[[ir.Request, Warnings], dict[str, Any]]
    response_to_ir: Callable[[dict[str, Any], Warnings], ir.Response]
    response_from_ir: Callable[[ir.Response, Warnings], dict[str, Any]]
    stream_decoder: Callable[[], StreamDecoder]
    stream_encoder: Callable[[], StreamEncoder]
