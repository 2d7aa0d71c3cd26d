"""Limits one format has and another does not (issue 12): what a target refuses by count is cut to
fit and named; turns of one role in a row merged whichever format they came from."""

from __future__ import annotations

from typing import Any

import pytest

from pipellm_tui.protocols import Format, convert_request

from . import sdk_judges as judge

SIX = ["1", "2", "3", "4", "5", "6"]


def test_gemini_gets_at_most_five_stop_sequences() -> None:
    body = {
        "model": "m",
        "max_tokens": 5,
        "stop_sequences": SIX,
        "messages": [{"role": "user", "content": "x"}],
    }
    converted = convert_request(body, Format.ANTHROPIC, Format.GEMINI)
    config = judge.gemini_request(converted.payload)
    assert config.stop_sequences == SIX[:5]
    assert any("at most 5 stop sequences" in w and "'6'" in w for w in converted.warnings)
    # A Gemini body is sent as written (its own API judges it).
    gemini = {
        "contents": [{"role": "user", "parts": [{"text": "x"}]}],
        "generationConfig": {"stopSequences": SIX},
    }
    assert convert_request(gemini, Format.GEMINI, Format.GEMINI).payload == gemini


#: Two user turns, then two assistant turns: Anthropic and Gemini bodies may hold them.
ANTHROPIC_TURNS = {
    "model": "m",
    "max_tokens": 5,
    "messages": [
        {"role": "user", "content": "a"},
        {"role": "user", "content": "b"},
        {"role": "assistant", "content": "x"},
        {"role": "assistant", "content": [{"type": "tool_use", "id": "t1", "name": "f", "input": {}}]},
        {"role": "user", "content": "never mind"},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t1", "content": "ok"}]},
    ],
}
GEMINI_TURNS = {
    "contents": [
        {"role": "user", "parts": [{"text": "a"}]},
        {"role": "user", "parts": [{"text": "b"}]},
        {"role": "model", "parts": [{"text": "x"}]},
        {"role": "model", "parts": [{"functionCall": {"id": "t1", "name": "f", "args": {}}}]},
        {"role": "user", "parts": [{"text": "never mind"}]},
        {"role": "user", "parts": [{"functionResponse": {"id": "t1", "name": "f", "response": {"r": "ok"}}}]},
    ]
}


@pytest.mark.parametrize(
    ("source", "body", "target"),
    [(Format.ANTHROPIC, ANTHROPIC_TURNS, Format.GEMINI), (Format.GEMINI, GEMINI_TURNS, Format.ANTHROPIC)],
)
def test_turns_of_one_role_merge_between_anthropic_and_gemini(
    source: Format, body: dict[str, Any], target: Format
) -> None:
    payload = convert_request(body, source, target, "m").payload
    if target is Format.GEMINI:
        judge.gemini_request(payload)
        turns = [(c["role"], [next(iter(p)) for p in c["parts"]]) for c in payload["contents"]]
        assert turns == [
            ("user", ["text", "text"]),
            ("model", ["text", "functionCall"]),
            ("user", ["functionResponse", "text"]),  # the result first, as Gemini pairs it with the call
        ]
    else:
        judge.anthropic_request(payload)
        turns = [
            (m["role"], [b["type"] for b in m["content"]] if isinstance(m["content"], list) else ["text"])
            for m in payload["messages"]
        ]
        assert turns == [
            ("user", ["text", "text"]),
            ("assistant", ["text", "tool_use"]),
            ("user", ["tool_result", "text"]),  # Anthropic wants the results first
        ]


def thinking_request(model: str, thinking: dict[str, Any]) -> dict[str, Any]:
    """An Anthropic request for `model` with `thinking` as given."""
    return {
        "model": model,
        "max_tokens": 5,
        "thinking": thinking,
        "messages": [{"role": "user", "content": "x"}],
    }


@pytest.mark.parametrize(
    ("model", "thinking", "sent"),
    [
        ("gemini-2.5-pro", {"type": "disabled"}, 128),  # 2.5 Pro cannot stop thinking: 0 is refused
        ("gemini-2.5-pro", {"type": "enabled", "budget_tokens": 60000}, 32768),
        ("gemini-2.5-flash", {"type": "enabled", "budget_tokens": 60000}, 24576),
        ("gemini-2.5-flash-lite", {"type": "enabled", "budget_tokens": 100}, 512),
    ],
)
def test_thinking_budgets_fit_the_gemini_model(model: str, thinking: dict[str, Any], sent: int) -> None:
    converted = convert_request(thinking_request(model, thinking), Format.ANTHROPIC, Format.GEMINI)
    config = judge.gemini_request(converted.payload)
    assert config.thinking_config is not None and config.thinking_config.thinking_budget == sent
    assert any(model in w for w in converted.warnings)


def test_budgets_the_model_takes_are_left_alone() -> None:
    for model, budget in (("gemini-2.5-flash", 0), ("gemini-2.5-pro", 2048)):
        thinking = {"type": "disabled"} if budget == 0 else {"type": "enabled", "budget_tokens": budget}
        converted = convert_request(thinking_request(model, thinking), Format.ANTHROPIC, Format.GEMINI)
        assert converted.payload["generationConfig"]["thinkingConfig"]["thinkingBudget"] == budget
        assert not any(model in w for w in converted.warnings)
    # A Gemini body is sent as written.
    gemini = {
        "contents": [{"role": "user", "parts": [{"text": "x"}]}],
        "generationConfig": {"thinkingConfig": {"thinkingBudget": 0}},
    }
    assert convert_request(gemini, Format.GEMINI, Format.GEMINI, "gemini-2.5-pro").payload == gemini


