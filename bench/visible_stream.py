"""Does a fast stream look like a stream? The real `pipellm-tui` in a pseudo-terminal, read as a user
sees it.

Starts the command (its own sandbox, full speed) in a pty of COLSxROWS, types a request for an answer
of N tokens into the editor, sends it, and reads the screen (pyte) every few milliseconds until the
status line says "done". Each time the Response pane's text changes is one visible change, from the
answer's first text on (the wait for the first token is printed apart). Prints,
with no asserts: the number of visible changes, how long the stream took on screen, and the gaps
between changes (median, p90, worst, and how many were over 100 ms). Target (issue 13): the visible
answer advances at least every 100 ms.

    python bench/visible_stream.py [--tokens 50000] [--size 120x40] [--repeat 3]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import queue
import select
import shutil
import statistics
import sys
import sysconfig
import tempfile
import threading
import time
from pathlib import Path

import ptyprocess
import pyte


def console_script() -> str:
    script = Path(sysconfig.get_path("scripts")) / "pipellm-tui"
    found = str(script) if script.exists() else shutil.which("pipellm-tui")
    if not found:
        sys.exit("pipellm-tui is not installed (pip install -e .)")
    return found


class Terminal:
    def __init__(self, columns: int, lines: int) -> None:
        env = {k: v for k, v in os.environ.items() if k != "PIPELLM_API_KEY"}
        env.update(TERM="xterm-256color", COLUMNS=str(columns), LINES=str(lines))
        # Data and config of the bench's own: the request typed here must never become the user's
        # kept draft or history, and the user's config.toml must not change the figures.
        home = tempfile.mkdtemp(prefix="pipellm-bench-")
        env.update(XDG_DATA_HOME=f"{home}/data", XDG_CONFIG_HOME=f"{home}/config", XDG_CACHE_HOME=f"{home}/cache")
        self.screen = pyte.Screen(columns, lines)
        self.stream = pyte.ByteStream(self.screen)
        self.child = ptyprocess.PtyProcess.spawn([console_script()], env=env, dimensions=(lines, columns))

    def pump(self, wait: float) -> bool:
        ready, _, _ = select.select([self.child.fd], [], [], wait)
        if ready:
            try:
                self.stream.feed(self.child.read(1 << 20))
            except EOFError:
                return False
            return True
        return False

    def settle(self, seconds: float) -> None:
        """Read the screen for `seconds` (pump returns as soon as output comes)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.pump(0.02)

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def wait_for(self, words: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.pump(0.05)
            if words in self.text():
                return
        raise SystemExit(f"never saw {words!r}:\n{self.text()}")


class Reader(threading.Thread):
    """Reads the terminal's bytes as they come and notes when each chunk arrived."""

    def __init__(self, term: Terminal) -> None:
        super().__init__(daemon=True)
        self.fd = term.child.fd
        self.chunks: queue.Queue[tuple[float, bytes]] = queue.Queue()
        self.stopping = False

    def run(self) -> None:
        while not self.stopping:
            ready, _, _ = select.select([self.fd], [], [], 0.05)
            if ready:
                try:
                    data = os.read(self.fd, 1 << 20)
                except OSError:
                    return
                if not data:
                    return
                self.chunks.put((time.monotonic(), data))

    def next_chunk(self, wait: float) -> tuple[float, bytes] | None:
        try:
            return self.chunks.get(timeout=wait)
        except queue.Empty:
            return None

    def stop(self) -> None:
        self.stopping = True
        self.join()


def response_text(screen: str) -> str:
    lines = screen.splitlines()
    top = next((i for i, line in enumerate(lines) if "─ Response " in line), None)
    if top is None:
        return ""
    left = lines[top].index("─ Response ") - 1
    right = lines[top].index("╮", left)
    body = []
    for line in lines[top + 1 :]:
        if line[left] == "╰":
            break
        body.append(line[left + 1 : right])
    return "\n".join(body)


def answer_area(pane: str) -> str:
    """The pane's text below its tab bar (the tab names and their underline, two lines)."""
    lines = pane.splitlines()
    return "\n".join(lines[2:]) if lines and "Answer" in lines[0] else pane


def run(tokens: int, columns: int, lines: int) -> list[float]:
    term = Terminal(columns, lines)
    try:
        term.wait_for("✓ valid")
        term.settle(1.0)  # the panes' actions are enabled once every pane is up
        body = {
            "model": "gpt-4o-mini",
            "messages": [{"role": "user", "content": f"Write at length. [[tokens:{tokens}]]"}],
            "max_tokens": tokens + 16,
            "stream": True,
        }
        term.child.write(b"\x1b[14~")  # F4: the editor
        term.settle(0.5)
        term.child.write(b"\x01")  # ctrl+a: select all
        term.settle(0.3)
        term.child.write(json.dumps(body).encode())
        term.settle(1.0)
        if f"[[tokens:{tokens}]]" not in term.text():
            raise SystemExit(f"the request did not reach the editor:\n{term.text()}")
        # What the terminal received is timed by a thread that only reads (the pty's bytes, as
        # they come); the screen is worked out from them here, at its own pace. Parsing a frame
        # (pyte) takes longer than the app takes to draw one, so a reader that parsed as it read
        # fell behind and saw two frames as one, and their gap as the app's.
        reader = Reader(term)
        reader.start()
        term.child.write(b"\n")  # ctrl+j: send
        changes: list[float] = []
        sent = cleared = time.monotonic()
        last = response_text(term.text())
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            chunk = reader.next_chunk(0.05)
            if chunk is None:
                continue
            at, data = chunk
            term.stream.feed(data)
            screen = term.text()
            now = response_text(screen)
            if now != last:
                if answer_area(now).strip() or changes:  # from the first text: clearing is not the stream
                    changes.append(at)
                else:
                    cleared = at
                last = now
            status = screen.splitlines()[-2]
            if status.lstrip().startswith(("done", "failed")):
                break
        reader.stop()
        if changes:
            print(
                f"  sent → answer cleared {(cleared - sent) * 1000:.0f} ms → first text "
                f"{(changes[0] - cleared) * 1000:.0f} ms (the time to first token, not a gap)"
            )
        return changes
    finally:
        term.child.terminate(force=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tokens", type=int, default=50_000)
    parser.add_argument("--size", default="120x40")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    columns, lines = (int(n) for n in args.size.split("x"))
    sys.setswitchinterval(0.001)  # the reader thread gets the interpreter within a millisecond
    gaps: list[float] = []
    for round_ in range(args.repeat):
        changes = run(args.tokens, columns, lines)
        round_gaps = [(b - a) * 1000 for a, b in itertools.pairwise(changes)]
        gaps += round_gaps
        span = (changes[-1] - changes[0]) if len(changes) > 1 else 0.0
        worst = max(round_gaps, default=0.0)
        print(
            f"round {round_ + 1}: {len(changes)} visible changes over {span:.2f} s; "
            f"worst gap {worst:.0f} ms; {sum(g > 100 for g in round_gaps)} gaps over 100 ms"
            + "".join(f" (#{i + 1}: {g:.0f} ms)" for i, g in enumerate(round_gaps) if g > 100)
        )
    if gaps:
        gaps.sort()
        p90 = gaps[int(0.9 * (len(gaps) - 1))]
        print(
            f"all rounds: {len(gaps)} gaps; median {statistics.median(gaps):.0f} ms, p90 {p90:.0f} ms, "
            f"worst {gaps[-1]:.0f} ms, over 100 ms: {sum(g > 100 for g in gaps)} (target: none)"
        )


if __name__ == "__main__":
    main()
