"""hypothesis strategies for neutral-form values that OpenAI Responses can say exactly.

Limits, each because the wire cannot tell the difference: user and assistant messages alternate
(consecutive assistant items merge into one turn); a user message holds its tool results first (a
message item right after function_call_output items joins that turn); tool results carry text or
images, at least one part, and the name of the call they answer; tools always have a parameters
object and a strict flag (Responses makes an unmarked tool strict); a schema format has a name;
thinking has an effort or asks for a summary; no top_k, stop, seed or candidate count.
"""

from __future__ import annotations

import string
from typing import Any

from hypothesis import strategies as st

from pipellm_tui.protocols import Format, ir

FORMAT = Format.OPENAI_RESPONSES

texts = st.text(max_size=30)
names = st.text(string.ascii_letters + string.digits + "_-", min_size=1, max_size=12)
ids = names.map(lambda s: f"call_{s}")

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False, allow_infinity=False)
    | texts
)
json_values: st.SearchStrategy[Any] = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=8,
)
# "_raw" is the placeholder for unparseable argument text: a real object never uses the key.
arguments = st.dictionaries(texts.filter(lambda k: k != "_raw"), json_values, max_size=4)
schemas = st.fixed_dictionaries(
    {"type": st.just("object"), "properties": st.dictionaries(names, st.just({"type": "string"}), max_size=3)}
)


@st.composite
def images(draw: st.DrawFn) -> ir.ImagePart:
    detail = draw(st.none() | st.sampled_from(["low", "high", "auto"]))
    if draw(st.booleans()):
        return ir.ImagePart(url=f"https://example.com/{draw(names)}.png", detail=detail)
    data = draw(st.text(string.ascii_letters + string.digits + "+/=", min_size=1, max_size=40))
    return ir.ImagePart(
        data=data, media_type=draw(st.sampled_from(["image/png", "image/jpeg"])), detail=detail
    )


user_content = st.one_of(texts.map(ir.TextPart), images())
assistant_parts = st.one_of(
    texts.map(ir.TextPart),
    texts.map(ir.RefusalPart),
    st.builds(ir.ToolCallPart, ids, names, arguments),
    st.builds(ir.ThinkingPart, texts, st.none() | texts),
)


@st.composite
def conversations(draw: st.DrawFn) -> list[ir.Message]:
    messages: list[ir.Message] = []
    calls: list[ir.ToolCallPart] = []
    for turn in range(draw(st.integers(1, 6))):
        if turn % 2:
            parts: list[ir.Part] = draw(st.lists(assistant_parts, min_size=1, max_size=4))
            calls = [p for p in parts if isinstance(p, ir.ToolCallPart)]
            for number, call in enumerate(calls):  # call ids are unique in a conversation
                call.id = f"{call.id}_{turn}_{number}"
            messages.append(ir.Message("assistant", parts))
            continue
        answered = draw(st.lists(st.sampled_from(calls), max_size=3)) if calls else []
        results: list[ir.Part] = [
            ir.ToolResultPart(call.id, call.name, draw(st.lists(user_content, min_size=1, max_size=2)))
            for call in answered
        ]
        content: list[ir.Part] = draw(st.lists(user_content, min_size=0 if results else 1, max_size=3))
        messages.append(ir.Message("user", results + content))
    return messages


tools = st.builds(ir.Tool, names, st.none() | texts, schemas, st.booleans())
tool_choices = (
    st.none()
    | st.builds(
        ir.ToolChoice,
        st.sampled_from([ir.ToolChoiceMode.AUTO, ir.ToolChoiceMode.NONE, ir.ToolChoiceMode.REQUIRED]),
    )
    | st.builds(ir.ToolChoice, st.just(ir.ToolChoiceMode.TOOL), names)
)
response_formats = (
    st.none()
    | st.builds(
        ir.ResponseFormat, st.sampled_from([ir.ResponseFormatKind.TEXT, ir.ResponseFormatKind.JSON_OBJECT])
    )
    | st.builds(
        ir.ResponseFormat,
        st.just(ir.ResponseFormatKind.JSON_SCHEMA),
        schemas,
        names,
        st.none() | st.booleans(),
    )
)


@st.composite
def thinkings(draw: st.DrawFn) -> ir.Thinking | None:
    effort = draw(st.none() | st.sampled_from(["none", "minimal", "low", "medium", "high"]))
    summary = draw(st.none() | st.just(True)) if effort is not None else True
    if draw(st.booleans()):
        return None
    return ir.Thinking(enabled=effort != "none", effort=effort, include_thoughts=summary)


