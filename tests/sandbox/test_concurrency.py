"""Many clients at once: 100 concurrent streams, and an RPM window that is exact under concurrency."""

from __future__ import annotations

import asyncio
import json
from collections import Counter

import httpx2

from pipellm_tui.protocols import ir
from pipellm_tui.protocols.sse import SSEParser
from pipellm_tui.sandbox.generator import generate

FORMAT_REQUESTS = [
    ("/v1/chat/completions", {"model": "gpt-4o", "stream": True}),
    ("/openai/v1/chat/completions", {"model": "claude-haiku-4-5-20251015", "stream": True}),
    ("/anthropic/v1/messages", {"model": "gemini-2.0-flash", "max_tokens": 300, "stream": True}),
    ("/v1/messages", {"model": "claude-sonnet-4-5-20250929", "max_tokens": 300, "stream": True}),
]


def _expected_text(model: str, question: str) -> str:
    return generate(ir.Request(model=model, messages=[ir.Message("user", [ir.TextPart(question)])])).text


def _delta_text(path: str, data: str) -> str:
    if data == "[DONE]":
        return ""
    chunk = json.loads(data)
    if "messages" in path:
        delta = chunk.get("delta", {}) if chunk.get("type") == "content_block_delta" else {}
        return delta.get("text", "")
    return "".join(c["delta"].get("content") or "" for c in chunk.get("choices", []))


async def _one_stream(client: httpx2.AsyncClient, base: str, key: str, n: int) -> tuple[str, str, str]:
    path, body = FORMAT_REQUESTS[n % len(FORMAT_REQUESTS)]
    question = f"Question number {n}: what is a river?"
    body = {**body, "messages": [{"role": "user", "content": question}]}
    parser = SSEParser()
    text = ""
    last = ""
    async with client.stream(
        "POST", base + path, json=body, headers={"authorization": f"Bearer {key}"}
    ) as response:
        assert response.status_code == 200
        async for chunk in response.aiter_text():
            for event in parser.feed(chunk):
                text += _delta_text(path, event.data)
                last = event.data
    return text, _expected_text(body["model"], question), last


def test_a_hundred_concurrent_streams_complete(fresh_sandbox) -> None:
    running = fresh_sandbox(rpm=10_000, token_rate=500)

    async def main() -> list[tuple[str, str, str]]:
        limits = httpx2.Limits(max_connections=100)
        async with httpx2.AsyncClient(limits=limits, timeout=60) as client:
            return await asyncio.gather(
                *(_one_stream(client, running.base_url, running.api_key, n) for n in range(100))
            )

    results = asyncio.run(main())
    assert len(results) == 100
    for n, (text, expected, last) in enumerate(results):
        assert text == expected, f"stream {n}"
        assert last == "[DONE]" or json.loads(last)["type"] == "message_stop"
    assert running.state.answered == 100
    assert running.state.internal_errors == 0


def test_the_rpm_window_admits_exactly_rpm_requests_under_concurrency(fresh_sandbox) -> None:
    running = fresh_sandbox(rpm=20)
    body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}

    async def main() -> list[httpx2.Response]:
        async with httpx2.AsyncClient(limits=httpx2.Limits(max_connections=50), timeout=30) as client:
            return await asyncio.gather(
                *(
                    client.post(
                        f"{running.base_url}/v1/chat/completions",
                        json=body,
                        headers={"authorization": f"Bearer {running.api_key}"},
                    )
                    for _ in range(50)
                )
            )

    responses = asyncio.run(main())
    assert Counter(r.status_code for r in responses) == {200: 20, 429: 30}
    remaining = sorted(
        int(r.headers["x-ratelimit-remaining-requests"]) for r in responses if r.status_code == 200
    )
    assert remaining == list(range(20))
    assert all(int(r.headers["retry-after"]) >= 1 for r in responses if r.status_code == 429)
