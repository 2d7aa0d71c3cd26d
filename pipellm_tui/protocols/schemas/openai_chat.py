"""pydantic models of the OpenAI Chat Completions bodies: `Request`, `Response`, `StreamChunk`.

Used to validate (the request editor, the sandbox's 400s, tests), never on the conversion hot path:
the adapter in `adapters/openai_chat*.py` reads plain dicts. Every model keeps unknown fields
(`extra="allow"`) because the API grows faster than this file, and is strict about types so that a
body of another format fails with the JSON path of the first field that does not fit.

Messages are discriminated by `role` (a closed set); content parts, tools and tool calls by `type`,
where a type this file does not model validates as `Other*` (only `type` checked) instead of failing.
Imports pydantic and the standard library only.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag


class _Wire(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)


def _string_or_parts(value: Any) -> str:
    return "string" if isinstance(value, str) else "parts"


def _type_tag(known: frozenset[str]) -> Any:
    def tag(value: Any) -> str:
        kind = value.get("type") if isinstance(value, dict) else getattr(value, "type", None)
        return kind if kind in known else "other"

    return Discriminator(tag)


# ---------------------------------------------------------------------------- content parts


class TextPart(_Wire):
    type: Literal["text"]
    text: str


class ImageUrl(_Wire):
    #: An https URL or a `data:<mime>;base64,<data>` URL.
    url: str
    detail: Literal["auto", "low", "high"] | None = None


class ImagePart(_Wire):
    type: Literal["image_url"]
    image_url: ImageUrl


class InputAudio(_Wire):
    data: str
    format: str


class AudioPart(_Wire):
    type: Literal["input_audio"]
    input_audio: InputAudio


class FilePart(_Wire):
    type: Literal["file"]
    file: dict[str, Any]


class RefusalPart(_Wire):
    type: Literal["refusal"]
    refusal: str


class OtherPart(_Wire):
    """A part type not modelled here: kept, only `type` checked."""

    type: str


UserPart = Annotated[
    Annotated[TextPart, Tag("text")]
    | Annotated[ImagePart, Tag("image_url")]
    | Annotated[AudioPart, Tag("input_audio")]
    | Annotated[FilePart, Tag("file")]
    | Annotated[OtherPart, Tag("other")],
    _type_tag(frozenset({"text", "image_url", "input_audio", "file"})),
]

# Closed sets where the API is closed: assistant history is text or refusal, instructions are text.
AssistantPart = Annotated[TextPart | RefusalPart, Field(discriminator="type")]

#: Tool results: text in the spec; other types (images from some gateways) are kept, not rejected.
ToolResultPart = Annotated[
    Annotated[TextPart, Tag("text")] | Annotated[OtherPart, Tag("other")], _type_tag(frozenset({"text"}))
]

# `content` is a string or a list of parts; tagging keeps error paths short (`content.parts.0`).
TextContent = Annotated[
    Annotated[str, Tag("string")] | Annotated[list[TextPart], Tag("parts")], Discriminator(_string_or_parts)
]
ToolResultContent = Annotated[
    Annotated[str, Tag("string")] | Annotated[list[ToolResultPart], Tag("parts")],
    Discriminator(_string_or_parts),
]
UserContent = Annotated[
    Annotated[str, Tag("string")] | Annotated[list[UserPart], Tag("parts")], Discriminator(_string_or_parts)
]
AssistantContent = Annotated[
    Annotated[str, Tag("string")] | Annotated[list[AssistantPart], Tag("parts")],
    Discriminator(_string_or_parts),
]


# ---------------------------------------------------------------------------- tool calls


class FunctionCall(_Wire):
    name: str
    #: The arguments object as JSON text.
    arguments: str


class FunctionToolCall(_Wire):
    id: str
    type: Literal["function"]
    function: FunctionCall


class OtherToolCall(_Wire):
    """`custom` tool calls and anything newer: only `type` checked."""

    id: str
    type: str


ToolCall = Annotated[
    Annotated[FunctionToolCall, Tag("function")] | Annotated[OtherToolCall, Tag("other")],
    _type_tag(frozenset({"function"})),
]


# ---------------------------------------------------------------------------- messages


class SystemMessage(_Wire):
    role: Literal["system"]
    content: TextContent
    name: str | None = None


class DeveloperMessage(_Wire):
    role: Literal["developer"]
    content: TextContent
    name: str | None = None


class UserMessage(_Wire):
    role: Literal["user"]
    content: UserContent
    name: str | None = None


class AssistantMessage(_Wire):
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


class ToolMessage(_Wire):
    role: Literal["tool"]
    tool_call_id: str
    content: ToolResultContent


class FunctionMessage(_Wire):
    """Legacy result of a `function_call`."""

    role: Literal["function"]
    name: str
    content: str | None


Message = Annotated[
    SystemMessage | DeveloperMessage | UserMessage | AssistantMessage | ToolMessage | FunctionMessage,
    Field(discriminator="role"),
]


# ---------------------------------------------------------------------------- tools and settings


class FunctionDefinition(_Wire):
    name: str
    description: str | None = None
    #: JSON Schema of the arguments object.
    parameters: dict[str, Any] | None = None
    strict: bool | None = None


class FunctionTool(_Wire):
    type: Literal["function"]
    function: FunctionDefinition


class OtherTool(_Wire):
    """`custom` tools and anything newer: only `type` checked."""

    type: str


Tool = Annotated[
    Annotated[FunctionTool, Tag("function")] | Annotated[OtherTool, Tag("other")],
    _type_tag(frozenset({"function"})),
]


class ToolName(_Wire):
    name: str


class NamedToolChoice(_Wire):
    type: Literal["function"]
    function: ToolName


class AllowedTools(_Wire):
    mode: Literal["auto", "required"]
    tools: list[dict[str, Any]]


class AllowedToolsChoice(_Wire):
    type: Literal["allowed_tools"]
    allowed_tools: AllowedTools


class CustomToolChoice(_Wire):
    type: Literal["custom"]
    custom: ToolName


ToolChoice = (
    Literal["none", "auto", "required"]
    | Annotated[NamedToolChoice | AllowedToolsChoice | CustomToolChoice, Field(discriminator="type")]
)


class TextFormat(_Wire):
    type: Literal["text"]


class JsonObjectFormat(_Wire):
    type: Literal["json_object"]


class JsonSchema(_Wire):
    name: str
    schema_: dict[str, Any] | None = Field(default=None, alias="schema")
    strict: bool | None = None
    description: str | None = None


class JsonSchemaFormat(_Wire):
    type: Literal["json_schema"]
    json_schema: JsonSchema


ResponseFormat = Annotated[TextFormat | JsonObjectFormat | JsonSchemaFormat, Field(discriminator="type")]


class StreamOptions(_Wire):
    include_usage: bool | None = None
    include_obfuscation: bool | None = None


ReasoningEffort = Literal["none", "minimal", "low", "medium", "high", "xhigh", "max"]


class Request(_Wire):
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


class PromptTokensDetails(_Wire):
    cached_tokens: int | None = None
    audio_tokens: int | None = None


class CompletionTokensDetails(_Wire):
    reasoning_tokens: int | None = None
    audio_tokens: int | None = None
    accepted_prediction_tokens: int | None = None
    rejected_prediction_tokens: int | None = None


class Usage(_Wire):
    """Inclusive counts: prompt includes cached tokens, completion includes reasoning tokens."""

    prompt_tokens: int = Field(ge=0)
    completion_tokens: int = Field(ge=0)
    total_tokens: int = Field(ge=0)
    prompt_tokens_details: PromptTokensDetails | None = None
    completion_tokens_details: CompletionTokensDetails | None = None


class ResponseMessage(_Wire):
    role: Literal["assistant"]
    content: str | None
    refusal: str | None = None
    tool_calls: list[ToolCall] | None = None
    function_call: FunctionCall | None = None
    annotations: list[dict[str, Any]] | None = None
    audio: dict[str, Any] | None = None
    reasoning_content: str | None = None


class Choice(_Wire):
    index: int = Field(ge=0)
    message: ResponseMessage
    finish_reason: FinishReason
    logprobs: dict[str, Any] | None = None


class Response(_Wire):
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


class DeltaFunction(_Wire):
    name: str | None = None
    arguments: str | None = None


class DeltaToolCall(_Wire):
    """A fragment of a tool call, keyed by `index`: only the first one carries `id` and `name`."""

    index: int = Field(ge=0)
    id: str | None = None
    type: Literal["function"] | None = None
    function: DeltaFunction | None = None


class Delta(_Wire):
    role: Literal["assistant", "system", "developer", "user", "tool"] | None = None
    content: str | None = None
    refusal: str | None = None
    tool_calls: list[DeltaToolCall] | None = None
    function_call: DeltaFunction | None = None
    reasoning_content: str | None = None


class ChunkChoice(_Wire):
    index: int = Field(ge=0)
    delta: Delta
    finish_reason: FinishReason | None = None
    logprobs: dict[str, Any] | None = None


class StreamChunk(_Wire):
    """The data of one stream event (`object: "chat.completion.chunk"`); the last may carry only usage."""

    id: str
    object: Literal["chat.completion.chunk"]
    created: int
    model: str
    choices: list[ChunkChoice]
    usage: Usage | None = None
    system_fingerprint: str | None = None
    service_tier: str | None = None


class ErrorBody(_Wire):
    message: str
    type: str | None = None
    code: str | int | None = None
    param: str | None = None


class StreamErrorEvent(_Wire):
    """A failure in the middle of a stream: `data: {"error": {...}}`."""

    error: ErrorBody
