"""The playground's state and work, without Textual: what the screen shows and what a send does.

Owns the endpoint (base URL, key, sandbox or not), the chosen format, route and model, the request
text (the JSON is the truth: request_draft.py reads, converts and writes it), the model catalog, the
last exchange and a short rate-limit history (rate_limit_history.py). Waits for the sandbox the command
line started in a child process (or starts one in a thread when none was given: tests), plans and
sends through `PlaygroundClient`. Testable without a UI.

Must not import Textual or httpx2 (the client and the sandbox load lazily, off the first-paint path),
and never builds URLs, headers or bodies itself: plans come from the client, the rest from protocols.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..protocols.fields import Param, read_model, without_playground_hints, write_model, write_param
from ..protocols.formats import NATIVE_FORMAT, Family, Format, RouteKind
from ..protocols.routes import Route, route_for, suggested_route
from ..protocols.templates import pretty, starter_request
from .endpoint import KEY_ENV, Endpoint, SandboxHandle
from .model_catalog import family_of, fetched, find_model, prefetch
from .model_search import ModelSort, find_models
from .payload_views import PayloadViews, payload_views
from .rate_limit_history import HISTORY_LENGTH, LimitRecord, limit_record, retry_in, stamped
from .request_draft import (
    Check,
    SendRefused,
    check,
    formatted_request,
    guard_problem,
    read_params,
    request_body,
    switched_request,
)

if TYPE_CHECKING:
    from ..client import PlaygroundClient
    from ..client.events import ClientEvent, Exchange
    from ..client.plan import Plan
    from ..client.policy import RetryPolicy
    from ..protocols.catalog import ModelInfo
    from ..protocols.errors import ApiError
    from ..protocols.problems import Issue
    from ..protocols.ratelimits import RateLimits

DEFAULT_MODEL = "gpt-4o-mini"


@dataclass(slots=True)
class Session:
    endpoint: Endpoint | None = None
    #: Epoch-seconds clock: the rate-limit countdown and history read it (tests pass a fake one).
    clock: Callable[[], float] = time.time
    #: Builds the client; tests may inject one with its own transport or clock.
    client_factory: Callable[[], PlaygroundClient] | None = None
    #: The sandbox when there is no endpoint: one already starting (the command line launches a
    #: child process before Textual loads), else `ensure_endpoint` starts one in a thread.
    sandbox: SandboxHandle | None = None
    #: Overrides for a sandbox started in a thread (token_rate, port, ...).
    sandbox_options: dict[str, Any] = field(default_factory=dict)
    format: Format = Format.OPENAI_CHAT
    route_kind: RouteKind = RouteKind.NATIVE
    model: str = DEFAULT_MODEL
    request_text: str = ""
    #: The request's own headers (a curl import's), sent besides the route's; shown in its pane.
    headers: dict[str, str] = field(default_factory=dict)
    models: list[ModelInfo] = field(default_factory=list)
    model_sort: ModelSort = ModelSort.NAME
    exchange: Exchange | None = None
    rate_limits: RateLimits | None = None
    error: ApiError | None = None
    #: When (on `clock`) the last error arrived: the retry countdown starts there.
    error_at: float = 0.0
    history: deque[LimitRecord] = field(default_factory=lambda: deque(maxlen=HISTORY_LENGTH))
    #: What the server says it forwarded upstream for the last converter-route send (the
    #: sandbox's record), and how many conversion warnings its header counted; None: not said.
    forwarded: dict[str, Any] | None = None
    server_warning_count: int | None = None
    #: Retry a failed call by the client's policy (429, 529, 5xx, ...: `ApiError.retryable`),
    #: waiting as the server says; off by default (a playground shows what happened).
    auto_retry: bool = False
    #: What this session's calls have cost so far, in USD (calls to unpriced models add nothing).
    spent: float = 0.0
    #: Warnings of the last format switch (shown in the payloads pane too).
    switch_warnings: list[str] = field(default_factory=list)
    #: The retry policy of automatic retry (config.toml's [retry]; None: the client's default).
    retry_policy: RetryPolicy | None = None
    #: The last check of the request (`validate` answers from it while nothing changed); a kept
    #: draft's verdict starts it (ui/draft_keeper.py).
    last_check: Check | None = None
    _client: PlaygroundClient | None = None
    _prefetched: Future[list[ModelInfo]] | None = None
    _endpoint_lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        if not self.request_text:
            self.request_text = pretty(starter_request(self.format, self.model))

    # ------------------------------------------------------------------ endpoint

    def ensure_endpoint(self) -> Endpoint:
        """The endpoint; with none, the sandbox's once it accepts connections (started here, in a
        thread, if nobody started one). Blocking (run it in a thread): a sandbox started here imports
        uvicorn and starlette, never on the first-paint path."""
        with self._endpoint_lock:  # the warm-up thread and the UI's worker may both ask
            if self.endpoint is None:
                if self.sandbox is None:
                    from ..sandbox.config import SandboxConfig
                    from ..sandbox.server import start_in_thread

                    self.sandbox = start_in_thread(SandboxConfig(**self.sandbox_options))
                self.endpoint = Endpoint(self.sandbox.base_url, self.sandbox.api_key, is_sandbox=True)
            return self.endpoint

    @property
    def client(self) -> PlaygroundClient:
        if self._client is None:
            if self.client_factory is not None:
                self._client = self.client_factory()
            else:
                from ..client import PlaygroundClient

                self._client = PlaygroundClient()
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def stop_sandbox(self) -> None:
        if self.sandbox is not None:
            self.sandbox.stop()
            self.sandbox = None

    # ------------------------------------------------------------------ models

    def prefetch_models(self) -> None:
        """Start fetching the catalog now, in a thread (model_catalog.py says why); the next
        `load_models` takes its result."""
        self._prefetched = prefetch(self._fetch_models)

    def prefetched_models(self) -> list[ModelInfo] | None:
        """The prefetched catalog if its fetch has already succeeded (it becomes `models`); else
        None, and `load_models` waits for the fetch (or reports its error)."""
        models = fetched(self._prefetched) if self._prefetched is not None else None
        if models is None:
            return None
        self._prefetched = None
        self.models = models
        return self.models

    async def load_models(self) -> list[ModelInfo]:
        """Fetch the catalog (or take the prefetched one); raises the client's ApiErrorException
        (carrying an ApiError). In a thread, with the standard library (client/catalog.py): it
        loads no httpx2, and waiting for a starting sandbox costs the UI nothing."""
        prefetched, self._prefetched = self._prefetched, None
        if prefetched is not None:
            self.models = await asyncio.wrap_future(prefetched)
        else:
            self.models = await asyncio.to_thread(self._fetch_models)
        return self.models

    def _fetch_models(self) -> list[ModelInfo]:
        from ..client.catalog import fetch_models

        timeouts = self._client.timeouts if self._client is not None else None  # else the defaults
        endpoint = self.ensure_endpoint()
        return fetch_models(endpoint.base_url, endpoint.api_key, timeouts)

    def model_info(self, model_id: str | None = None) -> ModelInfo | None:
        return find_model(self.models, model_id or self.model)

    def filter_models(self, query: str) -> list[ModelInfo]:
        """Models matching every word of the query (fuzzily: `sonnet 4.5` finds
        `claude-sonnet-4-5-…`), best first, then in the chosen sort order."""
        return find_models(self.models, query, self.model_sort)

    def model_family(self, model_id: str | None = None) -> Family | None:
        return family_of(self.models, model_id or self.model)

    def choose_model(self, model_id: str) -> Route:
        """Put the model in the request; return the route its family suggests, without taking it
        (the screen proposes the switch: one key, never a silent change of route)."""
        self.model = model_id
        body = self.request_body()
        if body is not None:
            self.request_text = pretty(write_model(self.format, body, model_id))
        return self.suggested_route()

    def suggested_route(self) -> Route:
        """The route the current model's family suggests for the current format (this one when the
        family is unknown)."""
        family = self.model_family()
        target = self.endpoint.target if self.endpoint is not None else None
        if family is None or (target is not None and target.kind.value == "gateway"):
            return self.route  # a gateway's native routes take any model
        return suggested_route(self.format, family)

    # ------------------------------------------------------------------ format and route

    @property
    def route(self) -> Route:
        return route_for(self.format, self.route_kind)

    def set_route(self, kind: RouteKind) -> Route:
        self.route_kind = kind
        return self.route

    def route_problem(self) -> str | None:
        """Why this route will refuse the model, said before sending (the protocol guard)."""
        target = self.endpoint.target if self.endpoint is not None else None
        if target is not None:  # the profile's rules
            return target.route_problem(self.format, self.route_kind, self.model, self.model_family())
        return guard_problem(self.route, self.model, self.model_family())

    def set_format(self, fmt: Format) -> list[str]:
        """Convert the current request to `fmt`, keeping the conversation; returns the warnings.
        SendRefused when it cannot be converted (not a JSON object, or the conversion fails): the
        request and the format stay as they are, never replaced by a template."""
        if fmt is self.format:
            return []
        new_body, warnings = switched_request(self.request_body(), self.format, fmt, self.model)
        self.format = fmt
        family = self.model_family()
        if family is not None:
            self.route_kind = suggested_route(fmt, family).kind
        self.request_text = pretty(new_body)
        self.switch_warnings = warnings
        return warnings

    def reset_request(self) -> None:
        self.request_text = pretty(starter_request(self.format, self.model))

    # ------------------------------------------------------------------ request text and params

    def request_body(self) -> dict[str, Any] | None:
        return request_body(self.request_text)

    def set_request_text(self, text: str) -> Issue | None:
        """Take the editor's text; the model in the body (when the format has one) becomes current."""
        self.request_text = text
        body = self.request_body()
        if body is not None:
            model = read_model(self.format, body)
            if model:
                self.model = model
        return self.validate()

    def formatted_request(self) -> str | None:
        """The request text re-indented, or None when it is not JSON (nothing to format)."""
        return formatted_request(self.request_text)

    def validate(self) -> Issue | None:
        """The request's first problem (None: valid), found once for each format and text."""
        self.last_check = check(self.format, self.request_text, self.last_check)
        return self.last_check.problem

    def params(self) -> dict[Param, Any]:
        return read_params(self.format, self.request_body() or {})

    def set_param(self, param: Param, value: Any) -> str:
        """Write one setting into the JSON (None removes it) and return the new text."""
        body = self.request_body()
        if body is None:
            raise SendRefused("Fix the JSON first: the form edits the request body.")
        self.request_text = pretty(write_param(self.format, body, param, value))
        return self.request_text

    # ------------------------------------------------------------------ plan and send

    def preview(self) -> Plan | str:
        """The plan the current state implies, or the reason there is none (for the route pane)."""
        from ..client.plan import PlanError

        if self.endpoint is None:
            return "Starting the sandbox…"
        try:
            body = self.request_body() or {}
            # make_plan, not the client's: a preview builds no client (httpx2 loads after start-up)
            return self.endpoint.plan(self.format, self.route_kind, self.model, body, self.headers or None)
        except PlanError as exc:
            return str(exc)

    def plan(self) -> Plan:
        """The plan to send, or SendRefused saying what is wrong and where."""
        from ..client.plan import PlanError

        if self.endpoint is None:
            raise SendRefused("The endpoint is not ready yet (the sandbox is starting).")
        issue = self.validate()
        if issue is not None:
            where = f" at {issue.path}" if issue.path else ""
            raise SendRefused(f"Not sent: the request is invalid{where}: {issue.message}")
        body = self.request_body()
        assert body is not None  # validate() passed
        try:  # through Endpoint.plan, as `preview`; with the client's planner (the seam tests use)
            return self.endpoint.plan(
                self.format, self.route_kind, self.model, body, self.headers or None, planner=self.client.plan
            )
        except PlanError as exc:
            raise SendRefused(f"Not sent: {exc}") from None

    def curl_command(self) -> str:
        """The request as a curl command (export/curl.py) that reads the key from the endpoint's
        key variable: the key itself is never in it. SendRefused when there is no plan."""
        from .exports import curl_for_plan

        return curl_for_plan(self.plan(), self.key_env)

    @property
    def key_env(self) -> str:
        """The environment variable the key comes from (what exports name instead of the key)."""
        return self.endpoint.key_env if self.endpoint is not None else KEY_ENV

    async def send(self, plan: Plan) -> AsyncIterator[ClientEvent]:
        """The client's events, recorded on the way through (exchange, limits, error, history).
        Cancelling the consuming task closes the connection; the partial exchange stays."""
        from ..client.events import Failure, Head

        self.error = None
        self.forwarded = self.server_warning_count = None
        seen_head = False
        request_id = None
        retry = None
        if self.auto_retry:
            from ..client.policy import RetryPolicy

            retry = self.retry_policy or RetryPolicy()
        call = self.client.send(plan, retry=retry)
        self.exchange = call.exchange
        try:
            async for event in call:
                if isinstance(event, Head):
                    seen_head = True
                    self._record_limits(event.status, event.rate_limits)
                    request_id = event.headers.get("x-request-id")
                    count = event.headers.get("x-pipellm-conversion-warnings", "")
                    self.server_warning_count = int(count) if count.isdigit() else None
                elif isinstance(event, Failure):
                    self.error = event.error
                    self.error_at = self.clock()
                    if not seen_head:
                        self.history.append(limit_record(self.clock(), None, None))
                yield event
        finally:
            await call.aclose()
            self.spent += self.cost() or 0.0
        if request_id and plan.route.kind is RouteKind.CONVERTER and self.endpoint is not None:
            from ..client.forwarded import fetch_forwarded

            self.forwarded = await asyncio.to_thread(fetch_forwarded, self.endpoint.base_url, request_id)

    def _record_limits(self, status: int, limits: RateLimits) -> None:
        limits = stamped(limits, self.clock())
        if limits.known or self.rate_limits is None:
            self.rate_limits = limits
        self.history.append(limit_record(self.clock(), status, limits))

    def seconds_until_reset(self) -> float | None:
        return None if self.rate_limits is None else self.rate_limits.seconds_until_reset(self.clock())

    def retry_in(self) -> float | None:
        """Seconds left before a retry makes sense (see rate_limit_history.retry_in)."""
        return retry_in(self.error, self.error_at, self.rate_limits, self.clock())

    def last_plan(self) -> Plan | None:
        """What the last send sent (for "Retry now")."""
        return self.exchange.plan if self.exchange is not None else None

    # ------------------------------------------------------------------ converted payloads

    def payloads(self, view_as: Format | None = None) -> PayloadViews:
        family = self.model_family()
        upstream = NATIVE_FORMAT[family] if family is not None else None
        body = self.request_body()
        exchange = self.exchange  # its answer is shown in the payloads only in the format it was sent in
        response = exchange.body if exchange is not None and exchange.plan.format is self.format else None
        return payload_views(
            self.format, self.route_kind, None if body is None else without_playground_hints(self.format, body), self.model,
            upstream, view_as, response, self.switch_warnings,
            self.forwarded if response is not None else None, self.server_warning_count, self.route.available,
        )  # fmt: skip

    def cost(self) -> float | None:
        if self.exchange is None or self.exchange.usage is None:
            return None
        info = self.model_info(self.exchange.plan.model)
        if info is None or info.pricing is None:
            return None
        return info.pricing.cost(self.exchange.usage)
