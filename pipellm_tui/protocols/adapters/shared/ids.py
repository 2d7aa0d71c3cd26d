"""Deterministic ids: `synthetic_id` (a prefix and a hash, no clock, no randomness) and `answer_id`,
the id of an answer whose source named none.
"""

from __future__ import annotations

import hashlib

from ... import ir


def synthetic_id(prefix: str, seed: str) -> str:
    """`prefix` and a hash of `seed`: the same input always gets the same id (no clock, no randomness)."""
    # "surrogatepass": a lone surrogate in the text (JSON allows one) must not make the id unwritable.
    return prefix + hashlib.blake2b(seed.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


def answer_id(prefix: str, response: ir.Response) -> str:
    """The id of an answer whose source named none, from what it says: model, text and tool calls."""
    calls = [(p.name, p.arguments) for p in response.parts if type(p) is ir.ToolCallPart]
    return synthetic_id(prefix, f"{response.model}\n{response.text}\n{calls}")
