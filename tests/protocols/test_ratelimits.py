"""Rate-limit headers: every reset format, Retry-After, and junk that must give None."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipellm_tui.protocols.ratelimits import RateLimits, format_duration, parse_ratelimits, parse_reset

NOW = 1_750_000_000.0  # 2025-06-15T15:06:40Z


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("42", 42.0),
        ("0.5", 0.5),
        (" 7 ", 7.0),
        ("0", 0.0),
        ("1m30s", 90.0),
        ("6m0s", 360.0),
        ("20ms", 0.02),
        ("1500ms", 1.5),
        ("1h2m3.5s", 3723.5),
        ("7.66s", 7.66),
        ("2h", 7200.0),
        ("1s500ms", 1.5),
        (str(int(NOW) + 30), 30.0),  # epoch seconds
        (str(int(NOW * 1000) + 2500), 2.5),  # epoch milliseconds
        ("2025-06-15T15:07:40Z", 60.0),  # RFC3339
        ("2025-06-15T15:07:40.500+00:00", 60.5),
        ("2025-06-15T17:07:40+02:00", 60.0),
        ("Sun, 15 Jun 2025 15:08:40 GMT", 120.0),  # HTTP date
        (str(int(NOW) - 100), 0.0),  # a moment already past: the window has reset
        ("2020-01-01T00:00:00Z", 0.0),
    ],
)
def test_reset_formats(value: str, seconds: float) -> None:
    assert parse_reset(value, NOW) == pytest.approx(seconds)


@pytest.mark.parametrize(
    "value",
    ["", "   ", "soon", "-5", "1e3", "nan", "inf", "1m30", "m", "ms", "1x", "12:00", "1" * 5000, "1 m", "+3"],
)
def test_reset_garbage_is_none(value: str) -> None:
    assert parse_reset(value, NOW) is None


def test_parse_headers_case_insensitive() -> None:
    limits = parse_ratelimits(
        {
            "X-RateLimit-Limit-Requests": "60",
            "x-ratelimit-remaining-requests": "59",
            "X-RATELIMIT-RESET-REQUESTS": "1m0s",
            "Retry-After": "3",
        },
        now=NOW,
    )
    assert limits == RateLimits(limit=60, remaining=59, reset_seconds=60.0, retry_after=3.0, observed_at=NOW)
    assert limits.known
    assert limits.seconds_until_reset(NOW + 15) == 45.0
    assert limits.seconds_until_reset(NOW + 600) == 0.0


def test_retry_after_variants() -> None:
    assert parse_ratelimits({"retry-after-ms": "250"}, now=NOW).retry_after == 0.25
    date = format_datetime(datetime.fromtimestamp(NOW + 90, tz=UTC), usegmt=True)
    assert parse_ratelimits({"Retry-After": date}, now=NOW).retry_after == pytest.approx(90.0)
    assert parse_ratelimits({"Retry-After": "later"}, now=NOW).retry_after is None


def test_anthropic_headers_as_fallback() -> None:
    limits = parse_ratelimits(
        {
            "anthropic-ratelimit-requests-limit": "50",
            "anthropic-ratelimit-requests-remaining": "49",
            "anthropic-ratelimit-requests-reset": "2025-06-15T15:06:52Z",
        },
        now=NOW,
    )
    assert (limits.limit, limits.remaining, limits.reset_seconds) == (50, 49, 12.0)


def test_no_headers_means_unknown() -> None:
    limits = parse_ratelimits({"content-type": "application/json"}, now=NOW)
    assert not limits.known
    assert limits.seconds_until_reset(NOW) is None
    bad = parse_ratelimits(
        {"x-ratelimit-limit-requests": "lots", "x-ratelimit-remaining-requests": "-1"}, now=NOW
    )
    assert (bad.limit, bad.remaining, bad.known) == (None, None, False)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0s"),
        (-3, "0s"),
        (0.02, "20ms"),
        (42, "42s"),
        (90, "1m30s"),
        (360, "6m0s"),
        (3600, "1h0m0s"),
        (3723.5, "1h2m3.5s"),
        (1.25, "1.25s"),
    ],
)
def test_format_duration(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=0.001, max_value=10 * 86400, allow_nan=False))
def test_format_then_parse_round_trips(seconds: float) -> None:
    assert parse_reset(format_duration(seconds), NOW) == pytest.approx(seconds, abs=0.0006)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_random_reset_strings_never_raise(value: str) -> None:
    result = parse_reset(value, NOW)
    assert result is None or result >= 0.0


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.text(max_size=40), st.text(max_size=40), max_size=6))
def test_random_headers_never_raise(headers: dict[str, str]) -> None:
    assert isinstance(parse_ratelimits(headers, now=NOW), RateLimits)
