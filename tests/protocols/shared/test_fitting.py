"""shared/fitting: every name and id made to fit matches the target's documented rule, the same input
gives the same output, and a name that already fits is left alone (issue 12)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from pipellm_tui.protocols import ir
from pipellm_tui.protocols.adapters.shared import fitting

#: The rules, from the API references (OpenAI function names, Anthropic tool names and ids,
#: google-genai FunctionDeclaration.name).
RULES = {
    fitting.openai_tool_name: re.compile(r"[a-zA-Z0-9_-]{1,64}\Z"),
    fitting.anthropic_tool_name: re.compile(r"[a-zA-Z0-9_-]{1,128}\Z"),
    fitting.gemini_tool_name: re.compile(r"[a-zA-Z_][a-zA-Z0-9_.:-]{0,127}\Z"),
}
names = st.text(min_size=1, max_size=200) | st.from_regex(r"[a-zA-Z0-9_.:-]{1,150}", fullmatch=True)


@settings(max_examples=200, deadline=None)
@given(names)
def test_every_fitted_name_matches_its_target_rule(name: str) -> None:
    for fit, rule in RULES.items():
        fitted = fit(name)
        assert rule.match(fitted), (fit.__name__, name, fitted)
        assert fit(name) == fitted
        if rule.match(name):
            assert fitted == name


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=80))
def test_every_fitted_id_is_one_anthropic_takes(call_id: str) -> None:
    warnings: list[str] = []
    fitted = fitting.anthropic_tool_id(call_id, warnings)
    assert re.fullmatch(r"[a-zA-Z0-9_-]+", fitted)
    assert fitted == fitting.anthropic_tool_id(call_id, [])
    assert (fitted == call_id) is (warnings == [])


def test_distinct_long_names_stay_distinct() -> None:
    prefix = "mcp__server__" + "x" * 60
    fitted = {fitting.openai_tool_name(f"{prefix}{n}") for n in range(200)}
    assert len(fitted) == 200


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.sampled_from(["user", "assistant"]), max_size=8),
    st.lists(st.sampled_from(["", "a"]), max_size=8),
)
def test_without_empty_text_leaves_no_empty_text_and_keeps_the_rest(
    roles: list[str], texts: list[str]
) -> None:
    messages = [ir.Message(role, [ir.TextPart(text)]) for role, text in zip(roles, texts, strict=False)]
    kept = fitting.without_empty_text(messages, "X", [])
    if any(t for t in texts[: len(roles)]):
        assert all(p.text for m in kept for p in m.parts if type(p) is ir.TextPart)
    assert [p.text for m in kept for p in m.parts if type(p) is ir.TextPart and p.text] == [
        p.text for m in messages for p in m.parts if type(p) is ir.TextPart and p.text
    ]
