"""What real clients notice in an answer, judged by the official SDKs over HTTP: when a tool is called,
several candidates and log probabilities, ids and clocks, remembered Responses, and the requests the
real APIs refuse."""

from __future__ import annotations

import time

import anthropic
import openai
import pytest
from google.genai import types as genai_types

from .sdk_calls import WEATHER_TOOL, anthropic_client, base_url, genai_client, openai_client

READ_TOOL = {
    "name": "read",
    "description": "Read a file",
    "input_schema": {"type": "object", "properties": {"path": {"type": "string"}}},
}
CLAUDE_CODE_TURN = [
    {
        "type": "text",
        "text": "<system-reminder>Use the TodoWrite tool to plan; call tools when needed.</system-reminder>",
    },
    {"type": "text", "text": "Say hello"},
]


def _anthropic_tool_call(sandbox, content, tools) -> bool:
    client = anthropic_client(base_url(sandbox, "anthropic", "native"), sandbox.api_key)
    answer = client.messages.create(
        model="claude-sonnet-4-20250514",
        max_tokens=256,
        messages=[{"role": "user", "content": content}],
        tools=tools,
    )
    return answer.stop_reason == "tool_use"


# ---------------------------------------------------------------------------- when a tool is called


def test_a_tool_name_inside_a_word_does_not_call_it(sandbox) -> None:
    assert not _anthropic_tool_call(sandbox, "I have already answered that.", [READ_TOOL])
    assert _anthropic_tool_call(sandbox, "Please read the file notes.txt", [READ_TOOL])


def test_agent_boilerplate_mentioning_tools_does_not_call_one(sandbox) -> None:
    assert not _anthropic_tool_call(sandbox, CLAUDE_CODE_TURN, [READ_TOOL])
    assert _anthropic_tool_call(sandbox, "Use the tool to look at notes.txt", [READ_TOOL])


def test_tool_choice_required_calls_even_without_a_mention(sandbox) -> None:
    client = openai_client(base_url(sandbox, "openai", "native"), sandbox.api_key)
    answer = client.chat.completions.create(
        model="gpt-4o",
        messages=[{"role": "user", "content": "Say hello"}],
        tools=[{"type": "function", "function": WEATHER_TOOL}],
        tool_choice="required",
    )
    assert answer.choices[0].message.tool_calls[0].function.name == "get_weather"


# ---------------------------------------------------------------------------- n, candidates, logprobs


def test_openai_n_choices_with_logprobs_of_their_tokens(sandbox) -> None:
    client = openai_client(base_url(sandbox, "openai", "native"), sandbox.api_key)
    answer = client.chat.completions.create(
        model="gpt-4o", messages=[{"role": "user", "content": "hi"}], n=3, logprobs=True, top_logprobs=2
    )
    assert [c.index for c in answer.choices] == [0, 1, 2]
    assert len({c.message.content for c in answer.choices}) == 3
    for choice in answer.choices:
        tokens = choice.logprobs.content
        assert "".join(t.token for t in tokens) == choice.message.content
        assert all(
            t.logprob < 0 and len(t.top_logprobs) == 2 and t.top_logprobs[0].token == t.token for t in tokens
        )
    single = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}])
    assert answer.usage.completion_tokens > single.usage.completion_tokens
    assert single.choices[0].logprobs is None


def test_openai_streamed_chunks_carry_logprobs(sandbox) -> None:
    client = openai_client(base_url(sandbox, "openai", "native"), sandbox.api_key)
    chunks = list(
        client.chat.completions.create(
            model="gpt-4o", messages=[{"role": "user", "content": "hi"}], logprobs=True, stream=True
        )
    )
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    tokens = "".join(
        t.token for c in chunks if c.choices and c.choices[0].logprobs for t in c.choices[0].logprobs.content
    )
    assert text and tokens == text


@pytest.mark.parametrize(("kind", "model"), [("native", "gemini-2.5-flash"), ("converter", "gpt-4o")])
def test_gemini_candidates_and_logprobs(sandbox, kind: str, model: str) -> None:
    client = genai_client(base_url(sandbox, "genai", kind), sandbox.api_key, "v1")
    config = genai_types.GenerateContentConfig(candidate_count=2, response_logprobs=True, logprobs=3)
    answer = client.models.generate_content(model=model, contents="hi", config=config)
    assert len(answer.candidates) == 2
    for candidate in answer.candidates:
        chosen = candidate.logprobs_result.chosen_candidates
        assert "".join(c.token for c in chosen) == candidate.content.parts[0].text
        assert len(candidate.logprobs_result.top_candidates[0].candidates) == 3
        assert candidate.avg_logprobs < 0


def test_several_candidates_in_one_stream_is_a_clear_400(sandbox) -> None:
    client = openai_client(base_url(sandbox, "openai", "native"), sandbox.api_key)
    with pytest.raises(openai.BadRequestError, match="not supported by the sandbox"):
        client.chat.completions.create(
            model="gpt-4o", messages=[{"role": "user", "content": "hi"}], n=2, stream=True
        )


# ---------------------------------------------------------------------------- ids and clocks


