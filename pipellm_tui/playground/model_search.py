"""Finding a model in the catalog: a fuzzy filter on words, three sort orders, and a price summary
that names every pricing kind the catalog can send (token, long-prompt tiers, generation).

The model list pane and the command palette both read this, so "sonnet 4.5" finds the same models
in both. Textual-free; plain functions over `protocols.catalog.ModelInfo`.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..protocols.catalog import ModelInfo, Pricing

_SEPARATORS = re.compile(r"[^0-9a-z]+")


class ModelSort(str, Enum):
    NAME = "name"
    FAMILY = "family"
    PRICE = "price"

    @property
    def next(self) -> ModelSort:
        order = list(ModelSort)
        return order[(order.index(self) + 1) % len(order)]


def _words(text: str) -> str:
    """`claude-sonnet-4-5-20250929` -> ` claude sonnet 4 5 20250929 `: separators become single
    spaces and the ends are padded, so a query word can be matched at word starts."""
    return f" {_SEPARATORS.sub(' ', text.lower()).strip()} "


def _is_subsequence(needle: str, haystack: str) -> bool:
    it = iter(haystack)
    return all(ch in it for ch in needle)


def _word_score(word: str, spaced: str, compact: str) -> int:
    """How well one query word matches a model (0: not at all). Word starts beat substrings, which
    beat letters in order (`gpt4om` finds `gpt-4o-mini`)."""
    query = _words(word).strip()
    if not query:
        return 1  # a query word made only of punctuation asks for nothing
    if f" {query}" in spaced:
        return 3
    squeezed = query.replace(" ", "")
    if query in spaced or squeezed in compact:
        return 2
    if len(squeezed) >= 3 and _is_subsequence(squeezed, compact):
        return 1
    return 0


def match_score(model: ModelInfo, query: str) -> int:
    """0 when some word of the query is not found in the model's id, name or family; else the sum
    of each word's score (higher is better)."""
    family = model.type_target.value if model.type_target is not None else ""
    text = f"{model.id} {model.display_name or ''} {family}"
    spaced = _words(text)
    compact = spaced.replace(" ", "")
    total = 0
    for word in query.split():
        score = _word_score(word, spaced, compact)
        if score == 0:
            return 0
        total += score
    return total


def _sort_key(sort: ModelSort, model: ModelInfo) -> tuple[object, ...]:
    family = model.type_target.value if model.type_target is not None else "~"
    if sort is ModelSort.FAMILY:
        return (family, model.id)
    if sort is ModelSort.PRICE:
        price = model.pricing.prompt_per_million if model.pricing is not None else None
        return (price is None, price or 0.0, model.id)  # unpriced models last
    return (model.id,)


def find_models(
    models: list[ModelInfo], query: str = "", sort: ModelSort = ModelSort.NAME
) -> list[ModelInfo]:
    """The models matching every word of `query`, best matches first, then in `sort` order."""
    ordered = sorted(models, key=lambda m: _sort_key(sort, m))
    if not query.split():
        return ordered
    scored = [(match_score(m, query), i, m) for i, m in enumerate(ordered)]
    return [m for score, _, m in sorted((s for s in scored if s[0] > 0), key=lambda s: (-s[0], s[1]))]


def _money(value: float | None) -> str:
    if value is None:
        return "?"
    return f"{value:.2f}" if value >= 0.1 or value == 0 else f"{value:.3f}"


def price_summary(pricing: Pricing | None) -> str:
    """All of `price_lines` on one line."""
    return " ".join(price_lines(pricing))


def price_lines(pricing: Pricing | None) -> list[str]:
    """One short line for any pricing kind: `$0.15/$0.60` per 1M tokens in/out, a long-prompt
    tier as `(>200k $6.00/$22.50)`, generation prices as `video $0.1/s`."""
    if pricing is None:
        return ["price n/a"]
    from ..protocols.catalog import per_million

    bits: list[str] = []
    prompt, completion = pricing.prompt_per_million, pricing.completion_per_million
    if prompt is not None or completion is not None:
        bits.append(f"${_money(prompt)}/${_money(completion)}")
    for name, tier in sorted((pricing.tiers or {}).items()):
        if tier.text is None:
            continue
        label = name.replace("over_", ">")
        tier_in, tier_out = per_million(tier.text.prompt), per_million(tier.text.completion)
        bits.append(f"({label} ${_money(tier_in)}/${_money(tier_out)})")
    for medium, prices in sorted((pricing.generation or {}).items()):
        if isinstance(prices, dict):
            for unit, price in sorted(prices.items()):
                unit_label = unit.removeprefix("per_")
                bits.append(f"{medium} ${price}/{unit_label[:1] if unit_label == 'second' else unit_label}")
        else:
            bits.append(f"{medium} {prices}")
    if not bits:
        return [f"{pricing.kind} pricing" if pricing.kind != "token" else "price n/a"]
    return bits
