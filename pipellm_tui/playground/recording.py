"""From a finished call to a history row: what of an `Exchange` is kept, and how.

Kept: the request as sent with `Plan.masked_headers` (never `Plan.headers`, which hold the key),
the answer text, the final JSON, the raw SSE (cut at the history's cap), timings, usage, cost, the
rate-limit snapshot and the error. Both faces call `record_exchange` after a send; compare runs
pass one `group_id` for all their calls.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ..client.events import Exchange
from ..protocols.formats import Format, RouteKind
from ..protocols.sse import encode_sse
from ..store.config import Config
from ..store.history import History, HistoryEntry
from ..store.saved_requests import SavedRequest


def open_history(config: Config) -> History:
    """The user's history file, with the caps config.toml sets."""
    settings = config.history
    return History(
        max_entries=settings.max_entries,
        max_bytes=settings.max_bytes,
        raw_events_bytes=settings.raw_events_bytes,
    )


def entry_from_exchange(
    exchange: Exchange, *, profile: str | None = None, group_id: str | None = None, cost: float | None = None
) -> HistoryEntry:
    plan = exchange.plan
    timings = exchange.timings
    usage = exchange.usage
    return HistoryEntry(
        format=plan.format.value,
        route=plan.route.kind.value,
        model=plan.model,
        url=plan.url,
        request_headers=plan.masked_headers,
        request_body=plan.body,
        status=exchange.status,
        ttft=timings.ttft if timings else None,
        total=timings.total if timings else None,
        usage=_plain(dataclasses.asdict(usage)) if usage else None,
        cost=cost,
        rate_limits=dataclasses.asdict(exchange.rate_limits) if exchange.rate_limits else None,
        error=_error(exchange),
        answer=exchange.response.text if exchange.response else "",
        response_headers=dict(exchange.response_headers),
        response_body=exchange.body,
        raw_events=encode_sse(exchange.raw_events) if exchange.raw_events else "",
        profile=profile,
        group_id=group_id,
    )


def record_exchange(
    history: History,
    exchange: Exchange,
    *,
    profile: str | None = None,
    group_id: str | None = None,
    cost: float | None = None,
) -> int:
    """Keep the exchange in history; returns its id."""
    return history.record(entry_from_exchange(exchange, profile=profile, group_id=group_id, cost=cost))


def saved_request_from_entry(entry: HistoryEntry, name: str) -> SavedRequest:
    """A history entry's request, to save under `name` (or to load back into the editor). The body
    is the one sent; for Gemini the streaming path becomes the playground's `"stream"` hint."""
    body = dict(entry.request_body or {})
    fmt = Format(entry.format)
    if fmt is Format.GEMINI and ":streamGenerateContent" in entry.url:
        body["stream"] = True
    else:
        body.pop("model", None)  # the model travels beside the body, as the editor has it
    return SavedRequest(name, fmt, RouteKind(entry.route), entry.model, body, entry.profile)


def _plain(values: dict[str, Any]) -> dict[str, int]:
    return {k: int(v) for k, v in values.items() if isinstance(v, int | float)}


def _error(exchange: Exchange) -> dict[str, Any] | None:
    if exchange.error is not None:
        return dataclasses.asdict(exchange.error)
    if exchange.cancelled:
        return {"status": None, "type": "cancelled", "message": "cancelled by the user"}
    return None
