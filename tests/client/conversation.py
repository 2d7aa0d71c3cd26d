"""Request bodies and small helpers shared by the client tests (one conversation in every format)."""

from __future__ import annotations

from typing import Any

from pipellm_tui.client import ClientEvent, PlaygroundClient
from pipellm_tui.client.plan import Plan
from pipellm_tui.protocols.formats import Format

QUESTION = "Tell me something about rivers."

#: A model of each format's own family, for the native routes.
NATIVE_MODEL = {
    Format.OPENAI_CHAT: "gpt-4o",
    Format.OPENAI_RESPONSES: "gpt-4o",
    Format.ANTHROPIC: "claude-sonnet-4-5-20250929",
    Format.GEMINI: "gemini-2.5-flash",
}

#: A model of another family, for the converter routes (the Responses converter does not exist).
CONVERTER_MODEL = {
    Format.OPENAI_CHAT: "claude-sonnet-4-5-20250929",
    Format.ANTHROPIC: "gpt-4o",
    Format.GEMINI: "claude-sonnet-4-20250514",
}

WEATHER_TOOL = {
    "name": "get_weather",
    "description": "Current weather for a city",
    "parameters": {
        "type": "object",
        "properties": {"city": {"type": "string"}, "unit": {"type": "string", "enum": ["c", "f"]}},
        "required": ["city"],
    },
}


def body(fmt: Format, text: str = QUESTION, *, stream: bool = False, max_tokens: int = 64) -> dict[str, Any]:
    """The same one-turn conversation in `fmt`."""
    if fmt is Format.OPENAI_CHAT:
        out: dict[str, Any] = {"messages": [{"role": "user", "content": text}], "max_tokens": max_tokens}
        if stream:
            out["stream_options"] = {"include_usage": True}
    elif fmt is Format.OPENAI_RESPONSES:
        out = {"input": [{"role": "user", "content": text}], "max_output_tokens": max_tokens}
    elif fmt is Format.ANTHROPIC:
        out = {"messages": [{"role": "user", "content": text}], "max_tokens": max_tokens}
    else:
        out = {
            "contents": [{"role": "user", "parts": [{"text": text}]}],
            "generationConfig": {"maxOutputTokens": max_tokens},
        }
    out["stream"] = stream
    return out


def with_required_tool(fmt: Format, request: dict[str, Any]) -> dict[str, Any]:
    """`request` offering WEATHER_TOOL with a choice that forces a call."""
    tool = WEATHER_TOOL
    if fmt is Format.OPENAI_CHAT:
        request["tools"] = [{"type": "function", "function": tool}]
        request["tool_choice"] = "required"
    elif fmt is Format.OPENAI_RESPONSES:
        request["tools"] = [{"type": "function", **tool}]
        request["tool_choice"] = "required"
    elif fmt is Format.ANTHROPIC:
        request["tools"] = [
            {"name": tool["name"], "description": tool["description"], "input_schema": tool["parameters"]}
        ]
        request["tool_choice"] = {"type": "any"}
    else:
        request["tools"] = [{"functionDeclarations": [tool]}]
        request["toolConfig"] = {"functionCallingConfig": {"mode": "ANY"}}
    return request


async def collect(client: PlaygroundClient, plan: Plan, **kwargs: Any) -> list[ClientEvent]:
    return [event async for event in client.send(plan, **kwargs)]


def of_type(events: list[ClientEvent], kind: type[Any]) -> list[Any]:
    return [event for event in events if isinstance(event, kind)]
