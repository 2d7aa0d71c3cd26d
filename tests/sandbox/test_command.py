"""`pipellm-tui sandbox` as a user runs it: prints its URL and key, serves, stops cleanly on Ctrl-C."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys

import httpx2


def _start(*args: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k != "PIPELLM_API_KEY"}
    return subprocess.Popen(
        [sys.executable, "-m", "pipellm_tui.cli", "sandbox", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_command_prints_url_and_key_serves_and_stops_on_ctrl_c() -> None:
    process = _start("--port", "0", "--api-key", "pipe-cli-test", "--rpm", "7", "--max-body-bytes", "100")
    try:
        first = process.stdout.readline()  # type: ignore[union-attr]
        found = re.fullmatch(r"PipeLLM sandbox on (http://127\.0\.0\.1:(\d+))  key: pipe-cli-test\n", first)
        assert found, first
        base_url = found.group(1)
        response = httpx2.get(f"{base_url}/v1/models", headers={"x-api-key": "pipe-cli-test"}, timeout=10)
        assert response.status_code == 200
        assert response.headers["x-ratelimit-limit-requests"] == "7"
        big = {"model": "gpt-4o", "messages": [{"role": "user", "content": "x" * 100}]}
        auth = {"authorization": "Bearer pipe-cli-test"}
        refused = httpx2.post(f"{base_url}/v1/chat/completions", json=big, headers=auth)
        assert refused.status_code == 413
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0
    assert "Sandbox stopped." in out
    assert "Traceback" not in err


def test_command_refuses_bad_settings_without_a_traceback() -> None:
    process = _start("--rpm", "0", "--token-rate", "-1", "--idle-timeout", "0", "--max-body-bytes", "0")
    out, err = process.communicate(timeout=30)
    assert process.returncode == 2
    assert "--rpm must be at least 1" in out and "--token-rate must be 0 or more" in out
    assert "--max-body-bytes must be at least 1" in out and "--idle-timeout and --client-timeout" in out
    assert "Traceback" not in err


def test_command_reports_a_port_in_use() -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = _start("--port", str(port))
        out, err = process.communicate(timeout=30)
    assert process.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in out
    assert "Traceback" not in err
