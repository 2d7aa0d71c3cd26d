"""A million-token answer is made as it is read: it starts at once, other requests are served while it
streams, and a client that leaves stops it, with one log line (not thousands). No timing assertions:
the figures are bench/sandbox_load.py's; here, what the server's counters and log say."""

from __future__ import annotations

import logging
import threading

import httpx2

from .conftest import KEY, chat_body, connect, raw_request, stats, wait_until

CHAT = "/v1/chat/completions"
MILLION = {"x-sandbox-tokens": "1000000"}


def test_a_client_that_leaves_stops_the_answer_with_one_log_line(logged_sandbox, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    running = logged_sandbox()
    with connect(running) as sock:
        sock.sendall(raw_request(running, CHAT, chat_body(stream=True), MILLION))
        received = 0
        while received < 256 * 1024:
            received += len(sock.recv(65536))
        assert stats(running)["active_streams"] == 1
    assert wait_until(lambda: stats(running)["disconnects"] == 1)
    made = stats(running)["stream_tokens"]
    assert 0 < made < 1_000_000 and stats(running)["active_streams"] == 0
    assert stats(running)["last_disconnect"]["tokens"] == made
    # The count stays where it stopped (the lead's machine may be slow: a few polls, not a clock).
    for _ in range(20):
        assert not wait_until(lambda: stats(running)["stream_tokens"] != made, timeout=0.01)
    messages = [r.getMessage() for r in caplog.records]
    assert len([m for m in messages if "went away" in m]) == 1, messages[-5:]
    assert not [m for m in messages if "socket.send()" in m]
    assert not [r for r in caplog.records if r.exc_info]
    assert running.state.answered == 0  # not charged


def test_a_long_json_answer_whose_client_leaves_is_not_finished(logged_sandbox, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    running = logged_sandbox()
    with connect(running) as sock:
        sock.sendall(raw_request(running, CHAT, chat_body(), MILLION))
    assert wait_until(lambda: stats(running)["disconnects"] == 1)
    assert running.state.answered == 0
    assert len([r for r in caplog.records if "went away" in r.getMessage()]) == 1
    assert not [r for r in caplog.records if r.exc_info]


def test_small_requests_are_answered_while_a_long_stream_is_sent(fresh_sandbox) -> None:
    running = fresh_sandbox(rpm=100_000)
    first_bytes = threading.Event()
    finished = threading.Event()

    def read_the_big_stream() -> None:
        with connect(running, timeout=120) as sock:
            headers = {"x-sandbox-tokens": "200000", "connection": "close"}
            sock.sendall(raw_request(running, CHAT, chat_body(stream=True), headers))
            while sock.recv(1 << 20):  # until the server closes (connection: close)
                first_bytes.set()
        finished.set()

    reader = threading.Thread(target=read_the_big_stream, daemon=True)
    reader.start()
    assert first_bytes.wait(60)
    assert stats(running)["stream_tokens"] < 200_000  # the first bytes left before the answer was made
    answered_meanwhile = 0
    with httpx2.Client(timeout=60) as client:
        for _ in range(5):
            auth = {"authorization": f"Bearer {KEY}"}
            response = client.post(running.base_url + CHAT, content=chat_body(), headers=auth)
            assert response.status_code == 200
            if not finished.is_set() and stats(running)["active_streams"] == 1:
                answered_meanwhile += 1
    assert answered_meanwhile >= 1
    reader.join(120)
    assert stats(running)["stream_tokens"] == 200_000 and running.state.answered == 6
