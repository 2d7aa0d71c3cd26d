"""A conversation as Markdown or JSON: the same conversation in any format exports the same."""

from __future__ import annotations

import json

from pipellm_tui.export.conversation import conversation_json, conversation_markdown
from pipellm_tui.protocols import ir
from pipellm_tui.protocols.convert import convert_request
from pipellm_tui.protocols.formats import Format

ANTHROPIC = {
    "model": "claude-sonnet-4-5-20250929",
    "max_tokens": 100,
    "system": "Be brief.",
    "messages": [
        {"role": "user", "content": "Weather in Paris?"},
        {"role": "assistant", "content": [
            {"type": "thinking", "thinking": "Use the tool.", "signature": "s"},
            {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"city": "Paris"}},
        ]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_1", "content": "21 C"}]},
    ],
}  # fmt: skip


def test_markdown_reads_as_a_conversation() -> None:
    answer = ir.Response(candidates=[ir.Candidate([ir.TextPart("It is 21 C in Paris.")])])
    text = conversation_markdown(Format.ANTHROPIC, ANTHROPIC, answer=answer)
    assert text.startswith("# Conversation · Anthropic Messages · claude-sonnet-4-5-20250929\n")
    order = ["## System", "Be brief.", "## User", "Weather in Paris?", "## Assistant", "> Thinking: Use the tool.",
             "**Tool call** `get_weather` (`toolu_1`)", '"city": "Paris"', "## User",
             "**Tool result** for `toolu_1`", "21 C", "## Assistant", "It is 21 C in Paris."]  # fmt: skip
    positions = [text.index(piece, text.index(order[i - 1]) if i else 0) for i, piece in enumerate(order)]
    assert positions == sorted(positions)


def test_json_is_the_same_whatever_the_format() -> None:
    exported = json.loads(conversation_json(Format.ANTHROPIC, ANTHROPIC))
    assert exported["system"] == "Be brief." and exported["format"] == "anthropic"
    assert [m["role"] for m in exported["messages"]] == ["user", "assistant", "user"]
    assert exported["messages"][1]["parts"][1] == {
        "type": "tool_call", "id": "toolu_1", "name": "get_weather", "arguments": {"city": "Paris"},
    }  # fmt: skip
    as_chat = convert_request(ANTHROPIC, Format.ANTHROPIC, Format.OPENAI_CHAT).payload
    from_chat = json.loads(conversation_json(Format.OPENAI_CHAT, as_chat))
    assert from_chat["messages"] == exported["messages"]
    gemini = convert_request(ANTHROPIC, Format.ANTHROPIC, Format.GEMINI).payload
    from_gemini = json.loads(conversation_json(Format.GEMINI, gemini, model="claude-sonnet-4-5-20250929"))
    assert from_gemini["model"] == "claude-sonnet-4-5-20250929"
    assert [m["role"] for m in from_gemini["messages"]] == ["user", "assistant", "user"]
