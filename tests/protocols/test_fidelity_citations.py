"""Web citations of a hosted web search carried between answers (issue 12): Anthropic text-block
`web_search_result_location` <-> OpenAI `url_citation` annotations, judged by the SDKs' models."""

from __future__ import annotations

from typing import Any

import anthropic.types as anthropic_types
import openai.types.chat as chat_types
import openai.types.responses as responses_types
import pytest
from google.genai import types as genai_types

from pipellm_tui.protocols import Format, convert_response

CITED = "Paris is sunny today."
ANTHROPIC = {
    "id": "msg_1",
    "type": "message",
    "role": "assistant",
    "model": "m",
    "content": [
        {"type": "text", "text": "Here is what I found. ", "citations": None},
        {
            "type": "text",
            "text": CITED,
            "citations": [
                {
                    "type": "web_search_result_location",
                    "url": "https://weather.example/paris",
                    "title": "Paris weather",
                    "cited_text": "Sunny in Paris",
                    "encrypted_index": "EqgfCioIARgBIiQ3",
                }
            ],
        },
    ],
    "stop_reason": "end_turn",
    "stop_sequence": None,
    "usage": {"input_tokens": 5, "output_tokens": 7},
}


def test_anthropic_citations_become_chat_url_citations_at_the_cited_text() -> None:
    converted = convert_response(ANTHROPIC, Format.ANTHROPIC, Format.OPENAI_CHAT)
    completion = chat_types.ChatCompletion.model_validate(converted.payload)
    message = completion.choices[0].message
    (annotation,) = message.annotations or []
    citation = annotation.url_citation
    assert citation.url == "https://weather.example/paris" and citation.title == "Paris weather"
    assert (message.content or "")[citation.start_index : citation.end_index] == CITED
    assert converted.warnings == []


def test_anthropic_citations_become_responses_annotations_and_back() -> None:
    converted = convert_response(ANTHROPIC, Format.ANTHROPIC, Format.OPENAI_RESPONSES)
    response = responses_types.Response.model_validate(converted.payload)
    texts = [c for item in response.output if item.type == "message" for c in item.content]
    cited = [t for t in texts if t.type == "output_text" and t.annotations]
    (annotation,) = cited[0].annotations  # type: ignore[union-attr]
    assert annotation.type == "url_citation" and annotation.url == "https://weather.example/paris"
    back = convert_response(converted.payload, Format.OPENAI_RESPONSES, Format.ANTHROPIC).payload
    message = anthropic_types.Message.model_validate(back)
    citations = [c for block in message.content if block.type == "text" for c in block.citations or []]
    assert [c.url for c in citations] == ["https://weather.example/paris"]


def test_anthropic_citations_survive_an_anthropic_round_trip() -> None:
    back = convert_response(ANTHROPIC, Format.ANTHROPIC, Format.ANTHROPIC).payload
    anthropic_types.Message.model_validate(back)
    assert back["content"][1]["citations"][0]["encrypted_index"] == "EqgfCioIARgBIiQ3"


def test_chat_url_citations_reach_anthropic_split_at_their_span_and_gemini_as_grounding() -> None:
    chat = convert_response(ANTHROPIC, Format.ANTHROPIC, Format.OPENAI_CHAT).payload
    back = convert_response(chat, Format.OPENAI_CHAT, Format.ANTHROPIC).payload
    message = anthropic_types.Message.model_validate(back)
    blocks = [(b.text, [c.url for c in b.citations or []]) for b in message.content if b.type == "text"]
    assert blocks == [("Here is what I found. ", []), (CITED, ["https://weather.example/paris"])]
    gemini = convert_response(ANTHROPIC, Format.ANTHROPIC, Format.GEMINI)
    candidate = genai_types.GenerateContentResponse.model_validate(gemini.payload).candidates[0]  # type: ignore[index]
    (support,) = candidate.grounding_metadata.grounding_supports  # type: ignore[union-attr]
    assert support.segment.text == CITED and support.segment.part_index == 1  # type: ignore[union-attr]
    assert not any(w.startswith("citations:") for w in gemini.warnings)


GROUNDED_TEXT = "Météo: Paris is sunny today."
GEMINI = {
    "candidates": [
        {
            "content": {"role": "model", "parts": [{"text": GROUNDED_TEXT}]},
            "finishReason": "STOP",
            "groundingMetadata": {
                "webSearchQueries": ["paris weather"],
                "groundingChunks": [
                    {"web": {"uri": "https://weather.example/paris", "title": "Paris weather"}}
                ],
                "groundingSupports": [
                    {
                        # UTF-8 byte offsets: "Météo: " is 9 bytes but 7 characters.
                        "segment": {"startIndex": 9, "endIndex": 30, "text": "Paris is sunny today."},
                        "groundingChunkIndices": [0],
                    }
                ],
            },
        }
    ]
}


