"""OpenAI Responses stream in: named SSE events (`response.*`, `error`) to IR stream events.

Maps (conversion.md §B.2): `response.created` -> StreamStart; output_text / refusal deltas -> Text /
RefusalDelta; a function_call item added -> ToolCallStart (index = ordinal among the tool calls),
its argument deltas -> ToolCallDelta; reasoning summary deltas -> ThinkingDelta (summaries joined by
a blank line, as the non-streaming reader does), `encrypted_content` -> ThinkingDelta(signature);
content_part.done / output_item.done -> BlockStop; the terminal event -> StreamUsage then
StreamFinish; `response.failed` and `error` -> StreamError.

It is forgiving: every `*.done` event and the terminal Response carry the full text, so text a
stream left out (the API reference's own example elides deltas) is caught up from them, and items
seen only in the final Response are replayed. Unknown event types and unparseable data are skipped
with a warning, never an exception. No pydantic, no I/O.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ... import ir
from ...problems import ProtocolError
from ...sse import SSEEvent
from ..shared.citations import openai_citations
from ..shared.compact_json import loads
from ..shared.json_shapes import wrong
from ..shared.losses import warn_once
from ..shared.stream_guard import guard_decoder, not_understood
from .hosted import HOSTED_ITEMS, item_to_part
from .stream_calls import Calls
from .wire import LABEL, reasoning_to_ir, stop_to_ir, usage_to_ir

#: Events that carry nothing the neutral form needs beyond what other events already say.
_QUIET = frozenset(
    {
        "response.queued",
        "response.content_part.added",
        "response.reasoning_summary_part.done",
        # Caught up from output_item.done instead, where the summary parts are joined.
        "response.reasoning_summary_text.done",
        "response.reasoning_text.done",
        # Hosted-tool stages: the run is read whole from its output_item.done.
        *(f"response.web_search_call.{stage}" for stage in ("in_progress", "searching", "completed")),
        *(
            f"response.code_interpreter_call.{stage}"
            for stage in ("in_progress", "interpreting", "completed")
        ),
        "response.code_interpreter_call_code.delta",
        "response.code_interpreter_call_code.done",
    }
)


@guard_decoder
class OpenAIResponsesStreamDecoder:
    __slots__ = ("_closed", "_finished", "_kinds", "_parts", "_started", "_tools", "warnings")

    def __init__(self) -> None:
        self.warnings: list[str] = []
        self._started = False
        self._finished = False
        self._tools = Calls()  # function calls, held in order when they interleave
        #: (output_index, content_index or "s"+summary_index) -> text chunks so far.
        self._parts: dict[tuple[Any, Any], list[str]] = {}
        self._closed: set[Any] = set()  # output indexes (and part keys) whose BlockStop was sent
        self._kinds: dict[Any, Any] = {}  # output_index -> item type

    def feed(self, event: SSEEvent) -> list[ir.StreamEvent]:
        data = event.data
        if data == "[DONE]":  # not in the spec, but some gateways send it
            return []
        try:
            payload = loads(data)
        except (ValueError, RecursionError):
            warn_once(self.warnings, f"skipped an event whose data is not JSON: {data[:80]!r}")
            not_understood(self.warnings, "data not JSON")
            return []
        if not isinstance(payload, dict):
            warn_once(
                self.warnings, f"skipped an event whose data is {type(payload).__name__}, not an object"
            )
            not_understood(self.warnings, "data not a JSON object")
            return []
        typ = payload.get("type") or event.event
        if not isinstance(typ, str):
            warn_once(self.warnings, "skipped an event with no type")
            not_understood(self.warnings, "an event with no type")
            return []
        handler = _HANDLERS.get(typ)
        out: list[ir.StreamEvent] = []
        if handler is None:
            if typ not in _QUIET:
                warn_once(self.warnings, f"{typ}: event type not converted; skipped")
                not_understood(self.warnings, f"event {typ[:40]} (not converted)")
            return out
        try:
            handler(self, payload, out)
        except ProtocolError as exc:
            warn_once(self.warnings, f"{typ}: {exc}; skipped")
            not_understood(self.warnings, f"event {typ} (malformed)")
        return out

    def close(self) -> list[ir.StreamEvent]:
        out: list[ir.StreamEvent] = []
        if self._started and not self._finished:
            self.warnings.append(f"the {LABEL} stream ended before its terminal event (response.completed)")
            self._tools.flush(out)
        return out

    # ------------------------------------------------------------------ lifecycle

    def _start(self, payload: dict[str, Any], out: list[ir.StreamEvent]) -> None:
        if self._started:
            return
        self._started = True
        response = payload.get("response")
        if isinstance(response, dict):
            rid, model = response.get("id"), response.get("model")
            out.append(
                ir.StreamStart(
                    rid if isinstance(rid, str) else None, model if isinstance(model, str) else None
                )
            )
        else:
            out.append(ir.StreamStart())

    def _terminal(self, payload: dict[str, Any], out: list[ir.StreamEvent]) -> None:
        """The end of the answer. A bad piece of the final Response costs a warning, never the finish."""
        self._start(payload, out)
        response = payload.get("response")
        if not isinstance(response, dict):
            response = {}
            self.warnings.append(f"{payload.get('type')}: no response object; finished without it")
        output = response.get("output")
        for index, item in enumerate(output if isinstance(output, list) else ()):
            if isinstance(item, dict):
                try:
                    self._item_done(index, item, out)
                except ProtocolError as exc:
                    self.warnings.append(f"response.output[{index}]: {exc}; skipped")
        self._finished = True
        try:
            usage = usage_to_ir(response.get("usage"), "response.usage")
        except ProtocolError as exc:
            self.warnings.append(f"{exc}; usage skipped")
            usage = None
        if usage is not None:
            out.append(ir.StreamUsage(usage))
        status = response.get("status")
        if status == "failed" or payload.get("type") == "response.failed":
            error = response.get("error")
            error = error if isinstance(error, dict) else {}
            message, code = error.get("message"), error.get("code")
            out.append(
                ir.StreamError(
                    message if isinstance(message, str) else "The response failed.",
                    code if isinstance(code, str) else "server_error",
                )
            )
            return
        if not isinstance(status, str):
            status = None  # a terminal event without a (readable) status still ends the answer
        details = response.get("incomplete_details")
        stop = stop_to_ir(status, details, bool(self._tools.by_index), "response.", self.warnings)
        out.append(ir.StreamFinish(stop or ir.StopReason.END_TURN))

    def _error(self, payload: dict[str, Any], out: list[ir.StreamEvent]) -> None:
        message, code = payload.get("message"), payload.get("code")
        error = payload.get("error")  # some servers nest it the way non-streaming errors do
        if isinstance(error, dict):
            message, code = error.get("message", message), error.get("code") or error.get("type") or code
        self._finished = True
        out.append(
            ir.StreamError(
                message if isinstance(message, str) else "The stream reported an error.",
                code if isinstance(code, str) else "api_error",
            )
        )

    # ------------------------------------------------------------------ items

    def _item_added(self, payload: dict[str, Any], out: list[ir.StreamEvent]) -> None:
        self._start(payload, out)
        index, item = _at(payload, "output_index"), payload.get("item")
        if not isinstance(item, dict):
            wrong(item, "an object", "item")
        typ = item.get("type")
        self._kinds[index] = typ
        if typ == "function_call":
            self._tools.open(index, item, out)
        elif typ not in ("message", "reasoning") and not (type(typ) is str and typ in HOSTED_ITEMS):
            self.warnings.append(f"output[{index}]: {typ} items cannot be converted; skipped")

    def _item_done_event(self, payload: dict[str, Any], out: list[ir.StreamEvent]) -> None:
        self._start(payload, out)
        item = payload.get("item")
        if not isinstance(item, dict):
            wrong(item, "an object", "item")
        self._item_done(_at(payload, "output_index"), item, out)

    def _item_done(self, index: Any, item: dict[str, Any], out: list[ir.StreamEvent]) -> None:
        """Send whatever of a finished item the deltas did not, then close it (once)."""
        if index in self._closed:
            return
        typ = item.get("type")
        if typ == "message":
            content = item.get("content")
            for k, part in enumerate(content if isinstance(content, list) else ()):
                if isinstance(part, dict):
                    self._part_done(index, k, part, out)
        elif typ == "function_call":
            tool = self._tools.by_index.get(index) or self._tools.open(index, item, out)
            arguments = item.get("arguments")
            if isinstance(arguments, str):
                self._catch_up(
                    tool.chunks,
                    arguments,
                    [] if tool.held else out,
                    lambda rest: ir.ToolCallDelta(tool.index, rest),
                )
            self._tools.done(tool, out)
        elif typ == "reasoning":
            thinking = reasoning_to_ir(item, f"output[{index}]")
            chunks = self._parts.setdefault((index, "thinking"), [])
            self._catch_up(chunks, thinking.text, out, lambda rest: ir.ThinkingDelta(rest))
            if thinking.signature:
                out.append(ir.ThinkingDelta("", thinking.signature))
            if chunks or thinking.signature:
                out.append(ir.BlockStop())
        elif type(typ) is str and typ in HOSTED_ITEMS:
            run = item_to_part(item, self.warnings)
            if run is None:
                self.warnings.append(f"output[{index}]: a {typ} of this action cannot be converted; skipped")
            else:
                out.append(ir.HostedToolUse(run))
        elif self._kinds.get(index) != typ:  # not warned about when it was added
            self.warnings.append(f"output[{index}]: {typ} items cannot be converted; skipped")
        self._kinds[index] = typ
        self._closed.add(index)

    def _part_done(self, index: Any, k: Any, part: dict[str, Any], out: list[ir.StreamEvent]) -> None:
        key = (index, k)
        if key in self._closed:
            return
        chunks = self._parts.setdefault(key, [])
        if part.get("type") == "refusal":
            refusal = part.get("refusal")
            if isinstance(refusal, str):
                self._catch_up(chunks, refusal, out, lambda rest: ir.RefusalDelta(rest))
        else:
            text = part.get("text")
            if isinstance(text, str):
                self._catch_up(chunks, text, out, lambda rest: ir.TextDelta(rest))
        self._closed.add(key)
        if chunks:
            out.append(ir.BlockStop())

    def _catch_up(
        self, chunks: list[str], full: str, out: list[ir.StreamEvent], make: Callable[[str], ir.StreamEvent]
    ) -> None:
        so_far = "".join(chunks) if len(chunks) != 1 else chunks[0]
        if full == so_far:
            return
        if full.startswith(so_far):
            rest = full[len(so_far) :]
            chunks.append(rest)
            out.append(make(rest))
        else:
            self.warnings.append("a *.done event disagrees with the deltas before it; kept the deltas")

    # ------------------------------------------------------------------ deltas

    def _text_delta(self, payload: dict[str, Any], out: list[ir.StreamEvent]) -> None:
        delta = payload.get("delta")
        if not isinstance(delta, str):
            wrong(delta, "a string", "delta")
        if not self._started:
            self._start(payload, out)
        key = (_at(payload, "output_index"), _at(payload, "content_index"))
        chunks = self._parts.get(key)
        if chunks is None:
            chunks = self._parts[key] = []
        chunks.append(delta)
        if payload.get("type") == "response.refusal.delta":
            out.append(ir.RefusalDelta(delta))
        else:
            out.append(ir.TextDelta(delta))

    def _text_done(self, payload: dict[str, Any], out: list[ir.StreamEvent]) -> None:
        if payload.get("type") == "response.refusal.done":
            part = {"type": "refusal", "refusal": payload.get("refusal")}
        else:
            part = {"type": "output_text", "text": payload.get("text")}
        self._part_done(_at(payload, "output_index"), _at(payload, "content_index"), part, out)

    def _content_part_done(self, payload: dict[str, Any], out: list[ir.StreamEvent]) -> None:
        part = payload.get("part")
        if isinstance(part, dict):
            self._part_done(_at(payload, "output_index"), _at(payload, "content_index"), part, out)

    def _arguments_delta(self, payload: dict[str, Any], out: list[ir.StreamEvent]) -> None:
        delta = payload.get("delta")
        if not isinstance(delta, str):
            wrong(delta, "a string", "delta")
        index = _at(payload, "output_index")
        tool = self._tools.of(payload, index)
        if tool is None:
            wrong(index, "the index of a function_call item added earlier", "output_index")
        self._tools.add(tool, delta, out)

    def _arguments_done(self, payload: dict[str, Any], out: list[ir.StreamEvent]) -> None:
        tool = self._tools.of(payload, _at(payload, "output_index"))
        arguments = payload.get("arguments")
        if tool is not None and isinstance(arguments, str):
            self._catch_up(
                tool.chunks,
                arguments,
                [] if tool.held else out,
                lambda rest: ir.ToolCallDelta(tool.index, rest),
            )

    def _summary_part_added(self, payload: dict[str, Any], out: list[ir.StreamEvent]) -> None:
        index = payload.get("summary_index")
        if isinstance(index, int) and index > 0:
            # A later summary part: the same blank line the non-streaming reader joins parts with.
            self._parts.setdefault((_at(payload, "output_index"), "thinking"), []).append("\n\n")
            out.append(ir.ThinkingDelta("\n\n"))

    def _thinking_delta(self, payload: dict[str, Any], out: list[ir.StreamEvent]) -> None:
        delta = payload.get("delta")
        if not isinstance(delta, str):
            wrong(delta, "a string", "delta")
        self._start(payload, out)
        self._parts.setdefault((_at(payload, "output_index"), "thinking"), []).append(delta)
        out.append(ir.ThinkingDelta(delta))

    def _annotation(self, payload: dict[str, Any], out: list[ir.StreamEvent]) -> None:
        # Its start/end index the output_text part, the open text block of the neutral stream.
        out.extend(
            ir.CitationDelta(c)
            for c in openai_citations([payload.get("annotation")], False, self.warnings) or ()
        )


def _at(payload: dict[str, Any], key: str) -> int | None:
    """An output / content index: it keys the decoder's state, so anything but an integer is refused."""
    value = payload.get(key)
    if value is None or type(value) is int:
        return value
    wrong(value, "an integer", key)


