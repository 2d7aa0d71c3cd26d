"""The comparison report's pure parts: word diffs, percentiles, best and worst, stop reasons, stalls,
and the pacing gate's arithmetic (no server: runs are built by hand, as a finished comparison has them)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from pipellm_tui.client import PlaygroundClient
from pipellm_tui.playground import compare_report as report
from pipellm_tui.playground.compare import Comparison, Endpoint, TargetRun
from pipellm_tui.playground.compare_pacing import MARGIN_SECONDS, RateGate
from pipellm_tui.playground.compare_targets import (
    Target,
    TargetError,
    model_targets,
    payload_for,
    route_targets,
)
from pipellm_tui.protocols import ir
from pipellm_tui.protocols.formats import Family, Format, RouteKind
from pipellm_tui.protocols.ratelimits import RateLimits
from pipellm_tui.protocols.templates import starter_request


def test_word_diff_marks_what_changed_and_says_identical_when_nothing_did() -> None:
    same = report.word_diff("a b  c", "a b\nc")
    assert same.identical and same.changed_words == 0
    diff = report.word_diff("the quick brown fox", "the slow brown fox jumps")
    assert not diff.identical
    assert diff.marked == "the [-quick-] {+slow+} brown fox {+jumps+}"
    assert diff.changed_words == 2


def test_percentiles() -> None:
    assert report.percentile([0.3], 90) == 0.3
    values = [float(v) for v in range(1, 11)]
    assert report.percentile(values, 50) == pytest.approx(5.5)
    assert report.percentile(values, 90) == pytest.approx(9.1)


def _comparison(targets: list[Target], **options: Any) -> Comparison:
    return Comparison(
        PlaygroundClient(), Endpoint("http://127.0.0.1:9", "k"), Format.OPENAI_CHAT,
        starter_request(Format.OPENAI_CHAT), targets, **options,
    )  # fmt: skip


def _finish(run: TargetRun, ttft: float, total: float, rate: float, body: dict[str, Any]) -> None:
    run.state, run.status, run.ttft, run.total, run.tokens_per_second = "done", 200, ttft, total, rate
    run.final_body, run.stop_reason = body, ir.StopReason.END_TURN
    run.usage = ir.Usage(10, 20)


def test_summary_marks_best_and_worst_and_normalises_stop_reasons() -> None:
    comparison = _comparison(route_targets("gpt-4o-mini", Family.OPENAI))
    chat, chat_conv, anthropic, gemini, responses = comparison.runs
    _finish(chat, 0.2, 1.0, 50, {"choices": [{"finish_reason": "stop"}]})
    _finish(chat_conv, 0.1, 2.0, 90, {"choices": [{"finish_reason": "stop"}]})
    _finish(anthropic, 0.3, 1.5, 70, {"stop_reason": "end_turn"})
    _finish(gemini, 0.25, 1.2, 60, {"candidates": [{"finishReason": "STOP"}]})
    responses.state = "not sent"
    rows = report.summary(comparison)
    assert rows[1].cells["ttft"].mark == "best" and rows[2].cells["ttft"].mark == "worst"
    assert rows[0].cells["total"].mark == "best" and rows[1].cells["total"].mark == "worst"
    assert rows[1].cells["tok/s"].mark == "best" and rows[0].cells["tok/s"].mark == "worst"
    assert rows[3].cells["ttft"].mark is None and rows[4].cells["status"].text == "not sent"
    assert [rows[i].cells["stop"].text for i in range(4)] == [
        "finish_reason: stop → end_turn",
        "finish_reason: stop → end_turn",
        "stop_reason: end_turn → end_turn",
        "finishReason: STOP → end_turn",
    ]
    text = report.table_text(rows)
    assert "100 ms *" in text and "300 ms !" in text


def test_responses_status_is_its_stop_reason() -> None:
    comparison = _comparison([Target("gpt-4o", Format.OPENAI_RESPONSES, RouteKind.NATIVE)])
    run = comparison.runs[0]
    run.final_body, run.stop_reason = {"status": "incomplete"}, ir.StopReason.MAX_TOKENS
    assert report.stop_reason_of(run) == "status: incomplete → max_tokens"


def test_gaps_and_stalls() -> None:
    run = _comparison([Target("gpt-4o", Format.OPENAI_CHAT, RouteKind.NATIVE)]).runs[0]
    run.chunk_times = [0.1, 0.15, 0.2, 1.0, 1.05]
    assert report.gaps(run) == pytest.approx([0.1, 0.05, 0.05, 0.8, 0.05])
    assert report.stalls(run) == [3]
    run.chunk_times = []
    assert report.gaps(run) == [] and report.stalls(run) == []


def test_targets_and_payloads() -> None:
    with pytest.raises(TargetError, match="At most 4"):
        model_targets(["a", "b", "c", "d", "e"], Format.OPENAI_CHAT)
    with pytest.raises(TargetError, match="No model"):
        route_targets("", None)
    native = route_targets("claude-sonnet-4-5", Family.ANTHROPIC)[0]
    assert (native.format, native.kind) == (Format.ANTHROPIC, RouteKind.NATIVE)
    body = starter_request(Format.GEMINI)
    payload = payload_for(native, Format.GEMINI, body)
    assert payload.body is not None and payload.body["system"] and payload.body["stream"] is True
    assert payload.body["model"] == "claude-sonnet-4-5"
    unavailable = payload_for(Target("x", Format.OPENAI_RESPONSES, RouteKind.CONVERTER), Format.GEMINI, body)
    assert unavailable.body is None and unavailable.problem and "not available" in unavailable.problem


class Sleeper:
    """A clock that moves only when the gate sleeps; what it slept."""

    def __init__(self, now: float) -> None:
        self.now = now
        self.slept: list[float] = []

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds

    def gate(self) -> RateGate:
        return RateGate(clock=lambda: self.now, sleep=self.sleep)


async def test_gate_waits_for_the_window_after_the_last_slot() -> None:
    time = Sleeper(100.0)
    gate, slept = time.gate(), time.slept
    await gate.acquire()  # the first goes alone
    second = asyncio.ensure_future(gate.acquire())
    await asyncio.sleep(0)
    assert not second.done()  # nothing is known about the limits yet
    await gate.observe(RateLimits(limit=3, remaining=1, reset_seconds=5.0))
    await second  # one left: it may start
    await gate.observe(RateLimits(limit=3, remaining=0, reset_seconds=4.0))
    await gate.acquire()  # nothing left: waits until the oldest leaves the window
    assert slept == [pytest.approx(4.0 + MARGIN_SECONDS)]
    assert gate.waits == 2


async def test_gate_does_not_pace_a_server_without_limits_and_obeys_retry_after() -> None:
    time = Sleeper(0.0)
    gate, slept = time.gate(), time.slept
    await gate.acquire()
    await gate.observe(RateLimits())
    for _ in range(20):
        await gate.acquire()
    assert slept == [] and gate.in_flight == 20
    await gate.observe(RateLimits(retry_after=2.0))
    for _ in range(19):
        await gate.release()  # the others ended without a head (refused connections)
    await gate.acquire()
    assert slept == [pytest.approx(2.0 + MARGIN_SECONDS)]


def test_payload_facts_count_tools_in_every_format_and_carry_the_warnings() -> None:
    body = starter_request(Format.OPENAI_CHAT)
    body["tools"] = [
        {"type": "function", "function": {"name": n, "parameters": {"type": "object", "properties": {}}}}
        for n in ("lookup", "book")
    ]
    body["logit_bias"] = {"50256": -100}  # OpenAI only: the other formats cannot carry it
    comparison = _comparison(route_targets("gpt-4o-mini", Family.OPENAI))
    comparison = Comparison(
        comparison.client, comparison.endpoint, Format.OPENAI_CHAT, body, comparison.targets
    )
    facts = {d.name: d.values for d in report.payload_diff(comparison)}
    assert facts["tools"] == ["2 in tools"] * 4 + [None]
    dropped = facts["dropped / changed"]
    assert dropped[0] == "nothing (no conversion warnings)"
    assert all(value is not None and "logit_bias" in value for value in dropped[2:4])
