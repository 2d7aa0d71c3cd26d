"""The deterministic generator on its own: seed, limits, tools, usage, and its events vs its response."""

from __future__ import annotations

import math
import random

import jsonschema
from hypothesis import given, settings
from hypothesis import strategies as st

from pipellm_tui.protocols import ir
from pipellm_tui.protocols.assemble import ResponseAssembler
from pipellm_tui.sandbox.generator import generate
from pipellm_tui.sandbox.tool_arguments import fill_schema

WEATHER = ir.Tool(
    "get_weather",
    "Weather for a city",
    {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
)
CLOCK = ir.Tool("get_time", "Time in a zone", {"type": "object", "properties": {"zone": {"type": "string"}}})


def request(*texts: str, model: str = "gpt-4o", **settings_: object) -> ir.Request:
    messages = [
        ir.Message("user" if i % 2 == 0 else "assistant", [ir.TextPart(t)]) for i, t in enumerate(texts)
    ]
    return ir.Request(model=model, system=[ir.TextPart("Be brief.")], messages=messages, **settings_)  # type: ignore[arg-type]


def test_same_request_same_answer_and_whitespace_does_not_matter() -> None:
    a = generate(request("Why is the sky blue?"))
    b = generate(request("Why is\n the sky   blue?"))
    assert a.text == b.text and a.usage == b.usage and a.id == b.id
    split = ir.Request(
        model="gpt-4o",
        system=[ir.TextPart("Be"), ir.TextPart("brief.")],
        messages=[ir.Message("user", [ir.TextPart("Why is the sky"), ir.TextPart("blue?")])],
    )
    assert generate(split).text == a.text


def test_model_and_content_change_the_answer() -> None:
    base = generate(request("Why is the sky blue?")).text
    assert generate(request("Why is the sky blue?", model="claude-sonnet-4-20250514")).text != base
    assert generate(request("Why is the grass green?")).text != base


def test_answer_is_a_few_english_sentences_as_tokens() -> None:
    answer = generate(request("Tell me about rivers."))
    assert "".join(answer.chunks) == answer.text
    assert 2 <= answer.text.count(".") <= 4
    assert answer.text[0].isupper() and answer.text.endswith(".")
    assert answer.stop_reason is ir.StopReason.END_TURN
    assert answer.usage.output_tokens == len(answer.chunks)


def test_usage_counts_the_request_text() -> None:
    text = "Why is the sky blue? " * 10
    answer = generate(request(text))
    squeezed = len("Bebrief.") + len("".join(text.split()))
    assert answer.usage.input_tokens == math.ceil(squeezed / 4)


def test_max_tokens_stops_early() -> None:
    full = generate(request("hello"))
    cut = generate(request("hello", max_tokens=3))
    assert cut.stop_reason is ir.StopReason.MAX_TOKENS
    assert cut.chunks == full.chunks[:3]
    assert cut.usage.output_tokens == 3
    assert generate(request("hello", max_tokens=0)).text == ""


def test_stop_sequence_cuts_before_the_earliest_match() -> None:
    full = generate(request("hello")).text
    words = full.split()
    first, later = words[2], words[5]
    cut = generate(request("hello", stop=[later, first]))
    assert cut.text == full[: full.index(first)]
    assert cut.stop_reason is ir.StopReason.STOP_SEQUENCE
    assert cut.stop_sequence == first
    assert cut.usage.output_tokens == len(cut.chunks)
    missing = generate(request("hello", stop=["zebra crossing"]))
    assert missing.text == full and missing.stop_reason is ir.StopReason.END_TURN


def test_max_tokens_wins_over_a_later_stop_sequence() -> None:
    full = generate(request("hello")).text
    late = full.split()[-1].strip(".")
    answer = generate(request("hello", stop=[late], max_tokens=2))
    assert answer.stop_reason is ir.StopReason.MAX_TOKENS


def test_forced_token_count_by_marker_and_argument() -> None:
    assert len(generate(request("write [[tokens:250]]")).chunks) == 250
    assert generate(request("write"), forced_tokens=1000).usage.output_tokens == 1000
    assert generate(request("write [[tokens:250]]", max_tokens=10)).usage.output_tokens == 10


def test_tool_choice_rules() -> None:
    def call_of(text: str, mode: ir.ToolChoiceMode | None, name: str | None = None) -> str | None:
        choice = ir.ToolChoice(mode, name) if mode else None
        answer = generate(request(text, tools=[WEATHER, CLOCK], tool_choice=choice))
        assert (answer.tool_call is not None) == (answer.stop_reason is ir.StopReason.TOOL_USE)
        return answer.tool_call.name if answer.tool_call else None

    assert call_of("What is up?", ir.ToolChoiceMode.REQUIRED) in {"get_weather", "get_time"}
    assert call_of("What is up?", ir.ToolChoiceMode.TOOL, "get_time") == "get_time"
    assert call_of("What is up?", None) is None  # AUTO and nothing mentions a tool
    assert call_of("Use a tool please", ir.ToolChoiceMode.AUTO) in {"get_weather", "get_time"}
    assert call_of("call get_time for Paris", None) == "get_time"
    assert call_of("Use the get_weather tool", ir.ToolChoiceMode.NONE) is None


def test_tool_call_events_and_usage() -> None:
    answer = generate(
        request("weather?", tools=[WEATHER], tool_choice=ir.ToolChoice(ir.ToolChoiceMode.REQUIRED))
    )
    call = answer.tool_call
    assert call is not None and call.id.startswith("call_")
    jsonschema.validate(call.arguments, WEATHER.parameters)
    events = answer.events()
    assert isinstance(events[1], ir.ToolCallStart) and events[1].name == "get_weather"
    raw = "".join(e.arguments for e in events if isinstance(e, ir.ToolCallDelta))
    assert answer.usage.output_tokens == math.ceil(len(raw) / 4)


def test_after_a_tool_result_the_answer_quotes_it() -> None:
    call = ir.ToolCallPart("call_1", "get_weather", {"city": "Paris"})
    conversation = ir.Request(
        model="gpt-4o",
        messages=[
            ir.Message("user", [ir.TextPart("Use the weather tool for Paris")]),
            ir.Message("assistant", [call]),
            ir.Message("user", [ir.ToolResultPart("call_1", None, [ir.TextPart("Sunny, 21 C")])]),
        ],
        tools=[WEATHER],
    )
    answer = generate(conversation)
    assert answer.tool_call is None
    assert answer.text.startswith('The get_weather tool returned "Sunny, 21 C".')


def test_events_assemble_into_the_same_response() -> None:
    for req in (
        request("hello"),
        request("hello", max_tokens=4),
        request("weather", tools=[WEATHER], tool_choice=ir.ToolChoice(ir.ToolChoiceMode.REQUIRED)),
    ):
        answer = generate(req)
        assembled = ResponseAssembler().add_all(answer.events()).response()
        direct = answer.response()
        assert assembled.text == direct.text
        assert assembled.stop_reason == direct.stop_reason
        assert assembled.usage == direct.usage
        assert [type(p) for p in assembled.parts] == [type(p) for p in direct.parts]
        if answer.tool_call:
            assert assembled.parts[0].arguments == direct.parts[0].arguments  # type: ignore[union-attr]


# ---------------------------------------------------------------------------- schema filling

scalar_schemas = st.one_of(
    st.just({"type": "string"}),
    st.builds(lambda n: {"type": "string", "minLength": n}, st.integers(0, 20)),
    st.builds(lambda n: {"type": "string", "maxLength": n}, st.integers(0, 5)),
    st.sampled_from([{"type": "string", "format": f} for f in ("date", "date-time", "email", "uri", "uuid")]),
    st.builds(
        lambda lo, hi: {"type": "integer", "minimum": lo, "maximum": lo + hi},
        st.integers(-50, 50),
        st.integers(0, 9),
    ),
    st.builds(lambda lo: {"type": "integer", "exclusiveMinimum": lo}, st.integers(-5, 5)),
    st.builds(lambda hi: {"type": "number", "exclusiveMaximum": hi}, st.floats(-5, 5)),
    st.builds(lambda lo: {"type": "number", "minimum": lo}, st.floats(-1e6, 1e6)),
    st.just({"type": "boolean"}),
    st.just({"type": "null"}),
    st.builds(lambda e: {"enum": e}, st.lists(st.text(max_size=5) | st.integers(), min_size=1, max_size=4)),
    st.builds(lambda c: {"const": c}, st.text(max_size=5)),
    st.just({"type": ["string", "null"]}),
    st.just({}),
)
schemas = st.recursive(
    scalar_schemas,
    lambda inner: st.one_of(
        st.builds(
            lambda props, required: {
                "type": "object",
                "properties": props,
                "required": [k for k in props if required],
            },
            st.dictionaries(st.from_regex(r"[a-z]{1,6}", fullmatch=True), inner, max_size=4),
            st.booleans(),
        ),
        st.builds(
            lambda items, n: {"type": "array", "items": items, "minItems": n}, inner, st.integers(0, 3)
        ),
        st.builds(lambda a, b: {"anyOf": [a, b]}, inner, inner),
        # oneOf only where the branches cannot overlap: the generator takes the first non-null branch.
        st.builds(lambda a: {"oneOf": [{"type": "null"}, {"type": "array", "items": a}]}, inner),
    ),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(schema=schemas, seed=st.integers(0, 2**32))
def test_filled_arguments_validate_against_their_schema(schema: dict, seed: int) -> None:
    value = fill_schema(schema, random.Random(seed))
    jsonschema.validate(value, schema)


def test_gemini_style_uppercase_types_are_filled_by_type() -> None:
    schema = {"type": "OBJECT", "properties": {"n": {"type": "INTEGER"}, "ok": {"type": "BOOLEAN"}}}
    value = fill_schema(schema, random.Random(1))
    assert isinstance(value["n"], int) and value["ok"] is True


def test_thinking_is_signed_counted_and_assembles() -> None:
    req = request("Why is the sky blue?", thinking=ir.Thinking(budget_tokens=1024))
    answer = generate(req)
    plain = generate(request("Why is the sky blue?"))
    assert answer.text == plain.text
    assert (
        "".join(answer.thinking)
        == 'The question is about "Why is the sky blue?". A short answer in plain sentences will do.'
    )
    assert answer.usage.reasoning_tokens == len(answer.thinking) == 17
    assert answer.usage.output_tokens == plain.usage.output_tokens + 17
    assembled = ResponseAssembler().add_all(answer.events()).response()
    thinking = assembled.parts[0]
    assert isinstance(thinking, ir.ThinkingPart) and thinking.signature == answer.signature
    assert assembled.text == plain.text
    hidden = generate(request("Why?", thinking=ir.Thinking(include_thoughts=False)))
    assert hidden.thinking == [] and hidden.usage.reasoning_tokens == 0
