"""pydantic models of the OpenAI Responses API bodies: `Request` and `Response`.

Used to validate (the request editor, the sandbox's 400s, tests), never on the conversion hot path:
the adapter in `adapters/openai_responses/` reads plain dicts. Every model keeps unknown fields
(`extra="allow"`) because the API grows faster than this file, and is strict about types so that a
body of another format fails with the JSON path of the first field that does not fit.

Stream events are in `openai_responses_stream`. Items, content parts and tools are discriminated by `type` (an input message may omit
it); types this file does not model (hosted-tool items, ...) validate as `Other*` models
that check only `type`. `input` is required unless the body points at server-side state
(`previous_response_id`, `conversation`, `prompt`), so a Chat, Anthropic or Gemini body sent here
fails at `input`. Imports pydantic and the standard library only.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, Tag, model_validator

from .shapes import FunctionDefinition, OtherType, StringOrList, WireModel, type_tag

# ---------------------------------------------------------------------------- content parts


class InputText(WireModel):
    type: Literal["input_text"]
    text: str


class InputImage(WireModel):
    type: Literal["input_image"]
    image_url: str | None = None
    file_id: str | None = None
    detail: Literal["low", "high", "auto", "original"] | None = None


class InputFile(WireModel):
    type: Literal["input_file"]
    file_id: str | None = None
    file_url: str | None = None
    file_data: str | None = None
    filename: str | None = None


class OutputText(WireModel):
    type: Literal["output_text"]
    text: str
    annotations: list[dict[str, Any]] | None = None


class Refusal(WireModel):
    type: Literal["refusal"]
    refusal: str


OtherPart = OtherType


ContentPart = Annotated[
    Annotated[InputText, Tag("input_text")]
    | Annotated[InputImage, Tag("input_image")]
    | Annotated[InputFile, Tag("input_file")]
    | Annotated[OutputText, Tag("output_text")]
    | Annotated[Refusal, Tag("refusal")]
    | Annotated[OtherPart, Tag("other")],
    type_tag(frozenset({"input_text", "input_image", "input_file", "output_text", "refusal"})),
]
Content = StringOrList[ContentPart]

# ---------------------------------------------------------------------------- input items


class MessageItem(WireModel):
    type: Literal["message"] | None = None
    role: Literal["user", "assistant", "system", "developer"]
    content: Content
    id: str | None = None
    status: str | None = None


class FunctionCallItem(WireModel):
    type: Literal["function_call"]
    call_id: str
    name: str
    arguments: str
    id: str | None = None
    status: str | None = None


class FunctionCallOutputItem(WireModel):
    type: Literal["function_call_output"]
    call_id: str
    output: Content
    id: str | None = None


class SummaryText(WireModel):
    type: Literal["summary_text"]
    text: str


class ReasoningText(WireModel):
    type: Literal["reasoning_text"]
    text: str


class ReasoningItem(WireModel):
    type: Literal["reasoning"]
    summary: list[SummaryText]
    id: str | None = None
    content: list[ReasoningText] | None = None
    encrypted_content: str | None = None


class ItemReference(WireModel):
    type: Literal["item_reference"]
    id: str


#: Hosted-tool calls and outputs (web_search_call, computer_call_output, mcp_*...).
OtherItem = OtherType


InputItem = Annotated[
    Annotated[MessageItem, Tag("message")]
    | Annotated[FunctionCallItem, Tag("function_call")]
    | Annotated[FunctionCallOutputItem, Tag("function_call_output")]
    | Annotated[ReasoningItem, Tag("reasoning")]
    | Annotated[ItemReference, Tag("item_reference")]
    | Annotated[OtherItem, Tag("other")],
    type_tag(
        frozenset({"message", "function_call", "function_call_output", "reasoning", "item_reference"}),
        untyped="message",
    ),
]

# ---------------------------------------------------------------------------- tools and settings


class FunctionTool(FunctionDefinition):
    type: Literal["function"]


HostedTool = OtherType


Tool = Annotated[
    Annotated[FunctionTool, Tag("function")] | Annotated[HostedTool, Tag("other")],
    type_tag(frozenset({"function"})),
]


class ToolChoiceFunction(WireModel):
    type: Literal["function"]
    name: str


#: Hosted-tool, `allowed_tools`, `mcp` and `custom` choices.
ToolChoiceOther = OtherType


ToolChoice = (
    Literal["auto", "none", "required"]
    | Annotated[
        Annotated[ToolChoiceFunction, Tag("function")] | Annotated[ToolChoiceOther, Tag("other")],
        type_tag(frozenset({"function"})),
    ]
)


class TextFormatPlain(WireModel):
    type: Literal["text"]


class TextFormatJsonObject(WireModel):
    type: Literal["json_object"]


class TextFormatJsonSchema(WireModel):
    type: Literal["json_schema"]
    name: str
    # `schema` would shadow BaseModel.schema(); the wire name is the alias.
    schema_: dict[str, Any] = Field(alias="schema")
    description: str | None = None
    strict: bool | None = None


class TextConfig(WireModel):
    format: (
        Annotated[
            Annotated[TextFormatPlain, Tag("text")]
            | Annotated[TextFormatJsonObject, Tag("json_object")]
            | Annotated[TextFormatJsonSchema, Tag("json_schema")]
            | Annotated[OtherPart, Tag("other")],
            type_tag(frozenset({"text", "json_object", "json_schema"})),
        ]
        | None
    ) = None
    verbosity: Literal["low", "medium", "high"] | None = None


class Reasoning(WireModel):
    effort: Literal["none", "minimal", "low", "medium", "high", "xhigh"] | None = None
    summary: Literal["auto", "concise", "detailed"] | None = None


class Request(WireModel):
    model: str
    input: StringOrList[InputItem]
    instructions: str | None = None
    tools: list[Tool] | None = None
    tool_choice: ToolChoice | None = None
    parallel_tool_calls: bool | None = None
    max_output_tokens: int | None = None
    max_tool_calls: int | None = None
    temperature: float | None = None
    top_p: float | None = None
    top_logprobs: int | None = None
    text: TextConfig | None = None
    reasoning: Reasoning | None = None
    stream: bool | None = None
    store: bool | None = None
    background: bool | None = None
    previous_response_id: str | None = None
    metadata: dict[str, str] | None = None
    user: str | None = None
    safety_identifier: str | None = None
    prompt_cache_key: str | None = None
    service_tier: str | None = None
    truncation: Literal["auto", "disabled"] | None = None
    include: list[str] | None = None

    @model_validator(mode="before")
    @classmethod
    def _stateful_input(cls, data: Any) -> Any:
        # A body that continues a stored conversation may omit `input`; every other body needs it.
        stateful = ("previous_response_id", "conversation", "prompt")
        if isinstance(data, dict) and "input" not in data and any(data.get(k) is not None for k in stateful):
            return {**data, "input": []}
        return data


# ---------------------------------------------------------------------------- response


class OutputMessage(WireModel):
    type: Literal["message"]
    id: str
    role: Literal["assistant"]
    status: Literal["in_progress", "completed", "incomplete"] | None = None
    content: list[
        Annotated[
            Annotated[OutputText, Tag("output_text")]
            | Annotated[Refusal, Tag("refusal")]
            | Annotated[OtherPart, Tag("other")],
            type_tag(frozenset({"output_text", "refusal"})),
        ]
    ]


OutputItem = Annotated[
    Annotated[OutputMessage, Tag("message")]
    | Annotated[FunctionCallItem, Tag("function_call")]
    | Annotated[ReasoningItem, Tag("reasoning")]
    | Annotated[OtherItem, Tag("other")],
    type_tag(frozenset({"message", "function_call", "reasoning"})),
]


class InputTokensDetails(WireModel):
    cached_tokens: int = 0
    cache_write_tokens: int | None = None


class OutputTokensDetails(WireModel):
    reasoning_tokens: int = 0


class Usage(WireModel):
    input_tokens: int
    output_tokens: int
    total_tokens: int
    input_tokens_details: InputTokensDetails | None = None
    output_tokens_details: OutputTokensDetails | None = None


class ResponseError(WireModel):
    code: str | None = None
    message: str


class IncompleteDetails(WireModel):
    reason: str | None = None


class Response(WireModel):
    id: str
    object: Literal["response"]
    created_at: int | float
    model: str
    output: list[OutputItem]
    status: Literal["completed", "incomplete", "failed", "cancelled", "queued", "in_progress"] | None = None
    error: ResponseError | None = None
    incomplete_details: IncompleteDetails | None = None
    usage: Usage | None = None
    instructions: str | list[InputItem] | None = None
    parallel_tool_calls: bool | None = None
    tool_choice: ToolChoice | None = None
    tools: list[Tool] | None = None
    temperature: float | None = None
    top_p: float | None = None
    max_output_tokens: int | None = None
    text: TextConfig | None = None
    reasoning: dict[str, Any] | None = None
    metadata: dict[str, str] | None = None
