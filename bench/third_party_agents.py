"""pydantic-ai and openai-agents checks against the sandbox (run by third_party_driver.py, in the
third-party venv). Never imports pipellm_tui.
"""

from __future__ import annotations

import asyncio
from typing import Any

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
    expect_status,
    valid_args,
    valid_forecast,
)

# ---------------------------------------------------------------------------- pydantic-ai


def pydantic_ai_checks(provider: str) -> Checks:
    from pydantic_ai import Agent

    def model(name: str | None = None, key: str = KEY) -> Any:
        if provider == "openai":
            from pydantic_ai.models.openai import OpenAIChatModel
            from pydantic_ai.providers.openai import OpenAIProvider

            return OpenAIChatModel(
                name or "gpt-4o", provider=OpenAIProvider(base_url=URL + "/v1", api_key=key)
            )
        if provider == "anthropic":
            from pydantic_ai.models.anthropic import AnthropicModel
            from pydantic_ai.providers.anthropic import AnthropicProvider

            return AnthropicModel(
                name or "claude-sonnet-4-20250514", provider=AnthropicProvider(base_url=URL, api_key=key)
            )
        from pydantic_ai.models.google import GoogleModel
        from pydantic_ai.providers.google import GoogleProvider

        return GoogleModel(name or "gemini-2.5-flash", provider=GoogleProvider(base_url=URL, api_key=key))

    def chat() -> str:
        out = Agent(model()).run_sync(HELLO).output
        assert out, "empty answer"
        return out[:30]

    def stream() -> str:
        async def run() -> str:
            async with Agent(model()).run_stream(HELLO) as result:
                return "".join([delta async for delta in result.stream_text(delta=True)])

        text = asyncio.run(run())
        assert text, "empty stream"
        return f"{len(text)} chars"

    def tools() -> str:
        seen: list[str] = []
        agent = Agent(model())

        @agent.tool_plain
        def get_weather(place: Place, unit: Unit, days: Days) -> str:
            """Current weather for a place."""
            seen.append(valid_args({"place": place.model_dump(), "unit": unit.value, "days": days}))
            return "sunny"

        result = agent.run_sync(ASK_TOOL)
        assert seen, f"tool not called: {result.output!r:.60}"
        return seen[0]

    def structured() -> str:
        return valid_forecast(Agent(model(), output_type=Forecast).run_sync("Forecast for Paris?").output)

    return {
        "chat": chat,
        "stream": stream,
        "tools": tools,
        "structured": structured,
        "401": lambda: expect_status(401, lambda: Agent(model(key="wrong")).run_sync(HELLO)),
        "400": lambda: expect_status(400, lambda: Agent(model("no-such-model-1")).run_sync(HELLO)),
    }


# ---------------------------------------------------------------------------- openai-agents


def openai_agents_checks(api: str) -> Checks:
    from agents import (
        Agent,
        OpenAIChatCompletionsModel,
        OpenAIResponsesModel,
        Runner,
        function_tool,
        set_tracing_disabled,
    )
    from openai import AsyncOpenAI

    set_tracing_disabled(True)

    def model(name: str | None = None, key: str = KEY) -> Any:
        client = AsyncOpenAI(base_url=URL + "/v1", api_key=key, max_retries=0)
        if api == "responses":
            return OpenAIResponsesModel(name or "gpt-4.1", openai_client=client)
        return OpenAIChatCompletionsModel(name or "gpt-4o", openai_client=client)

    def chat() -> str:
        out = Runner.run_sync(Agent(name="a", model=model()), HELLO).final_output
        assert out, "empty answer"
        return str(out)[:30]

    def stream() -> str:
        async def run() -> str:
            result = Runner.run_streamed(Agent(name="a", model=model()), HELLO)
            text = ""
            async for event in result.stream_events():
                if (
                    event.type == "raw_response_event"
                    and getattr(event.data, "type", "") == "response.output_text.delta"
                ):
                    text += event.data.delta
            return text

        text = asyncio.run(run())
        assert text, "empty stream"
        return f"{len(text)} chars"

    def tools() -> str:
        seen: list[str] = []

        @function_tool
        def get_weather(place: Place, unit: Unit, days: Days) -> str:
            """Current weather for a place."""
            seen.append(valid_args({"place": place.model_dump(), "unit": unit.value, "days": days}))
            return "sunny"

        result = Runner.run_sync(Agent(name="a", model=model(), tools=[get_weather]), ASK_TOOL)
        assert seen, f"tool not called: {result.final_output!r:.60}"
        return seen[0]

    def structured() -> str:
        agent = Agent(name="a", model=model(), output_type=Forecast)
        return valid_forecast(Runner.run_sync(agent, "Forecast for Paris?").final_output)

    return {
        "chat": chat,
        "stream": stream,
        "tools": tools,
        "structured": structured,
        "401": lambda: expect_status(
            401, lambda: Runner.run_sync(Agent(name="a", model=model(key="wrong")), HELLO)
        ),
        "400": lambda: expect_status(
            400, lambda: Runner.run_sync(Agent(name="a", model=model("no-such-model-1")), HELLO)
        ),
    }
