"""What each real and own Gemini stream fixture must give (split from expectations.py, the
request and response tables): text, thinking, calls, stop, usage, start and error of each stream."""

from __future__ import annotations

from typing import Any

from .expectations import S

SKY = "The sky is blue because of a phenomenon called **Rayleigh scattering**. Here's a breakdown:"
MAX_TOKENS_SKY = (
    "shared",
    SKY,
    "",
    [],
    S.MAX_TOKENS,
    (6, 20, 0, 0),
    ("qNSfaN6BAtWknvgPjZf02AQ", "gemini-2.0-flash"),
    None,
)

#: name -> (origin, text (prefix when it ends with "…"), thinking, calls, stop, usage, start, error)
STREAMS: dict[str, tuple[str, str, str, list[Any], Any, Any, Any, Any]] = {
    "genaijs_stream_basic_short.sse": ("shared", "Cheyenne", "", [], S.END_TURN, None, (None, None), None),
    "genaijs_stream_finish_safety.sse": ("shared", "No", "", [], S.CONTENT_FILTER, None, (None, None), None),
    "genaijs_stream_function_call.sse": (
        "shared",
        "",
        "",
        [("call_0", "getTemperature", {"city": "San Jose"})],
        S.TOOL_USE,
        None,
        (None, None),
        None,
    ),
    "genaijs_stream_prompt_blocked.sse": ("shared", "", "", [], S.CONTENT_FILTER, None, (None, None), None),
    "jsgenai_stream_function_call_turn1.chunks.json": (
        "shared",
        "",
        "",
        [("call_cNSfaL2nLvCez7IPxKGWuAg_0", "customDivide", {"denominator": 2, "numerator": 10})],
        S.TOOL_USE,
        (81, 199, 0, 179),
        ("cNSfaL2nLvCez7IPxKGWuAg", "gemini-2.5-flash"),
        None,
    ),
    "jsgenai_stream_function_response_turn3.chunks.json": (
        "shared",
        "The result is 2.",
        "",
        [],
        S.END_TURN,
        (435, 108, 0, 102),
        ("c9SfaOPLBPbUz7IPtd_K4Ak", "gemini-2.5-flash"),
        None,
    ),
    # The same stream as recorded chunks and as the SSE derived from them.
    "jsgenai_stream_max_tokens.chunks.json": MAX_TOKENS_SKY,
    "jsgenai_stream_max_tokens.derived.sse": MAX_TOKENS_SKY,
    "jsgenai_stream_system_instruction.chunks.json": (
        "shared",
        "low!\n\nThe sky is blue primarily due to a phenomenon called **Rayleigh scattering**.…",
        "",
        [],
        S.END_TURN,
        (20, 513, 0, 260),
        ("tS77aIl-4ZvV7w_A9rTBBg", "gemini-2.5-flash"),
        None,
    ),
    "jsgenai_stream_system_instruction.derived.sse": (
        "shared",
        "low!\n\nThe sky is blue primarily due to a phenomenon called **Rayleigh scattering**.…",
        "",
        [],
        S.END_TURN,
        (20, 513, 0, 260),
        ("tS77aIl-4ZvV7w_A9rTBBg", "gemini-2.5-flash"),
        None,
    ),
    "grounded_code.sse": (
        "own",
        "It is 42.",
        "",
        [],
        S.END_TURN,
        (3, 5, 0, 0),
        ("OwnFixtureGroundedStream1", "gemini-2.5-flash"),
        None,
    ),
    "parallel_tools.sse": (
        "own",
        "Looking up Paris and Tokyo.",
        "Two cities, two calls.",
        [
            ("call_OwnFixtureParallel01_0", "get_weather", {"city": "Paris", "unit": "celsius"}),
            ("call_OwnFixtureParallel01_1", "get_weather", {"city": "Tokyo", "unit": "celsius"}),
        ],
        S.TOOL_USE,
        (52, 67, 0, 31),
        ("OwnFixtureParallel01", "gemini-2.5-flash"),
        None,
    ),
    "thinking_text.sse": (
        "own",
        "Il y a trois « r » dans « strawberry » — ✓",
        "**Counting letters**\n\ns-t-r-a-w-b-e-r-r-y has three r's.",
        [],
        S.MAX_TOKENS,
        (14, 80, 0, 64),
        ("OwnFixtureThinking01", "gemini-2.5-flash"),
        None,
    ),
    "overloaded_midstream.sse": (
        "own",
        "Once upon a",
        "",
        [],
        None,
        (11, 3, 0, 0),
        ("OwnFixtureOverloaded1", "gemini-2.5-flash"),
        ("UNAVAILABLE", 503),
    ),
}
