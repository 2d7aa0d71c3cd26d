"""The one schema-value generator (tool arguments and structured outputs): every value it makes must
validate against the schema it was made from, judged by jsonschema with its format checker."""

from __future__ import annotations

import random
from typing import Any

import jsonschema
import pytest

from pipellm_tui.sandbox.tool_arguments import fill_schema

FORMATS = jsonschema.FormatChecker()

PYDANTIC_STYLE = {
    "$defs": {
        "Unit": {"enum": ["celsius", "fahrenheit"], "title": "Unit", "type": "string"},
        "Place": {
            "properties": {
                "city": {"minLength": 2, "maxLength": 40, "type": "string"},
                "code": {"minLength": 2, "maxLength": 2, "type": "string"},
                "near": {"anyOf": [{"$ref": "#/$defs/Place"}, {"type": "null"}], "default": None},
            },
            "required": ["city", "code"],
            "type": "object",
        },
    },
    "properties": {
        "place": {"$ref": "#/$defs/Place"},
        "unit": {"$ref": "#/$defs/Unit"},
        "days": {"maximum": 7, "minimum": 1, "type": "integer"},
        "tags": {"items": {"$ref": "#/$defs/Unit"}, "minItems": 2, "uniqueItems": True, "type": "array"},
    },
    "required": ["place", "unit", "days", "tags"],
    "type": "object",
    "additionalProperties": False,
}

CASES: dict[str, dict[str, Any]] = {
    "pydantic $defs, enum by $ref, recursive model": PYDANTIC_STYLE,
    "draft-4 definitions": {
        "definitions": {"Kind": {"type": "string", "enum": ["a", "b"]}},
        "type": "object",
        "properties": {"kind": {"$ref": "#/definitions/Kind"}},
        "required": ["kind"],
    },
    "formats": {
        "type": "object",
        "properties": {
            name: {"type": "string", "format": name}
            for name in ("date", "date-time", "time", "email", "uri", "uuid", "ipv4", "ipv6", "hostname")
        },
    },
    "const and oneOf": {
        "type": "object",
        "properties": {
            "kind": {"const": "circle"},
            "size": {"oneOf": [{"type": "integer", "minimum": 10}, {"type": "string"}]},
            "maybe": {"type": ["null", "number"], "exclusiveMinimum": 0, "exclusiveMaximum": 1},
        },
    },
    "bounds": {
        "type": "object",
        "properties": {
            "ratio": {"type": "number", "exclusiveMinimum": 0.5, "maximum": 0.75},
            "even": {"type": "integer", "multipleOf": 4, "minimum": 9, "maximum": 30},
            "short": {"type": "string", "maxLength": 3},
            "long": {"type": "string", "minLength": 30},
            "few": {"type": "array", "items": {"type": "integer"}, "minItems": 3, "maxItems": 3},
        },
    },
    "required without properties, additionalProperties schema": {
        "type": "object",
        "required": ["extra"],
        "additionalProperties": {"type": "integer", "minimum": 5},
        "minProperties": 2,
    },
    "allOf merged": {
        "allOf": [
            {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
            {"properties": {"b": {"type": "boolean"}}, "required": ["b"]},
        ]
    },
    "tuple": {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}], "minItems": 2},
}


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("seed", [0, 1, 7])
def test_values_validate_against_their_schema(name: str, seed: int) -> None:
    schema = CASES[name]
    jsonschema.validate(fill_schema(schema, random.Random(seed)), schema, format_checker=FORMATS)


def test_an_enum_behind_a_ref_is_one_of_its_members_not_a_word() -> None:
    value = fill_schema(PYDANTIC_STYLE, random.Random(3))
    assert value["unit"] in ("celsius", "fahrenheit")
    assert set(value["tags"]) == {"celsius", "fahrenheit"}  # distinct, as uniqueItems asks
    assert len(value["place"]["code"]) == 2


def test_litellm_refs_without_the_hash_and_bare_names_resolve() -> None:
    schema = {
        "$defs": {"Unit": {"type": "string", "enum": ["k"]}},
        "type": "object",
        "properties": {"a": {"$ref": "/$defs/Unit"}, "b": {"$ref": "Unit"}},
    }
    assert fill_schema(schema, random.Random(0)) == {"a": "k", "b": "k"}


def test_gemini_upper_case_types_and_snake_case_fields() -> None:
    schema = {
        "type": "OBJECT",
        "properties": {
            "code": {"type": "STRING", "min_length": 2, "max_length": 2},
            "temps": {"type": "ARRAY", "items": {"type": "NUMBER"}, "min_items": 3},
            "unit": {"type": "STRING", "enum": ["c", "f"]},
        },
    }
    value = fill_schema(schema, random.Random(0))
    assert len(value["code"]) == 2 and len(value["temps"]) == 3 and value["unit"] == "c"


def test_constraints_an_sdk_moved_into_the_description_are_honoured() -> None:
    # anthropic's messages.parse sends {"description": "{maxLength: 2, minLength: 2}"} instead.
    schema = {
        "type": "object",
        "properties": {
            "code": {"type": "string", "description": "{maxLength: 2, minLength: 2}"},
            "days": {"type": "integer", "description": "Days ahead. {maximum: 7, minimum: 1}"},
        },
    }
    value = fill_schema(schema, random.Random(0))
    assert len(value["code"]) == 2 and 1 <= value["days"] <= 7


def test_same_generator_same_value() -> None:
    assert fill_schema(PYDANTIC_STYLE, random.Random(5)) == fill_schema(PYDANTIC_STYLE, random.Random(5))


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "array", "minItems": 10**9},
        {"type": "string", "minLength": 10**9},
        {"type": "integer", "minimum": 10**400, "maximum": 10**401},
        {"type": "number", "multipleOf": 1e-300, "minimum": 1e300},
        {
            "type": "array",
            "minItems": 100,
            "items": {"type": "array", "minItems": 100, "items": {"type": "array", "minItems": 100}},
        },
        {"$ref": "#"},
        {"type": "object", "required": 5},
    ],
)
def test_schemas_no_model_could_fill_get_a_bounded_value_not_an_exception(schema: dict[str, Any]) -> None:
    value = fill_schema(schema, random.Random(0))
    assert len(repr(value)) <= 1_000_000
