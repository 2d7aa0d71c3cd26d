"""The neutral form (IR) every wire format converts into and out of.

A conversion from format A to format B is always `B.from_ir(A.to_ir(x))`, so the IR must hold
everything that at least two formats can express. It is shaped like content blocks (the richest of
the four formats): a request is system text plus messages made of parts.

Decisions (see README "Architecture"):
- Roles are `user` and `assistant`, plus `system` for instructions in the middle of a conversation
  (formats without them fold them into the system prompt, with a warning). A tool result is a `ToolResultPart` inside a user message
  (Anthropic's shape); the OpenAI adapter turns consecutive `role: "tool"` messages into one such
  user message and back, so there is exactly one way to say "tool result".
- Tool-call arguments are a parsed JSON object (`arguments`); adapters whose wire format carries a
  string serialise it. Unparseable argument strings are kept as `{"_raw": "..."}` with a warning.
- Usage totals are inclusive: `input_tokens` counts cached tokens, `output_tokens` counts reasoning
  tokens. Each adapter projects to its own arithmetic.
- Fields only one format knows travel in `extras` (top-level request/response fields the adapter did
  not model), tagged with the format they came from. A target of another format names each one in a
  warning; nothing is dropped silently.

Plain slotted dataclasses, not pydantic: conversion is a hot path (20,000 requests/s,
50,000 stream events/s) and the adapters check the wire shapes themselves.
No I/O; standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal, TypeAlias

from .formats import Format

# ---------------------------------------------------------------------------- parts


@dataclass(slots=True)
class Citation:
    """A web source the text cites: Anthropic `web_search_result_location`, OpenAI `url_citation`."""

    url: str
    title: str | None = None
    cited_text: str | None = None
    #: The cited span within its text part (OpenAI's indexes); None for the whole part (Anthropic).
    start: int | None = None
    end: int | None = None
    opaque: str | None = None  # Anthropic's `encrypted_index`, which only Anthropic can read


@dataclass(slots=True)
class TextPart:
    text: str
    #: Anthropic prompt-caching marker, kept for Anthropic targets, reported elsewhere.
    cache_control: dict[str, Any] | None = None
    #: Web sources cited by this text (answers with hosted web search).
    citations: list[Citation] | None = None


@dataclass(slots=True)
class ImagePart:
    """An image, or a document (a PDF: `media_type` "application/pdf"), given by URL or inline
    base64 data (exactly one of the two). Every format reads both as media of a type: Gemini
    `inlineData`, Anthropic `image` / `document`, OpenAI `image_url` / `file`, `input_image` /
    `input_file`."""

    url: str | None = None
    data: str | None = None
    media_type: str | None = None
    #: OpenAI's `detail` ("low" | "high" | "auto"); other formats cannot carry it.
    detail: str | None = None
    #: A document's file name (OpenAI `filename`, Anthropic document `title`).
    filename: str | None = None

    @property
    def is_document(self) -> bool:
        return self.media_type == "application/pdf" or (self.data or "").startswith("JVBER")


@dataclass(slots=True)
class ToolCallPart:
    id: str
    name: str
    arguments: dict[str, Any]
    #: Gemini `thoughtSignature` attached to a functionCall part.
    signature: str | None = None


@dataclass(slots=True)
class ToolResultPart:
    tool_call_id: str
    #: The tool's name: Gemini requires it, others may leave it None (adapters fill it from the
    #: matching ToolCallPart when they can).
    name: str | None
    content: list[TextPart | ImagePart]
    is_error: bool = False


@dataclass(slots=True)
class ThinkingPart:
    text: str
    signature: str | None = None
    #: Anthropic `redacted_thinking`: `text` is empty and `signature` holds the opaque data.
    redacted: bool = False


@dataclass(slots=True)
class RefusalPart:
    """A model refusal (OpenAI `message.refusal`); other formats get text plus a refusal stop."""

    text: str


@dataclass(slots=True)
class WebResult:
    """A page a hosted web search found (Anthropic result, Responses source, Gemini grounding chunk)."""

    url: str
    title: str | None = None
    opaque: str | None = None  # Anthropic's `encrypted_content` (and `page_age`): only Anthropic reads them
    page_age: str | None = None


@dataclass(slots=True)
class HostedToolPart:
    """A hosted (server-side) tool the model ran, with its result when known (Anthropic server
    tool blocks, Responses hosted-tool items, Gemini code parts and grounding; adapters' hosted.py)."""

    kind: Literal["web_search", "code_execution"]
    id: str
    input: str  # the search query, or the code (the command, for `language` "bash")
    language: str = "python"
    done: bool = True  # False: only the call is known (its result was not in the answer)
    results: list[WebResult] = field(default_factory=list)  # the pages a web search found
    output: str = ""  # code execution: standard output, standard error, exit code
    stderr: str = ""
    return_code: int | None = None
    error: str | None = None  # the tool failed: its error code (`unavailable`, ...)


Part: TypeAlias = (
    TextPart | ImagePart | ToolCallPart | ToolResultPart | ThinkingPart | RefusalPart | HostedToolPart
)

#: `system`: instructions given in the conversation itself, at their place (OpenAI system/developer
#: messages after the first turn, Anthropic `role: "system"` messages); the leading ones are
#: `Request.system`. A system message holds text parts only.
Role: TypeAlias = Literal["user", "assistant", "system"]


@dataclass(slots=True)
class Message:
    role: Role
    parts: list[Part]


# ---------------------------------------------------------------------------- tools


@dataclass(slots=True)
class Tool:
    name: str
    description: str | None = None
    #: JSON Schema of the arguments object.
    parameters: dict[str, Any] = field(default_factory=lambda: {"type": "object", "properties": {}})
    strict: bool | None = None


class ToolChoiceMode(StrEnum):
    AUTO = "auto"
    NONE = "none"
    #: The model must call some tool (OpenAI "required", Anthropic "any", Gemini ANY).
    REQUIRED = "required"
    #: The model must call the tool named in `ToolChoice.name`.
    TOOL = "tool"


@dataclass(slots=True)
class ToolChoice:
    mode: ToolChoiceMode
    name: str | None = None


# ---------------------------------------------------------------------------- settings


class ResponseFormatKind(StrEnum):
    TEXT = "text"
    JSON_OBJECT = "json_object"
    JSON_SCHEMA = "json_schema"


@dataclass(slots=True)
class ResponseFormat:
    kind: ResponseFormatKind
    schema: dict[str, Any] | None = None
    name: str | None = None
    strict: bool | None = None


@dataclass(slots=True)
class Thinking:
    """Reasoning / extended thinking. `budget_tokens` (Anthropic, Gemini) or `effort` (OpenAI)."""

    enabled: bool = True
    budget_tokens: int | None = None
    effort: str | None = None
    #: Gemini includeThoughts / Responses reasoning summary: whether thought text is returned.
    include_thoughts: bool | None = None
    #: Anthropic's adaptive thinking was asked for (the model decides how much to think): kept so
    #: an Anthropic request stays as written; other formats have an effort or a budget instead.
    adaptive: bool = False


# ---------------------------------------------------------------------------- request


@dataclass(slots=True)
class Request:
    model: str | None = None
    #: System / developer instructions, one entry per system block or message, in order.
    system: list[TextPart] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    tools: list[Tool] = field(default_factory=list)
    tool_choice: ToolChoice | None = None
    #: False means "at most one tool call per turn"; None means the format's default.
    parallel_tool_calls: bool | None = None
    max_tokens: int | None = None
    temperature: float | None = None
    top_p: float | None = None
    top_k: int | None = None
    stop: list[str] = field(default_factory=list)
    seed: int | None = None
    candidate_count: int | None = None
    response_format: ResponseFormat | None = None
    thinking: Thinking | None = None
    stream: bool = False
    #: OpenAI `stream_options.include_usage`; targets that always stream usage ignore it.
    stream_include_usage: bool | None = None
    #: Top-level fields the source adapter did not model, and the format they came from.
    extras: dict[str, Any] = field(default_factory=dict)
    extras_format: Format | None = None


# ---------------------------------------------------------------------------- response


class StopReason(StrEnum):
    """Why generation stopped: a closed set every format maps into and out of."""

    END_TURN = "end_turn"
    STOP_SEQUENCE = "stop_sequence"
    MAX_TOKENS = "max_tokens"
    TOOL_USE = "tool_use"
    CONTENT_FILTER = "content_filter"
    CONTEXT_WINDOW_EXCEEDED = "context_window_exceeded"
    PAUSE = "pause"
    ERROR = "error"


@dataclass(slots=True)
class Usage:
    """Token counts; totals are inclusive (input includes cache, output includes reasoning)."""

    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    reasoning_tokens: int = 0


@dataclass(slots=True)
class Candidate:
    parts: list[Part]
    stop_reason: StopReason | None = None
    #: The stop string that matched, when the format says (Anthropic `stop_sequence`).
    stop_sequence: str | None = None


@dataclass(slots=True)
class Response:
    id: str | None = None
    model: str | None = None
    candidates: list[Candidate] = field(default_factory=list)
    usage: Usage | None = None
    created: int | None = None
    extras: dict[str, Any] = field(default_factory=dict)
    extras_format: Format | None = None

    @property
    def parts(self) -> list[Part]:
        return self.candidates[0].parts if self.candidates else []

    @property
    def stop_reason(self) -> StopReason | None:
        return self.candidates[0].stop_reason if self.candidates else None

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.parts if isinstance(p, TextPart))


