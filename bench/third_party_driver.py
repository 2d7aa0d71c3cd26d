"""Runs inside the third-party venv (bench/third_party_clients.py makes it): one client's checks.

Usage: python third_party_driver.py CLIENT   (PIPELLM_SANDBOX_URL and PIPELLM_SANDBOX_KEY in the
environment). Prints one JSON object per check: {"check": ..., "ok": bool, "detail": ...}.
Never imports pipellm_tui: these clients are judges from outside. Every client is given the sandbox's
loopback URL explicitly; telemetry is off (the parent sets the environment before this starts).
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from collections.abc import Callable
from typing import Any

from third_party_agents import openai_agents_checks, pydantic_ai_checks
from third_party_judges import (
    ASK_TOOL,
    HELLO,
    KEY,
    URL,
    Checks,
    Days,
    Forecast,
    Place,
    Unit,
    WeatherArgs,
    expect_status,
    valid_args,
    valid_forecast,
)

# ---------------------------------------------------------------------------- litellm


def litellm_checks(provider: str) -> Checks:
    import litellm

    model, base = {
        "openai": ("openai/gpt-4o", URL + "/v1"),
        "anthropic": ("anthropic/claude-sonnet-4-20250514", URL),
        "gemini": ("gemini/gemini-2.5-flash", URL + "/v1beta"),  # litellm appends /models/...
    }[provider]
    common: dict[str, Any] = {"model": model, "api_base": base, "api_key": KEY, "num_retries": 0}
    tool = {
        "type": "function",
        "function": {"name": "get_weather", "parameters": WeatherArgs.model_json_schema()},
    }

    def chat() -> str:
        r = litellm.completion(messages=[{"role": "user", "content": HELLO}], **common)
        assert r.choices[0].message.content, "empty answer"
        return r.choices[0].message.content[:30]

    def stream() -> str:
        parts = litellm.completion(messages=[{"role": "user", "content": HELLO}], stream=True, **common)
        text = "".join(c.choices[0].delta.content or "" for c in parts if c.choices)
        assert text, "empty stream"
        return f"{len(text)} chars"

    def tools() -> str:
        r = litellm.completion(messages=[{"role": "user", "content": ASK_TOOL}], tools=[tool], **common)
        calls = r.choices[0].message.tool_calls
        assert calls, f"no tool call: {r.choices[0].message.content!r:.60}"
        return valid_args(calls[0].function.arguments)

    def structured() -> str:
        r = litellm.completion(
            messages=[{"role": "user", "content": "Forecast?"}], response_format=Forecast, **common
        )
        return valid_forecast(r.choices[0].message.content)

    def unauthorized() -> str:
        return expect_status(
            401,
            lambda: litellm.completion(
                **{**common, "api_key": "wrong"}, messages=[{"role": "user", "content": HELLO}]
            ),
        )

    def bad_request() -> str:
        bad = {**common, "model": model.split("/")[0] + "/no-such-model-1"}
        return expect_status(
            400, lambda: litellm.completion(messages=[{"role": "user", "content": HELLO}], **bad)
        )

    return {
        "chat": chat,
        "stream": stream,
        "tools": tools,
        "structured": structured,
        "401": unauthorized,
        "400": bad_request,
    }


# ---------------------------------------------------------------------------- langchain


def langchain_checks(provider: str) -> Checks:
    def make(model: str | None = None, key: str = KEY) -> Any:
        if provider == "openai":
            from langchain_openai import ChatOpenAI

            return ChatOpenAI(model=model or "gpt-4o", base_url=URL + "/v1", api_key=key, max_retries=0)
        if provider == "anthropic":
            from langchain_anthropic import ChatAnthropic

            return ChatAnthropic(
                model=model or "claude-sonnet-4-20250514", base_url=URL, api_key=key, max_retries=0
            )
        from langchain_google_genai import ChatGoogleGenerativeAI

        return ChatGoogleGenerativeAI(
            model=model or "gemini-2.5-flash", google_api_key=key, base_url=URL, max_retries=0
        )

    def get_weather(place: Place, unit: Unit, days: Days) -> str:
        """Current weather for a place."""
        return "sunny"

    def chat() -> str:
        text = make().invoke(HELLO).text
        assert text, "empty answer"
        return str(text)[:30]

    def stream() -> str:
        text = "".join(str(c.text) for c in make().stream(HELLO))
        assert text, "empty stream"
        return f"{len(text)} chars"

    def tools() -> str:
        from langchain_core.tools import StructuredTool

        tool = StructuredTool.from_function(get_weather, args_schema=WeatherArgs, name="get_weather")
        message = make().bind_tools([tool]).invoke(ASK_TOOL)
        assert message.tool_calls, f"no tool call: {message.text!r:.60}"
        return valid_args(message.tool_calls[0]["args"])

    def structured() -> str:
        return valid_forecast(make().with_structured_output(Forecast).invoke("Forecast for Paris?"))

    def previous_response() -> str:
        from langchain_openai import ChatOpenAI

        llm = ChatOpenAI(
            model="gpt-4.1",
            base_url=URL + "/v1",
            api_key=KEY,
            max_retries=0,
            use_responses_api=True,
            use_previous_response_id=True,
        )
        first = llm.invoke(HELLO)
        assert str(first.id).startswith("resp_"), f"id {first.id!r} is not a Responses id"
        second = llm.invoke([("user", HELLO), first, ("user", "And again?")])
        assert second.text, "empty second answer"
        return "chained on " + str(first.id)[:12]

    checks = {
        "chat": chat,
        "stream": stream,
        "tools": tools,
        "structured": structured,
        "401": lambda: expect_status(401, lambda: make(key="wrong").invoke(HELLO)),
        "400": lambda: expect_status(400, lambda: make(model="no-such-model-1").invoke(HELLO)),
    }
    if provider == "openai":
        checks["prev-resp"] = previous_response
    return checks


# ---------------------------------------------------------------------------- llm (Simon Willison's)


def llm_checks() -> Checks:
    import tempfile

    import llm

    # llm reads OpenAI-compatible models from extra-openai-models.yaml in its user directory.
    home = tempfile.mkdtemp(prefix="pipellm-llm-")
    os.environ["LLM_USER_PATH"] = home
    entries = [("sandbox-gpt-4o", "gpt-4o"), ("sandbox-missing", "no-such-model-1")]
    with open(os.path.join(home, "extra-openai-models.yaml"), "w") as out:
        for model_id, name in entries:
            out.write(f"- model_id: {model_id}\n  model_name: {name}\n  api_base: {URL}/v1\n")
            out.write("  api_key_name: sandbox\n  supports_schema: true\n  supports_tools: true\n")
    with open(os.path.join(home, "keys.json"), "w") as out:
        json.dump({"sandbox": KEY}, out)
    model = llm.get_model("sandbox-gpt-4o")
    seen: list[str] = []

    def get_weather(place: Place, unit: Unit, days: Days) -> str:
        """Current weather for a place."""
        place_json = place.model_dump() if isinstance(place, Place) else place
        seen.append(valid_args({"place": place_json, "unit": getattr(unit, "value", unit), "days": days}))
        return "sunny"

    def tools() -> str:
        text = model.chain(ASK_TOOL, tools=[get_weather], key=KEY).text()
        assert seen, f"tool not called: {text!r:.60}"
        return seen[0]

    return {
        "chat": lambda: model.prompt(HELLO, key=KEY).text()[:30],
        "stream": lambda: f"{len(''.join(model.prompt(HELLO, key=KEY, stream=True)))} chars",
        "tools": tools,
        "structured": lambda: valid_forecast(model.prompt("Forecast?", schema=Forecast, key=KEY).text()),
        "401": lambda: expect_status(401, lambda: model.prompt(HELLO, key="wrong").text()),
        "400": lambda: expect_status(
            400, lambda: llm.get_model("sandbox-missing").prompt(HELLO, key=KEY).text()
        ),
    }


CLIENTS: dict[str, Callable[[], Checks]] = {
    "litellm/openai": lambda: litellm_checks("openai"),
    "litellm/anthropic": lambda: litellm_checks("anthropic"),
    "litellm/gemini": lambda: litellm_checks("gemini"),
    "langchain-openai": lambda: langchain_checks("openai"),
    "langchain-anthropic": lambda: langchain_checks("anthropic"),
    "langchain-google-genai": lambda: langchain_checks("google"),
    "pydantic-ai/openai": lambda: pydantic_ai_checks("openai"),
    "pydantic-ai/anthropic": lambda: pydantic_ai_checks("anthropic"),
    "pydantic-ai/google": lambda: pydantic_ai_checks("google"),
    "openai-agents/responses": lambda: openai_agents_checks("responses"),
    "openai-agents/chat": lambda: openai_agents_checks("chat"),
    "llm": llm_checks,
}


def main(client: str) -> None:
    try:
        checks = CLIENTS[client]()
    except Exception as exc:  # noqa: BLE001 - a client that cannot even be set up is one row of fails
        print(json.dumps({"check": "*", "ok": False, "detail": f"setup: {type(exc).__name__}: {exc}"[:200]}))
        return
    only = os.environ.get("PIPELLM_ONLY_CHECK")
    for name, check in checks.items():
        if only and name != only:
            continue
        try:
            detail, ok = check(), True
        except Exception as exc:  # noqa: BLE001 - whatever a client raises is that check's reason
            ok = False
            detail = f"{type(exc).__name__}: {exc}"
            if os.environ.get("PIPELLM_BENCH_TRACE"):
                traceback.print_exc()
        print(
            json.dumps({"check": name, "ok": ok, "detail": " ".join(str(detail).split())[:300]}), flush=True
        )


if __name__ == "__main__":
    main(sys.argv[1])
