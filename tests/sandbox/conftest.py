"""Helpers for the sandbox's robustness tests: a sandbox whose log is really on, raw HTTP over a socket
(for what no HTTP client sends on purpose: a short body, half a head, nothing), and waiting for it."""

from __future__ import annotations

import json
import logging
import socket
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from pipellm_tui.sandbox.server import RunningSandbox

KEY = "pipe-sandbox"
_UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi")


@pytest.fixture
def logged_sandbox() -> Iterator[Callable[..., RunningSandbox]]:
    """`logged_sandbox(client_timeout=0.5, ...)`: a fresh sandbox with uvicorn logging at debug, so
    the test's `caplog` sees everything the server would log (uvicorn's own errors included)."""
    from pipellm_tui.sandbox.config import SandboxConfig
    from pipellm_tui.sandbox.server import start_in_thread

    levels = {name: logging.getLogger(name).level for name in _UVICORN_LOGGERS}
    started: list[RunningSandbox] = []

    def start(**settings: Any) -> RunningSandbox:
        running = start_in_thread(SandboxConfig(**settings), log_level="debug")
        started.append(running)
        return running

    yield start
    for running in started:
        running.stop()
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def raw_request(
    running: RunningSandbox,
    path: str,
    body: bytes,
    headers: dict[str, str] | None = None,
    content_length: int | None = None,
) -> bytes:
    """An HTTP/1.1 POST as bytes, with the chat format's key; `content_length` may lie."""
    lines = [f"POST {path} HTTP/1.1", f"host: 127.0.0.1:{running.port}", f"authorization: Bearer {KEY}"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    lines.append(f"content-length: {len(body) if content_length is None else content_length}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def chat_body(text: str = "hi", **extra: Any) -> bytes:
    return json.dumps({"model": "gpt-4o", "messages": [{"role": "user", "content": text}], **extra}).encode()


def connect(running: RunningSandbox, timeout: float = 15.0) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", running.port), timeout=timeout)
    return sock


def read_until_closed(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (socket.timeout if it never does)."""
    out = b""
    while chunk := sock.recv(65536):
        out += chunk
    return out


def stats(running: RunningSandbox) -> dict[str, Any]:
    return dict(running.state.stats())


def wait_until(condition: Callable[[], bool], timeout: float = 15.0) -> bool:
    """Poll `condition` until it holds (True) or `timeout` passes (False). Not a timing assertion:
    the timeout only keeps a broken server from hanging the suite."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True
