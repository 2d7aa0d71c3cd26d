"""The model list: `GET /v1/models` with the standard library, in a thread.

Why not httpx2, like every other request: the model list is the one request on the playground's
start-up path, and importing httpx2 and httpcore2 there costs ~50 ms of the interpreter's time, a
sixth of the start-up budget (bench/startup.py). With urllib, in a thread, the list is fetched
while the first screen paints, and httpx2 loads later, before the first send.

Behaves as the httpx2 pools do: proxies from the *_proxy variables, TLS verified against the
system's trust store, redirects not followed (a redirect is reported as the error it is, with its target). One
socket timeout, `Timeouts.connect` (or `idle` when shorter), covers connecting and each read: a
catalog is small, and a server silent for that long is reported as a timeout. A server that
trickles its answer is cut off at `Timeouts.models_total`: a timer shuts the socket down from
outside, since urllib cannot be interrupted otherwise. Failures are worded by `failures.py`,
exactly as for every other request. Must not import Textual or httpx2.
"""

from __future__ import annotations

import asyncio
import dataclasses
import http.client
import json
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..protocols.problems import ProtocolError
from ..protocols.routes import ANTHROPIC_AUTH, BEARER, MODELS_PATH
from .failures import ApiErrorException
from .policy import Timeouts

if TYPE_CHECKING:
    from ..protocols.catalog import ModelInfo
    from ..protocols.errors import ApiError
    from .failures import TransportFailure

#: What every request of the playground says it is (the httpx2 pools use it too).
USER_AGENT = "pipellm-tui/0.1"
#: A model list is tens of kilobytes; a server that sends more than this is not sending one.
MAX_CATALOG_BYTES = 16 * 1024 * 1024


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # urllib then raises the 3xx as an HTTPError


class _Sockets:
    """The sockets one fetch opened, so its deadline can shut them from the timer's thread: the
    blocked read in the fetching thread then returns at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: list[socket.socket] = []
        self.expired = False

    def track(self, connection: Callable[..., http.client.HTTPConnection]) -> Callable[..., Any]:
        def make(host: str, **kwargs: Any) -> http.client.HTTPConnection:
            conn = connection(host, **kwargs)
            connect = conn.connect

            def connect_and_track() -> None:
                connect()
                with self._lock:
                    self._open.append(conn.sock)
                    if self.expired:
                        _shut(conn.sock)

            conn.connect = connect_and_track  # type: ignore[method-assign]
            return conn

        return make

    def expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._open:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    # Through a duplicate of the descriptor: shutting a TLS socket's own object from another
    # thread would race with its SSL state; the kernel socket is the same either way.
    try:
        with socket.socket(fileno=socket.dup(sock.fileno())) as dup:
            dup.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed


def _opener(sockets: _Sockets) -> urllib.request.OpenerDirector:
    # `do_open` is where both handlers name their connection class, whatever the Python version.
    class Http(urllib.request.HTTPHandler):
        def do_open(self, http_class: Any, req: urllib.request.Request, **kwargs: Any) -> Any:
            return super().do_open(sockets.track(http_class), req, **kwargs)

    class Https(urllib.request.HTTPSHandler):
        def do_open(self, http_class: Any, req: urllib.request.Request, **kwargs: Any) -> Any:
            return super().do_open(sockets.track(http_class), req, **kwargs)

    return urllib.request.build_opener(_NoRedirects, Http, Https)


async def list_models(base_url: str, api_key: str, timeouts: Timeouts | None = None) -> list[ModelInfo]:
    """The catalog at `base_url` (see `fetch_models`), fetched in a daemon thread: cancelling
    (Ctrl-C) returns at once rather than waiting for the thread, which ends by its deadline."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future[list[ModelInfo]] = loop.create_future()

    def settle(result: list[ModelInfo] | None, error: BaseException | None) -> None:
        if done.done():
            return
        if error is not None:
            done.set_exception(error)
        else:
            done.set_result(result or [])

    def fetch() -> None:
        try:
            result, error = fetch_models(base_url, api_key, timeouts or Timeouts()), None
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting coroutine
            result, error = None, exc
        try:
            loop.call_soon_threadsafe(settle, result, error)
        except RuntimeError:  # the loop is gone: nobody waits any more
            pass

    threading.Thread(target=fetch, name="pipellm-models", daemon=True).start()
    return await done


