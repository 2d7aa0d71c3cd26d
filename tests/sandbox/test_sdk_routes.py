"""Every route, native and converter, streaming and not, judged by the official SDKs.

The expected answer comes from the generator itself (the same request through the IR), so these tests
say: whatever route and format the conversation takes, the SDK sees the same text, finish reason,
usage and tool calls as the simulated upstream produced.
"""

from __future__ import annotations

import jsonschema
import pytest
from google.genai import types as genai_types

from pipellm_tui.protocols import ir
from pipellm_tui.sandbox.generator import Generation, generate

from .sdk_calls import (
    QUESTION,
    ROUTE_CASES,
    SYSTEM,
    WEATHER_TOOL,
    anthropic_client,
    base_url,
    call,
    genai_client,
    genai_config,
    openai_client,
)

CASE_IDS = [f"{sdk}-{kind}-{model}" for sdk, kind, model in ROUTE_CASES]


def expected(model: str, *, max_tokens: int | None = None, stop: list[str] | None = None) -> Generation:
    request = ir.Request(
        model=model,
        system=[ir.TextPart(SYSTEM)],
        messages=[ir.Message("user", [ir.TextPart(QUESTION)])],
        max_tokens=max_tokens,
        stop=stop or [],
    )
    return generate(request)


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
@pytest.mark.parametrize(("sdk", "kind", "model"), ROUTE_CASES, ids=CASE_IDS)
def test_same_text_finish_and_usage_on_every_route(
    sandbox, sdk: str, kind: str, model: str, stream: bool
) -> None:
    want = expected(model)
    got = call(sandbox, sdk, kind, model, stream)
    assert got.text == want.text
    assert len(want.text.split()) >= 10
    assert got.finish == "end_turn"
    assert got.tool_calls == []
    assert (got.input_tokens, got.output_tokens) == (want.usage.input_tokens, want.usage.output_tokens)


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
@pytest.mark.parametrize(("sdk", "kind", "model"), ROUTE_CASES, ids=CASE_IDS)
def test_max_tokens_stops_early_with_length(sandbox, sdk: str, kind: str, model: str, stream: bool) -> None:
    want = expected(model, max_tokens=6)
    got = call(sandbox, sdk, kind, model, stream, max_tokens=6)
    assert got.finish == "max_tokens"
    assert got.output_tokens == 6
    assert got.text == want.text == "".join(expected(model).chunks[:6])


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
@pytest.mark.parametrize(
    ("sdk", "kind", "model"),
    [c for c in ROUTE_CASES if c[0] != "responses"],
    ids=[i for i in CASE_IDS if not i.startswith("responses")],
)
def test_stop_sequence_cuts_before_the_match(sandbox, sdk: str, kind: str, model: str, stream: bool) -> None:
    full = expected(model).text
    word = full.split()[4].strip(".,")
    cut = full[: full.index(word)]
    got = call(sandbox, sdk, kind, model, stream, stop=[word])
    assert got.text == cut
    assert word not in got.text
    # OpenAI and Gemini say "stop" for both a stop sequence and a natural end; only Anthropic names it,
    # so an Anthropic caller of a converted model honestly gets end_turn (the upstream did not say).
    assert got.finish == ("stop_sequence" if (sdk, kind) == ("anthropic", "native") else "end_turn")


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
@pytest.mark.parametrize(("sdk", "kind", "model"), ROUTE_CASES, ids=CASE_IDS)
def test_required_tool_choice_gives_a_schema_valid_call(
    sandbox, sdk: str, kind: str, model: str, stream: bool
) -> None:
    got = call(sandbox, sdk, kind, model, stream, tools=True)
    assert got.finish == "tool_use"
    assert len(got.tool_calls) == 1
    name, arguments = got.tool_calls[0]
    assert name == "get_weather"
    jsonschema.validate(arguments, WEATHER_TOOL["parameters"])
    assert set(arguments) >= {"city", "unit", "days"}
    assert got.output_tokens >= 1


RESULT = "Sunny, 21 C"
ASK = "What is the weather in Paris? Use the tool."


@pytest.mark.parametrize(
    ("kind", "model"),
    [("native", "gpt-4o"), ("converter", "claude-sonnet-4-20250514"), ("converter", "gemini-2.5-pro")],
)
def test_openai_tool_result_turn_is_answered_in_text(sandbox, kind: str, model: str) -> None:
    client = openai_client(base_url(sandbox, "openai", kind), sandbox.api_key)
    messages = [
        {"role": "user", "content": ASK},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "call_1", "content": RESULT},
    ]
    answer = client.chat.completions.create(
        model=model, messages=messages, tools=[{"type": "function", "function": WEATHER_TOOL}]
    )
    assert answer.choices[0].finish_reason == "stop"
    assert answer.choices[0].message.content.startswith(f'The get_weather tool returned "{RESULT}".')


