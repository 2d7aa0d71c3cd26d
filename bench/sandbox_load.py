"""The sandbox under load: a huge stream beside small requests, a client that leaves, 300 streams at once.

    python bench/sandbox_load.py [--parts abc] [--tokens 1000000] [--small 300] [--streams 300]

The sandbox runs as `pipellm-tui sandbox` would (`python -m pipellm_tui.sandbox.command`, a process
of its own, log level info, its log in a temporary file), so the figures are the server's, not a
client sharing its interpreter.

(a) While one client reads a `--tokens` stream (`x-sandbox-tokens`), another sends small requests
    one after another: their latency (p50/p90/p99/max), next to the same requests on an idle server.
(b) A client reads the start of a `--tokens` stream and closes its socket: how long until the
    sandbox stopped making the answer (its `stopped_at`, from GET /_sandbox/stats, minus the close,
    both CLOCK_MONOTONIC), how many tokens it had made, and what the log says (lines naming the
    disconnect, asyncio's "socket.send() raised exception." lines, tracebacks).
(c) `--streams` concurrent streams of 1,000 tokens on four routes (native and converter): every
    stream complete and equal to the generator's text, and the server's RSS before, at peak, after.

Prints figures; asserts nothing (bench/, not tests/).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from typing import IO, Any

import httpx2

from pipellm_tui.protocols import ir
from pipellm_tui.protocols.sse import SSEParser
from pipellm_tui.sandbox.config import DEFAULT_API_KEY
from pipellm_tui.sandbox.generator import generate

KEY = DEFAULT_API_KEY
AUTH = {"authorization": f"Bearer {KEY}"}
SMALL = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}
ROUTES = [
    ("/v1/chat/completions", "gpt-4o", {}),
    ("/openai/v1/chat/completions", "claude-haiku-4-5-20251015", {}),
    ("/v1/messages", "claude-sonnet-4-5-20250929", {"max_tokens": 4096}),
    ("/anthropic/v1/messages", "gemini-2.0-flash", {"max_tokens": 4096}),
]


class Sandbox:
    """`python -m pipellm_tui.sandbox.command --port 0` in a child process, its log in a file."""

    def __init__(self) -> None:
        self.log: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - read at the end
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pipellm_tui.sandbox.command", "--port", "0", "--rpm", "100000000"]
            + ["--balance", "1e12", "--log-level", "info"],
            stdout=subprocess.PIPE,
            stderr=self.log,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline().decode()  # "PipeLLM sandbox on http://...  key: ..."
        self.base_url = line.split(" on ", 1)[1].split()[0]
        self.host, port = self.base_url.removeprefix("http://").rsplit(":", 1)
        self.port = int(port)

    def rss_mb(self) -> float:
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    def stats(self, client: httpx2.Client) -> dict[str, Any] | None:
        response = client.get(self.base_url + "/_sandbox/stats")
        return response.json() if response.status_code == 200 else None  # an older sandbox has none

    def log_lines(self) -> list[str]:
        self.log.seek(0)
        return self.log.read().decode(errors="replace").splitlines()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


def chat_stream_request(tokens: int) -> bytes:
    body = json.dumps({"model": "gpt-4o", "messages": [{"role": "user", "content": "go"}], "stream": True})
    return (
        f"POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {KEY}\r\n"
        f"x-sandbox-tokens: {tokens}\r\ncontent-type: application/json\r\nconnection: close\r\n"
        f"content-length: {len(body)}\r\n\r\n{body}"
    ).encode()


def percentiles(label: str, samples: list[float]) -> None:
    ms = sorted(s * 1000 for s in samples)
    if len(ms) < 2:
        print(f"  {label}: n={len(ms)}  " + "  ".join(f"{m:.1f} ms" for m in ms))
        return
    cut = statistics.quantiles(ms, n=100, method="inclusive")
    print(
        f"  {label}: n={len(ms)}  p50 {cut[49]:.1f} ms  p90 {cut[89]:.1f} ms  "
        f"p99 {cut[98]:.1f} ms  max {ms[-1]:.1f} ms"
    )


# ---------------------------------------------------------------------------- (a)


def part_a(sandbox: Sandbox, tokens: int, small: int) -> None:
    print(f"(a) small requests while a {tokens:,}-token stream is sent")
    with httpx2.Client(timeout=120) as client:
        url = sandbox.base_url + "/v1/chat/completions"
        idle = []
        for _ in range(small):
            started = time.perf_counter()
            assert client.post(url, json=SMALL, headers=AUTH).status_code == 200
            idle.append(time.perf_counter() - started)
        percentiles("idle server ", idle)

        first_byte = threading.Event()
        big: dict[str, float] = {}

        def read_big_stream() -> None:
            sock = socket.create_connection((sandbox.host, sandbox.port))
            started = time.perf_counter()
            sock.sendall(chat_stream_request(tokens))
            size = 0
            while chunk := sock.recv(1 << 20):
                if not size:
                    big["first_byte"] = time.perf_counter() - started
                    first_byte.set()
                size += len(chunk)
            big["total"] = time.perf_counter() - started
            big["mb"] = size / 1e6
            sock.close()

        reader = threading.Thread(target=read_big_stream)
        reader.start()
        first_byte.wait(60)
        during = []
        while reader.is_alive() and len(during) < small:
            started = time.perf_counter()
            assert client.post(url, json=SMALL, headers=AUTH).status_code == 200
            during.append(time.perf_counter() - started)
        percentiles("during stream", during)
        reader.join()
        print(
            f"  the big stream: first byte after {big['first_byte'] * 1000:.1f} ms, "
            f"{big['mb']:.1f} MB in {big['total']:.2f} s"
        )


# ---------------------------------------------------------------------------- (b)


def part_b(sandbox: Sandbox, tokens: int) -> None:
    print(f"(b) a client closes its socket during a {tokens:,}-token stream")
    before_lines = len(sandbox.log_lines())
    with httpx2.Client(timeout=30) as client:
        before = sandbox.stats(client)
        sock = socket.create_connection((sandbox.host, sandbox.port))
        sock.sendall(chat_stream_request(tokens))
        received = 0
        while received < 512 * 1024:
            received += len(sock.recv(65536))
        closed_at = time.monotonic()
        sock.close()
        if before is None:
            time.sleep(3)
            print("  (this sandbox has no /_sandbox/stats: no stop time)")
        else:
            stats = before
            deadline = time.monotonic() + 10
            while stats["disconnects"] == before["disconnects"] and time.monotonic() < deadline:
                time.sleep(0.001)
                stats = sandbox.stats(client) or stats
            stopped = stats["last_disconnect"]
            if stopped is None or stats["disconnects"] == before["disconnects"]:
                print("  the sandbox did not notice the disconnect within 10 s")
            else:
                print(
                    f"  generation stopped {(stopped['stopped_at'] - closed_at) * 1000:.1f} ms after the close, "
                    f"after {int(stopped['tokens']):,} of {tokens:,} tokens"
                )
            time.sleep(0.5)  # anything the server would still log about it
    lines = sandbox.log_lines()[before_lines:]
    print(
        f"  log: {len(lines)} new line(s): {sum('went away' in line for line in lines)} naming the disconnect, "
        f"{sum('socket.send() raised' in line for line in lines)} 'socket.send() raised exception.', "
        f"{sum('Traceback' in line for line in lines)} tracebacks"
    )
    for line in lines[:3]:
        print(f"    | {line[:150]}")


# ---------------------------------------------------------------------------- (c)


def expected_text(model: str, question: str) -> str:
    return generate(ir.Request(model=model, messages=[ir.Message("user", [ir.TextPart(question)])])).text


def delta_text(path: str, data: str) -> str:
    if data == "[DONE]":
        return ""
    chunk = json.loads(data)
    if "messages" in path:
        delta = chunk.get("delta", {}) if chunk.get("type") == "content_block_delta" else {}
        return str(delta.get("text", ""))
    return "".join(c["delta"].get("content") or "" for c in chunk.get("choices", []))


async def one_stream(client: httpx2.AsyncClient, base: str, n: int) -> tuple[bool, bool]:
    path, model, extra = ROUTES[n % len(ROUTES)]
    question = f"Stream number {n}: tell me about rivers [[tokens:1000]]"
    body = {"model": model, "messages": [{"role": "user", "content": question}], "stream": True, **extra}
    parser = SSEParser()
    text, last = "", ""
    async with client.stream("POST", base + path, json=body, headers={**AUTH, "x-api-key": KEY}) as response:
        if response.status_code != 200:
            return False, False
        async for chunk in response.aiter_text():
            for event in parser.feed(chunk):
                text += delta_text(path, event.data)
                last = event.data
    complete = last == "[DONE]" or json.loads(last).get("type") == "message_stop"
    return complete, text == expected_text(model, question)


def part_c(sandbox: Sandbox, streams: int, rounds: int) -> None:
    print(f"(c) {streams} concurrent streams of 1,000 tokens on {len(ROUTES)} routes, {rounds} round(s)")

    async def run_all() -> list[tuple[bool, bool]]:
        limits = httpx2.Limits(max_connections=streams, max_keepalive_connections=streams)
        async with httpx2.AsyncClient(limits=limits, timeout=300) as client:
            return await asyncio.gather(*(one_stream(client, sandbox.base_url, n) for n in range(streams)))

    print(f"  server RSS before: {sandbox.rss_mb():.1f} MB")
    for round_number in range(1, rounds + 1):
        peak = [sandbox.rss_mb()]
        done = threading.Event()

        def sample(peak: list[float] = peak, done: threading.Event = done) -> None:
            while not done.wait(0.05):
                peak.append(sandbox.rss_mb())

        sampler = threading.Thread(target=sample)
        sampler.start()
        started = time.perf_counter()
        results = asyncio.run(run_all())
        elapsed = time.perf_counter() - started
        done.set()
        sampler.join()
        time.sleep(1)
        complete = sum(c for c, _ in results)
        correct = sum(t for _, t in results)
        print(
            f"  round {round_number}: {complete}/{streams} complete, {correct}/{streams} text equal to the "
            f"generator's, in {elapsed:.2f} s; RSS peak {max(peak):.1f} MB, after {sandbox.rss_mb():.1f} MB"
        )
    print(
        "  (the sandbox keeps its last 200 exchanges for GET /_sandbox/exchanges/{id}, each with up to "
        "256 KB of upstream stream: memory that stays by design)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--parts", default="abc", help="which parts to run (default abc)")
    parser.add_argument("--tokens", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=300, help="small requests per phase of (a)")
    parser.add_argument("--streams", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=2, help="rounds of (c): memory must not grow")
    args = parser.parse_args()
    sandbox = Sandbox()
    print(
        f"sandbox pid {sandbox.process.pid} on {sandbox.base_url}, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs"
    )
    try:
        with httpx2.Client() as client:  # warm up: schemas and adapters load on first use
            for path, model, extra in ROUTES:
                body = {"model": model, "messages": [{"role": "user", "content": "hi"}], **extra}
                client.post(sandbox.base_url + path, json=body, headers={**AUTH, "x-api-key": KEY})
        if "a" in args.parts:
            part_a(sandbox, args.tokens, args.small)
        if "b" in args.parts:
            part_b(sandbox, args.tokens)
        if "c" in args.parts:
            part_c(sandbox, args.streams, args.rounds)
    finally:
        sandbox.stop()


if __name__ == "__main__":
    main()
