"""Writing the IR as Anthropic: required defaults, clamps, orderings and a warning for every loss."""

from __future__ import annotations

from typing import Any

import pytest

from pipellm_tui.protocols import Format, ir
from pipellm_tui.protocols.adapters import adapter_for
from pipellm_tui.protocols.schemas import anthropic as schema

A = adapter_for(Format.ANTHROPIC)


def _user(*parts: ir.Part) -> ir.Message:
    return ir.Message("user", list(parts))


def test_max_tokens_is_defaulted_with_a_warning() -> None:
    body = A.request_from_ir(ir.Request(model="m", messages=[_user(ir.TextPart("hi"))]), warnings := [])
    assert body["max_tokens"] == 4096
    assert warnings == ["max_tokens: required by Anthropic and not given; 4096 used"]
    thinking = ir.Request(model="m", messages=[_user(ir.TextPart("hi"))], thinking=ir.Thinking(True, 8000))
    assert A.request_from_ir(thinking, [])["max_tokens"] == 8000 + 4096  # the budget must stay below it
    schema.Request.model_validate(body)


def test_settings_anthropic_cannot_carry_are_named() -> None:
    request = ir.Request(
        model="m",
        max_tokens=100,
        messages=[_user(ir.TextPart("hi"), ir.ImagePart(url="https://x/y.png", detail="high"))],
        temperature=1.7,
        stop=["END", "  "],
        seed=7,
        candidate_count=3,
        response_format=ir.ResponseFormat(ir.ResponseFormatKind.JSON_OBJECT),
        thinking=ir.Thinking(True, None, effort="minimal"),
        extras={"logit_bias": {"1": 2}, "user": "u-1"},
        extras_format=Format.OPENAI_CHAT,
    )
    body = A.request_from_ir(request, warnings := [])
    schema.Request.model_validate(body)
    assert (body["temperature"], body["stop_sequences"]) == (1, ["END"])
    # An effort alone becomes a token budget (adaptive thinking only works on the newest models), and
    # max_tokens grows so that the budget leaves the answer its 100 tokens.
    assert body["thinking"] == {"type": "enabled", "budget_tokens": 1024} and "output_config" not in body
    assert body["max_tokens"] == 1124
    assert not {"seed", "n", "logit_bias", "user"} & set(body)
    assert body["metadata"] == {"user_id": "u-1"}  # OpenAI's end-user id has an Anthropic place
    assert warnings == [
        "image detail: Anthropic has no image detail setting; dropped",
        "temperature 1.7: Anthropic accepts 0 to 1; clamped to 1",
        "stop: Anthropic rejects whitespace-only stop sequences; dropped",
        "seed: Anthropic has no seed; dropped",
        "candidate count 3: Anthropic has no candidate count and produces one candidate only; dropped",
        "response_format json_object: Anthropic has no JSON mode without a schema; dropped",
        "reasoning effort 'minimal': Anthropic has none; 'low' sent",
        "reasoning effort 'low': Anthropic thinking takes a token budget; 1024 sent",
        "max_tokens 100: Anthropic counts the thinking budget 1024 within it; 1124 sent",
        "logit_bias: Anthropic has no equivalent of this OpenAI Chat Completions field; dropped",
    ]


def test_tool_results_go_first_and_names_are_not_sent() -> None:
    message = _user(
        ir.TextPart("here you go"),
        ir.ToolResultPart("call_1", "lookup", [ir.TextPart("42")]),
        ir.ToolResultPart(
            "call_2", None, [ir.TextPart("a"), ir.ImagePart(data="iVBORw0KGgo=")], is_error=True
        ),
    )
    body = A.request_from_ir(ir.Request(model="m", max_tokens=10, messages=[message]), warnings := [])
    assert body["messages"][0]["content"] == [
        {"type": "tool_result", "tool_use_id": "call_1", "content": "42"},
        {
            "type": "tool_result",
            "tool_use_id": "call_2",
            "is_error": True,
            "content": [
                {"type": "text", "text": "a"},
                {
                    "type": "image",
                    "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="},
                },
            ],
        },
        {"type": "text", "text": "here you go"},
    ]
    assert warnings == ["image media type: not given; image/png assumed from the data"]


def test_parts_from_other_providers() -> None:
    message = ir.Message(
        "assistant",
        [
            ir.ThinkingPart("thought from elsewhere"),
            ir.ToolCallPart("call_0", "f", {"a": 1}, signature="gemini-sig"),
            ir.RefusalPart("no"),
        ],
    )
    pdf = _user(ir.ImagePart(data="JVBERi0=", media_type="application/pdf"))
    body = A.request_from_ir(ir.Request(model="m", max_tokens=10, messages=[pdf, message]), warnings := [])
    assert body["messages"][0]["content"] == [
        {
            "type": "document",
            "source": {"type": "base64", "media_type": "application/pdf", "data": "JVBERi0="},
        }
    ]
    assert body["messages"][1]["content"] == [
        {"type": "tool_use", "id": "call_0", "name": "f", "input": {"a": 1}},
        {"type": "text", "text": "no"},
    ]
    assert warnings == [
        "thinking: a thinking block without an Anthropic signature cannot be sent back to Anthropic; dropped",
        "tool call thoughtSignature: Gemini-only; dropped",
        "refusal: Anthropic has no refusal part; sent as text",
    ]


