"""The function calls of a Responses stream, held in order for the neutral form.

Argument deltas are keyed by `output_index` (or `item_id`), so two function_call items may stream
their fragments interleaved. Neutral streams are sequential (a target such as Anthropic closes one
block before the next opens), so the first call streams live and a call added while it is open is
held back and sent whole, in order, once the calls before it are complete: the same rule the Chat
decoder applies to interleaved `index` fragments. No pydantic, no I/O.
"""

from __future__ import annotations

from typing import Any

from ... import ir
from ..shared.json_shapes import wrong


class Call:
    __slots__ = ("call_id", "chunks", "closed", "held", "index", "name")

    def __init__(self, index: int, call_id: str, name: str, held: bool) -> None:
        self.index = index  # ordinal among the message's calls
        self.call_id = call_id
        self.name = name
        self.chunks: list[str] = []
        self.closed = False
        self.held = held


class Calls:
    """output_index -> call, the call streaming live, and the held ones behind it."""

    __slots__ = ("by_index", "item_ids", "live")

    def __init__(self) -> None:
        self.by_index: dict[Any, Call] = {}
        self.item_ids: dict[str, Any] = {}  # item id -> output_index, for deltas giving only the id
        self.live: Call | None = None

    def open(self, index: Any, item: dict[str, Any], out: list[ir.StreamEvent]) -> Call:
        call_id, name = item.get("call_id"), item.get("name")
        if not isinstance(call_id, str):
            wrong(call_id, "a string", "item.call_id")
        if not isinstance(name, str):
            wrong(name, "a string", "item.name")
        if isinstance(item.get("id"), str):
            self.item_ids[item["id"]] = index
        call = self.by_index[index] = Call(len(self.by_index), call_id, name, self.live is not None)
        if not call.held:
            self.live = call
            out.append(ir.ToolCallStart(call.index, call_id, name))
        arguments = item.get("arguments")
        if isinstance(arguments, str) and arguments:
            self.add(call, arguments, out)
        return call

    def of(self, payload: dict[str, Any], output_index: Any) -> Call | None:
        """The call an arguments event is about: by output_index, else by item_id."""
        call = self.by_index.get(output_index)
        if call is None:
            item = payload.get("item_id")
            if isinstance(item, str) and item in self.item_ids:
                call = self.by_index.get(self.item_ids[item])
        return call

    def add(self, call: Call, fragment: str, out: list[ir.StreamEvent]) -> None:
        call.chunks.append(fragment)
        if not call.held:
            out.append(ir.ToolCallDelta(call.index, fragment))

    def done(self, call: Call, out: list[ir.StreamEvent]) -> None:
        """A call is complete: the live one closes its block and the held ones behind it follow;
        a held one waits, complete, for the calls before it."""
        call.closed = True
        if call is self.live:
            out.append(ir.BlockStop())
            self.live = None
            self._promote(out)

    def flush(self, out: list[ir.StreamEvent]) -> None:
        """The stream ended early: what was held back is still sent, whole, not lost with it."""
        if not any(call.held for call in self.by_index.values()):
            return
        if self.live is not None:
            out.append(ir.BlockStop())
            self.live = None
        for call in self.by_index.values():
            call.closed = True
        self._promote(out)

    def _promote(self, out: list[ir.StreamEvent]) -> None:
        """Each held call in order, whole when complete; the first incomplete one goes live."""
        for call in self.by_index.values():
            if not call.held:
                continue
            call.held = False
            out.append(ir.ToolCallStart(call.index, call.call_id, call.name))
            if call.chunks:
                out.append(ir.ToolCallDelta(call.index, "".join(call.chunks)))
            if not call.closed:
                self.live = call
                return
            out.append(ir.BlockStop())
