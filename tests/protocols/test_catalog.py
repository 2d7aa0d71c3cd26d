"""The model catalog: PipeLLM's two documented /v1/models versions, other servers' lists, costs."""

from __future__ import annotations

from typing import Any

import pytest

from pipellm_tui.protocols.catalog import (
    ModelInfo,
    Pricing,
    display_name_for,
    family_for,
    parse_models,
)
from pipellm_tui.protocols.formats import Family
from pipellm_tui.protocols.ir import Usage
from pipellm_tui.protocols.problems import ProtocolError

# pipellm-api.md §4.2, older version (note the Gemini model's type_target "openai": kept as sent).
OLDER = {
    "object": "list",
    "data": [
        {
            "id": "claude-sonnet-4-20250514",
            "display_name": "Claude Sonnet 4",
            "type_target": "anthropic",
            "created_at": "2025-05-14T00:00:00Z",
        },
        {
            "id": "gpt-4o",
            "display_name": "Gpt 4o",
            "type_target": "openai",
            "created_at": "2024-05-01T00:00:00Z",
        },
        {
            "id": "gemini-2.5-pro",
            "display_name": "Gemini 2.5 Pro",
            "type_target": "openai",
            "created_at": "2025-03-01T00:00:00Z",
        },
    ],
    "total": 3,
}

# pipellm-api.md §4.2, newer version with pricing (the cut-off part of sora-2 left out).
NEWER: dict[str, Any] = {
    "object": "list",
    "data": [
        {
            "id": "sora-2",
            "display_name": "Sora 2",
            "type_target": "openai",
            "created_at": "2025-03-01T00:00:00Z",
            "pricing": {"kind": "generation", "generation": {"video": {"per_second": "0.1"}}},
        },
        {
            "id": "gpt-5",
            "display_name": "Gpt 5",
            "type_target": "openai",
            "created_at": "2025-05-14T00:00:00Z",
            "pricing": {
                "kind": "token",
                "text": {"prompt": "0.000003", "completion": "0.000015", "internal_reasoning": "0.000015"},
                "cache": {"read": "0.000001", "write": "0.00000375", "write_1h": "0.0000075"},
                "tiers": {
                    "over_200k": {
                        "text": {
                            "prompt": "0.0000055",
                            "completion": "0.000022",
                            "internal_reasoning": "0.000022",
                        },
                        "cache": {"read": "0.0000009", "write": "0.0000033", "write_1h": "0.0000066"},
                    }
                },
            },
        },
    ],
}


def test_older_unified_schema() -> None:
    models = parse_models(OLDER)
    assert [m.id for m in models] == ["claude-sonnet-4-20250514", "gemini-2.5-pro", "gpt-4o"]
    claude, gemini, gpt = models
    assert (claude.display_name, claude.type_target, claude.created_at) == (
        "Claude Sonnet 4",
        Family.ANTHROPIC,
        "2025-05-14T00:00:00Z",
    )
    assert gemini.type_target is Family.OPENAI  # as the docs' example says; routing follows the gateway
    assert gpt.pricing is None


def test_newer_unified_schema_with_pricing() -> None:
    by_id = {m.id: m for m in parse_models(NEWER)}
    assert [m.id for m in parse_models(NEWER)] == ["gpt-5", "sora-2"]
    pricing = by_id["gpt-5"].pricing
    assert pricing is not None and pricing.kind == "token"
    assert pricing.text is not None and pricing.text.prompt == "0.000003"  # kept as the decimal string
    assert pricing.cache is not None and pricing.cache.write_1h == "0.0000075"
    assert pricing.prompt_per_million == pytest.approx(3.0)
    assert pricing.completion_per_million == pytest.approx(15.0)
    video = by_id["sora-2"].pricing
    assert video is not None and video.kind == "generation"
    assert video.generation == {"video": {"per_second": "0.1"}}
    assert video.prompt_per_million is None
    assert video.cost(Usage(input_tokens=10, output_tokens=10)) is None