_Handler = Callable[[OpenAIResponsesStreamDecoder, dict[str, Any], list[ir.StreamEvent]], None]
_HANDLERS: dict[str, _Handler] = {
    "response.created": OpenAIResponsesStreamDecoder._start,
    "response.in_progress": OpenAIResponsesStreamDecoder._start,
    "response.output_item.added": OpenAIResponsesStreamDecoder._item_added,
    "response.output_item.done": OpenAIResponsesStreamDecoder._item_done_event,
    "response.output_text.delta": OpenAIResponsesStreamDecoder._text_delta,
    "response.refusal.delta": OpenAIResponsesStreamDecoder._text_delta,
    "response.output_text.done": OpenAIResponsesStreamDecoder._text_done,
    "response.refusal.done": OpenAIResponsesStreamDecoder._text_done,
    "response.content_part.done": OpenAIResponsesStreamDecoder._content_part_done,
    "response.function_call_arguments.delta": OpenAIResponsesStreamDecoder._arguments_delta,
    "response.function_call_arguments.done": OpenAIResponsesStreamDecoder._arguments_done,
    "response.reasoning_summary_part.added": OpenAIResponsesStreamDecoder._summary_part_added,
    "response.reasoning_summary_text.delta": OpenAIResponsesStreamDecoder._thinking_delta,
    "response.reasoning_text.delta": OpenAIResponsesStreamDecoder._thinking_delta,
    "response.output_text.annotation.added": OpenAIResponsesStreamDecoder._annotation,
    "response.completed": OpenAIResponsesStreamDecoder._terminal,
    "response.incomplete": OpenAIResponsesStreamDecoder._terminal,
    "response.failed": OpenAIResponsesStreamDecoder._terminal,
    "error": OpenAIResponsesStreamDecoder._error,
}

__all__ = ["OpenAIResponsesStreamDecoder"]
