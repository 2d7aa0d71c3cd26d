"""Every client mistake gets a 4xx in PipeLLM's envelope naming the problem: never a 500, never a
traceback in the log (one line at most), and the server keeps serving. Over real HTTP, with the
server's log really on (`logged_sandbox` + caplog)."""

from __future__ import annotations

import json
import logging
import socket

import httpx2
import pytest

from .conftest import KEY, chat_body, connect, raw_request, read_until_closed, stats, wait_until

CHAT = "/v1/chat/completions"


def post(running, path: str, content: bytes, headers: dict[str, str] | None = None) -> httpx2.Response:
    auth = {"authorization": f"Bearer {KEY}", "x-api-key": KEY, "x-goog-api-key": KEY}
    return httpx2.post(
        running.base_url + path, content=content, headers={**auth, **(headers or {})}, timeout=30
    )


def error_of(response: httpx2.Response, status: int) -> str:
    assert response.status_code == status, response.text[:300]
    error = response.json()["error"]
    assert error["code"] == str(status) and error["type"]
    return str(error["message"])


def no_traceback(caplog: pytest.LogCaptureFixture) -> None:
    assert not [r for r in caplog.records if r.exc_info], [
        r.getMessage() for r in caplog.records if r.exc_info
    ]
    assert not [r for r in caplog.records if "Traceback" in r.getMessage()]


@pytest.fixture
def running(logged_sandbox, caplog):
    caplog.set_level(logging.DEBUG)
    return logged_sandbox(rpm=100_000, balance=1_000_000.0, max_body_bytes=16_384, client_timeout=0.5)


def test_lone_surrogates_are_a_400_naming_where(running, caplog) -> None:
    cases = {
        CHAT: b'{"model":"gpt-4o","messages":[{"role":"user","content":"a\\ud800b"}]}',
        "/v1/messages": b'{"model":"claude-sonnet-4-20250514","max_tokens":5,'
        b'"messages":[{"role":"user","content":"hi"}],"stop_sequences":["\\udfff"]}',
        "/v1beta/models/gemini-2.5-flash:generateContent": b'{"contents":[{"parts":[{"text":"\\ud83d"}]}]}',
        "/openai/v1/chat/completions": b'{"model":"claude-sonnet-4-20250514",'
        b'"messages":[{"role":"user","content":"hi"}],"metadata":{"\\ud800":"key"}}',
    }
    paths = ["messages[0].content", "stop_sequences[0]", "contents[0].parts[0].text", "metadata"]
    for (path, body), where in zip(cases.items(), paths, strict=True):
        message = error_of(post(running, path, body), 400)
        assert message.startswith(where) and "lone surrogate" in message, message
    # Raw UTF-8 bytes of a surrogate (ED A0 80) are no better than the escape.
    raw = b'{"model":"gpt-4o","messages":[{"role":"user","content":"X"}]}'.replace(b"X", b"\xed\xa0\x80")
    assert error_of(post(running, CHAT, raw), 400)
    # A proper pair is one character (an emoji), and fine.
    assert post(
        running, CHAT, b'{"model":"gpt-4o","messages":[{"role":"user","content":"\\ud83d\\ude00"}]}'
    ).is_success
    no_traceback(caplog)
    assert running.state.internal_errors == 0


