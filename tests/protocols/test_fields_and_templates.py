"""The settings table (protocols/fields.py) and the starter requests (protocols/templates.py)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipellm_tui.protocols.convert import convert_request
from pipellm_tui.protocols.fields import (
    Param,
    read_model,
    read_param,
    supports,
    without_playground_hints,
    write_model,
    write_param,
)
from pipellm_tui.protocols.formats import Format
from pipellm_tui.protocols.templates import SYSTEM_PROMPT, USER_PROMPT, pretty, starter_request
from pipellm_tui.protocols.validate import first_problem

VALUES: dict[Param, Any] = {
    Param.SYSTEM: "Be brief.",
    Param.MAX_TOKENS: 321,
    Param.TEMPERATURE: 0.25,
    Param.TOP_P: 0.5,
    Param.STOP: ["END", "###"],
    Param.STREAM: False,
}


@pytest.mark.parametrize("fmt", list(Format))
def test_starter_request_is_valid_in_its_format(fmt: Format) -> None:
    body = starter_request(fmt, "gpt-4o")
    wire = {k: v for k, v in body.items() if not (fmt is Format.GEMINI and k == "stream")}
    assert first_problem(fmt, pretty(wire)) is None
    assert read_param(fmt, body, Param.SYSTEM) == SYSTEM_PROMPT
    assert read_param(fmt, body, Param.MAX_TOKENS) == 256
    assert read_param(fmt, body, Param.STREAM) is True
    assert read_model(fmt, body) == (None if fmt is Format.GEMINI else "gpt-4o")
    assert USER_PROMPT in pretty(body)


@pytest.mark.parametrize("fmt", list(Format))
@pytest.mark.parametrize("param", list(Param))
def test_each_setting_round_trips_and_stays_valid(fmt: Format, param: Param) -> None:
    body = starter_request(fmt, "gpt-4o")
    if not supports(fmt, param):
        with pytest.raises(KeyError):
            write_param(fmt, body, param, VALUES[param])
        return
    written = write_param(fmt, body, param, VALUES[param])
    assert read_param(fmt, written, param) == VALUES[param]
    assert body == starter_request(fmt, "gpt-4o")  # the input is not modified
    wire = {k: v for k, v in written.items() if not (fmt is Format.GEMINI and k == "stream")}
    assert first_problem(fmt, pretty(wire)) is None
    # Removing it leaves no trace (and no empty generationConfig behind).
    removed = write_param(fmt, written, param, None)
    assert read_param(fmt, removed, param) is None
    assert {} not in removed.values()


@pytest.mark.parametrize("fmt", list(Format))
def test_settings_read_back_after_a_conversion_into_the_format(fmt: Format) -> None:
    """The table agrees with the adapters: what convert_request writes, the form reads."""
    source = starter_request(Format.OPENAI_CHAT, "gpt-4o")
    for param in (Param.TEMPERATURE, Param.TOP_P, Param.STOP):
        source = write_param(Format.OPENAI_CHAT, source, param, VALUES[param])
    converted = convert_request(source, Format.OPENAI_CHAT, fmt).payload
    assert read_param(fmt, converted, Param.SYSTEM) == SYSTEM_PROMPT
    assert read_param(fmt, converted, Param.MAX_TOKENS) == 256
    assert read_param(fmt, converted, Param.TEMPERATURE) == 0.25
    assert read_param(fmt, converted, Param.TOP_P) == 0.5
    if supports(fmt, Param.STOP):
        assert read_param(fmt, converted, Param.STOP) == ["END", "###"]


def test_openai_chat_keeps_stream_options_with_the_stream() -> None:
    body = starter_request(Format.OPENAI_CHAT)
    assert body["stream_options"] == {"include_usage": True}
    off = write_param(Format.OPENAI_CHAT, body, Param.STREAM, False)
    assert off["stream"] is False and "stream_options" not in off
    on = write_param(Format.OPENAI_CHAT, off, Param.STREAM, True)
    assert on["stream_options"] == {"include_usage": True}


def test_aliases_are_read_and_updated_in_place() -> None:
    body = {"model": "gpt-4o", "messages": [], "max_completion_tokens": 10, "stop": "END"}
    assert read_param(Format.OPENAI_CHAT, body, Param.MAX_TOKENS) == 10
    assert read_param(Format.OPENAI_CHAT, body, Param.STOP) == ["END"]
    updated = write_param(Format.OPENAI_CHAT, body, Param.MAX_TOKENS, 20)
    assert updated["max_completion_tokens"] == 20 and "max_tokens" not in updated
    snake = {
        "contents": [],
        "generation_config": {"max_output_tokens": 5},
        "system_instruction": {"parts": [{"text": "x"}]},
    }
    assert read_param(Format.GEMINI, snake, Param.MAX_TOKENS) == 5
    assert read_param(Format.GEMINI, snake, Param.SYSTEM) == "x"
    rewritten = write_param(Format.GEMINI, snake, Param.SYSTEM, "y")
    assert (
        rewritten["system_instruction"] == {"parts": [{"text": "y"}]} and "systemInstruction" not in rewritten
    )


def test_system_prompt_in_openai_chat_is_the_first_system_or_developer_message() -> None:
    body = {
        "messages": [
            {"role": "developer", "content": [{"type": "text", "text": "a"}]},
            {"role": "user", "content": "q"},
        ]
    }
    assert read_param(Format.OPENAI_CHAT, body, Param.SYSTEM) == "a"
    replaced = write_param(Format.OPENAI_CHAT, body, Param.SYSTEM, "b")
    assert replaced["messages"][0] == {"role": "developer", "content": "b"}
    removed = write_param(Format.OPENAI_CHAT, replaced, Param.SYSTEM, "")
    assert removed["messages"] == [{"role": "user", "content": "q"}]
    added = write_param(Format.OPENAI_CHAT, removed, Param.SYSTEM, "c")
    assert added["messages"][0] == {"role": "system", "content": "c"}


def test_write_model_puts_the_model_first_and_leaves_gemini_alone() -> None:
    body = {"messages": [], "model": "old"}
    assert list(write_model(Format.ANTHROPIC, body, "new")) == ["model", "messages"]
    gemini = {"contents": []}
    assert write_model(Format.GEMINI, gemini, "gemini-2.5-pro") == gemini


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(list(Format)),
    st.sampled_from(list(Param)),
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=5),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
        max_leaves=10,
    ),
)
def test_reading_any_json_never_raises(fmt: Format, param: Param, junk: Any) -> None:
    body = {
        "messages": junk,
        "system": junk,
        "generationConfig": junk,
        "systemInstruction": junk,
        "stop": junk,
    }
    read_param(fmt, body, param)
    read_model(fmt, {"model": junk})


def test_a_gemini_body_loses_its_playground_hints_and_others_keep_theirs() -> None:
    gemini = {"model": "gemini-2.5-flash", "stream": True, "contents": [{"parts": [{"text": "hi"}]}]}
    assert without_playground_hints(Format.GEMINI, gemini) == {"contents": [{"parts": [{"text": "hi"}]}]}
    assert gemini["stream"] is True  # the editor's body is not touched
    chat = {"model": "gpt-4o", "stream": True, "messages": []}
    assert without_playground_hints(Format.OPENAI_CHAT, chat) == chat
