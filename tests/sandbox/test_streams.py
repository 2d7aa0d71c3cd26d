"""Each format's streaming wire format, the converted exchange record, and the stream faults."""

from __future__ import annotations

import json
import time

import httpx2
import pytest

from pipellm_tui.protocols.sse import parse_sse

from .sdk_calls import QUESTION

USER = [{"role": "user", "content": QUESTION}]


def _post(sandbox, path: str, body: dict, headers: dict | None = None) -> httpx2.Response:
    auth = {"authorization": f"Bearer {sandbox.api_key}", "x-goog-api-key": sandbox.api_key}
    return httpx2.post(
        f"{sandbox.base_url}{path}", json=body, headers={**auth, **(headers or {})}, timeout=30
    )


def _chat_stream(sandbox, body: dict, headers: dict | None = None):
    """Open a streamed OpenAI Chat call on the native route (a context manager, as httpx2.stream)."""
    return httpx2.stream(
        "POST",
        f"{sandbox.base_url}/v1/chat/completions",
        json=body,
        headers={"authorization": f"Bearer {sandbox.api_key}", **(headers or {})},
    )


def _chat_text(events) -> str:
    return "".join(
        c["delta"].get("content") or ""
        for e in events
        if e.data != "[DONE]"
        for c in json.loads(e.data)["choices"]
    )


def test_openai_stream_ends_with_done_and_sends_usage_only_when_asked(sandbox) -> None:
    body = {"model": "gpt-4o", "messages": USER, "stream": True}
    plain = parse_sse(_post(sandbox, "/v1/chat/completions", body).text)
    assert plain[-1].data == "[DONE]"
    assert not any("usage" in json.loads(e.data) and json.loads(e.data)["usage"] for e in plain[:-1])
    asked = parse_sse(
        _post(sandbox, "/v1/chat/completions", {**body, "stream_options": {"include_usage": True}}).text
    )
    usage_chunks = [json.loads(e.data) for e in asked[:-1] if json.loads(e.data).get("usage")]
    assert len(usage_chunks) == 1
    assert usage_chunks[0]["choices"] == []
    assert usage_chunks[0]["usage"]["completion_tokens"] > 0
    assert _chat_text(plain) == _chat_text(asked)


def test_anthropic_stream_has_the_event_sequence_and_a_ping(sandbox) -> None:
    body = {"model": "gpt-4o", "max_tokens": 100, "messages": USER, "stream": True}
    response = _post(sandbox, "/anthropic/v1/messages", body)
    assert response.headers["content-type"].startswith("text/event-stream")
    names = [e.event for e in parse_sse(response.text)]
    assert names[:3] == ["message_start", "ping", "content_block_start"]
    assert names[-3:] == ["content_block_stop", "message_delta", "message_stop"]
    assert set(names[3:-3]) == {"content_block_delta"}


def test_gemini_stream_is_sse_with_alt_and_a_json_array_without(sandbox) -> None:
    body = {"contents": [{"role": "user", "parts": [{"text": QUESTION}]}]}
    sse = _post(sandbox, "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", body)
    array = _post(sandbox, "/v1beta/models/gemini-2.5-flash:streamGenerateContent", body)
    assert sse.headers["content-type"].startswith("text/event-stream")
    assert array.headers["content-type"].startswith("application/json")
    chunks = json.loads(array.text)
    assert isinstance(chunks, list) and len(chunks) > 2

    def text(items):
        return "".join(
            p.get("text", "")
            for c in items
            for cand in c.get("candidates", [])
            for p in cand["content"]["parts"]
        )

    assert text(chunks) == text(json.loads(e.data) for e in parse_sse(sse.text))
    assert chunks[-1]["candidates"][0]["finishReason"] == "STOP"


def test_converter_exchange_shows_what_went_upstream_and_came_back(sandbox) -> None:
    response = _post(
        sandbox, "/openai/v1/chat/completions", {"model": "claude-sonnet-4-20250514", "messages": USER}
    )
    assert response.status_code == 200
    assert response.headers["x-pipellm-upstream-format"] == "anthropic"
    assert response.headers["x-pipellm-conversion-warnings"].isdigit()
    record = httpx2.get(f"{sandbox.base_url}/_sandbox/exchanges/{response.headers['x-request-id']}").json()
    assert record["request_format"] == "openai-chat"
    assert record["upstream_format"] == "anthropic"
    assert record["converted"] is True
    upstream = record["upstream_request"]
    assert upstream["model"] == "claude-sonnet-4-20250514"
    assert upstream["messages"][0]["role"] == "user"
    assert isinstance(upstream["max_tokens"], int)  # Anthropic requires it: the conversion filled it in
    answer = record["upstream_response"]
    assert answer["type"] == "message"
    assert answer["content"][0]["text"] == response.json()["choices"][0]["message"]["content"]


def test_streamed_converter_exchange_records_the_upstream_stream(sandbox) -> None:
    body = {"model": "gemini-2.5-pro", "max_tokens": 50, "messages": USER, "stream": True}
    response = _post(sandbox, "/anthropic/v1/messages", body)
    assert response.headers["x-pipellm-upstream-format"] == "gemini"
    record = httpx2.get(f"{sandbox.base_url}/_sandbox/exchanges/{response.headers['x-request-id']}").json()
    upstream_events = parse_sse(record["upstream_response"])
    assert upstream_events and all("candidates" in json.loads(e.data) for e in upstream_events)
    assert "contents" in record["upstream_request"]