def test_deep_nesting_is_a_400_even_100000_levels_down(running, logged_sandbox, caplog) -> None:
    roomy = logged_sandbox(rpm=100_000)  # 100,000 levels need more than 16 KB
    for raw in (b"[" * 100_000 + b"]" * 100_000, b'{"a":' * 100_000 + b"1" + b"}" * 100_000):
        assert "nested too deeply" in error_of(post(roomy, CHAT, raw), 400)
    deep: object = "x"
    for _ in range(150):
        deep = {"k": deep}
    body = json.dumps({"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}], "metadata": deep})
    message = error_of(post(roomy, CHAT, body.encode()), 400)
    assert "nested too deeply at metadata.k.k" in message and "100 levels" in message
    # Nesting a real request may have (a tool schema 30 levels down) is fine.
    schema: dict[str, object] = {"type": "string"}
    for _ in range(30):
        schema = {"type": "object", "properties": {"inner": schema}, "required": ["inner"]}
    tools = [{"type": "function", "function": {"name": "deep", "parameters": schema}}]
    ok = post(roomy, CHAT, chat_body("use the deep tool", tools=tools, tool_choice="required"))
    assert ok.status_code == 200, ok.text[:300]
    no_traceback(caplog)
    assert roomy.state.internal_errors == 0


def test_a_list_where_a_string_belongs_is_a_400_with_one_log_line(running, caplog) -> None:
    body = {
        "model": "claude-sonnet-4-20250514",
        "max_tokens": 5,
        "messages": [{"role": "user", "content": [{"type": ["text"], "text": "hi"}]}],
    }
    caplog.clear()
    message = error_of(post(running, "/v1/messages", json.dumps(body).encode()), 400)
    assert "type" in message
    no_traceback(caplog)
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) <= 1, [r.getMessage() for r in warnings]
    for value in ({"text": "hi"}, ["hi"], 7, True):  # objects, lists, numbers where strings belong
        body = {"model": "gpt-4o", "messages": [{"role": "user", "content": "hi", "name": value}]}
        assert post(running, CHAT, json.dumps(body).encode()).status_code == 400
        body = {"model": value, "messages": [{"role": "user", "content": "hi"}]}
        assert post(running, CHAT, json.dumps(body).encode()).status_code == 400
    no_traceback(caplog)
    assert running.state.internal_errors == 0


def test_numbers_out_of_range_are_a_400_and_huge_ones_no_500(running, caplog) -> None:
    for number in (b"1e400", b"-1e999", b"9" * 5000, b"NaN", b"Infinity"):
        raw = b'{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"temperature":' + number + b"}"
        assert "not valid JSON" in error_of(post(running, CHAT, raw), 400)
    for field in ("max_tokens", "n", "temperature", "top_p", "seed", "max_completion_tokens"):
        for number in (10**30, -(10**30), 1e300):
            response = post(running, CHAT, chat_body(**{field: number}))
            assert response.status_code < 500, (field, number, response.text[:200])
    no_traceback(caplog)
    assert running.state.internal_errors == 0


def test_a_body_over_the_limit_is_a_413(running) -> None:
    big = chat_body("x" * 20_000)
    assert "too large" in error_of(post(running, CHAT, big), 413)

    def chunked() -> object:  # no Content-Length: the limit is met while the bytes arrive
        yield big[:10_000]
        yield big[10_000:]

    response = httpx2.post(
        running.base_url + CHAT, content=chunked(), headers={"authorization": f"Bearer {KEY}"}, timeout=30
    )
    assert "too large" in error_of(response, 413)
    assert post(running, CHAT, chat_body()).status_code == 200  # and the next one is served


def test_a_body_that_never_comes_is_a_408(running, caplog) -> None:
    with connect(running) as sock:
        sock.sendall(raw_request(running, CHAT, b'{"model":', content_length=500))
        reply = read_until_closed(sock)
    head, _, body = reply.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408")
    assert "did not arrive" in json.loads(body)["error"]["message"]
    no_traceback(caplog)


def test_a_body_cut_short_then_closed_leaves_no_traceback(running, caplog) -> None:
    for sent in (b"", b'{"model":"gpt-4o","mess'):
        before = stats(running)["disconnects"]
        with connect(running) as sock:
            sock.sendall(raw_request(running, CHAT, sent, content_length=len(sent) + 1000))
        assert wait_until(lambda before=before: stats(running)["disconnects"] == before + 1)
    no_traceback(caplog)
    ours = [r for r in caplog.records if r.name.startswith("pipellm_tui")]
    assert len(ours) == 2 and all("left after sending" in r.getMessage() for r in ours)
    assert running.state.internal_errors == 0
    assert post(running, CHAT, chat_body()).status_code == 200


def test_idle_and_half_open_connections_are_closed(logged_sandbox, caplog) -> None:
    running = logged_sandbox(idle_timeout=0.3)
    for opening in (b"", b"POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\n"):  # nothing; half a head
        with connect(running) as sock:
            sock.sendall(opening)
            assert read_until_closed(sock) == b""  # closed by the server (or socket.timeout: fails)
    with connect(running) as sock:  # kept alive after an answer, then quiet
        sock.sendall(raw_request(running, CHAT, chat_body()))
        assert read_until_closed(sock).startswith(b"HTTP/1.1 200")
    no_traceback(caplog)


def test_a_reader_that_stops_reading_is_given_up_with_one_line(logged_sandbox, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    running = logged_sandbox(client_timeout=0.3)
    with connect(running) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.sendall(raw_request(running, CHAT, chat_body(stream=True), {"x-sandbox-tokens": "1000000"}))
        assert wait_until(lambda: stats(running)["disconnects"] == 1)
        assert stats(running)["active_streams"] == 0 and stats(running)["stream_tokens"] < 1_000_000
    lines = [r.getMessage() for r in caplog.records if r.name.startswith("pipellm_tui")]
    assert len([line for line in lines if "stopped reading" in line]) == 1, lines
    no_traceback(caplog)


def test_tool_schemas_of_any_shape_get_an_answer_not_a_500_or_a_hang(running, caplog) -> None:
    schemas = [
        {"type": "string"},
        {"type": [{"role": "user"}]},
        {"type": "array", "minItems": 10**12, "items": {"type": "string", "minLength": 10**12}},
        {"type": "object", "properties": {"s": {"type": "string", "minLength": 10**12}}},
    ]
    gemini_to_claude = "/gemini/v1beta/models/claude-sonnet-4-20250514:generateContent"
    for schema in schemas:
        body = {
            "contents": [{"role": "user", "parts": [{"text": "use the f tool"}]}],
            "tools": [{"functionDeclarations": [{"name": "f", "parametersJsonSchema": schema}]}],
            "toolConfig": {"functionCallingConfig": {"mode": "ANY"}},
        }
        response = post(running, gemini_to_claude, json.dumps(body).encode())
        assert response.status_code < 500, (schema, response.text[:300])
        if response.status_code == 200:
            call = response.json()["candidates"][0]["content"]["parts"][0]["functionCall"]
            # Bounded: the generator caps a string at 100,000 characters, whatever minLength says.
            assert isinstance(call["args"], dict) and len(json.dumps(call)) < 150_000
    no_traceback(caplog)
    assert running.state.internal_errors == 0
