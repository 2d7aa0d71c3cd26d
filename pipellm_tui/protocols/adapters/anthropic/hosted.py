"""Anthropic server tools (web search, code execution) <-> the IR's `HostedToolPart`.

A run is two blocks on the wire: `server_tool_use` (the call) and, later in the same content, its
`web_search_tool_result` / `code_execution_tool_result` / `bash_code_execution_tool_result`; the
IR holds both in one part (`join_result`). Other server tools (web_fetch, text editor, tool
search) have no neutral form and are named as dropped. No pydantic, no I/O.
"""

from __future__ import annotations

import re
from typing import Any

from ... import ir
from ..base import Warnings
from ..shared.json_shapes import need_dict, need_str
from ..shared.losses import warn_once

#: server_tool_use name -> (IR kind, language, the input key holding the query or code).
_CALLS = {
    "web_search": ("web_search", "", "query"),
    "code_execution": ("code_execution", "python", "code"),
    "bash_code_execution": ("code_execution", "bash", "command"),
}
_RESULT_KINDS = {
    "web_search_tool_result": "web_search",
    "code_execution_tool_result": "code_execution",
    "bash_code_execution_tool_result": "code_execution",
}
_NOT_ID = re.compile(r"[^a-zA-Z0-9_]")


def call_part(block: dict[str, Any], warnings: Warnings) -> ir.HostedToolPart | None:
    """A `server_tool_use` block: the run, its result still to come."""
    name = block.get("name")
    known = _CALLS.get(name) if isinstance(name, str) else None
    if known is None:
        warn_once(warnings, f"server_tool_use {name!r}: this server tool has no neutral form; dropped")
        return None
    kind, language, key = known
    arguments = need_dict(block.get("input"), "input")
    value = arguments.get(key)
    return ir.HostedToolPart(
        kind,  # type: ignore[arg-type]
        need_str(block.get("id"), "id"),
        value if isinstance(value, str) else "",
        language or "python",
        done=False,
    )


def result_part(block: dict[str, Any], warnings: Warnings) -> ir.HostedToolPart:
    """A result block, as a run whose call is not known yet (`join_result` finds the call)."""
    kind = _RESULT_KINDS[block["type"]]
    part = ir.HostedToolPart(kind, need_str(block.get("tool_use_id"), "tool_use_id"), "")  # type: ignore[arg-type]
    content = block.get("content")
    if isinstance(content, list):
        for item in content:
            if isinstance(item, dict) and isinstance(item.get("url"), str):
                title, opaque, age = item.get("title"), item.get("encrypted_content"), item.get("page_age")
                part.results.append(
                    ir.WebResult(
                        item["url"],
                        title if isinstance(title, str) else None,
                        opaque if isinstance(opaque, str) else None,
                        age if isinstance(age, str) else None,
                    )
                )
    elif isinstance(content, dict):
        error = content.get("error_code")
        if isinstance(error, str):
            part.error = error
        stdout, stderr, code = content.get("stdout"), content.get("stderr"), content.get("return_code")
        part.output = stdout if isinstance(stdout, str) else ""
        part.stderr = stderr if isinstance(stderr, str) else ""
        part.return_code = code if type(code) is int else None
        if content.get("type") == "encrypted_code_execution_result" or content.get("content"):
            warn_once(
                warnings, f"{block['type']}: encrypted output and output files have no neutral form; dropped"
            )
        if block["type"].startswith("bash"):
            part.language = "bash"
    return part


def join_result(parts: list[ir.Part], result: ir.HostedToolPart) -> bool:
    """Put a result into the call it answers, if that call is among `parts` (True when it was)."""
    for part in reversed(parts):
        if type(part) is ir.HostedToolPart and part.id == result.id and not part.done:
            fill(part, result)
            return True
    return False


def fill(call: ir.HostedToolPart, result: ir.HostedToolPart) -> ir.HostedToolPart:
    """The call, with what its result block said."""
    call.done, call.results, call.error = True, result.results, result.error
    call.output, call.stderr, call.return_code = result.output, result.stderr, result.return_code
    return call


def server_id(call_id: str) -> str:
    """Anthropic's server tool ids read `srvtoolu_...`; another format's id is made to fit."""
    return call_id if call_id.startswith("srvtoolu_") else "srvtoolu_" + _NOT_ID.sub("_", call_id)


def call_block(part: ir.HostedToolPart) -> dict[str, Any]:
    if part.kind == "web_search":
        name, arguments = "web_search", {"query": part.input}
    elif part.language == "bash":
        name, arguments = "bash_code_execution", {"command": part.input}
    else:
        name, arguments = "code_execution", {"code": part.input}
    return {"type": "server_tool_use", "id": server_id(part.id), "name": name, "input": arguments}


def result_block(part: ir.HostedToolPart, warnings: Warnings) -> dict[str, Any]:
    tool_use_id = server_id(part.id)
    if part.kind == "web_search":
        if part.error is not None:
            error: Any = {"type": "web_search_tool_result_error", "error_code": part.error}
            return {"type": "web_search_tool_result", "tool_use_id": tool_use_id, "content": error}
        results = []
        for result in part.results:
            if result.opaque is None:
                warn_once(
                    warnings,
                    "web_search results: another provider's pages carry no Anthropic encrypted_content",
                )
            results.append(
                {
                    "type": "web_search_result",
                    "url": result.url,
                    "title": result.title or result.url,
                    "encrypted_content": result.opaque or "",
                    "page_age": result.page_age,
                }
            )
        return {"type": "web_search_tool_result", "tool_use_id": tool_use_id, "content": results}
    prefix = "bash_code_execution" if part.language == "bash" else "code_execution"
    if part.error is not None:
        content: dict[str, Any] = {"type": f"{prefix}_tool_result_error", "error_code": part.error}
    else:
        content = {
            "type": f"{prefix}_result",
            "stdout": part.output,
            "stderr": part.stderr,
            "return_code": part.return_code if part.return_code is not None else 0,
            "content": [],
        }
    return {"type": f"{prefix}_tool_result", "tool_use_id": tool_use_id, "content": content}


def hosted_blocks(part: ir.HostedToolPart, warnings: Warnings) -> list[dict[str, Any]]:
    """The call block, and its result block when the result is known."""
    if not part.done:
        return [call_block(part)]
    return [call_block(part), result_block(part, warnings)]
