"""Hosted (server-side) tool runs as every format names them: what a format without a place for them
says when it drops one, and ids for runs whose format gives none (Gemini). No I/O; stdlib only."""

from __future__ import annotations

from ... import ir
from .ids import synthetic_id
from .losses import warn_once


def describe(part: ir.HostedToolPart) -> str:
    """The run in a few words, for the warning that drops it."""
    if part.kind == "web_search":
        return f"the web search {part.input[:60]!r} and its {len(part.results)} result(s)"
    return f"the {part.language} code execution and its output"


def drop_hosted(part: ir.HostedToolPart, where: str, warnings: list[str]) -> None:
    warn_once(warnings, f"{part.kind}: {where}; dropped {describe(part)}")


def hosted_id(prefix: str, part_input: str, ordinal: int) -> str:
    """An id for a run that has none on the wire: the same run gets the same id."""
    return synthetic_id(prefix, f"{ordinal}:{part_input}")
