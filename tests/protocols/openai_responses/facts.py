"""What each OpenAI Responses fixture says, written down by hand from the payloads themselves.

Requests: system texts, (role, text) per message, tool calls and results, tools, settings, extras.
Responses: text, refusal, thinking (text, signature), calls, stop reason, usage as (input, output,
cache read, cache write, reasoning). Streams: the same facts summed over the events. Single events:
the IR events a fresh decoder gives for them.
"""

from __future__ import annotations

from typing import Any

from pipellm_tui.protocols import ir

S = ir.StopReason

SHARED_REQUESTS: dict[str, dict[str, Any]] = {
    "spec_text_input.request.json": {
        "model": "gpt-5.4",
        "system": [],
        "messages": [("user", "Tell me a three sentence bedtime story about a unicorn.")],
    },
    "spec_image_input.request.json": {
        "model": "gpt-5.4",
        "system": [],
        "messages": [("user", "what is in this image?")],
        "images": [
            "https://upload.wikimedia.org/wikipedia/commons/thumb/d/dd/Gfp-wisconsin-madison-the-nature-boardwalk.jpg/2560px-Gfp-wisconsin-madison-the-nature-boardwalk.jpg"
        ],
    },
    "spec_functions.request.json": {
        "model": "gpt-5.4",
        "system": [],
        "messages": [("user", "What is the weather like in Boston today?")],
        "tools": ["get_current_weather"],
        "tool_choice": ir.ToolChoice(ir.ToolChoiceMode.AUTO),
    },
    "spec_reasoning.request.json": {
        "model": "o3-mini",
        "system": [],
        "messages": [("user", "How much wood would a woodchuck chuck?")],
        "thinking": ir.Thinking(enabled=True, effort="high"),
    },
    "spec_streaming.request.json": {
        "model": "gpt-5.4",
        "system": ["You are a helpful assistant."],
        "messages": [("user", "Hello!")],
        "stream": True,
    },
}

OWN_REQUESTS: dict[str, dict[str, Any]] = {
    "multi_turn_tools.request.json": {
        "model": "gpt-4.1",
        "system": ["You are a weather assistant. Answer in one short paragraph.", "Use metric units."],
        "messages": [
            ("user", "What is the weather in Paris and in Oslo right now?"),
            ("assistant", ""),
            ("user", ""),
            ("assistant", "Paris is 18 °C and cloudy; Oslo is 4 °C with snow."),
            ("user", "And tomorrow in Oslo?"),
        ],
        "calls": [
            ("call_paris_01", "get_weather", {"city": "Paris", "unit": "celsius"}),
            ("call_oslo_02", "get_weather", {"city": "Oslo", "unit": "celsius"}),
        ],
        "results": [
            ("call_paris_01", "get_weather", '{"temperature":18,"sky":"cloudy"}'),
            ("call_oslo_02", "get_weather", '{"temperature":4,"sky":"snow"}'),
        ],
        "tools": ["get_weather", "get_forecast"],
        "tool_choice": ir.ToolChoice(ir.ToolChoiceMode.REQUIRED),
        "settings": {"parallel_tool_calls": True, "max_tokens": 800, "temperature": 0.2, "top_p": 0.9},
        "extras": {"store": False},
    },
    "image_reasoning.request.json": {
        "model": "o4-mini",
        "system": [],
        "messages": [("user", "Which of these two pictures shows a cat?")],
        "images": ["https://example.com/pictures/first.jpg", "data:image/png"],
        "thinking": ir.Thinking(enabled=True, effort="medium", include_thoughts=True),
        "format": ("json_schema", "cat_answer", True),
        "extras": {"text.verbosity": "low", "include": ["reasoning.encrypted_content"], "store": False},
    },
    "stateful_hosted_tools.request.json": {
        "model": "gpt-5",
        "system": [],
        "messages": [("assistant", ""), ("user", "Also search the news for Oslo.")],
        "calls": [("call_forecast_03", "get_forecast", {"city": "Oslo", "days": 1})],
        "results": [("call_forecast_03", "get_forecast", "Tomorrow: -2 °C, light snow.")],
        "thinking_parts": [
            ("I should call get_forecast for one day.", "gAAAAABoEncryptedReasoningBlobForTestsOnly==")
        ],
        "tools": ["get_forecast"],
        "tool_choice": ir.ToolChoice(ir.ToolChoiceMode.TOOL, "get_forecast"),
        "thinking": ir.Thinking(enabled=True, effort="low", include_thoughts=True),
        "format": ("json_object", None, None),
        "stream": True,
        "extras_keys": {
            "previous_response_id",
            "unconverted_input_items",
            "hosted_tools",
            "reasoning.summary",
            "metadata",
        },
        "warned": ["previous_response_id", "item_reference"],
    },
}

