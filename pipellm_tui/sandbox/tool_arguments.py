"""Values that validate against a JSON schema: the sandbox's tool-call arguments and structured outputs.

Owns filling a JSON schema with a value, the one schema-value generator of the sandbox (tool calls and
`response_format` / `text.format` / `responseSchema` / `output_format` answers both use it):
- `$ref` to `#/$defs/...`, `#/definitions/...` or any JSON pointer into the root schema (pydantic puts
  enums and nested models there), with a depth limit for recursive models;
- `enum` and `const`; `anyOf` / `oneOf` by their first non-null branch; `allOf` merged;
- objects: every declared property (required or not), `additionalProperties` never needed, and
  `minProperties` met with extra keys only where additional properties are allowed;
- strings with `format` (date, date-time, time, email, uri, uuid, ipv4, ...) and min/max length;
- numbers and integers within (exclusive) bounds and `multipleOf`; constraints an SDK moved into the
  description (`{minLength: 2}`, as anthropic's `messages.parse` does) count too; arrays with min/max items, distinct
  items when `uniqueItems`, `prefixItems` for tuples; Gemini's upper-case type names and `nullable`.
Deterministic for a given random generator. Standard library only.
"""

from __future__ import annotations

import json
import math
import random
import re
from typing import Any

_SCHEMA_DEPTH = 8
#: At most this many values in one answer, and strings at most this long: a schema asking for
#: `minItems: 1000000000` gets a short (invalid) answer instead of filling the server's memory.
_VALUE_BUDGET = 10_000
_LONGEST_STRING = 100_000
_WORDS = ["Paris", "Lisbon", "Kyoto", "river", "garden", "harbor", "lantern", "compass", "meadow", "bridge"]
_FORMATS = {
    "date": "2025-01-01",
    "date-time": "2025-01-01T00:00:00Z",
    "time": "12:00:00",
    "duration": "P1D",
    "email": "user@example.com",
    "idn-email": "user@example.com",
    "hostname": "example.com",
    "uri": "https://example.com",
    "url": "https://example.com",
    "iri": "https://example.com",
    "uri-reference": "https://example.com",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
}


def fill_schema(schema: Any, rng: random.Random, depth: int = 0, root: Any = None) -> Any:
    """A value that validates against a JSON schema: every declared property filled by its type.

    `root` is the document `$ref`s point into; it defaults to `schema` itself (the tool's parameters
    or the response format's schema).
    """
    try:
        return _Filler(schema if root is None else root, rng).fill(schema, depth)
    except (ArithmeticError, ValueError, TypeError, RecursionError):
        # A schema no model could satisfy either (bounds past float range, odd types the API
        # would have refused): an empty object, not a 500.
        return {}


