"""Conversions every target accepts (issue 12), continued: system text, tool schemas, turns,
thinking, usage and null fields, in every direction they apply, judged by the official SDKs."""

from __future__ import annotations

import json
from typing import Any

import pytest
from google.genai import types as genai_types

from pipellm_tui.protocols import Format, convert_request, convert_response
from pipellm_tui.protocols.convert import convert_sse
from pipellm_tui.protocols.validate import validate_request

from . import sdk_judges as judge

SOURCES: dict[Format, dict[str, Any]] = {
    Format.OPENAI_CHAT: {
        "model": "m",
        "messages": [{"role": "system", "content": ""}, {"role": "user", "content": "hi"}],
        "tools": [{"type": "function", "function": {"name": "t", "parameters": {"properties": {}}}}],
    },
    Format.OPENAI_RESPONSES: {
        "model": "m",
        "instructions": "",
        "input": "hi",
        "tools": [{"type": "function", "name": "t", "parameters": {"properties": {}}}],
    },
    Format.GEMINI: {
        "systemInstruction": {"parts": [{"text": ""}]},
        "contents": [{"role": "user", "parts": [{"text": "hi"}]}],
        "tools": [{"functionDeclarations": [{"name": "t", "parametersJsonSchema": {"properties": {}}}]}],
    },
}


@pytest.mark.parametrize("source", list(SOURCES))
def test_anthropic_gets_no_empty_system_and_object_typed_tool_schemas(source: Format) -> None:
    converted = convert_request(SOURCES[source], source, Format.ANTHROPIC, "m")
    judge.anthropic_request(converted.payload)
    assert "system" not in converted.payload
    assert converted.payload["tools"][0]["input_schema"] == {"type": "object", "properties": {}}


@pytest.mark.parametrize("target", [Format.OPENAI_CHAT, Format.OPENAI_RESPONSES])
def test_openai_gets_object_typed_tool_schemas_from_other_formats(target: Format) -> None:
    converted = convert_request(SOURCES[Format.GEMINI], Format.GEMINI, target, "m")
    tools = converted.payload["tools"]
    schema = tools[0]["function"]["parameters"] if target is Format.OPENAI_CHAT else tools[0]["parameters"]
    assert schema == {"type": "object", "properties": {}}


@pytest.mark.parametrize("target", [Format.ANTHROPIC, Format.OPENAI_CHAT, Format.OPENAI_RESPONSES])
def test_a_schema_that_is_not_an_object_is_named(target: Format) -> None:
    body = dict(SOURCES[Format.GEMINI])
    body["tools"] = [{"functionDeclarations": [{"name": "t", "parametersJsonSchema": {"type": "string"}}]}]
    converted = convert_request(body, Format.GEMINI, target, "m")
    assert any("'string'" in w and "object" in w for w in converted.warnings)


def test_anthropic_empty_system_blocks_are_dropped_from_an_anthropic_body_too() -> None:
    body = {
        "model": "m",
        "max_tokens": 5,
        "system": [{"type": "text", "text": ""}, {"type": "text", "text": "be brief"}],
        "messages": [{"role": "user", "content": "hi"}],
    }
    converted = convert_request(body, Format.ANTHROPIC, Format.ANTHROPIC)
    judge.anthropic_request(converted.payload)
    assert converted.payload["system"] == "be brief"


# ---------------------------------------------------------------------------- turns

#: Tool results followed by a user message: two user turns in Chat, one in Anthropic and Gemini.
CHAT_TURNS = {
    "model": "m",
    "messages": [
        {"role": "user", "content": "go"},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {"id": "call_1", "type": "function", "function": {"name": "t", "arguments": "{}"}}
            ],
        },
        {"role": "tool", "tool_call_id": "call_1", "content": "done"},
        {"role": "user", "content": "and now?"},
        {"role": "user", "content": "please"},
    ],
}
RESPONSES_TURNS = {
    "model": "m",
    "input": [
        {"role": "user", "content": "go"},
        {"type": "function_call", "call_id": "call_1", "name": "t", "arguments": "{}"},
        {"type": "function_call_output", "call_id": "call_1", "output": "done"},
        {"role": "user", "content": "and now?"},
    ],
}


