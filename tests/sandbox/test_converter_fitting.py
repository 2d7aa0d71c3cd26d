"""Converter routes with the bodies issue 12 found, over real HTTP: what the caller's own API takes
is answered through an upstream of another format. (The sandbox judges the caller's body; what the
upstream body must look like is judged by the SDKs in tests/protocols/test_fidelity_*.)"""

from __future__ import annotations

import httpx2
import pytest

from .conftest import KEY

AUTH = {"authorization": f"Bearer {KEY}", "x-api-key": KEY, "x-goog-api-key": KEY}
GEMINI_ROUTES = [
    "/v1beta/models/gemini-2.5-flash:generateContent",  # native
    "/gemini/v1beta/models/claude-sonnet-4-20250514:generateContent",  # to an Anthropic upstream
    "/gemini/v1beta/models/gpt-4o:generateContent",  # to an OpenAI upstream
]


@pytest.mark.parametrize("path", GEMINI_ROUTES)
def test_gemini_optional_fields_sent_as_null_are_answered(sandbox, path: str) -> None:
    body = {
        "contents": [{"role": "user", "parts": [{"text": "hi"}]}],
        "tools": None,
        "generationConfig": None,
        "systemInstruction": None,
        "toolConfig": None,
        "safetySettings": None,
    }
    response = httpx2.post(sandbox.base_url + path, json=body, headers=AUTH, timeout=30)
    assert response.status_code == 200, response.text[:300]
    assert response.json()["candidates"][0]["content"]["parts"]


CHAT_TO_CLAUDE = "/openai/v1/chat/completions"  # the converter route, to a Claude model


def test_a_chat_caller_with_empty_text_and_thinking_sampling_reaches_claude(sandbox) -> None:
    body = {
        "model": "claude-sonnet-4-20250514",
        "reasoning_effort": "low",
        "temperature": 0.2,
        "messages": [
            {"role": "system", "content": ""},
            {"role": "user", "content": "hi"},
            {"role": "assistant", "content": ""},
            {"role": "user", "content": "again"},
        ],
    }
    response = httpx2.post(sandbox.base_url + CHAT_TO_CLAUDE, json=body, headers=AUTH, timeout=30)
    assert response.status_code == 200, response.text[:300]
    assert response.json()["choices"][0]["message"]["content"]
