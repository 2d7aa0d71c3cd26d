"""Settings and hosted tools one format keeps as extras, given their home in the target (issue 12):
no more "dropped" warnings for what the target has under another name."""

from __future__ import annotations

from typing import Any

import pytest

from pipellm_tui.protocols import Format, convert_request

from . import sdk_judges as judge

CHAT = {
    "model": "m",
    "messages": [{"role": "user", "content": "hi"}],
    "frequency_penalty": 0.5,
    "presence_penalty": -0.25,
    "logprobs": True,
    "top_logprobs": 3,
}


def test_penalties_and_logprobs_go_to_gemini_and_back() -> None:
    converted = convert_request(CHAT, Format.OPENAI_CHAT, Format.GEMINI)
    assert converted.warnings == []
    config = judge.gemini_request(converted.payload)
    assert (config.frequency_penalty, config.presence_penalty) == (0.5, -0.25)
    assert (config.response_logprobs, config.logprobs) == (True, 3)
    back = convert_request(converted.payload, Format.GEMINI, Format.OPENAI_CHAT, "m")
    assert back.warnings == []
    judge.openai_chat_request(back.payload)
    assert {k: back.payload[k] for k in CHAT if k != "messages"} == {
        k: v for k, v in CHAT.items() if k != "messages"
    }


def test_gemini_snake_case_penalties_reach_openai_chat() -> None:
    body = {
        "contents": [{"role": "user", "parts": [{"text": "hi"}]}],
        "generation_config": {"frequency_penalty": 1.0, "response_logprobs": True, "logprobs": 2},
    }
    converted = convert_request(body, Format.GEMINI, Format.OPENAI_CHAT, "m")
    assert converted.warnings == []
    assert (converted.payload["frequency_penalty"], converted.payload["top_logprobs"]) == (1.0, 2)


def test_penalties_still_named_where_there_is_no_home() -> None:
    converted = convert_request(CHAT, Format.OPENAI_CHAT, Format.ANTHROPIC)
    assert any(w.startswith("frequency_penalty:") for w in converted.warnings)


ANTHROPIC: dict[str, Any] = {
    "model": "m",
    "max_tokens": 100,
    "metadata": {"user_id": "user-42"},
    "messages": [{"role": "user", "content": "hi"}],
}


@pytest.mark.parametrize(
    ("target", "accepts"),
    [
        (Format.OPENAI_CHAT, judge.openai_chat_request),
        (Format.OPENAI_RESPONSES, judge.openai_responses_request),
    ],
)
def test_anthropic_user_id_becomes_openai_safety_identifier_and_back(target: Format, accepts: Any) -> None:
    converted = convert_request(ANTHROPIC, Format.ANTHROPIC, target)
    accepts(converted.payload)
    assert converted.payload["safety_identifier"] == "user-42"
    assert converted.warnings == []
    back = convert_request(converted.payload, target, Format.ANTHROPIC)
    judge.anthropic_request(back.payload)
    assert back.payload["metadata"] == {"user_id": "user-42"}


WEB_SEARCH = {"type": "web_search_20250305", "name": "web_search", "max_uses": 3}


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        (Format.GEMINI, lambda p: p["tools"] == [{"googleSearch": {}}]),
        (Format.OPENAI_RESPONSES, lambda p: p["tools"] == [{"type": "web_search"}]),
        (Format.OPENAI_CHAT, lambda p: p["web_search_options"] == {}),
    ],
)
def test_anthropic_web_search_is_carried_not_reported_as_tools_dropped(target: Format, expected: Any) -> None:
    body = {**ANTHROPIC, "tools": [WEB_SEARCH]}
    del body["metadata"]
    converted = convert_request(body, Format.ANTHROPIC, target)
    assert expected(converted.payload)
    assert not any("hosted tool" in w for w in converted.warnings)
    # What the target cannot set on it is named.
    assert any("'max_uses'" in w for w in converted.warnings)


def test_only_the_server_tool_without_a_home_is_named() -> None:
    bash = {"type": "bash_20250124", "name": "bash"}
    body = {**ANTHROPIC, "tools": [WEB_SEARCH, bash]}
    converted = convert_request(body, Format.ANTHROPIC, Format.GEMINI)
    assert converted.payload["tools"] == [{"googleSearch": {}}]
    (named,) = [w for w in converted.warnings if "hosted tool" in w]
    assert "'bash_20250124'" in named and "web_search" not in named


GEMINI_HOSTED = {
    "contents": [{"role": "user", "parts": [{"text": "search and compute"}]}],
    "tools": [{"googleSearch": {}}, {"codeExecution": {}}],
}


def test_gemini_hosted_tools_reach_anthropic_and_responses() -> None:
    anthropic = convert_request(GEMINI_HOSTED, Format.GEMINI, Format.ANTHROPIC, "m")
    judge.anthropic_request(anthropic.payload)
    assert [t["name"] for t in anthropic.payload["tools"]] == ["web_search", "code_execution"]
    responses = convert_request(GEMINI_HOSTED, Format.GEMINI, Format.OPENAI_RESPONSES, "m")
    judge.openai_responses_request(responses.payload)
    assert [t["type"] for t in responses.payload["tools"]] == ["web_search", "code_interpreter"]
    chat = convert_request(GEMINI_HOSTED, Format.GEMINI, Format.OPENAI_CHAT, "m")
    judge.openai_chat_request(chat.payload)
    assert chat.payload["web_search_options"] == {}
    assert any(w.startswith("tools.codeExecution:") for w in chat.warnings)


def test_chat_web_search_options_reach_the_others() -> None:
    body = {"model": "m", "messages": [{"role": "user", "content": "news?"}], "web_search_options": {}}
    gemini = convert_request(body, Format.OPENAI_CHAT, Format.GEMINI).payload
    assert gemini["tools"] == [{"googleSearch": {}}]
    anthropic = convert_request(body, Format.OPENAI_CHAT, Format.ANTHROPIC).payload
    assert anthropic["tools"] == [{"type": "web_search_20250305", "name": "web_search"}]
