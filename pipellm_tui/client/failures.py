"""Turning what went wrong on the wire into an `ApiError` the UI can show.

Owns the mapping from httpx2's transport exceptions (refused, DNS, timeouts, a body cut short, a
bad URL) to the error types of `protocols.errors`, and `ApiErrorException` for the calls that raise
rather than yield (`list_models`). Must not import Textual.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass

import httpx2

from ..protocols.errors import ApiError, network_error

_DNS_HINTS = (
    "name or service not known",
    "nodename nor servname",
    "temporary failure in name resolution",
    "getaddrinfo failed",
    "no address associated",
    "name resolution",
)


class ApiErrorException(Exception):
    """Raised by calls that return a value (not an event stream) when the server or the network
    failed; `.error` is the same structured `ApiError` a `Failure` event carries."""

    def __init__(self, error: ApiError) -> None:
        self.error = error
        super().__init__(f"{error.status or error.type}: {error.message}")


@dataclass(frozen=True, slots=True)
class TransportFailure:
    error: ApiError
    #: No connection was made, so nothing reached the server (safe to retry).
    connect_failed: bool


def describe_transport_error(exc: Exception, url: str, timeout_hint: float | None = None) -> TransportFailure:
    """Classify an exception raised while connecting, sending or reading the head of a response.

    Errors while reading a stream body are `stream_interrupted` instead (see `interrupted`)."""
    where = _host_of(url)
    if isinstance(exc, httpx2.ConnectTimeout):
        limit = f" within {timeout_hint:g} s" if timeout_hint else ""
        return TransportFailure(network_error("timeout", f"Could not connect to {where}{limit}."), True)
    if isinstance(exc, httpx2.TimeoutException):
        limit = f" for {timeout_hint:g} s" if timeout_hint else ""
        return TransportFailure(network_error("timeout", f"{where} sent nothing{limit}."), False)
    if isinstance(exc, httpx2.ConnectError):
        text = " ".join(str(e) for e in _chain(exc)).lower()
        refused = any(isinstance(e, ConnectionRefusedError) for e in _chain(exc))
        if any(hint in text for hint in _DNS_HINTS):
            return TransportFailure(
                network_error("network_error", f"Could not resolve the host of {where}: {exc}"), True
            )
        if refused or "refused" in text or "errno 111" in text:
            return TransportFailure(
                network_error("connection_refused", f"Connection refused by {where}: is the server running?"),
                True,
            )
        return TransportFailure(network_error("network_error", f"Could not connect to {where}: {exc}"), True)
    if isinstance(exc, (httpx2.UnsupportedProtocol, httpx2.InvalidURL)):
        message = f"Not a usable URL: {url!r} ({exc}). It should start with http:// or https://"
        # Retrying cannot fix a typo in the URL.
        return TransportFailure(
            dataclasses.replace(network_error("network_error", message), retryable=False), False
        )
    if isinstance(exc, httpx2.RemoteProtocolError):
        return TransportFailure(
            network_error("network_error", f"{where} closed the connection before answering: {exc}"), False
        )
    return TransportFailure(
        network_error("network_error", f"Talking to {where} failed: {exc or type(exc).__name__}"), False
    )


def interrupted(exc: Exception | None, events_seen: int, expected: str | None) -> ApiError:
    """The body of a stream ended early: a transport error mid-body, or a clean end without the
    format's terminator (`expected` names it)."""
    if isinstance(exc, httpx2.TimeoutException):
        cause = "the server went silent for longer than the read timeout"
    elif exc is not None:
        cause = f"the connection broke ({exc or type(exc).__name__})"
    else:
        cause = f"the body ended without {expected}" if expected else "the body ended early"
    return network_error(
        "stream_interrupted",
        f"The stream was cut off after {events_seen} event(s): {cause}. What arrived is kept.",
    )


def body_cut(exc: Exception) -> ApiError:
    """A whole (non-streaming) body broke off before it was complete."""
    if isinstance(exc, httpx2.TimeoutException):
        cause = "the server went silent for longer than the read timeout"
    else:
        cause = f"the connection broke ({exc or type(exc).__name__})"
    return network_error(
        "stream_interrupted", f"The response body was cut off before it was complete: {cause}."
    )


TRANSPORT_ERRORS: tuple[type[Exception], ...] = (httpx2.TransportError, httpx2.InvalidURL)
"""What `httpx2` raises for network and URL problems (as opposed to programming errors)."""


def _host_of(url: str) -> str:
    try:
        parsed = httpx2.URL(url)
    except (httpx2.InvalidURL, ValueError, TypeError):  # a bad URL still deserves a message
        return url
    return (
        f"{parsed.scheme}://{parsed.host}{f':{parsed.port}' if parsed.port else ''}" if parsed.host else url
    )


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception and its causes: httpx2 wraps the OSError that says "refused"."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__
