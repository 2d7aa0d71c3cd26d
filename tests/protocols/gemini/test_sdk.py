"""google-genai, the official SDK, as the judge of what the Gemini adapter writes and reads.

A small HTTP server on 127.0.0.1 answers `:generateContent` with `response_from_ir(...)` and
`:streamGenerateContent?alt=sse` with the stream encoder's output; the SDK must parse both into the
same text, function calls, finish reason and usage. The request bodies the SDK sends are read back
with `request_to_ir`, so the reader is checked against the real client too.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from google import genai
from google.genai import errors, types

from pipellm_tui.protocols import ir
from pipellm_tui.protocols.sse import encode_sse

from ...loopback import serving
from .expectations import RESPONSES
from .facts import ADAPTER, OWN_DIR, decode, encode, sse_text, stream_facts
from .stream_expectations import STREAMS

S = ir.StopReason
FINISH = {S.END_TURN: "STOP", S.TOOL_USE: "STOP", S.MAX_TOKENS: "MAX_TOKENS", S.CONTENT_FILTER: "SAFETY"}


class Upstream:
    """What the loopback server answers, by model name, and the request bodies it received."""

    def __init__(self) -> None:
        self.answers: dict[str, tuple[str, bytes]] = {}
        self.received: dict[str, dict[str, Any]] = {}

    def answer_json(self, model: str, body: dict[str, Any]) -> None:
        self.answers[model] = ("application/json", json.dumps(body).encode())

    def answer_sse(self, model: str, text: str) -> None:
        self.answers[model] = ("text/event-stream", text.encode())


@pytest.fixture(scope="module")
def upstream() -> Iterator[tuple[Upstream, Any]]:
    state = Upstream()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            model = self.path.split("/models/", 1)[1].split(":", 1)[0]
            length = int(self.headers.get("content-length", "0"))
            state.received[model] = json.loads(self.rfile.read(length) or b"{}")
            kind, payload = state.answers[model]
            self.send_response(200)
            self.send_header("content-type", kind)
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: Any) -> None:
            pass

    with serving(Handler) as base_url:
        client = genai.Client(
            api_key="test-key",
            http_options=types.HttpOptions(
                base_url=base_url, api_version="v1beta", retry_options=types.HttpRetryOptions(attempts=1)
            ),
        )
        yield state, client


def _fixture(origin: str, name: str, shared_fixtures: Path) -> Path:
    if origin == "own":
        return OWN_DIR / name
    return shared_fixtures / "gemini" / name


def _sdk_facts(chunks: list[Any]) -> tuple[str, list[tuple[str | None, str | None, Any]], Any, Any]:
    text, calls, finish, usage = "", [], None, None
    for chunk in chunks:
        for candidate in (chunk.candidates or [])[:1]:  # the first candidate, as the IR's facts are
            for part in (candidate.content.parts if candidate.content else None) or []:
                if part.text and not part.thought:
                    text += part.text
                if part.function_call:
                    calls.append((part.function_call.id, part.function_call.name, part.function_call.args))
            finish = candidate.finish_reason or finish
        usage = chunk.usage_metadata or usage
    return text, calls, finish, usage


@pytest.mark.parametrize(
    ("origin", "name"), [pytest.param(v[0], k, id=f"{v[0]}:{k}") for k, v in STREAMS.items()]
)
def test_sdk_parses_the_reencoded_stream(
    origin: str, name: str, upstream: tuple[Upstream, Any], shared_fixtures: Path
) -> None:
    state, client = upstream
    events, _ = decode(sse_text(_fixture(origin, name, shared_fixtures)))
    facts = stream_facts(events)
    model = name.replace(".", "-")
    state.answer_sse(model, encode_sse(encode(events)[0]))
    chunks: list[Any] = []
    if facts.error is not None:
        with pytest.raises(errors.APIError) as caught:
            chunks.extend(client.models.generate_content_stream(model=model, contents="hi"))
        assert caught.value.code == facts.error[1]
        assert caught.value.status == facts.error[0]
    else:
        chunks.extend(client.models.generate_content_stream(model=model, contents="hi"))
    text, calls, finish, usage = _sdk_facts(chunks)
    assert text == facts.text
    assert [(i, n, a) for i, n, a in calls] == facts.calls
    if facts.stop is not None:
        assert finish == FINISH[facts.stop]
    if facts.usage is not None:
        assert usage.prompt_token_count == facts.usage[0]
        assert (usage.candidates_token_count or 0) + (usage.thoughts_token_count or 0) == facts.usage[1]
    assert state.received[model]["contents"][0]["parts"] == [{"text": "hi"}]


@pytest.mark.parametrize(
    ("origin", "name"), [pytest.param(v[0], k, id=f"{v[0]}:{k}") for k, v in RESPONSES.items()]
)
def test_sdk_parses_response_from_ir(
    origin: str, name: str, upstream: tuple[Upstream, Any], shared_fixtures: Path
) -> None:
    state, client = upstream
    body = json.loads(_fixture(origin, name, shared_fixtures).read_text(encoding="utf-8"))
    response = ADAPTER.response_to_ir(body, [])
    model = name.replace(".", "-")
    state.answer_json(model, ADAPTER.response_from_ir(response, []))
    answer = client.models.generate_content(model=model, contents="hi")
    text, calls, finish, usage = _sdk_facts([answer])
    assert text == response.text
    assert calls == [(p.id, p.name, p.arguments) for p in response.parts if isinstance(p, ir.ToolCallPart)]
    assert finish == FINISH[response.stop_reason]  # type: ignore[index]
    if response.usage is not None:
        assert usage.prompt_token_count == response.usage.input_tokens
        assert usage.total_token_count == response.usage.input_tokens + response.usage.output_tokens


def test_sdk_parses_a_stream_converted_from_openai_order(upstream: tuple[Upstream, Any]) -> None:
    state, client = upstream
    events: list[ir.StreamEvent] = [
        ir.StreamStart("chatcmpl-9", "gpt-4o"),
        ir.TextDelta("Checking. "),
        ir.ToolCallStart(0, "call_a", "get_weather", None),
        ir.ToolCallDelta(0, '{"city":'),
        ir.ToolCallDelta(0, '"Paris"}'),
        ir.ToolCallStart(1, "call_b", "get_time", None),
        ir.ToolCallDelta(1, "{}"),
        ir.StreamFinish(S.TOOL_USE),
        ir.StreamUsage(ir.Usage(12, 30, cache_read_tokens=4, reasoning_tokens=10)),
    ]
    state.answer_sse("converted", encode_sse(encode(events)[0]))
    chat = client.chats.create(model="converted")
    chunks = list(chat.send_message_stream("weather?"))
    text, calls, finish, usage = _sdk_facts(chunks)
    assert text == "Checking. "
    assert calls == [("call_a", "get_weather", {"city": "Paris"}), ("call_b", "get_time", {})]
    assert finish == "STOP"
    assert (usage.prompt_token_count, usage.candidates_token_count, usage.thoughts_token_count) == (
        12,
        20,
        10,
    )
    assert usage.cached_content_token_count == 4
    assert len(chat.get_history()) > 1  # google-genai accepted every chunk as part of a valid turn


def test_requests_the_sdk_sends_are_read(upstream: tuple[Upstream, Any]) -> None:
    state, client = upstream
    state.answer_json("reader", {"candidates": [{"content": {"role": "model", "parts": [{"text": "ok"}]}}]})
    weather = types.FunctionDeclaration(
        name="get_weather",
        description="Weather for a city.",
        parameters=types.Schema(
            type="OBJECT", properties={"city": types.Schema(type="STRING")}, required=["city"]
        ),
    )
    history = [
        types.Content(role="user", parts=[types.Part(text="Paris?")]),
        types.Content(
            role="model",
            parts=[types.Part(function_call=types.FunctionCall(name="get_weather", args={"city": "Paris"}))],
        ),
        types.Content(
            role="user",
            parts=[
                types.Part(
                    function_response=types.FunctionResponse(name="get_weather", response={"output": "18C"})
                )
            ],
        ),
        types.Content(
            role="user",
            parts=[
                types.Part(text="And now?"),
                types.Part.from_bytes(data=b"\x89PNG", mime_type="image/png"),
            ],
        ),
    ]
    config = types.GenerateContentConfig(
        system_instruction="Be brief.",
        tools=[types.Tool(function_declarations=[weather])],
        tool_config=types.ToolConfig(
            function_calling_config=types.FunctionCallingConfig(
                mode="ANY", allowed_function_names=["get_weather"]
            )
        ),
        max_output_tokens=64,
        temperature=0.2,
        top_k=8,
        stop_sequences=["END"],
        seed=3,
        candidate_count=1,
        thinking_config=types.ThinkingConfig(thinking_budget=256, include_thoughts=True),
        safety_settings=[types.SafetySetting(category="HARM_CATEGORY_HARASSMENT", threshold="BLOCK_NONE")],
    )
    client.models.generate_content(model="reader", contents=history, config=config)
    warnings: list[str] = []
    request = ADAPTER.request_to_ir(state.received["reader"], warnings, "reader")
    assert [p.text for p in request.system] == ["Be brief."]
    assert [m.role for m in request.messages] == ["user", "assistant", "user", "user"]
    call, result = request.messages[1].parts[0], request.messages[2].parts[0]
    assert isinstance(call, ir.ToolCallPart) and isinstance(result, ir.ToolResultPart)
    assert (call.name, call.arguments, result.tool_call_id, result.name) == (
        "get_weather",
        {"city": "Paris"},
        call.id,
        "get_weather",
    )
    assert result.content == [ir.TextPart("18C")]
    image = request.messages[3].parts[1]
    assert isinstance(image, ir.ImagePart) and image.media_type == "image/png" and image.data == "iVBORw=="
    assert request.tools[0].parameters == {
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
    }
    assert request.tool_choice == ir.ToolChoice(ir.ToolChoiceMode.TOOL, "get_weather")
    assert (request.max_tokens, request.temperature, request.top_k, request.stop, request.seed) == (
        64,
        0.2,
        8,
        ["END"],
        3,
    )
    assert request.thinking == ir.Thinking(True, 256, include_thoughts=True)
    assert request.extras["safetySettings"] == [
        {"category": "HARM_CATEGORY_HARASSMENT", "threshold": "BLOCK_NONE"}
    ]
    assert warnings == []
