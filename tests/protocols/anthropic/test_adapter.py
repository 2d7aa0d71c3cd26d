"""The Anthropic Messages adapter on real payloads and our own: requests, responses, bad input, warnings.

Writing IR into Anthropic (defaults, warnings) is in test_anthropic_rules.py, streams in
test_anthropic_stream.py and test_anthropic_sdk.py, hypothesis round trips and bad input in
test_anthropic_properties.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pipellm_tui.protocols import Format, ProtocolError, ir
from pipellm_tui.protocols.adapters import adapter_for
from pipellm_tui.protocols.adapters.shared.fitting import merge_turns
from pipellm_tui.protocols.schemas import anthropic as schema

from ...conftest import OWN_FIXTURES, SHARED_FIXTURES, shared_path
from .streams import STREAMS

A = adapter_for(Format.ANTHROPIC)
SHARED = SHARED_FIXTURES / "anthropic"
OWN = OWN_FIXTURES / "anthropic"


def load(directory: Path, name: str) -> Any:
    if directory.is_relative_to(SHARED_FIXTURES):
        shared_path()  # skips, saying why, when ../shared is not beside the checkout
    return json.loads((directory / name).read_text(encoding="utf-8"))


def calls(parts: list[ir.Part]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(p.id, p.name, p.arguments) for p in parts if isinstance(p, ir.ToolCallPart)]


def usage(u: ir.Usage | None) -> tuple[int, ...] | None:
    if u is None:
        return None
    return (u.input_tokens, u.output_tokens, u.cache_read_tokens, u.cache_write_tokens, u.reasoning_tokens)


# ---------------------------------------------------------------------------- responses

#: name -> (text, tool calls, stop reason, usage (input incl. cache, output, read, write, reasoning))
RESPONSES: dict[str, tuple[Path, str, list[Any], ir.StopReason, tuple[int, ...]]] = {
    "cassette_tool_use.response.json": (
        SHARED,
        "",
        [("toolu_013DU6hV4C1M8dJ32ybQFAFi", "get_weather", {"location": "SF", "units": "c"})],
        ir.StopReason.TOOL_USE,
        (597, 71, 0, 0, 0),
    ),
    "cassette_tool_result.response.json": (
        SHARED,
        "The weather in SF is currently **20°C** (68°F) and **Sunny**!",
        [],
        ir.StopReason.END_TURN,
        (705, 25, 0, 0, 0),
    ),
    "thinking_tool_use.response.json": (
        OWN,
        "I'll look up both cities at once.",
        [
            ("toolu_01T1x1fJ34qAmk2tNTrN7Up6", "get_weather", {"location": "Tokyo, Japan"}),
            ("toolu_01T2y2gK45rBnl3uOUsO8Vq7", "get_weather", {"location": "Lima, Peru"}),
        ],
        ir.StopReason.TOOL_USE,
        (412 + 1024 + 2048, 188, 2048, 1024, 0),
    ),
    "stop_sequence_redacted.response.json": (
        OWN,
        "1. Mercury\n2. Venus\n3. Earth\n",
        [],
        ir.StopReason.STOP_SEQUENCE,
        (31, 57, 0, 0, 0),
    ),
    "hosted_tools.response.json": (OWN, "Inflation was 2.1%.", [], ir.StopReason.END_TURN, (5, 7, 0, 0, 0)),
    "server_tool_pause.response.json": (
        OWN,
        "Let me search for the latest figures.",
        [],
        ir.StopReason.PAUSE,
        (2679, 93, 0, 0, 0),
    ),
}


@pytest.mark.parametrize("name", list(RESPONSES))
def test_response_reads_text_tools_stop_and_usage(name: str) -> None:
    directory, text, expected_calls, stop, expected_usage = RESPONSES[name]
    warnings: list[str] = []
    response = A.response_to_ir(load(directory, name), warnings)
    assert response.text == text
    assert calls(response.parts) == expected_calls
    assert response.stop_reason is stop
    assert usage(response.usage) == expected_usage
    assert response.id is not None and response.id.startswith("msg_")


def test_long_text_and_tool_use_response() -> None:
    response = A.response_to_ir(load(SHARED, "cassette_text_and_tool_use.response.json"), warnings := [])
    assert response.text.startswith("# The Wonderful World of Companion Animals")
    assert response.text.endswith("beloved companions throughout human history.")
    assert response.text.count("\n## ") == 4
    [(call_id, name, arguments)] = calls(response.parts)
    assert (call_id, name) == ("toolu_01KiHQYXfTgCmpgRfmqgvUL2", "submit_analysis")
    assert arguments["summary"].startswith("This comprehensive essay explores three popular")
    assert usage(response.usage) == (617, 995, 0, 0, 0)
    assert warnings == ["tool_use.caller: not carried by the neutral form; dropped"]


@pytest.mark.parametrize("name", [*RESPONSES, "cassette_text_and_tool_use.response.json"])
def test_response_written_back_validates_and_reads_the_same(name: str) -> None:
    directory = RESPONSES[name][0] if name in RESPONSES else SHARED
    response = A.response_to_ir(load(directory, name), [])
    body = A.response_from_ir(response, warnings := [])
    schema.Response.model_validate(body)
    assert A.response_to_ir(body, []) == response
    assert warnings == []


def test_thinking_and_redacted_thinking_in_responses() -> None:
    parts = A.response_to_ir(load(OWN, "thinking_tool_use.response.json"), []).parts
    assert isinstance(parts[0], ir.ThinkingPart) and parts[0].signature.startswith("EuYBCkQYAiJA")
    assert parts[0].text.startswith("The user wants the weather in two cities.")
    response = A.response_to_ir(load(OWN, "stop_sequence_redacted.response.json"), [])
    assert response.parts[0] == ir.ThinkingPart("", response.parts[0].signature, redacted=True)
    assert response.candidates[0].stop_sequence == "4."
    assert A.response_from_ir(response, [])["content"][0]["type"] == "redacted_thinking"


def test_server_tool_blocks_are_carried_as_one_hosted_run() -> None:
    body = load(OWN, "server_tool_pause.response.json")
    response = A.response_to_ir(body, warnings := [])
    assert warnings == []
    (run,) = [p for p in response.parts if type(p) is ir.HostedToolPart]
    assert (run.kind, run.input, run.done) == ("web_search", "eurozone inflation October 2025", True)
    assert [r.url for r in run.results] == ["https://ec.europa.eu/eurostat"]
    back = A.response_from_ir(response, [])
    assert back["stop_reason"] == "pause_turn"
    assert back["content"] == body["content"]


def test_error_envelopes_are_not_messages() -> None:
    for name in ("cassette_error_400.response.json", "cassette_error_429.response.json"):
        with pytest.raises(ProtocolError) as caught:
            A.response_to_ir(load(SHARED, name)["body"], [])
        assert caught.value.path == "type"


def test_response_from_other_formats_fills_what_the_sdk_needs() -> None:
    response = ir.Response(
        model="gpt-4o",
        candidates=[
            ir.Candidate([ir.RefusalPart("I can't help with that.")], ir.StopReason.CONTENT_FILTER),
            ir.Candidate([ir.TextPart("second")], ir.StopReason.END_TURN),
        ],
        usage=ir.Usage(100, 20, cache_read_tokens=30, reasoning_tokens=5),
        created=1_700_000_000,
        extras={"system_fingerprint": "fp_1"},
        extras_format=Format.OPENAI_CHAT,
    )
    body = A.response_from_ir(response, warnings := [])
    schema.Response.model_validate(body)
    assert body["content"] == [{"type": "text", "text": "I can't help with that."}]
    assert body["stop_reason"] == "refusal"
    assert body["usage"] == {
        "input_tokens": 70,
        "cache_creation_input_tokens": 0,
        "cache_read_input_tokens": 30,
        "output_tokens": 20,
        "output_tokens_details": {"thinking_tokens": 5},
    }
    assert body["id"] == A.response_from_ir(response, [])["id"]  # deterministic synthetic id
    assert body["id"].startswith("msg_")
    assert warnings == [
        "candidates: Anthropic answers carry one candidate; 1 more dropped",
        "refusal: Anthropic has no refusal part; sent as text",
        "created: Anthropic messages carry no timestamp; dropped",
        "system_fingerprint: Anthropic has no equivalent of this OpenAI Chat Completions field; dropped",
    ]


def test_response_without_stop_reason_but_with_tool_calls_is_tool_use() -> None:
    body = {"content": [{"type": "tool_use", "id": "toolu_1", "name": "f", "input": {}}], "stop_reason": None}
    assert A.response_to_ir(body, []).stop_reason is ir.StopReason.TOOL_USE
    written = A.response_from_ir(ir.Response(candidates=[ir.Candidate([ir.ToolCallPart("c", "f", {})])]), [])
    assert written["stop_reason"] == "tool_use"


# ---------------------------------------------------------------------------- requests


def test_tool_result_request_reads_the_conversation() -> None:
    request = A.request_to_ir(load(SHARED, "cassette_tool_result.request.json"), warnings := [], None)
    assert (request.model, request.max_tokens, request.stream) == ("claude-haiku-4-5", 1024, False)
    assert [m.role for m in request.messages] == ["user", "assistant", "user"]
    assert request.messages[0].parts == [ir.TextPart("What's the weather in SF in Celsius?")]
    assert calls(request.messages[1].parts) == [
        ("toolu_013DU6hV4C1M8dJ32ybQFAFi", "get_weather", {"location": "SF", "units": "c"})
    ]
    [result] = request.messages[2].parts
    assert isinstance(result, ir.ToolResultPart)
    assert (result.tool_call_id, result.name, result.is_error) == (
        "toolu_013DU6hV4C1M8dJ32ybQFAFi",
        "get_weather",
        False,
    )
    assert json.loads(result.content[0].text)["temperature"] == "20°C"
    [tool] = request.tools
    assert (tool.name, tool.description, tool.parameters["required"]) == (
        "get_weather",
        "",
        ["location", "units"],
    )
    assert warnings == ["tool_use.caller: not carried by the neutral form; dropped"]


def test_orphan_tool_result_has_no_name_to_find() -> None:
    request = A.request_to_ir(load(SHARED, "cassette_error_400.request.json"), [], None)
    [result] = request.messages[1].parts
    assert isinstance(result, ir.ToolResultPart) and result.name is None
    assert result.tool_call_id == "toolu_01GHndag5wQmbzNihYmV2UBj"


def test_output_config_schema_and_stream_flags() -> None:
    request = A.request_to_ir(
        load(SHARED, "cassette_stream_output_config_json_schema.request.json"), [], None
    )
    assert request.stream is True
    assert request.response_format == ir.ResponseFormat(
        ir.ResponseFormatKind.JSON_SCHEMA, {"type": "array", "items": {"type": "integer"}}
    )
    streamed = A.request_to_ir(load(SHARED, "cassette_stream_tool_use.request.json"), [], None)
    assert streamed.stream is True and [t.name for t in streamed.tools] == ["get_weather"]
    long = A.request_to_ir(load(SHARED, "cassette_text_and_tool_use.request.json"), [], None)
    assert long.max_tokens == 4000 and long.tools[0].name == "submit_analysis"


def test_multi_turn_tools_request_reads_everything() -> None:
    request = A.request_to_ir(load(OWN, "multi_turn_tools.request.json"), warnings := [], None)
    assert warnings == []
    assert [p.text for p in request.system][1] == "Use the tools for live data; never guess prices."
    assert request.system[1].cache_control == {"type": "ephemeral"}
    image = request.messages[0].parts[1]
    assert isinstance(image, ir.ImagePart) and (image.media_type, image.url) == ("image/png", None)
    thinking, _, *tool_calls = request.messages[1].parts
    assert isinstance(thinking, ir.ThinkingPart) and thinking.signature.startswith("EqQBCkYIBxgC")
    assert [c.name for c in tool_calls] == ["get_weather", "convert_currency"]
    weather, currency, follow_up = request.messages[2].parts
    assert isinstance(weather, ir.ToolResultPart) and weather.name == "get_weather"
    assert (
        isinstance(currency, ir.ToolResultPart) and currency.is_error and currency.name == "convert_currency"
    )
    assert follow_up == ir.TextPart("If the rate is missing, just say so.")
    assert (
        request.tool_choice == ir.ToolChoice(ir.ToolChoiceMode.AUTO) and request.parallel_tool_calls is True
    )
    assert request.thinking == ir.Thinking(True, 2048)
    assert (request.top_k, request.stop, request.max_tokens) == (40, ["\n\nHuman:"], 8192)
    assert [t.name for t in request.tools] == ["get_weather", "convert_currency"]
    assert request.extras == {
        "metadata": {"user_id": "9f2c1e7a-opaque"},
        "tools": [{"type": "web_search_20250305", "name": "web_search", "max_uses": 3}],
    }
    assert request.extras_format is Format.ANTHROPIC


def test_image_url_and_prefill_request() -> None:
    request = A.request_to_ir(load(OWN, "image_url_prefill.request.json"), [], None)
    assert request.system == [ir.TextPart("Reply with JSON only.")]
    assert request.messages[0].parts[0] == ir.ImagePart(
        url="https://upload.wikimedia.org/wikipedia/commons/a/a7/Camponotus_flavomarginatus_ant.jpg"
    )
    assert request.messages[-1] == ir.Message("assistant", [ir.TextPart('{"insect": "')])
    assert (request.temperature, request.top_p) == (0.2, 0.9)
    assert request.tool_choice == ir.ToolChoice(ir.ToolChoiceMode.NONE)
    assert request.response_format is not None and request.response_format.schema["required"] == [
        "insect",
        "legs",
    ]


REQUESTS = [
    (SHARED, name)
    for name in (
        "cassette_error_400.request.json",
        "cassette_stream_output_config_json_schema.request.json",
        "cassette_stream_tool_use.request.json",
        "cassette_text_and_tool_use.request.json",
        "cassette_tool_result.request.json",
        "cassette_tool_use.request.json",
    )
] + [
    (OWN, n)
    for n in (
        "multi_turn_tools.request.json",
        "image_url_prefill.request.json",
        "hosted_tools_history.request.json",
    )
]


@pytest.mark.parametrize(("directory", "name"), REQUESTS, ids=[n for _, n in REQUESTS])
def test_request_written_back_validates_and_reads_the_same(directory: Path, name: str) -> None:
    body = load(directory, name)
    request = A.request_to_ir(body, [], None)
    written = A.request_from_ir(request, warnings := [])
    schema.Request.model_validate(written)
    # Consecutive turns of one role are written as one (the API's own reading of them).
    request.messages = merge_turns(request.messages)
    assert A.request_to_ir(written, [], None) == request
    assert warnings == []


def test_every_fixture_file_is_covered() -> None:
    covered = (
        {n for d, n in REQUESTS}
        | set(RESPONSES)
        | {
            "cassette_text_and_tool_use.response.json",
            "cassette_error_400.response.json",
            "cassette_error_429.response.json",
        }
    )
    covered |= set(STREAMS)
    for directory in (SHARED, OWN):
        if directory.is_dir():
            files = {p.name for p in directory.iterdir() if p.suffix in (".json", ".sse")}
            assert files <= covered, f"untested fixtures: {sorted(files - covered)}"
