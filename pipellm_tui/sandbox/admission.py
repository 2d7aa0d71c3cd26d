"""What a request to the sandbox is aimed at, and whether it may pass: path, key, protocol guard.

Owns resolving a path against the route table (protocols/routes.ROUTES), reading the key the way
each format sends it, and the wording of the 401 and protocol-guard messages. Pure functions over a
method, a path, headers and a query: imports protocols only (no starlette).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from ..protocols import routes
from ..protocols.formats import Family, Format, RouteKind
from ..protocols.routes import MODELS_PATH, ROUTES, Route, route_for

EXCHANGES_PREFIX = "/_sandbox/exchanges/"
STATS_PATH = "/_sandbox/stats"


class Special(Enum):
    MODELS = "models"
    EXCHANGES = "exchanges"
    #: Gemini's own model list or one model (`GET /v1beta/models[/{model}]`), what google-genai reads.
    GEMINI_MODELS = "gemini-models"
    #: A known API endpoint the sandbox does not serve (embeddings, token counting, batches, ...).
    UNSUPPORTED = "unsupported"
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
    #: Gemini model listing: the converter's prefix lists every family, the native route Gemini's.
    converter: bool = False
    #: For UNSUPPORTED: what the endpoint is.
    what: str = ""

    @property
    def method(self) -> str:
        if self.special is Special.UNSUPPORTED:
            return "POST"
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
# google-genai calls `/v1/...` by default (api_version="v1"): the same routes answer there too.
_GEMINI += [(prefix.replace("/v1beta/", "/v1/"), route, methods) for prefix, route, methods in list(_GEMINI)]
# Longest prefix first, so "/gemini/v1beta/models/" is not taken for "/v1beta/models/".
_GEMINI.sort(key=lambda item: -len(item[0]))
_GEMINI_LISTS = {
    "/v1beta/models": False,
    "/v1/models": False,
    "/gemini/v1beta/models": True,
    "/gemini/v1/models": True,
}

#: Endpoints of the vendors' APIs that PipeLLM's public docs do not list: a clear 404 each.
_UNSUPPORTED_SUFFIXES = {
    "/embeddings": "Embeddings",
    "/messages/count_tokens": "Token counting",
    "/responses/input_tokens": "Token counting",
    "/batches": "Batches",
    "/messages/batches": "Batches",
    "/files": "Files",
    "/completions": "Legacy completions",
    "/images/generations": "Image generation",
    "/audio/transcriptions": "Audio transcription",
    "/audio/speech": "Speech",
    "/moderations": "Moderations",
}
_UNSUPPORTED_METHODS = {
    "countTokens": "Token counting",
    "embedContent": "Embeddings",
    "batchEmbedContents": "Embeddings",
    "batchGenerateContent": "Batches",
    "predict": "Predictions",
}


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
    return _other(path)


def _other(path: str) -> Target | None:
    """Gemini's model list and model lookup, and the endpoints the sandbox knowingly does not serve."""
    if path in _GEMINI_LISTS:
        return Target(special=Special.GEMINI_MODELS, converter=_GEMINI_LISTS[path])
    for listing, converter in _GEMINI_LISTS.items():
        _model, colon, method = path.removeprefix(listing + "/").rpartition(":")
        if path.startswith(listing + "/"):
            if colon and method in _UNSUPPORTED_METHODS:
                return Target(special=Special.UNSUPPORTED, what=_UNSUPPORTED_METHODS[method])
            if not colon and "/" not in method:
                return Target(special=Special.GEMINI_MODELS, converter=converter, path_model=method)
    for prefix in ("/v1", "/openai/v1", "/anthropic/v1"):
        what = _UNSUPPORTED_SUFFIXES.get(path.removeprefix(prefix)) if path.startswith(prefix) else None
        if what is not None:
            return Target(special=Special.UNSUPPORTED, what=what)
    return None


def unsupported_message(target: Target, path: str) -> str:
    return (
        f"{target.what} ({path}) is not supported by the sandbox: it serves the chat, messages, responses "
        "and generateContent routes and the model lists of PipeLLM's public API."
    )


def is_gemini_key_listing(headers: Mapping[str, str], query: Mapping[str, str]) -> bool:
    """`GET /v1/models` from google-genai (api_version v1): a Gemini key and neither Bearer nor x-api-key."""
    gemini = _read(X_GOOG_API_KEY, headers, query) is not None or _read(QUERY_KEY, headers, query) is not None
    return gemini and _read(BEARER, headers, query) is None and _read(X_API_KEY, headers, query) is None


# ---------------------------------------------------------------------------- keys

# The header names are the route table's (protocols/routes.py): what the client sends is what is read.
BEARER = routes.BEARER.header
X_API_KEY = routes.ANTHROPIC_AUTH.header
X_GOOG_API_KEY = routes.GEMINI_AUTH.header
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
