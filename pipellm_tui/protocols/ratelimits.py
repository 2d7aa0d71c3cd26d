"""Rate-limit state read from response headers: `x-ratelimit-*-requests`, `Retry-After`.

Owns the parsing of every reset/retry format a gateway may send, because PipeLLM's docs leave the
format of `x-ratelimit-reset-requests` open: plain seconds ("42", "0.5"), Go/OpenAI durations
("1m30s", "6m0s", "20ms", "1h2m3.5s"), epoch seconds or milliseconds, RFC3339 timestamps and HTTP
dates. Garbage gives None, never an exception: these values come from the network (the parsers end
in a catch-all as the last guard; `format_duration` raises `ProtocolError` for what is not a number).

No I/O; standard library only.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .problems import ProtocolError

LIMIT_HEADERS = ("x-ratelimit-limit-requests", "anthropic-ratelimit-requests-limit", "x-ratelimit-limit")
REMAINING_HEADERS = (
    "x-ratelimit-remaining-requests",
    "anthropic-ratelimit-requests-remaining",
    "x-ratelimit-remaining",
)
RESET_HEADERS = ("x-ratelimit-reset-requests", "anthropic-ratelimit-requests-reset", "x-ratelimit-reset")

#: Above these a bare number is a timestamp, not a duration (10^9 s is 2001; 10^12 ms is 2001 too).
EPOCH_SECONDS_FLOOR = 1e9
EPOCH_MILLISECONDS_FLOOR = 1e12

_NUMBER = re.compile(r"\d+(?:\.\d*)?|\.\d+")
_DURATION = re.compile(r"(?:(?:\d+(?:\.\d*)?|\.\d+)(?:h|ms|m|s|us|µs|ns))+")
_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(h|ms|m|s|us|µs|ns)")
_UNIT_SECONDS = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 1e-3, "us": 1e-6, "µs": 1e-6, "ns": 1e-9}
#: Longer strings are not a reset value; refusing them early keeps hostile headers cheap.
_MAX_VALUE_LENGTH = 64
#: `format_duration` writes longer durations as this many seconds (about 31,700 years).
_MAX_DURATION = 1e12


@dataclass(frozen=True, slots=True)
class RateLimits:
    limit: int | None = None
    remaining: int | None = None
    #: Seconds until the window resets, as of `observed_at`.
    reset_seconds: float | None = None
    retry_after: float | None = None
    #: Epoch seconds when the headers were read.
    observed_at: float = 0.0

    def seconds_until_reset(self, now: float) -> float | None:
        """Time left in the window at `now` (never negative), or None when the reset is unknown."""
        if self.reset_seconds is None:
            return None
        return max(0.0, self.reset_seconds - (now - self.observed_at))

    @property
    def known(self) -> bool:
        """Whether the response said anything about the limits at all."""
        return (
            self.limit is not None
            or self.remaining is not None
            or self.reset_seconds is not None
            or self.retry_after is not None
        )


def parse_ratelimits(headers: Mapping[str, str], now: float | None = None) -> RateLimits:
    """Read the rate-limit headers (any case) of one response."""
    now = _moment(now)
    try:
        lower = _lowercase(headers)
        reset_text = _first(lower, RESET_HEADERS)
        return RateLimits(
            limit=_count(_first(lower, LIMIT_HEADERS)),
            remaining=_count(_first(lower, REMAINING_HEADERS)),
            reset_seconds=parse_reset(reset_text, now) if reset_text is not None else None,
            retry_after=retry_after_seconds(lower, now),
            observed_at=now,
        )
    except Exception:  # noqa: BLE001 - network values: garbage reads as "nothing known"
        return RateLimits(observed_at=now)


def retry_after_seconds(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """`retry-after-ms` (the SDKs' precise form) or `Retry-After` (seconds or an HTTP date)."""
    try:
        return _retry_after(_lowercase(headers), _moment(now))
    except Exception:  # noqa: BLE001 - network values: garbage reads as "nothing known"
        return None


def _retry_after(lower: dict[str, str], now: float) -> float | None:
    millis = lower.get("retry-after-ms")
    if millis is not None:
        value = _plain_number(millis)
        if value is not None:
            return value / 1000.0
    text = lower.get("retry-after")
    if text is None:
        return None
    value = _plain_number(text)
    if value is not None:
        return value
    return _date_in(text.strip(), now)


def parse_reset(value: str, now: float) -> float | None:
    """Seconds from `now` until the moment `value` names; None when it names nothing we know.

    A moment in the past gives 0: the window has already reset.
    """
    try:
        now = _moment(now)
        text = value.strip()
        if not text or len(text) > _MAX_VALUE_LENGTH:
            return None
        number = _plain_number(text)
        if number is not None:
            if number >= EPOCH_MILLISECONDS_FLOOR:
                return max(0.0, number / 1000.0 - now)
            if number >= EPOCH_SECONDS_FLOOR:
                return max(0.0, number - now)
            return number
        if _DURATION.fullmatch(text):
            total = sum(float(n) * _UNIT_SECONDS[unit] for n, unit in _DURATION_PART.findall(text))
            return total if math.isfinite(total) else None
        return _date_in(text, now)
    except Exception:  # noqa: BLE001 - network values: garbage reads as "nothing known"
        return None


def format_duration(seconds: float) -> str:
    """Go/OpenAI header style: "20ms", "42s", "1m30s", "1h0m0s", "1m3.5s"; negatives and NaN give "0s",
    more than `_MAX_DURATION` (or infinity) is written as that. Not a number: `ProtocolError`."""
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        raise ProtocolError(f"a duration must be a number of seconds, not {type(seconds).__name__}")
    if seconds <= 0:  # compared before any float(): a 400-digit negative int must not overflow
        return "0s"
    seconds = min(seconds, _MAX_DURATION)  # a 400-digit int becomes the cap (a float), NaN stays NaN
    if math.isnan(seconds):
        return "0s"
    millis = round(seconds * 1000)
    if millis == 0:
        return "0s"
    if millis < 1000:
        return f"{millis}ms"
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs = f"{rest / 1000:.3f}".rstrip("0").rstrip(".")
    if hours:
        return f"{hours}h{minutes}m{secs}s"
    if minutes:
        return f"{minutes}m{secs}s"
    return f"{secs}s"


def _moment(now: Any) -> float:
    """`now` as epoch seconds: the clock when it is None or not a finite number."""
    if isinstance(now, (int, float)) and not isinstance(now, bool):
        try:
            value = float(now)
        except OverflowError:
            return time.time()
        if math.isfinite(value):
            return value
    return time.time()


def _lowercase(headers: Mapping[str, str]) -> dict[str, str]:
    try:
        return {str(k).lower(): str(v) for k, v in headers.items()}
    except (AttributeError, TypeError):
        return {}


def _first(headers: Mapping[str, str], names: tuple[str, ...]) -> str | None:
    for name in names:
        value = headers.get(name)
        if value is not None:
            return value
    return None


def _plain_number(text: str) -> float | None:
    """A non-negative decimal number, finite; anything else (signs, exponents, words) is None."""
    text = text.strip()
    if len(text) > _MAX_VALUE_LENGTH or not _NUMBER.fullmatch(text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


def _count(text: str | None) -> int | None:
    if text is None:
        return None
    value = _plain_number(text)
    return int(value) if value is not None else None


def _date_in(text: str, now: float) -> float | None:
    """Seconds from `now` to an RFC3339 timestamp or an HTTP date."""
    moment: datetime | None = None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        try:
            from email.utils import parsedate_to_datetime  # an HTTP date is rare: ~3 ms of the start

            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return max(0.0, moment.timestamp() - now)
    except (OverflowError, ValueError, OSError):
        return None