@pytest.mark.parametrize(
    ("kind", "model"),
    [("native", "claude-haiku-4-5-20251015"), ("converter", "gpt-4.1"), ("converter", "gemini-2.0-flash")],
)
def test_anthropic_tool_result_turn_is_answered_in_text(sandbox, kind: str, model: str) -> None:
    client = anthropic_client(base_url(sandbox, "anthropic", kind), sandbox.api_key)
    tool = {"name": "get_weather", "description": "weather", "input_schema": WEATHER_TOOL["parameters"]}
    messages = [
        {"role": "user", "content": ASK},
        {
            "role": "assistant",
            "content": [
                {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"city": "Paris"}}
            ],
        },
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_1", "content": RESULT}]},
    ]
    answer = client.messages.create(model=model, max_tokens=200, messages=messages, tools=[tool])
    assert answer.stop_reason == "end_turn"
    assert answer.content[0].text.startswith(f'The get_weather tool returned "{RESULT}".')


@pytest.mark.parametrize(
    ("kind", "model"),
    [("native", "gemini-2.5-flash"), ("converter", "gpt-4o-mini"), ("converter", "claude-3-5-haiku-latest")],
)
def test_genai_function_response_turn_is_answered_in_text(sandbox, kind: str, model: str) -> None:
    client = genai_client(base_url(sandbox, "genai", kind), sandbox.api_key)
    contents = [
        genai_types.Content(role="user", parts=[genai_types.Part(text=ASK)]),
        genai_types.Content(
            role="model",
            parts=[
                genai_types.Part(
                    function_call=genai_types.FunctionCall(name="get_weather", args={"city": "Paris"})
                )
            ],
        ),
        genai_types.Content(
            role="user",
            parts=[
                genai_types.Part(
                    function_response=genai_types.FunctionResponse(
                        name="get_weather", response={"result": RESULT}
                    )
                )
            ],
        ),
    ]
    answer = client.models.generate_content(
        model=model,
        contents=contents,
        config=genai_config(tools=True).model_copy(update={"tool_config": None}),
    )
    assert not answer.function_calls
    assert answer.text.startswith("The get_weather tool returned")
    assert RESULT in answer.text


# ---------------------------------------------------------------------------- thinking


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
@pytest.mark.parametrize(
    ("kind", "model"), [("native", "claude-haiku-4-5-20251015"), ("converter", "gemini-2.5-pro")]
)
def test_anthropic_thinking_comes_first_signed_and_the_text_is_unchanged(
    sandbox, kind: str, model: str, stream: bool
) -> None:
    client = anthropic_client(base_url(sandbox, "anthropic", kind), sandbox.api_key)
    kwargs = {
        "model": model,
        "max_tokens": 2048,
        "system": SYSTEM,
        "messages": [{"role": "user", "content": QUESTION}],
        "thinking": {"type": "enabled", "budget_tokens": 1024},
    }
    if stream:
        with client.messages.stream(**kwargs) as s:
            message = s.get_final_message()
    else:
        message = client.messages.create(**kwargs)
    thinking, text = message.content
    assert thinking.type == "thinking"
    assert (
        thinking.thinking == f'The question is about "{QUESTION}". A short answer in plain sentences will do.'
    )
    assert thinking.signature
    assert text.text == expected(model).text
    assert message.usage.output_tokens == expected(model).usage.output_tokens + 17


def test_genai_thoughts_only_when_included(sandbox) -> None:
    client = genai_client(base_url(sandbox, "genai", "native"), sandbox.api_key)
    shown = genai_types.ThinkingConfig(include_thoughts=True, thinking_budget=512)
    answer = client.models.generate_content(
        model="gemini-2.5-pro",
        contents=QUESTION,
        config=genai_config().model_copy(update={"thinking_config": shown}),
    )
    thought, text = answer.candidates[0].content.parts
    assert thought.thought is True and thought.text.startswith("The question is about")
    assert text.text == expected("gemini-2.5-pro").text
    assert answer.usage_metadata.thoughts_token_count == 17
    hidden = genai_types.ThinkingConfig(include_thoughts=False, thinking_budget=512)
    plain = client.models.generate_content(
        model="gemini-2.5-pro",
        contents=QUESTION,
        config=genai_config().model_copy(update={"thinking_config": hidden}),
    )
    assert [p.thought for p in plain.candidates[0].content.parts] == [None]


def test_responses_reasoning_item_and_reasoning_tokens(sandbox) -> None:
    client = openai_client(base_url(sandbox, "responses", "native"), sandbox.api_key)
    answer = client.responses.create(
        model="o3", instructions=SYSTEM, input=QUESTION, reasoning={"effort": "low", "summary": "auto"}
    )
    assert [item.type for item in answer.output] == ["reasoning", "message"]
    assert answer.output_text == expected("o3").text
    assert answer.usage.output_tokens_details.reasoning_tokens == 17
