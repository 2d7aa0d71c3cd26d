"""The sandbox's HTTP application: `create_app(config) -> Starlette`.

Owns the order of checks and the response headers. Every request goes through one handler:

  path known (404) -> method (405) -> route available (404, the Responses converter) -> key (401)
  -> rate limit (429) -> balance (402) -> JSON and schema (400 naming the field) -> model known
  (400 "... is not a valid model ID. Did you mean ...") -> protocol guard on native routes (400)
  -> what the real APIs refuse (request_checks.py; an unknown `previous_response_id`,
  conversations.py) -> fault on purpose (see faults.py) -> the answer (answer.py), JSON or streamed,
  with prefixed ids and real times (identity.py), n candidates (candidates.py), log probabilities
  (logprobs.py), the settings a Responses answer repeats (responses_echo.py).
Gemini's model list and model lookup (`GET /v1beta/models[/{model}]`, also under `/v1` and
`/gemini/...`) and the endpoints the sandbox knowingly does not serve (404 saying so) are resolved
by admission.py.

Every response carries `x-request-id` (on Anthropic routes also `request-id`) and the three `x-ratelimit-*` headers (ratelimit.py says
how they are computed). Answers also carry two sandbox-only headers: `x-pipellm-upstream-format`
(the format the simulated upstream spoke) and, on converter routes, `x-pipellm-conversion-warnings`
(how many fields the conversion could not carry; for streams, those known when the headers left).
`GET /_sandbox/exchanges/{request_id}` (sandbox-only, no key needed) returns what was forwarded
upstream and what came back for one of the last `exchange_history` requests.
A client mistake is always a 4xx, never a 500 and never a traceback in the log: body.py reads the body
(413 too large, 408 too slow, 400 for JSON no upstream would take), and a body that the adapters
cannot read for a reason they do not name (a list where a string belongs, say) is a 400 with one
log line. An unexpected exception past that edge is a bug: logged, a 500 api_error body, and the
server keeps serving. `GET /_sandbox/stats` gives the counters (requests, streams, tokens made).
The server's lasting state is state.py; sending an admitted answer (JSON or streamed) is delivery.py.
Imports starlette and protocols only (never client/ or ui/).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route as StarletteRoute

from ..protocols import ir
from ..protocols.adapters import adapter_for
from ..protocols.formats import Family, Format, RouteKind
from ..protocols.problems import ProtocolError
from . import admission, candidates, logprobs, replies, request_checks, responses_echo
from .admission import Special, Target
from .answer import describe, plan_call
from .body import BodyProblem, ClientGone, parse_json, read_body, unreadable_body
from .catalog import (
    find_model,
    gemini_model,
    gemini_models_body,
    models_body,
    unified_model,
    unknown_model_message,
)
from .config import SandboxConfig
from .conversations import PREVIOUS
from .delivery import json_reply, stream_reply
from .faults import (
    ERROR_FAULTS,
    FaultRequestError,
    delay_seconds,
    error_fault_response,
    forced_tokens,
    requested_fault,
)
from .generator import generate, last_user_text
from .state import Context, SandboxState

log = logging.getLogger("pipellm_tui.sandbox")

_ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def create_app(config: SandboxConfig | None = None) -> Starlette:
    state = SandboxState(config or SandboxConfig())

    async def endpoint(request: Request) -> Response:
        return await handle(state, request)

    app = Starlette(routes=[StarletteRoute("/{path:path}", endpoint, methods=_ALL_METHODS)])
    app.state.sandbox = state
    return app


async def handle(state: SandboxState, request: Request) -> Response:
    state.requests += 1
    ctx = Context()
    try:
        response = await _dispatch(state, request, ctx)
    except Exception:
        state.internal_errors += 1
        log.exception("sandbox: unexpected error on %s %s", request.method, request.url.path)
        response = replies.error_response(500, replies.INTERNAL)
    window = ctx.window or state.window.peek(ctx.seen_key if ctx.seen_key == state.config.api_key else None)
    response.headers.update(window.headers())
    response.headers["x-request-id"] = ctx.request_id
    if ctx.anthropic:  # the anthropic SDK reads `request-id` (message._request_id, APIError.request_id)
        response.headers["request-id"] = ctx.request_id
    return response


async def _dispatch(state: SandboxState, request: Request, ctx: Context) -> Response:
    config = state.config
    path = request.url.path
    target = admission.resolve(path)
    ctx.anthropic = (
        target is not None and target.route is not None and target.route.format is Format.ANTHROPIC
    )
    if target is None:
        return replies.error_response(404, f"Unknown path {path}: no PipeLLM route or sandbox endpoint here.")
    if request.method != target.method:
        return replies.error_response(
            405,
            f"Method {request.method} is not allowed on {path}; use {target.method}.",
            headers={"allow": target.method},
        )
    if target.special is Special.STATS:
        return replies.json_response(state.stats())
    if target.special is Special.EXCHANGES:
        record = state.exchanges.get(target.request_id or "")
        if record is None:
            return replies.error_response(404, f"No exchange recorded for request id {target.request_id!r}.")
        return replies.json_response(record)
    if target.special is Special.UNSUPPORTED:
        return replies.error_response(404, admission.unsupported_message(target, path))
    route = target.route
    if route is not None and not route.available:
        return replies.error_response(404, route.note)

    headers, query = request.headers, request.query_params
    if target.special is Special.MODELS and admission.is_gemini_key_listing(headers, query):
        target = Target(special=Special.GEMINI_MODELS)
    if target.special is Special.GEMINI_MODELS:
        return _gemini_models(state, ctx, target, request)
    sources = admission.KEY_SOURCES[route.format] if route is not None else admission.MODELS_KEY_SOURCES
    key, ctx.seen_key = admission.presented_key(sources, headers, query)
    if key is None:
        return replies.error_response(401, admission.missing_key_message(sources, headers, query))
    if not secrets.compare_digest(key.encode(), config.api_key.encode()):
        return replies.error_response(401, replies.WRONG_KEY)
    ctx.window = state.window.check_and_record(key)
    if not ctx.window.allowed:
        return replies.rate_limited_response(config.rpm, ctx.window.retry_after)
    if state.balance.exhausted:
        return replies.error_response(402, replies.NO_BALANCE)
    if route is None:
        return replies.json_response(models_body())
    return await _answer(state, request, ctx, target)


async def _answer(state: SandboxState, request: Request, ctx: Context, target: Target) -> Response:
    config = state.config
    route = target.route
    assert route is not None
    fmt = route.format
    try:
        raw = await read_body(request, config.max_body_bytes, config.client_timeout)
    except BodyProblem as exc:
        # The client may still be sending: close the connection rather than read the rest.
        return replies.error_response(exc.status, str(exc), headers={"connection": "close"})
    except ClientGone as exc:
        state.disconnects += 1
        log.info("sandbox: %s %s: %s", request.method, request.url.path, exc)
        return replies.error_response(400, f"Request body incomplete: {exc}.")
    read = _read_body(state, fmt, raw, target.path_model)
    if isinstance(read, Response):
        return read
    body, request_ir, warnings = read

    model_id = target.path_model or request_ir.model or ""
    model = find_model(model_id)
    if model is None:
        status = config.unknown_model_status
        return replies.error_response(status, unknown_model_message(model_id), param="model")
    stream = target.stream_path if fmt is Format.GEMINI else bool(request_ir.stream)
    if route.kind is RouteKind.NATIVE and model.family is not fmt.family:
        message = admission.guard_message(route, model_id, model.family, stream)
        return replies.error_response(
            config.guard_status, message, type="invalid_request_error", param="model"
        )
    refused = _refused(state, fmt, body, request_ir, stream)
    if refused is not None:
        return refused

    try:
        fault = requested_fault(request.headers, last_user_text(request_ir))
        delay = delay_seconds(request.headers, config.slow_start_seconds) if fault == "slow-start" else 0.0
        forced = forced_tokens(request.headers, config.max_forced_tokens)
        request_ir.model = model.id  # "anthropic/claude-..." is forwarded as the upstream's own id
        state.responses.continue_from(request_ir)
        call = plan_call(route, body, request_ir, model, stream, warnings)
        call.repeated = responses_echo.settings(fmt, body)
    except FaultRequestError as exc:
        return replies.error_response(400, str(exc))
    except ProtocolError as exc:
        return replies.error_response(400, str(exc), param=exc.path)
    except Exception as exc:  # noqa: BLE001 - the client's body, read in a way the adapters did not foresee
        return _unreadable(state, fmt, exc)

    headers = {"x-pipellm-upstream-format": call.upstream.value}
    if route.kind is RouteKind.CONVERTER:
        headers["x-pipellm-conversion-warnings"] = str(len(set(call.warnings)))
    if fault in ERROR_FAULTS:
        if fault == "429":
            ctx.window = state.window.exhausted_state(ctx.seen_key or "")
        retry_after = ctx.window.retry_after if ctx.window else 1
        reply = error_fault_response(fault or "", config.rpm, retry_after)
        state.remember(ctx.request_id, describe(call, reply.status_code, None))
        return reply
    if delay:
        await asyncio.sleep(delay)
    try:
        generation = generate(call.upstream_request, forced)
    except Exception as exc:  # noqa: BLE001 - e.g. a tool schema shaped in a way no one foresaw
        return _unreadable(state, fmt, exc)
    state.identities.stamp(generation, call.upstream)
    wanted = logprobs.carried(fmt, body, call.upstream, call.upstream_body)
    if stream:
        return await stream_reply(state, ctx, call, generation, fault, headers, request, wanted)
    others = candidates.more(call.upstream_request, generation, forced, state.identities)
    return await json_reply(state, ctx, call, generation, fault, headers, request, others, wanted)


def _refused(
    state: SandboxState, fmt: Format, body: dict[str, Any], request_ir: ir.Request, stream: bool
) -> Response | None:
    """The 400 a real API gives this request (request_checks.py), or None."""
    found = request_checks.rejection(fmt, body, request_ir)
    if found is not None:
        message, param = found
        return replies.error_response(400, message, param=param)
    if stream and candidates.count(request_ir) > 1:
        return replies.error_response(
            400, candidates.STREAM_LIMIT, param="n" if fmt is Format.OPENAI_CHAT else None
        )
    missing = state.responses.missing(request_ir) if fmt is Format.OPENAI_RESPONSES else None
    if missing is not None:
        return replies.error_response(400, missing, param=PREVIOUS)
    return None


def _gemini_models(state: SandboxState, ctx: Context, target: Target, request: Request) -> Response:
    """Gemini's model list or one model; on `/v1/models/{id}` with a Bearer key, the unified entry."""
    path = request.url.path
    bearer = path.startswith("/v1/models/") and not admission.is_gemini_key_listing(request.headers, {})
    sources = admission.MODELS_KEY_SOURCES if bearer else admission.KEY_SOURCES[Format.GEMINI]
    key, ctx.seen_key = admission.presented_key(sources, request.headers, request.query_params)
    if key is None:
        return replies.error_response(
            401, admission.missing_key_message(sources, request.headers, request.query_params)
        )
    if not secrets.compare_digest(key.encode(), state.config.api_key.encode()):
        return replies.error_response(401, replies.WRONG_KEY)
    ctx.window = state.window.peek(key)
    if target.path_model is None:
        return replies.json_response(gemini_models_body(target.converter))
    model = find_model(target.path_model.removeprefix("models/"))
    if model is None or not (target.converter or bearer or model.family is Family.GEMINI):
        return replies.error_response(404, f"Model {target.path_model} is not found.", param="model")
    return replies.json_response(unified_model(model) if bearer else gemini_model(model))


