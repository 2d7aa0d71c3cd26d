"""Hosted-tool runs (web search, code execution) and their results carried in every direction
(issue 12): Anthropic `server_tool_use` + `*_tool_result`, Responses `web_search_call` /
`code_interpreter_call`, Gemini `groundingMetadata` and `executableCode` + `codeExecutionResult`;
OpenAI Chat, which has no place for them, names them dropped and keeps the citations. Each payload
is read by the official SDK's own model."""

from __future__ import annotations

from typing import Any

import anthropic.types as anthropic_types
import openai.types.chat as chat_types
import openai.types.responses as responses_types
import pytest
from google.genai import types as genai_types

from pipellm_tui.protocols import Format, convert_request, convert_response

from . import sdk_judges as judge

URL, TITLE, QUERY = "https://ec.europa.eu/eurostat", "Euro area annual inflation", "eurozone inflation"
SEARCH_CALL = {
    "type": "server_tool_use",
    "id": "srvtoolu_01A",
    "name": "web_search",
    "input": {"query": QUERY},
}
SEARCH_RESULT = {
    "type": "web_search_tool_result",
    "tool_use_id": "srvtoolu_01A",
    "content": [
        {
            "type": "web_search_result",
            "url": URL,
            "title": TITLE,
            "encrypted_content": "Eqg",
            "page_age": None,
        }
    ],
}
CODE = "print(6 * 7)"
CODE_CALL = {
    "type": "server_tool_use",
    "id": "srvtoolu_01B",
    "name": "code_execution",
    "input": {"code": CODE},
}
CODE_RESULT = {
    "type": "code_execution_tool_result",
    "tool_use_id": "srvtoolu_01B",
    "content": {
        "type": "code_execution_result",
        "stdout": "42\n",
        "stderr": "",
        "return_code": 0,
        "content": [],
    },
}
CITED = {
    "type": "text",
    "text": "Inflation was 2.1%.",
    "citations": [
        {
            "type": "web_search_result_location",
            "url": URL,
            "title": TITLE,
            "cited_text": "2.1%",
            "encrypted_index": "x",
        }
    ],
}
ANTHROPIC: dict[str, Any] = {
    "id": "msg_1", "type": "message", "role": "assistant", "model": "m",
    "content": [SEARCH_CALL, SEARCH_RESULT, CODE_CALL, CODE_RESULT, CITED],
    "stop_reason": "end_turn", "stop_sequence": None, "usage": {"input_tokens": 5, "output_tokens": 7},
}  # fmt: skip


def _anthropic(payload: dict[str, Any]) -> anthropic_types.Message:
    return anthropic_types.Message.model_validate(payload)


def _responses(payload: dict[str, Any]) -> responses_types.Response:
    return responses_types.Response.model_validate(payload)


def _gemini(payload: dict[str, Any]) -> genai_types.Candidate:
    (candidate,) = genai_types.GenerateContentResponse.model_validate(payload).candidates or []
    return candidate


# ---------------------------------------------------------------------------- answers


def test_anthropic_runs_survive_an_anthropic_round_trip_whole() -> None:
    converted = convert_response(ANTHROPIC, Format.ANTHROPIC, Format.ANTHROPIC)
    assert _anthropic(converted.payload).content == _anthropic(ANTHROPIC).content
    assert converted.warnings == []


def test_anthropic_runs_become_responses_items() -> None:
    converted = convert_response(ANTHROPIC, Format.ANTHROPIC, Format.OPENAI_RESPONSES)
    output = _responses(converted.payload).output
    assert [item.type for item in output] == ["web_search_call", "code_interpreter_call", "message"]
    search, code = output[0], output[1]
    assert search.type == "web_search_call" and search.action.type == "search"
    assert search.action.query == QUERY and [s.url for s in search.action.sources or []] == [URL]
    assert code.type == "code_interpreter_call" and code.code == CODE
    assert [o.logs for o in code.outputs or [] if o.type == "logs"] == ["42\n"]
    assert any("carry no title" in w for w in converted.warnings)


def test_anthropic_runs_become_gemini_code_parts_and_grounding() -> None:
    converted = convert_response(ANTHROPIC, Format.ANTHROPIC, Format.GEMINI)
    candidate = _gemini(converted.payload)
    parts = candidate.content.parts or []  # type: ignore[union-attr]
    assert parts[0].executable_code is not None and parts[0].executable_code.code == CODE
    assert parts[0].executable_code.language == genai_types.Language.PYTHON
    result = parts[1].code_execution_result
    assert result is not None and result.outcome == genai_types.Outcome.OUTCOME_OK and result.output == "42\n"
    grounding = candidate.grounding_metadata
    assert grounding is not None and grounding.web_search_queries == [QUERY]
    assert [(c.web.uri, c.web.title) for c in grounding.grounding_chunks or []] == [(URL, TITLE)]  # type: ignore[union-attr]
    (support,) = grounding.grounding_supports or []
    assert support.segment.part_index == 2 and support.grounding_chunk_indices == [0]  # type: ignore[union-attr]


