"""A real exchange into history and back out: what is kept (masked headers, raw events, usage,
limits, the answer), and a history entry saved as a request that sends the same again."""

from __future__ import annotations

from typing import Any

import pytest

from pipellm_tui.client import PlaygroundClient
from pipellm_tui.client.plan import MASK
from pipellm_tui.playground.recording import open_history, record_exchange, saved_request_from_entry
from pipellm_tui.playground.settings import client_timeouts, retry_policy
from pipellm_tui.protocols.formats import Format
from pipellm_tui.protocols.templates import starter_request
from pipellm_tui.store.config import Config
from pipellm_tui.store.saved_requests import SavedRequests

MODELS = {
    Format.OPENAI_CHAT: "gpt-4o",
    Format.OPENAI_RESPONSES: "gpt-4o",
    Format.ANTHROPIC: "claude-sonnet-4-5-20250929",
    Format.GEMINI: "gemini-2.5-flash",
}


async def send(sandbox: Any, fmt: Format, model: str, body: dict[str, Any]) -> Any:
    client = PlaygroundClient()
    try:
        return await client.send_collect(
            client.plan(sandbox.base_url, sandbox.api_key, fmt, "native", model, body)
        )
    finally:
        await client.aclose()


@pytest.mark.parametrize("fmt", list(Format))
@pytest.mark.parametrize("stream", [False, True])
async def test_an_exchange_is_kept_and_sends_the_same_again(sandbox: Any, fmt: Format, stream: bool) -> None:
    body = {**starter_request(fmt), "stream": stream}
    exchange = await send(sandbox, fmt, MODELS[fmt], body)
    history = open_history(Config())
    try:
        entry_id = record_exchange(history, exchange, profile="sandbox", cost=0.5)
        entry = history.get(entry_id)
    finally:
        history.close()
    assert entry is not None
    assert (entry.format, entry.route, entry.model, entry.status) == (fmt.value, "native", MODELS[fmt], 200)
    assert entry.url == exchange.plan.url and entry.request_body == exchange.plan.body
    secret_header = exchange.plan.secret_header
    assert secret_header and MASK in entry.request_headers[secret_header]
    assert sandbox.api_key not in str(entry.request_headers)
    assert entry.answer == exchange.response.text and entry.answer
    assert entry.response_body == exchange.body
    assert entry.usage is not None and entry.usage["output_tokens"] == exchange.usage.output_tokens
    assert entry.rate_limits is not None and entry.rate_limits["limit"] == exchange.rate_limits.limit
    assert (entry.ttft, entry.total) == (exchange.timings.ttft, exchange.timings.total) and entry.cost == 0.5
    assert entry.total is not None
    assert bool(entry.raw_events) == stream and not entry.raw_events_cut
    assert (entry.profile, entry.error) == ("sandbox", None)

    saved = saved_request_from_entry(entry, "again")
    SavedRequests().save(saved)
    reopened = SavedRequests().open("again")
    assert reopened == saved
    again = await send(sandbox, reopened.format, reopened.model, reopened.body)
    assert again.plan.url == exchange.plan.url and again.plan.body == exchange.plan.body
    assert again.response.text == exchange.response.text


async def test_a_failed_call_keeps_its_error(sandbox: Any) -> None:
    exchange = await send(sandbox, Format.ANTHROPIC, "gpt-4o", starter_request(Format.ANTHROPIC))
    history = open_history(Config())
    try:
        [row] = history.list() if record_exchange(history, exchange) else []
        entry = history.get(row.id)
    finally:
        history.close()
    assert row.status == 400 and row.error is not None and row.error.startswith("400 ")
    assert entry is not None and entry.error is not None and entry.error["status"] == 400


def test_config_settings_reach_the_client() -> None:
    config = Config.model_validate(
        {"timeouts": {"connect": 2.5, "idle": 40}, "retry": {"enabled": True, "max_attempts": 5}}
    )
    timeouts = client_timeouts(config)
    assert (timeouts.connect, timeouts.read) == (2.5, 40.0)
    policy = retry_policy(config)
    assert policy is not None and policy.max_attempts == 5
    assert retry_policy(Config()) is None