@pytest.mark.parametrize(
    ("choice", "parallel", "wire"),
    [
        (None, False, {"type": "auto", "disable_parallel_tool_use": True}),
        (None, True, None),
        (ir.ToolChoice(ir.ToolChoiceMode.REQUIRED), None, {"type": "any"}),
        (
            ir.ToolChoice(ir.ToolChoiceMode.REQUIRED),
            False,
            {"type": "any", "disable_parallel_tool_use": True},
        ),
        (
            ir.ToolChoice(ir.ToolChoiceMode.TOOL, "f"),
            True,
            {"type": "tool", "name": "f", "disable_parallel_tool_use": False},
        ),
        (ir.ToolChoice(ir.ToolChoiceMode.NONE), False, {"type": "none"}),
    ],
)
def test_tool_choice_and_parallel_calls(
    choice: ir.ToolChoice | None, parallel: bool | None, wire: Any
) -> None:
    request = ir.Request(
        model="m", max_tokens=5, tools=[ir.Tool("f")], tool_choice=choice, parallel_tool_calls=parallel
    )
    assert A.request_from_ir(request, []).get("tool_choice") == wire


@pytest.mark.parametrize(
    ("thinking", "wire", "config"),
    [
        (ir.Thinking(False), {"type": "disabled"}, None),
        (ir.Thinking(True, 0), {"type": "disabled"}, None),
        (ir.Thinking(True, 500), {"type": "enabled", "budget_tokens": 1024}, None),
        (
            ir.Thinking(True, 3000, include_thoughts=False),
            {"type": "enabled", "budget_tokens": 3000, "display": "omitted"},
            None,
        ),
        (  # OpenAI's effort alone: a budget from LiteLLM's table, the effort itself not sent
            ir.Thinking(True, None, effort="high", include_thoughts=True),
            {"type": "enabled", "budget_tokens": 4096, "display": "summarized"},
            None,
        ),
        (  # Anthropic's own adaptive thinking stays as written
            ir.Thinking(True, None, effort="high", include_thoughts=True, adaptive=True),
            {"type": "adaptive", "display": "summarized"},
            {"effort": "high"},
        ),
    ],
)
def test_thinking_settings(
    thinking: ir.Thinking, wire: dict[str, Any], config: dict[str, Any] | None
) -> None:
    body = A.request_from_ir(ir.Request(model="m", max_tokens=9000, thinking=thinking), [])
    assert body["thinking"] == wire
    assert body.get("output_config") == config
    schema.Request.model_validate(body)


def test_effort_without_thinking_stays_anthropic_only() -> None:
    body = {"model": "m", "max_tokens": 5, "messages": [], "output_config": {"effort": "max"}}
    request = A.request_to_ir(body, [], None)
    assert request.thinking is None and request.extras == {"output_config": {"effort": "max"}}
    assert A.request_from_ir(request, []) == body
    assert A.request_to_ir(body, [], "override").model == "override"


def test_anthropic_extras_merge_back_into_the_body() -> None:
    request = ir.Request(
        model="m",
        max_tokens=5,
        tools=[ir.Tool("f")],
        response_format=ir.ResponseFormat(ir.ResponseFormatKind.JSON_SCHEMA, {"type": "object"}),
        extras={
            "tools": [{"type": "bash_20250124", "name": "bash"}],
            "output_config": {"effort": "low"},
            "service_tier": "auto",
        },
        extras_format=Format.ANTHROPIC,
    )
    body = A.request_from_ir(request, warnings := [])
    assert [t["name"] for t in body["tools"]] == ["f", "bash"]
    assert body["output_config"] == {
        "format": {"type": "json_schema", "schema": {"type": "object"}},
        "effort": "low",
    }
    assert body["service_tier"] == "auto" and warnings == []


@pytest.mark.parametrize(("effort", "budget"), [("low", 1024), ("medium", 2048), ("high", 4096)])
def test_openai_reasoning_effort_becomes_a_budget_the_answer_still_fits_beside(
    effort: str, budget: int
) -> None:
    from pipellm_tui.protocols.convert import convert_request

    chat = {
        "model": "claude-sonnet-4-5-20250929",
        "messages": [{"role": "user", "content": "Think, then answer."}],
        "max_tokens": 256,
        "reasoning_effort": effort,
    }
    converted = convert_request(chat, Format.OPENAI_CHAT, Format.ANTHROPIC)
    body = converted.payload
    schema.Request.model_validate(body)
    assert body["thinking"] == {"type": "enabled", "budget_tokens": budget}
    assert body["max_tokens"] == budget + 256 > body["thinking"]["budget_tokens"]
    assert any(w.startswith(f"reasoning effort {effort!r}") for w in converted.warnings)
    assert any(w.startswith("max_tokens 256") for w in converted.warnings)
