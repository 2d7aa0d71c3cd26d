"""Details real clients read that a plain answer does not show, judged by the official SDKs over HTTP:
the request-id header each SDK reads, the settings a Responses answer repeats, and usage details."""

from __future__ import annotations

import anthropic
import pytest
from google.genai import types as genai_types

from .sdk_calls import anthropic_client, base_url, genai_client, openai_client

CLAUDE = "claude-sonnet-4-20250514"


# ---------------------------------------------------------------------------- request ids


@pytest.mark.parametrize(("kind", "model"), [("native", CLAUDE), ("converter", "gpt-4o")])
def test_anthropic_sdk_reads_the_request_id_of_answers_streams_and_errors(sandbox, kind, model) -> None:
    client = anthropic_client(base_url(sandbox, "anthropic", kind), sandbox.api_key)
    ask = {"model": model, "max_tokens": 50, "messages": [{"role": "user", "content": "hi"}]}
    raw = client.messages.with_raw_response.create(**ask)
    message = raw.parse()
    assert message._request_id and message._request_id == raw.headers["x-request-id"]
    with client.messages.stream(**ask) as stream:
        assert stream.request_id and stream.request_id.startswith("req_")
    with pytest.raises(anthropic.BadRequestError) as caught:
        client.messages.create(**{**ask, "messages": []})
    assert caught.value.request_id and caught.value.request_id.startswith("req_")


def test_openai_sdk_reads_the_request_id(sandbox) -> None:
    client = openai_client(base_url(sandbox, "openai", "native"), sandbox.api_key)
    answer = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}])
    assert answer._request_id and answer._request_id.startswith("req_")


# ---------------------------------------------------------------------------- Responses settings


def test_a_responses_answer_repeats_the_settings_it_was_made_with(sandbox) -> None:
    client = openai_client(base_url(sandbox, "responses", "native"), sandbox.api_key)
    tool = {"type": "function", "name": "get_time", "parameters": {"type": "object", "properties": {}}}
    ask = {
        "model": "gpt-4.1",
        "input": "hi",
        "instructions": "Be brief.",
        "max_output_tokens": 300,
        "temperature": 0.3,
        "top_p": 0.9,
        "top_logprobs": 2,
        "metadata": {"run": "42"},
        "tools": [tool],
        "tool_choice": "none",
        "reasoning": {"effort": "low"},
        "user": "someone",
    }
    answer = client.responses.create(**ask)
    with client.responses.stream(**ask) as stream:
        created = next(e for e in stream if e.type == "response.created").response
        final = stream.get_final_response()
    for response in (answer, created, final):
        assert (response.instructions, response.max_output_tokens) == ("Be brief.", 300)
        assert (response.temperature, response.top_p, response.top_logprobs) == (0.3, 0.9, 2)
        assert response.metadata == {"run": "42"} and response.user == "someone"
        assert [t.name for t in response.tools] == ["get_time"] and response.tool_choice == "none"
        assert response.reasoning.effort == "low" and response.store is True
    follow = client.responses.create(
        model="gpt-4.1", input="more", previous_response_id=answer.id, store=False
    )
    assert follow.previous_response_id == answer.id and follow.store is False
    plain = client.responses.create(model="gpt-4.1", input="hi")
    assert (
        plain.instructions is None and plain.store is True
    )  # stored unless asked not to (the API's default)


# ---------------------------------------------------------------------------- usage details


def test_usage_details_each_sdk_reads(sandbox) -> None:
    chat = openai_client(base_url(sandbox, "openai", "native"), sandbox.api_key)
    usage = chat.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}]).usage
    assert (
        usage.prompt_tokens_details.cached_tokens == 0
        and usage.completion_tokens_details.reasoning_tokens == 0
    )
    responses = openai_client(base_url(sandbox, "responses", "native"), sandbox.api_key)
    usage_r = responses.responses.create(model="gpt-4.1", input="hi").usage
    assert (
        usage_r.input_tokens_details.cached_tokens == 0
        and usage_r.output_tokens_details.reasoning_tokens == 0
    )
    claude = anthropic_client(base_url(sandbox, "anthropic", "native"), sandbox.api_key)
    usage_a = claude.messages.create(
        model=CLAUDE, max_tokens=20, messages=[{"role": "user", "content": "hi"}]
    ).usage
    assert usage_a.cache_creation_input_tokens == 0 and usage_a.cache_read_input_tokens == 0


def test_gemini_usage_breaks_the_prompt_down_by_modality(sandbox) -> None:
    client = genai_client(base_url(sandbox, "genai", "native"), sandbox.api_key, "v1")
    config = genai_types.GenerateContentConfig(max_output_tokens=20)
    ask = {"model": "gemini-2.5-flash", "contents": "Tell me about rivers.", "config": config}
    usage = client.models.generate_content(**ask).usage_metadata
    streamed = [c.usage_metadata for c in client.models.generate_content_stream(**ask) if c.usage_metadata]
    for metadata in (usage, streamed[-1]):
        (details,) = metadata.prompt_tokens_details
        assert details.modality == genai_types.MediaModality.TEXT
        assert details.token_count == metadata.prompt_token_count > 0


def test_anthropic_usage_names_the_cache_and_the_service_tier(sandbox) -> None:
    claude = anthropic_client(base_url(sandbox, "anthropic", "native"), sandbox.api_key)
    ask = {"model": CLAUDE, "max_tokens": 20, "messages": [{"role": "user", "content": "hi"}]}
    with claude.messages.stream(**ask) as stream:
        started = next(e for e in stream if e.type == "message_start").message.usage
        final = stream.get_final_message().usage
    for usage in (claude.messages.create(**ask).usage, started, final):
        assert usage.service_tier == "standard"
        assert usage.cache_creation.ephemeral_5m_input_tokens == usage.cache_creation_input_tokens == 0
        assert usage.cache_creation.ephemeral_1h_input_tokens == 0
