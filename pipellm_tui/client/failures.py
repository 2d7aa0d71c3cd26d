"""What went wrong on the wire, in words: one `ApiError` per way a connection can fail.

Owns the wording for refused connections, unknown hosts, timeouts, unusable URLs and servers that
hang up, and `ApiErrorException` for the calls that raise rather than yield (`list_models`). Two
callers classify their own exceptions onto these: `httpx_failures.py` (httpx2, every request) and
`catalog.py` (the standard library, the model list). Must not import Textual or httpx2.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from ..protocols.errors import ApiError

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


def connect_timeout(url: str, limit: float | None) -> TransportFailure:
    within = f" within {limit:g} s" if limit else ""
    return TransportFailure(_network_error("timeout", f"Could not connect to {host_of(url)}{within}."), True)


def read_timeout(url: str, limit: float | None) -> TransportFailure:
    during = f" for {limit:g} s" if limit else ""
    return TransportFailure(_network_error("timeout", f"{host_of(url)} sent nothing{during}."), False)


def not_connected(url: str, exc: BaseException) -> TransportFailure:
    """Connecting failed: an unknown host, a refused connection, or another reason (in `exc`)."""
    where = host_of(url)
    text = " ".join(str(e) for e in causes(exc)).lower()
    if any(hint in text for hint in _DNS_HINTS):
        return TransportFailure(
            _network_error("network_error", f"Could not resolve the host of {where}: {exc}"), True
        )
    refused = any(isinstance(e, ConnectionRefusedError) for e in causes(exc))
    if refused or "refused" in text or "errno 111" in text:
        return TransportFailure(
            _network_error("connection_refused", f"Connection refused by {where}: is the server running?"),
            True,
        )
    return TransportFailure(_network_error("network_error", f"Could not connect to {where}: {exc}"), True)


def unusable_url(url: str, exc: BaseException) -> TransportFailure:
    message = f"Not a usable URL: {url!r} ({exc}). It should start with http:// or https://"
    # Retrying cannot fix a typo in the URL.
    return TransportFailure(
        dataclasses.replace(_network_error("network_error", message), retryable=False), False
    )


def not_sendable(url: str, exc: BaseException) -> TransportFailure:
    """The request itself cannot go on the wire (a header value HTTP does not allow): retrying
    cannot fix it, and nothing was sent."""
    message = (
        f"The request to {host_of(url)} could not be sent: {exc}. A header has characters HTTP does "
        "not allow: check the API key and extra headers for spaces, line breaks or non-ASCII text."
    )
    return TransportFailure(
        dataclasses.replace(_network_error("network_error", message), retryable=False), False
    )


def hung_up(url: str, exc: BaseException) -> TransportFailure:
    return TransportFailure(
        _network_error("network_error", f"{host_of(url)} closed the connection before answering: {exc}"),
        False,
    )


def other_failure(url: str, exc: BaseException) -> TransportFailure:
    return TransportFailure(
        _network_error("network_error", f"Talking to {host_of(url)} failed: {exc or type(exc).__name__}"),
        False,
    )


#: How each of `Timeouts`' limits is named to the user, with the setting that changes it.
_LIMIT_NAMES = {
    "first_byte": "first-byte timeout (Timeouts.first_byte)",
    "idle": "idle timeout between events (Timeouts.idle, --idle-timeout)",
    "total": "total deadline (Timeouts.total, --timeout)",
    "models_total": "deadline of the model list (Timeouts.models_total, --timeout)",
}


def timed_out(url: str, which: str, limit: float, *, after_head: bool) -> ApiError:
    """A limit of `Timeouts` ended the call (`which` is the field's name)."""
    name = _LIMIT_NAMES.get(which, which)
    if which == "idle":
        what = f"{host_of(url)} sent no event for {limit:g} s"
    elif which == "first_byte":
        what = f"{host_of(url)} sent no response within {limit:g} s"
    else:
        what = f"The call to {host_of(url)} did not finish within {limit:g} s"
    kept = " What arrived is kept." if after_head else ""
    return _network_error("timeout", f"{what}: the {name} ended it.{kept}")


def too_large(url: str, limit: int) -> ApiError:
    """An answer passed `Limits.max_body_bytes` (counted after decompression)."""
    message = (
        f"{host_of(url)} sent more than {_size(limit)} (after decompression): reading stopped at the "
        "limit on response bodies (Limits.max_body_bytes). What arrived before it is kept."
    )
    return dataclasses.replace(_network_error("invalid_response", message), retryable=False)


def redirected(url: str, status: int, location: str | None, raw: str = "") -> ApiError:
    """A 3xx: never followed, because the request carries the API key and the target may be
    another host; the user decides whether to use the target as the base URL."""
    from ..protocols.errors import ApiError

    target = f" to {location}" if location else " (with no Location header)"
    message = (
        f"{host_of(url)} answered {status} and redirects{target}. Redirects are not followed, so "
        "the API key is never sent on to another address: if the target is right, use it as the base URL."
    )
    return ApiError(status, "redirect", str(status), message, False, None, raw)


def _size(n: int) -> str:
    if n >= 1024 * 1024 and n % (1024 * 1024) == 0:
        return f"{n // (1024 * 1024)} MB"
    return f"{n:,} bytes"


def _network_error(kind: str, message: str) -> ApiError:
    # Imported when something failed: `ApiErrorException` is on the start-up path, the wording
    # of errors (and its regexes) need not be.
    from ..protocols.errors import network_error

    return network_error(kind, message)


def host_of(url: str) -> str:
    """scheme://host[:port] of `url`, for messages; a URL that does not parse is shown whole."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except (ValueError, TypeError):  # a bad URL still deserves a message
        return url
    if not parts.hostname:
        return url
    return f"{parts.scheme}://{parts.hostname}{f':{port}' if port else ''}"


def causes(exc: BaseException) -> Iterator[BaseException]:
    """The exception and its causes: transports wrap the OSError that says "refused"."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__
