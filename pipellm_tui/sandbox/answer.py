"""How the sandbox answers a model request: the caller's body, the simulated upstream, and back.

Owns the conversion pipeline. The family of the model decides the upstream's format
(formats.NATIVE_FORMAT; a native route keeps the caller's own format). When the two differ the
sandbox REALLY converts, with the same protocols/ code the playground uses:

  caller body -> caller adapter -> IR -> upstream adapter -> upstream body   (what "PipeLLM forwards")
  upstream body -> upstream adapter -> IR -> generator                       (the simulated upstream)
  generator events -> upstream encoder / response_from_ir -> upstream answer (what "upstream says")
  upstream answer -> StreamConverter / convert_response -> caller's format   (what the caller gets)

The simulated upstream's answer carries the usage details its real API reports (usage_details.py);
the caller's carries the Responses settings it repeats (responses_echo.py) and log probabilities.

Imports protocols and the sandbox's own generator and catalog only (no starlette).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any

from ..protocols import ir
from ..protocols.adapters import adapter_for
from ..protocols.convert import StreamConverter, convert_response, tool_names_for
from ..protocols.formats import NATIVE_FORMAT, Format
from ..protocols.problems import ProtocolError
from ..protocols.routes import Route
from ..protocols.sse import SSEEvent, encode_event
from . import candidates
from .catalog import CatalogModel
from .generator import Generation
from .identity import TIMED_FORMATS, stamp_body_time, stamp_stream_times
from .logprobs import LogprobRequest, StreamLogprobs
from .responses_echo import apply, apply_to_event
from .usage_details import add_to_body as add_usage_details
from .usage_details import add_to_event as add_usage_details_to_event

#: Streams longer than this are kept only in part in the exchange record.
RECORD_LIMIT = 256 * 1024


@dataclass(slots=True)
class Call:
    route: Route
    caller: Format
    upstream: Format
    model: CatalogModel
    request: ir.Request
    #: What the simulated upstream received, in its own format (the caller's body on a native call).
    upstream_body: dict[str, Any]
    #: What the simulated upstream read from it: the generator's input.
    upstream_request: ir.Request
    stream: bool
    warnings: list[str] = field(default_factory=list)
    #: The settings a Responses answer repeats (responses_echo.py); empty for the other formats.
    repeated: dict[str, Any] = field(default_factory=dict)

    @property
    def converted(self) -> bool:
        return self.caller is not self.upstream


def upstream_format(route: Route, model: CatalogModel) -> Format:
    return route.format if route.format.family is model.family else NATIVE_FORMAT[model.family]


def plan_call(
    route: Route,
    body: dict[str, Any],
    request: ir.Request,
    model: CatalogModel,
    stream: bool,
    warnings: list[str],
) -> Call:
    """Forward the caller's request to the simulated upstream, converting it when the formats differ.

    A converted request that the upstream's own adapter refuses raises ProtocolError with the path
    prefixed by the upstream's format, so the caller's 400 says where the conversion went wrong.
    """
    upstream = upstream_format(route, model)
    if upstream is route.format:
        return Call(route, route.format, upstream, model, request, body, request, stream, warnings)
    request.stream = stream
    upstream_body = adapter_for(upstream).request_from_ir(request, warnings)
    try:
        upstream_request = adapter_for(upstream).request_to_ir(upstream_body, [], model.id)
    except ProtocolError as exc:
        raise ProtocolError(
            f"the request converted to {upstream.label} is not valid there: {exc.message}",
            f"({upstream.value}) {exc.path}".rstrip(),
        ) from None
    upstream_request.stream = stream
    return Call(
        route, route.format, upstream, model, request, upstream_body, upstream_request, stream, warnings
    )


def complete(
    call: Call, generation: Generation, others: list[Generation] | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the caller's non-streaming body, the upstream's native body it was converted from).

    `others`: candidates 2..n (candidates.py), when the request asked for several.
    """
    answer = candidates.response(generation, others or [])
    if call.upstream not in TIMED_FORMATS:
        answer.created = None  # Anthropic and the Gemini API say no time
    if not call.converted:
        body = adapter_for(call.caller).response_from_ir(answer, call.warnings)
        add_usage_details(call.upstream, body)
        apply(body, call.repeated)
        return body, body
    upstream_body = adapter_for(call.upstream).response_from_ir(answer, call.warnings)
    add_usage_details(call.upstream, upstream_body)
    converted = convert_response(
        upstream_body, call.upstream, call.caller, tool_names_for(call.request, call.upstream)
    )
    call.warnings.extend(converted.warnings)
    apply(converted.payload, call.repeated)
    return stamp_body_time(converted.payload, generation.created), upstream_body


