"""What each real and own Gemini fixture must give: the expectation tables of `test_gemini.py`.

Values are read off the fixtures by hand (and, for the real ones, match what the recorded API said);
synthetic tool-call ids follow the adapter's rule: `call_<turn>_<n>` in requests,
`call_<responseId>_<n>` in responses and streams, `call_<n>` when there is no responseId.
"""

from __future__ import annotations

from typing import Any

from pipellm_tui.protocols import ir

S = ir.StopReason
M = ir.ToolChoiceMode
Q = "Which theaters in Mountain View show Barbie movie?"
MOVIES = ["find_movies", "find_theaters", "get_showtimes"]
DIVIDE = "Divide 10 by 2 using the customDivide function, then divide the result by 2 again, then tell me the result"

# ---------------------------------------------------------------------------- expectations

#: name -> (origin, expected conversation facts (subset), expected request attributes)
REQUESTS: dict[str, tuple[str, dict[str, Any], dict[str, Any]]] = {
    "cookbook_function_call.request.json": (
        "shared",
        {"texts": [("user", Q)], "calls": [], "tools": MOVIES},
        {},
    ),
    "cookbook_function_response_legacy_role.request.json": (
        "shared",
        {
            "texts": [("user", Q), ("assistant", ""), ("user", "")],
            "calls": [
                ("call_1_0", "find_theaters", {"location": "Mountain View, CA", "movie": "Barbie"}, False)
            ],
            "results": [
                (
                    "call_1_0",
                    "find_theaters",
                    {
                        "name": "find_theaters",
                        "content": {
                            "movie": "Barbie",
                            "theaters": [
                                {
                                    "name": "AMC Mountain View 16",
                                    "address": "2000 W El Camino Real, Mountain View, CA 94040",
                                },
                                {
                                    "name": "Regal Edwards 14",
                                    "address": "245 Castro St, Mountain View, CA 94040",
                                },
                            ],
                        },
                    },
                    False,
                )
            ],
            "tools": MOVIES,
        },
        {},
    ),
    "cookbook_text.request.json": (
        "shared",
        {"texts": [("user", "Give me python code to sort a list.")]},
        {},
    ),
    "jsgenai_chat_history.request.json": (
        "shared",
        {"texts": [("user", "a=5"), ("user", "b=10"), ("user", "what is the value of a+b?")]},
        {},
    ),
    "jsgenai_error_404_stream.request.json": ("shared", {"texts": [("user", "why is the sky blue?")]}, {}),
    "jsgenai_function_call_any_mode.request.json": (
        "shared",
        {
            "texts": [("user", "put word: hello and word: world into a string")],
            "tools": ["concatStringFunction"],
        },
        {"tool_choice": ir.ToolChoice(M.TOOL, "concatStringFunction")},
    ),
    "jsgenai_max_tokens_thinking_budget.request.json": (
        "shared",
        {"texts": [("user", "why is the sky blue?")]},
        {"candidate_count": 1, "max_tokens": 200, "thinking": ir.Thinking(True, 50)},
    ),
    "jsgenai_stream_function_call_turn1.request.json": (
        "shared",
        {"texts": [("user", DIVIDE)], "tools": ["customDivide"]},
        {"tool_choice": ir.ToolChoice(M.AUTO)},
    ),
    "jsgenai_stream_function_response_turn3.request.json": (
        "shared",
        {
            "calls": [
                ("call_1_0", "customDivide", {"denominator": 2, "numerator": 10}, True),
                ("call_3_0", "customDivide", {"denominator": 2, "numerator": 42}, True),
            ],
            "results": [("call_1_0", "customDivide", 42, False), ("call_3_0", "customDivide", 2, False)],
        },
        {"tool_choice": ir.ToolChoice(M.AUTO)},
    ),
    "jsgenai_stream_max_tokens.request.json": ("shared", {}, {"max_tokens": 20, "temperature": 0.5}),
    "jsgenai_stream_system_instruction.request.json": (
        "shared",
        {
            "system": ["I say high you say low, and then tell me why is the sky blue."],
            "texts": [("user", "high")],
        },
        {"candidate_count": 1},
    ),
    "jsgenai_thought_part.request.json": (
        "shared",
        {},
        {"candidate_count": 1, "max_tokens": 20, "thinking": ir.Thinking(True, include_thoughts=True)},
    ),
    "multi_turn_tools.request.json": (
        "own",
        {
            "system": ["You are a travel assistant.", "Answer in one short paragraph."],
            "texts": [
                ("user", "Where was this photo taken, and what is the weather there now?"),
                ("assistant", "That is Paris. Let me check."),
                ("user", ""),
                ("assistant", "It is 18 °C and cloudy in Paris; I could not get the local time."),
                ("user", "And this one?"),
            ],
            "calls": [
                ("call_1_0", "get_weather", {"city": "Paris", "unit": "celsius"}, True),
                ("call_1_1", "get_local_time", {"city": "Paris"}, False),
            ],
            "results": [
                ("call_1_0", "get_weather", {"temperature": 18, "sky": "cloudy"}, False),
                ("call_1_1", "get_local_time", "time service unavailable", True),
            ],
            "images": [(None, True, "image/png"), ("gs://own-fixtures/colosseum.jpg", False, "image/jpeg")],
            "thinking": [("The photo shows the ", True)],
            "tools": ["get_weather", "get_local_time"],
        },
        {
            "tool_choice": ir.ToolChoice(M.TOOL, "get_weather"),
            "max_tokens": 1024,
            "temperature": 0.7,
            "top_p": 0.95,
            "top_k": 40,
            "stop": ["END"],
            "seed": 7,
            "candidate_count": 1,
            "thinking": ir.Thinking(True, 1024, include_thoughts=True),
            "response_format": ir.ResponseFormat(
                ir.ResponseFormatKind.JSON_SCHEMA,
                {"type": "object", "properties": {"answer": {"type": "string"}}, "required": ["answer"]},
            ),
            "extras": {
                "tools.googleSearch": {},
                "generationConfig.presencePenalty": 0.2,
                "safetySettings": [{"category": "HARM_CATEGORY_HATE_SPEECH", "threshold": "BLOCK_ONLY_HIGH"}],
                "cachedContent": "cachedContents/own-fixture-cache",
            },
        },
    ),
    "snake_case_legacy.request.json": (
        "own",
        {
            "system": ["Be brief."],
            "texts": [
                ("user", "Describe the picture, then find theaters showing Barbie nearby."),
                ("assistant", ""),
                ("user", ""),
                ("assistant", "A sunny street. Barbie plays at AMC Mountain View 16 and Regal Edwards 14."),
                ("user", "Thanks. Reply as JSON next time."),
            ],
            "calls": [
                ("call_1_0", "find_theaters", {"location": "Mountain View, CA", "movie": "Barbie"}, False)
            ],
            "results": [("call_1_0", "find_theaters", ["AMC Mountain View 16", "Regal Edwards 14"], False)],
            "images": [(None, True, "image/jpeg")],
            "tools": ["find_theaters"],
        },
        {
            "tool_choice": ir.ToolChoice(M.NONE),
            "max_tokens": 256,
            "stop": ["STOP", "END"],
            "top_k": 20,
            "thinking": ir.Thinking(enabled=False),
            "response_format": ir.ResponseFormat(
                ir.ResponseFormatKind.JSON_SCHEMA,
                {
                    "type": "object",
                    "properties": {"theaters": {"type": "array", "items": {"type": "string"}}},
                },
            ),
        },
    ),
}

