"""The curl export: run through a real shell (bash, with a `curl` function that prints the
arguments it would get), the command must carry exactly the planned request, with the key taken
from the environment, and replaying those arguments against the sandbox must work."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import httpx2
import pytest

from pipellm_tui.export.curl import curl_command
from pipellm_tui.playground.endpoint import Endpoint
from pipellm_tui.playground.session import Session
from pipellm_tui.protocols.formats import Format, RouteKind

#: A stand-in for curl that prints the arguments it was given, NUL-separated.
FAKE_CURL = 'curl() { printf "%s\\0" "$@"; }\n'


def shell_arguments(command: str, env: dict[str, str]) -> list[str]:
    """What curl would receive when a user pastes `command` into bash."""
    done = subprocess.run(
        ["bash", "-c", FAKE_CURL + command], env=env, capture_output=True, check=True, timeout=10
    )
    return done.stdout.decode().split("\0")[:-1]


def parse(arguments: list[str]) -> dict[str, Any]:
    """The request in curl's arguments (the options this export writes)."""
    request: dict[str, Any] = {"method": "GET", "headers": {}, "body": None, "stream": False}
    items = iter(arguments)
    for item in items:
        if item == "-X":
            request["method"] = next(items)
        elif item == "-H":
            name, _, value = next(items).partition(": ")
            request["headers"][name] = value
        elif item == "--data-binary":
            request["body"] = next(items)
            request["method"] = "POST" if request["method"] == "GET" else request["method"]
        elif item == "-N":
            request["stream"] = True
        else:
            request["url"] = item
    return request


@pytest.mark.parametrize(
    ("fmt", "kind", "model"),
    [
        (Format.OPENAI_CHAT, RouteKind.NATIVE, "gpt-4o-mini"),
        (Format.OPENAI_RESPONSES, RouteKind.NATIVE, "gpt-4o-mini"),
        (Format.ANTHROPIC, RouteKind.NATIVE, "claude-sonnet-4-5-20250929"),
        (Format.GEMINI, RouteKind.NATIVE, "gemini-2.5-flash"),
        (Format.OPENAI_CHAT, RouteKind.CONVERTER, "claude-sonnet-4-5-20250929"),
        (Format.GEMINI, RouteKind.CONVERTER, "gpt-4o-mini"),
    ],
)
def test_the_command_carries_the_planned_request_and_works(
    sandbox: Any, fmt: Format, kind: RouteKind, model: str
) -> None:
    # The path the playground's "Copy as curl" takes: the session plans, export writes.
    session = Session(
        endpoint=Endpoint(sandbox.base_url, sandbox.api_key), format=fmt, route_kind=kind, model=model
    )
    plan = session.plan()
    command = session.curl_command()
    assert sandbox.api_key not in command
    request = parse(shell_arguments(command, {"PIPELLM_API_KEY": sandbox.api_key, "PATH": "/usr/bin:/bin"}))
    assert request["url"] == plan.url
    assert request["method"] == plan.method
    assert request["headers"] == plan.headers  # the key header too, from the environment
    assert json.loads(request["body"]) == plan.body
    assert request["stream"] == plan.stream
    # Replayed as curl would send it: the sandbox takes it.
    response = httpx2.request(
        request["method"],
        request["url"],
        headers=request["headers"],
        content=request["body"].encode(),
        timeout=10,
    )
    assert response.status_code == 200, response.text


def test_nothing_in_a_header_or_the_body_is_run_by_the_shell() -> None:
    hostile = "it's $(touch /tmp/pwned) `id` $HOME \\ \" '"
    body = {"model": "m", "messages": [{"role": "user", "content": hostile}]}
    command = curl_command(
        "POST",
        "http://127.0.0.1:9/v1/chat/completions?a=1&b=$HOME",
        {"x-note": hostile},
        body,
        secret_header="authorization",
        secret_prefix='Be"ar$er ',
    )
    request = parse(
        shell_arguments(command, {"PIPELLM_API_KEY": "k-1", "HOME": "/home/x", "PATH": "/usr/bin:/bin"})
    )
    assert request["url"] == "http://127.0.0.1:9/v1/chat/completions?a=1&b=$HOME"
    assert request["headers"] == {"x-note": hostile, "authorization": 'Be"ar$er k-1'}
    assert json.loads(request["body"]) == body


def test_the_key_variable_must_be_a_variable_name() -> None:
    with pytest.raises(ValueError, match="environment variable"):
        curl_command("GET", "http://h", {}, None, secret_header="x-api-key", key_env="KEY; rm -rf /")
    assert curl_command("GET", "http://h/v1/models", {}, None).startswith("curl -X GET")
