"""End to end: the real `pipellm-tui` command in a pseudo-terminal (120x40 and 80x24), as a new
user runs it.

No PIPELLM_API_KEY, so it starts the sandbox (in a child process). The test waits for the model
list, opens the command palette, runs "Send request", reads the streamed answer and the 200 off the
screen, quits with ctrl+q and checks the sandbox went with it. Polls every 0.1 s with generous
timeouts (no timing is asserted).
"""

from __future__ import annotations

import os
import select
import shutil
import sysconfig
import time
from collections.abc import Callable
from pathlib import Path

import ptyprocess
import pyte
import pytest

TIMEOUT = 30.0


def console_script() -> str:
    script = Path(sysconfig.get_path("scripts")) / "pipellm-tui"
    found = str(script) if script.exists() else shutil.which("pipellm-tui")
    if not found:
        pytest.fail("the pipellm-tui console script is not installed (pip install -e .)")
    return found


class Terminal:
    def __init__(self, argv: list[str], columns: int = 120, lines: int = 40) -> None:
        env = {k: v for k, v in os.environ.items() if k != "PIPELLM_API_KEY"}
        env.update(TERM="xterm-256color", COLUMNS=str(columns), LINES=str(lines))
        self.screen = pyte.Screen(columns, lines)
        self.stream = pyte.ByteStream(self.screen)
        self.child = ptyprocess.PtyProcess.spawn(argv, env=env, dimensions=(lines, columns))

    def pump(self, wait: float = 0.1) -> None:
        ready, _, _ = select.select([self.child.fd], [], [], wait)
        if ready:
            try:
                self.stream.feed(self.child.read(1 << 16))
            except EOFError:
                pass

    @property
    def text(self) -> str:
        return "\n".join(self.screen.display)

    def wait_for(self, check: Callable[[str], bool], what: str, timeout: float = TIMEOUT) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.pump()
            if check(self.text):
                return self.text
        raise AssertionError(f"never saw {what}; the screen was:\n{self.text}")

    def send(self, keys: str) -> None:
        self.child.write(keys.encode())


def child_processes(parent: int) -> set[int]:
    """Pids of the running child processes of `parent` (the app's: its sandbox, started or forked)."""
    found: set[int] = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
                found.add(int(entry.name))
    return found


def running(pids: set[int]) -> set[int]:
    return {pid for pid in pids if Path(f"/proc/{pid}").exists()}


@pytest.mark.parametrize(("columns", "lines"), [(120, 40), (80, 24)])
def test_the_real_command_streams_an_answer_sent_from_the_palette(columns: int, lines: int) -> None:
    term = Terminal([console_script()], columns, lines)
    try:
        # The title may show the address a frame after the list (the header updates by message).
        term.wait_for(
            lambda t: "gpt-4o-mini" in t and "models" in t and "Sandbox · http://127.0.0.1:" in t,
            "the model list and the sandbox's address in the title",
        )
        sandbox = child_processes(term.child.pid)
        assert len(sandbox) == 1, "no sandbox child process while the app runs"
        # The panes follow the model list (until then their actions are disabled), as a user sees.
        term.wait_for(lambda t: "✓ valid" in t, "the request editor's check")
        term.send("\x10")  # ctrl+p: the command palette
        term.wait_for(lambda t: "Search for commands" in t, "the command palette")
        term.send("Send request")
        term.wait_for(lambda t: "Send request" in t, "the typed command")
        time.sleep(0.3)  # let the palette filter settle on the typed name
        term.send("\r")
        # Read on the status line (the line above the keys): "done" may be a word of the answer too.
        # Status, TTFT, total and cost stay on it at every size.
        fields = ("HTTP 200", "TTFT ", "total ", "cost $")

        def finished(text: str) -> bool:
            status = text.splitlines()[-2].strip()
            return status.startswith("done") and all(field in status for field in fields)

        screen = term.wait_for(finished, "the finished answer's status line")
        # The answer pane holds words of the sandbox's generated English text.
        response = _pane_text(screen, "Response")
        assert len(response.split()) >= 5, response
        assert "Send a request" not in response
        term.send("\x11")  # ctrl+q
        deadline = time.monotonic() + TIMEOUT
        while term.child.isalive() and time.monotonic() < deadline:
            term.pump()
        assert not term.child.isalive()
        assert term.child.exitstatus == 0
        assert "Traceback" not in term.text
        deadline = time.monotonic() + TIMEOUT
        while running(sandbox) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not running(sandbox), "the sandbox outlived the app"
    finally:
        if term.child.isalive():
            term.child.terminate(force=True)


def _pane_text(screen: str, title: str) -> str:
    """The text inside the bordered pane whose title starts the frame (between its side borders)."""
    lines = screen.splitlines()
    top = next(i for i, line in enumerate(lines) if f"─ {title} " in line)
    left = lines[top].index(f"─ {title} ") - 1
    right = lines[top].index("╮", left)
    body: list[str] = []
    for line in lines[top + 1 :]:
        if line[left] == "╰":
            break
        body.append(line[left + 1 : right])
    return "\n".join(body)


def test_an_expired_toast_leaves_nothing_painted_behind() -> None:
    """Read through a real terminal: a toast shown over the panes is gone from the screen once it
    expires (it used to stay painted over the status line and the panes for good)."""
    term = Terminal([console_script()])
    try:
        term.wait_for(lambda t: "✓ valid" in t, "the request editor's check")
        term.send("\n")  # ctrl+j: send
        term.wait_for(lambda t: "done" in t and "HTTP 200" in t, "the finished answer")
        term.send("\x07")  # ctrl+g: "Using the converter route: …" as a toast
        term.send("\x1bw")  # alt+w: "Long lines scroll sideways." as a second toast
        term.wait_for(lambda t: "Soft wrap" in t or "Using the converter" in t, "the toasts")
        term.wait_for(
            lambda t: "Soft wrap" not in t and "Using the converter" not in t, "the toasts gone", 25
        )
        # The toasts' place is painted again (a frame after the one that took them away, at most):
        # before the fix it stayed cut ("in 17 / out 4▌", then blanks) for good.
        term.wait_for(
            lambda t: t.splitlines()[-2].lstrip().startswith("done") and "cost $" in t.splitlines()[-2],
            "the status line whole again",
            10,
        )
    finally:
        term.child.terminate(force=True)