numbers = st.floats(0, 2, allow_nan=False)
#: Settings the IR does not model, with values the API accepts (they pass through to Responses).
request_extras = st.fixed_dictionaries(
    {},
    optional={
        "store": st.booleans(),
        "user": names,
        "service_tier": st.sampled_from(["auto", "default", "flex"]),
        "max_tool_calls": st.integers(1, 20),
        "metadata": st.dictionaries(names, names, max_size=2),
        "text.verbosity": st.sampled_from(["low", "medium", "high"]),
    },
)


@st.composite
def requests(draw: st.DrawFn) -> ir.Request:
    return ir.Request(
        model=draw(st.none() | names),
        system=draw(st.lists(texts.map(ir.TextPart), max_size=2)),
        messages=draw(conversations()),
        tools=draw(st.lists(tools, max_size=3)),
        tool_choice=draw(tool_choices),
        parallel_tool_calls=draw(st.none() | st.booleans()),
        max_tokens=draw(st.none() | st.integers(1, 100_000)),
        temperature=draw(st.none() | numbers),
        top_p=draw(st.none() | st.floats(0, 1, allow_nan=False)),
        response_format=draw(response_formats),
        thinking=draw(thinkings()),
        stream=draw(st.booleans()),
        extras=draw(request_extras),
        extras_format=FORMAT,
    )


usages = st.none() | st.builds(ir.Usage, *(st.integers(0, 10**7) for _ in range(5)))
# Echoed settings, each different from what response_from_ir writes when it knows nothing.
response_echo = st.fixed_dictionaries(
    {},
    optional={
        "temperature": st.floats(0, 2, allow_nan=False),
        "top_p": st.floats(0, 1, allow_nan=False),
        "store": st.just(True),
        "service_tier": st.sampled_from(["default", "flex"]),
        "max_output_tokens": st.integers(1, 10_000),
        "instructions": names,
    },
)
_FAILED = {"code": "server_error", "message": "The model failed to generate a response."}


@st.composite
def responses(draw: st.DrawFn) -> ir.Response:
    parts = draw(st.lists(assistant_parts, max_size=5))
    has_calls = any(isinstance(p, ir.ToolCallPart) for p in parts)
    stop = draw(
        st.sampled_from(
            [ir.StopReason.TOOL_USE if has_calls else ir.StopReason.END_TURN]
            + [ir.StopReason.MAX_TOKENS, ir.StopReason.CONTENT_FILTER, ir.StopReason.ERROR]
        )
    )
    extras: dict[str, Any] = {}
    echo = draw(response_echo)
    if echo:
        extras["request_echo"] = echo
    if stop is ir.StopReason.ERROR:
        extras["error"] = dict(_FAILED)  # a failed Response reads back with its error kept
    return ir.Response(
        id=draw(names.map(lambda s: f"resp_{s}")),
        model=draw(names),
        candidates=[ir.Candidate(parts, stop)],
        usage=draw(usages),
        created=draw(st.integers(0, 2**31)),
        extras=extras,
        extras_format=FORMAT,
    )


@st.composite
def streams(draw: st.DrawFn) -> list[ir.StreamEvent]:
    """IR events in the shape this format's decoder gives: blocks closed by BlockStop, usage
    before the finish, and TOOL_USE exactly when a tool call was streamed."""
    events: list[ir.StreamEvent] = [ir.StreamStart(draw(names.map(lambda s: f"resp_{s}")), draw(names))]
    tools_seen = 0
    for _ in range(draw(st.integers(0, 5))):
        kind = draw(st.sampled_from(["text", "refusal", "thinking", "tool"]))
        chunks = draw(st.lists(st.text(min_size=1, max_size=8), min_size=1, max_size=4))
        if kind == "text":
            events += [ir.TextDelta(c) for c in chunks]
        elif kind == "refusal":
            events += [ir.RefusalDelta(c) for c in chunks]
        elif kind == "thinking":
            events += [ir.ThinkingDelta(c) for c in chunks]
            signature = draw(st.none() | st.text(string.ascii_letters, min_size=1, max_size=10))
            if signature:
                events.append(ir.ThinkingDelta("", signature))
        else:
            events.append(ir.ToolCallStart(tools_seen, draw(ids), draw(names)))
            events += [ir.ToolCallDelta(tools_seen, c) for c in chunks]
            tools_seen += 1
        events.append(ir.BlockStop())
    if draw(st.booleans()):
        events.append(ir.StreamUsage(draw(usages.filter(lambda u: u is not None))))
    if draw(st.booleans()):
        events.append(ir.StreamError(draw(texts), draw(names)))
    else:
        normal = ir.StopReason.TOOL_USE if tools_seen else ir.StopReason.END_TURN
        stop = draw(st.sampled_from([normal, ir.StopReason.MAX_TOKENS, ir.StopReason.CONTENT_FILTER]))
        events.append(ir.StreamFinish(stop))
    return events
