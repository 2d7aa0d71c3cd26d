"""Our answer view against Textual's supported streaming path (issue 9, point 4).

The same sandbox answers (10,000 and 100,000 tokens, the `[[tokens:N]]` marker, full speed, the
sandbox in a child process, read with our client) are streamed into a view alone under a one-line
Input, in a headless app (`run_test`, 120x40):
  - `answer`: our AnswerView (ui/widgets/answer.py: the Markdown drawn off screen into lines), fed as
    the app feeds it (ui/widgets/response.py: text queued, written every FLUSH_SECONDS);
  - `textual`: Textual's supported path, a `Markdown` widget in an anchored `VerticalScroll`
    (`scroll.anchor()`) fed through `Markdown.get_stream(markdown)`, a `MarkdownStream.write` per
    text delta, as Textual's documentation streams Markdown;
  - `textual-ticked`: the same Markdown widget fed as the app feeds AnswerView, so that the widget's
    cost can be told from the feeder's.
The answer is one long paragraph as the sandbox writes it (`sandbox` shape); `--shape paragraphs`
puts a blank line after every fifth sentence, as real answers have paragraphs (every view gets the
same text).

Prints, with no asserts, for each view and size:
  - seconds until the last token is on screen (the stream over, the last write done, and a frame
    painted that shows the answer's last words at the bottom of the view), and tokens/s rendered;
  - growth: (100k seconds / 10k seconds) / 10 (1.0 is linear; target <= 1.1);
  - from runs of their own, key presses while streaming: every 50 ms (the next once the last was
    handled) a letter or backspace is typed into the Input, timed until the first frame painted
    after the Input holds the new value ("on screen"): p50, p90, worst.
A run that has not put its last token on screen within `--limit` seconds is stopped and says so.

    python bench/markdown_stream.py [--sizes 10000 100000] [--views answer textual textual-ticked]
        [--shape sandbox|paragraphs] [--limit 300] [--no-keys]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

from _support import spread
from textual import events
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Input, Markdown

from pipellm_tui.client.events import Delta
from pipellm_tui.client.playground import PlaygroundClient
from pipellm_tui.protocols import ir
from pipellm_tui.sandbox.child import SandboxProcess
from pipellm_tui.sandbox.config import SandboxConfig
from pipellm_tui.ui.garbage import full_collections_deferred
from pipellm_tui.ui.send_flow import TURN_SECONDS
from pipellm_tui.ui.widgets.answer import AnswerView
from pipellm_tui.ui.widgets.response import FLUSH_SECONDS

TYPED_KEYS = (("a", "a"), ("backspace", None))  # a letter, then backspace: the Input stays short
VIEWS = {
    "answer": "AnswerView (ours), fed as the app feeds it",
    "textual": "Markdown in an anchored VerticalScroll, fed by Markdown.get_stream",
    "textual-ticked": "Markdown in an anchored VerticalScroll, fed as the app feeds AnswerView",
}


class ViewApp(App[None]):
    CSS: ClassVar[str] = "Input { dock: top; } #scroll { height: 1fr; }"

    def __init__(self, view: str) -> None:
        super().__init__()
        self.view = view

    def compose(self) -> ComposeResult:
        yield Input(id="probe")
        if self.view == "answer":
            yield AnswerView(id="answer")
        else:
            yield VerticalScroll(id="scroll")

    async def fresh_stream(self) -> Feeder:
        """An empty view and what feeds it."""
        if self.view == "answer":
            answer = self.query_one(AnswerView)
            await answer.begin()
            return TickFeeder(answer, answer.write)
        scroll = self.query_one("#scroll", VerticalScroll)
        await scroll.remove_children()
        markdown = Markdown()
        await scroll.mount(markdown)
        scroll.anchor()
        if self.view == "textual-ticked":
            return TickFeeder(markdown, markdown.append)
        return Markdown.get_stream(markdown)

    async def finish(self, text: str) -> None:
        if self.view == "answer":
            await self.query_one(AnswerView).finish(text)

    def visible_text(self) -> str:
        """The view's text as painted now (the screen drawn in full, cropped to the view)."""
        widget = self.query_one(AnswerView) if self.view == "answer" else self.query_one("#scroll")
        region = widget.scrollable_content_region
        update = self.screen._compositor.render_full_update()  # bench only: read the screen
        lines = ["".join(segment.text for strip in line for segment in strip) for line in update.strips]
        return " ".join(line[region.x : region.right] for line in lines[region.y : region.bottom])