class _Filler:
    def __init__(self, root: Any, rng: random.Random) -> None:
        self.root = root
        self.rng = rng
        self.budget = _VALUE_BUDGET

    def fill(self, schema: Any, depth: int) -> Any:
        if schema is True or schema == {}:
            return self.word()
        if not isinstance(schema, dict):
            return self.word()
        if isinstance(schema.get("$ref"), str):
            target = self.resolve(schema["$ref"])
            if depth >= _SCHEMA_DEPTH or target is None:
                return None if _nullable(schema) else {}
            rest = {k: v for k, v in schema.items() if k != "$ref"}
            return self.fill({**target, **rest} if isinstance(target, dict) else target, depth + 1)
        schema = _hinted(_camel(schema))
        if "const" in schema:
            return schema["const"]
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            usable = [v for v in schema["enum"] if v is not None] or schema["enum"]
            return usable[0]
        for key in ("anyOf", "oneOf"):
            branches = schema.get(key)
            if isinstance(branches, list) and branches:
                return self.fill(self.branch(branches, schema, key), depth)
        if isinstance(schema.get("allOf"), list):
            return self.fill(self.merged(schema), depth)
        kind = _type_of(schema)
        if kind == "object":
            return self.object(schema, depth)
        if kind == "array":
            return self.array(schema, depth)
        if kind in ("integer", "number"):
            return _number(schema, kind, self.rng)
        if kind == "boolean":
            return True
        if kind == "null":
            return None
        return self.string(schema)

    def resolve(self, ref: str) -> Any:
        """The schema a local `$ref` names (`#`, `#/$defs/Name`, `#/definitions/Name`, any pointer).

        Lenient like a model reading the schema: `/$defs/Name` (litellm drops the `#`) and a bare
        `Name` found in `$defs` or `definitions` resolve too.
        """
        pointer = ref.removeprefix("#")
        if pointer and not pointer.startswith("/"):
            for defs in ("$defs", "definitions"):
                found = self.root.get(defs, {}).get(pointer) if isinstance(self.root, dict) else None
                if isinstance(found, dict):
                    return found
            return None
        node: Any = self.root
        for raw in pointer.split("/")[1:]:
            key = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and key in node:
                node = node[key]
            elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
                node = node[int(key)]
            else:
                return None
        return node

    def branch(self, branches: list[Any], schema: dict[str, Any], key: str) -> Any:
        """The first branch that is not `null`, with the siblings of `anyOf` merged in."""
        usable = [b for b in branches if not (isinstance(b, dict) and _type_of(b) == "null")]
        chosen = (usable or branches)[0]
        siblings = {k: v for k, v in schema.items() if k not in (key, "type", "nullable")}
        if siblings and isinstance(chosen, dict):
            return {**siblings, **chosen}
        return chosen

    def merged(self, schema: dict[str, Any]) -> dict[str, Any]:
        merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
        for part in schema["allOf"]:
            if isinstance(part, dict) and isinstance(part.get("$ref"), str):
                part = self.resolve(part["$ref"])
            if not isinstance(part, dict):
                continue
            for key, value in part.items():
                if key == "properties" and isinstance(value, dict):
                    merged.setdefault("properties", {}).update(value)
                elif key == "required" and isinstance(value, list):
                    before = merged.get("required")
                    before = before if isinstance(before, list) else []
                    merged["required"] = list(dict.fromkeys([*before, *value]))
                else:
                    merged.setdefault(key, value)
        return merged

    def object(self, schema: dict[str, Any], depth: int) -> dict[str, Any]:
        properties = schema.get("properties")
        properties = properties if isinstance(properties, dict) else {}
        listed = schema.get("required")
        required = [r for r in listed if isinstance(r, str)] if isinstance(listed, list) else []
        if depth >= _SCHEMA_DEPTH:
            properties = {k: v for k, v in properties.items() if k in required}
        if self.budget <= 0:
            return {}
        self.budget -= len(properties)
        out = {key: self.fill(sub, depth + 1) for key, sub in properties.items()}
        extra = schema.get("additionalProperties", True)
        for key in required:
            if key not in out:
                out[key] = self.fill(extra if isinstance(extra, dict) else {}, depth + 1)
        wanted = min(_int(schema.get("minProperties"), 0), max(0, self.budget))
        if extra is not False and len(out) < wanted:
            for index in range(wanted - len(out)):
                out[f"key{index + 1}"] = self.fill(extra if isinstance(extra, dict) else {}, depth + 1)
        return out

    def array(self, schema: dict[str, Any], depth: int) -> list[Any]:
        prefix = schema.get("prefixItems")
        prefix = prefix if isinstance(prefix, list) else []
        count = max(1, _int(schema.get("minItems"), 1), len(prefix))
        maximum = schema.get("maxItems")
        if isinstance(maximum, int) and not isinstance(maximum, bool):
            count = min(count, maximum)
        items = schema.get("items", {})
        if depth >= _SCHEMA_DEPTH:
            count = min(count, _int(schema.get("minItems"), 0))
        count = min(count, max(0, self.budget))
        self.budget -= count
        out = [self.fill(prefix[i] if i < len(prefix) else items, depth + 1) for i in range(count)]
        if schema.get("uniqueItems") is True:
            out = self.distinct(out, items, depth)
        return out

    def distinct(self, values: list[Any], items: Any, depth: int) -> list[Any]:
        """Distinct items: the enum's other members, or numbered words / numbers."""
        target = self.resolve(items["$ref"]) if isinstance(items, dict) and "$ref" in items else items
        enum = target.get("enum") if isinstance(target, dict) else None
        if isinstance(enum, list) and enum:
            return enum[: len(values)]
        out: list[Any] = []
        for index, value in enumerate(values):
            if isinstance(value, str):
                value = f"{value}{index + 1}" if index else value
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                value = value + index
            out.append(value)
        return out

    def string(self, schema: dict[str, Any]) -> str:
        value = _FORMATS.get(str(schema.get("format", "")), "") or self.word()
        minimum = min(_int(schema.get("minLength"), 0), _LONGEST_STRING)
        if len(value) < minimum:
            value = value + "x" * (minimum - len(value))
        maximum = schema.get("maxLength")
        if isinstance(maximum, int) and not isinstance(maximum, bool) and len(value) > maximum:
            value = value[:maximum]
        return value

    def word(self) -> str:
        return _WORDS[self.rng.randrange(len(_WORDS))]


