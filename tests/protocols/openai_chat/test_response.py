"""OpenAI Chat responses: every real and own fixture read with the right ids, parts, stop reasons and usage,
written back in the shape the schema and the official SDK accept, and what the format cannot say warned.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pipellm_tui.protocols import Format, ProtocolError, ir
from pipellm_tui.protocols.schemas import openai_chat as schema

from .support import A, load, shared_dir, summary

USAGE_FIELDS = (
    "input_tokens",
    "output_tokens",
    "cache_read_tokens",
    "cache_write_tokens",
    "reasoning_tokens",
)
BASIC = (
    "I'm unable to provide real-time weather updates. To get the current weather in San Francisco, I recommend "
    "checking a reliable weather website or app like the Weather Channel or a local news station."
)
BOARDWALK_ANSWER = (
    "The image shows a wooden boardwalk path running through a lush green field or meadow. The sky is bright blue "
    "with some scattered clouds, giving the scene a serene and peaceful atmosphere. Trees and shrubs are visible in "
    "the background."
)

#: (origin, file) -> (id, model, [(parts, stop)] per candidate, usage, extras)
RESPONSES: dict[tuple[str, str], tuple[str, str, list[Any], tuple[int, ...], dict[str, Any]]] = {
    ("shared", "sdktest_response_basic.json"): (
        "chatcmpl-ABfvaueLEMLNYbT8YzpJxsmiQ6HSY", "gpt-4o-2024-08-06",
        [([("text", BASIC)], ir.StopReason.END_TURN)], (14, 37, 0, 0, 0),
        {"system_fingerprint": "fp_b40fb1c6fb"},
    ),
    ("shared", "sdktest_response_finish_length.json"): (
        "chatcmpl-ABfvvX7eB1KsfeZj8VcF3z7G7SbaA", "gpt-4o-2024-08-06",
        [([("text", '{"')], ir.StopReason.MAX_TOKENS)], (79, 1, 0, 0, 0),
        {"system_fingerprint": "fp_7568d46099"},
    ),
    ("shared", "sdktest_response_n3_choices.json"): (
        "chatcmpl-ABfvp8qzboW92q8ONDF4DPHlI7ckC", "gpt-4o-2024-08-06",
        [
            ([("text", '{"city":"San Francisco","temperature":64,"units":"f"}')], ir.StopReason.END_TURN),
            ([("text", '{"city":"San Francisco","temperature":65,"units":"f"}')], ir.StopReason.END_TURN),
            ([("text", '{"city":"San Francisco","temperature":63.0,"units":"f"}')], ir.StopReason.END_TURN),
        ],
        (79, 44, 0, 0, 0), {"system_fingerprint": "fp_b40fb1c6fb"},
    ),
    ("shared", "sdktest_response_parallel_tool_calls.json"): (
        "chatcmpl-ABfvyvfNWKcl7Ohqos4UFrmMs1v4C", "gpt-4o-2024-08-06",
        [
            (
                [
                    ("call", "call_fdNz3vOBKYgOIpMdWotB9MjY", "GetWeatherArgs",
                     {"city": "Edinburgh", "country": "GB", "units": "c"}),
                    ("call", "call_h1DWI1POMJLb0KwIyQHWXD4p", "get_stock_price",
                     {"ticker": "AAPL", "exchange": "NASDAQ"}),
                ],
                ir.StopReason.TOOL_USE,
            )
        ],
        (149, 60, 0, 0, 0), {"system_fingerprint": "fp_b40fb1c6fb"},
    ),
    ("shared", "sdktest_response_refusal.json"): (
        "chatcmpl-ABfvwoKVWPQj2UPlAcAKM7s40GsRx", "gpt-4o-2024-08-06",
        [([("refusal", "I'm very sorry, but I can't assist with that.")], ir.StopReason.END_TURN)],
        (79, 12, 0, 0, 0), {"system_fingerprint": "fp_5050236cbd"},
    ),
    ("shared", "spec_default.response.json"): (
        "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", "gpt-5.4",
        [([("text", "Hello! How can I assist you today?")], ir.StopReason.END_TURN)], (19, 10, 0, 0, 0),
        {"service_tier": "default"},
    ),
    ("shared", "spec_functions.response.json"): (
        "chatcmpl-abc123", "gpt-4o-mini",
        [([("call", "call_abc123", "get_current_weather", {"location": "Boston, MA"})], ir.StopReason.TOOL_USE)],
        (82, 17, 0, 0, 0), {},
    ),
    ("shared", "spec_image_input.response.json"): (
        "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG", "gpt-5.4",
        [([("text", BOARDWALK_ANSWER)], ir.StopReason.END_TURN)], (1117, 46, 0, 0, 0), {"service_tier": "default"},
    ),
    ("own", "reasoning_tool_call.response.json"): (
        "chatcmpl-OWNreasoning0001", "deepseek-reasoner",
        [
            (
                [
                    ("thinking", "The user asked for Paris weather, so I should call get_weather."),
                    ("text", "Checking the forecast for Paris."),
                    ("call", "call_w_1", "get_weather", {"city": "Paris", "units": "metric"}),
                ],
                ir.StopReason.TOOL_USE,
            )
        ],
        (1200, 85, 1024, 0, 40), {"system_fingerprint": "fp_own_0001", "service_tier": "default"},
    ),
    ("own", "two_choices_filter.response.json"): (
        "chatcmpl-OWNtwochoices0002", "gpt-4o-mini",
        [
            ([("text", "Here is a short poem about the sea.")], ir.StopReason.END_TURN),
            ([("refusal", "I can't help with that part of the request.")], ir.StopReason.CONTENT_FILTER),
        ],
        (30, 25, 0, 0, 0), {},
    ),
}  # fmt: skip


def usage_tuple(usage: ir.Usage | None) -> tuple[int, ...] | None:
    return None if usage is None else tuple(getattr(usage, f) for f in USAGE_FIELDS)


@pytest.mark.parametrize(("origin", "name"), list(RESPONSES), ids=[f"{o}:{n}" for o, n in RESPONSES])
def test_response_fixture_reads_into_the_ir(origin: str, name: str, shared_fixtures: Path) -> None:
    response_id, model, candidates, usage, extras = RESPONSES[origin, name]
    warnings: list[str] = []
    response = A.response_to_ir(load(origin, name, shared_fixtures), warnings)
    assert (response.id, response.model) == (response_id, model)
    assert [(summary(c.parts), c.stop_reason) for c in response.candidates] == candidates
    assert usage_tuple(response.usage) == usage
    assert response.extras == extras and response.extras_format is Format.OPENAI_CHAT
    assert warnings == []


@pytest.mark.parametrize(("origin", "name"), list(RESPONSES), ids=[f"{o}:{n}" for o, n in RESPONSES])
def test_response_fixture_written_back_validates_and_reads_the_same(
    origin: str, name: str, shared_fixtures: Path
) -> None:
    body = load(origin, name, shared_fixtures)
    response = A.response_to_ir(body, [])
    warnings: list[str] = []
    payload = A.response_from_ir(response, warnings)
    schema.Response.model_validate(payload)
    assert warnings == []
    assert payload["created"] == body["created"]
    assert [c["finish_reason"] for c in payload["choices"]] == [c["finish_reason"] for c in body["choices"]]
    assert payload["usage"]["total_tokens"] == body["usage"]["total_tokens"]
    assert A.response_to_ir(payload, []) == response


def test_every_shared_response_is_checked(shared_fixtures: Path) -> None:
    directory = shared_dir(shared_fixtures)
    names = {p.name for p in directory.glob("*.json")} - {p.name for p in directory.glob("*.request.json")}
    assert names == {n for o, n in RESPONSES if o == "shared"}


def test_response_from_another_format_fills_what_the_sdk_needs() -> None:
    response = ir.Response(
        candidates=[
            ir.Candidate(
                [ir.TextPart("Hello "), ir.TextPart("world"), ir.ToolCallPart("toolu_1", "f", {"x": [1, 2]})],
                ir.StopReason.END_TURN,
                stop_sequence=None,
            )
        ],
        usage=ir.Usage(input_tokens=100, output_tokens=20, cache_read_tokens=30, cache_write_tokens=10),
        extras={"usageMetadata": {}},
        extras_format=Format.GEMINI,
    )
    warnings: list[str] = []
    payload = A.response_from_ir(response, warnings)
    schema.Response.model_validate(payload)
    assert payload["id"].startswith("chatcmpl-") and payload["id"] == A.response_from_ir(response, [])["id"]
    assert (
        payload["object"] == "chat.completion" and payload["created"] == 0 and payload["model"] == "unknown"
    )
    assert payload["choices"] == [
        {
            "index": 0,
            "message": {
                "role": "assistant",
                "content": "Hello world",
                "tool_calls": [
                    {
                        "id": "toolu_1",
                        "type": "function",
                        "function": {"name": "f", "arguments": '{"x":[1,2]}'},
                    }
                ],
                "refusal": None,
            },
            "logprobs": None,
            "finish_reason": "tool_calls",
        }
    ]
    assert payload["usage"] == {
        "prompt_tokens": 100,
        "completion_tokens": 20,
        "total_tokens": 120,
        "prompt_tokens_details": {"cached_tokens": 30},
        "completion_tokens_details": {"reasoning_tokens": 0},
    }
    assert warnings == [
        (
            "usage.cache_write_tokens: OpenAI Chat usage has no cache-write count; its 10 tokens stay counted in "
            "prompt_tokens"
        ),
        "usageMetadata: OpenAI Chat has no equivalent of this Gemini Generate Content field; dropped",
    ]


@pytest.mark.parametrize(
    ("reason", "sequence", "finish", "warned"),
    [
        (ir.StopReason.STOP_SEQUENCE, "END", "stop", True),
        (ir.StopReason.CONTEXT_WINDOW_EXCEEDED, None, "length", True),
        (ir.StopReason.PAUSE, None, "stop", True),
        (ir.StopReason.ERROR, None, "stop", True),
        (ir.StopReason.CONTENT_FILTER, None, "content_filter", False),
        (None, None, "stop", False),
    ],
)
def test_finer_stop_reasons_fold_into_finish_reasons(
    reason: ir.StopReason | None, sequence: str | None, finish: str, warned: bool
) -> None:
    warnings: list[str] = []
    response = ir.Response(id="x", model="m", candidates=[ir.Candidate([ir.TextPart("t")], reason, sequence)])
    assert A.response_from_ir(response, warnings)["choices"][0]["finish_reason"] == finish
    assert bool(warnings) is warned


def test_a_plain_stop_with_tool_calls_reads_as_tool_use() -> None:
    call = {"id": "c", "type": "function", "function": {"name": "f", "arguments": "{}"}}
    message = {"role": "assistant", "content": None, "tool_calls": [call]}
    body = {"id": "x", "choices": [{"index": 0, "message": message, "finish_reason": "stop"}]}
    assert A.response_to_ir(body, []).stop_reason is ir.StopReason.TOOL_USE


def test_unknown_finish_reason_and_logprobs_are_reported() -> None:
    body = {
        "id": "x",
        "object": "chat.completion",
        "created": 1,
        "model": "m",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": "hi", "annotations": [{"type": "url_citation"}]},
                "finish_reason": "eos",
                "logprobs": {"content": []},
            }
        ],
    }
    warnings: list[str] = []
    response = A.response_to_ir(body, warnings)
    assert response.stop_reason is ir.StopReason.END_TURN
    assert warnings == [
        "annotations: a url_citation without a url; dropped",
        "choices[0].logprobs: the neutral form cannot carry log probabilities; dropped",
        "choices[0].finish_reason: unknown finish_reason 'eos'; read as a normal end of turn",
    ]


def test_response_with_a_bad_field_names_its_path() -> None:
    body = {"id": "x", "choices": [{"index": 0, "message": {"role": "assistant", "content": 5}}]}
    with pytest.raises(ProtocolError) as caught:
        A.response_to_ir(body, [])
    assert caught.value.path == "choices[0].message.content"
