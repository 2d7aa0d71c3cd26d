"""Faults on purpose: how a request asks the sandbox to fail, and what each failure looks like.

A request names a fault with the header `x-sandbox-fault: <name>` or the text `[[fault:<name>]]`
anywhere in its last user message (the header wins). Faults apply once the request has passed every
other check (key, limits, body, model, guard), so each one is exactly what its name says:

  500          500 api_error, PipeLLM's envelope.
  529          529 overloaded_error, `Retry-After: 1`.
  429          429 rate_limit_error as if the window were full, with `Retry-After`.
  402          402 insufficient_balance.
  html         502 with an HTML body (text/html), like a broken proxy in front of the gateway.
  slow-start   the first byte comes after 2 s (`x-sandbox-delay: <seconds>` overrides, at most 60).
  disconnect   the connection is cut in the middle of the answer: no terminator, an incomplete
               chunked body (a non-streaming answer is cut in the middle of its JSON).
  malformed    one event in the middle of the stream whose data is not valid JSON (a non-streaming
               answer is a 200 whose body is truncated JSON).

Two more sandbox-only request headers: `x-sandbox-tokens: N` (or `[[tokens:N]]` in the last user
message) asks the generator for an answer of exactly N tokens (before max_tokens), and
`x-sandbox-delay` as above. Faulted requests are not charged to the balance, except `slow-start`,
whose answer is complete.
Imports starlette and protocols only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from starlette.responses import Response

from .replies import (
    BAD_GATEWAY_HTML,
    INTERNAL,
    NO_BALANCE,
    OVERLOADED,
    error_response,
    rate_limited_response,
)

FAULT_HEADER = "x-sandbox-fault"
DELAY_HEADER = "x-sandbox-delay"
TOKENS_HEADER = "x-sandbox-tokens"

ERROR_FAULTS = ("500", "529", "429", "402", "html")
STREAM_FAULTS = ("disconnect", "malformed")
FAULTS = (*ERROR_FAULTS, "slow-start", *STREAM_FAULTS)

MAX_DELAY_SECONDS = 60.0
_MARKER = re.compile(r"\[\[fault:([^\]\s]{1,40})\]\]")


class FaultRequestError(ValueError):
    """A fault or sandbox header the sandbox does not know: the client gets a 400 saying which exist."""


def requested_fault(headers: Mapping[str, str], last_user_text: str) -> str | None:
    name = headers.get(FAULT_HEADER)
    if name is None:
        found = _MARKER.search(last_user_text)
        name = found.group(1) if found else None
    if name is None:
        return None
    name = name.strip().lower()
    if name not in FAULTS:
        raise FaultRequestError(f"Unknown sandbox fault '{name}'. Known faults: {', '.join(FAULTS)}.")
    return name


def delay_seconds(headers: Mapping[str, str], default: float) -> float:
    raw = headers.get(DELAY_HEADER)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise FaultRequestError(f"{DELAY_HEADER} must be a number of seconds, got {raw!r}.") from None
    if not 0 <= value <= MAX_DELAY_SECONDS:
        raise FaultRequestError(f"{DELAY_HEADER} must be between 0 and {MAX_DELAY_SECONDS:g} seconds.")
    return value


def forced_tokens(headers: Mapping[str, str], limit: int) -> int | None:
    raw = headers.get(TOKENS_HEADER)
    if raw is None:
        return None
    if not raw.strip().isdigit() or not 0 < int(raw) <= limit:
        raise FaultRequestError(f"{TOKENS_HEADER} must be a whole number from 1 to {limit}, got {raw!r}.")
    return int(raw)


def error_fault_response(name: str, rpm: int, retry_after: int) -> Response:
    """The reply of a fault that replaces the answer (one of ERROR_FAULTS)."""
    if name == "500":
        return error_response(500, INTERNAL)
    if name == "529":
        return error_response(529, OVERLOADED, headers={"retry-after": "1"})
    if name == "429":
        return rate_limited_response(rpm, retry_after)
    if name == "402":
        return error_response(402, NO_BALANCE)
    return Response(BAD_GATEWAY_HTML, status_code=502, media_type="text/html")
