"""The headless commands: `pipellm-tui send` and `models`, as a user runs them, against the sandbox."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from pipellm_tui.cli import build_parser, main, skip_pydantic_plugins
from pipellm_tui.client import PlaygroundClient
from pipellm_tui.headless import run_models, run_send
from pipellm_tui.protocols.formats import Format

from .conversation import body


def _cli(*args: str, stdin: str = "", key: str | None = "pipe-sandbox") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PIPELLM_API_KEY"}
    if key is not None:
        env["PIPELLM_API_KEY"] = key
    return subprocess.run(
        [sys.executable, "-m", "pipellm_tui.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def _args(sandbox: Any, **overrides: Any) -> SimpleNamespace:
    args = build_parser().parse_args(["send", "--format", "openai-chat", "--model", "gpt-4o"])
    args.base_url = sandbox.base_url
    for name, value in overrides.items():
        setattr(args, name, value)
    return args  # type: ignore[return-value]


async def _expected_text(sandbox: Any, fmt: Format, model: str, request: dict[str, Any]) -> str:
    client = PlaygroundClient()
    exchange = await client.send_collect(
        client.plan(sandbox.base_url, sandbox.api_key, fmt, "native", model, request)
    )
    await client.aclose()
    assert exchange.response is not None
    return exchange.response.text


async def test_send_streams_the_answer_and_exits_0(sandbox: Any, tmp_path: Path) -> None:
    request = body(Format.ANTHROPIC, "Say something about bridges.")
    path = tmp_path / "request.json"
    path.write_text(json.dumps(request))
    result = _cli(
        "send", "--base-url", sandbox.base_url, "--format", "anthropic", "--model", "claude-sonnet-4-5-20250929",
        "--stream", str(path),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    expected = await _expected_text(sandbox, Format.ANTHROPIC, "claude-sonnet-4-5-20250929", request)
    assert result.stdout == expected + "\n"
    assert result.stderr.startswith("200 · ttft ")
    assert "Traceback" not in result.stderr


def test_send_an_api_error_prints_the_structured_error_and_exits_1(sandbox: Any) -> None:
    request = {"messages": [{"role": "user", "content": "hi [[fault:529]]"}], "max_tokens": 16}
    result = _cli(
        "send", "--base-url", sandbox.base_url, "--format", "openai-chat", "--model", "gpt-4o", "-",
        stdin=json.dumps(request),
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stdout == ""
    assert "error: 529 overloaded_error" in result.stderr
    assert "message: The service is temporarily overloaded" in result.stderr
    assert "retryable: yes, after 1 s" in result.stderr
    assert "advice: " in result.stderr
    assert "Traceback" not in result.stderr


def test_send_bad_json_exits_2_without_a_traceback(sandbox: Any) -> None:
    result = _cli(
        "send", "--base-url", sandbox.base_url, "--format", "gemini", "--model", "gemini-2.5-pro", "-",
        stdin='{"contents": [',
    )  # fmt: skip
    assert result.returncode == 2
    assert "error: stdin is not valid JSON" in result.stderr
    assert "line 1, column 15" in result.stderr
    assert "Traceback" not in result.stderr


def test_without_key_or_base_url_a_sandbox_is_started_and_said_so() -> None:
    result = _cli("models", key=None)
    assert result.returncode == 0, result.stderr
    assert "no PIPELLM_API_KEY set: using a local sandbox at http://127.0.0.1:" in result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["MODEL", "FAMILY", "IN", "$/1M", "OUT", "$/1M"]
    gpt = next(line for line in lines if line.startswith("gpt-4o "))
    assert gpt.split() == ["gpt-4o", "openai", "2.50", "10.00"]


def test_models_prints_the_catalog(sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIPELLM_API_KEY", sandbox.api_key)
    out, err = io.StringIO(), io.StringIO()
    code = run_models(SimpleNamespace(base_url=sandbox.base_url, api_key_env=None, sandbox=False), out, err)
    assert code == 0
    rows = [line.split() for line in out.getvalue().splitlines()[1:]]
    assert {row[1] for row in rows} == {"openai", "anthropic", "gemini"}
    assert [row[0] for row in rows] == sorted(row[0] for row in rows)
    assert f"{len(rows)} models at {sandbox.base_url}" in err.getvalue()


def test_models_with_a_wrong_key_exits_1(sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTHER_KEY", "pipe-wrong")
    out, err = io.StringIO(), io.StringIO()
    code = run_models(
        SimpleNamespace(base_url=sandbox.base_url, api_key_env="OTHER_KEY", sandbox=False), out, err
    )
    assert code == 1
    assert "error: 401 authentication_error" in err.getvalue()


def test_show_converted_prints_the_upstream_request_and_warnings(
    sandbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PIPELLM_API_KEY", sandbox.api_key)
    request = {
        "messages": [{"role": "user", "content": "hi"}],
        "max_tokens": 16,
        "logit_bias": {"50256": -100},
    }
    out, err = io.StringIO(), io.StringIO()
    args = _args(sandbox, route="converter", model="claude-sonnet-4-5-20250929", file="-", show=["converted"])
    code = run_send(args, out, err, io.StringIO(json.dumps(request)))
    assert code == 0, err.getvalue()
    text = out.getvalue()
    assert text.startswith("--- request as the anthropic upstream receives it (openai-chat -> anthropic)\n")
    payload = json.loads(text[text.index("{") : text.index("\n}\n") + 2])
    assert payload["model"] == "claude-sonnet-4-5-20250929"
    assert payload["messages"] == [{"role": "user", "content": "hi"}]
    assert "warning: " in text and "logit_bias" in text


def test_show_raw_json_headers_and_ratelimits(sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIPELLM_API_KEY", sandbox.api_key)
    out, err = io.StringIO(), io.StringIO()
    args = _args(sandbox, file="-", stream=True, show=["raw", "json", "headers", "ratelimits"])
    code = run_send(args, out, err, io.StringIO(json.dumps(body(Format.OPENAI_CHAT, stream=True))))
    assert code == 0, err.getvalue()
    text = out.getvalue()
    assert "--- response headers (200)\n" in text and "x-ratelimit-limit-requests: " in text
    assert "--- rate limits\nlimit: " in text and "\nremaining: " in text and "\nreset: " in text
    assert text.count("data: ") > 3 and "data: [DONE]\n\n" in text
    final = json.loads(text[text.index("--- final body\n") + len("--- final body\n") :])
    answer = text[text.index("--- answer\n") + len("--- answer\n") : text.index("--- final body")].strip()
    assert final["choices"][0]["message"]["content"] == answer
    assert final["object"] == "chat.completion"


def test_tool_calls_are_printed(sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIPELLM_API_KEY", sandbox.api_key)
    request = body(Format.OPENAI_CHAT, "Weather in Oslo?")
    request["tools"] = [
        {"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}
    ]
    request["tool_choice"] = "required"
    out, err = io.StringIO(), io.StringIO()
    code = run_send(_args(sandbox, file="-"), out, err, io.StringIO(json.dumps(request)))
    assert code == 0, err.getvalue()
    assert "tool call " in out.getvalue() and ": get_weather({" in out.getvalue()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["send", "--format", "openai-responses", "--route", "converter", "--model", "gpt-4o"],
            "not available yet",
        ),
        (
            ["send", "--format", "openai-chat", "--model", "gpt-4o", "/no/such/file.json"],
            "cannot read /no/such/file.json",
        ),
        (["--api-key-env", "NO_SUCH_VAR_X", "models"], "NO_SUCH_VAR_X: that environment variable is not set"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*argv, "--base-url", "http://127.0.0.1:9"] if argv[0] == "send" else argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.startswith("error: ")


def test_json_array_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "list.json"
    path.write_text("[1, 2]")
    assert (
        main(["send", "--format", "anthropic", "--model", "m", "--base-url", "http://127.0.0.1:9", str(path)])
        == 2
    )
    assert "must hold a JSON object" in capsys.readouterr().err


def test_importing_the_cli_stays_cheap() -> None:
    code = (
        "import sys, pipellm_tui.cli; "
        "heavy = [m for m in ('textual', 'starlette', 'uvicorn', 'httpx2', 'pydantic') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == ""


def test_pydantic_loads_no_plugins_unless_the_user_said_otherwise(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Its first validation would read every installed distribution's entry points (~20 ms)."""
    monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS", raising=False)
    main(["models", "--base-url", "http://127.0.0.1:9", "--timeout", "1"])
    capsys.readouterr()
    assert os.environ["PYDANTIC_DISABLE_PLUGINS"] == "__all__"
    chosen = {"PYDANTIC_DISABLE_PLUGINS": ""}  # the user turned them back on
    skip_pydantic_plugins(chosen)
    assert chosen == {"PYDANTIC_DISABLE_PLUGINS": ""}
