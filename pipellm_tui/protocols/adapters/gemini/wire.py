"""Reading Gemini wire values, shared by every Gemini module.

Owns what is Gemini's own in reading JSON: camelCase-or-snake_case key lookup (the REST API accepts
both), the proto3 JSON leniencies (an integral float is an integer, one object stands for a list of
one), the OpenAPI-subset -> JSON Schema clean-up of legacy
schemas, and what counts as a usable thought signature. The type checks every format shares are in
`shared`. Plain dict access, no pydantic: this is the conversion hot path. Standard library and
`protocols/` only.
"""

from __future__ import annotations

import binascii
from typing import Any

from ..shared.json_shapes import wrong
from ..shared.losses import warn_once

JSON = dict[str, Any]


def get2(d: JSON, camel: str, snake: str) -> Any:
    value = d.get(camel)
    return d.get(snake) if value is None else value


def one_or_many(value: Any, path: str) -> list[Any]:
    """A list, or one object standing for a list of one (the REST API accepts `"parts": {...}`)."""
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        return [value]
    wrong(value, "an array", path)


def proto_int(value: Any, path: str) -> int:
    """An integer as proto3 JSON reads one: `3.0` is 3 (Google's parsers accept integral floats)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    wrong(value, "an integer", path)


# ---------------------------------------------------------------------------- schemas


#: Legacy Schema field names (snake_case from SDK dumps, Gemini's own `defs`) -> JSON Schema names.
_LEGACY_KEYS = {
    "any_of": "anyOf",
    "max_items": "maxItems",
    "min_items": "minItems",
    "max_length": "maxLength",
    "min_length": "minLength",
    "max_properties": "maxProperties",
    "min_properties": "minProperties",
    "additional_properties": "additionalProperties",
    "property_ordering": "propertyOrdering",
    "defs": "$defs",
}
#: int64 fields, which proto3 JSON may write as strings ("maxItems": "3").
_INT64 = frozenset({"maxItems", "minItems", "maxLength", "minLength", "maxProperties", "minProperties"})


def openapi_to_json_schema(schema: Any) -> Any:
    """Legacy `parameters` / `responseSchema` use an OpenAPI subset (`"type": "OBJECT"`, `nullable`,
    `propertyOrdering`, `defs` and `ref: "#/defs/X"`, int64 limits as strings); the IR holds plain
    JSON Schema, so lower-case the types, fold `nullable` into the type, order `properties` as
    `propertyOrdering` says (the order is what it asks for), and name the rest as JSON Schema does."""
    if isinstance(schema, list):
        return [openapi_to_json_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out: JSON = {}
    ordering: Any = None
    for key, value in schema.items():
        key = _LEGACY_KEYS.get(key) or key
        if key == "type" and isinstance(value, str):
            out[key] = value.lower()
        elif key in ("properties", "$defs", "definitions") and isinstance(value, dict):
            out[key] = {name: openapi_to_json_schema(sub) for name, sub in value.items()}
        elif key in ("items", "anyOf", "oneOf", "allOf", "prefixItems", "not", "additionalProperties"):
            out[key] = openapi_to_json_schema(value)
        elif key == "ref" and isinstance(value, str):
            out["$ref"] = value.replace("#/defs/", "#/$defs/", 1)
        elif key in _INT64 and isinstance(value, str) and value.isdigit():
            out[key] = int(value)
        elif key == "propertyOrdering":
            ordering = value
        elif key != "nullable":
            out[key] = value
    properties = out.get("properties")
    if isinstance(ordering, list) and isinstance(properties, dict):
        ordered = {name: properties[name] for name in ordering if name in properties}
        out["properties"] = {**ordered, **properties}
    if schema.get("nullable") is True:
        kind = out.get("type")
        if isinstance(kind, str):
            out["type"] = [kind, "null"]
        else:
            out["nullable"] = True  # nothing to fold it into: keep the hint as written
    return out


def gemini_signature(signature: str | None, warnings: list[str]) -> str | None:
    """A thought signature Gemini (and google-genai, which decodes it as bytes) can take: canonical
    base64. Anything else cannot be a Gemini signature, so it is dropped rather than break the body."""
    if signature is None:
        return None
    std = (
        signature.replace("-", "+").replace("_", "/") if ("-" in signature or "_" in signature) else signature
    )
    try:
        canonical = binascii.b2a_base64(binascii.a2b_base64(std, strict_mode=True), newline=False)
    except (binascii.Error, ValueError):
        canonical = b""
    if canonical.decode("ascii") != std:
        warn_once(warnings, "thought signature: not base64, so not one Gemini issued; dropped")
        return None
    return signature
