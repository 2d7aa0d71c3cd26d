"""Finding models: words in any order and spelling of versions, three sorts, every pricing kind."""

from __future__ import annotations

from typing import Any

from pipellm_tui.playground.model_search import ModelSort, find_models, match_score, price_summary
from pipellm_tui.protocols.catalog import ModelInfo, Pricing, parse_models


def _model(id: str, family: str | None, prompt: str | None = None, **pricing: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": id, "type_target": family}
    if prompt is not None or pricing:
        entry["pricing"] = {
            "kind": "token",
            **({"text": {"prompt": prompt, "completion": prompt}} if prompt else {}),
            **pricing,
        }
    return entry


CATALOG = parse_models(
    {
        "data": [
            _model("claude-sonnet-4-5-20250929", "anthropic", "0.000003"),
            _model("claude-3-5-haiku-20241022", "anthropic", "0.0000008"),
            _model("gpt-4o-mini", "openai", "0.00000015"),
            _model("gpt-4o", "openai", "0.0000025"),
            _model("gemini-2.5-pro", "gemini", "0.00000125"),
            _model("sora-2", "openai", None, kind="generation", generation={"video": {"per_second": "0.1"}}),
        ]
    }
)


def ids(models: list[ModelInfo]) -> list[str]:
    return [m.id for m in models]


def test_words_match_in_any_spelling_of_a_version() -> None:
    for query in ("sonnet 4.5", "sonnet 4-5", "4.5 sonnet", "SONNET 4_5", "claude sonnet"):
        assert ids(find_models(CATALOG, query)) == ["claude-sonnet-4-5-20250929"], query
    assert ids(find_models(CATALOG, "haiku 3.5")) == ["claude-3-5-haiku-20241022"]
    assert find_models(CATALOG, "sonnet 4.6") == []


def test_letters_in_order_find_a_model_and_rank_below_word_matches() -> None:
    assert ids(find_models(CATALOG, "gpt4om")) == ["gpt-4o-mini"]
    # "gpt-4o" matches both; the exact words rank the same, the shorter id does not get lost.
    assert set(ids(find_models(CATALOG, "gpt-4o"))) == {"gpt-4o", "gpt-4o-mini"}
    sonnet = next(m for m in CATALOG if m.id.startswith("claude-sonnet"))
    assert match_score(sonnet, "sonnet") > match_score(sonnet, "snt") > 0
    assert match_score(sonnet, "anthropic") > 0  # the family counts as a word of the model


def test_three_sort_orders() -> None:
    assert ids(find_models(CATALOG, "", ModelSort.NAME)) == sorted(ids(CATALOG))
    by_family = [m.type_target.value for m in find_models(CATALOG, "", ModelSort.FAMILY) if m.type_target]
    assert by_family == sorted(by_family)
    by_price = ids(find_models(CATALOG, "", ModelSort.PRICE))
    assert by_price[0] == "gpt-4o-mini" and by_price[-1] == "sora-2"  # unpriced per token: last
    assert ModelSort.NAME.next is ModelSort.FAMILY and ModelSort.PRICE.next is ModelSort.NAME


def test_every_pricing_kind_is_summarised() -> None:
    assert price_summary(None) == "price n/a"
    tiered = Pricing.model_validate(
        {
            "kind": "token",
            "text": {"prompt": "0.000003", "completion": "0.000015"},
            "tiers": {"over_200k": {"text": {"prompt": "0.000006", "completion": "0.0000225"}}},
        }
    )
    assert price_summary(tiered) == "$3.00/$15.00 (>200k $6.00/$22.50)"
    generation = next(m for m in CATALOG if m.id == "sora-2").pricing
    assert price_summary(generation) == "video $0.1/s"
    assert price_summary(Pricing.model_validate({"kind": "generation"})) == "generation pricing"