#: anthropic's `messages.parse` (and others) move constraints the API does not take into the
#: description, as `{maxLength: 2, minimum: 1}`; a real model reads them, so the sandbox does too.
_HINT = re.compile(r"\{((?:\w+: [^,{}]+(?:, )?)+)\}")
_HINTED_KEYS = frozenset(
    {"minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"}
    | {"minItems", "maxItems", "multipleOf", "minProperties", "format"}
)


#: Gemini's Schema in proto JSON may spell its fields in snake case (google-genai does on api v1).
_SNAKE = {
    "min_length": "minLength",
    "max_length": "maxLength",
    "min_items": "minItems",
    "max_items": "maxItems",
    "min_properties": "minProperties",
    "max_properties": "maxProperties",
    "any_of": "anyOf",
    "one_of": "oneOf",
    "all_of": "allOf",
    "additional_properties": "additionalProperties",
    "prefix_items": "prefixItems",
}


def _camel(schema: dict[str, Any]) -> dict[str, Any]:
    if not any(key in _SNAKE for key in schema):
        return schema
    return {_SNAKE.get(key, key): value for key, value in schema.items()}


def _hinted(schema: dict[str, Any]) -> dict[str, Any]:
    description = schema.get("description")
    found = _HINT.search(description) if isinstance(description, str) else None
    if found is None:
        return schema
    hints: dict[str, Any] = {}
    for item in found.group(1).split(", "):
        key, _, raw = item.partition(": ")
        if key in _HINTED_KEYS and key not in schema:
            try:
                hints[key] = json.loads(raw)
            except ValueError:
                hints[key] = raw.strip().strip("'\"")
    return {**schema, **hints} if hints else schema


def _type_of(schema: dict[str, Any]) -> str:
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if str(k).lower() != "null"), kind[0] if kind else None)
    if kind is None:
        if "properties" in schema or "additionalProperties" in schema or "required" in schema:
            return "object"
        return "array" if "items" in schema or "prefixItems" in schema else "string"
    return str(kind).lower()


def _nullable(schema: dict[str, Any]) -> bool:
    kind = schema.get("type")
    return schema.get("nullable") is True or kind == "null" or (isinstance(kind, list) and "null" in kind)


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


def _number(schema: dict[str, Any], kind: str, rng: random.Random) -> int | float:
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
    step = schema.get("multipleOf")
    if isinstance(step, (int, float)) and not isinstance(step, bool) and step > 0:
        value = _multiple(value, step, low, high)
    return math.floor(value) if kind == "integer" else value


def _multiple(value: float, step: float, low: float | None, high: float | None) -> float:
    """A multiple of `step` near `value`, inside the bounds when one exists."""
    candidate = math.ceil(value / step) * step
    if high is not None and candidate > high:
        candidate = math.floor(value / step) * step
    if low is not None and candidate < low:
        candidate = math.ceil(low / step) * step
    return int(candidate) if float(candidate).is_integer() and float(step).is_integer() else candidate
