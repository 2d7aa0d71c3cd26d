"""Gemini's legacy schema dialect (`responseSchema`, `parameters`) read as plain JSON Schema for the
other formats (issue 12): `defs`/`ref`, `anyOf` with NULL, `propertyOrdering`, int64 strings."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from google.genai import types as genai_types

from pipellm_tui.protocols import Format, convert_request

from . import sdk_judges as judge

LEGACY = {
    "type": "OBJECT",
    "properties": {
        "title": {"type": "STRING"},
        "pet": {"ref": "#/defs/Pet"},
        "note": {"anyOf": [{"type": "STRING"}, {"type": "NULL"}]},
        "tags": {"type": "ARRAY", "items": {"type": "STRING"}, "maxItems": "3"},
    },
    "propertyOrdering": ["pet", "title", "note", "tags"],
    "required": ["title", "pet"],
    "defs": {"Pet": {"type": "OBJECT", "properties": {"name": {"type": "STRING", "nullable": True}}}},
}
BODY = {
    "contents": [{"role": "user", "parts": [{"text": "x"}]}],
    "generationConfig": {"responseMimeType": "application/json", "responseSchema": LEGACY},
    "tools": [{"functionDeclarations": [{"name": "adopt", "parameters": LEGACY}]}],
}
GOOD = {"title": "t", "pet": {"name": None}, "note": None, "tags": ["a"]}


def _schemas(payload: dict[str, Any], target: Format) -> list[dict[str, Any]]:
    if target is Format.ANTHROPIC:
        return [payload["output_config"]["format"]["schema"], payload["tools"][0]["input_schema"]]
    if target is Format.OPENAI_CHAT:
        return [
            payload["response_format"]["json_schema"]["schema"],
            payload["tools"][0]["function"]["parameters"],
        ]
    return [payload["text"]["format"]["schema"], payload["tools"][0]["parameters"]]


def test_the_legacy_schema_is_one_google_genai_reads() -> None:
    genai_types.Schema.model_validate(LEGACY)


@pytest.mark.parametrize("target", [Format.ANTHROPIC, Format.OPENAI_CHAT, Format.OPENAI_RESPONSES])
def test_legacy_schemas_become_json_schema_that_means_the_same(target: Format) -> None:
    converted = convert_request(BODY, Format.GEMINI, target, "m")
    for schema in _schemas(converted.payload, target):
        jsonschema.Draft202012Validator.check_schema(schema)
        jsonschema.validate(GOOD, schema)
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({**GOOD, "tags": ["a", "b", "c", "d"]}, schema)  # maxItems "3" is 3
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({**GOOD, "pet": {"name": 3}}, schema)  # the $ref is followed
        assert list(schema["properties"]) == ["pet", "title", "note", "tags"]  # propertyOrdering
        assert "propertyOrdering" not in schema and "defs" not in schema
        assert schema["$defs"]["Pet"]["properties"]["name"]["type"] == ["string", "null"]


# ---------------------------------------------------------------------------- OpenAI strict schemas

STRICT_SCHEMA = {
    "type": "object",
    "properties": {"city": {"type": "string"}},
    "required": ["city"],
    "additionalProperties": False,
}
STRICT_CHAT = {
    "model": "m",
    "messages": [{"role": "user", "content": "x"}],
    "tools": [
        {"type": "function", "function": {"name": "strict_one", "parameters": STRICT_SCHEMA, "strict": True}},
        {"type": "function", "function": {"name": "loose_one", "parameters": {"type": "object"}}},
    ],
    "response_format": {
        "type": "json_schema",
        "json_schema": {"name": "out", "schema": STRICT_SCHEMA, "strict": True},
    },
}


def test_strict_tools_and_schemas_keep_their_flag_where_the_target_has_one() -> None:
    responses = convert_request(STRICT_CHAT, Format.OPENAI_CHAT, Format.OPENAI_RESPONSES).payload
    judge.openai_responses_request(responses)
    # Responses makes an unmarked tool strict: the loose one says false.
    assert [t["strict"] for t in responses["tools"]] == [True, False]
    assert responses["text"]["format"]["strict"] is True
    anthropic = convert_request(STRICT_CHAT, Format.OPENAI_CHAT, Format.ANTHROPIC)
    judge.anthropic_request(anthropic.payload)  # the SDK's ToolParam has `strict`
    assert [t.get("strict") for t in anthropic.payload["tools"]] == [True, None]
    assert anthropic.payload["output_config"]["format"]["schema"] == STRICT_SCHEMA
    back = convert_request(anthropic.payload, Format.ANTHROPIC, Format.OPENAI_CHAT).payload
    judge.openai_chat_request(back)
    assert [t["function"].get("strict") for t in back["tools"]] == [True, None]


def test_gemini_names_the_strict_flags_it_cannot_hold() -> None:
    converted = convert_request(STRICT_CHAT, Format.OPENAI_CHAT, Format.GEMINI)
    judge.gemini_request(converted.payload)
    assert "'strict'" not in str(converted.payload)
    assert converted.payload["generationConfig"]["responseJsonSchema"] == STRICT_SCHEMA
    said = " ".join(converted.warnings)
    assert "tools[].strict" in said and "response_format strict" in said
