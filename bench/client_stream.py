"""Streaming through PlaygroundClient next to raw httpx2, in the same run, against the real sandbox.

    python bench/client_stream.py [--events 20000] [--rounds 3] [--ttft-requests 20] [--format openai-chat]

Throughput: the sandbox (token_rate 0) streams an answer of `--events` tokens (one SSE event each,
asked for with the sandbox's `x-sandbox-tokens` header). We count events per second through
`PlaygroundClient.send` (RawEvents, with every event also decoded, assembled and timed) and through
raw `httpx2` reading `aiter_lines()` + `json.loads` on the same request; best of `--rounds`,
alternating so both see the same warm server. The sandbox runs in a child process so that it does
not share the client's interpreter lock. TTFT: the median time to the first text event over
`--ttft-requests` short requests for each, on warm connections; the difference is what our client
adds. Targets (issue 3): >= half the raw throughput, <= 2 ms extra TTFT. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import multiprocessing
import statistics
import threading
import time
from multiprocessing.connection import Connection
from typing import Any

import httpx2

from pipellm_tui.client import Delta, PlaygroundClient, RawEvent
from pipellm_tui.client.plan import Plan
from pipellm_tui.protocols import ir
from pipellm_tui.protocols.formats import Format
from pipellm_tui.sandbox.config import SandboxConfig
from pipellm_tui.sandbox.server import start_in_thread

MODEL = {
    Format.OPENAI_CHAT: "gpt-4o",
    Format.OPENAI_RESPONSES: "gpt-4o",
    Format.ANTHROPIC: "claude-sonnet-4-5-20250929",
    Format.GEMINI: "gemini-2.5-flash",
}


def request_body(fmt: Format, text: str, tokens: int) -> dict[str, Any]:
    if fmt is Format.OPENAI_CHAT:
        return {"messages": [{"role": "user", "content": text}], "max_tokens": tokens, "stream": True}
    if fmt is Format.OPENAI_RESPONSES:
        return {"input": text, "max_output_tokens": tokens, "stream": True}
    if fmt is Format.ANTHROPIC:
        return {"messages": [{"role": "user", "content": text}], "max_tokens": tokens, "stream": True}
    return {
        "contents": [{"role": "user", "parts": [{"text": text}]}],
        "generationConfig": {"maxOutputTokens": tokens},
        "stream": True,
    }


def is_text_line(fmt: Format, payload: dict[str, Any]) -> bool:
    """Raw side's notion of "first token": the first event that carries answer text."""
    if fmt is Format.OPENAI_CHAT:
        choices = payload.get("choices") or []
        return bool(choices and (choices[0].get("delta") or {}).get("content"))
    if fmt is Format.ANTHROPIC:
        return payload.get("type") == "content_block_delta"
    if fmt is Format.OPENAI_RESPONSES:
        return payload.get("type") == "response.output_text.delta"
    candidates = payload.get("candidates") or []
    return bool(candidates and candidates[0].get("content", {}).get("parts"))


async def ours(client: PlaygroundClient, plan: Plan) -> tuple[int, float, float | None]:
    """(events, seconds, seconds to the first text delta) through PlaygroundClient.send."""
    events = 0
    first: float | None = None
    t0 = time.perf_counter()
    async for event in client.send(plan):
        if type(event) is RawEvent:
            events += 1
        elif first is None and type(event) is Delta and isinstance(event.event, ir.TextDelta):
            first = time.perf_counter() - t0
    return events, time.perf_counter() - t0, first


async def raw(http: httpx2.AsyncClient, plan: Plan) -> tuple[int, float, float | None]:
    """The same request with httpx2 alone: lines, `data:` payloads parsed as JSON."""
    events = 0
    first: float | None = None
    content = json.dumps(plan.body).encode()
    t0 = time.perf_counter()
    async with http.stream(plan.method, plan.url, headers=plan.headers, content=content) as response:
        async for line in response.aiter_lines():
            if not line.startswith("data:"):
                continue
            events += 1
            data = line[5:].strip()
            if data == "[DONE]":
                continue
            payload = json.loads(data)
            if first is None and is_text_line(plan.format, payload):
                first = time.perf_counter() - t0
    return events, time.perf_counter() - t0, first


def serve_sandbox(config: SandboxConfig, conn: Connection) -> None:
    """Child process: the sandbox gets its own interpreter (and GIL), as a real server would."""
    sandbox = start_in_thread(config)
    conn.send((sandbox.base_url, sandbox.api_key))
    conn.recv()  # any message: stop
    sandbox.stop()


class SandboxProcess:
    def __init__(self, config: SandboxConfig) -> None:
        self._conn, child = multiprocessing.Pipe()
        self._process = multiprocessing.get_context("spawn").Process(
            target=serve_sandbox, args=(config, child)
        )
        self._process.start()
        self.base_url, self.api_key = self._conn.recv()

    def stop(self) -> None:
        self._conn.send("stop")
        self._process.join(10)


