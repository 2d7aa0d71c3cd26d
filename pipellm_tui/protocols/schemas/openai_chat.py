"""pydantic models of the OpenAI Chat Completions bodies: `Request`, `Response`, `StreamChunk`.

Used to validate (the request editor, the sandbox's 400s, tests), never on the conversion hot path:
the adapter in `adapters/openai_chat/` reads plain dicts. Every model keeps unknown fields
(`extra="allow"`) because the API grows faster than this file, and is strict about types so that a
body of another format fails with the JSON path of the first field that does not fit.

Messages are discriminated by `role` (a closed set); content parts, tools and tool calls by `type`,
where a type this file does not model validates as `Other*` (only `type` checked) instead of failing.
Imports pydantic and the standard library only.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, Tag

from .shapes import FunctionDefinition, OtherType, StringOrList, WireModel, type_tag

# ---------------------------------------------------------------------------- content parts


class TextPart(WireModel):
    type: Literal["text"]
    text: str


class ImageUrl(WireModel):
    #: An https URL or a `data:<mime>;base64,<data>` URL.
    url: str
    detail: Literal["auto", "low", "high"] | None = None


class ImagePart(WireModel):
    type: Literal["image_url"]
    image_url: ImageUrl


class InputAudio(WireModel):
    data: str
    format: str


class AudioPart(WireModel):
    type: Literal["input_audio"]
    input_audio: InputAudio


class FilePart(WireModel):
    type: Literal["file"]
    file: dict[str, Any]


class RefusalPart(WireModel):
    type: Literal["refusal"]
    refusal: str


OtherPart = OtherType


UserPart = Annotated[
    Annotated[TextPart, Tag("text")]
    | Annotated[ImagePart, Tag("image_url")]
    | Annotated[AudioPart, Tag("input_audio")]
    | Annotated[FilePart, Tag("file")]
    | Annotated[OtherPart, Tag("other")],
    type_tag(frozenset({"text", "image_url", "input_audio", "file"})),
]

# Closed sets where the API is closed: assistant history is text or refusal, instructions are text.
AssistantPart = Annotated[TextPart | RefusalPart, Field(discriminator="type")]

#: Tool results: text in the spec; other types (images from some gateways) are kept, not rejected.
ToolResultPart = Annotated[
    Annotated[TextPart, Tag("text")] | Annotated[OtherPart, Tag("other")], type_tag(frozenset({"text"}))
]

TextContent = StringOrList[TextPart]
ToolResultContent = StringOrList[ToolResultPart]
UserContent = StringOrList[UserPart]
AssistantContent = StringOrList[AssistantPart]


# ---------------------------------------------------------------------------- tool calls


class FunctionCall(WireModel):
    name: str
    #: The arguments object as JSON text.
    arguments: str


class FunctionToolCall(WireModel):
    id: str
    type: Literal["function"]
    function: FunctionCall


class OtherToolCall(WireModel):
    """`custom` tool calls and anything newer: only `type` checked."""

    id: str
    type: str


ToolCall = Annotated[
    Annotated[FunctionToolCall, Tag("function")] | Annotated[OtherToolCall, Tag("other")],
    type_tag(frozenset({"function"})),
]


# ---------------------------------------------------------------------------- messages


class SystemMessage(WireModel):
    role: Literal["system"]
    content: TextContent
    name: str | None = None


class DeveloperMessage(WireModel):
    role: Literal["developer"]
    content: TextContent
    name: str | None = None


class UserMessage(WireModel):
    role: Literal["user"]
    content: UserContent
    name: str | None = None


class AssistantMessage(WireModel):
    role: Literal["assistant"]
    content: AssistantContent | None = None
    refusal: str | None = None
    tool_calls: list[ToolCall] | None = None
    #: Legacy single function call.
    function_call: FunctionCall | None = None
    name: str | None = None
    audio: dict[str, Any] | None = None
    #: Not in the OpenAI spec: the thinking text reasoning models behind OpenAI-style APIs send.
    reasoning_content: str | None = None


class ToolMessage(WireModel):
    role: Literal["tool"]
    tool_call_id: str
    content: ToolResultContent


class FunctionMessage(WireModel):
    """Legacy result of a `function_call`."""

    role: Literal["function"]
    name: str
    content: str | None


Message = Annotated[
    SystemMessage | DeveloperMessage | UserMessage | AssistantMessage | ToolMessage | FunctionMessage,
    Field(discriminator="role"),
]


# ---------------------------------------------------------------------------- tools and settings


class FunctionTool(WireModel):
    type: Literal["function"]
    function: FunctionDefinition


#: `custom` tools and anything newer.
OtherTool = OtherType


Tool = Annotated[
    Annotated[FunctionTool, Tag("function")] | Annotated[OtherTool, Tag("other")],
    type_tag(frozenset({"function"})),
]


class ToolName(WireModel):
    name: str


class NamedToolChoice(WireModel):
    type: Literal["function"]
    function: ToolName


class AllowedTools(WireModel):
    mode: Literal["auto", "required"]
    tools: list[dict[str, Any]]


class AllowedToolsChoice(WireModel):
    type: Literal["allowed_tools"]
    allowed_tools: AllowedTools


class CustomToolChoice(WireModel):
    type: Literal["custom"]
    custom: ToolName


ToolChoice = (
    Literal["none", "auto", "required"]
    | Annotated[NamedToolChoice | AllowedToolsChoice | CustomToolChoice, Field(discriminator="type")]
)


class TextFormat(WireModel):
    type: Literal["text"]


class JsonObjectFormat(WireModel):
    type: Literal["json_object"]


class JsonSchema(WireModel):
    name: str
    schema_: dict[str, Any] | None = Field(default=None, alias="schema")
    strict: bool | None = None
    description: str | None = None


class JsonSchemaFormat(WireModel):
    type: Literal["json_schema"]
    json_schema: JsonSchema


ResponseFormat = Annotated[TextFormat | JsonObjectFormat | JsonSchemaFormat, Field(discriminator="type")]


class StreamOptions(WireModel):
    include_usage: bool | None = None
    include_obfuscation: bool | None = None


ReasoningEffort = Literal["none", "minimal", "low", "medium", "high", "xhigh", "max"]


class Request(WireModel):
    """POST /v1/chat/completions."""

    model: str
    messages: list[Message] = Field(min_length=1)
    max_completion_tokens: int | None = Field(default=None, ge=0)
    #: Deprecated spelling of `max_completion_tokens`; still widely sent.
    max_tokens: int | None = Field(default=None, ge=0)
    temperature: float | None = Field(default=None, ge=0, le=2)
    top_p: float | None = Field(default=None, ge=0, le=1)
    n: int | None = Field(default=None, ge=1)
    seed: int | None = None
    stop: str | list[str] | None = None
    presence_penalty: float | None = Field(default=None, ge=-2, le=2)
    frequency_penalty: float | None = Field(default=None, ge=-2, le=2)
    logit_bias: dict[str, int] | None = None
    logprobs: bool | None = None
    top_logprobs: int | None = Field(default=None, ge=0, le=20)
    response_format: ResponseFormat | None = None
    tools: list[Tool] | None = None
    tool_choice: ToolChoice | None = None
    parallel_tool_calls: bool | None = None
    reasoning_effort: ReasoningEffort | None = None
    stream: bool | None = None
    stream_options: StreamOptions | None = None
    user: str | None = None
    metadata: dict[str, str] | None = None
    store: bool | None = None
    service_tier: str | None = None


# ---------------------------------------------------------------------------- response

FinishReason = Literal["stop", "length", "tool_calls", "content_filter", "function_call"]


class PromptTokensDetails(WireModel):
    cached_tokens: int | None = None
    audio_tokens: int | None = None


class CompletionTokensDetails(WireModel):
    reasoning_tokens: int | None = None
    audio_tokens: int | None = None
    accepted_prediction_tokens: int | None = None
    rejected_prediction_tokens: int | None = None


class Usage(WireModel):
    """Inclusive counts: prompt includes cached tokens, completion includes reasoning tokens."""

    prompt_tokens: int = Field(ge=0)
    completion_tokens: int = Field(ge=0)
    total_tokens: int = Field(ge=0)
    prompt_tokens_details: PromptTokensDetails | None = None
    completion_tokens_details: CompletionTokensDetails | None = None


class ResponseMessage(WireModel):
    role: Literal["assistant"]
    content: str | None
    refusal: str | None = None
    tool_calls: list[ToolCall] | None = None
    function_call: FunctionCall | None = None
    annotations: list[dict[str, Any]] | None = None
    audio: dict[str, Any] | None = None
    reasoning_content: str | None = None


class Choice(WireModel):
    index: int = Field(ge=0)
    message: ResponseMessage
    finish_reason: FinishReason
    logprobs: dict[str, Any] | None = None


class Response(WireModel):
    """A non-streaming answer (`object: "chat.completion"`)."""

    id: str
    object: Literal["chat.completion"]
    created: int
    model: str
    choices: list[Choice]
    usage: Usage | None = None
    system_fingerprint: str | None = None
    service_tier: str | None = None


# ---------------------------------------------------------------------------- stream


class DeltaFunction(WireModel):
    name: str | None = None
    arguments: str | None = None


class DeltaToolCall(WireModel):
    """A fragment of a tool call, keyed by `index`: only the first one carries `id` and `name`."""

    index: int = Field(ge=0)
    id: str | None = None
    type: Literal["function"] | None = None
    function: DeltaFunction | None = None


class Delta(WireModel):
    role: Literal["assistant", "system", "developer", "user", "tool"] | None = None
    content: str | None = None
    refusal: str | None = None
    tool_calls: list[DeltaToolCall] | None = None
    function_call: DeltaFunction | None = None
    reasoning_content: str | None = None


class ChunkChoice(WireModel):
    index: int = Field(ge=0)
    delta: Delta
    finish_reason: FinishReason | None = None
    logprobs: dict[str, Any] | None = None


class StreamChunk(WireModel):
    """The data of one stream event (`object: "chat.completion.chunk"`); the last may carry only usage."""

    id: str
    object: Literal["chat.completion.chunk"]
    created: int
    model: str
    choices: list[ChunkChoice]
    usage: Usage | None = None
    system_fingerprint: str | None = None
    service_tier: str | None = None


class ErrorBody(WireModel):
    message: str
    type: str | None = None
    code: str | int | None = None
    param: str | None = None


class StreamErrorEvent(WireModel):
    """A failure in the middle of a stream: `data: {"error": {...}}`."""

    error: ErrorBody
