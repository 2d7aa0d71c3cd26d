"""The sandbox in a child process (what the playground runs when there is no key): it serves over
real HTTP, it exits when asked and when its parent's pipe closes, and a failed start says why."""

from __future__ import annotations

import time

import httpx2
import pytest

from pipellm_tui.sandbox.child import SandboxProcess
from pipellm_tui.sandbox.config import SandboxConfig


def _wait_for_exit(sandbox: SandboxProcess, within: float = 10.0) -> int | None:
    deadline = time.monotonic() + within
    while sandbox.exit_code is None and time.monotonic() < deadline:
        time.sleep(0.02)
    return sandbox.exit_code


def test_the_child_serves_the_api_and_stops_when_asked() -> None:
    sandbox = SandboxProcess.spawn(SandboxConfig(api_key="pipe-child", rpm=7))
    try:
        assert sandbox.base_url.startswith("http://127.0.0.1:")
        response = httpx2.get(f"{sandbox.base_url}/v1/models", headers={"authorization": "Bearer pipe-child"})
        assert response.status_code == 200
        assert any(m["id"] == "gpt-4o-mini" for m in response.json()["data"])
        # The config crossed over: the child counts requests against rpm=7.
        assert response.headers["x-ratelimit-limit-requests"] == "7"
        assert httpx2.get(f"{sandbox.base_url}/v1/models").status_code == 401
    finally:
        sandbox.stop()
    assert sandbox.exit_code == 0
    with pytest.raises(httpx2.ConnectError):
        httpx2.get(f"{sandbox.base_url}/v1/models", timeout=2)


def test_the_child_exits_when_its_parent_goes_away() -> None:
    """The parent dying closes the child's stdin: the sandbox never outlives the app."""
    sandbox = SandboxProcess.spawn()
    try:
        assert sandbox.base_url
        stdin = sandbox._process.stdin
        assert stdin is not None
        stdin.close()  # what the kernel does for a parent that exits or crashes
        assert _wait_for_exit(sandbox) == 0
    finally:
        sandbox.stop()


def test_a_failed_start_says_why() -> None:
    sandbox = SandboxProcess.spawn(SandboxConfig(host="203.0.113.7"))  # not an address of this host
    with pytest.raises(RuntimeError, match="the sandbox did not start: .*(?i:address)"):
        _ = sandbox.base_url
    assert sandbox.exit_code is not None