def test_ids_are_prefixed_unique_and_times_real(sandbox) -> None:
    chat = openai_client(base_url(sandbox, "openai", "native"), sandbox.api_key)
    ask = {"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]}
    first, second = chat.chat.completions.create(**ask), chat.chat.completions.create(**ask)
    assert first.id.startswith("chatcmpl-") and first.id != second.id
    assert first.choices[0].message.content == second.choices[0].message.content  # still deterministic text
    assert abs(first.created - time.time()) < 3600
    streamed = list(chat.chat.completions.create(**ask, stream=True))
    assert streamed[0].id.startswith("chatcmpl-") and abs(streamed[0].created - time.time()) < 3600
    responses = openai_client(base_url(sandbox, "responses", "native"), sandbox.api_key)
    answer = responses.responses.create(model="gpt-4.1", input="hi")
    assert answer.id.startswith("resp_") and abs(answer.created_at - time.time()) < 3600
    claude = anthropic_client(base_url(sandbox, "anthropic", "native"), sandbox.api_key)
    tool = {"name": "get_weather", "input_schema": WEATHER_TOOL["parameters"]}
    message = claude.messages.create(
        model="claude-sonnet-4-20250514",
        max_tokens=100,
        messages=[{"role": "user", "content": "Use get_weather"}],
        tools=[tool],
    )
    assert message.id.startswith("msg_01") and message.content[0].id.startswith("toolu_01")


def test_a_fixed_clock_and_id_seed_make_ids_reproducible(fresh_sandbox) -> None:
    runs = []
    for _ in range(2):
        running = fresh_sandbox(id_seed=42, clock=1_700_000_000)
        client = openai.OpenAI(base_url=running.base_url + "/v1", api_key=running.api_key, max_retries=0)
        answer = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}])
        runs.append((answer.id, answer.created))
    assert runs[0] == runs[1] and runs[0][1] == 1_700_000_000


# ---------------------------------------------------------------------------- remembered responses


def test_previous_response_id_continues_a_remembered_response(sandbox) -> None:
    client = openai_client(base_url(sandbox, "responses", "native"), sandbox.api_key)
    first = client.responses.create(model="gpt-4.1", input="Tell me about rivers.")
    follow = client.responses.create(model="gpt-4.1", input="And lakes?", previous_response_id=first.id)
    alone = client.responses.create(model="gpt-4.1", input="And lakes?")
    assert follow.output_text != alone.output_text  # the earlier turns are part of the conversation
    assert follow.usage.input_tokens > alone.usage.input_tokens
    unstored = client.responses.create(model="gpt-4.1", input="hi", store=False)
    with pytest.raises(openai.BadRequestError) as caught:
        client.responses.create(model="gpt-4.1", input="again", previous_response_id=unstored.id)
    assert caught.value.status_code == 400 and "not found" in caught.value.body["message"]
    assert caught.value.body["param"] == "previous_response_id"


def test_a_streamed_response_is_remembered_too(sandbox) -> None:
    """Streamed answers are made as they are sent (never all at once); a Responses one is still
    remembered whole at its end, so `previous_response_id` continues it."""
    client = openai_client(base_url(sandbox, "responses", "native"), sandbox.api_key)
    with client.responses.stream(model="gpt-4.1", input="Tell me about rivers.") as stream:
        first = stream.get_final_response()
    follow = client.responses.create(model="gpt-4.1", input="And lakes?", previous_response_id=first.id)
    alone = client.responses.create(model="gpt-4.1", input="And lakes?")
    assert first.output_text and follow.usage.input_tokens > alone.usage.input_tokens


# ---------------------------------------------------------------------------- what the real APIs refuse


def test_anthropic_refusals_are_400s(sandbox) -> None:
    client = anthropic_client(base_url(sandbox, "anthropic", "native"), sandbox.api_key)
    model = "claude-sonnet-4-20250514"
    with pytest.raises(anthropic.BadRequestError, match="at least one message"):
        client.messages.create(model=model, max_tokens=100, messages=[])
    with pytest.raises(anthropic.BadRequestError, match="budget_tokens"):
        client.messages.create(
            model=model,
            max_tokens=2000,
            messages=[{"role": "user", "content": "hi"}],
            thinking={"type": "enabled", "budget_tokens": 2000},
        )
    with pytest.raises(anthropic.BadRequestError, match="not in tools"):
        client.messages.create(
            model=model,
            max_tokens=100,
            messages=[{"role": "user", "content": "hi"}],
            tools=[READ_TOOL],
            tool_choice={"type": "tool", "name": "write"},
        )


def test_openai_refusals_are_400s(sandbox) -> None:
    client = openai_client(base_url(sandbox, "openai", "converter"), sandbox.api_key)
    tool = {"type": "function", "function": WEATHER_TOOL}
    with pytest.raises(openai.BadRequestError, match="not in tools"):
        client.chat.completions.create(
            model="claude-sonnet-4-20250514",
            messages=[{"role": "user", "content": "hi"}],
            tools=[tool],
            tool_choice={"type": "function", "function": {"name": "nope"}},
        )
    with pytest.raises(openai.BadRequestError, match="logprobs must be set"):
        client.chat.completions.create(
            model="gpt-4o", messages=[{"role": "user", "content": "hi"}], top_logprobs=2
        )
    with pytest.raises(openai.BadRequestError, match="between 1 and 128"):
        client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}], n=500)


@pytest.mark.parametrize(("kind", "model"), [("native", "claude-sonnet-4-20250514"), ("converter", "gpt-4o")])
def test_anthropic_system_role_messages_are_accepted(sandbox, kind: str, model: str) -> None:
    client = anthropic_client(base_url(sandbox, "anthropic", kind), sandbox.api_key)
    with_role = client.messages.create(
        model=model,
        max_tokens=200,
        messages=[
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "Why is the sky blue?"},
        ],
    )
    with_field = client.messages.create(
        model=model,
        max_tokens=200,
        system="Be brief.",
        messages=[{"role": "user", "content": "Why is the sky blue?"}],
    )
    assert with_role.content[0].text == with_field.content[0].text
