"""A stream through one format's adapter, the way every format's tests run one: a fresh decoder over
SSE events (or SSE text), a fresh encoder over IR events, each returned with its warnings."""

from __future__ import annotations

from collections.abc import Iterable

from pipellm_tui.protocols import ir
from pipellm_tui.protocols.adapters import Adapter
from pipellm_tui.protocols.sse import SSEEvent, parse_sse


def decode_events(adapter: Adapter, events: Iterable[SSEEvent]) -> tuple[list[ir.StreamEvent], list[str]]:
    decoder = adapter.stream_decoder()
    out = [neutral for event in events for neutral in decoder.feed(event)]
    return out + decoder.close(), decoder.warnings


def decode_text(adapter: Adapter, text: str) -> tuple[list[ir.StreamEvent], list[str]]:
    return decode_events(adapter, parse_sse(text))


def encode_events(adapter: Adapter, events: Iterable[ir.StreamEvent]) -> tuple[list[SSEEvent], list[str]]:
    encoder = adapter.stream_encoder()
    out = [wire for event in events for wire in encoder.encode(event)]
    return out + encoder.close(), encoder.warnings
