"""The sandbox in a child process (what the playground runs when there is no key): it serves over
real HTTP, it exits when asked and when its parent's pipe closes, and a failed start says why."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

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


# A forked child (what the command line starts, before any thread exists): run from a fresh
# interpreter, since a test worker has threads of its own (and then `spawn` starts an interpreter).
FORKED_SERVES = """
import urllib.request
from pipellm_tui.sandbox.child import Forked, SandboxProcess
from pipellm_tui.sandbox.config import SandboxConfig

sandbox = SandboxProcess.spawn(SandboxConfig(api_key="pipe-forked", rpm=5), fork=True)
assert isinstance(sandbox._process, Forked), type(sandbox._process)
request = urllib.request.Request(sandbox.base_url + "/v1/models", headers={"authorization": "Bearer pipe-forked"})
with urllib.request.urlopen(request) as response:
    assert response.status == 200, response.status
    assert response.headers["x-ratelimit-limit-requests"] == "5"
sandbox.stop()
print("exit", sandbox.exit_code)
"""

FORKED_ORPHANED = """
import os
from pipellm_tui.sandbox.child import SandboxProcess

sandbox = SandboxProcess.spawn(fork=True)
print(sandbox.pid, sandbox.base_url, flush=True)
os._exit(0)  # as a crash would: no stop(), the pipe closes with the process
"""

FORKED_FAILS = """
from pipellm_tui.sandbox.child import SandboxProcess
from pipellm_tui.sandbox.config import SandboxConfig

sandbox = SandboxProcess.spawn(SandboxConfig(host="203.0.113.7"), fork=True)
try:
    sandbox.base_url
except RuntimeError as exc:
    print(exc)
print("exit", sandbox.exit_code is not None)
"""


def _python(script: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )


def test_a_forked_child_serves_the_api_and_stops_when_asked() -> None:
    run = _python(FORKED_SERVES)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "exit 0"


def test_a_forked_child_exits_when_its_parent_goes_away() -> None:
    run = _python(FORKED_ORPHANED)
    assert run.returncode == 0, run.stderr
    pid, base_url = run.stdout.split()
    assert base_url.startswith("http://127.0.0.1:")
    deadline = time.monotonic() + 10
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not Path(f"/proc/{pid}").exists()


def test_a_forked_child_that_cannot_start_says_why() -> None:
    run = _python(FORKED_FAILS)
    assert run.returncode == 0, run.stderr
    assert "the sandbox did not start:" in run.stdout and "address" in run.stdout.lower()
    assert run.stdout.strip().endswith("exit True")


def test_with_another_thread_running_the_child_is_started_not_forked() -> None:
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        sandbox = SandboxProcess.spawn(fork=True)
        try:
            assert isinstance(sandbox._process, subprocess.Popen)
            assert sandbox.base_url.startswith("http://127.0.0.1:")
        finally:
            sandbox.stop()
    finally:
        release.set()
        other.join()


FORKED_WARMS_UP_WHEN_TOLD = """
from pipellm_tui.sandbox.child import SandboxProcess

sandbox = SandboxProcess.spawn(fork=True, warm_up_after=300)  # only the parent's word can start it
sandbox.base_url
print("before", sandbox.warmed(1.0))
sandbox.warm_up()
print("after", sandbox.warmed(30.0))
sandbox.stop()
"""


def test_a_child_loads_what_requests_need_when_its_parent_says() -> None:
    """The app says so once its panes are painted: the child's ~100 ms of loading no longer
    competes with the app's start-up for the machine's cores."""
    run = _python(FORKED_WARMS_UP_WHEN_TOLD)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["before", "False", "after", "True"]


def test_a_child_whose_parent_never_says_loads_anyway_and_its_url_reads_clean() -> None:
    """A headless command never says: the child loads after WARM_UP_DELAY. Its "warmed" line,
    already in the pipe when the URL is first read, is not part of the URL."""
    sandbox = SandboxProcess.spawn()
    try:
        time.sleep(4.0)  # ready, then (2 s later) warmed: both lines wait in the pipe
        assert sandbox.base_url.startswith("http://127.0.0.1:")
        assert "\n" not in sandbox.base_url and "warmed" not in sandbox.base_url
        assert sandbox.warmed(30.0)
        assert (
            httpx2.get(
                sandbox.base_url + "/v1/models", headers={"authorization": "Bearer pipe-sandbox"}
            ).status_code
            == 200
        )
    finally:
        sandbox.stop()


def test_a_word_to_a_child_that_died_costs_nothing() -> None:
    """The app tells its sandbox to load once its panes are painted; a child that died meanwhile
    (its pipe closed) turns neither that word nor the app's exit into an error."""
    sandbox = SandboxProcess.spawn(warm_up_after=300)
    assert sandbox.base_url.startswith("http://127.0.0.1:")
    sandbox._process.kill()
    assert _wait_for_exit(sandbox) is not None
    for _ in range(3):  # the first write may still fit in the pipe; a later one finds it broken
        sandbox.warm_up()
        time.sleep(0.05)
    sandbox.stop()
    assert sandbox.exit_code is not None
