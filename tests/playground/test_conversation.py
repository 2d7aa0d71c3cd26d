"""Continue, fork and answer a tool call, in all four formats, with real answers from the sandbox:
each edited request must be accepted by the sandbox and say what the edit says."""

from __future__ import annotations

from typing import Any

import pytest

from pipellm_tui.client import PlaygroundClient
from pipellm_tui.client.events import Exchange
from pipellm_tui.playground.conversation import (
    ConversationProblem,
    answer_from_body,
    answer_tool_call,
    continue_conversation,
    fork,
    pending_tool_calls,
    turns,
)
from pipellm_tui.protocols import ir
from pipellm_tui.protocols.formats import Format
from pipellm_tui.protocols.templates import starter_request

MODELS = {
    Format.OPENAI_CHAT: "gpt-4o",
    Format.OPENAI_RESPONSES: "gpt-4o",
    Format.ANTHROPIC: "claude-sonnet-4-5-20250929",
    Format.GEMINI: "gemini-2.5-flash",
}
SCHEMA = {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}
TOOLS: dict[Format, tuple[str, Any, str, Any]] = {
    Format.OPENAI_CHAT: (
        "tools", [{"type": "function", "function": {"name": "get_weather", "parameters": SCHEMA}}],
        "tool_choice", "required",
    ),
    Format.OPENAI_RESPONSES: (
        "tools", [{"type": "function", "name": "get_weather", "parameters": SCHEMA}], "tool_choice", "required",
    ),
    Format.ANTHROPIC: (
        "tools", [{"name": "get_weather", "input_schema": SCHEMA}], "tool_choice", {"type": "any"},
    ),
    Format.GEMINI: (
        "tools", [{"functionDeclarations": [{"name": "get_weather", "parameters": SCHEMA}]}],
        "toolConfig", {"functionCallingConfig": {"mode": "ANY"}},
    ),
}  # fmt: skip


async def send(sandbox: Any, fmt: Format, body: dict[str, Any]) -> Exchange:
    client = PlaygroundClient()
    try:
        exchange = await client.send_collect(
            client.plan(sandbox.base_url, sandbox.api_key, fmt, "native", MODELS[fmt], body)
        )
    finally:
        await client.aclose()
    assert exchange.status == 200 and exchange.response is not None, exchange.error
    return exchange


@pytest.mark.parametrize("fmt", list(Format))
async def test_continue_then_fork(sandbox: Any, fmt: Format) -> None:
    model = MODELS[fmt]
    body = {k: v for k, v in starter_request(fmt).items() if k != "stream"}
    first = await send(sandbox, fmt, body)
    assert first.response is not None
    edited = continue_conversation(fmt, body, first.response, user_text="Say it again, shorter.", model=model)
    assert edited.warnings == []
    shown = turns(fmt, edited.body, model)
    assert [t.role for t in shown] == ["user", "assistant", "user"]
    assert shown[1].preview == first.response.text[: len(shown[1].preview) - 1] + "…" or (
        shown[1].preview == first.response.text
    )
    assert shown[2].preview == "Say it again, shorter."
    await send(sandbox, fmt, edited.body)  # the sandbox takes the longer conversation
    cut = fork(fmt, edited.body, 1, model=model)
    assert [t.role for t in turns(fmt, cut.body, model)] == ["user"]
    assert turns(fmt, cut.body, model)[0] == shown[0]
    with pytest.raises(ConversationProblem, match="Cannot keep 9 turns"):
        fork(fmt, edited.body, 9, model=model)


@pytest.mark.parametrize("fmt", list(Format))
async def test_a_tool_call_answered_by_a_typed_result(sandbox: Any, fmt: Format) -> None:
    model = MODELS[fmt]
    tools_key, tools, choice_key, choice = TOOLS[fmt]
    body = {k: v for k, v in starter_request(fmt).items() if k != "stream"}
    body[tools_key], body[choice_key] = tools, choice
    called = await send(sandbox, fmt, body)
    assert called.response is not None
    edited = continue_conversation(fmt, body, called.response, model=model)
    [call] = pending_tool_calls(fmt, edited.body, model)
    assert call.name == "get_weather"
    assert [t.role for t in turns(fmt, edited.body, model)] == ["user", "assistant"]  # no user turn yet
    answered = answer_tool_call(fmt, edited.body, call.id, {"city": "Paris", "celsius": 21}, model=model)
    assert pending_tool_calls(fmt, answered.body, model) == []
    last = turns(fmt, answered.body, model)[-1]
    assert last.role == "user" and '"celsius": 21' in last.preview
    answered.body.pop(choice_key)  # let the model answer in words now
    final = await send(sandbox, fmt, answered.body)
    assert final.response is not None and final.response.text
    with pytest.raises(ConversationProblem, match="No tool call 'nope'"):
        answer_tool_call(fmt, edited.body, "nope", "x", model=model)


def test_thinking_is_kept_where_the_format_has_it_and_named_where_not() -> None:
    answer = ir.Response(
        candidates=[ir.Candidate([ir.ThinkingPart("hmm", signature="sig"), ir.TextPart("42")])]
    )
    body = {"max_tokens": 100, "messages": [{"role": "user", "content": "6*7?"}]}
    kept = continue_conversation(Format.ANTHROPIC, body, answer, model="claude-x")
    assert kept.body["messages"][1]["content"][0] == {
        "type": "thinking",
        "thinking": "hmm",
        "signature": "sig",
    }
    chat = continue_conversation(Format.OPENAI_CHAT, {"messages": body["messages"]}, answer, model="gpt-4o")
    assert chat.body["messages"][1]["content"] == "42"
    assert any("thinking" in w.lower() for w in chat.warnings)


def test_an_answer_from_a_history_entry_body() -> None:
    body = {"id": "msg_1", "type": "message", "role": "assistant", "model": "claude-x", "content": [
        {"type": "text", "text": "from history"}], "stop_reason": "end_turn",
        "usage": {"input_tokens": 1, "output_tokens": 2}}  # fmt: skip
    assert answer_from_body(Format.ANTHROPIC, body).text == "from history"