class Feeder(Protocol):
    async def write(self, text: str) -> None: ...
    async def stop(self) -> None: ...


class TickFeeder:
    """The app's way (ui/widgets/response.py): text is queued as it arrives and written every
    FLUSH_SECONDS, all that is pending in one write (the first text at once); a tick that finds the
    previous write still running skips, and a write that ends with more pending writes again."""

    def __init__(self, view: Widget, sink: Callable[[str], Awaitable[object]]) -> None:
        # The view's own timer, as the response pane's: the flush runs in the view's message loop,
        # so the app's (and the Input's) keep handling keys meanwhile.
        self._view = view
        self._sink = sink
        self._pending: list[str] = []
        self._lock = asyncio.Lock()
        self._timer = view.set_interval(FLUSH_SECONDS, self._flush)

    async def write(self, text: str) -> None:
        if not self._pending:
            self._view.call_later(self._flush)
        self._pending.append(text)

    async def _flush(self) -> None:
        if self._lock.locked():
            return
        async with self._lock:
            while self._pending:
                chunk = "".join(self._pending)
                self._pending.clear()
                await self._sink(chunk)

    async def stop(self) -> None:
        self._timer.stop()
        await self._flush()
        async with self._lock:  # a flush that was running when the stream ended
            pass
        await self._flush()


@dataclass
class Run:
    tokens: int = 0
    seconds: float = float("nan")
    finished: bool = True
    on_screen: list[float] = field(default_factory=list)


def request_body(tokens: int) -> dict[str, Any]:
    return {
        "model": "gpt-4o-mini",
        "messages": [{"role": "user", "content": f"Write at length. [[tokens:{tokens}]]"}],
        "max_tokens": tokens + 16,
        "stream": True,
        "stream_options": {"include_usage": True},
    }


def shaped(text: str, sentences: list[int], shape: str) -> str:
    """`paragraphs`: a blank line after every fifth sentence (a sentence ends with a "." token)."""
    if shape == "paragraphs" and text == ".":
        sentences[0] += 1
        if sentences[0] % 5 == 0:
            return ".\n\n"
    return text


async def next_frame(app: App[None]) -> None:
    painted = asyncio.get_running_loop().create_future()
    app.screen.call_after_refresh(lambda: painted.done() or painted.set_result(None))
    await painted


async def stream_once(
    app: ViewApp, client: PlaygroundClient, sandbox: SandboxProcess, tokens: int, shape: str, keys: bool
) -> Run:
    run = Run()
    plan = client.plan(
        sandbox.base_url, sandbox.api_key, "openai-chat", "native", "gpt-4o-mini", request_body(tokens)
    )
    stream = await app.fresh_stream()
    probe = app.query_one("#probe", Input)
    probe.focus()
    await next_frame(app)
    posted: list[float] = []
    original = Input._watch_value

    def timed(self: Input, value: str) -> None:
        if posted:
            sent = posted.pop(0)
            app.screen.call_after_refresh(lambda: run.on_screen.append(time.perf_counter() - sent))
        original(self, value)

    async def press_keys() -> None:
        presses = 0
        while True:
            if not posted:
                posted.append(time.perf_counter())
                key, character = TYPED_KEYS[presses % 2]
                app.post_message(events.Key(key, character))
                presses += 1
            await asyncio.sleep(0.05)

    sentences = [0]
    parts: list[str] = []
    start = time.perf_counter()

    async def feed() -> None:
        turn_ends = time.perf_counter() + TURN_SECONDS
        async with client.send(plan) as call:
            async for event in call:
                if time.perf_counter() > turn_ends:  # as the app's send loop gives way (send_flow.py)
                    await asyncio.sleep(0)
                    turn_ends = time.perf_counter() + TURN_SECONDS
                if isinstance(event, Delta) and isinstance(event.event, ir.TextDelta):
                    text = shaped(event.event.text, sentences, shape)
                    parts.append(text)
                    await stream.write(text)
            usage = call.exchange.usage
            run.tokens = usage.output_tokens if usage else 0
            if call.exchange.error is not None:
                print(f"  the send failed: {call.exchange.error.type}: {call.exchange.error.message}")
        await stream.stop()
        text = "".join(parts)
        await app.finish(text)
        last_words = " ".join(text.split()[-3:])
        while last_words not in " ".join(app.visible_text().split()):
            await next_frame(app)

    Input._watch_value = timed  # type: ignore[method-assign]
    pressing = asyncio.create_task(press_keys()) if keys else None
    try:
        with full_collections_deferred():  # as the app's send does
            await asyncio.wait_for(feed(), LIMIT[0])
        run.seconds = time.perf_counter() - start
    except TimeoutError:
        run.finished, run.seconds = False, time.perf_counter() - start
        stream._pending.clear()  # type: ignore[attr-defined]  # what was still to come is dropped
        await stream.stop()
    finally:
        if pressing is not None:
            pressing.cancel()
        Input._watch_value = original  # type: ignore[method-assign]
    await next_frame(app)
    return run


