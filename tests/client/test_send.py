"""send() against the real sandbox over HTTP: all four formats, streamed and not, native and converter."""

from __future__ import annotations

from typing import Any

import pytest

from pipellm_tui.client import (
    Delta,
    Done,
    Exchange,
    Failure,
    FinalBody,
    Head,
    PlaygroundClient,
    RawEvent,
    Timings,
    UsageReport,
)
from pipellm_tui.client.events import MIN_RATE_SECONDS
from pipellm_tui.protocols import ir
from pipellm_tui.protocols.formats import Format, RouteKind
from pipellm_tui.protocols.validate import validate_response

from .conversation import CONVERTER_MODEL, NATIVE_MODEL, body, collect, of_type, with_required_tool

ROUTES = [(fmt, RouteKind.NATIVE, model) for fmt, model in NATIVE_MODEL.items()] + [
    (fmt, RouteKind.CONVERTER, model) for fmt, model in CONVERTER_MODEL.items()
]


def _kinds(events: list[Any]) -> list[str]:
    """Event kinds in order with runs collapsed: ["Head", "RawEvent/Delta", "FinalBody", ...]."""
    out: list[str] = []
    for event in events:
        name = "RawEvent/Delta" if isinstance(event, (RawEvent, Delta)) else type(event).__name__
        if not out or out[-1] != name:
            out.append(name)
    return out


@pytest.mark.parametrize(("fmt", "kind", "model"), ROUTES)
async def test_stream_and_whole_answer_agree(sandbox: Any, fmt: Format, kind: RouteKind, model: str) -> None:
    client = PlaygroundClient()
    try:
        whole = await collect(
            client, client.plan(sandbox.base_url, sandbox.api_key, fmt, kind, model, body(fmt))
        )
        streamed = await collect(
            client, client.plan(sandbox.base_url, sandbox.api_key, fmt, kind, model, body(fmt, stream=True))
        )
    finally:
        await client.aclose()

    assert _kinds(whole) == ["Head", "FinalBody", "UsageReport", "Timings", "Done"]
    assert _kinds(streamed) == ["Head", "RawEvent/Delta", "FinalBody", "UsageReport", "Timings", "Done"]
    whole_final = of_type(whole, FinalBody)[0]
    stream_final = of_type(streamed, FinalBody)[0]

    # The same request gives the same text, streamed or not.
    assert whole_final.response.text
    assert stream_final.response.text == whole_final.response.text
    # The text deltas add up to the same text.
    deltas = "".join(e.event.text for e in of_type(streamed, Delta) if isinstance(e.event, ir.TextDelta))
    assert deltas == whole_final.response.text
    # A stream's final body is the format's non-streaming body: valid, and shaped like the real one.
    assert validate_response(fmt, stream_final.body) == []
    assert validate_response(fmt, whole_final.body) == []
    assert set(stream_final.body) == set(whole_final.body)
    assert stream_final.response.stop_reason == whole_final.response.stop_reason

    # Usage and timings.
    whole_usage = of_type(whole, UsageReport)[0].usage
    assert of_type(streamed, UsageReport)[0].usage.output_tokens == whole_usage.output_tokens > 0
    assert whole_usage.input_tokens > 0
    timings = of_type(streamed, Timings)[0]
    assert timings.ttft is not None and 0 < timings.ttft <= timings.total
    if timings.total - timings.ttft >= MIN_RATE_SECONDS:
        assert timings.tokens_per_second is not None and timings.tokens_per_second > 0
    else:  # too short a span to measure a rate over
        assert timings.tokens_per_second is None

    exchange: Exchange = of_type(streamed, Done)[0].exchange
    assert exchange.status == 200 and exchange.error is None and not exchange.cancelled
    assert exchange.raw_events == [e.sse for e in of_type(streamed, RawEvent)]
    assert exchange.body == stream_final.body
    assert exchange.timings == timings


@pytest.mark.parametrize("fmt", list(NATIVE_MODEL))
async def test_head_carries_status_headers_ttfb_and_rate_limits(sandbox: Any, fmt: Format) -> None:
    client = PlaygroundClient()
    try:
        plan = client.plan(
            sandbox.base_url, sandbox.api_key, fmt, "native", NATIVE_MODEL[fmt], body(fmt, stream=True)
        )
        events = await collect(client, plan)
    finally:
        await client.aclose()
    head = events[0]
    assert isinstance(head, Head)
    assert head.status == 200
    assert head.headers["content-type"].startswith("text/event-stream")
    assert 0 < head.ttfb
    limits = head.rate_limits
    assert limits.limit == int(head.headers["x-ratelimit-limit-requests"])
    assert limits.remaining == int(head.headers["x-ratelimit-remaining-requests"])
    assert limits.remaining is not None and limits.limit is not None and limits.remaining < limits.limit
    assert limits.reset_seconds is not None and 0 <= limits.reset_seconds <= 60


@pytest.mark.parametrize("fmt", list(NATIVE_MODEL))
@pytest.mark.parametrize("stream", [True, False])
async def test_tool_calls_arrive_as_deltas_and_in_the_final_body(
    sandbox: Any, fmt: Format, stream: bool
) -> None:
    client = PlaygroundClient()
    request = with_required_tool(fmt, body(fmt, "What is the weather in Paris?", stream=stream))
    try:
        events = await collect(
            client, client.plan(sandbox.base_url, sandbox.api_key, fmt, "native", NATIVE_MODEL[fmt], request)
        )
    finally:
        await client.aclose()
    assert not of_type(events, Failure)
    final = of_type(events, FinalBody)[0]
    calls = [p for p in final.response.parts if isinstance(p, ir.ToolCallPart)]
    assert len(calls) == 1
    assert calls[0].name == "get_weather"
    assert isinstance(calls[0].arguments.get("city"), str)
    assert final.response.stop_reason is ir.StopReason.TOOL_USE
    if stream:
        starts = [e.event for e in of_type(events, Delta) if isinstance(e.event, ir.ToolCallStart)]
        assert [s.name for s in starts] == ["get_weather"]
        fragments = "".join(
            e.event.arguments for e in of_type(events, Delta) if isinstance(e.event, ir.ToolCallDelta)
        )
        assert '"city"' in fragments
        assert of_type(events, Timings)[0].ttft is not None


async def test_client_reuses_its_pool_across_calls_and_closes(sandbox: Any) -> None:
    client = PlaygroundClient()
    plan = client.plan(
        sandbox.base_url, sandbox.api_key, "openai-chat", "native", "gpt-4o", body(Format.OPENAI_CHAT)
    )
    first = await client.send_collect(plan)
    second = await client.send_collect(plan)
    await client.aclose()
    third = await client.send_collect(plan)  # a closed client opens a new pool when used again
    await client.aclose()
    assert first.status == second.status == third.status == 200
    assert first.response is not None and second.response is not None
    assert first.response.text == second.response.text
