"""Structured outputs and tool arguments from pydantic schemas ($defs, enums, nested models), judged by
the official SDKs' own parsers (`.parse`, `.parsed`) and by jsonschema against the schema sent."""

from __future__ import annotations

import json
from enum import Enum

import jsonschema
import pytest
from google.genai import types as genai_types
from pydantic import BaseModel, Field

from .sdk_calls import anthropic_client, base_url, genai_client, openai_client


class Unit(str, Enum):
    CELSIUS = "celsius"
    FAHRENHEIT = "fahrenheit"


class Place(BaseModel):
    city: str = Field(min_length=2, max_length=40)
    country_code: str = Field(min_length=2, max_length=2)


class Forecast(BaseModel):
    """Enum and nested model land in `$defs` and are reached by `$ref`: what broke before."""

    place: Place
    unit: Unit
    days: int = Field(ge=1, le=7)
    temperatures: list[float] = Field(min_length=2, max_length=5)
    contact: str = Field(json_schema_extra={"format": "email"})


SCHEMA = Forecast.model_json_schema()
ASK = "What is the forecast for Paris?"


def _check(value: object) -> Forecast:
    jsonschema.validate(value, SCHEMA, format_checker=jsonschema.FormatChecker())
    return Forecast.model_validate(value)


@pytest.mark.parametrize(
    ("kind", "model"),
    [("native", "gpt-4o"), ("converter", "claude-sonnet-4-20250514"), ("converter", "gemini-2.5-flash")],
)
def test_openai_chat_parse_returns_the_pydantic_model(sandbox, kind: str, model: str) -> None:
    client = openai_client(base_url(sandbox, "openai", kind), sandbox.api_key)
    answer = client.chat.completions.parse(
        model=model, messages=[{"role": "user", "content": ASK}], response_format=Forecast
    )
    parsed = answer.choices[0].message.parsed
    assert isinstance(parsed, Forecast) and parsed.unit is Unit.CELSIUS
    _check(json.loads(answer.choices[0].message.content))


def test_openai_chat_stream_with_a_schema_streams_the_same_json(sandbox) -> None:
    client = openai_client(base_url(sandbox, "openai", "native"), sandbox.api_key)
    with client.chat.completions.stream(
        model="gpt-4o", messages=[{"role": "user", "content": ASK}], response_format=Forecast
    ) as stream:
        final = stream.get_final_completion()
    assert isinstance(final.choices[0].message.parsed, Forecast)


def test_openai_json_object_mode_answers_a_json_object(sandbox) -> None:
    client = openai_client(base_url(sandbox, "openai", "native"), sandbox.api_key)
    answer = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": "Answer in JSON."}],
        response_format={"type": "json_object"},
    )
    assert isinstance(json.loads(answer.choices[0].message.content), dict)


def test_responses_parse_returns_the_pydantic_model(sandbox) -> None:
    client = openai_client(base_url(sandbox, "responses", "native"), sandbox.api_key)
    answer = client.responses.parse(model="gpt-4.1", input=ASK, text_format=Forecast)
    assert isinstance(answer.output_parsed, Forecast)
    _check(json.loads(answer.output_text))


@pytest.mark.parametrize(("kind", "model"), [("native", "claude-sonnet-4-20250514"), ("converter", "gpt-4o")])
def test_anthropic_output_format_answers_json_of_the_schema(sandbox, kind: str, model: str) -> None:
    client = anthropic_client(base_url(sandbox, "anthropic", kind), sandbox.api_key)
    answer = client.messages.parse(
        model=model, max_tokens=1024, messages=[{"role": "user", "content": ASK}], output_format=Forecast
    )
    assert isinstance(answer.parsed_output, Forecast)
    _check(json.loads(answer.content[0].text))


@pytest.mark.parametrize("api_version", ["v1", "v1beta"])
@pytest.mark.parametrize(("kind", "model"), [("native", "gemini-2.5-flash"), ("converter", "gpt-4o")])
def test_genai_parsed_with_a_response_schema(sandbox, api_version: str, kind: str, model: str) -> None:
    client = genai_client(base_url(sandbox, "genai", kind), sandbox.api_key, api_version)
    config = genai_types.GenerateContentConfig(
        response_mime_type="application/json", response_schema=Forecast
    )
    answer = client.models.generate_content(model=model, contents=ASK, config=config)
    assert isinstance(answer.parsed, Forecast)
    _check(json.loads(answer.text))


# ---------------------------------------------------------------------------- tool arguments


def test_openai_tool_arguments_from_a_pydantic_schema_validate(sandbox) -> None:
    client = openai_client(base_url(sandbox, "openai", "native"), sandbox.api_key)
    tool = {"type": "function", "function": {"name": "forecast", "parameters": SCHEMA}}
    answer = client.chat.completions.create(
        model="gpt-4o", messages=[{"role": "user", "content": ASK}], tools=[tool], tool_choice="required"
    )
    call = answer.choices[0].message.tool_calls[0]
    assert call.id.startswith("call_")
    assert _check(json.loads(call.function.arguments)).unit is Unit.CELSIUS


def test_anthropic_tool_input_from_a_pydantic_schema_validates(sandbox) -> None:
    client = anthropic_client(base_url(sandbox, "anthropic", "native"), sandbox.api_key)
    answer = client.messages.create(
        model="claude-sonnet-4-20250514",
        max_tokens=512,
        messages=[{"role": "user", "content": ASK}],
        tools=[{"name": "forecast", "input_schema": SCHEMA}],
        tool_choice={"type": "tool", "name": "forecast"},
    )
    block = answer.content[0]
    assert block.type == "tool_use" and block.id.startswith("toolu_")
    _check(block.input)


@pytest.mark.parametrize("kind", ["native", "converter"])
def test_genai_function_args_from_a_pydantic_schema_validate(sandbox, kind: str) -> None:
    client = genai_client(base_url(sandbox, "genai", kind), sandbox.api_key, "v1")
    declaration = genai_types.FunctionDeclaration(name="forecast", parameters_json_schema=SCHEMA)
    config = genai_types.GenerateContentConfig(
        tools=[genai_types.Tool(function_declarations=[declaration])],
        tool_config=genai_types.ToolConfig(
            function_calling_config=genai_types.FunctionCallingConfig(mode="ANY")
        ),
        automatic_function_calling=genai_types.AutomaticFunctionCallingConfig(disable=True),
    )
    model = "gemini-2.5-flash" if kind == "native" else "claude-sonnet-4-20250514"
    answer = client.models.generate_content(model=model, contents=ASK, config=config)
    _check(dict(answer.function_calls[0].args))
