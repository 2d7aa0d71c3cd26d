"""How the Gemini adapter handles what other formats send it, and what it refuses.

from_ir: tool-result names looked up from earlier calls, forced tools, warnings for every field Gemini
cannot carry, extras from Gemini put back and extras from others named, usage projection, finish
reasons. Streams from other formats: test_streams_from_other_formats.py. (Bad input: test_bad_input.py.)
"""

from __future__ import annotations

import pytest

from pipellm_tui.protocols import Format, ir
from pipellm_tui.protocols.problems import ProtocolError
from pipellm_tui.protocols.schemas import gemini as schema

from .facts import ADAPTER, SIG

S = ir.StopReason


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
    assert "VALIDATED" in said and "executableCode" not in said  # code is a hosted run now
    (run,) = [p for m in request.messages for p in m.parts if type(p) is ir.HostedToolPart]
    assert (run.kind, run.input, run.done) == ("code_execution", "1", False)
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
