"""Responses hosted-tool items <-> the IR's `HostedToolPart`: `web_search_call` (a search action:
its query and sources) and `code_interpreter_call` (code and its logs). Shared by answers (output
items), request histories (input items) and streams. Other actions (open_page, find_in_page) and
other hosted tools stay Responses-only. No pydantic, no I/O.
"""

from __future__ import annotations

from typing import Any

from ... import ir
from ..shared.ids import synthetic_id
from ..shared.losses import warn_once
from .wire import LABEL

HOSTED_ITEMS = frozenset({"web_search_call", "code_interpreter_call"})


def item_to_part(item: dict[str, Any], warnings: list[str]) -> ir.HostedToolPart | None:
    """A hosted-tool item as a run; None when it has no neutral form (the caller keeps it)."""
    item_id, status = item.get("id"), item.get("status")
    if not isinstance(item_id, str):
        return None
    error = "unavailable" if status == "failed" else None
    done = status not in ("in_progress", "searching", "interpreting")
    if item.get("type") == "web_search_call":
        action = item.get("action")
        if not isinstance(action, dict) or action.get("type") != "search":
            return None
        query, queries = action.get("query"), action.get("queries")
        if not isinstance(query, str):
            strings = [q for q in queries if isinstance(q, str)] if isinstance(queries, list) else []
            query = "; ".join(strings)
        sources = action.get("sources")
        results = [
            ir.WebResult(source["url"])
            for source in (sources if isinstance(sources, list) else ())
            if isinstance(source, dict) and isinstance(source.get("url"), str)
        ]
        return ir.HostedToolPart("web_search", item_id, query, done=done, results=results, error=error)
    code, outputs = item.get("code"), item.get("outputs")
    logs = []
    for output in outputs if isinstance(outputs, list) else ():
        if isinstance(output, dict) and output.get("type") == "logs" and isinstance(output.get("logs"), str):
            logs.append(output["logs"])
        else:
            warn_once(warnings, "code_interpreter_call: image outputs have no neutral form; dropped")
    return ir.HostedToolPart(
        "code_execution",
        item_id,
        code if isinstance(code, str) else "",
        done=done,
        output="".join(logs),
        error=error,
    )


def part_to_item(part: ir.HostedToolPart, warnings: list[str]) -> dict[str, Any]:
    """A run as a hosted-tool item (the same shape in output and input)."""
    status = "failed" if part.error is not None else "completed" if part.done else "in_progress"
    if part.kind == "web_search":
        if any(result.title for result in part.results):
            warn_once(warnings, f"web_search results: {LABEL} search sources carry no title; dropped")
        sources = [{"type": "url", "url": result.url} for result in part.results]
        action = {"type": "search", "query": part.input, "sources": sources}
        return {"id": _item_id("ws_", part), "type": "web_search_call", "status": status, "action": action}
    if part.language != "python":
        warn_once(
            warnings,
            f"code execution: {LABEL}'s code interpreter runs Python; {part.language} code sent as it is",
        )
    if part.stderr or part.return_code:
        warn_once(warnings, f"code execution: {LABEL} logs carry no stderr or exit code; dropped")
    return {
        "id": _item_id("ci_", part),
        "type": "code_interpreter_call",
        "status": status,
        "code": part.input,
        "container_id": synthetic_id("cntr_", part.id),
        "outputs": [{"type": "logs", "logs": part.output}] if part.output else [],
    }


def _item_id(prefix: str, part: ir.HostedToolPart) -> str:
    return part.id if part.id.startswith(prefix) else prefix + part.id
