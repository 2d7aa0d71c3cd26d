"""The exported Python runs: with the official SDK, against the sandbox, the key in the environment
(never in the code), and prints the same answer our own client gets for the request."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest

from pipellm_tui.client import PlaygroundClient
from pipellm_tui.export.sdk_code import python_sdk_code
from pipellm_tui.protocols.formats import Format, RouteKind
from pipellm_tui.protocols.templates import starter_request

SECRET = "pipe-SECRET-abc"
CASES = [
    (Format.OPENAI_CHAT, RouteKind.NATIVE, "gpt-4o", "openai"),
    (Format.OPENAI_CHAT, RouteKind.CONVERTER, "claude-sonnet-4-5-20250929", "openai"),
    (Format.OPENAI_RESPONSES, RouteKind.NATIVE, "gpt-4o", "openai"),
    (Format.ANTHROPIC, RouteKind.NATIVE, "claude-sonnet-4-5-20250929", "anthropic"),
    (Format.ANTHROPIC, RouteKind.CONVERTER, "gemini-2.5-flash", "anthropic"),
    (Format.GEMINI, RouteKind.NATIVE, "gemini-2.5-flash", "google.genai"),
    (Format.GEMINI, RouteKind.CONVERTER, "gpt-4o", "google.genai"),
]


@pytest.fixture(scope="module")
def secret_sandbox() -> Any:
    from pipellm_tui.sandbox.config import SandboxConfig
    from pipellm_tui.sandbox.server import start_in_thread

    running = start_in_thread(SandboxConfig(api_key=SECRET, rpm=1_000_000))
    yield running
    running.stop()


async def our_answer(base_url: str, fmt: Format, kind: RouteKind, model: str, body: dict[str, Any]) -> str:
    client = PlaygroundClient()
    try:
        exchange = await client.send_collect(client.plan(base_url, SECRET, fmt, kind, model, body))
    finally:
        await client.aclose()
    assert exchange.response is not None, exchange.error
    return exchange.response.text


@pytest.mark.parametrize(
    ("fmt", "kind", "model", "sdk", "stream"),
    # every case as a plain call, and each format's native route streamed too (converter routes
    # stream the same way: their code differs in the base URL only)
    [(*case, False) for case in CASES] + [(*case, True) for case in CASES if case[1] is RouteKind.NATIVE],
)
async def test_the_code_runs_with_the_official_sdk(
    secret_sandbox: Any, fmt: Format, kind: RouteKind, model: str, sdk: str, stream: bool
) -> None:
    body = starter_request(fmt)
    body["stream"] = stream
    code = python_sdk_code(fmt, kind, secret_sandbox.base_url, model, body, key_env="MY_PIPE_KEY")
    assert SECRET not in code and "os.environ['MY_PIPE_KEY']" in code
    assert f"import {sdk}" in code or f"from {sdk.split('.')[0]} import" in code
    env = {**os.environ, "MY_PIPE_KEY": SECRET}
    done = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    expected = await our_answer(secret_sandbox.base_url, fmt, kind, model, {**body, "stream": False})
    assert expected and done.stdout.strip() == expected.strip()


def test_without_the_variable_the_code_stops_before_sending(secret_sandbox: Any) -> None:
    code = python_sdk_code(Format.ANTHROPIC, "native", secret_sandbox.base_url, "claude-x", {"max_tokens": 5})
    env = {k: v for k, v in os.environ.items() if k != "PIPELLM_API_KEY"}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode != 0 and "KeyError: 'PIPELLM_API_KEY'" in done.stderr


def test_a_bad_variable_name_is_refused() -> None:
    check: Callable[..., str] = python_sdk_code
    with pytest.raises(ValueError, match="not an environment variable name"):
        check(Format.GEMINI, "native", "http://h", "m", {}, key_env="$(rm -rf ~)")
