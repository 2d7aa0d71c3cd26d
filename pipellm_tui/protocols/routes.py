"""The route table from PipeLLM's public docs: one row per (request format, route kind).

Everything that needs a path, a base URL or an auth header reads it here: the client builds its plans
from it, the sandbox mounts its routes from it, the UI shows it. No I/O; standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass

from .formats import Family, Format, RouteKind

PIPELLM_BASE_URL = "https://api.pipellm.ai"
#: The environment variable that holds the PipeLLM key unless the user names another.
PIPELLM_KEY_ENV = "PIPELLM_API_KEY"
ANTHROPIC_VERSION = "2023-06-01"
MODELS_PATH = "/v1/models"


@dataclass(frozen=True, slots=True)
class AuthScheme:
    """How a format carries the key: a header name and the prefix before the key."""

    header: str
    prefix: str = ""
    #: Headers every request in this format carries besides the key.
    extra: tuple[tuple[str, str], ...] = ()

    def headers(self, api_key: str) -> dict[str, str]:
        return {self.header: f"{self.prefix}{api_key}", **dict(self.extra)}


BEARER = AuthScheme("authorization", "Bearer ")
ANTHROPIC_AUTH = AuthScheme("x-api-key", extra=(("anthropic-version", ANTHROPIC_VERSION),))
GEMINI_AUTH = AuthScheme("x-goog-api-key")

AUTH: dict[Format, AuthScheme] = {
    Format.OPENAI_CHAT: BEARER,
    Format.OPENAI_RESPONSES: BEARER,
    Format.ANTHROPIC: ANTHROPIC_AUTH,
    Format.GEMINI: GEMINI_AUTH,
}


@dataclass(frozen=True, slots=True)
class Route:
    format: Format
    kind: RouteKind
    #: Prefix that the SDKs' base URL carries (converter routes live under it).
    prefix: str
    #: Path below the prefix; `{model}` is filled in for Gemini.
    path: str
    #: Gemini streams on another path; the others stream on `path` with `"stream": true`.
    stream_path: str | None = None
    available: bool = True
    #: Shown next to an unavailable route: the seed's advice.
    note: str = ""

    @property
    def auth(self) -> AuthScheme:
        return AUTH[self.format]

    @property
    def families(self) -> frozenset[Family]:
        """Model families this route may call: its own on a native route, all on a converter."""
        return frozenset(Family) if self.kind is RouteKind.CONVERTER else frozenset({self.format.family})

    def url_path(self, model: str, stream: bool = False) -> str:
        path = self.stream_path if stream and self.stream_path else self.path
        return self.prefix + path.replace("{model}", model)

    def url(self, base_url: str, model: str, stream: bool = False) -> str:
        return base_url.rstrip("/") + self.url_path(model, stream)

    def sdk_base_url(self, base_url: str) -> str:
        """What to give an official SDK as its base URL for this route.

        The openai SDK appends `/chat/completions` or `/responses`, so both OpenAI routes carry `/v1`
        (`.../v1` native, `.../openai/v1` converter); anthropic and google-genai add their own `/v1...`.
        """
        base = base_url.rstrip("/") + self.prefix
        return base + "/v1" if self.format.family is Family.OPENAI else base


_GEMINI_PATH = "/v1beta/models/{model}:generateContent"
_GEMINI_STREAM_PATH = "/v1beta/models/{model}:streamGenerateContent?alt=sse"

ROUTES: dict[tuple[Format, RouteKind], Route] = {
    (r.format, r.kind): r
    for r in (
        Route(Format.OPENAI_CHAT, RouteKind.NATIVE, "", "/v1/chat/completions"),
        Route(Format.OPENAI_CHAT, RouteKind.CONVERTER, "/openai", "/v1/chat/completions"),
        Route(Format.OPENAI_RESPONSES, RouteKind.NATIVE, "", "/v1/responses"),
        Route(
            Format.OPENAI_RESPONSES,
            RouteKind.CONVERTER,
            "/openai",
            "/v1/responses",
            available=False,
            note=(
                "The OpenAI Responses converter is not available yet. For cross-protocol calls "
                "today, use the OpenAI Chat Completions converter (/openai/v1/chat/completions)."
            ),
        ),
        Route(Format.ANTHROPIC, RouteKind.NATIVE, "", "/v1/messages"),
        Route(Format.ANTHROPIC, RouteKind.CONVERTER, "/anthropic", "/v1/messages"),
        Route(Format.GEMINI, RouteKind.NATIVE, "", _GEMINI_PATH, _GEMINI_STREAM_PATH),
        Route(Format.GEMINI, RouteKind.CONVERTER, "/gemini", _GEMINI_PATH, _GEMINI_STREAM_PATH),
    )
}


def route_for(fmt: Format | str, kind: RouteKind | str) -> Route:
    return ROUTES[(Format(fmt), RouteKind(kind))]


def suggested_route(fmt: Format, family: Family) -> Route:
    """The route to use for a model of `family` sent in `fmt`: native when they match."""
    if fmt.family is family:
        return ROUTES[(fmt, RouteKind.NATIVE)]
    return ROUTES[(fmt, RouteKind.CONVERTER)]


@dataclass(frozen=True, slots=True)
class RouteMatch:
    """A URL path read back against the table: which route, and what the path said."""

    route: Route
    #: What came before the route's prefix (the base URL's own path, e.g. "/proxy"); "" for none.
    base_path: str
    #: The model in the path (Gemini), else None.
    model: str | None
    #: Whether the path is the streaming one (Gemini's streamGenerateContent).
    stream: bool


def find_route(path: str) -> RouteMatch | None:
    """The route whose path `path` ends with (a query string is ignored), the longest prefix first,
    so `/openai/v1/chat/completions` is the converter and `/v1/chat/completions` the native route."""
    path = path.split("?", 1)[0].rstrip("/")
    for route in sorted(ROUTES.values(), key=lambda r: -len(r.prefix)):
        for template, stream in ((route.path, False), (route.stream_path, True)):
            if template is None:
                continue
            template = route.prefix + template.split("?", 1)[0]
            before, _, after = template.partition("{model}")
            if not _:
                if path.endswith(template):
                    return RouteMatch(route, path[: -len(template)], None, stream)
                continue
            start = path.rfind(before)
            if start >= 0 and path.endswith(after):
                model = path[start + len(before) : len(path) - len(after)]
                if model and "/" not in model:
                    return RouteMatch(route, path[:start], model, stream)
    return None
