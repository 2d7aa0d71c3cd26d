"""What a request to the sandbox is aimed at, and whether it may pass: path, key, protocol guard.

Owns resolving a path against the route table (protocols/routes.ROUTES), reading the key the way
each format sends it, and the wording of the 401 and protocol-guard messages. Pure functions over a
method, a path, headers and a query: imports protocols only (no starlette).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from ..protocols.formats import Family, Format, RouteKind
from ..protocols.routes import MODELS_PATH, ROUTES, Route, route_for

EXCHANGES_PREFIX = "/_sandbox/exchanges/"
STATS_PATH = "/_sandbox/stats"


class Special(Enum):
    MODELS = "models"
    EXCHANGES = "exchanges"
    STATS = "stats"


@dataclass(frozen=True, slots=True)
class Target:
    """A model route (`route` set) or a special endpoint (`special` set)."""

    route: Route | None = None
    special: Special | None = None
    #: Gemini carries the model in the path.
    path_model: str | None = None
    #: Gemini streams on its own path; the others say `"stream": true` in the body.
    stream_path: bool = False
    #: For `/_sandbox/exchanges/{request_id}`.
    request_id: str | None = None

    @property
    def method(self) -> str:
        return "GET" if self.special is not None else "POST"


def _gemini_methods(route: Route) -> dict[str, bool]:
    """`{"generateContent": False, "streamGenerateContent": True}` read from the route table."""
    out = {route.path.rsplit(":", 1)[1]: False}
    if route.stream_path:
        out[route.stream_path.split("?", 1)[0].rsplit(":", 1)[1]] = True
    return out


_EXACT: dict[str, Route] = {}
_GEMINI: list[tuple[str, Route, dict[str, bool]]] = []
for _route in ROUTES.values():
    if "{model}" in _route.path:
        _GEMINI.append((_route.prefix + _route.path.split("{model}", 1)[0], _route, _gemini_methods(_route)))
    else:
        _EXACT[_route.prefix + _route.path] = _route
# Longest prefix first, so "/gemini/v1beta/models/" is not taken for "/v1beta/models/".
_GEMINI.sort(key=lambda item: -len(item[0]))


def resolve(path: str) -> Target | None:
    if len(path) > 1:
        path = path.rstrip("/")
    if path == MODELS_PATH:
        return Target(special=Special.MODELS)
    if path == STATS_PATH:
        return Target(special=Special.STATS)
    if path.startswith(EXCHANGES_PREFIX):
        return Target(special=Special.EXCHANGES, request_id=path[len(EXCHANGES_PREFIX) :])
    exact = _EXACT.get(path)
    if exact is not None:
        return Target(route=exact)
    for prefix, route, methods in _GEMINI:
        if path.startswith(prefix):
            model, colon, method = path[len(prefix) :].rpartition(":")
            if colon and model and "/" not in model and method in methods:
                return Target(route=route, path_model=model, stream_path=methods[method])
    return None


# ---------------------------------------------------------------------------- keys

BEARER = "authorization"
X_API_KEY = "x-api-key"
X_GOOG_API_KEY = "x-goog-api-key"
QUERY_KEY = "?key="

#: Where each format's routes read the key, in the order they are tried.
KEY_SOURCES: dict[Format, tuple[str, ...]] = {
    Format.OPENAI_CHAT: (BEARER,),
    Format.OPENAI_RESPONSES: (BEARER,),
    Format.ANTHROPIC: (X_API_KEY, BEARER),
    Format.GEMINI: (X_GOOG_API_KEY, QUERY_KEY),
}
MODELS_KEY_SOURCES = (BEARER, X_API_KEY)

_SHOWN = {
    BEARER: "Authorization: Bearer <key>",
    X_API_KEY: "x-api-key: <key>",
    X_GOOG_API_KEY: "x-goog-api-key: <key>",
    QUERY_KEY: "?key=<key>",
}


def _read(source: str, headers: Mapping[str, str], query: Mapping[str, str]) -> str | None:
    if source == QUERY_KEY:
        return query.get("key") or None
    value = headers.get(source)
    if value is None:
        return None
    if source == BEARER:
        scheme, _, token = value.strip().partition(" ")
        if scheme.lower() != "bearer":
            return None
        return token.strip() or None
    return value.strip() or None


def presented_key(
    sources: tuple[str, ...], headers: Mapping[str, str], query: Mapping[str, str]
) -> tuple[str | None, str | None]:
    """(key from an accepted source, or None; any key seen anywhere, for the rate-limit headers)."""
    for source in sources:
        key = _read(source, headers, query)
        if key is not None:
            return key, key
    for source in _SHOWN:
        key = _read(source, headers, query)
        if key is not None:
            return None, key
    return None, None


def missing_key_message(
    sources: tuple[str, ...], headers: Mapping[str, str], query: Mapping[str, str]
) -> str:
    expected = " or ".join(f"`{_SHOWN[s]}`" for s in sources)
    elsewhere = [s for s in _SHOWN if s not in sources and _read(s, headers, query) is not None]
    hint = ""
    if elsewhere:
        hint = f" A key was sent as `{_SHOWN[elsewhere[0]]}`, which this route does not read."
    return f"Missing API key. This route expects {expected}.{hint}"


# ---------------------------------------------------------------------------- protocol guard

_MODEL_IS = {
    Family.OPENAI: "an OpenAI-compatible model",
    Family.ANTHROPIC: "an Anthropic model",
    Family.GEMINI: "a Gemini model",
}
_ROUTES_TO = {
    Family.OPENAI: "OpenAI-compatible models",
    Family.ANTHROPIC: "Anthropic models",
    Family.GEMINI: "Gemini models",
}


def guard_message(route: Route, model: str, family: Family, stream: bool) -> str:
    """Why a native route refuses a model of another family, and which converter route to use."""
    here = route.url_path(model, stream).split("?", 1)[0]
    converter = route_for(route.format, RouteKind.CONVERTER)
    if converter.available:
        advice = (
            f"Use the converter route {converter.url_path(model, stream).split('?', 1)[0]} "
            f"to call it in {route.format.label} format."
        )
    else:
        chat = route_for(Format.OPENAI_CHAT, RouteKind.CONVERTER)
        advice = (
            f"The {route.format.label} converter is not available yet; use the OpenAI Chat Completions "
            f"converter route {chat.url_path(model)} to call it."
        )
    return f"Model {model} is {_MODEL_IS[family]}; {here} only routes to {_ROUTES_TO[route.format.family]}. {advice}"