class StreamPipeline:
    """Generator events in; the caller's SSE events out, through the upstream's stream if converted."""

    def __init__(
        self, call: Call, created: int | None = None, logprobs: LogprobRequest | None = None
    ) -> None:
        self._call = call
        self._logprobs = StreamLogprobs(logprobs) if logprobs is not None else None
        #: The answer's time, written into OpenAI chunks and Responses events (their encoders say 0).
        self._created = created if call.caller in TIMED_FORMATS else None
        self._encoder = adapter_for(call.upstream).stream_encoder()
        self._converter = (
            StreamConverter(call.upstream, call.caller, tool_names_for(call.request, call.upstream))
            if call.converted
            else None
        )
        self._record: list[str] = []
        self._recorded = 0

    def feed(self, event: ir.StreamEvent) -> list[SSEEvent]:
        return self._onward(self._upstream(self._encoder.encode(event)))

    def close(self) -> list[SSEEvent]:
        out = self._onward(self._upstream(self._encoder.close()))
        if self._converter is not None:
            out.extend(self._converter.close())
            self._call.warnings.extend(self._converter.warnings)
        else:
            self._call.warnings.extend(self._encoder.warnings)
        return out

    def _upstream(self, events: list[SSEEvent]) -> list[SSEEvent]:
        """The simulated upstream's events, with the usage details its real API reports."""
        if self._call.upstream not in (Format.GEMINI, Format.ANTHROPIC):
            return events
        upstream = self._call.upstream
        return [replace(e, data=add_usage_details_to_event(upstream, e.data)) for e in events]

    def _onward(self, upstream_events: list[SSEEvent]) -> list[SSEEvent]:
        for event in upstream_events:
            if self._recorded < RECORD_LIMIT:
                text = encode_event(event)
                self._record.append(text)
                self._recorded += len(text)
        if self._converter is None:
            return self._timed(upstream_events)
        out: list[SSEEvent] = []
        for event in upstream_events:
            out.extend(self._converter.feed_event(event))
        return self._timed(out)

    def _timed(self, events: list[SSEEvent]) -> list[SSEEvent]:
        """The caller's events with the answer's time, the settings a Responses answer repeats, and
        log probabilities when asked for."""
        if self._call.repeated:
            repeated = self._call.repeated
            events = [replace(e, data=apply_to_event(e.data, repeated)) for e in events]
        if self._created is not None:
            created = self._created
            events = [replace(e, data=stamp_stream_times(e.data, created)) for e in events]
        if self._logprobs is not None:
            with_logprobs = self._logprobs
            events = [replace(e, data=with_logprobs.event(e.data)) for e in events]
        return events

    @property
    def upstream_text(self) -> str:
        """The upstream's stream as it went by (cut at RECORD_LIMIT characters)."""
        text = "".join(self._record)
        return text if self._recorded < RECORD_LIMIT else text + "\n: (recording stopped here)\n"


def describe(call: Call, status: int, upstream_answer: Any) -> dict[str, Any]:
    """The exchange record `GET /_sandbox/exchanges/{request_id}` returns."""
    return {
        "route": call.route.kind.value,
        "request_format": call.caller.value,
        "upstream_format": call.upstream.value,
        "model": call.model.id,
        "family": call.model.family.value,
        "converted": call.converted,
        "stream": call.stream,
        "status": status,
        "upstream_request": call.upstream_body,
        "upstream_response": upstream_answer,
        "warnings": list(dict.fromkeys(call.warnings)),
    }


def dumps(body: Any) -> str:
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False)
