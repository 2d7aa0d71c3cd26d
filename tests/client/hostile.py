"""Hostile and broken servers on 127.0.0.1, for the client's trust tests: each answers every
request with what a script says (status, headers, body chunks with pauses) and records what it was
sent. Bodies are generated lazily, so a 100 MB answer never sits in the test's memory."""

from __future__ import annotations

import functools
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from ..loopback import serving

#: A body: an iterable of chunks; a float in it is a pause of that many seconds.
Body = Callable[[], Iterable[bytes | float]]


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]


@dataclass
class Script:
    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"content-type": "application/json"})
    body: Body = lambda: [b"{}"]
    #: Seconds to wait before sending the head (a server that thinks, or hangs).
    head_delay: float = 0.0
    seen: list[Seen] = field(default_factory=list)


@contextmanager
def hostile(script: Script) -> Iterator[str]:
    """Serve `script` (HTTP/1.0: the body ends when the connection closes, unless the script
    gives a content-length); yields the base URL. The server stops writing when the client hangs up."""
    stop = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            if length:
                self.rfile.read(length)
            script.seen.append(Seen(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}))
            if script.head_delay:
                stop.wait(script.head_delay)
            self.send_response(script.status)
            for name, value in script.headers.items():
                self.send_header(name, value)
            self.end_headers()
            try:
                for piece in script.body():
                    if stop.is_set():
                        return
                    if isinstance(piece, float):
                        time.sleep(piece)
                    else:
                        self.wfile.write(piece)
                        self.wfile.flush()
            except OSError:  # the client hung up: what a cut-off is for
                return

        do_GET = do_POST = _answer

        def log_message(self, *args: Any) -> None:
            pass

    with serving(Handler) as base_url:
        try:
            yield base_url
        finally:
            stop.set()


@functools.cache
def gzip_bomb(inflated: int) -> bytes:
    """A gzip body that inflates to `inflated` zero bytes, built a megabyte at a time."""
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = bytes(1024 * 1024)
    parts = [packer.compress(block) for _ in range(inflated // len(block))]
    return b"".join(parts) + packer.flush()


def lazy_bytes(total: int, chunk: int = 1024 * 1024) -> Body:
    """`total` bytes of `x`, one chunk at a time."""

    def body() -> Iterator[bytes]:
        piece = b"x" * chunk
        for _ in range(total // chunk):
            yield piece

    return body


def forever(piece: bytes, pause: float) -> Body:
    """`piece` every `pause` seconds until the client hangs up."""

    def body() -> Iterator[bytes | float]:
        while True:
            yield piece
            yield pause

    return body


def deep_json(depth: int = 100_000) -> bytes:
    return b"[" * depth + b"]" * depth