# ---------------------------------------------------------------------------- stream events
# Streams are block-agnostic: encoders open and close their own content blocks. Only the first
# candidate of a stream is carried (decoders warn about others).


@dataclass(slots=True)
class StreamStart:
    id: str | None = None
    model: str | None = None
    #: Input usage when the source knows it at the start (Anthropic message_start).
    usage: Usage | None = None


@dataclass(slots=True)
class TextDelta:
    text: str


@dataclass(slots=True)
class CitationDelta:
    """The open text block cites a web source; `start`/`end` index its text (None: the whole block)."""

    citation: Citation


@dataclass(slots=True)
class RefusalDelta:
    text: str


@dataclass(slots=True)
class ThinkingDelta:
    text: str = ""
    #: Signature fragment (Anthropic signature_delta, Gemini thoughtSignature).
    signature: str | None = None


@dataclass(slots=True)
class ToolCallStart:
    #: Ordinal of this tool call within the message (0, 1, ...), never a wire block index.
    index: int
    id: str
    name: str
    signature: str | None = None


@dataclass(slots=True)
class ToolCallDelta:
    index: int
    #: A fragment of the JSON text of the arguments object.
    arguments: str


@dataclass(slots=True)
class HostedToolUse:
    """A hosted tool ran (its call and result, whole): encoders write it as a block or item of its own."""

    part: HostedToolPart


@dataclass(slots=True)
class BlockStop:
    """The current content block (text, thinking or tool call) is complete."""


@dataclass(slots=True)
class StreamFinish:
    stop_reason: StopReason
    stop_sequence: str | None = None


@dataclass(slots=True)
class StreamUsage:
    """Usage so far (cumulative, inclusive totals); the last one seen is the final usage."""

    usage: Usage


@dataclass(slots=True)
class StreamError:
    message: str
    type: str = "api_error"
    status: int | None = None


StreamEvent: TypeAlias = (
    StreamStart
    | TextDelta
    | CitationDelta
    | RefusalDelta
    | ThinkingDelta
    | ToolCallStart
    | ToolCallDelta
    | HostedToolUse
    | BlockStop
    | StreamFinish
    | StreamUsage
    | StreamError
)
