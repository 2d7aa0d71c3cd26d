"""What the third-party checks share: the sandbox's address, the questions, the pydantic models with an
enum and a nested model (in `$defs`), and the judges (jsonschema and pydantic, expected statuses).

Runs inside the third-party venv, imported by third_party_driver.py and third_party_agents.py.
Never imports pipellm_tui.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from enum import Enum
from typing import Any

import jsonschema
from pydantic import BaseModel, Field

URL = os.environ["PIPELLM_SANDBOX_URL"]
KEY = os.environ["PIPELLM_SANDBOX_KEY"]
HELLO = "Say hello in one sentence."
ASK_TOOL = "What is the weather in Paris? Use the get_weather tool."


class Unit(str, Enum):
    CELSIUS = "celsius"
    FAHRENHEIT = "fahrenheit"


class Place(BaseModel):
    """Nested in the tool's arguments. No length limits: llm and langchain-google-genai drop them
    from what they send (seen in the sandbox's exchange records), so no model could be held to them."""

    city: str
    country: str


class WeatherArgs(BaseModel):
    """Arguments of get_weather: an enum and a nested model, both in `$defs`."""

    place: Place
    unit: Unit
    days: int


#: How tool functions declare `days` (pydantic-ai, openai-agents, llm build the schema from it).
Days = int


class Country(BaseModel):
    name: str = Field(min_length=2)
    code: str = Field(min_length=2, max_length=2)


class Forecast(BaseModel):
    """Structured output: an enum, a nested model and the bounds the sandbox must honour."""

    country: Country
    unit: Unit
    days: int = Field(ge=1, le=7)
    temperatures: list[float] = Field(min_length=2, max_length=5)


def valid_args(args: Any) -> str:
    if isinstance(args, str):
        args = json.loads(args)
    jsonschema.validate(args, WeatherArgs.model_json_schema())
    parsed = WeatherArgs.model_validate(args)
    return f"unit={parsed.unit.value}"


def valid_forecast(value: Any) -> str:
    if isinstance(value, str):
        value = json.loads(value)
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json")
    jsonschema.validate(value, Forecast.model_json_schema())
    return f"days={len(Forecast.model_validate(value).temperatures)}"


def status_of(exc: BaseException) -> int | None:
    for name in ("status_code", "status", "code"):
        value = getattr(exc, name, None)
        if isinstance(value, int):
            return value
    response = getattr(exc, "response", None)
    return getattr(response, "status_code", None)


def expect_status(status: int, call: Callable[[], Any]) -> str:
    try:
        call()
    except Exception as exc:  # any client's own error type: the status is what counts
        got = status_of(exc)
        if got == status or f"{status}" in str(exc)[:200]:
            return f"{type(exc).__name__}"
        raise AssertionError(f"expected {status}, got {type(exc).__name__} {got}: {str(exc)[:120]}") from exc
    raise AssertionError(f"expected {status}, the call succeeded")


#: One client's checks: name -> a function that returns a short detail or raises.
Checks = dict[str, Callable[[], str]]
