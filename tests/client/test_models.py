"""list_models: PipeLLM's unified catalog from the sandbox, and foreign OpenAI-style lists."""

from __future__ import annotations

import json
from typing import Any

import httpx2
import pytest

from pipellm_tui.client import ApiErrorException, PlaygroundClient
from pipellm_tui.protocols.formats import Family

OPENAI_STYLE = {
    "object": "list",
    "data": [
        {"id": "gpt-4o-mini", "object": "model", "created": 1721172741, "owned_by": "system"},
        {"id": "claude-3-5-haiku-latest", "object": "model", "created": 1729555200, "owned_by": "anthropic"},
        {"id": "gemini-2.0-flash", "object": "model", "created": 1733000000, "owned_by": "google"},
        {"id": "my-local-llama", "object": "model", "created": 1700000000, "owned_by": "me"},
    ],
}


def _foreign_server(status: int, content: bytes, seen: list[httpx2.Request]) -> httpx2.MockTransport:
    """A server we did not write (an OpenAI-compatible gateway): served by a transport stub."""

    def handle(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return httpx2.Response(status, content=content, headers={"content-type": "application/json"})

    return httpx2.MockTransport(handle)


async def test_list_models_from_the_sandbox_uses_the_unified_schema(sandbox: Any) -> None:
    client = PlaygroundClient()
    try:
        models = await client.list_models(sandbox.base_url, sandbox.api_key)
    finally:
        await client.aclose()
    ids = [m.id for m in models]
    assert ids == sorted(ids)
    assert {"gpt-4o", "claude-sonnet-4-5-20250929", "gemini-2.5-pro"} <= set(ids)
    families = {m.type_target for m in models}
    assert families == {Family.OPENAI, Family.ANTHROPIC, Family.GEMINI}
    gpt = next(m for m in models if m.id == "gpt-4o")
    assert gpt.pricing is not None
    assert gpt.pricing.prompt_per_million is not None and gpt.pricing.prompt_per_million > 0
    assert gpt.pricing.completion_per_million is not None
    assert gpt.pricing.completion_per_million > gpt.pricing.prompt_per_million


async def test_list_models_with_a_wrong_key_raises_the_structured_401(sandbox: Any) -> None:
    client = PlaygroundClient()
    try:
        with pytest.raises(ApiErrorException) as caught:
            await client.list_models(sandbox.base_url, "pipe-wrong-key")
    finally:
        await client.aclose()
    assert caught.value.error.status == 401
    assert caught.value.error.type == "authentication_error"
    assert caught.value.error.retryable is False


async def test_list_models_reads_an_openai_style_list_and_sends_both_auth_headers() -> None:
    seen: list[httpx2.Request] = []
    client = PlaygroundClient(transport=_foreign_server(200, json.dumps(OPENAI_STYLE).encode(), seen))
    try:
        models = await client.list_models("http://gateway.test/", "sk-local")
    finally:
        await client.aclose()
    assert [m.id for m in models] == [
        "claude-3-5-haiku-latest",
        "gemini-2.0-flash",
        "gpt-4o-mini",
        "my-local-llama",
    ]
    assert [m.family for m in models] == [Family.ANTHROPIC, Family.GEMINI, Family.OPENAI, None]
    assert all(m.pricing is None for m in models)
    request = seen[0]
    assert str(request.url) == "http://gateway.test/v1/models"
    assert request.method == "GET"
    assert request.headers["authorization"] == "Bearer sk-local"
    assert request.headers["x-api-key"] == "sk-local"


@pytest.mark.parametrize("content", [b"<html>gateway</html>", b'{"unexpected": true}', b"[1, 2"])
async def test_list_models_that_is_not_a_list_is_an_invalid_response(content: bytes) -> None:
    client = PlaygroundClient(transport=_foreign_server(200, content, []))
    try:
        with pytest.raises(ApiErrorException) as caught:
            await client.list_models("http://gateway.test", "k")
    finally:
        await client.aclose()
    error = caught.value.error
    assert error.type == "invalid_response"
    assert error.status == 200
    assert error.raw == content.decode()
    assert "model list" in error.message


async def test_list_models_on_a_closed_port_is_connection_refused(closed_port: int) -> None:
    client = PlaygroundClient()
    try:
        with pytest.raises(ApiErrorException) as caught:
            await client.list_models(f"http://127.0.0.1:{closed_port}", "k")
    finally:
        await client.aclose()
    assert caught.value.error.type == "connection_refused"
    assert caught.value.error.status is None
    assert str(closed_port) in caught.value.error.message
