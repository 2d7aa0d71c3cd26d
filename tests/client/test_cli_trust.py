"""`pipellm-tui send` and `models` against bad input and hostile servers: a bad --base-url exits 2
with one line, timeouts name themselves, a missing key is said so, and no traceback ever shows."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from pipellm_tui.cli import main

from .hostile import Script, forever, hostile

SEND = ["send", "--format", "openai-chat", "--model", "gpt-4o"]
BAD_URLS = ["http://[::1", "http://127.0.0.1:99999", "ftp://x", "", "http://"]


@pytest.fixture(autouse=True)
def _no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PIPELLM_API_KEY", raising=False)


@pytest.mark.parametrize("url", BAD_URLS)
@pytest.mark.parametrize("command", [SEND, ["models"]], ids=["send", "models"])
def test_a_bad_base_url_exits_2_with_a_message(
    command: list[str], url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main([*command, "--base-url", url])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert err.startswith("error: --base-url: ") and err.count("\n") == 1
    assert "Traceback" not in err


def test_a_bad_base_url_in_a_real_process_shows_no_traceback() -> None:
    env = {k: v for k, v in os.environ.items() if k != "PIPELLM_API_KEY"}
    result = subprocess.run(
        [sys.executable, "-m", "pipellm_tui.cli", *SEND, "--base-url", "http://127.0.0.1:99999"],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert "Port out of range" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("value", ["0", "-1", "soon", "inf"])
def test_a_timeout_that_is_not_a_positive_number_is_refused(
    value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main([*SEND, "--base-url", "http://127.0.0.1:9", "--timeout", value])
    assert exited.value.code == 2
    assert "--timeout" in capsys.readouterr().err


def test_send_idle_timeout_ends_a_ping_only_stream(capsys: pytest.CaptureFixture[str]) -> None:
    script = Script(200, {"content-type": "text/event-stream"}, forever(b": ping\n\n", 0.02))
    with hostile(script) as base_url:
        code = main([*SEND, "--stream", "--base-url", base_url, "--idle-timeout", "0.3"])
    err = capsys.readouterr().err
    assert code == 1
    assert "error: timeout" in err and "sent no event for 0.3 s" in err and "--idle-timeout" in err
    assert err.startswith("200 · ")  # the summary: a response came, nothing claims "no response"


def test_send_timeout_ends_a_stream_that_never_finishes(capsys: pytest.CaptureFixture[str]) -> None:
    event = b'data: {"id":"c","choices":[{"index":0,"delta":{"content":"w "}}]}\n\n'
    with hostile(Script(200, {"content-type": "text/event-stream"}, forever(event, 0.02))) as base_url:
        code = main([*SEND, "--stream", "--base-url", base_url, "--timeout", "0.6"])
    out, err = capsys.readouterr()
    assert code == 1
    assert out.startswith("w w ")  # what arrived was shown
    assert "did not finish within 0.6 s" in err and "total deadline" in err


def test_models_timeout_ends_a_trickling_list(capsys: pytest.CaptureFixture[str]) -> None:
    headers = {"content-type": "application/json", "content-length": "100000"}
    with hostile(Script(200, headers, forever(b" ", 0.05))) as base_url:
        code = main(["models", "--base-url", base_url, "--timeout", "0.5"])
    err = capsys.readouterr().err
    assert code == 1
    assert "error: timeout" in err and "deadline of the model list" in err


@pytest.mark.parametrize("command", [SEND, ["models"]], ids=["send", "models"])
def test_without_a_key_no_auth_is_sent_and_the_401_says_which_variable_to_set(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    answer = b'{"error": {"type": "authentication_error", "message": "Missing API key"}}'
    script = Script(401, body=lambda: [answer])
    with hostile(script) as base_url:
        code = main([*command, "--base-url", base_url])
    err = capsys.readouterr().err
    assert code == 1
    assert "authorization" not in script.seen[0].headers
    assert "error: 401 authentication_error" in err and "Missing API key" in err
    assert "No API key was set: set PIPELLM_API_KEY" in err
    assert "Illegal header" not in err
