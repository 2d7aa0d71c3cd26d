"""Every public entry point of the protocol library raises `ProtocolError` and nothing else (issue 8).

Real payloads (tests/fixtures and ../shared/fixtures) with values replaced by lists, objects, huge
ints, NaN, lone surrogates and 100,000-level nesting, in all 12 directions; streams with broken
events; hostile headers and error bodies. No answer may be an exception of another type, and none
may be the "this is a bug" fallback: that one only exists as defence in depth. Stream decoders and
encoders must not raise at all. PIPELLM_FUZZ_EXAMPLES=10000 runs 10,000 examples per test.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipellm_tui.protocols import (
    ProtocolError,
    StreamConverter,
    convert_request,
    convert_response,
    convert_sse,
    ir,
)
from pipellm_tui.protocols.adapters import adapter_for
from pipellm_tui.protocols.errors import ApiError, parse_error
from pipellm_tui.protocols.formats import Format
from pipellm_tui.protocols.jsontext import loads_bounded
from pipellm_tui.protocols.ratelimits import (
    RateLimits,
    format_duration,
    parse_ratelimits,
    parse_reset,
    retry_after_seconds,
)
from pipellm_tui.protocols.sse import SSEEvent, SSELimitExceeded, SSEParser
from pipellm_tui.protocols.validate import Issue, first_problem, validate_request, validate_response

from .fixture_catalog import fixtures
from .mutation import (
    DEEP_JSON_TEXT,
    DIRECTIONS,
    FORMATS,
    HOSTILE,
    fixture_payloads,
    fixture_streams,
    fuzz_settings,
    mutated,
    mutated_stream,
)

REQUESTS = fixture_payloads("request")
RESPONSES = fixture_payloads("response")
STREAMS = fixture_streams()
BUG = "this is a bug"


def _text(body: Any) -> str:
    try:
        return json.dumps(body)
    except (ValueError, RecursionError):
        return DEEP_JSON_TEXT


def _only_clear_protocol_errors(call: Any, *args: Any) -> Any:
    """Run `call`: a result, or a ProtocolError that is not the "this is a bug" fallback."""
    try:
        return call(*args)
    except ProtocolError as exc:
        assert BUG not in str(exc), str(exc)
        assert str(exc)
        return None


def _no_bug_warnings(warnings: list[str]) -> None:
    assert not [w for w in warnings if BUG in w], warnings


def test_every_format_has_real_payloads_to_mutate() -> None:
    for fmt in FORMATS:
        assert REQUESTS[fmt] and RESPONSES[fmt] and STREAMS[fmt], fmt


@fuzz_settings(150)
@given(data=st.data())
def test_convert_request_raises_only_protocol_error(data: st.DataObject) -> None:
    source, target = data.draw(st.sampled_from(DIRECTIONS))
    body = data.draw(mutated(data.draw(st.sampled_from(REQUESTS[source]))))
    if data.draw(st.booleans()):
        body = _text(body)  # as the editor and the sandbox give it: JSON text
    model = "gemini-2.5-flash" if source == Format.GEMINI else None
    converted = _only_clear_protocol_errors(convert_request, body, source, target, model)
    if converted is not None:
        assert isinstance(converted.payload, dict)
        _no_bug_warnings(converted.warnings)


@fuzz_settings(150)
@given(data=st.data())
def test_convert_response_raises_only_protocol_error(data: st.DataObject) -> None:
    source, target = data.draw(st.sampled_from(DIRECTIONS))
    body = data.draw(mutated(data.draw(st.sampled_from(RESPONSES[source]))))
    if data.draw(st.booleans()):
        body = _text(body)
    converted = _only_clear_protocol_errors(convert_response, body, source, target)
    if converted is not None:
        assert isinstance(converted.payload, dict)
        _no_bug_warnings(converted.warnings)


@fuzz_settings(150)
@given(data=st.data())
def test_stream_conversion_never_raises_and_reports_what_it_skipped(data: st.DataObject) -> None:
    source, target = data.draw(st.sampled_from(DIRECTIONS))
    text = data.draw(mutated_stream(data.draw(st.sampled_from(STREAMS[source]))))
    if data.draw(st.booleans()):
        converted = convert_sse(text, source, target)
        out, warnings = converted.text, converted.warnings
    else:  # incrementally, in pieces, as the sandbox feeds it
        converter = StreamConverter(source, target)
        cuts = sorted(data.draw(st.lists(st.integers(0, len(text)), max_size=6)))
        pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
        events = [e for piece in pieces for e in converter.feed_text(piece)] + converter.close()
        out, warnings = "".join(e.data for e in events), converter.warnings
    assert isinstance(out, str)
    _no_bug_warnings(warnings)


@fuzz_settings(150)
@given(data=st.data())
def test_decoders_used_directly_never_raise(data: st.DataObject) -> None:
    """The client feeds the decoder itself, event by event: nothing a server sends may escape it."""
    fmt = data.draw(st.sampled_from(FORMATS))
    text = data.draw(mutated_stream(data.draw(st.sampled_from(STREAMS[fmt]))))
    decoder = adapter_for(fmt).stream_decoder()
    parser = SSEParser()
    events = parser.feed(text) + parser.close()
    decoded = [e for event in events for e in decoder.feed(event)] + decoder.close()
    assert all(isinstance(e, ir.StreamEvent.__args__) for e in decoded)  # type: ignore[attr-defined]
    _no_bug_warnings(decoder.warnings)


_ir_text = st.one_of(st.text(max_size=5), HOSTILE)
_ir_events = st.one_of(
    st.builds(ir.StreamStart, _ir_text, _ir_text),
    st.builds(ir.TextDelta, _ir_text),
    st.builds(ir.RefusalDelta, _ir_text),
    st.builds(ir.ThinkingDelta, _ir_text, _ir_text),
    st.builds(ir.ToolCallStart, st.one_of(st.integers(0, 3), HOSTILE), _ir_text, _ir_text),
    st.builds(ir.ToolCallDelta, st.one_of(st.integers(0, 3), HOSTILE), _ir_text),
    st.builds(ir.BlockStop),
    st.builds(ir.StreamFinish, st.one_of(st.sampled_from(list(ir.StopReason)), HOSTILE)),
    st.builds(ir.StreamUsage, st.one_of(st.builds(ir.Usage), HOSTILE)),
    st.builds(ir.StreamError, _ir_text, _ir_text),
    HOSTILE,
)


@fuzz_settings(150)
@given(fmt=st.sampled_from(FORMATS), events=st.lists(_ir_events, max_size=8))
def test_encoders_given_ill_typed_events_warn_instead_of_raising(fmt: Format, events: list[Any]) -> None:
    encoder = adapter_for(fmt).stream_encoder()
    out = [e for event in events for e in encoder.encode(event)] + encoder.close()
    assert all(isinstance(e, SSEEvent) for e in out)
    assert all(isinstance(w, str) for w in encoder.warnings)


_chunks = st.lists(
    st.one_of(
        st.text(max_size=40),
        st.sampled_from(
            ["\r", "\n", "\r\n", "data: x", "retry: 99999999999999999999999", "\ufeff", ":", "\ud800"]
        ),
    ),
    max_size=20,
)


@fuzz_settings(300)
@given(
    chunks=_chunks,
    max_line=st.one_of(st.none(), st.integers(1, 50)),
    max_event=st.one_of(st.none(), st.integers(1, 80)),
)
def test_the_sse_parser_raises_only_its_limit_error(
    chunks: list[str], max_line: int | None, max_event: int | None
) -> None:
    parser = SSEParser(max_line=max_line, max_event=max_event)
    try:
        for chunk in chunks:
            parser.feed(chunk)
        parser.close()
    except SSELimitExceeded as exc:
        assert exc.limit in ("max_line", "max_event")
        assert parser.error is exc
        assert parser.feed("data: more\n\n") == [] and parser.close() == []


ERROR_BODIES = [f.path.read_text(encoding="utf-8") for f in fixtures("other") if f.path.suffix == ".json"]
_headers = st.dictionaries(
    st.sampled_from(
        [
            "retry-after",
            "Retry-After-Ms",
            "x-should-retry",
            "x-ratelimit-reset-requests",
            "x-ratelimit-limit-requests",
        ]
    ),
    st.one_of(
        st.text(max_size=70),
        st.sampled_from(
            ["1e999", "nan", "9" * 5000, "Wed, 21 Oct 2015 07:28:00 GMT", "9999-12-31T23:59:59Z", "-1"]
        ),
    ),
)
_status = st.one_of(st.none(), st.integers(-5, 1000), st.sampled_from([10**400, True, 2**63]), HOSTILE)


@fuzz_settings(300)
@given(data=st.data(), status=_status, headers=_headers)
def test_the_error_parser_never_raises(data: st.DataObject, status: Any, headers: dict[str, str]) -> None:
    body: Any = data.draw(st.sampled_from(ERROR_BODIES))
    how = data.draw(st.sampled_from(["mutate", "bytes", "text", "other"]))
    if how == "mutate":
        body = _text(data.draw(mutated(json.loads(body))))
    elif how == "bytes":
        body = data.draw(st.binary(max_size=200))
    elif how == "other":
        body = data.draw(HOSTILE)
    error = parse_error(status, body, headers)
    assert isinstance(error, ApiError)
    assert isinstance(error.message, str) and isinstance(error.advice, str) and isinstance(error.title, str)


_now = st.one_of(st.none(), st.floats(allow_nan=True), st.integers(-(2**70), 2**70), HOSTILE)


@fuzz_settings(300)
@given(headers=st.one_of(_headers, HOSTILE), now=_now, value=st.one_of(st.text(max_size=80), HOSTILE))
def test_the_rate_limit_parser_never_raises(headers: Any, now: Any, value: Any) -> None:
    assert isinstance(parse_ratelimits(headers, now), RateLimits)
    retry = retry_after_seconds(headers, now)
    reset = parse_reset(value, now)
    for seconds in (retry, reset):
        assert (
            seconds is None
            or (isinstance(seconds, float) and math.isfinite(seconds) and seconds >= 0)
            or (isinstance(seconds, int))
        )


@fuzz_settings(300)
@given(
    seconds=st.one_of(
        st.floats(allow_nan=True), st.integers(-(10**500), 10**500), HOSTILE, st.text(max_size=4)
    )
)
def test_format_duration_gives_text_or_a_protocol_error(seconds: Any) -> None:
    try:
        text = format_duration(seconds)
    except ProtocolError as exc:
        assert "number of seconds" in str(exc)
        assert isinstance(seconds, (str, list, dict, bool)) or seconds is None
    else:
        assert text.endswith("s") and len(text) < 40


@fuzz_settings(150)
@given(data=st.data())
def test_validation_never_raises_and_always_names_a_place(data: st.DataObject) -> None:
    fmt = data.draw(st.sampled_from(FORMATS))
    body = data.draw(mutated(data.draw(st.sampled_from(REQUESTS[fmt] + RESPONSES[fmt]))))
    problem = first_problem(fmt, _text(body))
    assert problem is None or (isinstance(problem, Issue) and problem.message and BUG not in problem.message)
    for issues in (validate_request(fmt, body), validate_response(fmt, body)):
        assert all(isinstance(i, Issue) and i.message and BUG not in i.message for i in issues)


@fuzz_settings(300)
@given(
    text=st.one_of(
        st.text(max_size=60), st.binary(max_size=60), HOSTILE, st.sampled_from([DEEP_JSON_TEXT, "1" * 5000])
    )
)
def test_loads_bounded_gives_a_value_or_a_protocol_error(text: Any) -> None:
    try:
        loads_bounded(text)
    except ProtocolError as exc:
        assert str(exc)


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_formats_are_protocol_errors(fmt: Format) -> None:
    for bad in ("openai", [], None):
        with pytest.raises(ProtocolError, match="unknown format"):
            convert_request({}, bad, fmt)  # type: ignore[arg-type]
        with pytest.raises(ProtocolError, match="unknown format"):
            convert_sse("", fmt, bad)  # type: ignore[arg-type]
        assert validate_request(bad, {}) == [Issue("", f"Unknown format {str(bad)!r}")]  # type: ignore[arg-type]
