"""Conversion between any two formats, always through the IR: `target.from_ir(source.to_ir(x))`.

This is the stable public API of the protocol core (documented in the README). Every entry point
raises `ProtocolError` and nothing else, whatever it is given (`guarded`); stream decoders and
encoders report what they cannot read as warnings instead. No I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import ir
from .adapters import adapter_for
from .adapters.shared.fitting import (
    OPENAI,
    anthropic_tool_name,
    gemini_tool_name,
    openai_tool_name,
    tool_names_sent,
)
from .formats import Format
from .jsontext import loads_bounded
from .problems import ProtocolError, guarded
from .sse import MAX_EVENT, MAX_LINE, SSEEvent, SSELimitExceeded, SSEParser, encode_sse


@dataclass(slots=True)
class Converted:
    payload: dict[str, Any]
    #: The model id. For a Gemini target the payload carries none: the model goes in the URL path.
    model: str | None
    warnings: list[str] = field(default_factory=list)
    #: Tool name sent -> the request's own name, for each name the target refused (OpenAI: over 64
    #: characters). Give it to `convert_response` / `StreamConverter` for the answer to this request.
    tool_names: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class ConvertedStream:
    text: str
    warnings: list[str] = field(default_factory=list)


def load_body(body: dict[str, Any] | str | bytes) -> dict[str, Any]:
    """Accept a parsed body or JSON text; anything else is a ProtocolError that says why."""
    if isinstance(body, (str, bytes, bytearray)):
        body = loads_bounded(body)
    if not isinstance(body, dict):
        raise ProtocolError(f"expected a JSON object, got {type(body).__name__}")
    return body


@guarded("the request")
def request_to_ir(
    body: dict[str, Any] | str | bytes, source: Format | str, warnings: list[str], model: str | None = None
) -> ir.Request:
    return adapter_for(source).request_to_ir(load_body(body), warnings, model)


@guarded("the request")
def convert_request(
    body: dict[str, Any] | str | bytes,
    source: Format | str,
    target: Format | str,
    model: str | None = None,
) -> Converted:
    warnings: list[str] = []
    request = request_to_ir(body, source, warnings, model)
    payload = adapter_for(target).request_from_ir(request, warnings)
    return Converted(payload, request.model, warnings, tool_names_for(request, target))


def tool_names_for(request: ir.Request, target: Format | str) -> dict[str, str]:
    """Tool name the target is sent -> the request's own name, for each name the target refuses."""
    wire_name, same = _WIRE_NAME[Format(target)]
    return tool_names_sent(request, wire_name, same)


#: Each target's name rule, and the formats whose requests keep their names for it (as the adapters do).
_WIRE_NAME = {
    Format.OPENAI_CHAT: (openai_tool_name, OPENAI),
    Format.OPENAI_RESPONSES: (openai_tool_name, OPENAI),
    Format.ANTHROPIC: (anthropic_tool_name, ()),
    Format.GEMINI: (gemini_tool_name, (Format.GEMINI,)),
}


def restore_tool_names(response: ir.Response, tool_names: dict[str, str]) -> None:
    """Give the answer's tool calls the names the request used (see `Converted.tool_names`)."""
    for candidate in response.candidates:
        for part in candidate.parts:
            if type(part) is ir.ToolCallPart and part.name in tool_names:
                part.name = tool_names[part.name]


@guarded("the response")
def convert_response(
    body: dict[str, Any] | str | bytes,
    source: Format | str,
    target: Format | str,
    tool_names: dict[str, str] | None = None,
) -> Converted:
    """`tool_names` is the request's `Converted.tool_names`, when the answer is to a converted request."""
    warnings: list[str] = []
    response = adapter_for(source).response_to_ir(load_body(body), warnings)
    if tool_names:
        restore_tool_names(response, tool_names)
    payload = adapter_for(target).response_from_ir(response, warnings)
    return Converted(payload, response.model, warnings)


class StreamConverter:
    """Incremental stream conversion: SSE events (or raw text chunks) of one format in, the other out.

    Used by the sandbox (upstream stream back to the caller's format) and the client ("view as").
    """

    __slots__ = ("_decoder", "_encoder", "_parser", "_tool_names", "events")

    @guarded("the stream converter")
    def __init__(
        self,
        source: Format | str,
        target: Format | str,
        tool_names: dict[str, str] | None = None,
        *,
        max_line: int | None = MAX_LINE,
        max_event: int | None = MAX_EVENT,
    ) -> None:
        """`tool_names`: the request's `Converted.tool_names`, to give tool calls their names back;
        `max_line`/`max_event` cap the SSE parser of `feed_text` (see `sse.SSEParser`)."""
        self._decoder = adapter_for(source).stream_decoder()
        self._encoder = adapter_for(target).stream_encoder()
        self._parser = SSEParser(max_line, max_event)
        self._tool_names = tool_names or None

    @property
    def warnings(self) -> list[str]:
        seen = dict.fromkeys(self._decoder.warnings + self._encoder.warnings)
        return list(seen)

    def feed_event(self, event: SSEEvent) -> list[SSEEvent]:
        # Not `guarded`: the decoder and the encoder never raise (stream_guard), and this runs per event.
        out: list[SSEEvent] = []
        for neutral in self._decoder.feed(event):
            if self._tool_names is not None and type(neutral) is ir.ToolCallStart:
                neutral.name = self._tool_names.get(neutral.name, neutral.name)
            out.extend(self._encoder.encode(neutral))
        return out

    @guarded("the stream")
    def feed_text(self, chunk: str) -> list[SSEEvent]:
        out: list[SSEEvent] = []
        try:
            events = self._parser.feed(chunk)
        except SSELimitExceeded as exc:  # what arrived whole before the cap still goes out, converted
            for event in exc.events:
                out.extend(self.feed_event(event))
            raise SSELimitExceeded(exc.limit, exc.size, out) from None
        for event in events:
            out.extend(self.feed_event(event))
        return out

    @guarded("the stream")
    def close(self) -> list[SSEEvent]:
        out: list[SSEEvent] = []
        for event in self._parser.close():
            out.extend(self.feed_event(event))
        for neutral in self._decoder.close():
            if self._tool_names is not None and type(neutral) is ir.ToolCallStart:
                neutral.name = self._tool_names.get(neutral.name, neutral.name)
            out.extend(self._encoder.encode(neutral))
        out.extend(self._encoder.close())
        return out


@guarded("the stream")
def convert_sse(
    text: str, source: Format | str, target: Format | str, tool_names: dict[str, str] | None = None
) -> ConvertedStream:
    converter = StreamConverter(source, target, tool_names)
    events = converter.feed_text(text) + converter.close()
    return ConvertedStream(encode_sse(events), converter.warnings)