def test_chat_names_each_run_dropped_and_keeps_the_citation() -> None:
    converted = convert_response(ANTHROPIC, Format.ANTHROPIC, Format.OPENAI_CHAT)
    message = chat_types.ChatCompletion.model_validate(converted.payload).choices[0].message
    assert message.content == "Inflation was 2.1%."
    assert [a.url_citation.url for a in message.annotations or []] == [URL]
    dropped = [w for w in converted.warnings if "OpenAI Chat has no hosted-tool items" in w]
    assert any(QUERY in w and "1 result(s)" in w for w in dropped)
    assert any("python code execution" in w for w in dropped)


RESPONSES: dict[str, Any] = {
    "id": "resp_1", "object": "response", "created_at": 1, "model": "m", "status": "completed",
    "parallel_tool_calls": True, "tool_choice": "auto", "tools": [],
    "output": [
        {"id": "ws_1", "type": "web_search_call", "status": "completed",
         "action": {"type": "search", "query": QUERY, "sources": [{"type": "url", "url": URL}]}},
        {"id": "ci_1", "type": "code_interpreter_call", "status": "completed", "code": CODE,
         "container_id": "cntr_1", "outputs": [{"type": "logs", "logs": "42\n"}]},
        {"id": "msg_1", "type": "message", "status": "completed", "role": "assistant",
         "content": [{"type": "output_text", "text": "Inflation was 2.1%.",
                      "annotations": [{"type": "url_citation", "url": URL, "title": TITLE, "start_index": 14, "end_index": 18}]}]},
    ],
}  # fmt: skip


def test_responses_runs_become_anthropic_blocks_with_a_citation_on_its_span() -> None:
    _responses(RESPONSES)
    converted = convert_response(RESPONSES, Format.OPENAI_RESPONSES, Format.ANTHROPIC)
    content = _anthropic(converted.payload).content
    kinds = [block.type for block in content]
    assert (
        kinds
        == ["server_tool_use", "web_search_tool_result", "server_tool_use", "code_execution_tool_result"]
        + ["text"] * 3
    )
    assert content[0].input == {"query": QUERY} and content[0].name == "web_search"  # type: ignore[union-attr]
    assert content[2].input == {"code": CODE} and content[3].content.stdout == "42\n"  # type: ignore[union-attr]
    assert content[1].tool_use_id == content[0].id  # type: ignore[union-attr]
    texts = [(b.text, [c.url for c in b.citations or []]) for b in content if b.type == "text"]
    assert texts == [("Inflation was ", []), ("2.1%", [URL]), (".", [])]


def test_responses_runs_come_back_from_anthropic_as_they_were() -> None:
    anthropic = convert_response(RESPONSES, Format.OPENAI_RESPONSES, Format.ANTHROPIC).payload
    back = _responses(convert_response(anthropic, Format.ANTHROPIC, Format.OPENAI_RESPONSES).payload)
    search, code, message = back.output
    assert search.type == "web_search_call" and search.action.query == QUERY  # type: ignore[union-attr]
    assert code.type == "code_interpreter_call" and code.code == CODE
    cited = [(c.text[a.start_index : a.end_index], a.url) for c in message.content for a in c.annotations]  # type: ignore[union-attr]
    assert cited == [("2.1%", URL)]
    assert "".join(c.text for c in message.content) == "Inflation was 2.1%."  # type: ignore[union-attr]


def test_responses_runs_become_gemini_parts_and_grounding() -> None:
    candidate = _gemini(convert_response(RESPONSES, Format.OPENAI_RESPONSES, Format.GEMINI).payload)
    parts = candidate.content.parts or []  # type: ignore[union-attr]
    assert [p.executable_code is not None for p in parts] == [True, False, False]
    (support,) = candidate.grounding_metadata.grounding_supports or []  # type: ignore[union-attr]
    assert (support.segment.start_index, support.segment.end_index) == (14, 18)  # type: ignore[union-attr]


TEXT = "Météo à Paris: 21 °C."  # non-ASCII before and inside the cited span
GEMINI: dict[str, Any] = {
    "candidates": [{
        "content": {"role": "model", "parts": [
            {"executableCode": {"language": "PYTHON", "code": CODE}},
            {"codeExecutionResult": {"outcome": "OUTCOME_FAILED", "output": "ZeroDivisionError"}},
            {"text": TEXT},
        ]},
        "finishReason": "STOP",
        "groundingMetadata": {
            "webSearchQueries": [QUERY, "paris weather"],
            "groundingChunks": [{"web": {"uri": URL, "title": TITLE}}],
            "groundingSupports": [{
                "segment": {"partIndex": 2, "startIndex": len("Météo à ".encode()), "endIndex": len(TEXT.encode()), "text": "Paris: 21 °C."},
                "groundingChunkIndices": [0],
            }],
        },
    }],
}  # fmt: skip


