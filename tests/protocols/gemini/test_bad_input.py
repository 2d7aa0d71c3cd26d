"""Bad input to the Gemini adapter: a ProtocolError that says where (a JSON path) and what, never
another exception. (Random JSON values are thrown at it in `test_gemini_properties`.)
"""

from __future__ import annotations

from typing import Any

import pytest

from pipellm_tui.protocols.problems import ProtocolError

from .facts import ADAPTER


@pytest.mark.parametrize(
    ("body", "path", "words"),
    [
        ("text", "", "JSON object"),
        ([{"contents": []}], "", "JSON object"),
        ({}, "contents", "required"),
        ({"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]}, "contents", "'messages'"),
        ({"contents": "hi"}, "contents", "array"),
        ({"contents": [{"role": "system", "parts": []}]}, "contents[0].role", "'system'"),
        ({"contents": [{"role": "user"}]}, "contents[0].parts", "required"),
        ({"contents": [{"parts": [{"text": 5}]}]}, "contents[0].parts[0].text", "string"),
        (
            {"contents": [{"parts": [{"functionCall": {"args": {}}}]}]},
            "contents[0].parts[0].functionCall.name",
            "string",
        ),
        (
            {"contents": [{"parts": [{"functionCall": {"name": "f", "args": "{}"}}]}]},
            "contents[0].parts[0].functionCall.args",
            "object",
        ),
        (
            {"contents": [{"parts": [{"functionResponse": {"name": "f", "response": "x"}}]}]},
            "contents[0].parts[0].functionResponse.response",
            "object",
        ),
        (
            {"contents": [{"parts": [{"inlineData": {"data": "AA=="}}]}]},
            "contents[0].parts[0].inlineData.mimeType",
            "string",
        ),
        (
            {"contents": [], "generationConfig": {"maxOutputTokens": "10"}},
            "generationConfig.maxOutputTokens",
            "integer",
        ),
        (
            {"contents": [], "generationConfig": {"temperature": True}},
            "generationConfig.temperature",
            "number",
        ),
        ({"contents": [], "generation_config": []}, "generation_config", "object"),
        (
            {"contents": [], "toolConfig": {"functionCallingConfig": {"mode": "SOMETIMES"}}},
            "toolConfig.functionCallingConfig.mode",
            "AUTO",
        ),
        (
            {"contents": [], "tools": [{"functionDeclarations": [{"description": "x"}]}]},
            "tools[0].functionDeclarations[0].name",
            "string",
        ),
    ],
)
def test_bad_requests_say_where(body: Any, path: str, words: str) -> None:
    with pytest.raises(ProtocolError) as caught:
        ADAPTER.request_to_ir(body, [], None)
    assert caught.value.path == path
    assert words in caught.value.message


@pytest.mark.parametrize(
    ("body", "path", "words"),
    [
        (None, "", "JSON object"),
        ({"id": "chatcmpl-1", "object": "chat.completion", "choices": []}, "candidates", "'choices'"),
        ({"type": "message", "content": [{"type": "text", "text": "hi"}]}, "candidates", "'content'"),
        ({"error": {"code": 400, "message": "bad"}}, "error", "error body"),
        ({"candidates": "x"}, "candidates", "array"),
        (
            {"candidates": [{"content": {"parts": [{"functionCall": {"name": 3}}]}}]},
            "candidates[0].content.parts[0].functionCall.name",
            "string",
        ),
        (
            {"candidates": [], "usageMetadata": {"promptTokenCount": "7"}},
            "usageMetadata.promptTokenCount",
            "integer",
        ),
        ({"candidates": [{"finishReason": 1}]}, "candidates[0].finishReason", "string"),
        ({"candidates": [], "responseId": 5}, "responseId", "string"),
    ],
)
def test_bad_responses_say_where(body: Any, path: str, words: str) -> None:
    with pytest.raises(ProtocolError) as caught:
        ADAPTER.response_to_ir(body, [])
    assert caught.value.path == path
    assert words in caught.value.message
