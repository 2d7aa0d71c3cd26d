"""The model list: `GET /v1/models` with the standard library, in a thread.

Why not httpx2, like every other request: the model list is the one request on the playground's
start-up path, and importing httpx2 and httpcore2 there costs ~50 ms of the interpreter's time, a
sixth of the start-up budget (bench/startup.py). With urllib, in a thread, the list is fetched
while the first screen paints, and httpx2 loads later, before the first send.

Behaves as the httpx2 pools do: proxies from the *_proxy variables, TLS verified against the
system's trust store, redirects not followed (a redirect is reported as the error it is). One
socket timeout, `Timeouts.connect`, covers connecting and each read: a catalog is small, and a server
silent for that long is reported as a timeout. Failures are worded by `failures.py`, exactly as
for every other request. Must not import Textual or httpx2.
"""

from __future__ import annotations

import asyncio
import dataclasses
import http.client
import json
import urllib.error
import urllib.request
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ..protocols.problems import ProtocolError
from ..protocols.routes import MODELS_PATH
from .failures import ApiErrorException
from .policy import Timeouts

if TYPE_CHECKING:
    from ..protocols.catalog import ModelInfo
    from .failures import TransportFailure

#: What every request of the playground says it is (the httpx2 pools use it too).
USER_AGENT = "pipellm-tui/0.1"
#: A model list is tens of kilobytes; a server that sends more than this is not sending one.
MAX_CATALOG_BYTES = 16 * 1024 * 1024


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # urllib then raises the 3xx as an HTTPError


_OPENER = urllib.request.build_opener(_NoRedirects)


async def list_models(base_url: str, api_key: str, timeouts: Timeouts | None = None) -> list[ModelInfo]:
    """The catalog at `base_url` (see `fetch_models`), fetched in a thread."""
    return await asyncio.to_thread(fetch_models, base_url, api_key, timeouts or Timeouts())


def fetch_models(base_url: str, api_key: str, timeouts: Timeouts | None = None) -> list[ModelInfo]:
    """The catalog at `base_url`: PipeLLM's unified schema, or an OpenAI- or Anthropic-style list
    from another server. Blocks; raises `ApiErrorException` for any failure."""
    from ..protocols.catalog import parse_models

    limit = (timeouts or Timeouts()).connect
    url = base_url.rstrip("/") + MODELS_PATH
    headers = {
        "authorization": f"Bearer {api_key}",
        "x-api-key": api_key,
        "accept": "application/json",
        "user-agent": USER_AGENT,
    }
    if urlsplit(url).scheme.lower() not in ("http", "https"):  # urllib would also do ftp: and file:
        raise ApiErrorException(_failure(ValueError("only http and https are spoken"), url, limit).error)
    try:
        with _OPENER.open(urllib.request.Request(url, headers=headers), timeout=limit) as response:
            status, content = response.status, response.read(MAX_CATALOG_BYTES + 1)
    except urllib.error.HTTPError as exc:  # a status >= 300: the server's own error body
        from ..protocols.errors import parse_error  # only when it failed: off the start-up path

        with exc:
            body = _read_quietly(exc)
        raise ApiErrorException(parse_error(exc.code, body, dict(exc.headers.items()))) from None
    except (OSError, ValueError, http.client.HTTPException) as exc:
        raise ApiErrorException(_failure(exc, url, limit).error) from None
    if len(content) > MAX_CATALOG_BYTES:
        from ..protocols.errors import network_error

        error = network_error(
            "invalid_response", f"{url} sent more than {MAX_CATALOG_BYTES:,} bytes: not a model list"
        )
        raise ApiErrorException(dataclasses.replace(error, status=status, retryable=False))
    try:
        return parse_models(json.loads(content))
    except (ValueError, ProtocolError) as exc:
        from ..protocols.errors import network_error

        error = network_error("invalid_response", f"{url} did not answer with a model list: {exc}")
        raw = content.decode("utf-8", errors="replace")
        raise ApiErrorException(dataclasses.replace(error, status=status, retryable=False, raw=raw)) from None


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
        return exc.read()
    except (OSError, http.client.HTTPException):  # the error body itself broke off
        return b""
