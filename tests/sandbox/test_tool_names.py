"""A tool name OpenAI refuses (over 64 characters), sent by the anthropic SDK to a model whose
upstream speaks OpenAI: the upstream gets a name it takes, the caller its own name back (issue 12)."""

from __future__ import annotations

import pytest

from .sdk_calls import WEATHER_TOOL, anthropic_client, base_url

LONG = "mcp__weather_service_with_a_long_server_name__get_current_weather_for_city"
assert len(LONG) > 64


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
def test_anthropic_caller_gets_its_long_tool_name_back_from_an_openai_upstream(sandbox, stream: bool) -> None:
    client = anthropic_client(base_url(sandbox, "anthropic", "converter"), "pipe-sandbox")
    kwargs = {
        "model": "gpt-4o",
        "max_tokens": 200,
        "messages": [{"role": "user", "content": "Weather in Paris?"}],
        "tools": [{"name": LONG, "description": "weather", "input_schema": WEATHER_TOOL["parameters"]}],
        "tool_choice": {"type": "tool", "name": LONG},
    }
    if stream:
        with client.messages.stream(**kwargs) as s:
            message = s.get_final_message()
    else:
        message = client.messages.create(**kwargs)
    calls = [b for b in message.content if b.type == "tool_use"]
    assert calls and all(b.name == LONG for b in calls)
    assert message.stop_reason == "tool_use"
