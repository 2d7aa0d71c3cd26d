"""OpenAI Chat properties: IR -> wire -> IR keeps every field the IR models (requests, responses, streams),
and bad input of any shape gives a ProtocolError with a path, never another exception.

The generators only build what OpenAI Chat can say: no top_k, no cache_control, no signatures, one thinking
part and one refusal per assistant message (the wire has one field for each), tool results only in
their own user message right after the calls (the wire has `tool` messages there), no empty parts.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipellm_tui.protocols import Format, ProtocolError, ir
from pipellm_tui.protocols.adapters import adapter_for
from pipellm_tui.protocols.schemas import openai_chat as schema
from pipellm_tui.protocols.sse import encode_sse, parse_sse

A = adapter_for(Format.OPENAI_CHAT)
SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

text = st.text(max_size=12)
words = st.text(min_size=1, max_size=12)
scalars = st.none() | st.booleans() | st.integers(-(10**9), 10**9) | st.floats(allow_nan=False) | text
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=6,
)
json_objects = st.dictionaries(text, json_values, max_size=3)
arguments = json_objects.filter(lambda d: not (len(d) == 1 and isinstance(d.get("_raw"), str)))
media_types = st.sampled_from(["image/png", "image/jpeg", "image/webp", "image/gif"])
details = st.none() | st.sampled_from(["low", "high", "auto"])
images = st.builds(ir.ImagePart, url=st.builds("https://example.com/{}.png".format, words), detail=details) | (
    st.builds(ir.ImagePart, data=st.from_regex(r"[A-Za-z0-9+/]{4,16}={0,2}", fullmatch=True), media_type=media_types,
              detail=details)
)  # fmt: skip
user_parts = st.lists(st.builds(ir.TextPart, text) | images, min_size=1, max_size=3)


@st.composite
def assistant_message(draw: st.DrawFn, counter: list[int]) -> ir.Message:
    parts: list[ir.Part] = []
    if draw(st.booleans()):
        parts.append(ir.ThinkingPart(draw(words)))
    parts += [ir.TextPart(t) for t in draw(st.lists(words, max_size=2))]
    if draw(st.booleans()):
        parts.append(ir.RefusalPart(draw(words)))
    for _ in range(draw(st.integers(0, 2))):
        counter[0] += 1
        parts.append(ir.ToolCallPart(f"call_{counter[0]}{draw(text)}", draw(words), draw(arguments)))
    if not parts:
        parts.append(ir.TextPart(draw(words)))
    return ir.Message("assistant", parts)


@st.composite
def conversations(draw: st.DrawFn) -> list[ir.Message]:
    counter = [0]
    messages: list[ir.Message] = []
    for _ in range(draw(st.integers(1, 5))):
        if draw(st.booleans()):
            messages.append(ir.Message("user", draw(user_parts)))
            continue
        message = draw(assistant_message(counter))
        messages.append(message)
        calls = [p for p in message.parts if isinstance(p, ir.ToolCallPart)]
        if calls and draw(st.booleans()):
            results: list[ir.Part] = [
                ir.ToolResultPart(
                    c.id, c.name, [ir.TextPart(t) for t in draw(st.lists(text, min_size=1, max_size=2))]
                )
                for c in calls
            ]
            messages.append(ir.Message("user", results))
    return messages


tools = st.lists(
    st.builds(ir.Tool, words, st.none() | text, json_objects, st.none() | st.booleans()), max_size=3
)
efforts = st.sampled_from(["none", "minimal", "low", "medium", "high", "xhigh"])
response_formats = st.none() | st.sampled_from(
    [ir.ResponseFormat(ir.ResponseFormatKind.TEXT), ir.ResponseFormat(ir.ResponseFormatKind.JSON_OBJECT)]
) | st.builds(
    ir.ResponseFormat, st.just(ir.ResponseFormatKind.JSON_SCHEMA), json_objects, words, st.none() | st.booleans()
)  # fmt: skip
extra_keys = st.builds("x_{}".format, words)


@st.composite
def requests(draw: st.DrawFn) -> ir.Request:
    request_tools = draw(tools)
    choice = None
    if request_tools:
        choice = draw(
            st.none()
            | st.builds(ir.ToolChoice, st.sampled_from([ir.ToolChoiceMode.AUTO, ir.ToolChoiceMode.NONE,
                                                        ir.ToolChoiceMode.REQUIRED]))
            | st.builds(ir.ToolChoice, st.just(ir.ToolChoiceMode.TOOL), words)
        )  # fmt: skip
    stream = draw(st.booleans())
    effort = draw(st.none() | efforts)
    return ir.Request(
        model=draw(words),
        system=[ir.TextPart(t) for t in draw(st.lists(text, max_size=2))],
        messages=draw(conversations()),
        tools=request_tools,
        tool_choice=choice,
        parallel_tool_calls=draw(st.none() | st.booleans()) if request_tools else None,
        max_tokens=draw(st.none() | st.integers(1, 10**6)),
        temperature=draw(st.none() | st.floats(0, 2)),
        top_p=draw(st.none() | st.floats(0, 1)),
        stop=draw(st.lists(text, max_size=4)),
        seed=draw(st.none() | st.integers(-(2**31), 2**31)),
        candidate_count=draw(st.none() | st.integers(1, 8)),
        response_format=draw(response_formats),
        thinking=None if effort is None else ir.Thinking(enabled=effort != "none", effort=effort),
        stream=stream,
        stream_include_usage=draw(st.booleans()) if stream else None,
        extras=draw(st.dictionaries(extra_keys, json_values.filter(lambda v: v is not None), max_size=2)),
        extras_format=Format.OPENAI_CHAT,
    )


@SETTINGS
@given(requests())
def test_request_round_trip_keeps_every_field(request: ir.Request) -> None:
    warnings: list[str] = []
    payload = A.request_from_ir(request, warnings)
    assert warnings == []
    schema.Request.model_validate(json.loads(json.dumps(payload)))
    back_warnings: list[str] = []
    assert A.request_to_ir(payload, back_warnings, None) == request
    assert back_warnings == []


usages = st.none() | st.builds(
    lambda i, c, o, r: ir.Usage(i + c, o + r, c, 0, r), *[st.integers(0, 10**6)] * 4
)


@st.composite
def candidates(draw: st.DrawFn) -> ir.Candidate:
    parts = draw(assistant_message([0])).parts
    texts = [p for p in parts if isinstance(p, ir.TextPart)]
    if len(texts) > 1:  # a response's content is one string
        parts = [p for p in parts if not isinstance(p, ir.TextPart) or p is texts[0]]
    has_calls = any(isinstance(p, ir.ToolCallPart) for p in parts)
    reasons = [ir.StopReason.MAX_TOKENS, ir.StopReason.CONTENT_FILTER, ir.StopReason.TOOL_USE]
    stop = draw(st.sampled_from(reasons if has_calls else [*reasons, ir.StopReason.END_TURN]))
    return ir.Candidate(parts, stop)


responses = st.builds(
    ir.Response,
    id=words,
    model=words,
    candidates=st.lists(candidates(), min_size=1, max_size=3),
    usage=usages,
    created=st.integers(0, 2**40),
    extras=st.dictionaries(extra_keys, json_values.filter(lambda v: v is not None), max_size=2),
    extras_format=st.just(Format.OPENAI_CHAT),
)


@SETTINGS
@given(responses)
def test_response_round_trip_keeps_every_field(response: ir.Response) -> None:
    warnings: list[str] = []
    payload = A.response_from_ir(response, warnings)
    assert warnings == []
    schema.Response.model_validate(json.loads(json.dumps(payload)))
    assert A.response_to_ir(payload, []) == response


@st.composite
def streams(draw: st.DrawFn) -> list[ir.StreamEvent]:
    """Events in the order the decoder gives them: a block stop wherever the kind of content changes."""
    events: list[ir.StreamEvent] = [ir.StreamStart(draw(words), draw(words))]
    last = None
    calls = 0
    for kind in draw(st.lists(st.sampled_from(["text", "thinking", "refusal", "call"]), max_size=6)):
        if kind == last and kind != "call":
            continue
        if last is not None:
            events.append(ir.BlockStop())
        if kind == "call":
            events.append(ir.ToolCallStart(calls, draw(words), draw(words)))
            events += [ir.ToolCallDelta(calls, t) for t in draw(st.lists(words, max_size=3))]
            calls += 1
        else:
            delta = {"text": ir.TextDelta, "thinking": ir.ThinkingDelta, "refusal": ir.RefusalDelta}[kind]
            events += [delta(t) for t in draw(st.lists(words, min_size=1, max_size=3))]
        last = kind
    if last is not None:
        events.append(ir.BlockStop())
    reasons = [ir.StopReason.MAX_TOKENS, ir.StopReason.CONTENT_FILTER, ir.StopReason.TOOL_USE]
    events.append(
        ir.StreamFinish(draw(st.sampled_from(reasons if calls else [*reasons, ir.StopReason.END_TURN])))
    )
    usage = draw(usages)
    if usage is not None:
        events.append(ir.StreamUsage(usage))
    return events


@SETTINGS
@given(streams())
def test_stream_round_trip_keeps_every_event(events: list[ir.StreamEvent]) -> None:
    encoder = A.stream_encoder()
    wire = [out for event in events for out in encoder.encode(event)] + encoder.close()
    assert encoder.warnings == []
    decoder = A.stream_decoder()
    decoded = [e for sse in parse_sse(encode_sse(wire)) for e in decoder.feed(sse)] + decoder.close()
    assert decoded == events
    assert decoder.warnings == []


# ---------------------------------------------------------------------------- bad input


def rejects(call: Any, path: str) -> None:
    try:
        call()
    except ProtocolError as exc:
        assert exc.path == path, f"{exc.path!r} != {path!r} ({exc.message})"
    else:
        raise AssertionError(f"accepted; expected a ProtocolError at {path!r}")


def test_bad_requests_name_the_culprit() -> None:
    ok = {"role": "user", "content": "hi"}
    rejects(lambda: A.request_to_ir([ok], [], None), "")  # type: ignore[arg-type]
    rejects(lambda: A.request_to_ir({"messages": [ok]}, [], None), "model")
    rejects(lambda: A.request_to_ir({"model": 4, "messages": [ok]}, [], None), "model")
    rejects(lambda: A.request_to_ir({"model": "m"}, [], None), "messages")
    rejects(lambda: A.request_to_ir({"model": "m", "messages": {"0": ok}}, [], None), "messages")
    rejects(lambda: A.request_to_ir({"model": "m", "messages": [ok, "hi"]}, [], None), "messages[1]")
    rejects(
        lambda: A.request_to_ir({"model": "m", "messages": [{"content": "x"}]}, [], None), "messages[0].role"
    )
    rejects(lambda: A.request_to_ir({"model": "m", "messages": [{"role": "model", "content": "x"}]}, [], None),
            "messages[0].role")  # fmt: skip
    rejects(lambda: A.request_to_ir({"model": "m", "messages": [{"role": "user", "content": 3}]}, [], None),
            "messages[0].content")  # fmt: skip
    rejects(lambda: A.request_to_ir({"model": "m", "messages": [{"role": "tool", "content": "x"}]}, [], None),
            "messages[0].tool_call_id")  # fmt: skip
    call = {"id": "c", "type": "function", "function": {"name": "f", "arguments": {"a": 1}}}
    rejects(lambda: A.request_to_ir({"model": "m", "messages": [{"role": "assistant", "tool_calls": [call]}]}, [],
                                    None), "messages[0].tool_calls[0].function.arguments")  # fmt: skip
    image = {"type": "image_url", "image_url": {"detail": "low"}}
    rejects(lambda: A.request_to_ir({"model": "m", "messages": [{"role": "user", "content": [image]}]}, [], None),
            "messages[0].content[0].image_url.url")  # fmt: skip
    for field, value in [
        ("temperature", "hot"),
        ("max_tokens", 1.5),
        ("stream", "yes"),
        ("stop", [1]),
        ("tools", {}),
        ("tool_choice", "sometimes"),
        ("response_format", {"type": "yaml"}),
    ]:
        path = (
            "stop[0]" if field == "stop" else "response_format.type" if field == "response_format" else field
        )
        body = {"model": "m", "messages": [ok], field: value}
        rejects(lambda body=body: A.request_to_ir(body, [], None), path)  # type: ignore[misc]


def test_bodies_of_other_formats_are_rejected_with_a_path() -> None:
    gemini = {"contents": [{"role": "user", "parts": [{"text": "hi"}]}], "generationConfig": {"topK": 3}}
    rejects(lambda: A.request_to_ir(gemini, [], "gemini-2.0-flash"), "messages")
    anthropic = {
        "model": "claude-x",
        "max_tokens": 100,
        "messages": [
            {"role": "user", "content": "weather?"},
            {"role": "assistant", "content": [{"type": "tool_use", "id": "t", "name": "w", "input": {}}]},
        ],
    }
    rejects(lambda: A.request_to_ir(anthropic, [], None), "messages[1].content[0].type")
    rejects(lambda: A.response_to_ir({"candidates": [], "usageMetadata": {}}, []), "choices")
    rejects(lambda: A.response_to_ir({"type": "message", "content": [], "role": "assistant"}, []), "choices")
    rejects(lambda: A.response_to_ir("[]", []), "")  # type: ignore[arg-type]


keys = st.sampled_from(
    ["model", "messages", "role", "content", "tool_calls", "function", "arguments", "name", "id", "type", "text",
     "image_url", "url", "tool_call_id", "tools", "tool_choice", "stop", "temperature", "response_format",
     "json_schema", "reasoning_effort", "stream_options", "choices", "message", "finish_reason", "usage",
     "index", "refusal", "reasoning_content", "prompt_tokens_details", "cached_tokens"]
)  # fmt: skip
shaped = st.recursive(
    scalars
    | st.sampled_from(["user", "assistant", "tool", "system", "function", "text", "image_url", "stop"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=12,
)


near_requests = st.fixed_dictionaries(
    {"model": st.just("m"), "messages": st.lists(st.dictionaries(keys, shaped, max_size=5), max_size=3)},
    optional={
        k: shaped
        for k in ["tools", "tool_choice", "stop", "temperature", "response_format", "stream_options"]
    },
)
near_responses = st.fixed_dictionaries(
    {"choices": st.lists(st.dictionaries(keys, shaped, max_size=5), max_size=3)}, optional={"usage": shaped}
)


@settings(max_examples=200, deadline=None)
@given(shaped | near_requests | near_responses)
def test_any_json_gives_a_protocol_error_or_an_ir(value: Any) -> None:
    for read in (lambda: A.request_to_ir(value, [], None), lambda: A.response_to_ir(value, [])):
        try:
            read()
        except ProtocolError:
            pass


@settings(max_examples=100, deadline=None)
@given(st.lists(shaped.map(json.dumps) | text, max_size=6))
def test_any_event_data_never_breaks_the_decoder(datas: list[str]) -> None:
    from pipellm_tui.protocols.sse import SSEEvent

    decoder = A.stream_decoder()
    for data in datas:
        decoder.feed(SSEEvent(data))
    decoder.close()
