"""OpenAI Responses stream out: IR stream events to the named SSE events OpenAI sends.

A small state machine (conversion.md §B.2, §C.9): the first event opens the response
(`response.created`, `response.in_progress`); text and refusal deltas go into a message item
(`output_item.added`, `content_part.added`, then deltas), thinking into a reasoning item (summary
part 0), each tool call into a function_call item. Switching kinds, a BlockStop or the finish closes
the open item with its `*.done` events carrying the accumulated text. The terminal event
(`response.completed` / `.incomplete` / `.failed`) waits for `close()`, because usage may arrive
after the finish; it carries the full Response (every output item and the usage), which is what
the official SDK's `responses.stream()` checks the deltas against. Every event has
`sequence_number`, counting from 0. Ids are deterministic (`resp_0`, `msg_<id>_<n>`...).
No pydantic, no I/O.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ... import ir
from ...sse import SSEEvent
from ..shared.citations import url_citations
from ..shared.compact_json import dumps, quote
from ..shared.stream_guard import guard_encoder
from ..shared.usage import merge_usage
from .hosted import part_to_item
from .wire import LABEL, SYNTHETIC_STREAM_ID, envelope, item_id, status_from_ir, usage_from_ir


@guard_encoder
class OpenAIResponsesStreamEncoder:
    __slots__ = (
        "_chunks",
        "_cites",
        "_delta_head",
        "_delta_tail",
        "_delta_type",
        "_ended",
        "_id",
        "_index",
        "_item",
        "_late_warned",
        "_model",
        "_output",
        "_part",
        "_seq",
        "_started",
        "_stop",
        "_stop_sequence",
        "_tools",
        "_usage",
        "warnings",
    )

    def __init__(self) -> None:
        self.warnings: list[str] = []
        self._seq = 0
        self._id = SYNTHETIC_STREAM_ID
        self._model: str | None = None
        self._started = False
        self._ended = False  # the terminal event went out
        self._output: list[dict[str, Any]] = []
        self._item: dict[str, Any] | None = None  # the open output item
        self._index = -1  # its output_index
        self._part: dict[str, Any] | None = None  # the open content part / summary part
        # The delta events of the open part, as a JSON template: only the text and the sequence
        # number change from one delta to the next, so they are all that is encoded per event.
        self._delta_type = ""
        self._delta_head = ""
        self._delta_tail = ""
        self._chunks: list[str] = []  # text of the open part, or arguments of the open call
        self._cites: list[ir.Citation] = []  # citations of the open text part
        self._tools: dict[int, tuple[dict[str, Any], list[str]]] = {}  # IR tool index -> item, chunks
        self._stop: ir.StopReason | None = None
        self._stop_sequence: str | None = None
        self._usage: ir.Usage | None = None
        self._late_warned = False

    def encode(self, event: ir.StreamEvent) -> list[SSEEvent]:
        out: list[SSEEvent] = []
        if self._ended:
            return out
        if not self._started:
            self._start(event if isinstance(event, ir.StreamStart) else ir.StreamStart(), out)
            if isinstance(event, ir.StreamStart):
                return out
        _DISPATCH[type(event)](self, event, out)
        return out

    def close(self) -> list[SSEEvent]:
        out: list[SSEEvent] = []
        if self._ended or not self._started:
            return out
        self._close_item(out)
        stop = self._stop
        if stop is None:
            self.warnings.append(
                f"the source stream ended without a finish; {LABEL} stream closed as completed"
            )
        status, incomplete = status_from_ir(stop, self._stop_sequence, self.warnings)
        error = {"code": "server_error", "message": "The model failed to generate a response."}
        self._terminal(status, incomplete, error if status == "failed" else None, out)
        return out

    # ------------------------------------------------------------------ emitting

    def _emit(self, out: list[SSEEvent], typ: str, **fields: Any) -> None:
        fields = {"type": typ, **fields, "sequence_number": self._seq}
        self._seq += 1
        out.append(SSEEvent(dumps(fields), typ))

    def _response(self, status: str, **fields: Any) -> dict[str, Any]:
        return envelope(
            self._id, self._model, None, status, self._output, usage_from_ir(self._usage), **fields
        )

    def _start(self, event: ir.StreamStart, out: list[SSEEvent]) -> None:
        self._started = True
        if event.id:
            self._id = event.id
        self._model = event.model
        if event.usage is not None:
            self._add_usage(event.usage)
        created = self._response("in_progress")
        created["output"], created["usage"] = [], None
        self._emit(out, "response.created", response=created)
        self._emit(out, "response.in_progress", response=created)

    def _terminal(
        self,
        status: str,
        incomplete: dict[str, str] | None,
        error: dict[str, Any] | None,
        out: list[SSEEvent],
    ) -> None:
        self._ended = True
        typ = {"completed": "response.completed", "incomplete": "response.incomplete"}.get(
            status, "response.failed"
        )
        response = self._response(status, incomplete_details=incomplete, error=error)
        self._emit(out, typ, response=response)

    def _open_item(self, item: dict[str, Any], out: list[SSEEvent]) -> None:
        self._close_item(out)
        self._chunks = []
        self._index = len(self._output)
        self._output.append(item)
        self._item = item
        self._emit(out, "response.output_item.added", output_index=self._index, item=item)

    def _close_item(self, out: list[SSEEvent]) -> None:
        item = self._item
        if item is None:
            return
        self._close_part(out)
        typ = item["type"]
        if typ == "function_call":
            arguments = item["arguments"] = "".join(self._chunks)
            self._emit(
                out,
                "response.function_call_arguments.done",
                item_id=item["id"],
                output_index=self._index,
                name=item["name"],
                arguments=arguments,
            )
        item["status"] = "completed"
        self._emit(out, "response.output_item.done", output_index=self._index, item=item)
        self._item = None
        self._chunks = []

    def _close_part(self, out: list[SSEEvent]) -> None:
        part, item = self._part, self._item
        if part is None or item is None:
            return
        text = "".join(self._chunks)
        self._chunks = []
        self._part = None
        head = {"item_id": item["id"], "output_index": self._index}
        typ = part["type"]
        if typ == "summary_text":
            part["text"] = text
            item["summary"].append(part)
            self._emit(out, "response.reasoning_summary_text.done", **head, summary_index=0, text=text)
            self._emit(out, "response.reasoning_summary_part.done", **head, summary_index=0, part=part)
            return
        content_index = len(item["content"])
        item["content"].append(part)
        if typ == "refusal":
            part["refusal"] = text
            self._emit(out, "response.refusal.done", **head, content_index=content_index, refusal=text)
        else:
            part["text"] = text
            if self._cites:
                cited = ir.TextPart(text, citations=self._cites)
                self._cites = []
                for n, annotation in enumerate(url_citations([cited], nested=False)):
                    part["annotations"].append(annotation)
                    self._emit(
                        out, "response.output_text.annotation.added", **head,
                        content_index=content_index, annotation_index=n, annotation=annotation,
                    )  # fmt: skip
            self._emit(
                out, "response.output_text.done", **head, content_index=content_index, text=text, logprobs=[]
            )
        self._emit(out, "response.content_part.done", **head, content_index=content_index, part=part)

    # ------------------------------------------------------------------ IR events

    def _on_start(self, event: ir.StreamStart, out: list[SSEEvent]) -> None:
        # The response id is fixed by response.created (the SDK checks it); model and usage may come late.
        if self._model is None:
            self._model = event.model
        if event.usage is not None:
            self._add_usage(event.usage)

    def _delta(self, text: str, out: list[SSEEvent]) -> None:
        seq = self._seq
        self._seq = seq + 1
        data = f'{self._delta_head}{quote(text)}{self._delta_tail},"sequence_number":{seq}}}'
        out.append(SSEEvent(data, self._delta_type))

    def _template(self, typ: str, fields: dict[str, Any], tail: str = "") -> None:
        """Prepare the delta events of a part just opened (fields in OpenAI's order, before `delta`)."""
        self._delta_type = typ
        self._delta_head = dumps({"type": typ, **fields})[:-1] + ',"delta":'
        self._delta_tail = tail

    def _on_text(self, event: ir.TextDelta | ir.RefusalDelta, out: list[SSEEvent]) -> None:
        wanted = "refusal" if type(event) is ir.RefusalDelta else "output_text"
        part = self._part
        if part is None or part["type"] != wanted:
            self._open_part(wanted, out)
        self._chunks.append(event.text)
        self._delta(event.text, out)

    def _open_part(self, wanted: str, out: list[SSEEvent]) -> None:
        item = self._item
        if item is None or item["type"] != "message":
            index = len(self._output)
            item = {
                "id": item_id("msg", self._id, index),
                "type": "message",
                "status": "in_progress",
                "role": "assistant",
                "content": [],
            }
            self._open_item(item, out)
        else:
            self._close_part(out)
        part: dict[str, Any] = {"type": wanted, "text": "", "annotations": []}
        if wanted == "refusal":
            part = {"type": "refusal", "refusal": ""}
        self._part = part
        head = {"item_id": item["id"], "output_index": self._index, "content_index": len(item["content"])}
        self._emit(out, "response.content_part.added", **head, part=part)
        if wanted == "refusal":
            self._template("response.refusal.delta", head)
        else:
            self._template("response.output_text.delta", head, ',"logprobs":[]')

    def _on_thinking(self, event: ir.ThinkingDelta, out: list[SSEEvent]) -> None:
        item = self._item
        if item is None or item["type"] != "reasoning":
            item = {"id": item_id("rs", self._id, len(self._output)), "type": "reasoning", "summary": []}
            self._open_item(item, out)
        if event.text:
            if self._part is None:
                head = {"item_id": item["id"], "output_index": self._index, "summary_index": 0}
                self._part = {"type": "summary_text", "text": ""}
                self._emit(out, "response.reasoning_summary_part.added", **head, part=self._part)
                self._template("response.reasoning_summary_text.delta", head)
            self._chunks.append(event.text)
            self._delta(event.text, out)
        if event.signature:
            item["encrypted_content"] = item.get("encrypted_content", "") + event.signature

    def _on_tool_start(self, event: ir.ToolCallStart, out: list[SSEEvent]) -> None:
        item = {
            "id": item_id("fc", self._id, len(self._output)),
            "type": "function_call",
            "status": "in_progress",
            "call_id": event.id,
            "name": event.name,
            "arguments": "",
        }
        self._open_item(item, out)
        self._tools[event.index] = (item, self._chunks)
        self._template(
            "response.function_call_arguments.delta", {"item_id": item["id"], "output_index": self._index}
        )
        if event.signature is not None:
            self.warnings.append(f"signature: {LABEL} function calls carry no thought signature; dropped")

    def _on_tool_delta(self, event: ir.ToolCallDelta, out: list[SSEEvent]) -> None:
        found = self._tools.get(event.index)
        if found is None:
            self.warnings.append(f"tool call {event.index}: arguments arrived before its start; dropped")
            return
        item, chunks = found
        chunks.append(event.arguments)
        if item is self._item:
            self._delta(event.arguments, out)
            return
        # The call was closed already (the source interleaved calls): fix the final Response only.
        item["arguments"] = "".join(chunks)
        if not self._late_warned:
            self._late_warned = True
            self.warnings.append(
                f"tool call {event.index}: arguments arrived after the call was closed; "
                "only the final response carries them"
            )

    def _on_citation(self, event: ir.CitationDelta, out: list[SSEEvent]) -> None:
        """Held on the open text part: a whole-part citation's span is known when the part closes."""
        if self._part is None or self._part["type"] != "output_text":
            self._open_part("output_text", out)
        self._cites.append(event.citation)

    def _on_hosted(self, event: ir.HostedToolUse, out: list[SSEEvent]) -> None:
        """A hosted tool's run as its item, added and done at once with the stages OpenAI reports."""
        self._close_item(out)
        item = part_to_item(event.part, self.warnings)
        typ, head = item["type"], {"item_id": item["id"], "output_index": len(self._output)}
        self._output.append(item)
        self._emit(
            out,
            "response.output_item.added",
            output_index=head["output_index"],
            item={**item, "status": "in_progress"},
        )
        self._emit(out, f"response.{typ}.in_progress", **head)
        if typ == "web_search_call":
            self._emit(out, "response.web_search_call.searching", **head)
        else:
            self._emit(out, "response.code_interpreter_call_code.done", **head, code=item["code"])
            self._emit(out, "response.code_interpreter_call.interpreting", **head)
        self._emit(out, f"response.{typ}.completed", **head)
        self._emit(out, "response.output_item.done", output_index=head["output_index"], item=item)

    def _on_block_stop(self, event: ir.BlockStop, out: list[SSEEvent]) -> None:
        self._close_item(out)

    def _on_finish(self, event: ir.StreamFinish, out: list[SSEEvent]) -> None:
        self._close_item(out)
        self._stop = event.stop_reason
        self._stop_sequence = event.stop_sequence

    def _on_usage(self, event: ir.StreamUsage, out: list[SSEEvent]) -> None:
        self._add_usage(event.usage)

    def _add_usage(self, new: ir.Usage) -> None:
        self._usage = merge_usage(self._usage, new)

    def _on_error(self, event: ir.StreamError, out: list[SSEEvent]) -> None:
        # A failure leaves the open item unfinished, as OpenAI does: no *.done events, and the
        # failed Response lists only the items that were completed.
        if self._item is not None:
            self._output.pop()
            self._item = None
        self._terminal("failed", None, {"code": event.type, "message": event.message}, out)


_DISPATCH: dict[type, Callable[[OpenAIResponsesStreamEncoder, Any, list[SSEEvent]], None]] = {
    ir.StreamStart: OpenAIResponsesStreamEncoder._on_start,
    ir.TextDelta: OpenAIResponsesStreamEncoder._on_text,
    ir.RefusalDelta: OpenAIResponsesStreamEncoder._on_text,
    ir.ThinkingDelta: OpenAIResponsesStreamEncoder._on_thinking,
    ir.ToolCallStart: OpenAIResponsesStreamEncoder._on_tool_start,
    ir.ToolCallDelta: OpenAIResponsesStreamEncoder._on_tool_delta,
    ir.BlockStop: OpenAIResponsesStreamEncoder._on_block_stop,
    ir.StreamFinish: OpenAIResponsesStreamEncoder._on_finish,
    ir.StreamUsage: OpenAIResponsesStreamEncoder._on_usage,
    ir.StreamError: OpenAIResponsesStreamEncoder._on_error,
    ir.HostedToolUse: OpenAIResponsesStreamEncoder._on_hosted,
    ir.CitationDelta: OpenAIResponsesStreamEncoder._on_citation,
}