@pytest.mark.parametrize(
    ("source", "body"), [(Format.OPENAI_CHAT, CHAT_TURNS), (Format.OPENAI_RESPONSES, RESPONSES_TURNS)]
)
def test_turns_of_one_role_are_merged_for_anthropic_tool_results_first(
    source: Format, body: dict[str, Any]
) -> None:
    payload = convert_request(body, source, Format.ANTHROPIC).payload
    judge.anthropic_request(payload)
    roles = [m["role"] for m in payload["messages"]]
    assert roles == ["user", "assistant", "user"]
    last = payload["messages"][2]["content"]
    assert last[0]["type"] == "tool_result" and last[1] == {"type": "text", "text": "and now?"}


@pytest.mark.parametrize(
    ("source", "body"), [(Format.OPENAI_CHAT, CHAT_TURNS), (Format.OPENAI_RESPONSES, RESPONSES_TURNS)]
)
def test_turns_of_one_role_are_merged_for_gemini_function_responses_first(
    source: Format, body: dict[str, Any]
) -> None:
    payload = convert_request(body, source, Format.GEMINI).payload
    judge.gemini_request(payload)
    assert [c["role"] for c in payload["contents"]] == ["user", "model", "user"]
    parts = payload["contents"][2]["parts"]
    assert "functionResponse" in parts[0] and parts[1] == {"text": "and now?"}


# ---------------------------------------------------------------------------- thinking


@pytest.mark.parametrize("target", list(Format))
@pytest.mark.parametrize("thinking", [None, "missing"])
def test_a_thinking_block_without_text_keeps_the_answer(target: Format, thinking: str | None) -> None:
    block: dict[str, Any] = {"type": "thinking", "signature": "c2ln"}
    if thinking is None:
        block["thinking"] = None
    answer = {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "model": "m",
        "content": [block, {"type": "text", "text": "42"}],
        "stop_reason": "end_turn",
        "usage": {"input_tokens": 1, "output_tokens": 2},
    }
    converted = convert_response(answer, Format.ANTHROPIC, target)
    assert "42" in str(converted.payload)
    assert any("thinking block without its text" in w for w in converted.warnings)


def _event(data: dict[str, Any]) -> str:
    return f"event: {data['type']}\ndata: {json.dumps(data)}\n\n"


@pytest.mark.parametrize("target", list(Format))
def test_a_streamed_thinking_block_without_text_keeps_the_answer(target: Format) -> None:
    message = {"id": "msg_1", "type": "message", "role": "assistant", "model": "m", "content": []}
    message |= {"stop_reason": None, "usage": {"input_tokens": 1, "output_tokens": 1}}
    events = [
        {"type": "message_start", "message": message},
        {"type": "content_block_start", "index": 0, "content_block": {"type": "thinking", "thinking": None}},
        {"type": "content_block_delta", "index": 0, "delta": {"type": "thinking_delta", "thinking": None}},
        {
            "type": "content_block_delta",
            "index": 0,
            "delta": {"type": "signature_delta", "signature": "c2ln"},
        },
        {"type": "content_block_stop", "index": 0},
        {"type": "content_block_start", "index": 1, "content_block": {"type": "text", "text": ""}},
        {"type": "content_block_delta", "index": 1, "delta": {"type": "text_delta", "text": "42"}},
        {"type": "content_block_stop", "index": 1},
        {"type": "message_delta", "delta": {"stop_reason": "end_turn"}, "usage": {"output_tokens": 2}},
        {"type": "message_stop"},
    ]
    converted = convert_sse("".join(_event(e) for e in events), Format.ANTHROPIC, target)
    assert "42" in converted.text
    assert any("delta.thinking" in w for w in converted.warnings)
    if target is Format.ANTHROPIC:
        assert [b.type for b in judge.anthropic_stream(converted.text).content] == ["thinking", "text"]


def test_anthropic_thinking_asks_gemini_for_its_thoughts() -> None:
    body = {
        "model": "m",
        "max_tokens": 4000,
        "thinking": {"type": "enabled", "budget_tokens": 2048},
        "messages": [{"role": "user", "content": "think"}],
    }
    payload = convert_request(body, Format.ANTHROPIC, Format.GEMINI).payload
    config = judge.gemini_request(payload)
    assert config.thinking_config == genai_types.ThinkingConfig(thinking_budget=2048, include_thoughts=True)
    # OpenAI's reasoning effort never showed its thoughts: nothing is asked for.
    chat = {"model": "m", "reasoning_effort": "low", "messages": [{"role": "user", "content": "x"}]}
    config = judge.gemini_request(convert_request(chat, Format.OPENAI_CHAT, Format.GEMINI).payload)
    assert config.thinking_config is not None and config.thinking_config.include_thoughts is None


# ---------------------------------------------------------------------------- usage