def test_cost_arithmetic() -> None:
    pricing = parse_models(NEWER)[0].pricing
    assert pricing is not None
    # 1,000 input of which 600 cache read and 100 cache write; 500 output of which 200 reasoning.
    usage = Usage(
        input_tokens=1000,
        output_tokens=500,
        cache_read_tokens=600,
        cache_write_tokens=100,
        reasoning_tokens=200,
    )
    expected = 300 * 0.000003 + 600 * 0.000001 + 100 * 0.00000375 + 300 * 0.000015 + 200 * 0.000015
    assert pricing.cost(usage) == pytest.approx(expected, rel=1e-12)
    assert pricing.cost(usage) == pytest.approx(0.009375)
    assert pricing.cost(Usage()) == 0.0
    # 100k plain input (under the 200k tier) and one million output: $0.30 + $15.
    plain = Usage(input_tokens=100_000, output_tokens=1_000_000)
    assert pricing.cost(plain) == pytest.approx(0.3 + 15.0)


def test_over_200k_tier_applies_past_200k_input() -> None:
    pricing = parse_models(NEWER)[0].pricing
    assert pricing is not None
    at_limit = Usage(input_tokens=200_000, output_tokens=0)
    assert pricing.cost(at_limit) == pytest.approx(0.6)
    past = Usage(input_tokens=300_000, output_tokens=1000, cache_read_tokens=100_000)
    assert pricing.cost(past) == pytest.approx(200_000 * 0.0000055 + 100_000 * 0.0000009 + 1000 * 0.000022)


def test_cache_prices_fall_back_to_prompt_and_zero_is_a_price() -> None:
    no_cache = Pricing.model_validate(
        {"kind": "token", "text": {"prompt": "0.000002", "completion": "0.000008"}}
    )
    usage = Usage(input_tokens=100, output_tokens=10, cache_read_tokens=40)
    assert no_cache.cost(usage) == pytest.approx(100 * 0.000002 + 10 * 0.000008)
    free_cache = Pricing.model_validate(
        {"text": {"prompt": "0.000002", "completion": "0.000008"}, "cache": {"read": "0"}}
    )
    assert free_cache.cost(usage) == pytest.approx(60 * 0.000002 + 10 * 0.000008)


def test_prices_given_as_numbers_or_junk() -> None:
    pricing = Pricing.model_validate({"text": {"prompt": 0.000001, "completion": "abc"}, "future": 1})
    assert pricing.text is not None
    assert pricing.text.prompt == "1e-06"
    assert pricing.prompt_per_million == pytest.approx(1.0)
    assert pricing.text.completion is None  # unreadable price: unknown, not a crash
    assert pricing.cost(Usage(input_tokens=1)) is None
    assert pricing.model_extra == {"future": 1}


def test_openai_style_list() -> None:
    body = {
        "object": "list",
        "data": [
            {"id": "o3-mini", "object": "model", "created": 1737146383, "owned_by": "system"},
            {"id": "gpt-4o-mini", "object": "model", "created": 1721172741, "owned_by": "system"},
            {"id": "claude-3-5-haiku-latest", "object": "model", "created": 0, "owned_by": "anthropic"},
            {"id": "gemini-2.0-flash", "object": "model", "created": 1, "owned_by": "google"},
            {"id": "llama-3.1-70b-versatile", "object": "model", "created": 1, "owned_by": "meta"},
        ],
    }
    models = {m.id: m for m in parse_models(body)}
    assert list(models) == sorted(models)
    assert models["o3-mini"].type_target is Family.OPENAI
    assert models["gpt-4o-mini"].display_name == "Gpt 4o Mini"
    assert models["gpt-4o-mini"].created_at == "2024-07-16T23:32:21Z"
    assert models["claude-3-5-haiku-latest"].type_target is Family.ANTHROPIC
    assert models["gemini-2.0-flash"].type_target is Family.GEMINI
    assert models["llama-3.1-70b-versatile"].type_target is None
    assert models["o3-mini"].model_extra == {"object": "model", "created": 1737146383, "owned_by": "system"}


