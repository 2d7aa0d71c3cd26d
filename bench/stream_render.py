"""Streaming into the response pane: 10,000 and then 100,000 tokens from the sandbox at full speed.

Runs the playground headless (`run_test`) against the sandbox at full speed (token_rate=0) in a child
process, as the app runs it (`--sandbox thread` puts it in a thread of this process instead, sharing
the UI's GIL as the app once did), asks for an answer of exactly N tokens (the sandbox's
`[[tokens:N]]` marker), sends it and waits until the answer is rendered. Prints, with no asserts:
  - throughput, from runs with no key pressed: time to render each size, tokens per second rendered
    (target >= 20,000) and the growth ratio 100k/10k (target <= 11x: linear, not quadratic);
  - key-press latency while streaming, from runs of their own (their tokens per second are printed
    too: each key costs the app a layout, so they are lower): every 50 ms during the stream a key is
    posted (the next one once the last was handled) and two times are recorded, "handled" (until the
    app has handled it; target <= 50 ms, median and worst) and "on screen" (until the first frame
    painted after that). Two probes: `toggle` presses ctrl+o ("Toggle raw events") and times until its
    action starts; `type` types into the focused model filter, alternately a letter and backspace, and
    times until the filter holds the new value (each key also filters the model list, a few layouts
    of its own). Last, every probe's presses of all runs pooled: median, p90, p99, worst, share over
    50 ms.

    python bench/stream_render.py [--sizes 10000 100000] [--sandbox process|thread] [--probe toggle type]
        [--repeat N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from typing import Any

from _support import sandbox_app, spread
from textual import events
from textual.widgets import Input

from pipellm_tui.sandbox.child import SandboxProcess
from pipellm_tui.sandbox.config import SandboxConfig
from pipellm_tui.sandbox.server import start_in_thread
from pipellm_tui.ui.app import PlaygroundApp
from pipellm_tui.ui.main_screen import PlaygroundScreen

TOGGLE_KEY = "ctrl+o"  # "Toggle raw events"
TYPED_KEYS = (("a", "a"), ("backspace", None))  # a letter, then backspace: the filter stays short


def request_for(tokens: int) -> str:
    return json.dumps(
        {
            "model": "gpt-4o-mini",
            "messages": [{"role": "user", "content": f"Write at length. [[tokens:{tokens}]]"}],
            "max_tokens": tokens + 16,
            "stream": True,
            "stream_options": {"include_usage": True},
        },
        indent=2,
    )


async def run_once(app: PlaygroundApp, pilot: Any, tokens: int, probe: str | None) -> dict[str, Any]:
    screen = app.playground
    screen.editor.text_area.load_text(request_for(tokens))
    screen.query_one("#models-filter", Input).focus()
    await pilot.pause(0.3)
    latencies: list[float] = []
    on_screen: list[float] = []
    posted: list[float] = []
    # What says the key was answered: the filter's new value, or the action starting.
    owner, name = (Input, "_watch_value") if probe == "type" else (PlaygroundScreen, "action_toggle_raw")
    original = getattr(owner, name)

    def timed(self: Any, *args: Any) -> Any:
        if posted:
            sent = posted.pop(0)
            latencies.append(time.perf_counter() - sent)
            app.screen.call_after_refresh(lambda: on_screen.append(time.perf_counter() - sent))
        return original(self, *args)

    setattr(owner, name, timed)
    presses = 0
    try:
        before = app.session.exchange
        start = time.perf_counter()
        # Posted, not `pilot.press`: the pilot waits for the app to go idle, which a streaming app
        # is not, so the probes would miss the stream's first seconds.
        app.post_message(events.Key("ctrl+j", None))
        while app.session.exchange is before:  # the send worker has not started yet
            await asyncio.sleep(0.001)
        while screen.sending:
            if probe and not posted:
                posted.append(time.perf_counter())
                key, character = TYPED_KEYS[presses % 2] if probe == "type" else (TOGGLE_KEY, None)
                app.post_message(events.Key(key, character))
                presses += 1
            await asyncio.sleep(0.05)
        await app.workers.wait_for_complete()
        elapsed = time.perf_counter() - start
        # The last key may still be queued: let it land here, not after the app has closed.
        for _ in range(200):
            if not posted:
                break
            await asyncio.sleep(0.01)
    finally:
        setattr(owner, name, original)
    exchange = app.session.exchange
    usage = exchange.usage if exchange else None
    if exchange is not None and exchange.error is not None:  # say why, rather than a figure of nothing
        print(f"  the send failed: {exchange.error.type}: {exchange.error.message}")
    return {
        "tokens": usage.output_tokens if usage else 0,
        "chars": len(screen.response.answer_text),
        "seconds": elapsed,
        "latencies": latencies,
        "on_screen": on_screen,
    }


PROBES = {"toggle": 'ctrl+o ("Toggle raw events")', "type": "typing into the model filter"}


def latency_text(label: str, values: list[float]) -> str:
    if not values:
        return f"{label}: no press landed"
    return f"{label} median {statistics.median(values) * 1000:.1f} ms, worst {max(values) * 1000:.1f} ms"


def report(title: str, runs: list[dict[str, Any]], sizes: list[int]) -> None:
    print(title)
    for r in runs:
        rate = r["tokens"] / r["seconds"] if r["tokens"] else float("nan")
        line = f"  {r['tokens']:>7} tokens ({r['chars']:,} chars): {r['seconds']:.2f} s, {rate:,.0f} tokens/s"
        if r["latencies"]:
            line += (
                f"; {len(r['latencies'])} presses, {latency_text('handled', r['latencies'])}; "
                f"{latency_text('on screen', r['on_screen'])}"
            )
        print(line)
    if len(runs) >= 2 and not runs[0]["latencies"]:
        ratio = runs[-1]["seconds"] / runs[0]["seconds"]
        print(f"  growth {sizes[-1]:,}/{sizes[0]:,} tokens: {ratio:.1f}x (target <= 11x)")


async def main(
    sizes: list[int], where: str = "process", probes: list[str] | None = None, repeat: int = 1
) -> None:
    probes = probes if probes is not None else list(PROBES)
    config = SandboxConfig(rpm=1_000_000, balance=1e9, max_forced_tokens=max(sizes))
    sandbox = SandboxProcess.spawn(config) if where == "process" else start_in_thread(config)
    app = sandbox_app(sandbox)
    modes: list[str | None] = [None, *probes]
    results: dict[str | None, list[list[dict[str, Any]]]] = {mode: [] for mode in modes}
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause(0.2)
            await run_once(app, pilot, 200, probe=None)  # warm-up: imports, first Markdown mount
            for _ in range(repeat):
                for mode in modes:
                    results[mode].append([await run_once(app, pilot, size, probe=mode) for size in sizes])
    finally:
        sandbox.stop()
    print(f"sandbox in a {where}")
    for mode in modes:
        for number, runs in enumerate(results[mode], 1):
            title = "throughput, no key pressed" if mode is None else f"key probe: {PROBES[mode]}"
            report(f"{title}{f' (round {number})' if repeat > 1 else ''}", runs, sizes)
    for mode in probes:
        pooled(PROBES[mode], [run for runs in results[mode] for run in runs])
    print("targets: >= 20,000 tokens/s rendered; key press answered within 50 ms while streaming")


def pooled(title: str, runs: list[dict[str, Any]]) -> None:
    """All presses of a probe together: one worst case says less than how often it happens."""
    for label, key in (("handled", "latencies"), ("on screen", "on_screen")):
        values = sorted(value * 1000 for run in runs for value in run[key])
        if not values:
            continue
        print(f"all presses, {title}, {label}: {len(values)}, {spread(values)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--sandbox", choices=("process", "thread"), default="process")
    parser.add_argument("--probe", choices=list(PROBES), nargs="*", default=list(PROBES))
    parser.add_argument("--repeat", type=int, default=1, help="rounds of all runs, for the spread")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.sizes, arguments.sandbox, arguments.probe, arguments.repeat))
