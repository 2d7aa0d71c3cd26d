"""How the Gemini adapter handles what other formats send it, and what it refuses.

from_ir: tool-result names looked up from earlier calls, forced tools, warnings for every field Gemini
cannot carry, extras from Gemini put back and extras from others named, usage projection, finish
reasons. Streams from other formats' decoders in any legal order. (Bad input: `test_gemini_bad_input`.)
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from pipellm_tui.protocols import Format, ir
from pipellm_tui.protocols.problems import ProtocolError
from pipellm_tui.protocols.schemas import gemini as schema
from pipellm_tui.protocols.sse import parse_sse

from .facts import ADAPTER, decode, encode, reencode, stream_facts

S = ir.StopReason
SIG = "c2lnbmF0dXJl"  # base64("signature")


def _conversation() -> ir.Request:
    return ir.Request(
        messages=[
            ir.Message("user", [ir.TextPart("Weather in Paris?")]),
            ir.Message("assistant", [ir.ToolCallPart("toolu_01", "get_weather", {"city": "Paris"})]),
            ir.Message(
                "user",
                [ir.ToolResultPart("toolu_01", None, [ir.TextPart("18C")]), ir.TextPart("and tomorrow?")],
            ),
        ],
        tools=[
            ir.Tool("get_weather", "Weather.", {"type": "object", "properties": {"city": {"type": "string"}}})
        ],
    )


# ---------------------------------------------------------------------------- requests from IR


def test_tool_result_name_comes_from_the_matching_call() -> None:
    warnings: list[str] = []
    payload = ADAPTER.request_from_ir(_conversation(), warnings)
    schema.Request.model_validate(payload)
    assert payload["contents"][1]["parts"][0] == {
        "functionCall": {"name": "get_weather", "args": {"city": "Paris"}, "id": "toolu_01"}
    }
    assert payload["contents"][2]["parts"][0] == {
        "functionResponse": {"name": "get_weather", "response": {"output": "18C"}, "id": "toolu_01"}
    }
    assert payload["contents"][1]["role"] == "model"
    assert warnings == []


def test_tool_result_without_a_call_is_refused_with_its_path() -> None:
    request = _conversation()
    request.messages[1].parts = [ir.TextPart("no call here")]
    with pytest.raises(ProtocolError) as caught:
        ADAPTER.request_from_ir(request, [])
    assert caught.value.path == "messages[2].parts[0].tool_call_id"
    assert "toolu_01" in caught.value.message


def test_error_results_and_images_in_results() -> None:
    request = _conversation()
    request.messages[2].parts[0] = ir.ToolResultPart(
        "toolu_01",
        "get_weather",
        [ir.TextPart("boom"), ir.ImagePart(data="iVBORw0KGgo=", media_type="image/png")],
        True,
    )
    payload = ADAPTER.request_from_ir(request, [])
    assert payload["contents"][2]["parts"][0]["functionResponse"] == {
        "name": "get_weather",
        "response": {"error": "boom"},
        "id": "toolu_01",
        "parts": [{"inlineData": {"mimeType": "image/png", "data": "iVBORw0KGgo="}}],
    }
    back = ADAPTER.request_to_ir(payload, [], None)
    assert back.messages[2].parts[0] == request.messages[2].parts[0]


def test_tool_choice_and_settings() -> None:
    request = _conversation()
    request.tool_choice = ir.ToolChoice(ir.ToolChoiceMode.TOOL, "get_weather")
    request.response_format = ir.ResponseFormat(
        ir.ResponseFormatKind.JSON_SCHEMA, {"type": "object"}, "answer", True
    )
    request.thinking = ir.Thinking(effort="medium", include_thoughts=True)
    request.system = [ir.TextPart("Be brief.", cache_control={"type": "ephemeral"})]
    request.parallel_tool_calls = False
    request.stop, request.top_k, request.candidate_count = ["END"], 5, 2
    warnings: list[str] = []
    payload = ADAPTER.request_from_ir(request, warnings)
    schema.Request.model_validate(payload)
    assert payload["toolConfig"] == {
        "functionCallingConfig": {"mode": "ANY", "allowedFunctionNames": ["get_weather"]}
    }
    assert payload["systemInstruction"] == {"parts": [{"text": "Be brief."}]}
    assert payload["generationConfig"] == {
        "topK": 5,
        "stopSequences": ["END"],
        "candidateCount": 2,
        "responseMimeType": "application/json",
        "responseJsonSchema": {"type": "object"},
        "thinkingConfig": {"thinkingBudget": 8192, "includeThoughts": True},
    }
    said = "\n".join(warnings)
    for field in (
        "parallel_tool_calls",
        "cache_control",
        "response_format name",
        "strict",
        "reasoning effort 'medium'",
    ):
        assert field in said, field


def test_images_by_url_and_detail_are_reported() -> None:
    request = ir.Request(
        messages=[
            ir.Message(
                "user",
                [
                    ir.ImagePart(url="https://example.com/cat.png", media_type="image/png", detail="high"),
                    ir.ImagePart(url="data:image/jpeg;base64,/9j/AAAA"),
                    ir.ImagePart(data="iVBORw0KGgo="),
                ],
            )
        ]
    )
    warnings: list[str] = []
    parts = ADAPTER.request_from_ir(request, warnings)["contents"][0]["parts"]
    assert parts == [
        {"fileData": {"fileUri": "https://example.com/cat.png", "mimeType": "image/png"}},
        {"inlineData": {"mimeType": "image/jpeg", "data": "/9j/AAAA"}},
        {"inlineData": {"mimeType": "image/png", "data": "iVBORw0KGgo="}},
    ]
    said = "\n".join(warnings)
    assert "image URL" in said and "detail" in said and "media type" in said


def test_thinking_parts_signatures_and_redaction() -> None:
    request = ir.Request(
        messages=[
            ir.Message(
                "assistant",
                [
                    ir.ThinkingPart("plan", SIG),
                    ir.ThinkingPart("", SIG),
                    ir.TextPart("answer"),
                    ir.ThinkingPart("", "not base64!"),
                    ir.ThinkingPart("", "opaque", redacted=True),
                    ir.ToolCallPart("c1", "f", {}, "also not base64"),
                    ir.RefusalPart("no"),
                ],
            )
        ]
    )
    warnings: list[str] = []
    parts = ADAPTER.request_from_ir(request, warnings)["contents"][0]["parts"]
    assert parts == [
        {"text": "plan", "thought": True, "thoughtSignature": SIG},
        {"text": "answer", "thoughtSignature": SIG},
        {"text": "", "thought": True},
        {"functionCall": {"name": "f", "args": {}, "id": "c1"}},
        {"text": "no"},
    ]
    said = "\n".join(warnings)
    assert "thought signature" in said and "redacted thinking" in said and "refusal" in said


def test_extras_go_back_for_gemini_and_are_named_for_others() -> None:
    request = ir.Request(
        messages=[],
        extras={"safetySettings": [], "generationConfig.presencePenalty": 0.5, "tools.codeExecution": {}},
        extras_format=Format.GEMINI,
    )
    payload = ADAPTER.request_from_ir(request, [])
    assert payload == {
        "contents": [],
        "tools": [{"codeExecution": {}}],
        "generationConfig": {"presencePenalty": 0.5},
        "safetySettings": [],
    }
    request.extras, request.extras_format = (
        {"metadata": {"user_id": "u"}, "service_tier": "auto"},
        Format.ANTHROPIC,
    )
    warnings: list[str] = []
    payload = ADAPTER.request_from_ir(request, warnings)
    assert payload == {"contents": []}
    assert any("metadata" in w and "Anthropic" in w for w in warnings)
    assert any("service_tier" in w for w in warnings)


def test_gemini_only_choices_are_reported_on_the_way_in() -> None:
    body = {
        "contents": [{"parts": [{"text": "hi"}, {"executableCode": {"code": "1"}}]}],
        "toolConfig": {"functionCallingConfig": {"mode": "VALIDATED"}},
        "generationConfig": {"thinkingConfig": {"thinkingLevel": "LOW", "thinkingBudget": -1}},
    }
    warnings: list[str] = []
    request = ADAPTER.request_to_ir(body, warnings, "m")
    assert request.tool_choice == ir.ToolChoice(ir.ToolChoiceMode.AUTO)
    assert request.thinking == ir.Thinking(effort="low")
    said = "\n".join(warnings)
    assert "executableCode" in said and "VALIDATED" in said
    body["toolConfig"] = {"functionCallingConfig": {"mode": "ANY", "allowedFunctionNames": ["a", "b"]}}
    warnings = []
    assert ADAPTER.request_to_ir(body, warnings, None).tool_choice == ir.ToolChoice(
        ir.ToolChoiceMode.REQUIRED
    )
    assert any("allowedFunctionNames" in w for w in warnings)


def test_model_comes_from_the_argument_or_the_body() -> None:
    assert ADAPTER.request_to_ir({"contents": []}, [], None).model is None
    assert ADAPTER.request_to_ir({"contents": [], "model": "models/gemini-x"}, [], None).model == "gemini-x"
    assert ADAPTER.request_to_ir({"contents": [], "model": "models/gemini-x"}, [], "y").model == "y"


# ---------------------------------------------------------------------------- responses from IR


@pytest.mark.parametrize(
    ("stop", "parts", "finish", "warned"),
    [
        (S.END_TURN, [ir.TextPart("hi")], "STOP", False),
        (S.TOOL_USE, [ir.ToolCallPart("c", "f", {})], "STOP", False),
        (S.MAX_TOKENS, [ir.TextPart("hi")], "MAX_TOKENS", False),
        (S.CONTENT_FILTER, [], "SAFETY", False),
        (S.STOP_SEQUENCE, [ir.TextPart("hi")], "STOP", True),
        (S.CONTEXT_WINDOW_EXCEEDED, [], "MAX_TOKENS", True),
        (S.PAUSE, [], "STOP", True),
        (S.ERROR, [], "OTHER", True),
    ],
)
def test_response_finish_reasons(
    stop: ir.StopReason, parts: list[ir.Part], finish: str, warned: bool
) -> None:
    response = ir.Response(
        id="r1", model="m", candidates=[ir.Candidate(parts, stop, "END" if warned else None)]
    )
    warnings: list[str] = []
    payload = ADAPTER.response_from_ir(response, warnings)
    schema.Response.model_validate(payload)
    assert payload["candidates"][0]["finishReason"] == finish
    assert bool(warnings) is warned


def test_response_usage_projection_and_ids() -> None:
    response = ir.Response(
        candidates=[ir.Candidate([ir.TextPart("hi")], S.END_TURN)],
        usage=ir.Usage(
            input_tokens=100,
            output_tokens=30,
            cache_read_tokens=60,
            cache_write_tokens=5,
            reasoning_tokens=12,
        ),
    )
    warnings: list[str] = []
    payload = ADAPTER.response_from_ir(response, warnings)
    assert payload["usageMetadata"] == {
        "promptTokenCount": 100,
        "candidatesTokenCount": 18,
        "totalTokenCount": 130,
        "thoughtsTokenCount": 12,
        "cachedContentTokenCount": 60,
    }
    assert any("cache_write" in w for w in warnings)
    assert payload["responseId"] == ADAPTER.response_from_ir(response, [])["responseId"]  # deterministic
    assert payload["candidates"][0]["content"]["role"] == "model" and payload["candidates"][0]["index"] == 0


def test_malformed_function_call_is_end_turn_with_a_warning() -> None:
    warnings: list[str] = []
    body = {
        "candidates": [
            {
                "content": {"role": "model"},
                "finishReason": "MALFORMED_FUNCTION_CALL",
                "finishMessage": "bad call",
            }
        ]
    }
    response = ADAPTER.response_to_ir(body, warnings)
    assert response.stop_reason is S.END_TURN and response.parts == []
    assert any("MALFORMED_FUNCTION_CALL" in w and "bad call" in w for w in warnings)


# ---------------------------------------------------------------------------- streams from other formats


def _stream(events: list[ir.StreamEvent]) -> tuple[list[dict[str, Any]], list[str]]:
    out, warnings = encode(events)
    chunks = [json.loads(e.data) for e in out]
    for chunk in chunks:
        (schema.ErrorBody if "error" in chunk else schema.StreamChunk).model_validate(chunk)
        if "candidates" in chunk:  # google-genai's chat history rejects chunks with no usable part
            assert chunk["candidates"][0]["content"]["parts"]
    return chunks, warnings


def test_openai_order_tool_calls_without_block_stops_and_usage_after_finish() -> None:
    chunks, _ = _stream(
        [
            ir.StreamStart("chatcmpl-1", "gpt-4o"),
            ir.TextDelta("Let me check. "),
            ir.ToolCallStart(0, "call_a", "get_weather", None),
            ir.ToolCallDelta(0, '{"ci'),
            ir.ToolCallDelta(0, 'ty":"Paris"}'),
            ir.ToolCallStart(1, "call_b", "get_time", None),
            ir.ToolCallDelta(1, ""),
            ir.StreamFinish(S.TOOL_USE),
            ir.StreamUsage(ir.Usage(10, 20)),
        ]
    )
    assert [c["candidates"][0]["content"]["parts"] for c in chunks] == [
        [{"text": "Let me check. "}],
        [{"functionCall": {"name": "get_weather", "args": {"city": "Paris"}, "id": "call_a"}}],
        [{"functionCall": {"name": "get_time", "args": {}, "id": "call_b"}}],
        [{"text": ""}],
    ]
    last = chunks[-1]
    assert last["candidates"][0]["finishReason"] == "STOP"
    assert last["usageMetadata"] == {
        "promptTokenCount": 10,
        "candidatesTokenCount": 20,
        "totalTokenCount": 30,
    }
    assert {c["responseId"] for c in chunks} == {"chatcmpl-1"} and {c["modelVersion"] for c in chunks} == {
        "gpt-4o"
    }


def test_anthropic_order_signature_after_thinking_and_usage_in_start() -> None:
    chunks, _ = _stream(
        [
            ir.StreamStart("msg_1", "claude", ir.Usage(input_tokens=7)),
            ir.ThinkingDelta("hmm"),
            ir.ThinkingDelta("", SIG),
            ir.BlockStop(),
            ir.TextDelta("Hi"),
            ir.BlockStop(),
            ir.StreamFinish(S.END_TURN),
            ir.StreamUsage(ir.Usage(output_tokens=3)),
        ]
    )
    assert chunks[1]["candidates"][0]["content"]["parts"] == [{"text": "Hi", "thoughtSignature": SIG}]
    assert chunks[-1]["usageMetadata"]["promptTokenCount"] == 7  # kept from the start
    assert chunks[-1]["usageMetadata"]["candidatesTokenCount"] == 3


def test_finish_without_start_and_text_after_tool_call() -> None:
    events: list[ir.StreamEvent] = [
        ir.ToolCallStart(0, "t1", "f", None),
        ir.ToolCallDelta(0, "{}"),
        ir.TextDelta("done"),
        ir.StreamFinish(S.MAX_TOKENS, "STOP!"),
    ]
    chunks, warnings = _stream(events)
    assert chunks[0]["candidates"][0]["content"]["parts"][0]["functionCall"]["id"] == "t1"
    assert chunks[1]["candidates"][0]["content"]["parts"] == [{"text": "done"}]
    assert chunks[-1]["candidates"][0]["finishReason"] == "MAX_TOKENS" and "usageMetadata" not in chunks[-1]
    assert chunks[0]["responseId"] and any("stop_sequence" in w for w in warnings)
    facts = stream_facts(decode(reencode(events))[0])
    assert (facts.text, facts.calls, facts.stop) == ("done", [("t1", "f", {})], S.MAX_TOKENS)


def test_error_event_becomes_an_error_chunk_that_google_genai_raises_on() -> None:
    out, _ = encode(
        [
            ir.StreamStart(),
            ir.TextDelta("a"),
            ir.StreamError("Overloaded", "overloaded_error", 529),
            ir.TextDelta("ignored"),
        ]
    )
    assert out[-1].data.startswith('{"error":')
    assert json.loads(out[-1].data) == {
        "error": {"code": 529, "message": "Overloaded", "status": "UNAVAILABLE"}
    }
    assert sum("ignored" in e.data for e in out) == 0


def test_decoder_keeps_going_past_junk_and_unknown_parts() -> None:
    text = (
        "data: not json\n\ndata: [1]\n\n"
        'data: {"candidates":[{"content":{"parts":[{"inlineData":{"mimeType":"image/png","data":"AA=="}},{"text":"ok"}]},'
        '"index":0},{"content":{"parts":[{"text":"second"}]},"index":1}],"responseId":"r"}\n\n'
    )
    events, warnings = decode(text)
    facts = stream_facts(events)
    assert (facts.text, facts.stop) == ("ok", S.END_TURN)
    assert len(warnings) == 5  # not JSON, not an object, an image part, a second candidate, and:
    assert "2 stream events not understood and skipped: data not JSON; data not a JSON object" in warnings


def test_empty_body_gives_no_events_either_way() -> None:
    assert decode("")[0] == []
    assert encode([])[0] == []
    assert [e.data for e in parse_sse(reencode([ir.StreamStart("x")]))] == []