def test_gemini_grounding_becomes_url_citations_at_the_right_characters() -> None:
    converted = convert_response(GEMINI, Format.GEMINI, Format.OPENAI_CHAT)
    message = chat_types.ChatCompletion.model_validate(converted.payload).choices[0].message
    (annotation,) = message.annotations or []
    citation = annotation.url_citation
    assert (message.content or "")[citation.start_index : citation.end_index] == "Paris is sunny today."
    assert citation.url == "https://weather.example/paris"
    assert any(w.startswith("web_search: OpenAI Chat has no hosted-tool items") for w in converted.warnings)
    anthropic = convert_response(GEMINI, Format.GEMINI, Format.ANTHROPIC).payload
    message_a = anthropic_types.Message.model_validate(anthropic)
    assert [b.type for b in message_a.content] == [
        "server_tool_use",
        "web_search_tool_result",
        "text",
        "text",
    ]
    texts = [
        (b.text, [c.cited_text for c in b.citations or []]) for b in message_a.content if b.type == "text"
    ]
    assert texts == [("Météo: ", []), ("Paris is sunny today.", ["Paris is sunny today."])]


def test_chat_spans_over_non_ascii_text_reach_gemini_as_utf8_byte_offsets() -> None:
    text = "Météo: 21 °C à Paris, ☀ all day."
    start, end = text.index("21"), text.index(",")
    chat = {
        "id": "c", "object": "chat.completion", "created": 1, "model": "m",
        "choices": [{"index": 0, "finish_reason": "stop", "message": {
            "role": "assistant", "content": text,
            "annotations": [{"type": "url_citation", "url_citation": {
                "url": "https://weather.example/paris", "title": "Paris", "start_index": start, "end_index": end}}],
        }}],
    }  # fmt: skip
    gemini = convert_response(chat, Format.OPENAI_CHAT, Format.GEMINI).payload
    candidate = genai_types.GenerateContentResponse.model_validate(gemini).candidates[0]  # type: ignore[index]
    (support,) = candidate.grounding_metadata.grounding_supports  # type: ignore[union-attr]
    raw = text.encode()
    assert raw[support.segment.start_index : support.segment.end_index].decode() == "21 °C à Paris"  # type: ignore[union-attr,index]
    back = convert_response(gemini, Format.GEMINI, Format.OPENAI_CHAT).payload["choices"][0]["message"]
    (annotation,) = back["annotations"]
    span = annotation["url_citation"]
    assert back["content"][span["start_index"] : span["end_index"]] == "21 °C à Paris"


def test_a_responses_history_keeps_its_citations_for_anthropic() -> None:
    from pipellm_tui.protocols import convert_request

    annotation = {
        "type": "url_citation",
        "url": "https://weather.example/paris",
        "title": "Paris",
        "start_index": 0,
        "end_index": 5,
    }
    body = {"model": "m", "input": [
        {"role": "user", "content": "Weather?"},
        {"role": "assistant", "content": [{"type": "output_text", "text": "Sunny today.", "annotations": [annotation]}]},
        {"role": "user", "content": "Thanks."},
    ]}  # fmt: skip
    converted = convert_request(body, Format.OPENAI_RESPONSES, Format.ANTHROPIC)
    blocks = converted.payload["messages"][1]["content"]
    assert [(b["text"], [c["url"] for c in b.get("citations", [])]) for b in blocks] == [
        ("Sunny", ["https://weather.example/paris"]), (" today.", []),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "metadata",
    [
        {"groundingSupports": [[]]},
        {"groundingChunks": {"a": 1}, "groundingSupports": [{"segment": {}, "groundingChunkIndices": [0]}]},
        {
            "groundingChunks": [None, {"web": []}],
            "groundingSupports": [{"segment": {}, "groundingChunkIndices": [0, 1, "z"]}],
        },
    ],
)
def test_ill_shaped_grounding_cites_nothing_and_breaks_nothing(metadata: dict[str, Any]) -> None:
    answer = {
        "candidates": [
            {
                "content": {"role": "model", "parts": [{"text": "It is sunny."}]},
                "finishReason": "STOP",
                "groundingMetadata": metadata,
            }
        ],
        "responseId": "r",
    }
    for target in Format:
        assert "It is sunny." in str(convert_response(answer, Format.GEMINI, target).payload)
    assert "url_citation" not in str(convert_response(answer, Format.GEMINI, Format.OPENAI_CHAT).payload)
