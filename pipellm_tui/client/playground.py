"""`PlaygroundClient`: plans a call, sends it, and yields one sequence of events for it.

Owns the shared `httpx2.AsyncClient` pools (one for https, one for plain http; each created lazily
inside the running event loop, so the app can build the client before its loop starts), the
attempt loop with optional retries, and cancellation (closing the response closes the connection).
Reading an answer lives in `reader.py`, the retry rules in `policy.py`, transport errors in
`httpx_failures.py`, the model list in `catalog.py`.
Must not import Textual. Usage:

    client = PlaygroundClient()
    plan = client.plan(base_url, key, "anthropic", "native", "claude-sonnet-4-5-20250929", body)
    async with client.send(plan) as call:  # leaving the block closes the connection
        async for event in call:
            ...  # call.exchange holds what arrived so far
    await client.aclose()
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Self

import httpx2

from ..protocols.adapters import adapter_for
from ..protocols.errors import ApiError
from ..protocols.formats import Format, RouteKind
from ..protocols.ratelimits import parse_ratelimits
from .answer_errors import error_of_answer
from .catalog import USER_AGENT, list_models
from .deadlines import Watchdog
from .events import ClientEvent, Done, Exchange, Failure, Head, Retrying
from .failures import redirected, timed_out, too_large
from .httpx_failures import TRANSPORT_ERRORS, body_cut, describe_transport_error, unexpected
from .plan import Plan, make_plan
from .policy import Limits, RetryPolicy, Timeouts
from .reader import AnswerReader

if TYPE_CHECKING:
    from ..protocols.catalog import ModelInfo


@dataclass(slots=True)
class _Opened:
    """The outcome of one attempt to get a response head."""

    response: httpx2.Response | None
    head: Head | None
    error: ApiError | None
    connect_failed: bool = False


class Call:
    """One call in progress: iterate it for its events (`async for event in call`), read
    `call.exchange` at any time for what arrived so far, `await call.aclose()` to stop it early
    (which closes the connection at once). A call that ends early says `exchange.cancelled`."""

    __slots__ = ("_events", "exchange")

    def __init__(self, exchange: Exchange, events: AsyncGenerator[ClientEvent, None]) -> None:
        self.exchange = exchange
        self._events = events

    def __aiter__(self) -> AsyncIterator[ClientEvent]:
        # The generator itself, so iterating adds no per-event wrapper call on the hot path.
        return self._events

    async def __anext__(self) -> ClientEvent:
        return await self._events.__anext__()

    async def aclose(self) -> None:
        await self._events.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        # Leaving the block early (break, an exception) closes the connection now, not at GC.
        await self._events.aclose()


class PlaygroundClient:
    """Sends plans and lists models over one shared connection pool."""

    def __init__(
        self,
        *,
        transport: httpx2.AsyncBaseTransport | None = None,
        timeout: Timeouts | None = None,
        retry: RetryPolicy | None = None,
        limits: Limits | None = None,
        clock: Callable[[], float] = time.perf_counter,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._transport = transport
        self.timeouts = timeout or Timeouts()
        self.limits = limits or Limits()
        self.retry = retry
        self._clock = clock
        self._sleep = sleep
        #: One pool for https URLs (TLS verified) and one for plain http (see `_client`).
        self._pools: dict[bool, httpx2.AsyncClient] = {}
        self._loop: asyncio.AbstractEventLoop | None = None

    # ------------------------------------------------------------------ plans

    def plan(
        self,
        base_url: str,
        api_key: str,
        fmt: Format | str,
        kind: RouteKind | str,
        model: str,
        body: dict[str, Any],
        extra_headers: dict[str, str] | None = None,
    ) -> Plan:
        """Exactly what `send` will send (see `make_plan`); raises `PlanError` when it cannot."""
        return make_plan(base_url, api_key, fmt, kind, model, body, extra_headers)

    # ------------------------------------------------------------------ sending

    def send(self, plan: Plan, *, retry: RetryPolicy | None = None) -> Call:
        """Send `plan` and yield its events (see `events.py` for their order). Network and HTTP
        problems arrive as `Failure` events, never as exceptions. `retry` overrides the client's
        policy for this call."""
        exchange = Exchange(plan=plan)
        return Call(exchange, self._run(plan, retry or self.retry, exchange))

    async def send_collect(self, plan: Plan, *, retry: RetryPolicy | None = None) -> Exchange:
        """Send and wait for the whole exchange (for headless use and tests)."""
        call = self.send(plan, retry=retry)
        try:
            async for _ in call:
                pass
        finally:
            await call.aclose()
        return call.exchange

    async def _run(
        self, plan: Plan, policy: RetryPolicy | None, exchange: Exchange
    ) -> AsyncGenerator[ClientEvent, None]:
        completed = False
        reader: AnswerReader | None = None
        response: httpx2.Response | None = None
        watchdog: Watchdog | None = None
        t0 = self._clock()
        try:
            adapter_for(plan.format)  # load the format's code now, not inside the first token's time
            watchdog = Watchdog(self.timeouts)
            attempt = 0
            while True:
                attempt += 1
                t0 = self._clock()
                if attempt > 1:
                    watchdog.new_attempt()
                opened = await self._open(plan, t0, watchdog)
                error = opened.error
                if error is None or policy is None:
                    break
                if not policy.should_retry(error, attempt, connect_failed=opened.connect_failed):
                    break
                delay = policy.delay(error, attempt)
                exchange.retries += 1
                yield Retrying(attempt, delay, error, opened.head.rate_limits if opened.head else None)
                await self._sleep(delay)
            reader = AnswerReader(plan.format, exchange, t0, self._clock)
            response = opened.response
            if opened.head is not None:
                exchange.status = opened.head.status
                exchange.response_headers = opened.head.headers
                exchange.rate_limits = opened.head.rate_limits
                yield opened.head
            if opened.error is not None:
                if opened.error.status == 401 and not plan.sends_key:
                    exchange.warnings.append("No API key was sent with this request.")
                exchange.error = opened.error
                yield Failure(opened.error)
                yield reader.timings()
            else:
                assert response is not None
                # The content type decides, not the plan: a server may stream when not asked to.
                if response.headers.get("content-type", "").startswith("text/event-stream"):
                    reader.begin_stream()
                    # Read inline rather than through a helper generator: every event of a stream
                    # passes here, and each generator layer costs a little per event. Per chunk:
                    # count the (decompressed) bytes, and tell the watchdog when events came.
                    limit, received, now = self.limits.max_body_bytes, 0, watchdog.now
                    watchdog.waiting = True
                    try:
                        async for chunk in response.aiter_bytes():
                            watchdog.waiting = False
                            received += len(chunk)
                            if received > limit:
                                reader.stop(too_large(plan.url, limit))
                                break
                            events = reader.feed(chunk)
                            if events:  # comments (`: ping`) and partial events are no events
                                watchdog.last = now()
                                for event in events:
                                    yield event
                            if reader.stopped:  # an SSE line or event past the parser's cap
                                break
                            watchdog.waiting = True
                    except TRANSPORT_ERRORS as exc:
                        which = watchdog.expired_by()  # a transport may turn our cancel into its error
                        if which is None:
                            reader.broke(exc)
                        else:
                            reader.stop(timed_out(plan.url, which, watchdog.limit, after_head=True))
                    except asyncio.CancelledError:
                        which = watchdog.expired_by()
                        if which is None:
                            raise
                        reader.stop(timed_out(plan.url, which, watchdog.limit, after_head=True))
                    watchdog.waiting = False
                    await response.aclose()  # before the tail: the connection is done with
                    tail = reader.finish()
                else:
                    content, stopped = await self._read_body(response, watchdog, plan.url)
                    if stopped is not None:
                        tail = [reader.fail(stopped), *reader.finish()]
                    else:
                        tail = [*reader.read_body(content), *reader.finish()]
                for event in tail:
                    yield event
            completed = True
            yield Done(exchange)
        except Exception as exc:  # noqa: BLE001 - errors are values: nothing escapes `send`
            error = unexpected(plan.url, exc)
            exchange.error = error
            yield Failure(error)
            if reader is None:
                reader = AnswerReader(plan.format, exchange, t0, self._clock)
            yield reader.timings()
            completed = True
            yield Done(exchange)
        finally:
            # Whatever stopped us (the end, a cancel at any yield, a bug), the connection goes now.
            if watchdog is not None:
                watchdog.stop()
            if response is not None:
                await response.aclose()
            if not completed:
                exchange.cancelled = True
                if reader is not None and exchange.timings is None:
                    reader.timings()

    async def _open(self, plan: Plan, t0: float, watchdog: Watchdog) -> _Opened:
        """Connect, send, and read the head; an error status has its (small) body read here so
        the retry decision can see the server's error and Retry-After. A redirect is reported,
        never followed: the request carries the key, and the target may be another host."""
        http = self._client(plan.url)
        content = json.dumps(plan.body, ensure_ascii=False).encode() if plan.body is not None else None
        watchdog.waiting = True
        try:
            request = http.build_request(plan.method, plan.url, headers=plan.headers, content=content)
            response = await http.send(request, stream=True)
        except TRANSPORT_ERRORS as exc:
            if (which := watchdog.expired_by()) is not None:
                return _Opened(None, None, timed_out(plan.url, which, watchdog.limit, after_head=False))
            failure = describe_transport_error(exc, plan.url, self._timeout_hint(exc))
            return _Opened(None, None, failure.error, failure.connect_failed)
        except asyncio.CancelledError:
            which = watchdog.expired_by()
            if which is None:
                raise
            return _Opened(None, None, timed_out(plan.url, which, watchdog.limit, after_head=False))
        finally:
            watchdog.waiting = False
        watchdog.head_arrived()
        headers = dict(response.headers.items())
        status = response.status_code
        head = Head(status, headers, self._clock() - t0, parse_ratelimits(headers, time.time()))
        if status < 300:
            return _Opened(response, head, None)
        try:
            body, _ = await self._read_body(response, watchdog, plan.url)  # what arrived is enough
        finally:
            await response.aclose()
        if status < 400:
            raw = body.decode("utf-8", errors="replace")
            return _Opened(None, head, redirected(plan.url, status, headers.get("location"), raw))
        return _Opened(None, head, error_of_answer(status, body, headers))

    async def _read_body(
        self, response: httpx2.Response, watchdog: Watchdog, url: str
    ) -> tuple[bytes, ApiError | None]:
        """A whole body, up to `Limits.max_body_bytes` after decompression, within the watchdog's
        limits: the bytes that arrived, and the error that stopped the reading (None if none)."""
        limit = self.limits.max_body_bytes
        chunks: list[bytes] = []
        received = 0
        watchdog.waiting = True
        try:
            async for chunk in response.aiter_bytes():
                received += len(chunk)
                if received > limit:
                    chunks.append(chunk[: len(chunk) - (received - limit)])
                    return b"".join(chunks), too_large(url, limit)
                chunks.append(chunk)
        except TRANSPORT_ERRORS as exc:
            if (which := watchdog.expired_by()) is not None:
                return b"".join(chunks), timed_out(url, which, watchdog.limit, after_head=True)
            return b"".join(chunks), body_cut(exc)
        except asyncio.CancelledError:
            which = watchdog.expired_by()
            if which is None:
                raise
            return b"".join(chunks), timed_out(url, which, watchdog.limit, after_head=True)
        finally:
            watchdog.waiting = False
        return b"".join(chunks), None

    # ------------------------------------------------------------------ models

    async def list_models(self, base_url: str, api_key: str) -> list[ModelInfo]:
        """The catalog at `base_url` (PipeLLM's unified schema, or an OpenAI- or Anthropic-style
        list from another server). Raises `ApiErrorException` for any failure. Fetched with the
        standard library, not this client's pools: see `catalog.py` for why."""
        return await list_models(base_url, api_key, self.timeouts)

    # ------------------------------------------------------------------ the connection pool

    def warm_up(self, url: str) -> None:
        """Build the pool for `url` now (inside the running loop), rather than with the first
        send: httpx2 loads its transport (httpcore2 and anyio, ~35 ms) when a pool is built, and
        the first request loads anyio's asyncio backend (~20 ms) for the pool's locks. The
        playground calls this once its panes are up; nothing is sent."""
        import anyio

        self._client(url)
        anyio.Event()  # in the running loop: loads the backend the pool's first lock would

    def _client(self, url: str) -> httpx2.AsyncClient:
        """The pool for `url`. A plain-http URL (the sandbox, a local gateway) gets a pool built
        without TLS verification: the verifying SSL context loads the CA bundle (~20 ms), which the
        playground would pay on its start-up path for a connection that never uses TLS. Redirects
        are not followed, so a plain pool never ends up on https."""
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            # A pool belongs to the loop that opened its sockets; a new loop (a second
            # asyncio.run in a headless command) needs its own.
            self._pools = {}
            self._loop = loop
        tls = not url[:7].lower().startswith("http://")
        pool = self._pools.get(tls)
        if pool is None:
            t = self.timeouts
            pool = self._pools[tls] = httpx2.AsyncClient(
                transport=self._transport,
                timeout=httpx2.Timeout(connect=t.connect, read=t.read, write=t.write, pool=t.pool),
                headers={"user-agent": USER_AGENT},
                follow_redirects=False,
                verify=tls,
            )
        return pool

    def _timeout_hint(self, exc: Exception) -> float | None:
        if isinstance(exc, httpx2.ConnectTimeout):
            return self.timeouts.connect
        if isinstance(exc, httpx2.ReadTimeout):
            return self.timeouts.read
        if isinstance(exc, httpx2.WriteTimeout):
            return self.timeouts.write
        if isinstance(exc, httpx2.PoolTimeout):
            return self.timeouts.pool
        return None

    async def aclose(self) -> None:
        if self._loop is asyncio.get_running_loop():
            for pool in self._pools.values():
                await pool.aclose()
        self._pools = {}
        self._loop = None
