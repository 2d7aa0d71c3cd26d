"""Log probabilities as the real APIs give them, judged by the official SDKs' own types over HTTP:
the Responses API (`include: ["message.output_text.logprobs"]`, streamed and not), Gemini streams,
the 400s for what the APIs refuse, and converter routes whose upstream has none (Claude): the loss is
named as a warning, nothing is made up."""

from __future__ import annotations

from typing import Any

import httpx2
import openai
import pytest
from google.genai import types as genai_types
from openai.types.responses import Response, ResponseStreamEvent
from pydantic import TypeAdapter

from .sdk_calls import base_url, genai_client, openai_client

LOGPROBS = ["message.output_text.logprobs"]
STREAM_EVENT: TypeAdapter[Any] = TypeAdapter(ResponseStreamEvent)


def _responses(sandbox: Any) -> openai.OpenAI:
    return openai_client(base_url(sandbox, "responses", "native"), sandbox.api_key)


def _exchange(sandbox: Any, request_id: str) -> dict[str, Any]:
    return dict(httpx2.get(f"{sandbox.base_url}/_sandbox/exchanges/{request_id}").json())


def _check_entries(entries: list[Any], text: str, top: int, with_bytes: bool) -> None:
    assert entries and "".join(e.token for e in entries) == text
    for entry in entries:
        assert entry.logprob < 0 and len(entry.top_logprobs) == top
        assert top == 0 or (
            entry.top_logprobs[0].token == entry.token and entry.top_logprobs[0].logprob == entry.logprob
        )
        assert [a.logprob for a in entry.top_logprobs] == sorted(
            (a.logprob for a in entry.top_logprobs), reverse=True
        )
        if with_bytes:
            assert bytes(entry.bytes) == entry.token.encode()


# ---------------------------------------------------------------------------- Responses API


def test_responses_output_text_carries_logprobs_of_its_tokens(sandbox) -> None:
    raw = _responses(sandbox).responses.with_raw_response.create(
        model="gpt-4.1", input="Tell me about rivers.", include=LOGPROBS, top_logprobs=3
    )
    answer = Response.model_validate(raw.http_response.json())  # the SDK's type, validated in full
    part = answer.output[0].content[0]
    assert part.type == "output_text" and part.logprobs is not None
    _check_entries(part.logprobs, part.text, 3, with_bytes=True)

    without_top = _responses(sandbox).responses.create(model="gpt-4.1", input="hi", include=LOGPROBS)
    _check_entries(without_top.output[0].content[0].logprobs, without_top.output_text, 0, with_bytes=True)
    plain = _responses(sandbox).responses.create(model="gpt-4.1", input="hi", top_logprobs=3)
    assert not plain.output[0].content[0].logprobs  # asked only through `include`


def test_responses_stream_events_carry_logprobs_and_the_end_holds_them_all(sandbox) -> None:
    client = _responses(sandbox)
    ask = {"model": "gpt-4.1", "input": "Tell me about rivers.", "include": LOGPROBS, "top_logprobs": 2}
    events = list(client.responses.create(**ask, stream=True))
    for event in events:  # every event validates as the SDK's own union of stream events
        STREAM_EVENT.validate_python(event.model_dump(exclude_unset=True))
    deltas = [e for e in events if e.type == "response.output_text.delta"]
    assert deltas and all([lp.token for lp in d.logprobs] == [d.delta] for d in deltas)
    text = "".join(d.delta for d in deltas)
    (done,) = [e for e in events if e.type == "response.output_text.done"]
    _check_entries(done.logprobs, text, 2, with_bytes=False)
    (part_done,) = [e for e in events if e.type == "response.content_part.done"]
    _check_entries(part_done.part.logprobs, text, 2, with_bytes=True)
    (item_done,) = [e for e in events if e.type == "response.output_item.done"]
    _check_entries(item_done.item.content[0].logprobs, text, 2, with_bytes=True)

    with client.responses.stream(**ask) as stream:
        final = stream.get_final_response()
    streamed = final.output[0].content[0].logprobs
    whole = client.responses.create(**ask).output[0].content[0].logprobs
    assert final.output_text == text and streamed == whole  # same request, same tokens, either way