def test_gemini_runs_become_anthropic_blocks() -> None:
    _gemini(GEMINI)
    converted = convert_response(GEMINI, Format.GEMINI, Format.ANTHROPIC)
    content = _anthropic(converted.payload).content
    calls = [b for b in content if b.type == "server_tool_use"]
    assert [(c.name, c.input) for c in calls] == [
        ("web_search", {"query": QUERY}), ("web_search", {"query": "paris weather"}), ("code_execution", {"code": CODE}),
    ]  # fmt: skip
    (failed,) = [b for b in content if b.type == "code_execution_tool_result"]
    assert failed.content.return_code == 1 and failed.content.stderr == "ZeroDivisionError"  # type: ignore[union-attr]
    texts = [(b.text, [c.url for c in b.citations or []]) for b in content if b.type == "text"]
    assert texts == [("Météo à ", []), ("Paris: 21 °C.", [URL])]


def test_gemini_runs_survive_a_gemini_round_trip_in_utf8_offsets() -> None:
    converted = convert_response(GEMINI, Format.GEMINI, Format.GEMINI)
    back, before = _gemini(converted.payload), _gemini(GEMINI)
    assert (back.content, back.grounding_metadata) == (before.content, before.grounding_metadata)
    assert converted.warnings == []


def test_gemini_runs_become_responses_items_and_chat_annotations() -> None:
    output = _responses(convert_response(GEMINI, Format.GEMINI, Format.OPENAI_RESPONSES).payload).output
    assert [item.type for item in output] == [
        "web_search_call",
        "web_search_call",
        "code_interpreter_call",
        "message",
    ]
    chat = convert_response(GEMINI, Format.GEMINI, Format.OPENAI_CHAT)
    message = chat_types.ChatCompletion.model_validate(chat.payload).choices[0].message
    (annotation,) = message.annotations or []
    span = annotation.url_citation
    assert (message.content or "")[span.start_index : span.end_index] == "Paris: 21 °C."


# ---------------------------------------------------------------------------- request histories

HISTORY: dict[str, Any] = {
    "model": "m",
    "max_tokens": 100,
    "messages": [
        {"role": "user", "content": "Inflation?"},
        {"role": "assistant", "content": [SEARCH_CALL, SEARCH_RESULT, CODE_CALL, CODE_RESULT, CITED]},
        {"role": "user", "content": "And last year?"},
    ],
}


def test_an_anthropic_history_reaches_responses_as_hosted_items() -> None:
    converted = convert_request(HISTORY, Format.ANTHROPIC, Format.OPENAI_RESPONSES)
    judge.openai_responses_request(converted.payload)
    items = converted.payload["input"]
    kinds = [item.get("type") or item["role"] for item in items]
    assert kinds == ["user", "web_search_call", "code_interpreter_call", "assistant", "user"]
    assert items[1]["action"]["query"] == QUERY
    assert items[3]["content"][0]["annotations"][0]["url"] == URL
    back = convert_request(converted.payload, Format.OPENAI_RESPONSES, Format.ANTHROPIC).payload
    judge.anthropic_request(back)
    assert [b["type"] for b in back["messages"][1]["content"]][:4] == [
        "server_tool_use", "web_search_tool_result", "server_tool_use", "code_execution_tool_result",
    ]  # fmt: skip


def test_an_anthropic_history_reaches_gemini_with_its_code_and_names_the_search() -> None:
    converted = convert_request(HISTORY, Format.ANTHROPIC, Format.GEMINI)
    judge.gemini_request(converted.payload)
    model_parts = converted.payload["contents"][1]["parts"]
    assert model_parts[0] == {"executableCode": {"language": "PYTHON", "code": CODE}}
    assert model_parts[1]["codeExecutionResult"]["outcome"] == "OUTCOME_OK"
    assert any(
        w.startswith("web_search: Gemini requests have no place for a past search")
        for w in converted.warnings
    )


@pytest.mark.parametrize("source", [Format.ANTHROPIC])
def test_a_history_to_chat_names_each_run_dropped(source: Format) -> None:
    converted = convert_request(HISTORY, source, Format.OPENAI_CHAT)
    judge.openai_chat_request(converted.payload)
    assert converted.payload["messages"][1]["content"] == "Inflation was 2.1%."
    assert sum("OpenAI Chat has no hosted-tool items" in w for w in converted.warnings) == 2


def test_a_gemini_history_with_code_reaches_anthropic() -> None:
    body = {"contents": [
        {"role": "user", "parts": [{"text": "Compute."}]},
        {"role": "model", "parts": GEMINI["candidates"][0]["content"]["parts"]},
        {"role": "user", "parts": [{"text": "Thanks."}]},
    ]}  # fmt: skip
    converted = convert_request(body, Format.GEMINI, Format.ANTHROPIC, model="m")
    judge.anthropic_request(converted.payload)
    blocks = converted.payload["messages"][1]["content"]
    assert [b["type"] for b in blocks] == ["server_tool_use", "code_execution_tool_result", "text"]
    assert blocks[1]["tool_use_id"] == blocks[0]["id"]
