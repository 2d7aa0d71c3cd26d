"""Gemini's hosted tools <-> the IR's `HostedToolPart` and citations.

- Code execution is two parts: `executableCode` (language, code) and, after it, `codeExecutionResult`
  (outcome, output); the IR holds both in one part.
- Google Search is not a part but the candidate's `groundingMetadata`: `webSearchQueries` (one run
  each), `groundingChunks` (the pages found: the first run's results) and `groundingSupports` (which
  text, in UTF-8 byte offsets within a part, cites which chunks: `shared.citations`).
No pydantic, no I/O.
"""

from __future__ import annotations

from typing import Any

from ... import ir
from ..shared.hosted import hosted_id
from ..shared.losses import warn_once
from .wire import JSON, get2

_OUTCOME_OK, _OUTCOME_FAILED, _OUTCOME_TIMEOUT = "OUTCOME_OK", "OUTCOME_FAILED", "OUTCOME_DEADLINE_EXCEEDED"


def code_to_ir(value: Any, j: int) -> ir.HostedToolPart:
    """An `executableCode` part: the run, its result still to come."""
    value = value if isinstance(value, dict) else {}
    code, given = value.get("code"), value.get("id")
    code = code if isinstance(code, str) else ""
    language = value.get("language")
    language = "bash" if isinstance(language, str) and language.lower() == "bash" else "python"
    run_id = given if isinstance(given, str) else hosted_id("code_", code, j)
    return ir.HostedToolPart("code_execution", run_id, code, language, done=False)


def result_to_ir(value: Any, out: list[ir.Part]) -> None:
    """A `codeExecutionResult` part, put into the run it answers (by id, else the last open one)."""
    value = value if isinstance(value, dict) else {}
    outcome, output, given = value.get("outcome"), value.get("output"), value.get("id")
    output = output if isinstance(output, str) else ""
    run = next(
        (
            p
            for p in reversed(out)
            if type(p) is ir.HostedToolPart and not p.done and (not isinstance(given, str) or p.id == given)
        ),
        None,
    )
    if run is None:
        run = ir.HostedToolPart(
            "code_execution", given if isinstance(given, str) else hosted_id("code_", output, len(out)), ""
        )
        out.append(run)
    run.done = True
    if outcome == _OUTCOME_OK or outcome is None:
        run.output, run.return_code = output, 0
    elif outcome == _OUTCOME_TIMEOUT:
        run.stderr, run.error = output, "execution_time_exceeded"
    else:
        run.stderr, run.return_code = output, 1


def code_from_ir(part: ir.HostedToolPart, warnings: list[str]) -> list[JSON]:
    if part.language != "python":
        warn_once(
            warnings,
            f"code execution: Gemini runs Python; the {part.language} code is marked LANGUAGE_UNSPECIFIED",
        )
    language = "PYTHON" if part.language == "python" else "LANGUAGE_UNSPECIFIED"
    out: list[JSON] = [{"executableCode": {"language": language, "code": part.input}}]
    if not part.done:
        return out
    if part.error == "execution_time_exceeded":
        result = {"outcome": _OUTCOME_TIMEOUT, "output": part.stderr}
    elif part.error is not None or part.return_code not in (0, None):
        result = {"outcome": _OUTCOME_FAILED, "output": part.stderr or part.output or (part.error or "")}
    else:
        if part.stderr:
            warn_once(
                warnings, "code execution: Gemini's result of a run that succeeded has no stderr; dropped"
            )
        result = {"outcome": _OUTCOME_OK, "output": part.output}
    return [*out, {"codeExecutionResult": result}]


def web_searches_to_ir(metadata: Any, prefix: str) -> list[ir.HostedToolPart]:
    """The searches a grounded answer ran: one run per query, the pages found on the first."""
    if not isinstance(metadata, dict):
        return []
    queries = get2(metadata, "webSearchQueries", "web_search_queries")
    chunks = get2(metadata, "groundingChunks", "grounding_chunks")
    results = []
    for chunk in chunks if isinstance(chunks, list) else ():
        web = chunk.get("web") if isinstance(chunk, dict) else None
        if isinstance(web, dict) and isinstance(web.get("uri"), str):
            title = web.get("title")
            results.append(ir.WebResult(web["uri"], title if isinstance(title, str) else None))
    queries = [q for q in queries if isinstance(q, str)] if isinstance(queries, list) else []
    if not queries and results:
        queries = [""]  # pages without the query that found them
    return [
        ir.HostedToolPart("web_search", hosted_id(prefix, query, n), query, results=results if n == 0 else [])
        for n, query in enumerate(queries)
    ]


def grounding_from_ir(parts: list[ir.Part], wire_parts: list[JSON], warnings: list[str]) -> JSON | None:
    """A candidate's `groundingMetadata` from its web searches and its text parts' citations."""
    queries = [p.input for p in parts if type(p) is ir.HostedToolPart and p.kind == "web_search" and p.input]
    chunks: list[JSON] = []
    where: dict[str, int] = {}

    def chunk(url: str, title: str | None) -> int:
        if url not in where:
            where[url] = len(chunks)
            chunks.append({"web": {"uri": url, "title": title or url}})
        return where[url]

    for part in parts:
        if type(part) is ir.HostedToolPart and part.kind == "web_search":
            for result in part.results:
                chunk(result.url, result.title)
    supports: list[JSON] = []
    texts = [i for i, wire in enumerate(wire_parts) if "text" in wire and not wire.get("thought")]
    spoken = [p for p in parts if type(p) is ir.TextPart or type(p) is ir.RefusalPart]
    for part, wire_index in zip(spoken, texts, strict=False):
        if type(part) is not ir.TextPart or not part.citations:
            continue
        spans: dict[tuple[int, int], list[int]] = {}
        for c in part.citations:
            start = c.start or 0
            end = len(part.text) if c.end is None else c.end
            spans.setdefault((start, end), []).append(chunk(c.url, c.title))
        for (start, end), indices in spans.items():
            segment: JSON = {
                "startIndex": len(part.text[:start].encode("utf-8", "surrogatepass")),
                "endIndex": len(part.text[:end].encode("utf-8", "surrogatepass")),
                "text": part.text[start:end],
            }
            if wire_index:
                segment["partIndex"] = wire_index
            supports.append({"segment": segment, "groundingChunkIndices": indices})
    if not (queries or chunks):
        return None
    metadata: JSON = {}
    if queries:
        metadata["webSearchQueries"] = queries
    if chunks:
        metadata["groundingChunks"] = chunks
    if supports:
        metadata["groundingSupports"] = supports
    if any(r.opaque for p in parts if type(p) is ir.HostedToolPart for r in p.results):
        warn_once(
            warnings, "web_search results: Anthropic's encrypted page content has no Gemini form; dropped"
        )
    return metadata
