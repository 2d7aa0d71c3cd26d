"""Four streams at once in the compare screen: one model on every route, 10,000 tokens each.

Runs the playground headless (`run_test`) against the sandbox at full speed in a child process (as
the app runs it), loads a request for exactly N tokens (the sandbox's `[[tokens:N]]` marker) and
presses F10 ("Compare routes"): four routes stream concurrently (the fifth, the Responses
converter, is shown and not sent). Prints, with no asserts:
  - throughput, from runs with no key pressed: the four streams' output tokens over the time from
    F10 until every column shows its whole answer (target >= 40,000 tokens/s together), and over the
    time from the first text on screen to the last (the screen's own build and the end report left
    out);
  - key-press latency while they stream, from runs of their own (as bench/stream_render.py does):
    every 50 ms a key is posted (the next once the last was handled): `+` and `-` alternately (the
    repeat count, which rewrites the screen's title line). "handled": until the action runs;
    "on screen": until the next frame painted after it (target <= 50 ms at p90, for the presses
    made while the streams render: from the first text on screen on). The presses made while the
    screen opens (F10 until the first text) are pooled apart: they wait for the screen's build
    (~100 ms on this machine), which is not rendering. Pooled over runs;
  - the ceiling: the same comparison without the UI (playground/compare.py alone, same process and
    sandbox), so the UI's share can be told apart from how busy the machine is.

    python bench/compare_render.py [--tokens 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from typing import Any

from _support import sandbox_app, spread
from textual import events
from textual.screen import Screen

from pipellm_tui.sandbox.child import SandboxProcess
from pipellm_tui.sandbox.config import SandboxConfig
from pipellm_tui.ui.app import PlaygroundApp
from pipellm_tui.ui.compare_screen import CompareScreen

KEYS = (("plus", "+"), ("minus", "-"))


def request_for(tokens: int) -> str:
    return json.dumps(
        {
            "model": "gpt-4o-mini",
            "messages": [
                {"role": "system", "content": "Be thorough."},
                {"role": "user", "content": f"Write at length. [[tokens:{tokens}]]"},
            ],
            "max_tokens": tokens + 16,
            "stream": True,
            "stream_options": {"include_usage": True},
        },
        indent=2,
    )


async def run_once(app: PlaygroundApp, pilot: Any, tokens: int, probe: bool) -> dict[str, Any]:
    app.playground.editor.text_area.load_text(request_for(tokens))
    await pilot.pause(0.3)
    latencies: list[float] = []
    on_screen: list[float] = []
    opening: list[float] = []  # on screen, for presses made before the first text
    posted: list[tuple[float, bool]] = []  # (when, made while the streams render)
    original = CompareScreen.action_repeat

    def timed(self: CompareScreen, step: int) -> None:
        if posted:
            sent, rendering = posted.pop(0)
            latencies.append(time.perf_counter() - sent)
            pool = on_screen if rendering else opening
            self.call_after_refresh(lambda: pool.append(time.perf_counter() - sent))
        original(self, step)

    CompareScreen.action_repeat = timed  # type: ignore[method-assign]
    frames: list[float] = []
    refresh = Screen._compositor_refresh

    def timed_refresh(self: Screen[Any]) -> None:
        t0 = time.perf_counter()
        refresh(self)
        frames.append(time.perf_counter() - t0)

    Screen._compositor_refresh = timed_refresh  # type: ignore[method-assign]
    presses = 0
    try:
        start = time.perf_counter()
        # Posted, not `pilot.press`: the pilot waits for the app to go idle, which it is not.
        app.post_message(events.Key("alt+v", None))
        while not isinstance(app.screen, CompareScreen):
            await asyncio.sleep(0.001)
        screen = app.screen
        first: float | None = None
        while screen.running or not screen.is_mounted:
            if first is None and any(column._written for column in screen.columns):
                first = time.perf_counter()
            if probe and not posted:
                posted.append((time.perf_counter(), first is not None))
                key, character = KEYS[presses % 2]
                app.post_message(events.Key(key, character))
                presses += 1
            await asyncio.sleep(0.05)
        end = time.perf_counter()
        elapsed = end - start
        streaming = end - (first or start)
        for _ in range(200):  # the last key may still be queued
            if not posted:
                break
            await asyncio.sleep(0.01)
    finally:
        CompareScreen.action_repeat = original  # type: ignore[method-assign]
        Screen._compositor_refresh = refresh  # type: ignore[method-assign]
    runs = screen.comparison.latest()
    shown = sum(len(column.answer.text) for column in screen.columns)
    output = sum(run.usage.output_tokens for run in runs if run.usage is not None)
    states = [run.state for run in runs]
    app.post_message(events.Key("q", "q"))
    while app.screen is screen:
        await asyncio.sleep(0.01)
    return {"tokens": output, "chars": shown, "seconds": elapsed, "states": states, "streaming": streaming, "frames": frames,
            "latencies": latencies, "on_screen": on_screen, "opening": opening}  # fmt: skip


def pooled(label: str, values: list[float]) -> str:
    ms = sorted(v * 1000 for v in values)
    if not ms:
        return f"{label}: no press landed"
    return f"{label}: {len(ms)} presses, {spread(ms)}"


async def without_ui(sandbox: Any, tokens: int) -> float:
    """Tokens per second of the comparison alone: the core, the client and the sandbox."""
    from pipellm_tui.client import PlaygroundClient
    from pipellm_tui.playground.compare import Comparison
    from pipellm_tui.playground.compare import Endpoint as CompareEndpoint
    from pipellm_tui.playground.compare_targets import route_targets
    from pipellm_tui.protocols.formats import Family, Format

    client = PlaygroundClient()
    targets = route_targets("gpt-4o-mini", Family.OPENAI)
    body = json.loads(request_for(tokens))
    comparison = Comparison(
        client, CompareEndpoint(sandbox.base_url, sandbox.api_key), Format.OPENAI_CHAT, body, targets
    )
    start = time.perf_counter()
    await comparison.run()
    elapsed = time.perf_counter() - start
    await client.aclose()
    return sum(r.usage.output_tokens for r in comparison.runs if r.usage is not None) / elapsed


async def main(tokens: int, repeat: int) -> None:
    config = SandboxConfig(rpm=1_000_000, balance=1e9, max_forced_tokens=tokens)
    sandbox = SandboxProcess.spawn(config)
    app = sandbox_app(sandbox)
    plain: list[dict[str, Any]] = []
    probed: list[dict[str, Any]] = []
    ceiling: list[float] = []
    try:
        async with app.run_test(size=(200, 50)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause(0.2)
            await run_once(app, pilot, 200, probe=False)  # warm-up: imports, the first screen
            for _ in range(repeat):
                plain.append(await run_once(app, pilot, tokens, probe=False))
                probed.append(await run_once(app, pilot, tokens, probe=True))
                ceiling.append(await without_ui(sandbox, tokens))
    finally:
        sandbox.stop()
    print(f"four concurrent streams of {tokens:,} tokens (one model on every route), sandbox in a process")
    for title, runs in (("no key pressed", plain), ("keys pressed every 50 ms", probed)):
        print(title)
        for r in runs:
            rate = r["tokens"] / r["seconds"]
            print(
                f"  {r['tokens']:,} tokens ({r['chars']:,} chars on screen) in {r['seconds']:.2f} s from F10: "
                f"{rate:,.0f} tokens/s together; from the first text on screen to the last "
                f"{r['streaming']:.2f} s: {r['tokens'] / r['streaming']:,.0f} tokens/s; states {sorted(set(r['states']))}"
            )
    print(
        "without the UI (the ceiling): "
        + ", ".join(f"{rate:,.0f}" for rate in ceiling)
        + " tokens/s together"
    )
    print(
        pooled("frame painting (not a key)", [v for r in plain + probed for v in r["frames"]]).replace(
            "presses", "frames"
        )
    )
    print(pooled("handled", [v for r in probed for v in r["latencies"]]))
    print(pooled("on screen, while the streams render", [v for r in probed for v in r["on_screen"]]))
    print(pooled("on screen, while the screen opens", [v for r in probed for v in r["opening"]]))
    print("targets: >= 40,000 tokens/s together; a key press on screen within 50 ms at p90")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3, help="rounds, for the spread")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.tokens, arguments.repeat))