COOKBOOK_TEXT = (
    "```python\n# Example list to be sorted\nmy_list = [5, 3, 1, 2, 4]\n\n# Sort the list in ascending order using"
    " the sort() method\nmy_list.sort()\n\n# Print the sorted list\nprint(my_list)\n```\n\nOutput:\n\n```\n[1, 2, 3, 4, 5]\n```"
)

LEGACY_ANSWER = (
    "OK. I found two theaters in Mountain View that are showing the Barbie movie: AMC Mountain View 16 and"
    " Regal Edwards 14."
)

#: name -> (origin, text (exact, or prefix when it ends with "…"), calls, stop, usage, thinking prefix)
RESPONSES: dict[str, tuple[str, str, list[Any], ir.StopReason, Any, str]] = {
    "cookbook_function_call.response.json": (
        "shared",
        "",
        [("call_0", "find_theaters", {"movie": "Barbie", "location": "Mountain View, CA"})],
        S.TOOL_USE,
        None,
        "",
    ),
    "cookbook_function_response_legacy_role.response.json": (
        "shared",
        LEGACY_ANSWER,
        [],
        S.END_TURN,
        None,
        "",
    ),
    "cookbook_text.response.json": ("shared", COOKBOOK_TEXT, [], S.END_TURN, (9, 87, 0, 0), ""),
    "genaijs_response_basic_short.json": ("shared", "Helena", [], S.END_TURN, None, ""),
    "genaijs_response_prompt_blocked.json": ("shared", "", [], S.CONTENT_FILTER, None, ""),
    "jsgenai_chat_history.response.json": (
        "shared",
        "a + b = 5 + 10 = 15\n",
        [],
        S.END_TURN,
        (16, 15, 0, 0),
        "",
    ),
    "jsgenai_function_call_any_mode.response.json": (
        "shared",
        "",
        [
            (
                "call_eC77aJKnKYam1e8PyLWRiQw_0",
                "concatStringFunction",
                {"firstString": "hello", "secondString": "world"},
            )
        ],
        S.TOOL_USE,
        (65, 91, 0, 69),
        "",
    ),
    "jsgenai_max_tokens_thinking_budget.response.json": (
        "shared",
        "The sky is blue because of something called **Rayleigh Scattering**.…",
        [],
        S.MAX_TOKENS,
        (7, 197, 0, 48),
        "",
    ),
    "jsgenai_thought_part.response.json": (
        "shared",
        "",
        [],
        S.MAX_TOKENS,
        (17, 19, 0, 19),
        "**Breaking Down the Sum of Natural Numbers**",
    ),
    "thinking_tool_use.response.json": (
        "own",
        "Checking both cities now.",
        [
            ("call_OwnFixtureThinkTools01_0", "get_weather", {"city": "Paris"}),
            ("call_OwnFixtureThinkTools01_1", "get_weather", {"city": "Tokyo"}),
        ],
        S.TOOL_USE,
        (1200, 128, 1024, 88),
        "**Planning the lookup**",
    ),
    "grounded_code.response.json": ("own", "Météo à Paris: 21 °C.", [], S.END_TURN, (9, 14, 0, 0), ""),
    "two_candidates_recitation.response.json": (
        "own",
        "Roses are red,\nviolets are blue.",
        [],
        S.END_TURN,
        (9, 17, 0, 0),
        "",
    ),
}

ERROR_BODIES = ["genaijs_error_400_invalid_argument.json", "jsgenai_error_404_stream.response.json"]
