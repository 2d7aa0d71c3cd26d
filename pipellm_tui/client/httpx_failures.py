"""httpx2's transport exceptions, classified onto the failures of `failures.py`.

Owns which httpx2 exception means what (a refused connection, a timeout, a bad URL, a server that
hung up, a body cut short); the words live in `failures.py`. Must not import Textual.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import httpx2

from ..protocols.errors import ApiError, network_error
from .failures import (
    TransportFailure,
    connect_timeout,
    hung_up,
    not_connected,
    not_sendable,
    other_failure,
    read_timeout,
    unusable_url,
)

TRANSPORT_ERRORS: tuple[type[Exception], ...] = (httpx2.TransportError, httpx2.InvalidURL)
"""What `httpx2` raises for network and URL problems (as opposed to programming errors)."""


def describe_transport_error(exc: Exception, url: str, timeout_hint: float | None = None) -> TransportFailure:
    """Classify an exception raised while connecting, sending or reading the head of a response.

    Errors while reading a stream body are `stream_interrupted` instead (see `interrupted`)."""
    if isinstance(exc, httpx2.ConnectTimeout):
        return connect_timeout(url, timeout_hint)
    if isinstance(exc, httpx2.TimeoutException):
        return read_timeout(url, timeout_hint)
    if isinstance(exc, httpx2.ConnectError):
        return not_connected(url, exc)
    if isinstance(exc, (httpx2.UnsupportedProtocol, httpx2.InvalidURL)):
        return unusable_url(url, exc)
    if isinstance(exc, httpx2.RemoteProtocolError):
        return hung_up(url, exc)
    if isinstance(exc, httpx2.LocalProtocolError):
        return not_sendable(url, exc)
    return other_failure(url, exc)


def unexpected(url: str, exc: Exception) -> ApiError:
    """The last guard of `send`: an exception nothing above expected, still as a value. anyio wraps
    what fails while connecting in an ExceptionGroup (a port out of range is an OverflowError)."""
    leaves = list(_leaves(exc))
    for leaf in leaves:
        if isinstance(leaf, TRANSPORT_ERRORS):
            return describe_transport_error(leaf, url).error
    if all(isinstance(leaf, (ValueError, OverflowError, UnicodeError)) for leaf in leaves):
        return unusable_url(url, leaves[0]).error
    failure = other_failure(url, leaves[0])
    return dataclasses.replace(failure.error, retryable=False)


def _leaves(exc: BaseException) -> Iterator[BaseException]:
    if isinstance(exc, BaseExceptionGroup):
        for inner in exc.exceptions:
            yield from _leaves(inner)
    else:
        yield exc


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
