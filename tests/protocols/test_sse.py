"""The SSE codec: real streams, every line ending, comments, multi-line data, and any chunking."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipellm_tui.protocols import ProtocolError
from pipellm_tui.protocols.sse import (
    MAX_EVENT,
    MAX_LINE,
    SSEEvent,
    SSELimitExceeded,
    SSEParser,
    encode_event,
    encode_sse,
    parse_sse,
)

from ..conftest import SHARED_FIXTURES, shared_path

SSE_FIXTURES = sorted(SHARED_FIXTURES.glob("*/*.sse"))


def feed_in_pieces(text: str, cuts: list[int]) -> list[SSEEvent]:
    parser = SSEParser()
    events: list[SSEEvent] = []
    start = 0
    for cut in sorted(set(cuts)):
        events += parser.feed(text[start:cut])
        start = cut
    events += parser.feed(text[start:])
    return events + parser.close()


def reference_parse(text: str) -> list[SSEEvent]:
    """A deliberately plain second reading of the WHATWG rules, to judge the incremental parser by."""
    text = text.removeprefix("\ufeff")
    events: list[SSEEvent] = []
    data: list[str] = []
    event: str | None = None
    last_id: str | None = None
    retry: int | None = None
    for line in re.split(r"\r\n|\r|\n", text) + [""]:
        if line == "":
            if data:
                events.append(SSEEvent("\n".join(data), event, last_id, retry))
                retry = None
            # A `retry` in a block without data is stream state: it rides on the next event.
            data, event = [], None
            continue
        if line.startswith(":"):
            continue
        if ":" in line:
            name, value = line.split(":", 1)
            value = value.removeprefix(" ")
        else:
            name, value = line, ""
        if name == "data":
            data.append(value)
        elif name == "event":
            event = value or None
        elif name == "id" and "\0" not in value:
            last_id = value
        elif name == "retry" and re.fullmatch(r"[0-9]+", value):
            retry = int(value)
    return events


# ---------------------------------------------------------------- real streams


def test_real_fixtures_are_present() -> None:
    shared_path()
    assert len(SSE_FIXTURES) >= 15, f"expected the shared .sse fixtures under {SHARED_FIXTURES}"


@pytest.mark.parametrize("path", SSE_FIXTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_real_stream_parses(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    events = parse_sse(text)
    # Every event of these streams has exactly one data line.
    assert len(events) == len(re.findall(r"^data:", text, re.MULTILINE))
    for event in events:
        if event.data == "[DONE]":
            assert path.parent.name == "openai_chat" and event is events[-1]
            continue
        payload = json.loads(event.data)  # Anthropic pads with trailing spaces: still JSON
        if event.event is not None:
            assert payload["type"] == event.event, (event.event, payload.get("type"))
    assert events == reference_parse(text)
    # The same stream with other line endings and cut into single characters reads the same.
    lf = re.sub(r"\r\n|\r", "\n", text)
    for variant in (lf, lf.replace("\n", "\r\n"), lf.replace("\n", "\r")):
        assert parse_sse(variant) == events
    assert feed_in_pieces(text, list(range(len(text)))) == events


def test_anthropic_stream_names_and_ping() -> None:
    text = shared_path("anthropic/sdkfixture_stream_basic.sse").read_text()
    names = [e.event for e in parse_sse(text)]
    assert names[:3] == ["message_start", "content_block_start", "ping"]
    assert names[-1] == "message_stop"


# ---------------------------------------------------------------- the rules one by one


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_endings(newline: str) -> None:
    text = newline.join(["event: a", "data: 1", "", "data: 2", "", ""])
    assert parse_sse(text) == [SSEEvent("1", "a"), SSEEvent("2")]


def test_comments_multiline_data_and_field_forms() -> None:
    text = ": keep-alive\n:\ndata: first\ndata:second\ndata\ndata:  two spaces\nunknown: ignored\n\n"
    assert parse_sse(text) == [SSEEvent("first\nsecond\n\n two spaces")]


def test_named_events_id_and_retry() -> None:
    text = (
        "id: 7\nretry: 1500\nevent: ping\ndata: {}\n\ndata: next\n\nid\ndata: x\n\nretry: soon\ndata: y\n\n"
    )
    assert parse_sse(text) == [
        SSEEvent("{}", "ping", "7", 1500),
        SSEEvent("next", None, "7", None),  # the last event id carries over, the event name does not
        SSEEvent("x", None, "", None),  # a bare `id` resets it
        SSEEvent("y", None, "", None),  # an invalid retry is ignored
    ]
    assert parse_sse("retry: ²\ndata: x\n\n") == [SSEEvent("x")]
    assert parse_sse("id: a\0b\ndata: x\n\n") == [SSEEvent("x")]
    # A server's opening `retry: 3000` block has no data; its value arrives with the next event.
    assert parse_sse("retry: 3000\n\ndata: x\n\ndata: y\n\n") == [SSEEvent("x", retry=3000), SSEEvent("y")]


def test_events_without_data_are_not_dispatched() -> None:
    assert parse_sse("event: lonely\n\n: comment\n\nid: 3\n\n") == []
    assert parse_sse("data:\n\n") == [SSEEvent("")]


def test_end_of_stream_delivers_the_last_event() -> None:
    assert parse_sse("data: [DONE]") == [SSEEvent("[DONE]")]
    assert parse_sse("data: a\n") == [SSEEvent("a")]
    parser = SSEParser()
    assert parser.feed("data: a\n") == []
    assert parser.close() == [SSEEvent("a")]


def test_crlf_split_across_chunks_and_empty_chunks() -> None:
    parser = SSEParser()
    out = parser.feed("data: a\r") + parser.feed("") + parser.feed("\ndata: b\r") + parser.feed("\n\r\n")
    assert out == [SSEEvent("a\nb")]
    assert feed_in_pieces("data: x\r\n\r\n", [8, 9]) == [SSEEvent("x")]


def test_byte_order_mark_at_start_only() -> None:
    assert parse_sse("\ufeffdata: x\n\n") == [SSEEvent("x")]
    assert feed_in_pieces("\ufeffdata: x\n\n", [1]) == [SSEEvent("x")]
    assert parse_sse("data: \ufeffx\n\n") == [SSEEvent("\ufeffx")]


def test_encode() -> None:
    event = SSEEvent('{"a": 1}\n{"b": 2}', "message_delta", "9", 100)
    assert (
        encode_event(event) == 'event: message_delta\nid: 9\nretry: 100\ndata: {"a": 1}\ndata: {"b": 2}\n\n'
    )
    assert encode_sse([SSEEvent("[DONE]")]) == "data: [DONE]\n\n"
    # A CR inside data cannot travel as such; it arrives as the line break it means.
    assert parse_sse(encode_event(SSEEvent("a\r\nb\rc"))) == [SSEEvent("a\nb\nc")]


# ---------------------------------------------------------------- properties

_text = st.text(st.characters(blacklist_characters="\r\n", blacklist_categories=("Cs",)), max_size=12)
_line = st.one_of(
    _text.map(lambda t: f"data: {t}"),
    _text.map(lambda t: f"data:{t}"),
    st.just("data"),
    st.sampled_from(["event: message_start", "event: ping", "event:", "event: response.completed"]),
    _text.map(lambda t: f"id: {t}"),
    st.integers(0, 10**6).map(lambda n: f"retry: {n}"),
    _text.map(lambda t: f"retry: {t}"),
    _text.map(lambda t: f":{t}"),
    _text.map(lambda t: f"x-{t}"),
    st.just(""),
    st.just(""),
)
_stream = st.lists(st.tuples(_line, st.sampled_from(["\n", "\r\n", "\r"])), max_size=25).map(
    lambda lines: "".join(line + end for line, end in lines)
)


def test_a_crlf_split_with_its_lf_alone_in_a_chunk_swallows_one_lf_only() -> None:
    # Found by the property below: "\r" | "\n" | "\n": the LF alone in its chunk ended the CRLF but
    # the parser kept waiting for one, and swallowed the blank line that ends the event.
    assert feed_in_pieces("data: a\r\n\ndata: b\n\n", [8, 9]) == parse_sse("data: a\r\n\ndata: b\n\n")
    assert [e.data for e in feed_in_pieces("data: a\r\n\n", [8, 9])] == ["a"]


@settings(max_examples=200, deadline=None)
@given(text=_stream, data=st.data())
def test_any_chunking_gives_the_same_events(text: str, data: st.DataObject) -> None:
    cuts = data.draw(st.lists(st.integers(0, len(text)), max_size=12))
    # Cut between every CR and LF too: the hardest place for a chunk boundary.
    crlf_cuts = [m.start() + 1 for m in re.finditer("\r\n", text)]
    whole = parse_sse(text)
    assert feed_in_pieces(text, cuts) == whole
    assert feed_in_pieces(text, crlf_cuts) == whole
    assert whole == reference_parse(text)


_event_name = st.one_of(
    st.none(),
    st.text(
        st.characters(blacklist_characters="\r\n\0", blacklist_categories=("Cs",)), min_size=1, max_size=10
    ),
)
_events = st.lists(
    st.builds(
        SSEEvent,
        data=st.text(st.characters(blacklist_characters="\r", blacklist_categories=("Cs",)), max_size=30),
        event=_event_name,
        id=st.one_of(
            st.none(),
            st.text(st.characters(blacklist_characters="\r\n\0", blacklist_categories=("Cs",)), max_size=8),
        ),
        retry=st.one_of(st.none(), st.integers(0, 10**9)),
    ),
    max_size=10,
)


@settings(max_examples=200, deadline=None)
@given(_events)
def test_encode_then_parse_round_trips(events: list[SSEEvent]) -> None:
    # The last event id is stream state: an event without one arrives with the previous one's.
    expected = []
    last_id: str | None = None
    for e in events:
        last_id = e.id if e.id is not None else last_id
        expected.append(SSEEvent(e.data, e.event, last_id, e.retry))
    assert parse_sse(encode_sse(events)) == expected


# ---------------------------------------------------------------------------- caps (issue 8)


def test_a_line_past_the_cap_ends_the_stream_with_a_clear_error_and_keeps_what_came_before() -> None:
    parser = SSEParser(max_line=100)
    first = parser.feed("data: one\n\n")
    with pytest.raises(SSELimitExceeded) as caught:
        parser.feed("data: two\n\ndata: " + "x" * 200 + "\n\ndata: three\n\n")
    error = caught.value
    assert first == [SSEEvent("one")]
    assert error.events == [SSEEvent("two")]  # completed in the same chunk, before the long line
    assert (error.limit, error.size) == ("max_line", 100)
    assert "longer than 100 characters (max_line)" in str(error)
    assert isinstance(error, ProtocolError)
    assert parser.error is error
    assert parser.feed("data: later\n\n") == [] and parser.close() == []  # spent, quietly


def test_an_endless_line_in_small_chunks_is_cut_off_at_the_cap() -> None:
    parser = SSEParser(max_line=1000)
    assert parser.feed("data: ok\n\ndata: ") == [SSEEvent("ok")]
    fed = 0
    with pytest.raises(SSELimitExceeded) as caught:
        for _ in range(10_000):
            parser.feed("y" * 64)
            fed += 64
    assert caught.value.limit == "max_line"
    assert 1000 - 64 <= fed <= 1000  # stopped as soon as the line passed the cap, not later
    assert caught.value.events == []


def test_an_event_past_the_cap_is_refused_even_when_every_line_is_short() -> None:
    parser = SSEParser(max_line=100, max_event=1000)
    with pytest.raises(SSELimitExceeded) as caught:
        parser.feed("data: fine\n\n" + "data: 0123456789\n" * 200 + "\n")
    assert (caught.value.limit, caught.value.events) == ("max_event", [SSEEvent("fine")])
    assert "SSE event longer than 1,000 characters (max_event)" in str(caught.value)


def test_the_caps_have_documented_defaults_and_can_be_lifted() -> None:
    assert (SSEParser().max_line, SSEParser().max_event) == (MAX_LINE, MAX_EVENT) == (16 * 2**20, 32 * 2**20)
    parser = SSEParser(max_line=None, max_event=None)
    big = "z" * 300_000
    events = parser.feed("data: " + big[:100_000]) + parser.feed(big[100_000:]) + parser.feed("\n\n")
    assert events == [SSEEvent(big)]


def test_a_retry_of_thousands_of_digits_is_ignored_not_an_exception() -> None:
    assert parse_sse("retry: " + "9" * 5000 + "\ndata: x\n\n") == [SSEEvent("x")]
