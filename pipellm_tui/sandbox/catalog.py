"""The sandbox's model catalog: what `GET /v1/models` lists and what each request costs.

Owns the list of models (ids from PipeLLM's docs, all three families), their `type_target`,
`created_at` and per-token prices, the unified `/v1/models` body, the lookup of a request's model
(with "did you mean" suggestions) and the price of a usage. Prices are real list prices of each vendor
at the time of writing, as decimal strings in USD per token, as PipeLLM publishes them.
Imports protocols only (no starlette here, so it is cheap to import).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..protocols import ir
from ..protocols.catalog import Pricing, display_name_for
from ..protocols.formats import Family

_MILLION = Decimal(1_000_000)


def _per_token(usd_per_million: str) -> str:
    """ "2.5" USD per 1M tokens -> "0.0000025": plain decimal notation, never an exponent."""
    return format((Decimal(usd_per_million) / _MILLION).normalize(), "f")


@dataclass(frozen=True, slots=True)
class CatalogModel:
    id: str
    family: Family
    created_at: str
    #: USD per 1M tokens, as strings: prompt, completion, and cache read / write / write_1h if any.
    prompt: str
    completion: str
    cache: tuple[str, str, str] | None = None
    reasoning: bool = False
    #: (prompt, completion) per 1M tokens above 200k prompt tokens, when the vendor tiers prices.
    over_200k: tuple[str, str] | None = None

    def pricing(self) -> dict[str, Any]:
        text: dict[str, str] = {"prompt": _per_token(self.prompt), "completion": _per_token(self.completion)}
        if self.reasoning:
            text["internal_reasoning"] = text["completion"]
        out: dict[str, Any] = {"kind": "token", "text": text}
        if self.cache:
            read, write, write_1h = self.cache
            out["cache"] = {
                "read": _per_token(read),
                "write": _per_token(write),
                "write_1h": _per_token(write_1h),
            }
        if self.over_200k:
            prompt, completion = self.over_200k
            out["tiers"] = {
                "over_200k": {"text": {"prompt": _per_token(prompt), "completion": _per_token(completion)}}
            }
        return out


_O = Family.OPENAI
_A = Family.ANTHROPIC
_G = Family.GEMINI

MODELS: tuple[CatalogModel, ...] = (
    CatalogModel("gpt-5", _O, "2025-08-07T00:00:00Z", "1.25", "10", reasoning=True),
    CatalogModel("gpt-4.1", _O, "2025-04-14T00:00:00Z", "2", "8"),
    CatalogModel("gpt-4.1-mini", _O, "2025-04-14T00:00:00Z", "0.4", "1.6"),
    CatalogModel("gpt-4o", _O, "2024-05-13T00:00:00Z", "2.5", "10"),
    CatalogModel("gpt-4o-mini", _O, "2024-07-18T00:00:00Z", "0.15", "0.6"),
    CatalogModel("o3", _O, "2025-04-16T00:00:00Z", "2", "8", reasoning=True),
    CatalogModel("o4-mini", _O, "2025-04-16T00:00:00Z", "1.1", "4.4", reasoning=True),
    CatalogModel("claude-sonnet-4-5-20250929", _A, "2025-09-29T00:00:00Z", "3", "15", ("0.3", "3.75", "6")),
    CatalogModel("claude-sonnet-4-20250514", _A, "2025-05-14T00:00:00Z", "3", "15", ("0.3", "3.75", "6")),
    CatalogModel("claude-haiku-4-5-20251015", _A, "2025-10-15T00:00:00Z", "1", "5", ("0.1", "1.25", "2")),
    CatalogModel("claude-3-5-haiku-latest", _A, "2024-10-22T00:00:00Z", "0.8", "4", ("0.08", "1", "1.6")),
    CatalogModel("gemini-2.5-pro", _G, "2025-06-17T00:00:00Z", "1.25", "10", over_200k=("2.5", "15")),
    CatalogModel("gemini-2.5-flash", _G, "2025-06-17T00:00:00Z", "0.3", "2.5"),
    CatalogModel("gemini-2.5-flash-lite", _G, "2025-07-22T00:00:00Z", "0.1", "0.4"),
    CatalogModel("gemini-2.0-flash", _G, "2025-02-05T00:00:00Z", "0.1", "0.4"),
)

_BY_ID = {m.id: m for m in MODELS}
#: Parsed once: what a request costs is the client's own price arithmetic over the listed prices.
_PRICING = {m.id: Pricing.model_validate(m.pricing()) for m in MODELS}
#: Provider prefixes the blog uses on converter routes ("anthropic/claude-..."); accepted and stripped.
_PROVIDER_PREFIX = {"openai": _O, "anthropic": _A, "google": _G, "gemini": _G}

DOCS_URL = "https://docs.pipellm.ai"


def find_model(model_id: str) -> CatalogModel | None:
    found = _BY_ID.get(model_id)
    if found is None and "/" in model_id:
        provider, _, rest = model_id.partition("/")
        candidate = _BY_ID.get(rest)
        if candidate is not None and _PROVIDER_PREFIX.get(provider) is candidate.family:
            found = candidate
    return found


def closest_ids(model_id: str, n: int = 3) -> list[str]:
    """The `n` ids nearest to an unknown one (difflib ratio), padded from the catalog if few are close."""
    ids = sorted(_BY_ID)
    near = difflib.get_close_matches(model_id, ids, n=n, cutoff=0.0)
    return near[:n]


def unknown_model_message(model_id: str) -> str:
    return (
        f"{model_id} is not a valid model ID. Did you mean one of these: {', '.join(closest_ids(model_id))}; "
        f"You can view all the models in our documentation: {DOCS_URL}"
    )


def cost(model: CatalogModel, usage: ir.Usage) -> float:
    """USD for a usage, from the prices `/v1/models` lists (so the playground's cost shows the same)."""
    return _PRICING[model.id].cost(usage) or 0.0


def models_body() -> dict[str, Any]:
    """`GET /v1/models` in PipeLLM's unified schema, sorted by id."""
    data = [
        {
            "id": m.id,
            "display_name": display_name_for(m.id),
            "type_target": m.family.value,
            "created_at": m.created_at,
            "pricing": m.pricing(),
        }
        for m in sorted(MODELS, key=lambda m: m.id)
    ]
    return {"object": "list", "data": data, "total": len(data)}


#: Gemini's model resource fields that google-genai reads (`models.list()`, `models.get()`).
_GEMINI_METHODS = ["generateContent", "streamGenerateContent"]


def gemini_model(model: CatalogModel) -> dict[str, Any]:
    """One model as Gemini's `models/{model}` resource describes it."""
    return {
        "name": f"models/{model.id}",
        "version": "001",
        "displayName": display_name_for(model.id),
        "description": f"{display_name_for(model.id)} through PipeLLM ({model.family.value} family).",
        "inputTokenLimit": 1_048_576 if model.family is _G else 200_000,
        "outputTokenLimit": 65_536 if model.family is _G else 32_000,
        "supportedGenerationMethods": list(_GEMINI_METHODS),
        "thinking": model.reasoning or model.family is _G,
    }


def gemini_models_body(every_family: bool) -> dict[str, Any]:
    """`GET /v1beta/models` (and `/v1/models` with a Gemini key): Gemini models, or all on the converter."""
    chosen = [m for m in sorted(MODELS, key=lambda m: m.id) if every_family or m.family is _G]
    return {"models": [gemini_model(m) for m in chosen]}


def unified_model(model: CatalogModel) -> dict[str, Any]:
    """One entry of `GET /v1/models`, for `GET /v1/models/{id}` (openai's `models.retrieve`)."""
    return next(entry for entry in models_body()["data"] if entry["id"] == model.id)
