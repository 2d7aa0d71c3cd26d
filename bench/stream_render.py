"""Streaming into the response pane: 10,000 and then 100,000 tokens from the sandbox at full speed.

Runs the playground headless (`run_test`) against an in-process sandbox (token_rate=0), asks for an
answer of exactly N tokens (the sandbox's `[[tokens:N]]` marker), sends it and waits until the answer
is rendered. Prints, with no asserts:
  - time to render each size, and the growth ratio 100k/10k (target <= 11x: linear, not quadratic);
  - tokens per second rendered (target >= 20,000);
  - key-press latency while streaming: a key bound to a cheap action is posted every 50 ms during the
    100k stream, and the time until its handler runs is recorded (target <= 50 ms, median and worst).

    python bench/stream_render.py [--sizes 10000 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from typing import Any

from textual import events

from pipellm_tui.sandbox.config import SandboxConfig
from pipellm_tui.sandbox.server import start_in_thread
from pipellm_tui.ui.app import AppOptions, PlaygroundApp
from pipellm_tui.ui.endpoint import Endpoint
from pipellm_tui.ui.main_screen import PlaygroundScreen
from pipellm_tui.ui.session import Session

PROBE_KEY = "ctrl+o"  # "Toggle raw events": cheap, and harmless to press mid-stream


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


async def run_once(app: PlaygroundApp, pilot: Any, tokens: int, probe: bool) -> dict[str, Any]:
    screen = app.playground
    screen.editor.text_area.load_text(request_for(tokens))
    await pilot.pause(0.3)
    latencies: list[float] = []
    posted: list[float] = []
    original = PlaygroundScreen.action_toggle_raw

    def timed_toggle(self: PlaygroundScreen) -> None:
        if posted:
            latencies.append(time.perf_counter() - posted.pop(0))
        original(self)

    PlaygroundScreen.action_toggle_raw = timed_toggle  # type: ignore[method-assign]
    try:
        before = app.session.exchange
        start = time.perf_counter()
        await pilot.press("ctrl+j")
        while app.session.exchange is before:  # the send worker has not started yet
            await asyncio.sleep(0.001)
        while screen.sending:
            if probe and not posted:
                posted.append(time.perf_counter())
                app.post_message(events.Key(PROBE_KEY, None))
            await asyncio.sleep(0.05)
        await app.workers.wait_for_complete()
        elapsed = time.perf_counter() - start
    finally:
        PlaygroundScreen.action_toggle_raw = original  # type: ignore[method-assign]
    usage = app.session.exchange.usage if app.session.exchange else None
    return {
        "tokens": usage.output_tokens if usage else None,
        "chars": len(screen.response.answer_text),
        "seconds": elapsed,
        "latencies": latencies,
    }


async def main(sizes: list[int]) -> None:
    sandbox = start_in_thread(SandboxConfig(rpm=1_000_000, balance=1e9, max_forced_tokens=max(sizes)))
    app = PlaygroundApp(
        Session(endpoint=Endpoint(sandbox.base_url, sandbox.api_key, is_sandbox=True)),
        AppOptions(cursor_blink=False),
    )
    results = []
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause(0.2)
            await run_once(app, pilot, 200, probe=False)  # warm-up: imports, first Markdown mount
            for size in sizes:
                results.append(await run_once(app, pilot, size, probe=True))
    finally:
        sandbox.stop()
    for r in results:
        rate = r["tokens"] / r["seconds"] if r["tokens"] else float("nan")
        lat = r["latencies"]
        lat_text = (
            f"key latency median {statistics.median(lat) * 1000:.1f} ms, worst {max(lat) * 1000:.1f} ms "
            f"({len(lat)} presses)"
            if lat
            else "key latency: no press landed"
        )
        print(
            f"{r['tokens']:>7} tokens ({r['chars']:,} chars): {r['seconds']:.2f} s, {rate:,.0f} tokens/s rendered; {lat_text}"
        )
    if len(results) >= 2:
        ratio = results[-1]["seconds"] / results[0]["seconds"]
        print(f"growth {sizes[-1]:,}/{sizes[0]:,} tokens: {ratio:.1f}x (target <= 11x)")
    print("targets: >= 20,000 tokens/s rendered; key press answered within 50 ms while streaming")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    asyncio.run(main(parser.parse_args().sizes))
