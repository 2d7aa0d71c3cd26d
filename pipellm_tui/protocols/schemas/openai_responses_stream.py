"""pydantic models of the OpenAI Responses stream: `StreamChunk`, the data of one SSE event.

`TypeAdapter(StreamChunk).validate_python(json.loads(event.data))` checks an event; the event types
this file does not model (annotations, hosted-tool progress...) validate as `OtherEvent`, which
checks only `type`. For validation and tests, never the conversion hot path.
Imports pydantic, the standard library and `openai_responses` only.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import Discriminator, Tag

from .openai_responses import OutputItem, Response, SummaryText
from .shapes import WireModel

# ---------------------------------------------------------------------------- stream events


class _Event(WireModel):
    #: The API reference's example streams omit it; live streams always carry it.
    sequence_number: int | None = None


class LifecycleEvent(_Event):
    type: Literal[
        "response.created",
        "response.in_progress",
        "response.queued",
        "response.completed",
        "response.incomplete",
        "response.failed",
    ]
    response: Response


class OutputItemEvent(_Event):
    type: Literal["response.output_item.added", "response.output_item.done"]
    output_index: int
    item: OutputItem


class ContentPartEvent(_Event):
    type: Literal["response.content_part.added", "response.content_part.done"]
    item_id: str
    output_index: int
    content_index: int
    part: dict[str, Any]


class DeltaEvent(_Event):
    type: Literal[
        "response.output_text.delta",
        "response.refusal.delta",
        "response.function_call_arguments.delta",
        "response.reasoning_summary_text.delta",
        "response.reasoning_text.delta",
    ]
    item_id: str
    output_index: int
    delta: str


class TextDoneEvent(_Event):
    type: Literal["response.output_text.done", "response.reasoning_summary_text.done"]
    item_id: str
    output_index: int
    text: str


class RefusalDoneEvent(_Event):
    type: Literal["response.refusal.done"]
    item_id: str
    output_index: int
    content_index: int
    refusal: str


class ArgumentsDoneEvent(_Event):
    type: Literal["response.function_call_arguments.done"]
    item_id: str
    output_index: int
    arguments: str
    name: str | None = None


class SummaryPartEvent(_Event):
    type: Literal["response.reasoning_summary_part.added", "response.reasoning_summary_part.done"]
    item_id: str
    output_index: int
    summary_index: int
    part: SummaryText


class ErrorEvent(_Event):
    type: Literal["error"]
    message: str
    code: str | None = None
    param: str | None = None


class OtherEvent(_Event):
    """Annotations, hosted-tool progress and other events this file does not model."""

    type: str


_MODELLED_EVENTS: tuple[type[_Event], ...] = (
    LifecycleEvent,
    OutputItemEvent,
    ContentPartEvent,
    DeltaEvent,
    TextDoneEvent,
    RefusalDoneEvent,
    ArgumentsDoneEvent,
    SummaryPartEvent,
    ErrorEvent,
)
#: Event type -> the name of its model (each model's `type` is a Literal of the types it covers).
_EVENT_MODELS: dict[str, str] = {
    name: model.__name__
    for model in _MODELLED_EVENTS
    for name in get_args(model.model_fields["type"].annotation)
}


def _event_tag(value: Any) -> str:
    kind = value.get("type") if isinstance(value, dict) else getattr(value, "type", None)
    return _EVENT_MODELS.get(kind, "OtherEvent") if isinstance(kind, str) else "OtherEvent"


StreamChunk = Annotated[
    Annotated[LifecycleEvent, Tag("LifecycleEvent")]
    | Annotated[OutputItemEvent, Tag("OutputItemEvent")]
    | Annotated[ContentPartEvent, Tag("ContentPartEvent")]
    | Annotated[DeltaEvent, Tag("DeltaEvent")]
    | Annotated[TextDoneEvent, Tag("TextDoneEvent")]
    | Annotated[RefusalDoneEvent, Tag("RefusalDoneEvent")]
    | Annotated[ArgumentsDoneEvent, Tag("ArgumentsDoneEvent")]
    | Annotated[SummaryPartEvent, Tag("SummaryPartEvent")]
    | Annotated[ErrorEvent, Tag("ErrorEvent")]
    | Annotated[OtherEvent, Tag("OtherEvent")],
    Discriminator(_event_tag),
]
"""The data of one stream event: `TypeAdapter(StreamChunk).validate_python(json.loads(event.data))`."""
