"""list_models: PipeLLM's unified catalog from the sandbox, foreign OpenAI-style lists, and every way
the fetch can fail (client/catalog.py, the standard library), each against a real server on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

from pipellm_tui.client import ApiErrorException, PlaygroundClient, Timeouts
from pipellm_tui.protocols.formats import Family

from ..loopback import serving

OPENAI_STYLE = {
    "object": "list",
    "data": [
        {"id": "gpt-4o-mini", "object": "model", "created": 1721172741, "owned_by": "system"},
        {"id": "claude-3-5-haiku-latest", "object": "model", "created": 1729555200, "owned_by": "anthropic"},
        {"id": "gemini-2.0-flash", "object": "model", "created": 1733000000, "owned_by": "google"},
        {"id": "my-local-llama", "object": "model", "created": 1700000000, "owned_by": "me"},
    ],
}


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]


@contextmanager
def foreign_server(
    status: int, content: bytes, headers: dict[str, str] | None = None
) -> Iterator[tuple[str, list[Seen]]]:
    """A server we did not write (an OpenAI-compatible gateway) on 127.0.0.1: answers every GET
    with `status` and `content`; yields its base URL and the requests it saw."""
    seen: list[Seen] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(Seen("GET", self.path, {k.lower(): v for k, v in self.headers.items()}))
            self.send_response(status)
            for name, value in {"content-type": "application/json", **(headers or {})}.items():
                self.send_header(name, value)
            self.send_header("content-length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        def log_message(self, *args: Any) -> None:
            pass

    with serving(Handler) as base_url:
        yield base_url, seen


async def list_models(base_url: str, api_key: str = "k", **timeouts: float) -> list[Any]:
    client = PlaygroundClient(timeout=Timeouts(**timeouts) if timeouts else None)
    try:
        return await client.list_models(base_url, api_key)
    finally:
        await client.aclose()


async def error_of(base_url: str, **timeouts: float) -> Any:
    with pytest.raises(ApiErrorException) as caught:
        await list_models(base_url, **timeouts)
    return caught.value.error


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
    with foreign_server(200, json.dumps(OPENAI_STYLE).encode()) as (base_url, seen):
        models = await list_models(base_url + "/", "sk-local")
    assert [m.id for m in models] == [
        "claude-3-5-haiku-latest",
        "gemini-2.0-flash",
        "gpt-4o-mini",
        "my-local-llama",
    ]
    assert [m.family for m in models] == [Family.ANTHROPIC, Family.GEMINI, Family.OPENAI, None]
    assert all(m.pricing is None for m in models)
    request = seen[0]
    assert (request.method, request.path) == ("GET", "/v1/models")
    assert request.headers["authorization"] == "Bearer sk-local"
    assert request.headers["x-api-key"] == "sk-local"
    assert request.headers["user-agent"].startswith("pipellm-tui/")


@pytest.mark.parametrize("content", [b"<html>gateway</html>", b'{"unexpected": true}', b"[1, 2"])
async def test_list_models_that_is_not_a_list_is_an_invalid_response(content: bytes) -> None:
    with foreign_server(200, content) as (base_url, _):
        error = await error_of(base_url)
    assert error.type == "invalid_response"
    assert error.status == 200
    assert error.raw == content.decode()
    assert "model list" in error.message


async def test_a_gateway_error_page_is_parsed_with_its_status() -> None:
    page = b"<html><body>502 Bad Gateway</body></html>"
    with foreign_server(502, page, {"content-type": "text/html"}) as (base_url, _):
        error = await error_of(base_url)
    assert error.status == 502
    assert error.retryable is True
    assert "502 Bad Gateway" in error.raw


async def test_a_redirect_is_reported_not_followed() -> None:
    with foreign_server(301, b"", {"location": "http://127.0.0.1:9/elsewhere"}) as (base_url, seen):
        error = await error_of(base_url)
    assert error.status == 301
    assert len(seen) == 1  # the client never went to the other address


async def test_a_server_that_hangs_up_without_answering() -> None:
    class HangUp(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.close_connection = True  # reads the request, then closes with no status line

    with serving(HangUp) as base_url:
        error = await error_of(base_url)
    assert error.type == "network_error"
    assert "closed the connection before answering" in error.message


async def test_a_silent_server_is_a_timeout_that_names_the_limit() -> None:
    release = threading.Event()

    class Silent(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            release.wait(5)

        def log_message(self, *args: Any) -> None:
            pass

    with serving(Silent) as base_url:
        try:
            error = await error_of(base_url, connect=0.2)
        finally:
            release.set()
    assert error.type == "timeout"
    assert "sent nothing for 0.2 s" in error.message


@pytest.mark.parametrize("base_url", ["gateway.test", "ftp://127.0.0.1:9", "http://127.0.0.1:notaport"])
async def test_an_unusable_url_says_so_and_is_not_retryable(base_url: str) -> None:
    error = await error_of(base_url)
    assert error.type == "network_error"
    assert error.message.startswith("Not a usable URL")
    assert error.retryable is False


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


async def test_a_server_that_sends_no_end_of_bytes_is_cut_off(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipellm_tui.client import catalog

    monkeypatch.setattr(catalog, "MAX_CATALOG_BYTES", 1000)
    flood = b'{"object": "list", "data": [' + b'{"id": "m"},' * 500 + b'{"id": "z"}]}'
    with foreign_server(200, flood) as (base_url, _):
        error = await error_of(base_url)
    assert error.type == "invalid_response"
    assert "more than 1,000 bytes" in error.message
    assert error.retryable is False


async def test_a_trickling_model_list_ends_at_its_deadline() -> None:
    from .hostile import Script, forever, hostile

    headers = {"content-type": "application/json", "content-length": "1000000"}
    with hostile(Script(200, headers, forever(b" ", 0.05))) as base_url:
        error = await error_of(base_url, models_total=0.5)
    assert error.type == "timeout"
    assert "did not finish within 0.5 s" in error.message
    assert "deadline of the model list" in error.message


async def test_a_model_list_whose_head_trickles_ends_at_its_deadline() -> None:
    from .hostile import Script, forever, hostile

    with hostile(Script(200, {}, forever(b"x", 0.05), head_delay=30.0)) as base_url:
        error = await error_of(base_url, models_total=0.5)
    assert error.type == "timeout" and "0.5 s" in error.message


async def test_a_deeply_nested_model_list_is_an_invalid_response() -> None:
    from .hostile import deep_json

    with foreign_server(200, deep_json()) as (base_url, _):
        error = await error_of(base_url)
    assert error.type == "invalid_response"
    assert "nested too deeply" in error.message


async def test_without_a_key_the_model_list_sends_no_auth_header() -> None:
    with foreign_server(200, json.dumps(OPENAI_STYLE).encode()) as (base_url, seen):
        models = await list_models(base_url, "")
    assert len(models) == 4
    assert "authorization" not in seen[0].headers and "x-api-key" not in seen[0].headers


async def test_a_redirect_names_its_target() -> None:
    target = "http://localhost:9/v1/models"
    with foreign_server(302, b"", {"location": target}) as (base_url, seen):
        error = await error_of(base_url)
    assert (error.status, error.type) == (302, "redirect")
    assert target in error.message and len(seen) == 1
