"""pydantic models of the Anthropic Messages stream events: `StreamChunk` and `STREAM_CHUNK`.

For validation in tests and tools, never on the stream hot path. Same conventions as
`anthropic.py` (unknown fields kept, strict types).
Imports pydantic and the standard library only.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, TypeAdapter

from .anthropic import OutputTokensDetails, ResponseBlock, StopReason, Usage
from .shapes import WireModel


class DeltaUsage(WireModel):
    """`message_delta.usage`: cumulative output; newer streams repeat the input counts."""

    output_tokens: int
    input_tokens: int | None = None
    cache_creation_input_tokens: int | None = None
    cache_read_input_tokens: int | None = None
    output_tokens_details: OutputTokensDetails | None = None


class StartMessage(WireModel):
    id: str
    type: Literal["message"]
    role: Literal["assistant"]
    content: list[ResponseBlock]
    model: str
    stop_reason: StopReason | None = None
    stop_sequence: str | None = None
    usage: Usage


class MessageStart(WireModel):
    type: Literal["message_start"]
    message: StartMessage


class ContentBlockStart(WireModel):
    type: Literal["content_block_start"]
    index: int = Field(ge=0)
    content_block: ResponseBlock


class TextDelta(WireModel):
    type: Literal["text_delta"]
    text: str


class InputJsonDelta(WireModel):
    type: Literal["input_json_delta"]
    partial_json: str


class ThinkingDelta(WireModel):
    type: Literal["thinking_delta"]
    thinking: str


class SignatureDelta(WireModel):
    type: Literal["signature_delta"]
    signature: str


class CitationsDelta(WireModel):
    type: Literal["citations_delta"]
    citation: dict[str, Any]


BlockDelta = Annotated[
    TextDelta | InputJsonDelta | ThinkingDelta | SignatureDelta | CitationsDelta,
    Field(discriminator="type"),
]


class ContentBlockDelta(WireModel):
    type: Literal["content_block_delta"]
    index: int = Field(ge=0)
    delta: BlockDelta


class ContentBlockStop(WireModel):
    type: Literal["content_block_stop"]
    index: int = Field(ge=0)


class MessageDeltaBody(WireModel):
    stop_reason: StopReason | None = None
    stop_sequence: str | None = None


class MessageDelta(WireModel):
    type: Literal["message_delta"]
    delta: MessageDeltaBody
    usage: DeltaUsage


class MessageStop(WireModel):
    type: Literal["message_stop"]


class Ping(WireModel):
    type: Literal["ping"]


class ErrorBody(WireModel):
    type: str
    message: str


class StreamErrorEvent(WireModel):
    type: Literal["error"]
    error: ErrorBody


StreamChunk = Annotated[
    MessageStart
    | ContentBlockStart
    | ContentBlockDelta
    | ContentBlockStop
    | MessageDelta
    | MessageStop
    | Ping
    | StreamErrorEvent,
    Field(discriminator="type"),
]
"""The data of one SSE event of a Messages stream (its `type` repeats the SSE event name)."""

#: Validates one stream event's parsed data: `STREAM_CHUNK.validate_python(json.loads(event.data))`.
STREAM_CHUNK: TypeAdapter[Any] = TypeAdapter(StreamChunk)
