"""A comparison against the sandbox over real HTTP: every route of one model, faults in one column,
pacing by the rate limits, cancelling, repeats and the history hook."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from pipellm_tui.client import PlaygroundClient
from pipellm_tui.playground import compare_report as report
from pipellm_tui.playground.compare import MAX_RATE_LIMIT_RETRIES, Comparison, Endpoint, TargetRun
from pipellm_tui.playground.compare_targets import Target, model_targets, route_targets
from pipellm_tui.protocols.formats import Family, Format, RouteKind
from pipellm_tui.protocols.templates import starter_request

CLAUDE = "claude-sonnet-4-5-20250929"


def _comparison(sandbox: Any, targets: list[Target], **options: Any) -> Comparison:
    body = options.pop("body", None) or starter_request(Format.OPENAI_CHAT)
    return Comparison(
        PlaygroundClient(),
        Endpoint(sandbox.base_url, sandbox.api_key),
        Format.OPENAI_CHAT,
        body,
        targets,
        **options,
    )


async def _run(comparison: Comparison) -> Comparison:
    try:
        await comparison.run()
    finally:
        await comparison.client.aclose()
    return comparison


async def test_one_model_on_every_route_answers_the_same_with_the_expected_payload_differences(
    sandbox: Any,
) -> None:
    comparison = await _run(_comparison(sandbox, route_targets(CLAUDE, Family.ANTHROPIC)))
    states = {run.target.label: run.state for run in comparison.runs}
    responses = f"{CLAUDE} · openai-responses converter"
    assert states.pop(responses) == "not sent"  # shown, never sent
    assert set(states.values()) == {"done"}
    assert report.answers_agree(comparison)
    diffs = report.answer_diffs(comparison)
    assert diffs[0] is None and diffs[-1] is None
    assert all(d is not None and d.identical and d.changed_words == 0 for d in diffs[1:-1])
    answer = comparison.runs[0].answer
    assert len(answer.split()) > 5 and all(r.answer == answer for r in comparison.runs[:4])

    facts = {d.name: d for d in report.payload_diff(comparison)}
    # The request came in OpenAI Chat (system as a message): each route's payload keeps it its own way.
    assert facts["system prompt"].values == [
        "system", "messages[0] (role system)", "system", "systemInstruction", None,
    ]  # fmt: skip
    assert facts["max tokens"].values[:4] == [
        "max_tokens = 256", "max_tokens = 256", "max_tokens = 256", "generationConfig.maxOutputTokens = 256",
    ]  # fmt: skip
    assert facts["model"].values[3] == "URL path" and facts["system prompt"].differs

    normalised = {d.name: d for d in report.response_diff(comparison)}
    assert not normalised["stop reason (normalised)"].differs
    assert normalised["stop reason (as sent)"].values[:4] == [
        "stop_reason: end_turn", "finish_reason: stop", "stop_reason: end_turn", "finishReason: STOP",
    ]  # fmt: skip
    assert not normalised["output tokens"].differs and not normalised["input tokens"].differs


async def test_a_fault_on_one_target_stays_in_its_column(sandbox: Any, closed_port: int) -> None:
    targets = [
        Target("gpt-4o-mini", Format.OPENAI_CHAT, RouteKind.NATIVE),
        Target("gpt-4o-mini", Format.ANTHROPIC, RouteKind.CONVERTER, {"x-sandbox-fault": "402"}),
        Target("gpt-4o-mini", Format.GEMINI, RouteKind.CONVERTER, base_url=f"http://127.0.0.1:{closed_port}"),
        Target("gpt-4o-mini", Format.OPENAI_CHAT, RouteKind.CONVERTER, {"x-sandbox-fault": "500"}),
        Target("gpt-4o-mini", Format.ANTHROPIC, RouteKind.CONVERTER),
    ]
    comparison = await _run(_comparison(sandbox, targets))
    ok, payment, dead, broken, ok2 = comparison.runs
    assert (ok.state, ok2.state) == ("done", "done") and ok.answer and ok.answer == ok2.answer
    assert payment.failed and payment.status == 402 and payment.error is not None and not payment.answer
    assert dead.failed and dead.status is None and dead.error is not None
    assert broken.failed and broken.status == 500
    assert comparison.any_failed
    rows = report.summary(comparison)
    assert rows[1].cells["status"].text == "402 failed" and rows[0].cells["status"].text == "200"


async def test_pacing_keeps_a_low_rpm_from_ever_answering_429(fresh_sandbox: Callable[..., Any]) -> None:
    # 3 requests per 1.5-second window, 12 requests: without pacing 9 of them would be refused.
    sandbox = fresh_sandbox(rpm=3, window_seconds=1.5)
    targets = route_targets("gemini-2.5-flash", Family.GEMINI, (RouteKind.NATIVE, RouteKind.CONVERTER))[:4]
    comparison = await _run(_comparison(sandbox, targets, repeat=3))
    statuses = [status for run in comparison.runs for status in run.statuses]
    assert len(statuses) == 12
    assert statuses == [200] * 12, statuses
    assert comparison.paced > 0  # some had to wait for the window
    rows = report.summary(comparison)
    assert all(" / " in row.cells["ttft"].text for row in rows)  # p50 / p90 with repeats


async def test_models_side_by_side_and_the_history_hook(sandbox: Any) -> None:
    seen: list[tuple[str, str, str]] = []

    def on_exchange(run: TargetRun, group_id: str) -> None:
        assert run.exchange is not None and "pipe-sandbox" not in repr(run.exchange.plan)
        seen.append((group_id, run.target.model, run.state))

    targets = model_targets(["gpt-4o-mini", CLAUDE, "gemini-2.5-flash"], Format.OPENAI_CHAT)
    assert [t.kind for t in targets] == [RouteKind.NATIVE, RouteKind.CONVERTER, RouteKind.CONVERTER]
    comparison = await _run(_comparison(sandbox, targets, on_exchange=on_exchange, group_id="g1"))
    assert sorted(seen) == sorted(("g1", t.model, "done") for t in targets)
    assert all(run.usage is not None and run.total is not None for run in comparison.runs)


async def test_cancel_stops_every_target_and_keeps_what_arrived(fresh_sandbox: Callable[..., Any]) -> None:
    sandbox = fresh_sandbox(token_rate=200, rpm=1000)
    body = starter_request(Format.OPENAI_CHAT)
    body["messages"][-1]["content"] = "Write at length. [[tokens:2000]]"
    body["max_tokens"] = 4000
    comparison = _comparison(sandbox, route_targets("gpt-4o-mini", Family.OPENAI)[:3], body=body)
    task = asyncio.ensure_future(comparison.run())
    while not all(run.chunks for run in comparison.runs):
        await asyncio.sleep(0.05)
    comparison.cancel()
    await task
    await comparison.client.aclose()
    assert [run.state for run in comparison.runs] == ["cancelled"] * 3
    assert all(run.answer and len(run.answer.split()) < 2000 for run in comparison.runs)
    assert all(run.exchange is not None and run.exchange.cancelled for run in comparison.runs)


async def test_a_429_on_one_target_is_retried_after_retry_after_and_does_not_stop_the_others(
    fresh_sandbox: Callable[..., Any],
) -> None:
    sandbox = fresh_sandbox(rpm=1000, window_seconds=1.0)
    targets = [
        Target("gpt-4o-mini", Format.OPENAI_CHAT, RouteKind.NATIVE, {"x-sandbox-fault": "429"}),
        Target("gpt-4o-mini", Format.ANTHROPIC, RouteKind.CONVERTER),
        Target("gpt-4o-mini", Format.GEMINI, RouteKind.CONVERTER),
    ]
    comparison = await _run(_comparison(sandbox, targets))
    limited, *others = comparison.runs
    # Every attempt of the faulted target met its 429 (the header asks for one each time): it
    # waited for Retry-After between them, then gave up; the others answered.
    assert limited.statuses == [429] * (MAX_RATE_LIMIT_RETRIES + 1) and limited.failed
    assert limited.error is not None and limited.error.status == 429
    assert [run.state for run in others] == ["done", "done"] and all(run.answer for run in others)
    assert comparison.paced > 0
