"""A plan: exactly what will be sent (method, URL, headers, body), inspectable before sending.

The UI shows plans and never builds URLs, headers or bodies itself. Must not import Textual.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from ..protocols.fields import MODEL_IN_BODY, without_playground_hints
from ..protocols.formats import Format, RouteKind
from ..protocols.routes import Route, route_for

MASK = "••••"
KEY_PREFIX = "pipe-"


def mask_secret(secret: str) -> str:
    """A key's shape without the key. PipeLLM keys look like `pipe-<random>`; the `pipe-` prefix is
    no secret and says which kind of key it is. Of the rest, the last 4 characters are shown only
    when at least 12 stay hidden, so a short key is never shown whole or nearly so."""
    if not secret:
        return ""
    prefix = KEY_PREFIX if secret.startswith(KEY_PREFIX) else ""
    rest = secret[len(prefix) :]
    if len(rest) >= 16:
        return f"{prefix}{MASK}{rest[-4:]}"
    return f"{prefix}{MASK}"


def base_url_problem(base_url: str) -> str | None:
    """What is wrong with `base_url` as an API base URL, in words (None when it is usable): checked
    before anything is sent, so a typo is a usage error rather than a network failure."""
    if not base_url.strip():
        return "the base URL is empty"
    try:
        parts = urlsplit(base_url)
        port = parts.port
    except ValueError as exc:  # "Invalid IPv6 URL", "Port out of range 0-65535", a port not a number
        return f"{base_url!r} is not a valid URL ({exc})"
    if parts.scheme.lower() not in ("http", "https"):
        return f"{base_url!r} should start with http:// or https://"
    if not parts.hostname:
        return f"{base_url!r} names no host"
    if port == 0:
        return f"{base_url!r}: port 0 is not a port to connect to"
    if any(c.isspace() for c in base_url.strip()):
        return f"{base_url!r} contains white space"
    return None


class PlanError(ValueError):
    """The request cannot be planned (an unavailable route, no model); the message says why."""


@dataclass(frozen=True, slots=True)
class Plan:
    method: str
    url: str
    #: The real headers, key included: for sending only, never for display, history or export.
    headers: dict[str, str] = field(repr=False)
    body: dict[str, Any] | None
    format: Format
    route: Route
    model: str
    stream: bool
    #: The header that carries the key, so it can be masked.
    secret_header: str | None = None

    @property
    def sends_key(self) -> bool:
        """Whether the request carries an API key (none was given: no auth header at all)."""
        return self.secret_header is not None and self.secret_header in self.headers

    @property
    def masked_headers(self) -> dict[str, str]:
        out = dict(self.headers)
        if self.secret_header and self.secret_header in out:
            value = out[self.secret_header]
            prefix = self.route.auth.prefix
            key = value.removeprefix(prefix)
            out[self.secret_header] = prefix + mask_secret(key)
        return out

    def __repr__(self) -> str:  # never leak the key through a repr in a log or traceback
        return f"Plan({self.method} {self.url}, format={self.format}, model={self.model!r}, stream={self.stream})"


def make_plan(
    base_url: str,
    api_key: str,
    fmt: Format | str,
    kind: RouteKind | str,
    model: str,
    body: dict[str, Any],
    extra_headers: dict[str, str] | None = None,
) -> Plan:
    """Plan a call. The body's own `model` (OpenAI, Anthropic) is set to `model`; Gemini's goes in the
    path. Streaming follows the body's `stream` flag, or for Gemini the `stream` argument in
    `body` is not part of the wire format, so a Gemini body may carry `"stream": true` as a
    playground-only hint that is removed before sending."""
    route = route_for(fmt, kind)
    if not route.available:
        raise PlanError(route.note)
    if not model:
        raise PlanError("No model chosen: pick one in the model list or put it in the request.")
    stream = bool(body.get("stream", False))
    wire = copy.deepcopy(without_playground_hints(route.format, body))
    if route.format in MODEL_IN_BODY:
        wire["model"] = model
    headers = {
        "content-type": "application/json",
        "accept": "text/event-stream" if stream else "application/json",
    }
    if api_key:
        headers.update(route.auth.headers(api_key))
    else:  # no key, no auth header: an empty one is illegal ("Bearer "), and the server's 401 says it
        headers.update(route.auth.extra)
    if extra_headers:
        headers.update(extra_headers)
    return Plan(
        method="POST",
        url=route.url(base_url, model, stream),
        headers=headers,
        body=wire,
        format=route.format,
        route=route,
        model=model,
        stream=stream,
        secret_header=route.auth.header,
    )