def fetch_models(base_url: str, api_key: str, timeouts: Timeouts | None = None) -> list[ModelInfo]:
    """The catalog at `base_url`: PipeLLM's unified schema, or an OpenAI- or Anthropic-style list
    from another server. Blocks; raises `ApiErrorException` for any failure."""
    from ..protocols.catalog import parse_models

    timeouts = timeouts or Timeouts()
    limit = min(timeouts.connect, timeouts.idle or timeouts.connect)
    url = base_url.rstrip("/") + MODELS_PATH
    headers = {"accept": "application/json", "user-agent": USER_AGENT}
    if api_key:  # no key, no auth headers: an empty "Bearer " is illegal, and the server's 401 says it
        headers.update({**BEARER.headers(api_key), ANTHROPIC_AUTH.header: api_key})
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError as exc:  # "http://[::1": urlsplit itself refuses it
        raise ApiErrorException(_failure(exc, url, limit).error) from None
    if scheme not in ("http", "https"):  # urllib would also do ftp: and file:
        raise ApiErrorException(_failure(ValueError("only http and https are spoken"), url, limit).error)
    sockets = _Sockets()
    deadline = threading.Timer(timeouts.models_total, sockets.expire)
    deadline.daemon = True
    deadline.start()
    try:
        with _opener(sockets).open(urllib.request.Request(url, headers=headers), timeout=limit) as response:
            status, content = response.status, response.read(MAX_CATALOG_BYTES + 1)
    except urllib.error.HTTPError as exc:  # a status >= 300: the server's own error body
        with exc:
            body = _read_quietly(exc)
        raise ApiErrorException(_http_error(url, exc.code, body, dict(exc.headers.items()))) from None
    except (OSError, ValueError, OverflowError, http.client.HTTPException) as exc:
        if sockets.expired:
            raise ApiErrorException(_expired(url, timeouts)) from None
        raise ApiErrorException(_failure(exc, url, limit).error) from None
    finally:
        deadline.cancel()
    if sockets.expired:  # a body of unknown length ends quietly when its socket is shut
        raise ApiErrorException(_expired(url, timeouts))
    if len(content) > MAX_CATALOG_BYTES:
        from ..protocols.errors import network_error

        error = network_error(
            "invalid_response", f"{url} sent more than {MAX_CATALOG_BYTES:,} bytes: not a model list"
        )
        raise ApiErrorException(dataclasses.replace(error, status=status, retryable=False))
    try:
        return parse_models(json.loads(content))
    except RecursionError:  # `[[[[...]]]]` deeper than Python's stack
        raise ApiErrorException(
            _not_a_list(url, "the JSON is nested too deeply to read", status, content)
        ) from None
    except (ValueError, ProtocolError) as exc:
        raise ApiErrorException(_not_a_list(url, str(exc), status, content)) from None


def _not_a_list(url: str, why: str, status: int, content: bytes) -> ApiError:
    from ..protocols.errors import network_error

    error = network_error("invalid_response", f"{url} did not answer with a model list: {why}")
    raw = content.decode("utf-8", errors="replace")
    return dataclasses.replace(error, status=status, retryable=False, raw=raw)


def _http_error(url: str, status: int, body: bytes, headers: dict[str, str]) -> ApiError:
    """A status >= 300: a redirect (reported with its target, never followed) or the server's error."""
    if status < 400:
        from .failures import redirected

        location = next((v for k, v in headers.items() if k.lower() == "location"), None)
        return redirected(url, status, location, body.decode("utf-8", errors="replace"))
    from ..protocols.errors import parse_error  # only when it failed: off the start-up path

    return parse_error(status, body, headers)


def _expired(url: str, timeouts: Timeouts) -> ApiError:
    from .failures import timed_out

    return timed_out(url, "models_total", timeouts.models_total, after_head=False)


def _failure(exc: BaseException, url: str, limit: float) -> TransportFailure:
    """urllib's exceptions, classified as `httpx_failures` classifies httpx2's."""
    from .failures import connect_timeout, hung_up, not_connected, other_failure, read_timeout, unusable_url

    if isinstance(exc, urllib.error.URLError):  # raised while connecting or sending
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            return connect_timeout(url, limit)
        if isinstance(reason, OSError):
            return not_connected(url, reason)
        return unusable_url(url, exc)  # "unknown url type", "no host given"
    if isinstance(exc, TimeoutError):  # the head or the body did not come in time
        return read_timeout(url, limit)
    if isinstance(exc, (http.client.InvalidURL, ValueError)):
        return unusable_url(url, exc)
    if isinstance(exc, (http.client.HTTPException, ConnectionError)):
        return hung_up(url, exc)
    return other_failure(url, exc)


def _read_quietly(exc: urllib.error.HTTPError) -> bytes:
    try:
        return exc.read(MAX_CATALOG_BYTES)  # an error page is small; a flood is cut
    except (OSError, http.client.HTTPException):  # the error body itself broke off
        return b""
