"""The OpenAI Responses adapter on real payloads: the shared fixtures (the official API reference and
the openai-python recordings) and our own, hand-written in the same shapes.

Each request, response and stream is read into the neutral form and the facts are checked (text,
tool calls with ids and arguments, stop reason, usage); what the adapter writes back validates
against the pydantic schema of the format and reads back to the same neutral form; streams re-encode
to streams that decode to the same events. Round-trip properties and bad input: see
`test_openai_responses_properties.py`; the official SDK as a client: `test_openai_responses_sdk.py`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter

from pipellm_tui.protocols import Format, ir
from pipellm_tui.protocols.adapters import adapter_for
from pipellm_tui.protocols.schemas.openai_responses import Request, Response
from pipellm_tui.protocols.schemas.openai_responses_stream import StreamChunk
from pipellm_tui.protocols.sse import SSEEvent, encode_sse, parse_sse

from .facts import (
    OWN_REQUESTS,
    OWN_RESPONSES,
    OWN_STREAMS,
    SHARED_EVENTS,
    SHARED_REQUESTS,
    SHARED_RESPONSES,
    SHARED_STREAMS,
)
from .support import decode, encode_events, stream_facts

ADAPTER = adapter_for(Format.OPENAI_RESPONSES)
DIRECTORY = "openai_responses"
CHUNK = TypeAdapter(StreamChunk)

# ---------------------------------------------------------------------------- requests


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def shared_path(shared_fixtures: Path, name: str) -> Path:
    folder = shared_fixtures / DIRECTORY
    return folder / name


def check_request(body: dict[str, Any], facts: dict[str, Any]) -> ir.Request:
    warnings: list[str] = []
    req = ADAPTER.request_to_ir(body, warnings, None)
    assert req.model == facts["model"]
    assert [p.text for p in req.system] == facts["system"]
    texts = [(m.role, "".join(p.text for p in m.parts if isinstance(p, ir.TextPart))) for m in req.messages]
    assert texts == facts["messages"]
    parts = [p for m in req.messages for p in m.parts]
    calls = [(p.id, p.name, p.arguments) for p in parts if isinstance(p, ir.ToolCallPart)]
    assert calls == facts.get("calls", [])
    results = [(p.tool_call_id, p.name, p.content[0].text) for p in parts if isinstance(p, ir.ToolResultPart)]
    assert results == facts.get("results", [])
    images = [p.url or f"data:{p.media_type}" for p in parts if isinstance(p, ir.ImagePart)]
    if "images" in facts:
        assert images == facts["images"]
    thoughts = [(p.text, p.signature) for p in parts if isinstance(p, ir.ThinkingPart)]
    assert thoughts == facts.get("thinking_parts", [])
    assert [t.name for t in req.tools] == facts.get("tools", [])
    assert req.tool_choice == facts.get("tool_choice")
    assert req.thinking == facts.get("thinking")
    assert req.stream is facts.get("stream", False)
    for name, value in facts.get("settings", {}).items():
        assert getattr(req, name) == value
    if "format" in facts:
        fmt = req.response_format
        assert fmt is not None
        assert (fmt.kind.value, fmt.name, fmt.strict) == facts["format"]
    if "extras" in facts:
        assert req.extras == facts["extras"]
    if "extras_keys" in facts:
        assert set(req.extras) == facts["extras_keys"]
    for word in facts.get("warned", []):
        assert any(word in w for w in warnings), f"no warning names {word}: {warnings}"
    assert req.extras_format is Format.OPENAI_RESPONSES
    return req


def check_request_round_trip(req: ir.Request) -> None:
    warnings: list[str] = []
    body = ADAPTER.request_from_ir(req, warnings)
    Request.model_validate(body)
    again = ADAPTER.request_to_ir(json.loads(json.dumps(body)), [], None)
    assert again == req
    assert ADAPTER.request_from_ir(again, []) == body  # deterministic, and stable once normalised


@pytest.mark.parametrize("name", sorted(SHARED_REQUESTS))
def test_shared_requests(shared_fixtures: Path, name: str) -> None:
    body = _load(shared_path(shared_fixtures, name))
    Request.model_validate(body)
    check_request_round_trip(check_request(body, SHARED_REQUESTS[name]))


@pytest.mark.parametrize("name", sorted(OWN_REQUESTS))
def test_own_requests(own_fixtures: Path, name: str) -> None:
    body = _load(own_fixtures / DIRECTORY / name)
    Request.model_validate(body)
    check_request_round_trip(check_request(body, OWN_REQUESTS[name]))


# ---------------------------------------------------------------------------- responses
# Response facts: text, refusal, thinking (text, signature), calls, stop reason, usage as
# (input, output, cache read, cache write, reasoning).


def _usage_tuple(usage: ir.Usage | None) -> tuple[int, ...] | None:
    if usage is None:
        return None
    return (
        usage.input_tokens,
        usage.output_tokens,
        usage.cache_read_tokens,
        usage.cache_write_tokens,
        usage.reasoning_tokens,
    )


def check_response(body: dict[str, Any], facts: dict[str, Any]) -> ir.Response:
    resp = ADAPTER.response_to_ir(body, [])
    assert resp.id == facts.get("id", body["id"])
    assert resp.model == facts["model"]
    assert resp.created == body["created_at"]
    assert len(resp.candidates) == 1
    assert resp.text.startswith(facts.get("text_start", ""))
    if "text_start" not in facts:
        assert resp.text == ""
    parts = resp.parts
    assert "".join(p.text for p in parts if isinstance(p, ir.RefusalPart)) == facts.get("refusal", "")
    assert [(p.text, p.signature) for p in parts if isinstance(p, ir.ThinkingPart)] == facts.get(
        "thinking", []
    )
    assert [(p.id, p.name, p.arguments) for p in parts if isinstance(p, ir.ToolCallPart)] == facts.get(
        "calls", []
    )
    assert resp.stop_reason is facts["stop"]
    assert _usage_tuple(resp.usage) == facts["usage"]
    return resp


def check_response_round_trip(resp: ir.Response) -> None:
    from openai.types.responses import Response as SdkResponse

    body = ADAPTER.response_from_ir(resp, [])
    Response.model_validate(body)
    sdk = SdkResponse.model_validate(body)  # the official SDK's model: every field it requires is there
    assert sdk.output_text == resp.text
    assert ADAPTER.response_to_ir(json.loads(json.dumps(body)), []) == resp


@pytest.mark.parametrize("name", sorted(SHARED_RESPONSES))
def test_shared_responses(shared_fixtures: Path, name: str) -> None:
    body = _load(shared_path(shared_fixtures, name))
    Response.model_validate(body)
    check_response_round_trip(check_response(body, SHARED_RESPONSES[name]))


@pytest.mark.parametrize("name", sorted(OWN_RESPONSES))
def test_own_responses(own_fixtures: Path, name: str) -> None:
    body = _load(own_fixtures / DIRECTORY / name)
    Response.model_validate(body)
    check_response_round_trip(check_response(body, OWN_RESPONSES[name]))


# ---------------------------------------------------------------------------- streams


def check_stream(text: str, facts: dict[str, Any]) -> list[ir.StreamEvent]:
    events, warnings = decode(text)
    got = stream_facts(events)
    assert got.start is not None and isinstance(events[0], ir.StreamStart)
    assert (got.start.id, got.start.model) == (facts["id"], facts["model"])
    assert got.text == facts.get("text", "")
    assert got.refusal == facts.get("refusal", "")
    assert got.thinking == facts.get("thinking", "")
    assert got.signatures == facts.get("signatures", [])
    assert got.calls == facts.get("calls", [])
    assert got.finish is facts.get("finish")
    assert _usage_tuple(got.usage) == facts.get("usage")
    assert got.errors == facts.get("errors", [])
    assert got.blocks == facts.get("blocks", 0)
    assert warnings == []
    return events


def check_stream_reencodes(events: list[ir.StreamEvent]) -> None:
    """Encoding the decoded events gives a valid stream that decodes to the very same events."""
    from openai.types.responses import ResponseStreamEvent

    sdk_event = TypeAdapter(ResponseStreamEvent)
    wire, warnings = encode_events(events)
    assert warnings == []
    for number, event in enumerate(wire):
        data = json.loads(event.data)
        assert data["sequence_number"] == number
        assert event.event == data["type"]
        CHUNK.validate_python(data)
        sdk_event.validate_python(data)
    again, _ = decode(encode_sse(wire))
    assert again == events


@pytest.mark.parametrize("name", sorted(SHARED_STREAMS))
def test_shared_streams(shared_fixtures: Path, name: str) -> None:
    text = shared_path(shared_fixtures, name).read_text(encoding="utf-8")
    check_stream_reencodes(check_stream(text, SHARED_STREAMS[name]))


@pytest.mark.parametrize("name", sorted(OWN_STREAMS))
def test_own_streams(own_fixtures: Path, name: str) -> None:
    text = (own_fixtures / DIRECTORY / name).read_text(encoding="utf-8")
    for event in parse_sse(text):
        CHUNK.validate_python(json.loads(event.data))
    check_stream_reencodes(check_stream(text, OWN_STREAMS[name]))


# ---------------------------------------------------------------------------- single events


@pytest.mark.parametrize("name", sorted(SHARED_EVENTS))
def test_shared_single_events(shared_fixtures: Path, name: str) -> None:
    data = _load(shared_path(shared_fixtures, name))
    CHUNK.validate_python(data)
    decoder = ADAPTER.stream_decoder()
    events = decoder.feed(SSEEvent(json.dumps(data), data["type"])) + decoder.close()
    assert events == SHARED_EVENTS[name]


def test_every_shared_fixture_is_checked(shared_fixtures: Path) -> None:
    folder = shared_path(shared_fixtures, "")
    known = set(SHARED_REQUESTS) | set(SHARED_RESPONSES) | set(SHARED_STREAMS) | set(SHARED_EVENTS)
    assert {p.name for p in folder.iterdir()} == known


def test_own_fixtures_are_listed_in_their_readme(own_fixtures: Path) -> None:
    folder = own_fixtures / DIRECTORY
    readme = (folder / "README.md").read_text(encoding="utf-8")
    names = {p.name for p in folder.iterdir() if p.name != "README.md"}
    assert names == set(OWN_REQUESTS) | set(OWN_RESPONSES) | set(OWN_STREAMS)
    for name in names:
        assert f"| {name} |" in readme
