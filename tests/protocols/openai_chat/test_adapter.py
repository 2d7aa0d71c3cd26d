"""OpenAI Chat requests: every real and own fixture read with the right values, written back in shapes the
schema accepts, and every field the format cannot carry named in a warning.

Responses are in test_openai_chat_response.py, streams in test_openai_chat_stream.py, round-trip
properties and bad input in test_openai_chat_properties.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pipellm_tui.protocols import Format, ir
from pipellm_tui.protocols.schemas import openai_chat as schema

from .support import PNG, A, load, shared_dir, summary


def conversation(request: ir.Request) -> list[tuple[str, list[tuple[Any, ...]]]]:
    return [(m.role, summary(m.parts)) for m in request.messages]


# ---------------------------------------------------------------------------- requests

WEATHER_PARAMS = {
    "type": "object",
    "properties": {
        "location": {"type": "string", "description": "The city and state, e.g. San Francisco, CA"},
        "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
    },
    "required": ["location"],
}
BOARDWALK = (
    "https://upload.wikimedia.org/wikipedia/commons/thumb/d/dd/Gfp-wisconsin-madison-the-nature-boardwalk.jpg/"
    "2560px-Gfp-wisconsin-madison-the-nature-boardwalk.jpg"
)

#: (origin, file) -> (system texts, conversation, settings that must have been read)
REQUESTS: dict[tuple[str, str], tuple[list[str], list[Any], dict[str, Any]]] = {
    ("shared", "spec_default.request.json"): (
        ["You are a helpful assistant."],
        [("user", [("text", "Hello!")])],
        {"model": "VAR_chat_model_id", "stream": False, "tools": []},
    ),
    ("shared", "spec_functions.request.json"): (
        [],
        [("user", [("text", "What is the weather like in Boston today?")])],
        {
            "model": "gpt-5.4",
            "tools": [
                ir.Tool("get_current_weather", "Get the current weather in a given location", WEATHER_PARAMS)
            ],
            "tool_choice": ir.ToolChoice(ir.ToolChoiceMode.AUTO),
        },
    ),
    ("shared", "spec_image_input.request.json"): (
        [],
        [("user", [("text", "What is in this image?"), ("image", BOARDWALK, None, False, None)])],
        {"model": "gpt-5.4", "max_tokens": 300},
    ),
    ("shared", "spec_streaming.request.json"): (
        ["You are a helpful assistant."],
        [("user", [("text", "Hello!")])],
        {"stream": True, "stream_include_usage": None},
    ),
    ("own", "multi_turn_tools.request.json"): (
        ["You are a weather assistant. Answer in JSON.", "Units: metric."],
        [
            (
                "user",
                [
                    ("text", "What is the weather where these photos were taken?"),
                    ("image", "https://example.com/photos/paris.jpg", None, False, "low"),
                    ("image", None, "image/png", True, "high"),
                ],
            ),
            (
                "assistant",
                [
                    ("text", "Looking up both cities."),
                    ("call", "call_paris_01", "get_weather", {"city": "Paris", "days": 2}),
                    ("call", "call_rome_02", "get_weather", {"city": "Rome", "days": 2}),
                ],
            ),
            (
                "user",
                [
                    ("result", "call_paris_01", "get_weather", ['{"forecast": "rain", "high_c": 14}']),
                    ("result", "call_rome_02", "get_weather", ['{"forecast": "sun", "high_c": 22}']),
                ],
            ),
            ("user", [("text", "And tomorrow's sunrise in Rome?")]),
            ("assistant", [("call", "call_sun_03", "get_sunrise", {"city": "Rome", "date": "tomorrow"})]),
            ("user", [("result", "call_sun_03", "get_sunrise", ["06:41"])]),
            ("user", [("text", "Summarise everything.")]),
        ],
        {
            "model": "gpt-4o-2024-08-06",
            "tool_choice": ir.ToolChoice(ir.ToolChoiceMode.AUTO),
            "parallel_tool_calls": True,
            "max_tokens": 800,
            "temperature": 0.4,
            "top_p": 0.9,
            "stop": ["\n\n\n", "END"],
            "seed": 42,
            "candidate_count": 1,
            "response_format": ir.ResponseFormat(
                ir.ResponseFormatKind.JSON_SCHEMA,
                {
                    "type": "object",
                    "properties": {"summary": {"type": "string"}},
                    "required": ["summary"],
                    "additionalProperties": False,
                },
                "weather_summary",
                True,
            ),
            "thinking": ir.Thinking(enabled=True, effort="low"),
            "stream": True,
            "stream_include_usage": True,
            "extras": {"user": "user-1234", "metadata": {"session": "demo"}},
            "extras_format": Format.OPENAI_CHAT,
        },
    ),
    ("own", "history_shapes.request.json"): (
        ["Be brief."],
        [
            ("user", [("text", "Find the order status for order 991.")]),
            (
                "assistant",
                [
                    ("thinking", "The user wants an order status; call lookup_order."),
                    ("text", "Let me check that order."),
                    ("call", "call_order_991", "lookup_order", {"order_id": 991}),
                ],
            ),
            ("user", [("result", "call_order_991", "lookup_order", ["status: shipped", "carrier: DHL"])]),
            ("system", [("text", "Never reveal internal carrier codes.")]),  # a developer message, in place
            ("user", [("text", "Also, what does this say?")]),
            ("assistant", [("refusal", "I can't process audio in this conversation.")]),
            ("user", [("text", "OK. Just the order then.")]),
        ],
        {
            "tool_choice": ir.ToolChoice(ir.ToolChoiceMode.TOOL, "lookup_order"),
            "max_tokens": 300,
            "stop": ["STOP"],
            "response_format": ir.ResponseFormat(ir.ResponseFormatKind.JSON_OBJECT),
            "stream": False,
        },
    ),
}


@pytest.mark.parametrize(("origin", "name"), list(REQUESTS), ids=[f"{o}:{n}" for o, n in REQUESTS])
def test_request_fixture_reads_into_the_ir(origin: str, name: str, shared_fixtures: Path) -> None:
    system, turns, settings = REQUESTS[origin, name]
    warnings: list[str] = []
    request = A.request_to_ir(load(origin, name, shared_fixtures), warnings, None)
    assert [p.text for p in request.system] == system
    assert conversation(request) == turns
    for field, value in settings.items():
        assert getattr(request, field) == value, field


@pytest.mark.parametrize(("origin", "name"), list(REQUESTS), ids=[f"{o}:{n}" for o, n in REQUESTS])
def test_request_fixture_written_back_validates_and_reads_the_same(
    origin: str, name: str, shared_fixtures: Path
) -> None:
    request = A.request_to_ir(load(origin, name, shared_fixtures), [], None)
    warnings: list[str] = []
    payload = A.request_from_ir(request, warnings)
    schema.Request.model_validate(payload)
    assert warnings == []
    again = A.request_to_ir(payload, [], None)
    assert again.system == request.system
    assert again.messages == request.messages
    assert again.tools == request.tools
    assert again.max_tokens == request.max_tokens
    assert again.response_format == request.response_format


def test_history_shapes_name_every_dropped_field(shared_fixtures: Path) -> None:
    warnings: list[str] = []
    A.request_to_ir(load("own", "history_shapes.request.json", shared_fixtures), warnings, None)
    assert warnings == [
        "messages[5].content[1]: 'input_audio' parts have no place in the neutral form; dropped",
        "messages[7].name: the neutral form has no per-message 'name'; dropped",
    ]


def test_tool_results_come_back_as_tool_messages_before_the_user_text() -> None:
    request = ir.Request(
        model="m",
        messages=[
            ir.Message("assistant", [ir.ToolCallPart("call_1", "f", {"a": 1})]),
            ir.Message(
                "user",
                [
                    ir.TextPart("here you go"),
                    ir.ToolResultPart("call_1", "f", [ir.TextPart("42")]),
                    ir.ImagePart(data=PNG, media_type="image/png"),
                ],
            ),
        ],
    )
    payload = A.request_from_ir(request, [])
    assert payload["messages"] == [
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {"id": "call_1", "type": "function", "function": {"name": "f", "arguments": '{"a":1}'}}
            ],
        },
        {"role": "tool", "tool_call_id": "call_1", "content": "42"},
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "here you go"},
                {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{PNG}"}},
            ],
        },
    ]


def test_what_openai_chat_cannot_carry_is_named() -> None:
    request = ir.Request(
        model="claude-x",
        system=[ir.TextPart("sys", cache_control={"type": "ephemeral"})],
        messages=[
            ir.Message("user", [ir.TextPart("hi")]),
            ir.Message(
                "assistant",
                [
                    ir.ThinkingPart("hmm", signature="sig=="),
                    ir.ThinkingPart("", signature="opaque", redacted=True),
                    ir.ToolCallPart("c1", "f", {}, signature="gemini-sig"),
                ],
            ),
            ir.Message(
                "user",
                [
                    ir.ToolResultPart(
                        "c1", "f", [ir.TextPart("boom"), ir.ImagePart(url="https://x/y.png")], is_error=True
                    )
                ],
            ),
        ],
        tools=[ir.Tool("f")],
        top_k=40,
        stop=["a", "b", "c", "d", "e"],
        thinking=ir.Thinking(budget_tokens=5000, include_thoughts=True),
        extras={"metadata": {"user_id": "u"}},
        extras_format=Format.ANTHROPIC,
    )
    warnings: list[str] = []
    payload = A.request_from_ir(request, warnings)
    schema.Request.model_validate(payload)
    assert payload["reasoning_effort"] == "medium"
    assert payload["stop"] == ["a", "b", "c", "d"]
    assert payload["messages"][2] == {
        "role": "assistant",
        "content": None,
        "reasoning_content": "hmm",
        "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}],
    }
    assert payload["messages"][3] == {"role": "tool", "tool_call_id": "c1", "content": "boom"}
    assert "metadata" not in payload and "top_k" not in payload
    assert payload["safety_identifier"] == "u"  # Anthropic's metadata.user_id has a home here
    assert warnings == [
        "system.cache_control: OpenAI Chat has no prompt-caching markers; dropped",
        "thinking signature: OpenAI Chat cannot carry it; dropped",
        "redacted thinking: OpenAI Chat cannot carry it; dropped",
        "tool call 'f': OpenAI Chat cannot carry a thought signature; dropped",
        "tool result c1: OpenAI Chat tool messages can only hold text; image dropped",
        "tool result c1: OpenAI Chat tool messages have no error flag; is_error dropped",
        "top_k: OpenAI Chat has no top_k; dropped",
        "stop: OpenAI Chat takes at most 4 stop strings; dropped ['e']",
        "thinking.budget_tokens: OpenAI Chat takes an effort, not a budget; 5000 sent as 'medium'",
        "thinking.include_thoughts: OpenAI Chat cannot ask for the thought text; dropped",
    ]


@pytest.mark.parametrize(
    ("thinking", "effort", "warned"),
    [
        (ir.Thinking(budget_tokens=1024), "low", True),
        (ir.Thinking(budget_tokens=20000), "high", True),
        (ir.Thinking(effort="minimal"), "minimal", False),
        (ir.Thinking(enabled=False), None, True),
        (ir.Thinking(budget_tokens=0), None, True),
        (ir.Thinking(budget_tokens=-1), None, True),
    ],
)
def test_thinking_becomes_a_reasoning_effort(thinking: ir.Thinking, effort: str | None, warned: bool) -> None:
    warnings: list[str] = []
    payload = A.request_from_ir(
        ir.Request(model="m", messages=[ir.Message("user", [])], thinking=thinking), warnings
    )
    assert payload.get("reasoning_effort") == effort
    assert bool(warnings) is warned


def test_extras_of_openai_chat_pass_through_and_stream_asks_for_usage() -> None:
    body = {
        "model": "m",
        "messages": [{"role": "user", "content": "hi"}],
        "logprobs": True,
        "top_logprobs": 2,
        "stream": True,
    }
    warnings: list[str] = []
    payload = A.request_from_ir(A.request_to_ir(body, warnings, None), warnings)
    assert warnings == []
    assert payload == {**body, "stream_options": {"include_usage": True}}


def test_tool_choice_without_tools_is_dropped_with_a_warning() -> None:
    warnings: list[str] = []
    request = ir.Request(
        model="m",
        messages=[ir.Message("user", [ir.TextPart("x")])],
        tool_choice=ir.ToolChoice(ir.ToolChoiceMode.NONE),
        parallel_tool_calls=False,
    )
    payload = A.request_from_ir(request, warnings)
    assert "tool_choice" not in payload and "parallel_tool_calls" not in payload
    assert len(warnings) == 2 and "tool_choice" in warnings[0] and "parallel_tool_calls" in warnings[1]


def test_model_argument_overrides_the_body() -> None:
    body = {"model": "a", "messages": [{"role": "user", "content": "x"}]}
    assert A.request_to_ir(body, [], "b").model == "b"
    assert A.request_to_ir({"messages": body["messages"]}, [], "b").model == "b"


def test_unparseable_arguments_are_kept_raw_and_go_back_verbatim() -> None:
    body = {
        "model": "m",
        "messages": [
            {
                "role": "assistant",
                "tool_calls": [
                    {"id": "c", "type": "function", "function": {"name": "f", "arguments": '{"a": 1'}}
                ],
            }
        ],
    }
    warnings: list[str] = []
    request = A.request_to_ir(body, warnings, None)
    assert summary(request.messages[0].parts) == [("call", "c", "f", {"_raw": '{"a": 1'})]
    assert warnings == ["messages[0].tool_calls[0].function.arguments: not valid JSON; kept as {'_raw': ...}"]
    payload = A.request_from_ir(request, [])
    assert payload["messages"][0]["tool_calls"][0]["function"]["arguments"] == '{"a": 1'


def test_legacy_function_call_and_result_are_paired() -> None:
    body = {
        "model": "m",
        "messages": [
            {"role": "user", "content": "weather?"},
            {"role": "assistant", "content": None, "function_call": {"name": "w", "arguments": '{"c": "X"}'}},
            {"role": "function", "name": "w", "content": "sunny"},
        ],
    }
    request = A.request_to_ir(body, [], None)
    assert conversation(request)[1:] == [
        ("assistant", [("call", "call_1", "w", {"c": "X"})]),
        ("user", [("result", "call_1", "w", ["sunny"])]),
    ]


def test_every_shared_request_is_checked(shared_fixtures: Path) -> None:
    names = {p.name for p in shared_dir(shared_fixtures).glob("*.request.json")}
    assert names == {n for o, n in REQUESTS if o == "shared"}
