"""Anthropic adapter properties: round trips keep what the IR models; bad input is a ProtocolError with a path.

The generators produce only what the Anthropic format can say (e.g. thinking with a signature, tool
results first in a user message, input usage at least the cached part), so `to_ir(from_ir(x)) == x`
must hold exactly.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipellm_tui.protocols import Format, ProtocolError, ir
from pipellm_tui.protocols.adapters import adapter_for
from pipellm_tui.protocols.adapters.shared.fitting import merge_turns
from pipellm_tui.protocols.schemas import anthropic as schema
from pipellm_tui.protocols.sse import SSEEvent, encode_sse, parse_sse

A = adapter_for(Format.ANTHROPIC)
PROPERTY = settings(max_examples=100, deadline=None)

text = st.text(min_size=1, max_size=20).filter(lambda s: s.strip() != "")
ident = st.from_regex(r"[A-Za-z0-9_]{1,24}", fullmatch=True)
json_leaf = st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.text(max_size=8)
json_value = st.recursive(
    json_leaf,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
json_object = st.dictionaries(st.text(max_size=6), json_value, max_size=4)
cache = st.none() | st.just({"type": "ephemeral"})

text_part = st.builds(ir.TextPart, text, cache)
image_part = st.builds(ir.ImagePart, url=st.just("https://example.com/a.png")) | st.builds(
    ir.ImagePart,
    data=ident,
    media_type=st.sampled_from(["image/png", "image/jpeg", "image/gif", "image/webp"]),
)
thinking_part = st.builds(ir.ThinkingPart, text, ident) | st.builds(
    lambda sig: ir.ThinkingPart("", sig, redacted=True), ident
)
tool_call = st.builds(ir.ToolCallPart, ident, ident, json_object)
result_content = st.lists(text_part | image_part, max_size=3)


@st.composite
def conversations(draw: st.DrawFn) -> list[ir.Message]:
    messages: list[ir.Message] = []
    for _ in range(draw(st.integers(0, 3))):
        calls = draw(st.lists(tool_call, max_size=2, unique_by=lambda c: c.id))
        assistant = draw(st.lists(text_part | thinking_part, max_size=2)) + calls
        if assistant:
            messages.append(ir.Message("assistant", assistant))
        # Results answer the calls just made (so the name is found) or unknown ids (no name).
        results = [ir.ToolResultPart(c.id, c.name, draw(result_content), draw(st.booleans())) for c in calls]
        results += draw(
            st.lists(
                st.builds(ir.ToolResultPart, st.just("unknown_id"), st.none(), result_content, st.booleans()),
                max_size=1,
            )
        )
        user = results + draw(st.lists(text_part | image_part, min_size=0 if results else 1, max_size=3))
        messages.append(ir.Message("user", user))
    return messages


#: Anthropic takes only object schemas (`input_schema.type: "object"`).
object_schema = json_object.map(lambda schema: {**schema, "type": "object"})
tools = st.lists(
    st.builds(ir.Tool, ident, st.none() | text, object_schema, st.none() | st.booleans()), max_size=3
)
choice = (
    st.none()
    | st.builds(
        ir.ToolChoice,
        st.sampled_from([ir.ToolChoiceMode.AUTO, ir.ToolChoiceMode.REQUIRED, ir.ToolChoiceMode.NONE]),
    )
    | st.builds(ir.ToolChoice, st.just(ir.ToolChoiceMode.TOOL), ident)
)
effort = st.none() | st.sampled_from(["low", "medium", "high", "xhigh", "max"])
thinking = (
    st.none()
    | st.builds(ir.Thinking, st.just(False), st.none(), effort)
    | st.builds(  # enabled with a budget, or adaptive (no budget: the model decides)
        lambda budget, eff, include: ir.Thinking(True, budget, eff, include, adaptive=budget is None),
        st.none() | st.integers(1024, 50_000),
        effort,
        st.none() | st.booleans(),
    )
)
unit = st.floats(0, 1, allow_nan=False)
response_format = st.none() | st.builds(
    ir.ResponseFormat, st.just(ir.ResponseFormatKind.JSON_SCHEMA), json_object
)


@st.composite
def requests(draw: st.DrawFn) -> ir.Request:
    tool_choice = draw(choice)
    parallel = None
    if tool_choice is not None and tool_choice.mode is not ir.ToolChoiceMode.NONE:
        parallel = draw(st.none() | st.booleans())  # Anthropic says it only on a tool_choice
    return ir.Request(
        model=draw(ident),
        system=draw(st.lists(text_part, max_size=3)),
        messages=draw(conversations()),
        tools=draw(tools),
        tool_choice=tool_choice,
        parallel_tool_calls=parallel,
        max_tokens=draw(st.integers(1, 200_000)),
        temperature=draw(st.none() | unit),
        top_p=draw(st.none() | unit),
        top_k=draw(st.none() | st.integers(0, 500)),
        stop=draw(st.lists(text, max_size=3)),
        response_format=draw(response_format),
        thinking=draw(thinking),
        stream=draw(st.booleans()),
        extras_format=Format.ANTHROPIC,  # read from an Anthropic body (as the other formats mark theirs)
    )


@PROPERTY
@given(requests())
def test_request_round_trip(request: ir.Request) -> None:
    body = A.request_from_ir(request, warnings := [])
    assert warnings == []
    schema.Request.model_validate(json.loads(json.dumps(body)))
    # Two user turns in a row (an assistant turn with nothing to say) are written as one.
    request.messages = merge_turns(request.messages)
    assert A.request_to_ir(body, [], None) == request


@st.composite
def usages(draw: st.DrawFn) -> ir.Usage:
    read, write = draw(st.integers(0, 10_000)), draw(st.integers(0, 10_000))
    output = draw(st.integers(0, 10_000))
    return ir.Usage(
        read + write + draw(st.integers(0, 10_000)), output, read, write, draw(st.integers(0, output))
    )


stop_reason = st.sampled_from([r for r in ir.StopReason if r is not ir.StopReason.ERROR])


@st.composite
def responses(draw: st.DrawFn) -> ir.Response:
    parts = draw(
        st.lists(
            text_part
            | tool_call
            | st.builds(ir.ThinkingPart, text, st.none() | ident)
            | st.builds(lambda s: ir.ThinkingPart("", s, redacted=True), ident),
            max_size=4,
        )
    )
    has_calls = any(isinstance(p, ir.ToolCallPart) for p in parts)
    stop = draw(stop_reason if has_calls else st.none() | stop_reason)  # null + tool_use reads as tool_use
    sequence = draw(st.none() | text) if stop is ir.StopReason.STOP_SEQUENCE else None
    return ir.Response(
        id=f"msg_{draw(ident)}",
        model=draw(ident),
        candidates=[ir.Candidate(parts, stop, sequence)],
        usage=draw(usages()),
    )


@PROPERTY
@given(responses())
def test_response_round_trip(response: ir.Response) -> None:
    body = A.response_from_ir(response, warnings := [])
    assert warnings == []
    schema.Response.model_validate(body)
    assert A.response_to_ir(body, []) == response


@st.composite
def streams(draw: st.DrawFn) -> list[ir.StreamEvent]:
    """IR events in the shape the Anthropic decoder produces them."""
    events: list[ir.StreamEvent] = [ir.StreamStart(f"msg_{draw(ident)}", draw(ident), draw(usages()))]
    tools = 0
    for kind in draw(st.lists(st.sampled_from(["text", "thinking", "tool"]), max_size=5)):
        if kind == "text":
            events += [ir.TextDelta(t) for t in draw(st.lists(text, min_size=1, max_size=3))]
        elif kind == "thinking":
            events += [ir.ThinkingDelta(t) for t in draw(st.lists(text, min_size=1, max_size=3))]
            events += [ir.ThinkingDelta("", s) for s in draw(st.lists(ident, max_size=1))]
        else:
            events.append(ir.ToolCallStart(tools, f"toolu_{draw(ident)}", draw(ident)))
            events += [ir.ToolCallDelta(tools, t) for t in draw(st.lists(text, max_size=3))]
            tools += 1
        events.append(ir.BlockStop())
    events.append(ir.StreamFinish(draw(stop_reason), draw(st.none() | text)))
    events.append(ir.StreamUsage(draw(usages())))
    return events


@PROPERTY
@given(streams(), st.integers(1, 64))
def test_stream_round_trip_in_any_chunking(events: list[ir.StreamEvent], chunk: int) -> None:
    encoder = A.stream_encoder()
    wire = [w for e in events for w in encoder.encode(e)] + encoder.close()
    assert encoder.warnings == []
    text = encode_sse(wire)
    from pipellm_tui.protocols.sse import SSEParser

    parser, decoder = SSEParser(), A.stream_decoder()
    pieces = [text[i : i + chunk] for i in range(0, len(text), chunk)]
    sse = [e for piece in pieces for e in parser.feed(piece)] + parser.close()
    decoded = [n for e in sse for n in decoder.feed(e)] + decoder.close()
    assert decoded == events and decoder.warnings == []
    assert len(parse_sse(text)) == len(wire)


# ---------------------------------------------------------------------------- bad input


GOOD: dict[str, Any] = {"model": "m", "max_tokens": 10, "messages": [{"role": "user", "content": "hi"}]}


def _with(**changes: Any) -> dict[str, Any]:
    body = json.loads(json.dumps(GOOD))
    body.update(changes)
    return body


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ([GOOD], ""),
        ("a string", ""),
        (None, ""),
        ({"max_tokens": 10, "messages": []}, "model"),
        ({"model": "m", "messages": []}, "max_tokens"),
        ({"model": "m", "max_tokens": 10}, "messages"),
        (_with(max_tokens="10"), "max_tokens"),
        (_with(max_tokens=True), "max_tokens"),
        (_with(temperature="hot"), "temperature"),
        (_with(messages={"role": "user"}), "messages"),
        (_with(messages=[{"role": "tool", "content": "be nice"}]), "messages[0].role"),
        (_with(messages=[{"role": "user"}]), "messages[0].content"),
        (_with(messages=[{"role": "user", "content": 5}]), "messages[0].content"),
        (_with(messages=[{"role": "user", "content": [{"text": "no type"}]}]), "messages[0].content[0].type"),
        (
            _with(messages=[{"role": "user", "content": [{"type": "text", "text": 3}]}]),
            "messages[0].content[0].text",
        ),
        (
            _with(messages=[{"role": "user", "content": [{"type": "image", "source": {"type": "zip"}}]}]),
            "messages[0].content[0].source.type",
        ),
        (
            _with(
                messages=[
                    {
                        "role": "assistant",
                        "content": [{"type": "tool_use", "id": "t", "name": "f", "input": "{}"}],
                    }
                ]
            ),
            "messages[0].content[0].input",
        ),
        (
            _with(
                messages=[
                    {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t", "content": 3}]}
                ]
            ),
            "messages[0].content[0].content",
        ),
        (_with(system=[{"type": "image"}]), "system[0].type"),
        (_with(tools={"name": "f"}), "tools"),
        (_with(tools=[{"name": "f"}]), "tools[0].input_schema"),
        (_with(tool_choice={"type": "required"}), "tool_choice.type"),
        (_with(tool_choice={"type": "tool"}), "tool_choice.name"),
        (_with(thinking={"type": "enabled"}), "thinking.budget_tokens"),
        (_with(stop_sequences="END"), "stop_sequences"),
        (_with(output_config={"format": {"type": "json_object"}}), "output_config.format.type"),
        # Bodies of the other formats.
        (
            {
                "model": "gpt-4o",
                "messages": [{"role": "system", "content": "x"}, {"role": "user", "content": "y"}],
            },
            "max_tokens",
        ),
        (_with(messages=[{"role": "function", "content": "x"}]), "messages[0].role"),
        ({"contents": [{"role": "user", "parts": [{"text": "hi"}]}]}, "model"),
        ({"model": "gpt-4o", "input": "hi", "max_output_tokens": 5}, "max_tokens"),
    ],
)
def test_bad_requests_name_the_path(body: Any, path: str) -> None:
    with pytest.raises(ProtocolError) as caught:
        A.request_to_ir(body, [], None)
    assert caught.value.path == path


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ([], ""),
        ({"id": "chatcmpl-1", "object": "chat.completion", "choices": []}, "content"),
        ({"candidates": [{"content": {"parts": [{"text": "hi"}]}}]}, "content"),
        ({"type": "response", "output": []}, "type"),
        ({"content": {"type": "text"}}, "content"),
        ({"content": [], "stop_reason": 3}, "stop_reason"),
        ({"content": [], "usage": {"input_tokens": "1"}}, "usage.input_tokens"),
        ({"content": [], "usage": []}, "usage"),
        ({"content": [{"type": "tool_use", "id": 1, "name": "f", "input": {}}]}, "content[0].id"),
    ],
)
def test_bad_responses_name_the_path(body: Any, path: str) -> None:
    with pytest.raises(ProtocolError) as caught:
        A.response_to_ir(body, [])
    assert caught.value.path == path


@settings(max_examples=200, deadline=None)
@given(
    json_value
    | json_object
    | st.fixed_dictionaries(
        {"model": json_value, "max_tokens": json_value, "messages": json_value},
        optional={"system": json_value, "tools": json_value},
    )
)
def test_random_json_gives_protocol_errors_only(body: Any) -> None:
    for read in (lambda: A.request_to_ir(body, [], None), lambda: A.response_to_ir(body, [])):
        try:
            read()
        except ProtocolError:
            pass


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(
                [
                    "message_start",
                    "content_block_start",
                    "content_block_delta",
                    "content_block_stop",
                    "message_delta",
                    "error",
                    None,
                ]
            ),
            json_value
            | st.fixed_dictionaries(
                {
                    "type": st.text(max_size=20),
                    "index": json_value,
                    "delta": json_value,
                    "content_block": json_value,
                    "message": json_value,
                    "usage": json_value,
                }
            ),
        ),
        max_size=8,
    )
)
def test_decoder_never_raises(events: list[tuple[str | None, Any]]) -> None:
    decoder = A.stream_decoder()
    for name, data in events:
        decoder.feed(SSEEvent(json.dumps(data), name))
    decoder.close()
