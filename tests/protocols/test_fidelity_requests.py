"""Conversions every target accepts (issue 12): what a target refuses is made to fit, in every
direction, judged by the official SDKs' request types and each API's documented rules."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from pipellm_tui.protocols import Format, convert_request, convert_response
from pipellm_tui.protocols.convert import convert_sse

from . import sdk_judges as judge

LONG = "mcp__github_enterprise_server__create_or_update_pull_request_review_comment_thread"
assert len(LONG) > 64

#: One conversation in each format: a call of the long-named tool, its result, then the user again.
ANTHROPIC = {
    "model": "m",
    "max_tokens": 100,
    "tools": [{"name": LONG, "input_schema": {"type": "object", "properties": {}}}],
    "tool_choice": {"type": "tool", "name": LONG},
    "messages": [
        {"role": "user", "content": "go"},
        {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_1", "name": LONG, "input": {}}]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_1", "content": "ok"}]},
    ],
}
GEMINI = {
    "tools": [{"functionDeclarations": [{"name": LONG, "parametersJsonSchema": {"type": "object"}}]}],
    "contents": [
        {"role": "user", "parts": [{"text": "go"}]},
        {"role": "model", "parts": [{"functionCall": {"name": LONG, "args": {}}}]},
        {"role": "user", "parts": [{"functionResponse": {"name": LONG, "response": {"r": "ok"}}}]},
    ],
}
OPENAI_TARGETS = [
    (Format.OPENAI_CHAT, judge.openai_chat_request),
    (Format.OPENAI_RESPONSES, judge.openai_responses_request),
]


@pytest.mark.parametrize(("source", "body"), [(Format.ANTHROPIC, ANTHROPIC), (Format.GEMINI, GEMINI)])
@pytest.mark.parametrize(("target", "accepts"), OPENAI_TARGETS)
def test_long_tool_names_fit_openai_and_come_back_in_the_answer(
    source: Format, body: dict[str, Any], target: Format, accepts: Any
) -> None:
    converted = convert_request(body, source, target, "m")
    accepts(converted.payload)
    assert any("tool name" in w and LONG in w for w in converted.warnings)
    (sent,) = converted.tool_names
    assert converted.tool_names == {sent: LONG}
    assert convert_request(body, source, target, "m").tool_names == converted.tool_names  # deterministic
    # The answer calls the name it was given; the caller's format gets the original back.
    if target is Format.OPENAI_CHAT:
        call = {"id": "c1", "type": "function", "function": {"name": sent, "arguments": "{}"}}
        message = {"role": "assistant", "content": None, "tool_calls": [call]}
        answer: dict[str, Any] = {"id": "x", "object": "chat.completion", "created": 1, "model": "m"}
        answer["choices"] = [{"index": 0, "message": message, "finish_reason": "tool_calls"}]
    else:
        item = {"type": "function_call", "id": "fc", "call_id": "c1", "name": sent, "arguments": "{}"}
        answer = {"id": "r", "object": "response", "created_at": 1, "model": "m", "status": "completed"}
        answer["output"] = [item]
    back = convert_response(answer, target, source, converted.tool_names).payload
    names = [b["name"] for b in back.get("content", [])] or [
        p["functionCall"]["name"] for p in back["candidates"][0]["content"]["parts"]
    ]
    assert names == [LONG]
    # Without the map the answer is converted as it came.
    assert LONG not in str(convert_response(answer, target, source).payload)


def test_a_name_that_fits_is_left_alone_and_an_openai_source_keeps_its_own_names() -> None:
    short = {**ANTHROPIC, "tools": [{"name": "get_weather", "input_schema": {"type": "object"}}]}
    short["tool_choice"] = {"type": "auto"}
    short["messages"] = [{"role": "user", "content": "go"}]
    converted = convert_request(short, Format.ANTHROPIC, Format.OPENAI_CHAT)
    assert converted.tool_names == {} and converted.warnings == []
    chat = convert_request(converted.payload, Format.OPENAI_CHAT, Format.OPENAI_RESPONSES)
    assert chat.payload["tools"][0]["name"] == "get_weather"


KIMI_ID = "functions.Bash:0"
KIMI_CHAT = {
    "model": "m",
    "messages": [
        {"role": "user", "content": "run it"},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {"id": KIMI_ID, "type": "function", "function": {"name": "Bash", "arguments": '{"c":"ls"}'}}
            ],
        },
        {"role": "tool", "tool_call_id": KIMI_ID, "content": "a.txt"},
    ],
}
KIMI_RESPONSES = {
    "model": "m",
    "input": [
        {"role": "user", "content": "run it"},
        {"type": "function_call", "call_id": KIMI_ID, "name": "Bash", "arguments": '{"c":"ls"}'},
        {"type": "function_call_output", "call_id": KIMI_ID, "output": "a.txt"},
    ],
}
KIMI_GEMINI = {
    "contents": [
        {"role": "user", "parts": [{"text": "run it"}]},
        {"role": "model", "parts": [{"functionCall": {"id": KIMI_ID, "name": "Bash", "args": {"c": "ls"}}}]},
        {"role": "user", "parts": [{"functionResponse": {"id": KIMI_ID, "name": "Bash", "response": {}}}]},
    ]
}


@pytest.mark.parametrize(
    ("source", "body"),
    [
        (Format.OPENAI_CHAT, KIMI_CHAT),
        (Format.OPENAI_RESPONSES, KIMI_RESPONSES),
        (Format.GEMINI, KIMI_GEMINI),
    ],
)
def test_tool_call_ids_anthropic_refuses_are_mapped_the_same_in_call_and_result(
    source: Format, body: dict[str, Any]
) -> None:
    converted = convert_request(body, source, Format.ANTHROPIC, "m")
    judge.anthropic_request(converted.payload)
    call = converted.payload["messages"][1]["content"][0]
    result = converted.payload["messages"][2]["content"][0]
    assert call["id"] == result["tool_use_id"] != KIMI_ID
    assert call["id"].startswith("functions_Bash_0_")
    assert any("tool call ids" in w for w in converted.warnings)


def test_gemini_names_with_dots_fit_anthropic_and_come_back() -> None:
    body = {
        "tools": [
            {
                "functionDeclarations": [
                    {"name": "github.get_issue", "parametersJsonSchema": {"type": "object"}}
                ]
            }
        ],
        "contents": [{"role": "user", "parts": [{"text": "go"}]}],
    }
    converted = convert_request(body, Format.GEMINI, Format.ANTHROPIC, "m")
    judge.anthropic_request(converted.payload)
    sent = converted.payload["tools"][0]["name"]
    assert judge.ANTHROPIC_ID.match(sent) and converted.tool_names == {sent: "github.get_issue"}
    answer = {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "model": "m",
        "content": [{"type": "tool_use", "id": "toolu_1", "name": sent, "input": {}}],
        "stop_reason": "tool_use",
        "usage": {"input_tokens": 1, "output_tokens": 1},
    }
    back = convert_response(answer, Format.ANTHROPIC, Format.GEMINI, converted.tool_names).payload
    assert back["candidates"][0]["content"]["parts"][0]["functionCall"]["name"] == "github.get_issue"


#: google-genai's FunctionDeclaration.name: a letter or _ first, then a-z, A-Z, 0-9, _ . : -, 128 at most.
GEMINI_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_.:-]{0,127}\Z")
DIGIT_FIRST = "2fa-code"  # fits OpenAI and Anthropic, not Gemini
CHAT_DIGIT = {
    "model": "m",
    "tools": [{"type": "function", "function": {"name": DIGIT_FIRST, "parameters": {"type": "object"}}}],
    "tool_choice": {"type": "function", "function": {"name": DIGIT_FIRST}},
    "messages": [
        {"role": "user", "content": "code?"},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {"id": "c1", "type": "function", "function": {"name": DIGIT_FIRST, "arguments": "{}"}}
            ],
        },
        {"role": "tool", "tool_call_id": "c1", "content": "123456"},
    ],
}
ANTHROPIC_DIGIT = {
    "model": "m",
    "max_tokens": 100,
    "tools": [{"name": DIGIT_FIRST, "input_schema": {"type": "object"}}],
    "tool_choice": {"type": "tool", "name": DIGIT_FIRST},
    "messages": [
        {"role": "user", "content": "code?"},
        {
            "role": "assistant",
            "content": [{"type": "tool_use", "id": "c1", "name": DIGIT_FIRST, "input": {}}],
        },
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "c1", "content": "123456"}]},
    ],
}


@pytest.mark.parametrize(
    ("source", "body"), [(Format.OPENAI_CHAT, CHAT_DIGIT), (Format.ANTHROPIC, ANTHROPIC_DIGIT)]
)
def test_names_gemini_refuses_fit_it_and_come_back(source: Format, body: dict[str, Any]) -> None:
    converted = convert_request(body, source, Format.GEMINI, "m")
    payload = converted.payload
    judge.gemini_request(payload)
    (sent,) = converted.tool_names
    assert converted.tool_names == {sent: DIGIT_FIRST} and GEMINI_NAME.match(sent)
    assert payload["tools"][0]["functionDeclarations"][0]["name"] == sent
    assert payload["toolConfig"]["functionCallingConfig"]["allowedFunctionNames"] == [sent]
    call, result = payload["contents"][1]["parts"][0], payload["contents"][2]["parts"][0]
    assert call["functionCall"]["name"] == result["functionResponse"]["name"] == sent
    assert any(DIGIT_FIRST in w and "start with a letter" in w for w in converted.warnings)
    answer = {
        "candidates": [
            {
                "content": {"role": "model", "parts": [{"functionCall": {"name": sent, "args": {}}}]},
                "finishReason": "STOP",
            }
        ],
        "responseId": "r1",
    }
    back = convert_response(answer, Format.GEMINI, source, converted.tool_names).payload
    assert DIGIT_FIRST in str(back) and sent not in str(back)
    stream = "data: " + json.dumps(answer) + "\n\n"
    assert DIGIT_FIRST in convert_sse(stream, Format.GEMINI, source, converted.tool_names).text


def test_a_name_or_id_with_a_lone_surrogate_is_fitted_not_a_crash() -> None:
    body = {**ANTHROPIC_DIGIT, "tools": [{"name": "get\ud800", "input_schema": {"type": "object"}}]}
    body["tool_choice"] = {"type": "auto"}
    body["messages"] = [{"role": "user", "content": "x"}]
    for target in (Format.OPENAI_CHAT, Format.GEMINI):
        (sent,) = convert_request(body, Format.ANTHROPIC, target).tool_names
        assert "\ud800" not in sent
    chat = {**KIMI_CHAT, "messages": [{**m} for m in KIMI_CHAT["messages"]]}
    chat["messages"][1]["tool_calls"] = [{**KIMI_CHAT["messages"][1]["tool_calls"][0], "id": "c\ud800"}]
    chat["messages"][2]["tool_call_id"] = "c\ud800"
    payload = convert_request(chat, Format.OPENAI_CHAT, Format.ANTHROPIC).payload
    assert payload["messages"][1]["content"][0]["id"] == payload["messages"][2]["content"][0]["tool_use_id"]


KIMI_ANSWERS = {
    Format.OPENAI_CHAT: {
        "id": "x",
        "object": "chat.completion",
        "created": 1,
        "model": "m",
        "choices": [
            {
                "index": 0,
                "message": {
                    "role": "assistant",
                    "content": None,
                    "tool_calls": [
                        {"id": KIMI_ID, "type": "function", "function": {"name": "Bash", "arguments": "{}"}}
                    ],
                },
                "finish_reason": "tool_calls",
            }
        ],
    },
    Format.OPENAI_RESPONSES: {
        "id": "r",
        "object": "response",
        "created_at": 1,
        "model": "m",
        "status": "completed",
        "output": [
            {"type": "function_call", "id": "fc", "call_id": KIMI_ID, "name": "Bash", "arguments": "{}"}
        ],
    },
    Format.GEMINI: {
        "candidates": [
            {
                "content": {
                    "role": "model",
                    "parts": [{"functionCall": {"id": KIMI_ID, "name": "Bash", "args": {}}}],
                },
                "finishReason": "STOP",
            }
        ],
        "responseId": "r",
    },
}


@pytest.mark.parametrize("source", list(KIMI_ANSWERS))
def test_answers_with_such_ids_reach_anthropic_clients_with_the_ids_their_results_will_use(
    source: Format,
) -> None:
    answer = KIMI_ANSWERS[source]
    body = convert_response(answer, source, Format.ANTHROPIC).payload
    (block,) = body["content"]
    judge.anthropic_types.Message.model_validate(body)
    assert judge.ANTHROPIC_ID.match(block["id"])
    # The id the client gets is the one the next request's result is mapped to.
    request = convert_request(KIMI_CHAT, Format.OPENAI_CHAT, Format.ANTHROPIC, "m").payload
    assert block["id"] == request["messages"][2]["content"][0]["tool_use_id"]
    message = judge.anthropic_stream(convert_sse(_kimi_stream(source), source, Format.ANTHROPIC).text)
    assert [b.id for b in message.content if b.type == "tool_use"] == [block["id"]]


def _kimi_stream(source: Format) -> str:
    """The same answer as its format's stream."""
    if source is Format.GEMINI:
        return f"data: {json.dumps(KIMI_ANSWERS[source])}\n\n"
    if source is Format.OPENAI_CHAT:
        head = {"id": "x", "object": "chat.completion.chunk", "created": 1, "model": "m"}
        call = {
            "index": 0,
            "id": KIMI_ID,
            "type": "function",
            "function": {"name": "Bash", "arguments": "{}"},
        }
        chunks = [
            {**head, "choices": [{"index": 0, "delta": {"role": "assistant", "tool_calls": [call]}}]},
            {**head, "choices": [{"index": 0, "delta": {}, "finish_reason": "tool_calls"}]},
        ]
        return "".join(f"data: {json.dumps(c)}\n\n" for c in chunks) + "data: [DONE]\n\n"
    item = {"type": "function_call", "id": "fc", "call_id": KIMI_ID, "name": "Bash", "arguments": ""}
    done = {**item, "arguments": "{}", "status": "completed"}
    response = {
        "id": "r",
        "object": "response",
        "created_at": 1,
        "model": "m",
        "status": "in_progress",
        "output": [],
    }
    events = [
        {"type": "response.created", "response": response},
        {"type": "response.output_item.added", "output_index": 0, "item": item},
        {"type": "response.function_call_arguments.delta", "output_index": 0, "item_id": "fc", "delta": "{}"},
        {"type": "response.output_item.done", "output_index": 0, "item": done},
        {"type": "response.completed", "response": {**response, "status": "completed", "output": [done]}},
    ]
    return "".join(f"event: {e['type']}\ndata: {json.dumps(e)}\n\n" for e in events)