@pytest.mark.parametrize("candidates", [20, 120])  # thoughts outside or inside candidatesTokenCount
def test_gemini_usage_totals_agree_with_what_it_reported(candidates: int) -> None:
    usage = {
        "promptTokenCount": 10,
        "candidatesTokenCount": candidates,
        "thoughtsTokenCount": 100,
        "totalTokenCount": 130,
    }
    answer = {
        "candidates": [{"content": {"role": "model", "parts": [{"text": "hi"}]}, "finishReason": "STOP"}],
        "usageMetadata": usage,
    }
    chat = convert_response(answer, Format.GEMINI, Format.OPENAI_CHAT).payload["usage"]
    assert (chat["prompt_tokens"], chat["completion_tokens"], chat["total_tokens"]) == (10, 120, 130)
    assert chat["completion_tokens_details"]["reasoning_tokens"] == 100
    responses = convert_response(answer, Format.GEMINI, Format.OPENAI_RESPONSES).payload["usage"]
    assert responses["total_tokens"] == 130
    anthropic = convert_response(answer, Format.GEMINI, Format.ANTHROPIC).payload["usage"]
    assert anthropic["input_tokens"] + anthropic["output_tokens"] == 130
    gemini = convert_response(answer, Format.GEMINI, Format.GEMINI).payload["usageMetadata"]
    assert gemini["totalTokenCount"] == 130
    genai_types.GenerateContentResponseUsageMetadata.model_validate(gemini)


# ---------------------------------------------------------------------------- null fields


@pytest.mark.parametrize("target", list(Format))
def test_gemini_optional_fields_sent_as_null_read_as_absent(target: Format) -> None:
    body = {
        "contents": [{"role": "user", "parts": [{"text": "hi"}]}],
        "tools": None,
        "generationConfig": None,
        "systemInstruction": None,
        "toolConfig": None,
        "safetySettings": None,
    }
    assert validate_request(Format.GEMINI, body) == []  # the editor calls it valid: so does the converter
    converted = convert_request(body, Format.GEMINI, target, "m")
    assert converted.warnings == [] or all("max_tokens" in w for w in converted.warnings)
    assert "tools" not in converted.payload


# ---------------------------------------------------------------------------- system messages

CLAUDE_CODE = {
    "model": "m",
    "max_tokens": 100,
    "system": "You are a coding agent.",
    "messages": [
        {"role": "user", "content": "fix it"},
        {"role": "assistant", "content": "Looking."},
        {"role": "system", "content": [{"type": "text", "text": "Reminder: run the tests."}]},
        {"role": "user", "content": "go on"},
    ],
}


def test_anthropic_system_messages_are_kept_in_place_for_anthropic() -> None:
    converted = convert_request(CLAUDE_CODE, Format.ANTHROPIC, Format.ANTHROPIC)
    judge.anthropic_request(converted.payload)  # the SDK's MessageParam includes SystemMessageParam
    assert converted.warnings == []
    assert [m["role"] for m in converted.payload["messages"]] == ["user", "assistant", "system", "user"]


@pytest.mark.parametrize(
    ("target", "accepts"),
    [
        (Format.OPENAI_CHAT, judge.openai_chat_request),
        (Format.OPENAI_RESPONSES, judge.openai_responses_request),
    ],
)
def test_anthropic_system_messages_stay_in_place_for_openai(target: Format, accepts: Any) -> None:
    converted = convert_request(CLAUDE_CODE, Format.ANTHROPIC, target)
    accepts(converted.payload)
    assert converted.warnings == []
    items = converted.payload["messages"] if target is Format.OPENAI_CHAT else converted.payload["input"]
    roles = [m.get("role") for m in items]
    assert roles[-2:] == ["system", "user"] and "Reminder: run the tests." in str(items[-2])
    # ... and come back to Anthropic where they were.
    back = convert_request(converted.payload, target, Format.ANTHROPIC)
    judge.anthropic_request(back.payload)
    assert [m["role"] for m in back.payload["messages"]] == ["user", "assistant", "system", "user"]


def test_anthropic_system_messages_fold_into_gemini_system_instruction_with_a_warning() -> None:
    converted = convert_request(CLAUDE_CODE, Format.ANTHROPIC, Format.GEMINI)
    judge.gemini_request(converted.payload)
    texts = [p["text"] for p in converted.payload["systemInstruction"]["parts"]]
    assert texts == ["You are a coding agent.", "Reminder: run the tests."]
    assert [c["role"] for c in converted.payload["contents"]] == ["user", "model", "user"]
    assert any("systemInstruction" in w and "place is lost" in w for w in converted.warnings)


