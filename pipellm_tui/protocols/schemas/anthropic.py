"""pydantic models of the Anthropic Messages API bodies: `Request`, `Response` and `StreamChunk`.

Used to validate (the request editor, the sandbox's 400s, tests), never on the conversion hot path:
the adapter in `adapters/anthropic/` reads plain dicts. Every model keeps unknown fields
(`extra="allow"`) because the API grows faster than this file, and is strict about types so that a
body of another format fails with the JSON path of the first field that does not fit.

Content blocks are discriminated by `type`; block types this file does not model (server-tool
blocks, `search_result`, ...) validate as `OtherBlock` instead of failing. The stream events
(`StreamChunk`) are in `anthropic_stream.py`.
Imports pydantic and the standard library only.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, Tag

from .shapes import OtherType, StringOrList, WireModel, type_tag

# ---------------------------------------------------------------------------- blocks


class CacheControl(WireModel):
    type: str


class TextBlock(WireModel):
    type: Literal["text"]
    text: str
    cache_control: CacheControl | None = None
    citations: list[dict[str, Any]] | None = None


class Base64Source(WireModel):
    type: Literal["base64"]
    media_type: str
    data: str


class UrlSource(WireModel):
    type: Literal["url"]
    url: str


class FileSource(WireModel):
    type: Literal["file"]
    file_id: str


ImageSource = Annotated[Base64Source | UrlSource | FileSource, Field(discriminator="type")]


class ImageBlock(WireModel):
    type: Literal["image"]
    source: ImageSource
    cache_control: CacheControl | None = None


class DocumentBlock(WireModel):
    type: Literal["document"]
    source: dict[str, Any]
    title: str | None = None
    context: str | None = None


class ToolUseBlock(WireModel):
    type: Literal["tool_use"]
    id: str
    name: str
    input: dict[str, Any]


class ThinkingBlock(WireModel):
    type: Literal["thinking"]
    thinking: str
    signature: str


class RedactedThinkingBlock(WireModel):
    type: Literal["redacted_thinking"]
    data: str


#: Server-tool blocks, search results...
OtherBlock = OtherType


_RESULT_BLOCKS = frozenset({"text", "image", "document"})
ToolResultContentBlock = Annotated[
    Annotated[TextBlock, Tag("text")]
    | Annotated[ImageBlock, Tag("image")]
    | Annotated[DocumentBlock, Tag("document")]
    | Annotated[OtherBlock, Tag("other")],
    type_tag(_RESULT_BLOCKS),
]


ToolResultContent = StringOrList[ToolResultContentBlock]


class ToolResultBlock(WireModel):
    type: Literal["tool_result"]
    tool_use_id: str
    content: ToolResultContent | None = None
    is_error: bool | None = None


_REQUEST_BLOCKS = frozenset(
    {"text", "image", "document", "tool_use", "tool_result", "thinking", "redacted_thinking"}
)
RequestBlock = Annotated[
    Annotated[TextBlock, Tag("text")]
    | Annotated[ImageBlock, Tag("image")]
    | Annotated[DocumentBlock, Tag("document")]
    | Annotated[ToolUseBlock, Tag("tool_use")]
    | Annotated[ToolResultBlock, Tag("tool_result")]
    | Annotated[ThinkingBlock, Tag("thinking")]
    | Annotated[RedactedThinkingBlock, Tag("redacted_thinking")]
    | Annotated[OtherBlock, Tag("other")],
    type_tag(_REQUEST_BLOCKS),
]

_RESPONSE_BLOCKS = frozenset({"text", "tool_use", "thinking", "redacted_thinking"})
ResponseBlock = Annotated[
    Annotated[TextBlock, Tag("text")]
    | Annotated[ToolUseBlock, Tag("tool_use")]
    | Annotated[ThinkingBlock, Tag("thinking")]
    | Annotated[RedactedThinkingBlock, Tag("redacted_thinking")]
    | Annotated[OtherBlock, Tag("other")],
    type_tag(_RESPONSE_BLOCKS),
]


# ---------------------------------------------------------------------------- request


MessageContent = StringOrList[RequestBlock]
SystemContent = StringOrList[TextBlock]


class MessageParam(WireModel):
    #: `system`: instructions within the conversation (the SDK's SystemMessageParam; Claude Code
    #: sends them); text only, like the top-level `system`.
    role: Literal["user", "assistant", "system"]
    content: MessageContent


class Tool(WireModel):
    """A client tool. Server tools (`web_search_20250305`, `bash_...`) validate as `ServerTool`."""

    name: str
    input_schema: dict[str, Any]
    description: str | None = None
    type: Literal["custom"] | None = None
    strict: bool | None = None
    cache_control: CacheControl | None = None


class ServerTool(WireModel):
    type: str
    name: str


ToolDefinition = Annotated[
    Annotated[Tool, Tag("custom")] | Annotated[ServerTool, Tag("other")],
    type_tag(frozenset({"custom"}), untyped="custom"),
]


class ToolChoiceAuto(WireModel):
    type: Literal["auto"]
    disable_parallel_tool_use: bool | None = None


class ToolChoiceAny(WireModel):
    type: Literal["any"]
    disable_parallel_tool_use: bool | None = None


class ToolChoiceTool(WireModel):
    type: Literal["tool"]
    name: str
    disable_parallel_tool_use: bool | None = None


class ToolChoiceNone(WireModel):
    type: Literal["none"]


ToolChoice = Annotated[
    ToolChoiceAuto | ToolChoiceAny | ToolChoiceTool | ToolChoiceNone, Field(discriminator="type")
]

ThinkingDisplay = Literal["summarized", "omitted"]


class ThinkingEnabled(WireModel):
    type: Literal["enabled"]
    budget_tokens: int = Field(ge=1024)
    display: ThinkingDisplay | None = None


class ThinkingAdaptive(WireModel):
    type: Literal["adaptive"]
    display: ThinkingDisplay | None = None


class ThinkingDisabled(WireModel):
    type: Literal["disabled"]


ThinkingConfig = Annotated[ThinkingEnabled | ThinkingAdaptive | ThinkingDisabled, Field(discriminator="type")]


class JsonSchemaFormat(WireModel):
    type: Literal["json_schema"]
    schema_: dict[str, Any] = Field(alias="schema")


class OutputConfig(WireModel):
    effort: Literal["low", "medium", "high", "xhigh", "max"] | None = None
    format: JsonSchemaFormat | None = None


class Metadata(WireModel):
    user_id: str | None = None


class Request(WireModel):
    """POST /v1/messages."""

    model: str
    max_tokens: int = Field(ge=0)
    messages: list[MessageParam]
    system: SystemContent | None = None
    temperature: float | None = Field(default=None, ge=0, le=1)
    top_p: float | None = Field(default=None, ge=0, le=1)
    top_k: int | None = Field(default=None, ge=0)
    stop_sequences: list[str] | None = None
    stream: bool | None = None
    tools: list[ToolDefinition] | None = None
    tool_choice: ToolChoice | None = None
    thinking: ThinkingConfig | None = None
    output_config: OutputConfig | None = None
    #: The older structured-outputs beta spelling of `output_config.format`.
    output_format: JsonSchemaFormat | None = None
    metadata: Metadata | None = None
    service_tier: str | None = None


# ---------------------------------------------------------------------------- response

StopReason = Literal[
    "end_turn",
    "max_tokens",
    "stop_sequence",
    "tool_use",
    "pause_turn",
    "refusal",
    "model_context_window_exceeded",
]


class OutputTokensDetails(WireModel):
    thinking_tokens: int


class Usage(WireModel):
    """`input_tokens` excludes cache reads and writes; `output_tokens` includes thinking."""

    input_tokens: int
    output_tokens: int
    cache_creation_input_tokens: int | None = None
    cache_read_input_tokens: int | None = None
    output_tokens_details: OutputTokensDetails | None = None


class Response(WireModel):
    """A non-streaming Messages answer (`type: "message"`)."""

    id: str
    type: Literal["message"]
    role: Literal["assistant"]
    content: list[ResponseBlock]
    model: str
    stop_reason: StopReason | None
    stop_sequence: str | None = None
    usage: Usage