LONG_ID = "ws_689e2d4880a0819d98acca37694989b00b15d90494fc6b87"  # 51 characters, seen from a proxy
LONG_ID_SOURCES = {
    Format.ANTHROPIC: {
        "model": "m",
        "max_tokens": 5,
        "messages": [
            {"role": "user", "content": "run it"},
            {
                "role": "assistant",
                "content": [{"type": "tool_use", "id": LONG_ID, "name": "Bash", "input": {}}],
            },
            {
                "role": "user",
                "content": [{"type": "tool_result", "tool_use_id": LONG_ID, "content": "a.txt"}],
            },
        ],
    },
    Format.OPENAI_RESPONSES: {
        **KIMI_RESPONSES,
        "input": json.loads(json.dumps(KIMI_RESPONSES["input"]).replace(KIMI_ID, LONG_ID)),
    },
    Format.GEMINI: json.loads(json.dumps(KIMI_GEMINI).replace(KIMI_ID, LONG_ID)),
}


@pytest.mark.parametrize("source", list(LONG_ID_SOURCES))
def test_tool_call_ids_over_40_characters_fit_openai_chat(source: Format) -> None:
    converted = convert_request(LONG_ID_SOURCES[source], source, Format.OPENAI_CHAT, "m")
    judge.openai_chat_request(converted.payload)
    messages = converted.payload["messages"]
    (call,) = messages[1]["tool_calls"]
    assert call["id"] == messages[2]["tool_call_id"] and len(call["id"]) == 40
    assert call["id"].startswith(LONG_ID[:31])
    assert any("40 characters at most" in w for w in converted.warnings)
    # A Chat body keeps its own ids; ids that fit are left alone.
    same = convert_request(KIMI_CHAT, Format.OPENAI_CHAT, Format.OPENAI_CHAT).payload
    assert same["messages"][2]["tool_call_id"] == KIMI_ID
