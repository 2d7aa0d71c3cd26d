"""Server tool runs in an Anthropic stream, joined for the neutral stream's `HostedToolUse`.

A `server_tool_use` block streams its input as JSON fragments; its `*_tool_result` block comes
later, whole, in its content_block_start. The run is sent when its result arrives; a call the
message ends without a result (a paused turn) is sent as it is when the message ends.
No pydantic, no I/O.
"""

from __future__ import annotations

from typing import Any

from ... import ir
from ...problems import ProtocolError
from ..shared.compact_json import loads
from ..shared.losses import warn_once
from .hosted import call_part, fill, result_part

RUN_BLOCKS = frozenset(
    {
        "server_tool_use",
        "web_search_tool_result",
        "code_execution_tool_result",
        "bash_code_execution_tool_result",
    }
)


class ServerRuns:
    __slots__ = ("_calls", "_open", "_warnings")

    def __init__(self, warnings: list[str]) -> None:
        self._warnings = warnings
        self._open: dict[int, tuple[dict[str, Any], list[str]]] = {}  # wire index -> call block, input JSON
        self._calls: list[ir.HostedToolPart] = []  # calls waiting for their result

    def start(self, index: int, block: dict[str, Any]) -> list[ir.StreamEvent]:
        if block["type"] == "server_tool_use":
            self._open[index] = (block, [])
            return []
        result = result_part(block, self._warnings)
        call = next((c for c in self._calls if c.id == result.id), None)
        if call is None:
            return [ir.HostedToolUse(result)]
        self._calls.remove(call)
        return [ir.HostedToolUse(fill(call, result))]

    def input(self, index: int, fragment: str) -> None:
        if index in self._open:
            self._open[index][1].append(fragment)

    def stop(self, index: int) -> None:
        block, chunks = self._open.pop(index, ({}, []))
        if not block:
            return
        try:
            arguments = loads("".join(chunks)) if chunks else block.get("input") or {}
            call = call_part({**block, "input": arguments}, self._warnings)
        except (ValueError, ProtocolError):
            warn_once(self._warnings, "server_tool_use: its input is not a JSON object; dropped")
            return
        if call is not None:
            self._calls.append(call)

    def unanswered(self) -> list[ir.StreamEvent]:
        """The calls the message ended without a result for."""
        calls, self._calls = self._calls, []
        return [ir.HostedToolUse(call) for call in calls]
