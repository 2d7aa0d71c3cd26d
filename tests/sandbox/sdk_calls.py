"""One call through an official SDK, reduced to what the tests compare: text, finish, usage, tool calls.

The SDKs are the judges: each test sends the same conversation through `openai`, `anthropic` and
`google-genai` to a real sandbox over HTTP and compares what their parsed objects say.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import anthropic
import openai
from google import genai
from google.genai import types as genai_types

from pipellm_tui.protocols.formats import Format, RouteKind
from pipellm_tui.protocols.routes import route_for

SYSTEM = "You are a concise assistant for the sandbox tests."
QUESTION = "Why is the sky blue?"

SDK_FORMAT = {
    "openai": Format.OPENAI_CHAT,
    "responses": Format.OPENAI_RESPONSES,
    "anthropic": Format.ANTHROPIC,
    "genai": Format.GEMINI,
}

#: (sdk, route kind, model): every native and converter route, with a model of each family it may call.
ROUTE_CASES = [
    ("openai", "native", "gpt-4o"),
    ("openai", "converter", "claude-sonnet-4-20250514"),
    ("openai", "converter", "gemini-2.5-flash"),
    ("responses", "native", "gpt-4.1"),
    ("anthropic", "native", "claude-sonnet-4-20250514"),
    ("anthropic", "converter", "gpt-4o"),
    ("anthropic", "converter", "gemini-2.5-flash"),
    ("genai", "native", "gemini-2.5-flash"),
    ("genai", "converter", "gpt-4o"),
    ("genai", "converter", "claude-sonnet-4-20250514"),
]

WEATHER_TOOL = {
    "name": "get_weather",
    "description": "Current weather for a city.",
    "parameters": {
        "type": "object",
        "properties": {
            "city": {"type": "string", "description": "City name"},
            "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
            "days": {"type": "integer", "minimum": 1, "maximum": 7},
            "detailed": {"type": "boolean"},
            "tags": {"type": "array", "items": {"type": "string"}},
        },
        "required": ["city", "unit", "days"],
    },
}


@dataclass
class Outcome:
    text: str
    #: Normalised to our StopReason names: end_turn, max_tokens, stop_sequence, tool_use.
    finish: str
    input_tokens: int
    output_tokens: int
    tool_calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    raw: Any = None


def base_url(sandbox: Any, sdk: str, kind: str) -> str:
    route = route_for(SDK_FORMAT[sdk], RouteKind(kind))
    return route.sdk_base_url(sandbox.base_url)


@lru_cache(maxsize=64)  # one client per base URL and key: SDK clients are slow to build
def openai_client(url: str, key: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=url, api_key=key, max_retries=0)


@lru_cache(maxsize=64)  # one client per base URL and key: SDK clients are slow to build
def anthropic_client(url: str, key: str) -> anthropic.Anthropic:
    return anthropic.Anthropic(base_url=url, api_key=key, max_retries=0)


@lru_cache(maxsize=64)  # one client per base URL and key: SDK clients are slow to build
def genai_client(url: str, key: str, api_version: str = "v1beta") -> genai.Client:
    options = genai_types.HttpOptions(
        base_url=url, api_version=api_version, retry_options=genai_types.HttpRetryOptions(attempts=1)
    )
    return genai.Client(api_key=key, http_options=options)


def call(
    sandbox: Any,
    sdk: str,
    kind: str,
    model: str,
    stream: bool,
    *,
    key: str | None = None,
    max_tokens: int | None = None,
    stop: list[str] | None = None,
    tools: bool = False,
    question: str = QUESTION,
) -> Outcome:
    url = base_url(sandbox, sdk, kind)
    key = key or sandbox.api_key
    options = {"max_tokens": max_tokens, "stop": stop, "tools": tools, "question": question}
    return _CALLERS[sdk](url, key, model, stream, **options)


# ---------------------------------------------------------------------------- openai chat

_OPENAI_FINISH = {"stop": "end_turn", "length": "max_tokens", "tool_calls": "tool_use"}


def _openai(url: str, key: str, model: str, stream: bool, *, max_tokens, stop, tools, question) -> Outcome:
    client = openai_client(url, key)
    kwargs: dict[str, Any] = {
        "model": model,
        "messages": [{"role": "system", "content": SYSTEM}, {"role": "user", "content": question}],
    }
    if max_tokens is not None:
        kwargs["max_tokens"] = max_tokens
    if stop:
        kwargs["stop"] = stop
    if tools:
        kwargs["tools"] = [{"type": "function", "function": WEATHER_TOOL}]
        kwargs["tool_choice"] = "required"
    if not stream:
        r = client.chat.completions.create(**kwargs)
        message = r.choices[0].message
        calls = [(c.function.name, json.loads(c.function.arguments)) for c in message.tool_calls or []]
        finish = _OPENAI_FINISH[r.choices[0].finish_reason]
        return Outcome(
            message.content or "", finish, r.usage.prompt_tokens, r.usage.completion_tokens, calls, r
        )
    chunks = list(
        client.chat.completions.create(**kwargs, stream=True, stream_options={"include_usage": True})
    )
    text, finish, usage = "", "", None
    names: dict[int, str] = {}
    arguments: dict[int, str] = {}
    for chunk in chunks:
        usage = chunk.usage or usage
        for choice in chunk.choices:
            text += choice.delta.content or ""
            finish = choice.finish_reason or finish
            for tc in choice.delta.tool_calls or []:
                if tc.function and tc.function.name:
                    names[tc.index] = tc.function.name
                if tc.function and tc.function.arguments:
                    arguments[tc.index] = arguments.get(tc.index, "") + tc.function.arguments
    calls = [(names[i], json.loads(arguments.get(i, "{}"))) for i in sorted(names)]
    assert usage is not None, "include_usage was asked for: the last chunk must carry usage"
    return Outcome(text, _OPENAI_FINISH[finish], usage.prompt_tokens, usage.completion_tokens, calls, chunks)


# ---------------------------------------------------------------------------- openai responses


def _responses(url: str, key: str, model: str, stream: bool, *, max_tokens, stop, tools, question) -> Outcome:
    assert not stop, "the Responses API has no stop sequences"
    client = openai_client(url, key)
    kwargs: dict[str, Any] = {"model": model, "instructions": SYSTEM, "input": question}
    if max_tokens is not None:
        kwargs["max_output_tokens"] = max_tokens
    if tools:
        kwargs["tools"] = [{"type": "function", "strict": False, **WEATHER_TOOL}]
        kwargs["tool_choice"] = "required"
    if stream:
        final = None
        text = ""
        for event in client.responses.create(**kwargs, stream=True):
            if event.type == "response.output_text.delta":
                text += event.delta
            if event.type in ("response.completed", "response.incomplete"):
                final = event.response
        assert final is not None, "the stream must end with response.completed or response.incomplete"
        assert final.output_text == text
        r = final
    else:
        r = client.responses.create(**kwargs)
    calls = [(item.name, json.loads(item.arguments)) for item in r.output if item.type == "function_call"]
    if r.status == "incomplete":
        finish = (
            "max_tokens"
            if r.incomplete_details.reason == "max_output_tokens"
            else r.incomplete_details.reason
        )
    else:
        finish = "tool_use" if calls else "end_turn"
    return Outcome(r.output_text, finish, r.usage.input_tokens, r.usage.output_tokens, calls, r)


# ---------------------------------------------------------------------------- anthropic


def _anthropic(url: str, key: str, model: str, stream: bool, *, max_tokens, stop, tools, question) -> Outcome:
    client = anthropic_client(url, key)
    kwargs: dict[str, Any] = {
        "model": model,
        "max_tokens": max_tokens if max_tokens is not None else 1024,
        "system": SYSTEM,
        "messages": [{"role": "user", "content": question}],
    }
    if stop:
        kwargs["stop_sequences"] = stop
    if tools:
        tool = {"name": WEATHER_TOOL["name"], "description": WEATHER_TOOL["description"]}
        kwargs["tools"] = [{**tool, "input_schema": WEATHER_TOOL["parameters"]}]
        kwargs["tool_choice"] = {"type": "any"}
    if stream:
        with client.messages.stream(**kwargs) as s:
            streamed = "".join(s.text_stream)
            m = s.get_final_message()
        assert "".join(b.text for b in m.content if b.type == "text") == streamed
    else:
        m = client.messages.create(**kwargs)
    text = "".join(b.text for b in m.content if b.type == "text")
    calls = [(b.name, dict(b.input)) for b in m.content if b.type == "tool_use"]
    return Outcome(text, m.stop_reason, m.usage.input_tokens, m.usage.output_tokens, calls, m)


# ---------------------------------------------------------------------------- google-genai

_GEMINI_FINISH = {"STOP": "end_turn", "MAX_TOKENS": "max_tokens"}


def genai_config(max_tokens: int | None = None, stop: list[str] | None = None, tools: bool = False) -> Any:
    config: dict[str, Any] = {"system_instruction": SYSTEM}
    if max_tokens is not None:
        config["max_output_tokens"] = max_tokens
    if stop:
        config["stop_sequences"] = stop
    if tools:
        declaration = genai_types.FunctionDeclaration(
            name=WEATHER_TOOL["name"],
            description=WEATHER_TOOL["description"],
            parameters_json_schema=WEATHER_TOOL["parameters"],
        )
        config["tools"] = [genai_types.Tool(function_declarations=[declaration])]
        config["tool_config"] = genai_types.ToolConfig(
            function_calling_config=genai_types.FunctionCallingConfig(mode="ANY")
        )
        config["automatic_function_calling"] = genai_types.AutomaticFunctionCallingConfig(disable=True)
    return genai_types.GenerateContentConfig(**config)


def _genai(url: str, key: str, model: str, stream: bool, *, max_tokens, stop, tools, question) -> Outcome:
    client = genai_client(url, key)
    config = genai_config(max_tokens, stop, tools)
    if stream:
        chunks = list(client.models.generate_content_stream(model=model, contents=question, config=config))
        text = "".join(c.text or "" for c in chunks if c.candidates)
        last = chunks[-1]
        calls = [(fc.name, dict(fc.args or {})) for c in chunks for fc in c.function_calls or []]
    else:
        last = client.models.generate_content(model=model, contents=question, config=config)
        text = last.text or "" if not last.function_calls else ""
        calls = [(fc.name, dict(fc.args or {})) for fc in last.function_calls or []]
    reason = last.candidates[0].finish_reason.value
    finish = "tool_use" if calls and reason == "STOP" else _GEMINI_FINISH[reason]
    usage = last.usage_metadata
    return Outcome(text, finish, usage.prompt_token_count, usage.candidates_token_count or 0, calls, last)


_CALLERS = {"openai": _openai, "responses": _responses, "anthropic": _anthropic, "genai": _genai}