def test_anthropic_style_list() -> None:
    body = {
        "data": [
            {
                "type": "model",
                "id": "claude-sonnet-4-5-20250929",
                "display_name": "Claude Sonnet 4.5",
                "created_at": "2025-09-29T00:00:00Z",
            },
            {
                "type": "model",
                "id": "claude-3-7-sonnet-20250219",
                "display_name": "Claude Sonnet 3.7",
                "created_at": "2025-02-24T00:00:00Z",
            },
        ],
        "has_more": False,
        "first_id": "claude-sonnet-4-5-20250929",
        "last_id": "claude-3-7-sonnet-20250219",
    }
    first, second = parse_models(body)
    assert (first.id, first.display_name, first.type_target) == (
        "claude-3-7-sonnet-20250219",
        "Claude Sonnet 3.7",
        Family.ANTHROPIC,
    )
    assert second.created_at == "2025-09-29T00:00:00Z"


def test_gemini_style_list() -> None:
    body = {
        "models": [{"name": "models/gemini-2.5-flash", "displayName": "Gemini 2.5 Flash", "version": "001"}]
    }
    (model,) = parse_models(body)
    assert (model.id, model.display_name, model.type_target) == (
        "gemini-2.5-flash",
        "Gemini 2.5 Flash",
        Family.GEMINI,
    )


def test_bad_entries_are_skipped() -> None:
    body = {
        "data": [
            "gpt-4o",
            None,
            {"object": "model"},
            {"id": 5},
            {"id": "   "},
            {"id": "gpt-4o", "pricing": "free"},  # wrong pricing type: the entry is skipped, not the list
            {"id": "gpt-4.1", "type_target": "mistral", "display_name": 3},
            {"id": "gpt-4.1", "type_target": "openai"},  # duplicate: first one wins
        ]
    }
    (model,) = parse_models(body)
    assert (model.id, model.type_target, model.display_name) == ("gpt-4.1", None, "Gpt 4.1")
    assert model.family is Family.OPENAI  # unknown type_target: the id decides


@pytest.mark.parametrize("body", ["models", 3, None, {"object": "list"}, {"data": {"id": "x"}}])
def test_no_list_is_a_protocol_error(body: Any) -> None:
    with pytest.raises(ProtocolError):
        parse_models(body)
    assert parse_models([]) == []
    assert parse_models({"data": []}) == []


@pytest.mark.parametrize(
    ("model_id", "name"),
    [
        ("claude-sonnet-4-20250514", "Claude Sonnet 4"),
        ("gpt-4o", "Gpt 4o"),
        ("gpt-5", "Gpt 5"),
        ("sora-2", "Sora 2"),
        ("gemini-2.5-pro", "Gemini 2.5 Pro"),
        ("claude-sonnet-4-5-latest", "Claude Sonnet 4 5 Latest"),
        ("gpt-4o-2024-08-06", "Gpt 4o"),
        ("o4-mini", "O4 Mini"),
        ("20250514", "20250514"),
    ],
)
def test_display_name_rule(model_id: str, name: str) -> None:
    assert display_name_for(model_id) == name


@pytest.mark.parametrize(
    ("model_id", "family"),
    [
        ("gpt-4.1-mini", Family.OPENAI),
        ("o1", Family.OPENAI),
        ("o4-mini-high", Family.OPENAI),
        ("chatgpt-4o-latest", Family.OPENAI),
        ("claude-haiku-4-5-latest", Family.ANTHROPIC),
        ("anthropic/claude-sonnet-4-20250514", Family.ANTHROPIC),
        ("gemini-3-pro-image-preview", Family.GEMINI),
        ("models/gemini-1.5-pro", Family.GEMINI),
        ("grok-3", None),
        ("deepseek-reasoner", None),
        ("omega", None),
    ],
)
def test_family_guess(model_id: str, family: Family | None) -> None:
    assert family_for(model_id) == family


def test_model_info_defaults() -> None:
    model = ModelInfo(id="claude-3-7-sonnet-20250219")
    assert model.display_name == "Claude 3 7 Sonnet"
    assert model.family is Family.ANTHROPIC and model.type_target is None