SHARED_RESPONSES: dict[str, dict[str, Any]] = {
    "sdktest_response_output_text.json": {
        "id": "resp_689a0b2545288193953c892439b42e2800b2e36c65a1fd4b",
        "model": "gpt-4o-mini-2024-07-18",
        "text_start": "I can't provide real-time updates, but you can easily check",
        "stop": S.END_TURN,
        "usage": (14, 50, 0, 0, 0),
    },
    "spec_functions.response.json": {
        "model": "gpt-5.4",
        "calls": [
            (
                "call_unLAR8MvFNptuiZK6K6HCy5k",
                "get_current_weather",
                {"location": "Boston, MA", "unit": "celsius"},
            )
        ],
        "stop": S.TOOL_USE,
        "usage": (291, 23, 0, 0, 0),
    },
    "spec_image_input.response.json": {
        "model": "gpt-5.4",
        "text_start": "The image depicts a scenic landscape",
        "stop": S.END_TURN,
        "usage": (328, 52, 0, 0, 0),
    },
    "spec_reasoning.response.json": {
        "model": "o1-2024-12-17",
        "text_start": "The classic tongue twister...",
        "stop": S.END_TURN,
        "usage": (81, 1035, 0, 0, 832),
    },
    "spec_text_input.response.json": {
        "model": "gpt-5.4",
        "text_start": "In a peaceful grove beneath a silver moon",
        "stop": S.END_TURN,
        "usage": (36, 87, 0, 0, 0),
    },
}

OWN_RESPONSES: dict[str, dict[str, Any]] = {
    "reasoning_tool_call.response.json": {
        "id": "resp_68a1c0ffee0000000000000000000001",
        "model": "o4-mini-2025-04-16",
        "thinking": [
            (
                (
                    "**Checking the forecast**\n\nThe user wants tomorrow's weather in Oslo.\n\n"
                    "I should call get_forecast for one day."
                ),
                "gAAAAABoEncryptedReasoningBlobForTestsOnly==",
            )
        ],
        "text_start": "Let me look up tomorrow's forecast for Oslo.",
        "calls": [("call_forecast_03", "get_forecast", {"city": "Oslo", "days": 1})],
        "stop": S.TOOL_USE,
        "usage": (1250, 310, 1024, 0, 256),
    },
    "incomplete_max_tokens.response.json": {
        "model": "gpt-4.1-mini-2025-04-14",
        "text_start": "Once upon a time, in a quiet village by the sea, there lived",
        "stop": S.MAX_TOKENS,
        "usage": (22, 16, 0, 0, 0),
    },
    "hosted_tools.response.json": {
        "id": "resp_1",
        "model": "m",
        "text_start": "Inflation was 2.1%.",
        "stop": S.END_TURN,
        "usage": None,
    },
    "refusal.response.json": {
        "model": "gpt-4o-2024-08-06",
        "refusal": "I'm sorry, I can't help with that request.",
        "stop": S.END_TURN,
        "usage": (40, 11, 0, 0, 0),
    },
}

