"""Empty text a target refuses (issue 12): Anthropic refuses empty text blocks and empty messages,
Gemini an empty text part ("required oneof field 'data'") and a turn without parts. OpenAI clients
send `content: ""`; Claude Code sends an empty text block between thinking and a tool call."""

from __future__ import annotations

from typing import Any

import pytest

from pipellm_tui.protocols import Format, convert_request

from . import sdk_judges as judge

CHAT = {
    "model": "m",
    "messages": [
        {"role": "system", "content": ""},
        {"role": "user", "content": "list the files"},
        {
            "role": "assistant",
            "content": "",
            "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "ls", "arguments": "{}"}}],
        },
        {"role": "tool", "tool_call_id": "c1", "content": "a.txt"},
        {"role": "assistant", "content": ""},
        {"role": "user", "content": [{"type": "text", "text": ""}, {"type": "text", "text": "thanks"}]},
    ],
}
CLAUDE_CODE = {
    "model": "m",
    "max_tokens": 100,
    "messages": [
        {"role": "user", "content": "list the files"},
        {
            "role": "assistant",
            "content": [
                {"type": "thinking", "thinking": "Run ls.", "signature": "c2ln"},
                {"type": "text", "text": ""},
                {"type": "tool_use", "id": "c1", "name": "ls", "input": {}},
            ],
        },
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "c1", "content": "a.txt"}]},
        {"role": "assistant", "content": [{"type": "text", "text": ""}]},
        {"role": "user", "content": "thanks"},
    ],
}
RESPONSES = {
    "model": "m",
    "input": [
        {"role": "user", "content": "list the files"},
        {"type": "function_call", "call_id": "c1", "name": "ls", "arguments": "{}"},
        {"type": "function_call_output", "call_id": "c1", "output": "a.txt"},
        {"role": "assistant", "content": [{"type": "output_text", "text": ""}]},
        {"role": "user", "content": [{"type": "input_text", "text": "thanks"}]},
    ],
}
SOURCES = [(Format.OPENAI_CHAT, CHAT), (Format.ANTHROPIC, CLAUDE_CODE), (Format.OPENAI_RESPONSES, RESPONSES)]


def _anthropic_texts(payload: dict[str, Any]) -> list[str]:
    texts = [payload["system"]] if isinstance(payload.get("system"), str) else []
    for message in payload["messages"]:
        content = message["content"]
        if isinstance(content, str):
            texts.append(content)
        else:
            assert content, message  # no empty message
            texts += [b["text"] for b in content if b["type"] == "text"]
    return texts


@pytest.mark.parametrize(("source", "body"), [s for s in SOURCES if s[0] is not Format.ANTHROPIC])
def test_anthropic_gets_no_empty_text(source: Format, body: dict[str, Any]) -> None:
    converted = convert_request(body, source, Format.ANTHROPIC, "m")
    judge.anthropic_request(converted.payload)
    assert "" not in _anthropic_texts(converted.payload)
    assert [m["role"] for m in converted.payload["messages"]] == ["user", "assistant", "user"]
    assert _anthropic_texts(converted.payload)[-1] == "thanks"
    assert any("empty messages" in w for w in converted.warnings)


@pytest.mark.parametrize(("source", "body"), SOURCES)
def test_gemini_gets_no_empty_text_part(source: Format, body: dict[str, Any]) -> None:
    converted = convert_request(body, source, Format.GEMINI, "m")
    judge.gemini_request(converted.payload)
    contents = converted.payload["contents"]
    parts = [p for c in contents for p in c["parts"]]
    assert all(c["parts"] for c in contents)
    assert all(p.get("text") != "" for p in parts), parts
    assert "systemInstruction" not in converted.payload
    assert [c["role"] for c in contents] == ["user", "model", "user"]
    assert parts[-1] == {"text": "thanks"} and "functionResponse" in parts[-2]
    if source is Format.ANTHROPIC:  # the thought before the call is kept
        assert {"text": "Run ls.", "thought": True, "thoughtSignature": "c2ln"} in parts


def test_a_message_with_other_parts_keeps_them() -> None:
    body = {
        "model": "m",
        "messages": [
            {"role": "user", "content": [{"type": "text", "text": ""}, {"type": "text", "text": "x"}]}
        ],
    }
    for target in (Format.ANTHROPIC, Format.GEMINI):
        converted = convert_request(body, Format.OPENAI_CHAT, target)
        assert "x" in str(converted.payload) and not any("empty messages" in w for w in converted.warnings)


PREFILLS = {
    Format.OPENAI_CHAT: lambda text: {
        "model": "m",
        "messages": [{"role": "user", "content": "x"}, {"role": "assistant", "content": text}],
    },
    Format.OPENAI_RESPONSES: lambda text: {
        "model": "m",
        "input": [{"role": "user", "content": "x"}, {"role": "assistant", "content": text}],
    },
    Format.GEMINI: lambda text: {
        "contents": [{"role": "user", "parts": [{"text": "x"}]}, {"role": "model", "parts": [{"text": text}]}]
    },
}


@pytest.mark.parametrize("source", list(PREFILLS))
def test_anthropic_gets_a_prefill_without_trailing_whitespace(source: Format) -> None:
    converted = convert_request(PREFILLS[source]("Sure, "), source, Format.ANTHROPIC, "m")
    judge.anthropic_request(converted.payload)
    assert _anthropic_texts(converted.payload)[-1] == "Sure,"
    assert any("trailing" in w or "ending in whitespace" in w for w in converted.warnings)
    only_space = convert_request(PREFILLS[source](" \n"), source, Format.ANTHROPIC, "m").payload
    assert [m["role"] for m in only_space["messages"]] == ["user"]
    # Whitespace inside the conversation is the model's own text and stays.
    body = {"model": "m", "max_tokens": 5, "messages": [{"role": "user", "content": "x"}]}
    body["messages"] += [{"role": "assistant", "content": "Sure, "}, {"role": "user", "content": "y"}]
    assert convert_request(body, Format.ANTHROPIC, Format.ANTHROPIC).payload == body


def test_an_anthropic_body_is_written_as_it_is() -> None:
    # The playground's draft holds an empty turn to type into; Anthropic's own API judges the rest.
    payload = convert_request(CLAUDE_CODE, Format.ANTHROPIC, Format.ANTHROPIC).payload
    assert [m["role"] for m in payload["messages"]] == [m["role"] for m in CLAUDE_CODE["messages"]]
