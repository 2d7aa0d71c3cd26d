"""The Gemini adapter against every real and own Gemini fixture, with the values each one must give.

Requests: messages, tool calls (synthesised ids matched by name and order), tool results, system,
tools, tool choice and settings. Responses: text, tool calls, stop reason (tool use inferred from
STOP + functionCall), inclusive usage. Streams: joined text, tool-call arguments, finish and usage,
and re-encoding the IR events gives a stream that decodes to the same events. Every from_ir payload
validates against `schemas/gemini.py`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pipellm_tui.protocols import ir
from pipellm_tui.protocols.schemas import gemini as schema
from pipellm_tui.protocols.sse import parse_sse

from .expectations import ERROR_BODIES, REQUESTS, RESPONSES
from .facts import ADAPTER, OWN_DIR, conversation, decode, reencode, sse_text, stream_facts, usage_facts
from .stream_expectations import STREAMS


def _path(origin: str, name: str, shared_fixtures: Path) -> Path:
    if origin == "own":
        return OWN_DIR / name
    folder = shared_fixtures / "gemini"
    return folder / name


def _params(table: dict[str, Any]) -> list[Any]:
    return [pytest.param(origin, name, id=f"{origin}:{name}") for name, (origin, *_rest) in table.items()]


def _text_matches(actual: str, expected: str) -> bool:
    return actual.startswith(expected[:-1]) if expected.endswith("…") else actual == expected


# ---------------------------------------------------------------------------- coverage


def test_every_fixture_has_expectations(shared_fixtures: Path) -> None:
    own = {p.name for p in OWN_DIR.iterdir() if p.name != "README.md"}
    assert own == {n for n, v in {**REQUESTS, **RESPONSES, **STREAMS}.items() if v[0] == "own"}
    assert len(own) >= 5
    folder = shared_fixtures / "gemini"
    shared = {p.name for p in folder.iterdir()}
    expected = {n for n, v in {**REQUESTS, **RESPONSES, **STREAMS}.items() if v[0] == "shared"} | set(
        ERROR_BODIES
    )
    assert shared == expected


# ---------------------------------------------------------------------------- requests


@pytest.mark.parametrize(("origin", "name"), _params(REQUESTS))
def test_request_fixture_to_ir(origin: str, name: str, shared_fixtures: Path) -> None:
    body = json.loads(_path(origin, name, shared_fixtures).read_text(encoding="utf-8"))
    assert schema.Request.model_validate(body)
    _, facts, attributes = REQUESTS[name]
    warnings: list[str] = []
    request = ADAPTER.request_to_ir(body, warnings, "gemini-2.5-flash")
    assert request.model == "gemini-2.5-flash"
    actual = conversation(request)
    for key, value in facts.items():
        assert actual[key] == value, key
    for key, value in attributes.items():
        assert getattr(request, key) == value, key
    if "extras" not in attributes:
        assert request.extras == {}


@pytest.mark.parametrize(("origin", "name"), _params(REQUESTS))
def test_request_fixture_from_ir_validates_and_reads_back(
    origin: str, name: str, shared_fixtures: Path
) -> None:
    body = json.loads(_path(origin, name, shared_fixtures).read_text(encoding="utf-8"))
    request = ADAPTER.request_to_ir(body, [], None)
    warnings: list[str] = []
    payload = ADAPTER.request_from_ir(request, warnings)
    assert "model" not in payload
    schema.Request.model_validate(payload)
    json.dumps(payload)  # plain JSON, no IR objects left inside
    back = ADAPTER.request_to_ir(payload, [], None)
    assert conversation(back) == conversation(request)
    assert back.extras == request.extras
    assert (back.tool_choice, back.thinking, back.response_format) == (
        request.tool_choice,
        request.thinking,
        request.response_format,
    )
    assert [t.parameters for t in back.tools] == [t.parameters for t in request.tools]


def test_legacy_schemas_become_json_schema() -> None:
    body = json.loads((OWN_DIR / "multi_turn_tools.request.json").read_text(encoding="utf-8"))
    request = ADAPTER.request_to_ir(body, [], None)
    assert request.tools[1].parameters == {
        "type": "object",
        "properties": {"city": {"type": "string"}, "format": {"type": ["string", "null"]}},
        "required": ["city"],
    }
    payload = ADAPTER.request_from_ir(request, [])
    declaration = payload["tools"][0]["functionDeclarations"][1]
    assert (
        "parameters" not in declaration and declaration["parametersJsonSchema"] == request.tools[1].parameters
    )
    assert payload["tools"][1] == {"googleSearch": {}}
    assert payload["generationConfig"]["presencePenalty"] == 0.2
    assert payload["generationConfig"]["responseJsonSchema"]["required"] == ["answer"]
    assert payload["safetySettings"][0]["threshold"] == "BLOCK_ONLY_HIGH"
    assert payload["cachedContent"] == "cachedContents/own-fixture-cache"


# ---------------------------------------------------------------------------- responses


@pytest.mark.parametrize(("origin", "name"), _params(RESPONSES))
def test_response_fixture_to_ir(origin: str, name: str, shared_fixtures: Path) -> None:
    body = json.loads(_path(origin, name, shared_fixtures).read_text(encoding="utf-8"))
    schema.Response.model_validate(body)
    _, text, calls, stop, usage, thinking = RESPONSES[name]
    warnings: list[str] = []
    response = ADAPTER.response_to_ir(body, warnings)
    assert _text_matches(response.text, text), response.text
    assert [(p.id, p.name, p.arguments) for p in response.parts if isinstance(p, ir.ToolCallPart)] == calls
    assert response.stop_reason is stop
    assert usage_facts(response.usage) == usage
    thoughts = "".join(p.text for p in response.parts if isinstance(p, ir.ThinkingPart))
    assert thoughts.startswith(thinking) and bool(thoughts) == bool(thinking)
    for key in ("safetyRatings", "finishMessage", "avgLogprobs", "citationMetadata"):
        if any(key in c for c in body.get("candidates", [])):
            assert any(key in w for w in warnings), f"{key} dropped without a warning"


@pytest.mark.parametrize(("origin", "name"), _params(RESPONSES))
def test_response_fixture_from_ir_validates_and_reads_back(
    origin: str, name: str, shared_fixtures: Path
) -> None:
    body = json.loads(_path(origin, name, shared_fixtures).read_text(encoding="utf-8"))
    response = ADAPTER.response_to_ir(body, [])
    payload = ADAPTER.response_from_ir(response, [])
    schema.Response.model_validate(payload)
    back = ADAPTER.response_to_ir(payload, [])
    assert [c.parts for c in back.candidates] == [c.parts for c in response.candidates]
    assert [c.stop_reason for c in back.candidates] == [c.stop_reason for c in response.candidates]
    assert back.usage == response.usage
    assert back.model == response.model
    if response.id is not None:
        assert back.id == response.id


def test_second_candidate_and_recitation() -> None:
    body = json.loads((OWN_DIR / "two_candidates_recitation.response.json").read_text(encoding="utf-8"))
    response = ADAPTER.response_to_ir(body, [])
    assert len(response.candidates) == 2
    assert response.candidates[1].stop_reason is ir.StopReason.CONTENT_FILTER
    assert response.candidates[1].parts == [ir.TextPart("Shall I compare thee")]
    assert (response.id, response.model) == ("OwnFixtureTwoCandidates", "gemini-2.0-flash")


def test_error_bodies_are_not_responses(shared_fixtures: Path) -> None:
    for name in ERROR_BODIES:
        body = json.loads(_path("shared", name, shared_fixtures).read_text(encoding="utf-8"))
        with pytest.raises(ValueError) as caught:
            ADAPTER.response_to_ir(body, [])
        assert caught.value.path in ("error", "candidates")  # type: ignore[attr-defined]
        if "error" in body:
            schema.ErrorBody.model_validate(body)


# ---------------------------------------------------------------------------- streams


@pytest.mark.parametrize(("origin", "name"), _params(STREAMS))
def test_stream_fixture_decodes(origin: str, name: str, shared_fixtures: Path) -> None:
    text = sse_text(_path(origin, name, shared_fixtures))
    for event in parse_sse(text):
        chunk = json.loads(event.data)
        (schema.ErrorBody if "error" in chunk else schema.StreamChunk).model_validate(chunk)
    _, expected_text, thinking, calls, stop, usage, start, error = STREAMS[name]
    events, _ = decode(text)
    facts = stream_facts(events)
    assert isinstance(events[0], ir.StreamStart)
    assert _text_matches(facts.text, expected_text), facts.text
    assert facts.thinking == thinking
    assert facts.calls == calls
    assert facts.stop is stop
    assert facts.usage == usage
    assert facts.start == start
    assert facts.error == error
    if stop is not None:
        assert isinstance(events[-1], ir.StreamFinish)


@pytest.mark.parametrize(("origin", "name"), _params(STREAMS))
def test_stream_fixture_reencodes_to_the_same_events(origin: str, name: str, shared_fixtures: Path) -> None:
    events, _ = decode(sse_text(_path(origin, name, shared_fixtures)))
    text = reencode(events)
    for event in parse_sse(text):
        assert event.event is None  # Gemini streams have no event names
        chunk = json.loads(event.data)
        (schema.ErrorBody if "error" in chunk else schema.StreamChunk).model_validate(chunk)
    again, _ = decode(text)
    start = events[0]
    assert isinstance(start, ir.StreamStart) and isinstance(again[0], ir.StreamStart)
    if start.id is None:  # the encoder must name the stream; the name is its own
        assert again[0].id and again[0].model == start.model
        again = again[1:]
        events = events[1:]
    assert again == events


def test_stream_signatures_survive() -> None:
    for name, count in (("parallel_tools.sse", 1), ("thinking_text.sse", 1)):
        events, _ = decode(sse_text(OWN_DIR / name))
        assert stream_facts(events).signatures == count
        assert stream_facts(decode(reencode(events))[0]).signatures == count
