"""The history pane's speed in the TUI with 10,000 realistic entries: from F10 until the list is
on screen (the file opened and read in a worker, the rows drawn), and from a keystroke until the
searched list is on screen.

    python bench/history_pane.py [--entries 10000] [--repeat 7]

Fills a fresh history.sqlite3 as bench/history.py does (through `History.record`), then runs the
real app headless (Textual's run_test) against a sandbox on 127.0.0.1 and measures, per run:
open (the pane pushed until its first list is painted; the file is not open before, as on a first
F10), open again, and searches (a model name, a word of the answers, a status, two words, a word found nowhere).
Targets (issue 10): open <= 100 ms, a search <= 50 ms. Prints median and worst; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

QUERIES = ["claude-sonnet", "lantern", "429", "gateway token", "zzzqqq"]


async def painted(app: Any) -> None:
    done = asyncio.Event()
    app.screen.call_after_refresh(done.set)
    await done.wait()


async def wait_shown(pilot: Any, pane: Any, count: int) -> None:
    while pane.shown < count:
        await asyncio.sleep(0.0005)


async def run(repeat: int) -> tuple[list[float], list[float], dict[str, list[float]]]:
    from pipellm_tui.playground.endpoint import Endpoint
    from pipellm_tui.playground.session import Session
    from pipellm_tui.sandbox.config import SandboxConfig
    from pipellm_tui.sandbox.server import start_in_thread
    from pipellm_tui.ui.app import AppOptions, PlaygroundApp
    from pipellm_tui.ui.history_screen import HistoryScreen

    sandbox = start_in_thread(SandboxConfig(rpm=1_000_000))
    opens: list[float] = []
    reopens: list[float] = []
    searches: dict[str, list[float]] = {q: [] for q in QUERIES}
    try:
        for _ in range(repeat):
            endpoint = Endpoint(sandbox.base_url, sandbox.api_key, is_sandbox=True)
            app = PlaygroundApp(Session(endpoint=endpoint), AppOptions(cursor_blink=False))
            async with app.run_test(size=(160, 50)) as pilot:
                await app.workers.wait_for_complete()
                await pilot.pause(0.2)
                start = time.perf_counter()
                pane = HistoryScreen(app.workbench)
                await app.push_screen(pane)
                await wait_shown(pilot, pane, 1)
                await painted(app)
                opens.append(time.perf_counter() - start)
                pane.dismiss(None)
                await painted(app)
                start = time.perf_counter()  # again: the file is open, the module loaded
                pane = HistoryScreen(app.workbench)
                await app.push_screen(pane)
                await wait_shown(pilot, pane, 1)
                await painted(app)
                reopens.append(time.perf_counter() - start)
                for query in QUERIES:
                    seen = pane.shown
                    start = time.perf_counter()
                    pane.query_one("#history-search").value = query  # as typing the last key does
                    await wait_shown(pilot, pane, seen + 1)
                    await painted(app)
                    searches[query].append(time.perf_counter() - start)
                    pane.query_one("#history-search").value = ""
                    await wait_shown(pilot, pane, seen + 2)
    finally:
        sandbox.stop()
    return opens, reopens, searches


def report(label: str, times: list[float], target_ms: float) -> None:
    ms = sorted(t * 1000 for t in times)
    flag = "ok" if statistics.median(ms) <= target_ms else "OVER"
    print(
        f"{label:<34} median {statistics.median(ms):7.1f} ms  worst {ms[-1]:7.1f} ms  (target {target_ms:g}) {flag}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        os.environ["XDG_DATA_HOME"] = str(Path(home) / "data")
        os.environ["XDG_CONFIG_HOME"] = str(Path(home) / "config")
        from history import fill  # bench/history.py: the same realistic entries

        from pipellm_tui.store.history import history_path

        took = fill(history_path(), args.entries)
        print(f"filled {args.entries:,} entries in {took:.1f} s")
        opens, reopens, searches = asyncio.run(run(args.repeat))
        report("open the pane (first F10)", opens, 100)
        report("open it again", reopens, 100)
        for query, times in searches.items():
            report(f"search {query!r}", times, 50)


if __name__ == "__main__":
    main()
