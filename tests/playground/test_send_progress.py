"""The status line's figures, folded from the client's events without Textual (playground/send_progress.py)."""

from __future__ import annotations

from pipellm_tui.client.events import Delta, Failure, Head, Retrying, Timings, UsageReport
from pipellm_tui.playground.send_progress import SendProgress
from pipellm_tui.protocols import ir
from pipellm_tui.protocols.errors import ApiError
from pipellm_tui.protocols.ratelimits import RateLimits

LIMITS = RateLimits(limit=60, remaining=59, reset_seconds=30.0)
OVERLOADED = ApiError(529, "overloaded_error", None, "Overloaded", True, 2.0, "{}")


def test_a_stream_shows_its_head_and_first_token_at_once_and_its_figures_at_the_end() -> None:
    progress = SendProgress(state="sending")
    assert progress.take(Head(200, {}, 0.01, LIMITS), streaming=True)
    assert (progress.state, progress.status) == ("streaming", 200)
    assert progress.take(Delta(ir.TextDelta("Hi"), 0.12), streaming=True)  # the first token: shown now
    assert progress.ttft == 0.12
    assert not progress.take(Delta(ir.TextDelta(" there"), 0.2), streaming=True)
    assert progress.ttft == 0.12  # the first one counts
    assert not progress.take(UsageReport(ir.Usage(input_tokens=5, output_tokens=2)), streaming=True)
    assert not progress.take(Timings(0.11, 0.5, 40.0), streaming=True)
    assert (progress.ttft, progress.total, progress.tokens_per_second) == (0.11, 0.5, 40.0)
    assert progress.usage == ir.Usage(input_tokens=5, output_tokens=2)
    progress.finish("done", 0.002, 0.005, LIMITS, 28.0)
    assert (progress.state, progress.cost, progress.session_cost) == ("done", 0.002, 0.005)
    assert (progress.remaining, progress.limit, progress.reset_in) == (59, 60, 28.0)
    assert not progress.failed


def test_an_error_response_is_received_not_streamed_and_ends_failed() -> None:
    progress = SendProgress(state="sending")
    assert progress.take(Head(529, {}, 0.01, RateLimits()), streaming=True)
    assert progress.state == "receiving"
    assert progress.take(Retrying(1, 2.0, OVERLOADED), streaming=True)
    assert progress.state == "attempt 2 in 2s"
    assert not progress.take(Failure(OVERLOADED), streaming=True)
    assert progress.failed
    progress.finish("failed", None, 0.0, None, None)
    # nothing spent shows as no running total; no window seen leaves the limits unknown
    assert (progress.state, progress.session_cost, progress.remaining, progress.limit) == ("failed", None, None, None)


def test_a_non_token_delta_sets_no_first_token_time() -> None:
    progress = SendProgress()
    assert not progress.take(Delta(ir.BlockStop(), 0.05), streaming=True)
    assert progress.ttft is None