def test_a_cut_responses_stream_ends_with_the_logprobs_of_what_it_said(sandbox) -> None:
    """`response.incomplete` (max_output_tokens) holds the parts too."""
    ask = {"model": "gpt-4.1", "input": "hi", "include": LOGPROBS, "max_output_tokens": 3}
    events = list(_responses(sandbox).responses.create(**ask, stream=True))
    final = events[-1].response
    assert events[-1].type == "response.incomplete" and final.status == "incomplete"
    _check_entries(final.output[0].content[0].logprobs, final.output_text, 0, with_bytes=True)
    assert len(final.output[0].content[0].logprobs) == 3


def test_responses_logprobs_out_of_range_or_unknown_include_are_400s(sandbox) -> None:
    client = _responses(sandbox)
    for top in (21, -1):
        with pytest.raises(openai.BadRequestError, match="between 0 and 20") as caught:
            client.responses.create(model="gpt-4.1", input="hi", include=LOGPROBS, top_logprobs=top)
        assert caught.value.body["param"] == "top_logprobs"
        assert caught.value.body["type"] == "invalid_request_error"
    with pytest.raises(openai.BadRequestError, match="message.output_text.logprobs") as caught:
        client.responses.create(model="gpt-4.1", input="hi", include=["message.logprobs"])
    assert caught.value.body["param"] == "include[0]"


def test_responses_converter_with_logprobs_is_the_documented_404(sandbox) -> None:
    """PipeLLM has no Responses converter: a Responses body for Claude is refused, not faked."""
    client = openai_client(base_url(sandbox, "openai", "converter"), sandbox.api_key)
    with pytest.raises(openai.NotFoundError, match="/openai/v1/chat/completions"):
        client.responses.create(
            model="claude-sonnet-4-20250514", input="hi", include=LOGPROBS, top_logprobs=2
        )


# ---------------------------------------------------------------------------- converter routes


def test_chat_converter_to_claude_names_the_lost_logprobs_and_makes_none_up(sandbox) -> None:
    client = openai_client(base_url(sandbox, "openai", "converter"), sandbox.api_key)
    ask = {"messages": [{"role": "user", "content": "hi"}], "logprobs": True, "top_logprobs": 2}
    raw = client.chat.completions.with_raw_response.create(model="claude-sonnet-4-20250514", **ask)
    assert raw.parse().choices[0].logprobs is None
    warnings = _exchange(sandbox, raw.headers["x-request-id"])["warnings"]
    assert any(w.startswith("logprobs:") and "Anthropic" in w for w in warnings)
    assert int(raw.headers["x-pipellm-conversion-warnings"]) >= 2
    streamed = list(client.chat.completions.create(model="claude-sonnet-4-20250514", stream=True, **ask))
    assert streamed and all(c.choices[0].logprobs is None for c in streamed if c.choices)
    # An upstream that has them (Gemini) still gives them back through the same converter.
    via_gemini = client.chat.completions.create(model="gemini-2.5-flash", **ask)
    assert via_gemini.choices[0].logprobs.content


def test_gemini_converter_to_claude_names_the_lost_logprobs_and_makes_none_up(sandbox) -> None:
    client = genai_client(base_url(sandbox, "genai", "converter"), sandbox.api_key, "v1")
    config = genai_types.GenerateContentConfig(response_logprobs=True, logprobs=2)
    answer = client.models.generate_content(model="claude-sonnet-4-20250514", contents="hi", config=config)
    assert answer.candidates[0].logprobs_result is None and answer.candidates[0].avg_logprobs is None
    assert answer.text


# ---------------------------------------------------------------------------- Gemini streams


@pytest.mark.parametrize(("kind", "model"), [("native", "gemini-2.5-flash"), ("converter", "gpt-4o")])
def test_gemini_stream_chunks_carry_logprobs_of_their_text(sandbox, kind: str, model: str) -> None:
    client = genai_client(base_url(sandbox, "genai", kind), sandbox.api_key, "v1")
    config = genai_types.GenerateContentConfig(response_logprobs=True, logprobs=2)
    chunks = list(client.models.generate_content_stream(model=model, contents="hi", config=config))
    text, chosen = "", ""
    for chunk in chunks:
        genai_types.GenerateContentResponse.model_validate(chunk.model_dump())
        candidate = chunk.candidates[0]
        if candidate.content and candidate.content.parts and candidate.content.parts[0].text:
            result = candidate.logprobs_result
            assert len(result.top_candidates) == len(result.chosen_candidates)
            assert all(len(top.candidates) == 2 for top in result.top_candidates)
            text += candidate.content.parts[0].text
            chosen += "".join(c.token for c in result.chosen_candidates)
    assert text and chosen == text
