"""Sending an answer once it is admitted: the whole JSON body (`json_reply`) or the stream
(`stream_reply`), with the faults that strike mid-answer, the charge to the balance, the exchange
remembered for `/_sandbox/exchanges/{id}` and a Responses answer kept for `previous_response_id`.
Imports starlette and the sandbox's own parts.
"""

from __future__ import annotations

import asyncio
import logging
import time

from starlette.requests import Request
from starlette.responses import Response

from ..protocols.formats import Format
from . import candidates, logprobs, replies
from .answer import Call, StreamPipeline, complete, describe, dumps
from .catalog import cost
from .generator import Generation
from .logprobs import LogprobRequest
from .state import Context, SandboxState
from .streaming import SandboxStream, StreamRun
from .wire import StreamWriter

log = logging.getLogger("pipellm_tui.sandbox")


def _remember_response(state: SandboxState, call: Call, generation: Generation) -> None:
    """A Responses answer is remembered once it is whole (`previous_response_id` continues it);
    not before, so a long answer is still made only as it is sent."""
    if call.caller is Format.OPENAI_RESPONSES:
        state.responses.remember(generation.id, call.upstream_request, generation.response())


async def json_reply(
    state: SandboxState,
    ctx: Context,
    call: Call,
    generation: Generation,
    fault: str | None,
    headers: dict[str, str],
    request: Request,
    others: list[Generation] | None = None,
    wanted: LogprobRequest | None = None,
) -> Response:
    # A long answer is made in turns, so other requests are served meanwhile; and not at all
    # further once its client has gone.
    for _ in generation.answer.in_steps():
        await asyncio.sleep(0)
        if await request.is_disconnected():
            state.disconnects += 1
            log.info("sandbox: %s: the client went away while its answer was being made", ctx.request_id)
            return replies.error_response(400, "The client went away.")
    body, upstream = complete(call, generation, others)
    _remember_response(state, call, generation)
    if wanted is not None:
        logprobs.add_to_body(wanted, body, [candidates.tokens(g) for g in [generation, *(others or [])]])
    if "x-pipellm-conversion-warnings" in headers:
        headers["x-pipellm-conversion-warnings"] = str(len(set(call.warnings)))
    text = dumps(body)
    state.remember(ctx.request_id, describe(call, 200, upstream))
    if fault == "malformed":
        return Response(text[: len(text) // 2], headers=headers, media_type="application/json")
    if fault == "disconnect":
        run = StreamRun(cut_after=1)
        return SandboxStream(run.chunks([text[: len(text) // 2], text]), run, headers, "application/json")
    for generation_ in [generation, *(others or [])][1:]:
        state.balance.charge(cost(call.model, generation_.usage))
    _charge(state, call, generation)
    return Response(text, headers=headers, media_type="application/json")


def _charge(state: SandboxState, call: Call, generation: Generation) -> None:
    state.answered += 1
    state.balance.charge(cost(call.model, generation.usage))


async def stream_reply(
    state: SandboxState,
    ctx: Context,
    call: Call,
    generation: Generation,
    fault: str | None,
    headers: dict[str, str],
    request: Request,
    wanted: LogprobRequest | None = None,
) -> Response:
    caller = call.caller
    sse = caller is not Format.GEMINI or request.query_params.get("alt") == "sse"
    writer = StreamWriter(caller, sse, include_usage=call.request.stream_include_usage is True)
    pipeline = StreamPipeline(call, generation.created, wanted)
    middle = 0
    if fault in ("disconnect", "malformed"):
        # These faults strike in the middle of the answer, so its length must be known first.
        for _ in generation.answer.in_steps():
            await asyncio.sleep(0)
        middle = len(generation.events()) // 2
    # A Responses answer is remembered once streamed whole (`previous_response_id`): keep its tokens.
    events = generation.stream_events(keep=call.caller is Format.OPENAI_RESPONSES)

    def finished(completed: bool, disconnected: bool) -> None:
        state.streams.discard(run)
        state.ended_stream_tokens += run.tokens
        if completed:
            _remember_response(state, call, generation)
        if completed and fault in (None, "slow-start"):
            _charge(state, call, generation)
        if disconnected:
            state.disconnects += 1
            state.last_disconnect = {"tokens": run.tokens, "stopped_at": time.monotonic()}
            how = "stopped reading" if run.stalled else "went away"
            log.info(
                "sandbox: %s: the client %s after %d tokens; the answer stopped",
                ctx.request_id,
                how,
                run.tokens,
            )
        state.remember(ctx.request_id, describe(call, 200, pipeline.upstream_text))

    run = StreamRun(
        token_rate=state.config.token_rate,
        cut_after=middle if fault == "disconnect" else None,
        malformed_at=middle if fault == "malformed" else None,
        on_end=finished,
    )
    state.streams.add(run)
    body = run.events(events, pipeline, writer)
    headers = {**headers, "cache-control": "no-cache"}
    return SandboxStream(body, run, headers, writer.media_type, state.config.client_timeout)