SHARED_STREAMS: dict[str, dict[str, Any]] = {
    "spec_streaming.sse": {
        "id": "resp_67c9fdcecf488190bdd9a0409de3a1ec07b8b0ad4e5eb654",
        "model": "gpt-5.4",
        # The reference elides deltas with a literal "..." line; output_text.done fills the gap.
        "text": "Hi there! How can I assist you today?",
        "finish": S.END_TURN,
        "usage": (37, 11, 0, 0, 0),
        "blocks": 1,
    },
}

OWN_STREAMS: dict[str, dict[str, Any]] = {
    "stream_reasoning_text_tool_call.sse": {
        "id": "resp_68a1d00d0000000000000000000000a1",
        "model": "o4-mini-2025-04-16",
        "thinking": "**Planning the lookup**\n\nThe user asks about Oslo; I will call get_forecast.",
        "signatures": ["gAAAAABoStreamEncryptedReasoning=="],
        "text": "I'll check the forecast for Oslo.",
        "calls": [("call_stream_05", "get_forecast", {"city": "Oslo", "days": 2})],
        "finish": S.TOOL_USE,
        "usage": (320, 190, 128, 0, 128),
        "blocks": 3,
    },
    "stream_parallel_tool_calls.sse": {
        "id": "resp_68a1d00d0000000000000000000000b1",
        "model": "gpt-4.1-2025-04-14",
        "calls": [
            ("call_par_paris", "get_weather", {"city": "Paris", "unit": "celsius"}),
            ("call_par_oslo", "get_weather", {"city": "Oslo", "unit": "celsius"}),
        ],
        "finish": S.TOOL_USE,
        "usage": (95, 48, 0, 0, 0),
        "blocks": 2,
    },
    "stream_refusal.sse": {
        "id": "resp_68a1d00d0000000000000000000000c1",
        "model": "gpt-4o-2024-08-06",
        "refusal": "I'm sorry, I can't help with that.",
        "finish": S.END_TURN,
        "usage": (30, 9, 0, 0, 0),
        "blocks": 1,
    },
    "stream_failed.sse": {
        "id": "resp_68a1d00d0000000000000000000000d1",
        "model": "gpt-4.1-mini-2025-04-14",
        "text": "The answer is",
        "errors": [("server_error", "The model failed to generate a response.")],
    },
    "stream_error_event.sse": {
        "id": "resp_68a1d00d0000000000000000000000d1",
        "model": "gpt-4.1-mini-2025-04-14",
        "errors": [("rate_limit_exceeded", "Rate limit reached for requests. Please try again in 2s.")],
    },
}

SHARED_EVENTS: dict[str, list[ir.StreamEvent]] = {
    "spec_event_error.json": [ir.StreamError("Something went wrong", "ERR_SOMETHING")],
    "spec_event_response_failed.json": [
        ir.StreamStart("resp_123", "gpt-4o-mini-2024-07-18"),
        ir.StreamError("The model failed to generate a response.", "server_error"),
    ],
    # The reference's example says reason "max_tokens", which the schema's enum does not have.
    "spec_event_response_incomplete.json": [
        ir.StreamStart("resp_123", "gpt-4o-mini-2024-07-18"),
        ir.StreamFinish(S.MAX_TOKENS),
    ],
    "spec_event_output_item_added.json": [ir.StreamStart()],
    "spec_event_reasoning_summary_text_delta.json": [
        ir.StreamStart(),
        ir.ThinkingDelta(
            '**Responding to a greeting**\n\nThe user just said, "Hello!" So, it seems I need to engage. '
            "I'll greet them back and offer help since they're looking to chat. I could say something like, "
            '"Hello! How can I assist you today?" That feels friendly and open. They didn\'t ask a specific '
            "question, so this approach will work well for starting a conversation. Let's see where it goes "
            "from there!"
        ),
    ],
    # Arguments of a call whose item never arrived: nothing to attach them to, so nothing is made up.
    "spec_event_function_call_arguments_done.json": [],
}