LIMIT = [300.0]


def run_text(run: Run) -> str:
    if not run.finished:
        return f"not on screen after {run.seconds:.0f} s (stopped)"
    rate = run.tokens / run.seconds if run.tokens else float("nan")
    return f"{run.seconds:6.2f} s, {rate:>7,.0f} tokens/s"


def keys_text(run: Run) -> str:
    ms = sorted(v * 1000 for v in run.on_screen)
    if not ms:
        return "no press landed"
    return f"{len(ms)} presses, on screen p50 {statistics.median(ms):.1f} ms, p90 {ms[int(0.9 * (len(ms) - 1))]:.1f}, worst {ms[-1]:.1f}"


async def measure(view: str, sandbox: SandboxProcess, sizes: list[int], shape: str, keys: bool) -> None:
    app = ViewApp(view)
    client = PlaygroundClient()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.2)
        await stream_once(app, client, sandbox, 200, shape, keys=False)  # warm-up: imports, first mount
        runs = [await stream_once(app, client, sandbox, size, shape, keys=False) for size in sizes]
        print(f"{VIEWS[view]} ({shape} shape)")
        for size, run in zip(sizes, runs, strict=True):
            print(f"  {size:>7,} tokens: {run_text(run)}")
        if len(runs) >= 2 and all(r.finished for r in runs):
            growth = runs[-1].seconds / runs[0].seconds / (sizes[-1] / sizes[0])
            print(f"  growth ({sizes[-1]:,} s / {sizes[0]:,} s) / {sizes[-1] / sizes[0]:g}: {growth:.2f}")
        if keys:
            pressed = [await stream_once(app, client, sandbox, size, shape, keys=True) for size in sizes]
            for size, run in zip(sizes, pressed, strict=True):
                print(f"  keys while streaming {size:,} tokens ({run_text(run)}): {keys_text(run)}")
            pooled = sorted(v * 1000 for run in pressed for v in run.on_screen)
            if pooled:
                print(f"  all presses, on screen: {len(pooled)}, {spread(pooled)}")
    await client.aclose()


async def main(sizes: list[int], views: list[str], shape: str, keys: bool) -> None:
    sandbox = SandboxProcess.spawn(SandboxConfig(rpm=1_000_000, balance=1e9, max_forced_tokens=max(sizes)))
    try:
        for view in views:
            await measure(view, sandbox, sizes, shape, keys)
    finally:
        sandbox.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--views", choices=list(VIEWS), nargs="+", default=list(VIEWS))
    parser.add_argument("--shape", choices=("sandbox", "paragraphs"), default="sandbox")
    parser.add_argument("--limit", type=float, default=300.0, help="seconds a run may take")
    parser.add_argument("--no-keys", action="store_true", help="skip the key-press runs")
    arguments = parser.parse_args()
    LIMIT[0] = arguments.limit
    asyncio.run(main(arguments.sizes, arguments.views, arguments.shape, not arguments.no_keys))