@pytest.mark.parametrize("target", list(Format))
def test_anthropic_optional_fields_sent_as_null_are_neither_sent_nor_named_dropped(target: Format) -> None:
    body = {
        "model": "m",
        "max_tokens": 5,
        "messages": [{"role": "user", "content": "hi"}],
        "metadata": None,
        "service_tier": None,
        "container": None,
        "system": None,
        "tools": None,
    }
    converted = convert_request(body, Format.ANTHROPIC, target)
    assert converted.warnings == []
    assert None not in converted.payload.values()


# ---------------------------------------------------------------------------- thinking and its limits

_TOOL = {"name": "f", "parametersJsonSchema": {"type": "object"}}
FORCED_WITH_THINKING = {
    Format.GEMINI: {
        "contents": [{"role": "user", "parts": [{"text": "x"}]}],
        "tools": [{"functionDeclarations": [_TOOL]}],
        "toolConfig": {"functionCallingConfig": {"mode": "ANY"}},
        "generationConfig": {"maxOutputTokens": 8000, "thinkingConfig": {"thinkingBudget": 2048}},
    },
    Format.OPENAI_CHAT: {
        "model": "m",
        "messages": [{"role": "user", "content": "x"}],
        "tools": [{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}],
        "tool_choice": "required",
        "reasoning_effort": "high",
        "max_completion_tokens": 1000,
    },
    Format.OPENAI_RESPONSES: {
        "model": "m",
        "input": "x",
        "tools": [{"type": "function", "name": "f", "parameters": {"type": "object"}, "strict": False}],
        "tool_choice": {"type": "function", "name": "f"},
        "reasoning": {"effort": "medium"},
    },
}


@pytest.mark.parametrize("source", list(FORCED_WITH_THINKING))
def test_a_forced_tool_wins_over_thinking_for_anthropic(source: Format) -> None:
    converted = convert_request(FORCED_WITH_THINKING[source], source, Format.ANTHROPIC, "m")
    judge.anthropic_request(converted.payload)
    assert "thinking" not in converted.payload  # Anthropic refuses thinking with a forced tool
    assert converted.payload["tool_choice"]["type"] in ("any", "tool")
    # No room made for a thinking budget that is not sent.
    assert converted.payload["max_tokens"] == {Format.GEMINI: 8000, Format.OPENAI_CHAT: 1000}.get(
        source, 4096
    )
    assert not any("thinking budget" in w or "counts the thinking" in w for w in converted.warnings)
    assert any("cannot think when tool_choice forces a tool" in w for w in converted.warnings)


SAMPLED_WITH_THINKING = {
    Format.GEMINI: {
        "contents": [{"role": "user", "parts": [{"text": "x"}]}],
        "generationConfig": {
            "temperature": 0.3,
            "topP": 0.5,
            "topK": 40,
            "thinkingConfig": {"thinkingBudget": 2048, "includeThoughts": True},
        },
    },
    Format.OPENAI_CHAT: {
        "model": "m",
        "messages": [{"role": "user", "content": "x"}],
        "reasoning_effort": "low",
        "temperature": 0.2,
        "top_p": 0.5,
    },
}


@pytest.mark.parametrize("source", list(SAMPLED_WITH_THINKING))
def test_thinking_wins_over_sampling_settings_for_anthropic(source: Format) -> None:
    converted = convert_request(SAMPLED_WITH_THINKING[source], source, Format.ANTHROPIC, "m")
    judge.anthropic_request(converted.payload)
    assert converted.payload["thinking"]["type"] == "enabled"
    assert not {"temperature", "top_p", "top_k"} & set(converted.payload)
    said = " ".join(converted.warnings)
    assert "temperature" in said and "top_p" in said and ("top_k" in said) is (source is Format.GEMINI)


def test_an_anthropic_body_keeps_what_it_asked_for() -> None:
    body = {
        "model": "m",
        "max_tokens": 4000,
        "thinking": {"type": "enabled", "budget_tokens": 2048},
        "temperature": 0.5,
        "tool_choice": {"type": "any"},
        "tools": [{"name": "f", "input_schema": {"type": "object"}}],
        "messages": [{"role": "user", "content": "x"}],
    }
    payload = convert_request(body, Format.ANTHROPIC, Format.ANTHROPIC).payload
    assert (payload["thinking"], payload["temperature"]) == (body["thinking"], 0.5)