def test_native_exchange_is_not_converted(sandbox) -> None:
    response = _post(sandbox, "/v1/chat/completions", {"model": "gpt-4o-mini", "messages": USER})
    assert response.headers["x-pipellm-upstream-format"] == "openai-chat"
    assert "x-pipellm-conversion-warnings" not in response.headers
    record = httpx2.get(f"{sandbox.base_url}/_sandbox/exchanges/{response.headers['x-request-id']}").json()
    assert record["converted"] is False
    assert record["upstream_request"] == {"model": "gpt-4o-mini", "messages": USER}
    missing = httpx2.get(f"{sandbox.base_url}/_sandbox/exchanges/req_nothing")
    assert missing.status_code == 404


def test_disconnect_fault_cuts_the_stream_without_terminator(sandbox) -> None:
    body = {"model": "gpt-4o", "messages": USER, "stream": True}
    received = b""
    with (
        pytest.raises(httpx2.RemoteProtocolError),
        _chat_stream(sandbox, body, {"x-sandbox-fault": "disconnect"}) as response,
    ):
        assert response.status_code == 200
        for chunk in response.iter_bytes():
            received += chunk
    assert received.startswith(b"data: {")
    assert b"[DONE]" not in received
    # The server is still there for the next request.
    assert _post(sandbox, "/v1/chat/completions", {"model": "gpt-4o", "messages": USER}).status_code == 200


def test_disconnect_fault_on_a_json_answer_cuts_the_body(sandbox) -> None:
    with pytest.raises(httpx2.RemoteProtocolError):
        _post(
            sandbox,
            "/v1/messages",
            {
                "model": "claude-3-5-haiku-latest",
                "max_tokens": 50,
                "messages": [{"role": "user", "content": "hi [[fault:disconnect]]"}],
            },
        )


def test_malformed_fault_puts_one_broken_event_in_the_middle(sandbox) -> None:
    body = {"model": "claude-sonnet-4-5-20250929", "max_tokens": 200, "messages": USER, "stream": True}
    events = parse_sse(_post(sandbox, "/v1/messages", body, {"x-sandbox-fault": "malformed"}).text)
    broken = []
    for index, event in enumerate(events):
        try:
            json.loads(event.data)
        except ValueError:
            broken.append(index)
    assert len(broken) == 1
    assert 0 < broken[0] < len(events) - 1
    assert events[-1].event == "message_stop"


def test_slow_start_delays_the_first_byte(fresh_sandbox) -> None:
    running = fresh_sandbox(slow_start_seconds=0.6)
    body = {
        "model": "gpt-4o",
        "messages": [{"role": "user", "content": "[[fault:slow-start]] hi"}],
        "stream": True,
    }
    started = time.perf_counter()
    with _chat_stream(running, body) as response:
        chunks = response.iter_bytes()
        received = next(chunks)
        first_byte = time.perf_counter() - started
        received += b"".join(chunks)
    assert first_byte >= 0.6 * 0.8
    assert received.rstrip().endswith(b"data: [DONE]")
    started = time.perf_counter()
    overridden = _post(
        running,
        "/v1/chat/completions",
        {"model": "gpt-4o", "messages": USER},
        {"x-sandbox-fault": "slow-start", "x-sandbox-delay": "0.3"},
    )
    assert overridden.status_code == 200
    assert time.perf_counter() - started >= 0.3 * 0.8


def test_token_rate_paces_the_stream_in_many_writes(fresh_sandbox) -> None:
    running = fresh_sandbox(token_rate=400)
    body = {
        "model": "gpt-4o",
        "messages": [{"role": "user", "content": "count [[tokens:40]]"}],
        "stream": True,
    }
    started = time.perf_counter()
    with _chat_stream(running, body) as response:
        reads = sum(1 for _ in response.iter_raw())
    assert reads >= 10
    assert time.perf_counter() - started >= (39 / 400) * 0.8


def test_client_disconnect_is_noticed_by_the_server(fresh_sandbox) -> None:
    running = fresh_sandbox(token_rate=50)
    body = {
        "model": "gpt-4o",
        "messages": [{"role": "user", "content": "long [[tokens:500]]"}],
        "stream": True,
    }
    with _chat_stream(running, body) as response:
        next(response.iter_bytes())
    deadline = time.monotonic() + 5
    while running.state.disconnects == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert running.state.disconnects == 1
    assert running.state.answered == 0  # an abandoned stream is not charged


def test_tokens_header_asks_for_a_long_answer(sandbox) -> None:
    body = {"model": "gpt-4o", "messages": USER, "stream": True, "stream_options": {"include_usage": True}}
    events = parse_sse(_post(sandbox, "/v1/chat/completions", body, {"x-sandbox-tokens": "2000"}).text)
    usage = [json.loads(e.data)["usage"] for e in events[:-1] if json.loads(e.data).get("usage")]
    assert usage[0]["completion_tokens"] == 2000
    bad = _post(sandbox, "/v1/chat/completions", body, {"x-sandbox-tokens": "lots"})
    assert bad.status_code == 400