def chat_with_effort(model: str, effort: str) -> dict[str, Any]:
    return {"model": model, "reasoning_effort": effort, "messages": [{"role": "user", "content": "x"}]}


@pytest.mark.parametrize(
    ("source", "body", "level", "warned"),
    [
        # An effort Gemini 3 has a level for is sent as that level, without a word.
        (Format.OPENAI_CHAT, chat_with_effort("gemini-3-pro", "low"), "LOW", False),
        (Format.OPENAI_CHAT, chat_with_effort("gemini-3-flash", "medium"), "MEDIUM", False),
        # Pro has LOW and HIGH only: the level above, said; an effort above HIGH gets HIGH.
        (Format.OPENAI_CHAT, chat_with_effort("gemini-3-pro", "medium"), "HIGH", True),
        (Format.OPENAI_CHAT, chat_with_effort("gemini-3-flash", "xhigh"), "HIGH", True),
        # Gemini 3 cannot turn thinking off: its least level, said.
        (Format.OPENAI_CHAT, chat_with_effort("gemini-3-flash", "none"), "MINIMAL", True),
        (Format.ANTHROPIC, thinking_request("gemini-3-pro", {"type": "disabled"}), "LOW", True),
        # A budget becomes the least level whose budget holds it (1024 LOW, 8192 MEDIUM...).
        (Format.ANTHROPIC, thinking_request("gemini-3-flash", {"type": "enabled", "budget_tokens": 1024}), "LOW", True),
        (Format.ANTHROPIC, thinking_request("gemini-3-pro", {"type": "enabled", "budget_tokens": 2048}), "HIGH", True),
        (
            Format.OPENAI_RESPONSES,
            {"model": "gemini-3-flash-preview", "input": "x", "reasoning": {"effort": "minimal"}},
            "MINIMAL",
            False,
        ),
    ],
)
def test_gemini_3_gets_a_thinking_level_not_a_budget(
    source: Format, body: dict[str, Any], level: str, warned: bool
) -> None:
    converted = convert_request(body, source, Format.GEMINI)
    config = judge.gemini_request(converted.payload)  # the SDK reads it as Gemini's enum
    assert config.thinking_config is not None and config.thinking_config.thinking_level == level
    assert config.thinking_config.thinking_budget is None  # never both: Gemini refuses that
    assert any("thinking" in w for w in converted.warnings) is warned


def test_gemini_2_5_keeps_budgets_and_a_gemini_body_keeps_its_level() -> None:
    converted = convert_request(chat_with_effort("gemini-2.5-flash", "low"), Format.OPENAI_CHAT, Format.GEMINI)
    assert converted.payload["generationConfig"]["thinkingConfig"] == {"thinkingBudget": 1024}
    gemini = {
        "contents": [{"role": "user", "parts": [{"text": "x"}]}],
        "generationConfig": {"thinkingConfig": {"thinkingLevel": "HIGH"}},
    }
    for model in ("gemini-3-pro", "gemini-2.5-flash", "a-model-this-file-does-not-know"):
        sent = convert_request(gemini, Format.GEMINI, Format.GEMINI, model)
        assert sent.payload == gemini and sent.warnings == []
    medium = {**gemini, "generationConfig": {"thinkingConfig": {"thinkingLevel": "medium"}}}
    sent = convert_request(medium, Format.GEMINI, Format.GEMINI, "gemini-3-pro")  # Pro: LOW, HIGH here
    assert sent.payload["generationConfig"]["thinkingConfig"] == {"thinkingLevel": "MEDIUM"}
    # Its level read by other formats as an effort.
    assert convert_request(gemini, Format.GEMINI, Format.OPENAI_CHAT, "gpt-5").payload["reasoning_effort"] == "high"


def test_responses_gets_each_output_right_after_its_call() -> None:
    # Gemini lets a user turn say something before its function response.
    body = {
        "contents": [
            {"role": "user", "parts": [{"text": "go"}]},
            {"role": "model", "parts": [{"functionCall": {"id": "c1", "name": "f", "args": {}}}]},
            {
                "role": "user",
                "parts": [{"text": "here:"}, {"functionResponse": {"id": "c1", "name": "f", "response": {}}}],
            },
        ]
    }
    items = convert_request(body, Format.GEMINI, Format.OPENAI_RESPONSES, "m").payload["input"]
    judge.openai_responses_request({"model": "m", "input": items})
    kinds = [item.get("type", "message") for item in items]
    assert kinds == ["message", "function_call", "function_call_output", "message"]
    # A Responses body is sent in its own order.
    responses = {"model": "m", "input": [*items[:2], items[3], items[2]]}
    assert convert_request(responses, Format.OPENAI_RESPONSES, Format.OPENAI_RESPONSES).payload["input"] == [
        {**i, "content": [{"type": "input_text", "text": i["content"][0]["text"]}]} if "role" in i else i
        for i in responses["input"]
    ]
