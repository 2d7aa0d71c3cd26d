"""The sliding RPM window and the balance, on a fake clock (no sleeping, no timing)."""

from __future__ import annotations

from pipellm_tui.protocols.ratelimits import parse_ratelimits
from pipellm_tui.sandbox.ratelimit import Balance, RateWindow


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_window_admits_rpm_then_refuses_without_counting() -> None:
    clock = FakeClock()
    window = RateWindow(3, 60, clock)
    states = [window.check_and_record("k") for _ in range(5)]
    assert [s.allowed for s in states] == [True, True, True, False, False]
    assert [s.remaining for s in states] == [2, 1, 0, 0, 0]
    assert states[3].reset_seconds == 60
    assert states[3].retry_after == 60


def test_window_slides_one_request_at_a_time() -> None:
    clock = FakeClock()
    window = RateWindow(2, 60, clock)
    window.check_and_record("k")
    clock.now += 20
    window.check_and_record("k")
    clock.now += 30  # 50 s after the first
    refused = window.check_and_record("k")
    assert not refused.allowed and refused.reset_seconds == 10 and refused.retry_after == 10
    clock.now += 10.5  # the first left the window; the second is still in
    admitted = window.check_and_record("k")
    assert admitted.allowed and admitted.remaining == 0
    assert admitted.reset_seconds == 60 - 40.5


def test_keys_have_their_own_windows_and_peek_does_not_count() -> None:
    window = RateWindow(1, 60, FakeClock())
    assert window.check_and_record("a").allowed
    assert window.check_and_record("b").allowed
    assert window.peek("a").remaining == 0
    assert window.peek(None).remaining == 1
    assert window.peek("c").remaining == 1
    assert window.check_and_record("c").allowed


def test_retry_after_rounds_up_and_never_below_one() -> None:
    clock = FakeClock()
    window = RateWindow(1, 60, clock)
    window.check_and_record("k")
    clock.now += 59.95
    refused = window.check_and_record("k")
    assert refused.retry_after == 1
    clock.now -= 10.2
    assert window.check_and_record("k").retry_after == 11


def test_headers_are_openai_style_and_our_client_reads_them_back() -> None:
    clock = FakeClock()
    window = RateWindow(60, 60, clock)
    window.check_and_record("k")
    clock.now += 47.5
    headers = window.check_and_record("k").headers()
    assert headers == {
        "x-ratelimit-limit-requests": "60",
        "x-ratelimit-remaining-requests": "58",
        "x-ratelimit-reset-requests": "12.5s",
    }
    parsed = parse_ratelimits(headers, now=0.0)
    assert (parsed.limit, parsed.remaining, parsed.reset_seconds) == (60, 58, 12.5)
    assert RateWindow(5, 60, FakeClock()).peek("x").headers()["x-ratelimit-reset-requests"] == "0s"


def test_balance_is_exhausted_at_zero() -> None:
    balance = Balance(0.01)
    assert not balance.exhausted
    balance.charge(0.01)
    assert balance.exhausted and balance.spent == 0.01
