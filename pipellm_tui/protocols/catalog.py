"""The model catalog: PipeLLM's unified `/v1/models` schema, prices and what a call cost.

Owns `ModelInfo`/`Pricing` (unknown fields kept in `model_extra`), `parse_models` for the unified
schema and for OpenAI-, Anthropic- and Gemini-style lists from other servers. Prices stay decimal
strings (USD per token) as the gateway sends them; arithmetic goes through `Decimal` so cents do not
drift. PipeLLM's display-name rule and the guess of a model's family from its id live in
`model_ids.py` and are re-exported here.

Plain dataclasses, not pydantic: the playground parses the list on its way to the first screen, and
importing pydantic and building the models cost ~65 ms there. They keep pydantic's surface the rest
of the code uses (`model_validate`, `model_extra`) and its rule: a field of the wrong type makes the
whole entry invalid (`parse_models` skips it).

No I/O; imports only the standard library.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Self, TypeVar

from .formats import Family
from .model_ids import display_name_for, family_for
from .problems import ProtocolError

if TYPE_CHECKING:  # the catalog loads on the start-up path; the IR (~8 ms) need not
    from .ir import Usage

__all__ = [
    "PER_MILLION",
    "CachePricing",
    "InvalidEntry",
    "ModelInfo",
    "Pricing",
    "PricingTier",
    "TextPricing",
    "display_name_for",
    "family_for",
    "parse_models",
]

PER_MILLION = Decimal(1_000_000)


class InvalidEntry(ValueError):
    """A catalog field of the wrong type (what pydantic's ValidationError was here)."""


#: The fields each object knows; any others are kept in its `model_extra`.
_TEXT_KEYS = frozenset(("prompt", "completion", "internal_reasoning"))
_CACHE_KEYS = frozenset(("read", "write", "write_1h"))
_TIER_KEYS = frozenset(("text", "cache"))
_PRICING_KEYS = frozenset(("kind", "text", "cache", "tiers", "generation"))
_MODEL_KEYS = frozenset(("id", "display_name", "type_target", "created_at", "pricing"))


def _price_text(value: Any) -> str | None:
    """A price as a decimal string; numbers are accepted, anything unreadable means "unknown"."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float, Decimal)):
        value = str(value)
    if not isinstance(value, str):
        return None
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        return None
    return value.strip() if number.is_finite() and number >= 0 else None


def _family_or_none(value: Any) -> Family | None:
    try:
        return Family(str(value).lower()) if value is not None else None
    except ValueError:
        return None


def _fields(data: Any, what: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise InvalidEntry(f"{what} must be an object, got {type(data).__name__}")
    return data


def _extra(data: dict[str, Any], known: frozenset[str]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in known}


def _optional_text(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise InvalidEntry(f"{key} must be a string")
    return value


_Part = TypeVar("_Part", "TextPricing", "CachePricing", "PricingTier", "Pricing")


def _part(value: Any, kind: type[_Part], what: str) -> _Part | None:
    """An optional nested object: None, one already built, or a JSON object to read."""
    if value is None or isinstance(value, kind):
        return value
    return kind.model_validate(_fields(value, what))


def _tiers(value: Any) -> dict[str, PricingTier] | None:
    if value is None:
        return None
    tiers: dict[str, PricingTier] = {}
    for name, tier in _fields(value, "tiers").items():
        built = _part(tier, PricingTier, f"tier {name}")
        if built is None:
            raise InvalidEntry(f"tier {name} must be an object")
        tiers[str(name)] = built
    return tiers


@dataclass(slots=True)
class TextPricing:
    prompt: str | None = None
    completion: str | None = None
    internal_reasoning: str | None = None
    model_extra: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def model_validate(cls, data: Any) -> Self:
        data = _fields(data, "text pricing")
        return cls(
            _price_text(data.get("prompt")),
            _price_text(data.get("completion")),
            _price_text(data.get("internal_reasoning")),
            _extra(data, _TEXT_KEYS),
        )


@dataclass(slots=True)
class CachePricing:
    read: str | None = None
    write: str | None = None
    write_1h: str | None = None
    model_extra: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def model_validate(cls, data: Any) -> Self:
        data = _fields(data, "cache pricing")
        return cls(
            _price_text(data.get("read")),
            _price_text(data.get("write")),
            _price_text(data.get("write_1h")),
            _extra(data, _CACHE_KEYS),
        )


@dataclass(slots=True)
class PricingTier:
    text: TextPricing | None = None
    cache: CachePricing | None = None
    model_extra: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def model_validate(cls, data: Any) -> Self:
        data = _fields(data, "pricing tier")
        return cls(
            _part(data.get("text"), TextPricing, "text"),
            _part(data.get("cache"), CachePricing, "cache"),
            _extra(data, _TIER_KEYS),
        )


@dataclass(slots=True)
class Pricing:
    #: Billing shape: "token" or "generation".
    kind: str = "token"
    text: TextPricing | None = None
    cache: CachePricing | None = None
    #: e.g. {"over_200k": {text, cache}}: prices for long prompts.
    tiers: dict[str, PricingTier] | None = None
    #: e.g. {"video": {"per_second": "0.1"}} for generation models.
    generation: dict[str, Any] | None = None
    model_extra: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def model_validate(cls, data: Any) -> Self:
        data = _fields(data, "pricing")
        kind = data.get("kind", "token")
        if not isinstance(kind, str):
            raise InvalidEntry("pricing kind must be a string")
        generation = data.get("generation")
        if generation is not None:
            _fields(generation, "generation")
        return cls(
            kind,
            _part(data.get("text"), TextPricing, "text"),
            _part(data.get("cache"), CachePricing, "cache"),
            _tiers(data.get("tiers")),
            generation,
            _extra(data, _PRICING_KEYS),
        )

    @property
    def prompt_per_million(self) -> float | None:
        """Input price in USD per 1M tokens."""
        return per_million(self.text.prompt if self.text else None)

    @property
    def completion_per_million(self) -> float | None:
        """Output price in USD per 1M tokens."""
        return per_million(self.text.completion if self.text else None)

    def cost(self, usage: Usage) -> float | None:
        """USD for one call's usage; None when the model is not priced per token.

        Uncached input at the prompt price, cache reads and writes at the cache prices when known
        (else at the prompt price), output at the completion price (reasoning at its own price when
        given). Prompts past a tier's threshold (`over_200k`: more than 200,000 input tokens) use that
        tier's prices; the docs show the tier without defining it, so that reading is ours.
        """
        text, cache = self._prices_for(usage.input_tokens)
        prompt = _decimal(text.prompt if text else None)
        completion = _decimal(text.completion if text else None)
        if prompt is None or completion is None:
            return None
        reasoning = _either(_decimal(text.internal_reasoning if text else None), completion)
        cache_read = _either(_decimal(cache.read if cache else None), prompt)
        cache_write = _either(_decimal(cache.write if cache else None), prompt)
        cached = usage.cache_read_tokens + usage.cache_write_tokens
        uncached = max(0, usage.input_tokens - cached)
        reasoning_tokens = min(usage.reasoning_tokens, usage.output_tokens)
        total = (
            uncached * prompt
            + usage.cache_read_tokens * cache_read
            + usage.cache_write_tokens * cache_write
            + (usage.output_tokens - reasoning_tokens) * completion
            + reasoning_tokens * reasoning
        )
        return float(total)

    def _prices_for(self, input_tokens: int) -> tuple[TextPricing | None, CachePricing | None]:
        text, cache, best = self.text, self.cache, -1
        for name, tier in (self.tiers or {}).items():
            threshold = _tier_threshold(name)
            if threshold is not None and input_tokens > threshold > best:
                text, cache, best = tier.text or text, tier.cache or cache, threshold
        return text, cache


@dataclass(slots=True)
class ModelInfo:
    id: str
    display_name: str = ""
    #: The native protocol family (routes the model's native calls); None when unknown.
    type_target: Family | None = None
    #: RFC3339 timestamp as sent.
    created_at: str | None = None
    pricing: Pricing | None = None
    model_extra: dict[str, Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.type_target, Family):
            self.type_target = _family_or_none(self.type_target)
        if not self.display_name:
            self.display_name = display_name_for(self.id)

    @classmethod
    def model_validate(cls, data: Any) -> Self:
        data = _fields(data, "a model")
        model_id, display_name = data.get("id"), data.get("display_name", "")
        if not isinstance(model_id, str) or not isinstance(display_name, str):
            raise InvalidEntry("id and display_name must be strings")
        return cls(
            model_id,
            display_name,
            _family_or_none(data.get("type_target")),
            _optional_text(data, "created_at"),
            _part(data.get("pricing"), Pricing, "pricing"),
            _extra(data, _MODEL_KEYS),
        )

    @property
    def family(self) -> Family | None:
        """The family to route by: `type_target`, else a guess from the id."""
        return self.type_target or family_for(self.id)


def parse_models(body: Any) -> list[ModelInfo]:
    """Models from a list body, sorted by id. Bad entries are skipped; a body with no list is a ProtocolError.

    Accepts PipeLLM's unified schema, OpenAI-style (`object: "model"`, `created`, `owned_by`),
    Anthropic-style (`type: "model"`, `display_name`, `created_at`) and Gemini-style
    (`{"models": [{"name": "models/gemini-..."}]}`) lists, and a bare JSON array.
    """
    entries = _entries(body)
    seen: dict[str, ModelInfo] = {}
    for entry in entries:
        model = _model_from(entry)
        if model is not None and model.id not in seen:
            seen[model.id] = model
    return sorted(seen.values(), key=lambda m: m.id)


def _entries(body: Any) -> list[Any]:
    if isinstance(body, list):
        return body
    if not isinstance(body, dict):
        raise ProtocolError(f"a model list must be a JSON object, got {type(body).__name__}")
    if isinstance(body.get("data"), list):
        return list(body["data"])
    if isinstance(body.get("models"), list):
        return list(body["models"])
    where = "data" if "data" in body else ""
    raise ProtocolError("no model list here: expected a 'data' array", where)


def _model_from(entry: Any) -> ModelInfo | None:
    if not isinstance(entry, dict):
        return None
    fields = dict(entry)
    model_id = fields.get("id")
    if not isinstance(model_id, str):
        name = fields.get("name")  # Gemini: "models/gemini-2.5-pro"
        if not isinstance(name, str):
            return None
        model_id = name.removeprefix("models/")
        fields["id"] = model_id
        if "displayName" in fields and "display_name" not in fields:
            fields["display_name"] = fields["displayName"]
    if not model_id.strip():
        return None
    if "type_target" not in fields:
        fields["type_target"] = family_for(model_id)
    created = fields.get("created")
    if "created_at" not in fields and isinstance(created, (int, float)) and not isinstance(created, bool):
        try:
            fields["created_at"] = datetime.fromtimestamp(created, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        except (OverflowError, OSError, ValueError):
            pass
    if not isinstance(fields.get("display_name"), str):
        fields.pop("display_name", None)
    try:
        return ModelInfo.model_validate(fields)
    except InvalidEntry:
        return None


def _decimal(value: str | None) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        return None


def _either(price: Decimal | None, fallback: Decimal) -> Decimal:
    return fallback if price is None else price  # a price of "0" is a price, not a missing one


def per_million(value: str | None) -> float | None:
    number = _decimal(value)
    return float(number * PER_MILLION) if number is not None else None


def _tier_threshold(name: str) -> int | None:
    """ "over_200k" -> 200000; names without a size are not thresholds."""
    found = re.fullmatch(r"over_(\d+)([km]?)", name.lower())
    if not found:
        return None
    scale = {"": 1, "k": 1_000, "m": 1_000_000}[found.group(2)]
    return int(found.group(1)) * scale
