"""More than one answer to one request: OpenAI Chat `n`, Gemini `candidateCount`.

Owns making the extra candidates (each from its own seed, so they differ; same id and time as the
first), the neutral response that carries them all (usage adds up their output), and the sandbox's
one limit: several candidates in one stream are refused with a clear 400. The count is the simulated
upstream's (`n` converted to Gemini's `candidateCount` and back works; Anthropic has no such field,
so a converted call to Claude answers once, with the conversion's warning). Imports protocols only.
"""

from __future__ import annotations

from dataclasses import replace

from ..protocols import ir
from .generator import Generation, generate
from .identity import Identities

STREAM_LIMIT = (
    "Several candidates in one stream (n > 1 / candidateCount > 1 with streaming) are not supported by "
    "the sandbox; ask without streaming, or for one candidate."
)


def count(request: ir.Request) -> int:
    wanted = request.candidate_count
    return wanted if isinstance(wanted, int) and wanted > 1 else 1


def more(
    request: ir.Request, first: Generation, forced: int | None, identities: Identities
) -> list[Generation]:
    """Candidates 2..n of an answer whose first candidate is `first`."""
    out = []
    for index in range(1, count(request)):
        variant = replace(request, model=f"{request.model or ''}\x00candidate {index}")
        generation = generate(variant, forced)
        generation.id, generation.model, generation.created = first.id, first.model, first.created
        if generation.tool_call is not None and first.tool_call is not None:
            prefix = first.tool_call.id.split("_", 1)[0] + "_"
            generation.tool_call = replace(generation.tool_call, id=prefix + identities.token(24))
        out.append(generation)
    return out


def response(first: Generation, others: list[Generation]) -> ir.Response:
    merged = first.response()
    if not others:
        return merged
    merged.candidates = [*merged.candidates, *(g.response().candidates[0] for g in others)]
    if merged.usage is not None:
        merged.usage.output_tokens += sum(g.usage.output_tokens for g in others)
        merged.usage.reasoning_tokens += sum(g.usage.reasoning_tokens for g in others)
    return merged


def tokens(generation: Generation) -> list[str]:
    """The text tokens of a candidate (none for a tool call), for its log probabilities."""
    return [] if generation.tool_call is not None else list(generation.chunks)