class ReplayServer:
    """A minimal HTTP/1.1 server on 127.0.0.1 that answers every POST with one recorded SSE body,
    written at once: the server costs almost nothing, so the figures measure the clients alone.
    Runs its own event loop in a thread (writing a ready buffer releases the interpreter lock)."""

    def __init__(self, body: bytes) -> None:
        head = b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncontent-length: %d\r\n\r\n" % len(body)
        self._response = head + body
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        self._ready.wait(10)

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(asyncio.start_server(self._answer, "127.0.0.1", 0))
        self.base_url = f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}"
        self._ready.set()
        self._loop.run_forever()

    async def _answer(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                await reader.readexactly(length)
                writer.write(self._response)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()
        except asyncio.CancelledError:  # shutting down: end quietly (3.11 logs a cancelled handler)
            writer.close()

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    async def _shutdown(self) -> None:
        self._server.close()
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def throughput(
    client: PlaygroundClient, http: httpx2.AsyncClient, plan: Plan, rounds: int
) -> tuple[list[float], list[float], set[int]]:
    """Events per second for raw and ours, alternating, after one warm-up each."""
    await ours(client, plan)
    await raw(http, plan)
    ours_rates: list[float] = []
    raw_rates: list[float] = []
    counts: set[int] = set()
    for _ in range(rounds):
        n, seconds, _first = await raw(http, plan)
        raw_rates.append(n / seconds)
        counts.add(n)
        n, seconds, _first = await ours(client, plan)
        ours_rates.append(n / seconds)
        counts.add(n)
    return raw_rates, ours_rates, counts


async def recorded(plan: Plan) -> bytes:
    async with httpx2.AsyncClient(timeout=60) as http:
        response = await http.post(plan.url, headers=plan.headers, content=json.dumps(plan.body).encode())
        return response.content


async def run(fmt: Format, n_events: int, rounds: int, ttft_requests: int) -> None:
    sandbox = SandboxProcess(
        SandboxConfig(rpm=1_000_000, balance=1e12, max_forced_tokens=max(n_events, 1000))
    )
    client = PlaygroundClient()
    http = httpx2.AsyncClient(timeout=httpx2.Timeout(300, connect=10))
    try:
        long_plan = client.plan(
            sandbox.base_url,
            sandbox.api_key,
            fmt,
            "native",
            MODEL[fmt],
            request_body(fmt, "Tell me a long story.", n_events),
            {"x-sandbox-tokens": str(n_events)},
        )
        raw_rates, ours_rates, counts = await throughput(client, http, long_plan, rounds)
        replay = ReplayServer(await recorded(long_plan))
        try:
            replay_plan = dataclasses.replace(
                long_plan, url=long_plan.url.replace(sandbox.base_url, replay.base_url)
            )
            replay_raw, replay_ours, _ = await throughput(client, http, replay_plan, rounds)
        finally:
            replay.stop()

        ours_ttft: list[float] = []
        raw_ttft: list[float] = []
        for i in range(ttft_requests):
            plan = client.plan(
                sandbox.base_url,
                sandbox.api_key,
                fmt,
                "native",
                MODEL[fmt],
                request_body(fmt, f"Short {i}.", 16),
            )
            _, _, first = await raw(http, plan)
            raw_ttft.append(first or float("nan"))
            _, _, first = await ours(client, plan)
            ours_ttft.append(first or float("nan"))
    finally:
        await client.aclose()
        await http.aclose()
        sandbox.stop()

    ours_median, raw_median = statistics.median(ours_ttft), statistics.median(raw_ttft)
    print(f"format: {fmt}  events per answer: {sorted(counts)}  best of {rounds} rounds")
    for title, raw_rates_, ours_rates_ in (
        ("from the sandbox (its own process; the server paces both)", raw_rates, ours_rates),
        ("replayed by a server that costs nothing (clients alone)", replay_raw, replay_ours),
    ):
        best_raw, best_ours = max(raw_rates_), max(ours_rates_)
        print(f"{title}:")
        print(
            f"  raw httpx2 aiter_lines + json.loads : {best_raw:>9,.0f} events/s  (all: {_rates(raw_rates_)})"
        )
        print(
            f"  PlaygroundClient.send               : {best_ours:>9,.0f} events/s  (all: {_rates(ours_rates_)})"
        )
        print(f"  ratio ours/raw                      : {best_ours / best_raw:>9.2f}  (target >= 0.50)")
    print(
        f"TTFT median over {ttft_requests} short requests, raw / ours: {raw_median * 1000:.2f} / {ours_median * 1000:.2f} ms"
    )
    print(f"extra TTFT added by our client: {(ours_median - raw_median) * 1000:+.2f} ms  (target <= 2 ms)")


def _rates(rates: list[float]) -> str:
    return ", ".join(f"{r:,.0f}" for r in rates)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--ttft-requests", type=int, default=20)
    parser.add_argument("--format", default="openai-chat", choices=[f.value for f in Format])
    args = parser.parse_args()
    asyncio.run(run(Format(args.format), args.events, args.rounds, args.ttft_requests))


if __name__ == "__main__":
    main()
