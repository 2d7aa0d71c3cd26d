"""Tool-call arguments that validate against the tool's JSON schema, for the sandbox's generator.

Owns filling a JSON schema with a value: every declared property, by type (string with format and
length limits, number and integer within bounds, boolean, null, enum and const, arrays with minItems,
nested objects), `anyOf`/`oneOf` by their first non-null branch, `allOf` merged, Gemini's upper-case
type names too. Deterministic for a given random generator. Standard library only.
"""

from __future__ import annotations

import math
import random
from typing import Any

_SCHEMA_DEPTH = 8
#: Caps on what a schema can ask for (minItems, minLength): a client's 10**12 must not hang the server.
_MAX_ITEMS = 100
_MAX_LENGTH = 10_000
_WORDS = ["Paris", "Lisbon", "Kyoto", "river", "garden", "harbor", "lantern", "compass", "meadow", "bridge"]


def fill_schema(schema: Any, rng: random.Random, depth: int = 0) -> Any:
    """A value that validates against a JSON schema: every declared property filled by its type."""
    if not isinstance(schema, dict):
        return _word(rng)
    if "const" in schema:
        return schema["const"]
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return schema["enum"][0]
    for key in ("anyOf", "oneOf"):
        branches = schema.get(key)
        if isinstance(branches, list) and branches:
            usable = [b for b in branches if not (isinstance(b, dict) and _type_of(b) == "null")]
            return fill_schema((usable or branches)[0], rng, depth)
    if isinstance(schema.get("allOf"), list):
        merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
        for part in schema["allOf"]:
            if isinstance(part, dict):
                merged.setdefault("properties", {}).update(part.get("properties", {}))
                merged.setdefault("type", part.get("type"))
        return fill_schema(merged, rng, depth)
    kind = _type_of(schema)
    if kind == "object":
        return _fill_object(schema, rng, depth)
    if kind == "array":
        count = min(max(1, _int(schema.get("minItems"), 1)), _MAX_ITEMS)
        maximum = schema.get("maxItems")
        if isinstance(maximum, int):
            count = min(count, maximum)
        return [fill_schema(schema.get("items", {}), rng, depth + 1) for _ in range(count)]
    if kind in ("integer", "number"):
        return _fill_number(schema, kind, rng)
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    return _fill_string(schema, rng)


def _type_of(schema: dict[str, Any]) -> str:
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if str(k).lower() != "null"), kind[0] if kind else None)
    if kind is None:
        return "object" if "properties" in schema else "array" if "items" in schema else "string"
    return str(kind).lower()


def _fill_object(schema: dict[str, Any], rng: random.Random, depth: int) -> dict[str, Any]:
    properties = schema.get("properties")
    if not isinstance(properties, dict) or depth >= _SCHEMA_DEPTH:
        return {}
    return {key: fill_schema(sub, rng, depth + 1) for key, sub in properties.items()}


def _int(value: Any, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _bound(schema: dict[str, Any], inclusive: str, exclusive: str) -> tuple[float | None, bool]:
    """A bound and whether it is exclusive (draft 6+ numeric form, or draft 4 boolean flag)."""
    value, flag = schema.get(inclusive), schema.get(exclusive)
    if isinstance(flag, (int, float)) and not isinstance(flag, bool):
        return flag, True
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value, flag is True
    return None, False


def _fill_number(schema: dict[str, Any], kind: str, rng: random.Random) -> int | float:
    low, low_open = _bound(schema, "minimum", "exclusiveMinimum")
    high, high_open = _bound(schema, "maximum", "exclusiveMaximum")
    if kind == "integer":
        if low is not None:
            low = math.floor(low) + 1 if low_open or low != math.floor(low) else low
        if high is not None:
            high = math.ceil(high) - 1 if high_open or high != math.ceil(high) else high
    if low is not None and high is not None:
        value: float = (low + high) / 2
    elif low is not None:
        value = low if kind == "integer" else low + 1
    elif high is not None:
        value = high if kind == "integer" else high - 1
    else:
        value = rng.randint(1, 100)
    return math.floor(value) if kind == "integer" else value


def _fill_string(schema: dict[str, Any], rng: random.Random) -> str:
    special = {
        "date": "2025-01-01",
        "date-time": "2025-01-01T00:00:00Z",
        "time": "12:00:00",
        "email": "user@example.com",
        "uri": "https://example.com",
        "uuid": "00000000-0000-4000-8000-000000000000",
    }
    value = special.get(str(schema.get("format", "")), _word(rng))
    minimum = min(_int(schema.get("minLength"), 0), _MAX_LENGTH)
    if len(value) < minimum:
        value = value + "x" * (minimum - len(value))
    maximum = schema.get("maxLength")
    if isinstance(maximum, int) and len(value) > maximum:
        value = value[:maximum]
    return value


def _word(rng: random.Random) -> str:
    return _WORDS[rng.randrange(len(_WORDS))]
