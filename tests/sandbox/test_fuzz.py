"""Random bodies and headers to every route: only 4xx (or a 200 when the body happens to be valid),
never a 5xx, and the server still answers afterwards."""

from __future__ import annotations

from typing import Any

import httpx2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROUTES = [
    ("/v1/chat/completions", "authorization"),
    ("/openai/v1/chat/completions", "authorization"),
    ("/v1/responses", "authorization"),
    ("/openai/v1/responses", "authorization"),
    ("/v1/messages", "x-api-key"),
    ("/anthropic/v1/messages", "x-api-key"),
    ("/v1beta/models/gemini-2.5-flash:generateContent", "x-goog-api-key"),
    ("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", "x-goog-api-key"),
    ("/gemini/v1beta/models/claude-sonnet-4-20250514:generateContent", "x-goog-api-key"),
    ("/gemini/v1beta/models/gpt-4o:streamGenerateContent", "x-goog-api-key"),
]

#: A valid body per route family: mutations of these reach deep into the adapters.
VALID = {
    "chat": {"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}], "stream": True},
    "responses": {"model": "gpt-4.1", "input": [{"role": "user", "content": "hi"}]},
    "messages": {
        "model": "claude-sonnet-4-20250514",
        "max_tokens": 20,
        "messages": [{"role": "user", "content": "hi"}],
    },
    "gemini": {"contents": [{"role": "user", "parts": [{"text": "hi"}]}]},
}
KEYS = sorted(
    {k for body in VALID.values() for k in body}
    | {
        "tools",
        "tool_choice",
        "system",
        "stop",
        "stop_sequences",
        "temperature",
        "generationConfig",
        "systemInstruction",
        "instructions",
        "max_output_tokens",
        "stream_options",
        "thinking",
        "toolConfig",
        "response_format",
        "n",
        "candidateCount",
        "metadata",
    }
)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**40), 2**40)
    | st.floats(allow_nan=False)
    | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=8) | st.sampled_from(KEYS), inner, max_size=3)
    ),
    max_leaves=12,
)
BLOCK_TYPES = [
    "text",
    "image",
    "image_url",
    "input_text",
    "input_image",
    "output_text",
    "tool_use",
    "tool_result",
    "thinking",
    "redacted_thinking",
    "function_call",
    "function_call_output",
    "document",
    "refusal",
]
PART_KEYS = [
    "text",
    "functionCall",
    "functionResponse",
    "inlineData",
    "fileData",
    "thought",
    "thoughtSignature",
]
blocks = st.lists(
    st.fixed_dictionaries(
        {"type": st.sampled_from(BLOCK_TYPES)},
        optional={
            "text": json_values,
            "id": json_values,
            "name": json_values,
            "input": json_values,
            "content": json_values,
            "tool_use_id": json_values,
            "image_url": json_values,
            "source": json_values,
            "arguments": json_values,
            "call_id": json_values,
            "output": json_values,
        },
    ),
    max_size=3,
)
messages = st.lists(
    st.fixed_dictionaries(
        {
            "role": st.sampled_from(
                ["user", "assistant", "system", "developer", "tool", "model", "function", "x"]
            )
        },
        optional={
            "content": json_values | blocks,
            "tool_calls": json_values,
            "tool_call_id": json_values,
            "parts": st.lists(
                st.dictionaries(st.sampled_from(PART_KEYS), json_values, max_size=2), max_size=3
            ),
            "type": st.sampled_from(["message", "function_call", "function_call_output", "reasoning"]),
        },
    ),
    max_size=4,
)
tools = st.lists(
    st.fixed_dictionaries(
        {},
        optional={
            "type": st.sampled_from(["function", "custom", "web_search"]),
            "name": json_values,
            "function": json_values,
            "input_schema": json_values,
            "parameters": json_values,
            "functionDeclarations": json_values,
        },
    ),
    max_size=2,
)
#: Values shaped like each field, so the adapters' inner loops get exercised, not only their first check.
SHAPED = {
    "messages": messages,
    "contents": messages,
    "input": messages | json_values,
    "tools": tools,
    "system": json_values | blocks,
}

header_values = st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=20)
random_headers = st.dictionaries(st.from_regex(r"x-[a-z]{1,10}", fullmatch=True), header_values, max_size=3)


def _family(path: str) -> str:
    if "chat" in path:
        return "chat"
    if "responses" in path:
        return "responses"
    if "messages" in path:
        return "messages"
    return "gemini"


@pytest.fixture(scope="module")
def http() -> Any:
    with httpx2.Client(timeout=30) as client:
        yield client


def _check(
    http: httpx2.Client, sandbox: Any, path: str, key_header: str, content: bytes, headers: dict[str, str]
) -> None:
    key = f"Bearer {sandbox.api_key}" if key_header == "authorization" else sandbox.api_key
    response = http.post(
        sandbox.base_url + path,
        content=content,
        headers={**headers, key_header: key, "content-type": "application/json"},
    )
    assert response.status_code < 500, (path, content[:300], response.text[:300])
    if response.status_code >= 400:
        error = response.json()["error"]
        assert error["code"] == str(response.status_code) and error["message"]


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(route=st.sampled_from(ROUTES), body=json_values, headers=random_headers)
def test_random_json_bodies_never_get_a_5xx(sandbox, http, route, body, headers) -> None:
    import json

    _check(http, sandbox, route[0], route[1], json.dumps(body).encode(), headers)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    route=st.sampled_from(ROUTES),
    changes=st.sampled_from(KEYS).flatmap(
        lambda key: st.fixed_dictionaries({key: SHAPED.get(key, json_values)})
    )
    | st.dictionaries(st.sampled_from(KEYS), json_values, min_size=1, max_size=3),
    removed=st.sets(st.sampled_from(KEYS), max_size=2),
)
def test_mutated_valid_bodies_never_get_a_5xx(sandbox, http, route, changes, removed) -> None:
    import json

    body = {k: v for k, v in {**VALID[_family(route[0])], **changes}.items() if k not in removed}
    _check(http, sandbox, route[0], route[1], json.dumps(body).encode(), {})


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(route=st.sampled_from(ROUTES), raw=st.binary(max_size=64))
def test_random_bytes_never_get_a_5xx(sandbox, http, route, raw) -> None:
    _check(http, sandbox, route[0], route[1], raw, {})


def test_the_server_is_still_up_after_the_fuzzing(sandbox, http) -> None:
    response = http.get(f"{sandbox.base_url}/v1/models", headers={"x-api-key": sandbox.api_key})
    assert response.status_code == 200
    assert response.json()["total"] >= 14
    assert sandbox.state.internal_errors == 0