def _read_body(
    state: SandboxState, fmt: Format, raw: bytes, path_model: str | None
) -> Response | tuple[dict[str, Any], ir.Request, list[str]]:
    """The body as JSON, checked against the format's schema and read into the IR; or the 400 saying why."""
    try:
        body = parse_json(raw)
    except BodyProblem as exc:
        if exc.param:
            return replies.error_response(exc.status, str(exc), param=exc.param)
        return replies.error_response(exc.status, str(exc))
    if not isinstance(body, dict):
        return replies.error_response(400, f"Request body must be a JSON object, got {type(body).__name__}.")
    body = request_checks.hoist_system_messages(fmt, body)
    if fmt is not Format.GEMINI:
        if "model" not in body or body["model"] in (None, ""):
            return replies.error_response(400, replies.MISSING_MODEL, param="model")
        if not isinstance(body["model"], str):
            return replies.error_response(400, "model: Input should be a valid string", param="model")
    problem = _schema_problem(fmt, body)
    if problem is not None:
        path, message = problem
        return replies.error_response(400, f"{path}: {message}" if path else message, param=path)
    warnings: list[str] = []
    try:
        request_ir = adapter_for(fmt).request_to_ir(body, warnings, path_model)
    except ProtocolError as exc:
        return replies.error_response(400, str(exc), param=exc.path)
    except Exception as exc:  # noqa: BLE001 - a shape the adapter did not foresee is still the client's
        return _unreadable(state, fmt, exc)
    return body, request_ir, warnings


def _unreadable(state: SandboxState, fmt: Format, exc: Exception) -> Response:
    state.unreadable_bodies += 1
    return unreadable_body(fmt.label, exc)


def _schema_problem(fmt: Format, body: dict[str, Any]) -> tuple[str, str] | None:
    """The first schema issue of the body (pydantic paths), or None."""
    # pydantic and the schemas (~35 ms) load with the first request that needs them, not while
    # the sandbox starts: the playground waits for the sandbox before its model list can show.
    from ..protocols.validate import validate_request

    try:
        issues = validate_request(fmt, body)
    except Exception as exc:  # noqa: BLE001 - the adapter still checks the body; one line, no traceback
        # Info, not warning: when the adapter cannot read the body either, that makes the one line.
        log.info(
            "sandbox: schema validation of a %s body failed (%s: %s)", fmt.value, type(exc).__name__, exc
        )
        return None
    return (issues[0].path, issues[0].message) if issues else None
