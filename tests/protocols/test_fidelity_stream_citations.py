"""Web citations in streams (issue 12): Anthropic `citations_delta` and Responses
`response.output_text.annotation.added` carried to each other, read by the SDKs' accumulators;
Chat and Gemini streams, which have no place for them, name them dropped."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pipellm_tui.protocols import Format, convert_sse
from pipellm_tui.protocols.adapters import adapter_for
from pipellm_tui.protocols.assemble import ResponseAssembler

from . import sdk_judges as judge
from .stream_runs import decode_text

URL, TITLE = "https://weather.example/paris", "Paris weather"
LOCATION = {
    "type": "web_search_result_location",
    "url": URL,
    "title": TITLE,
    "cited_text": "Sunny",
    "encrypted_index": "Eq",
}


def _sse(data: dict[str, Any]) -> str:
    return f"event: {data['type']}\ndata: {json.dumps(data)}\n\n"


def _delta(index: int, delta: dict[str, Any]) -> str:
    return _sse({"type": "content_block_delta", "index": index, "delta": delta})


ANTHROPIC = "".join([
    _sse({"type": "message_start", "message": {"id": "msg_1", "type": "message", "role": "assistant", "model": "m", "content": [],
          "stop_reason": None, "stop_sequence": None, "usage": {"input_tokens": 5, "output_tokens": 1}}}),
    _sse({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
    _delta(0, {"type": "text_delta", "text": "Here is what I found. "}),
    _sse({"type": "content_block_stop", "index": 0}),
    _sse({"type": "content_block_start", "index": 1, "content_block": {"type": "text", "text": "", "citations": []}}),
    _delta(1, {"type": "citations_delta", "citation": LOCATION}),
    _delta(1, {"type": "text_delta", "text": "Paris is sunny."}),
    _sse({"type": "content_block_stop", "index": 1}),
    _sse({"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": None}, "usage": {"output_tokens": 9}}),
    _sse({"type": "message_stop"}),
])  # fmt: skip


def test_anthropic_stream_citations_survive_an_anthropic_round_trip() -> None:
    converted = convert_sse(ANTHROPIC, Format.ANTHROPIC, Format.ANTHROPIC)
    judge.anthropic_blocks_in_order(converted.text)
    message = judge.anthropic_stream(converted.text)
    assert [(b.text, [c.url for c in b.citations or []]) for b in message.content] == [  # type: ignore[union-attr]
        ("Here is what I found. ", []), ("Paris is sunny.", [URL]),
    ]  # fmt: skip
    assert message.content[1].citations[0].encrypted_index == "Eq"  # type: ignore[union-attr,index]


def test_anthropic_stream_citations_become_responses_annotations_on_the_cited_text() -> None:
    converted = convert_sse(ANTHROPIC, Format.ANTHROPIC, Format.OPENAI_RESPONSES)
    judge.responses_source_events(converted.text)  # the annotation.added events fit the SDK's types
    texts = [c for item in judge.openai_responses_stream(converted.text).output for c in item.content]  # type: ignore[union-attr]
    cited = [(c.text[a.start_index : a.end_index], a.url) for c in texts for a in c.annotations]  # type: ignore[union-attr]
    assert cited == [("Paris is sunny.", URL)]


def test_the_assembled_answer_keeps_the_citation_on_its_text() -> None:
    events, _ = decode_text(adapter_for(Format.ANTHROPIC), ANTHROPIC)
    parts = ResponseAssembler().add_all(events).response().parts
    assert [(p.text, [c.url for c in p.citations or []]) for p in parts] == [  # type: ignore[union-attr]
        ("Here is what I found. ", []), ("Paris is sunny.", [URL]),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("target", "said"), [(Format.OPENAI_CHAT, "carry no annotations"), (Format.GEMINI, "not per delta")]
)
def test_chat_and_gemini_streams_name_the_citation_dropped(target: Format, said: str) -> None:
    converted = convert_sse(ANTHROPIC, Format.ANTHROPIC, target)
    assert any(w.startswith("citations:") and said in w for w in converted.warnings)


def _responses_stream() -> str:
    seq = iter(range(100))
    head = {"item_id": "msg_1", "output_index": 0, "content_index": 0}
    annotation = {"type": "url_citation", "url": URL, "title": TITLE, "start_index": 14, "end_index": 18}
    text = "Inflation was 2.1%."
    part = {"type": "output_text", "text": text, "annotations": [annotation], "logprobs": []}
    item = {"id": "msg_1", "type": "message", "status": "completed", "role": "assistant", "content": [part]}
    response = {"id": "resp_1", "object": "response", "created_at": 1, "model": "m", "output": [], "status": "in_progress",
                "parallel_tool_calls": True, "tool_choice": "auto", "tools": []}  # fmt: skip
    events = [
        {"type": "response.created", "response": response},
        {
            "type": "response.output_item.added",
            "output_index": 0,
            "item": {**item, "status": "in_progress", "content": []},
        },
        {
            "type": "response.content_part.added",
            **head,
            "part": {"type": "output_text", "text": "", "annotations": []},
        },
        {"type": "response.output_text.delta", **head, "delta": text, "logprobs": []},
        {
            "type": "response.output_text.annotation.added",
            **head,
            "annotation_index": 0,
            "annotation": annotation,
        },
        {"type": "response.output_text.done", **head, "text": text, "logprobs": []},
        {"type": "response.content_part.done", **head, "part": part},
        {"type": "response.output_item.done", "output_index": 0, "item": item},
        {"type": "response.completed", "response": {**response, "status": "completed", "output": [item]}},
    ]
    return "".join(_sse({**e, "sequence_number": next(seq)}) for e in events)


def test_responses_stream_annotations_reach_anthropic_on_their_block() -> None:
    judge.responses_source_events(_responses_stream())
    converted = convert_sse(_responses_stream(), Format.OPENAI_RESPONSES, Format.ANTHROPIC)
    (block,) = judge.anthropic_stream(converted.text).content
    assert block.type == "text" and [c.url for c in block.citations or []] == [URL]
    assert any("cite whole text blocks" in w for w in converted.warnings)


def test_responses_stream_annotations_survive_a_responses_round_trip() -> None:
    converted = convert_sse(_responses_stream(), Format.OPENAI_RESPONSES, Format.OPENAI_RESPONSES)
    (message,) = judge.openai_responses_stream(converted.text).output
    (annotation,) = message.content[0].annotations  # type: ignore[union-attr]
    assert (annotation.start_index, annotation.end_index, annotation.url) == (14, 18, URL)  # type: ignore[union-attr]
