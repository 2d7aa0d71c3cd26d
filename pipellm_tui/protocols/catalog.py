"""The model catalog: PipeLLM's unified `/v1/models` schema, prices and what a call cost.

Owns `ModelInfo`/`Pricing` (pydantic, unknown fields kept), `parse_models` for the unified schema
and for OpenAI-, Anthropic- and Gemini-style lists from other servers. Prices stay decimal strings
(USD per token) as the gateway sends them; arithmetic goes through `Decimal` so cents do not drift.
PipeLLM's display-name rule and the guess of a model's family from its id live in `model_ids.py`
(no pydantic: the UI needs them before its first paint) and are re-exported here.

No I/O; imports only pydantic and the standard library.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError

from .formats import Family
from .ir import Usage
from .model_ids import display_name_for, family_for
from .problems import ProtocolError

__all__ = [
    "PER_MILLION",
    "CachePricing",
    "ModelInfo",
    "Pricing",
    "PricingTier",
    "TextPricing",
    "display_name_for",
    "family_for",
    "parse_models",
]

PER_MILLION = Decimal(1_000_000)


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


Price = Annotated[str | None, BeforeValidator(_price_text)]


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class TextPricing(_Open):
    prompt: Price = None
    completion: Price = None
    internal_reasoning: Price = None


class CachePricing(_Open):
    read: Price = None
    write: Price = None
    write_1h: Price = None


class PricingTier(_Open):
    text: TextPricing | None = None
    cache: CachePricing | None = None


class Pricing(_Open):
    #: Billing shape: "token" or "generation".
    kind: str = "token"
    text: TextPricing | None = None
    cache: CachePricing | None = None
    #: e.g. {"over_200k": {text, cache}}: prices for long prompts.
    tiers: dict[str, PricingTier] | None = None
    #: e.g. {"video": {"per_second": "0.1"}} for generation models.
    generation: dict[str, Any] | None = None

    @property
    def prompt_per_million(self) -> float | None:
        """Input price in USD per 1M tokens."""
        return _per_million(self.text.prompt if self.text else None)

    @property
    def completion_per_million(self) -> float | None:
        """Output price in USD per 1M tokens."""
        return _per_million(self.text.completion if self.text else None)

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


class ModelInfo(_Open):
    id: str
    display_name: str = ""
    #: The native protocol family (routes the model's native calls); None when unknown.
    type_target: Annotated[Family | None, BeforeValidator(_family_or_none)] = None
    #: RFC3339 timestamp as sent.
    created_at: str | None = None
    pricing: Pricing | None = None

    def model_post_init(self, context: Any, /) -> None:
        if not self.display_name:
            self.display_name = display_name_for(self.id)

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
    except ValidationError:
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


def _per_million(value: str | None) -> float | None:
    number = _decimal(value)
    return float(number * PER_MILLION) if number is not None else None


def _tier_threshold(name: str) -> int | None:
    """ "over_200k" -> 200000; names without a size are not thresholds."""
    found = re.fullmatch(r"over_(\d+)([km]?)", name.lower())
    if not found:
        return None
    scale = {"": 1, "k": 1_000, "m": 1_000_000}[found.group(2)]
    return int(found.group(1)) * scale
