"""Property tests for the Gemini adapter (hypothesis).

Round trips: an IR request, response or event stream limited to what Gemini can express comes back
equal, field for field, from `to_ir(from_ir(x))`, with no warnings. Robustness: any JSON value
thrown at request_to_ir / response_to_ir gives an IR or a ProtocolError, never another exception,
and the stream decoder never raises.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipellm_tui.protocols import Format, ir
from pipellm_tui.protocols.problems import ProtocolError
from pipellm_tui.protocols.schemas import gemini as schema
from pipellm_tui.protocols.sse import SSEEvent

from .facts import ADAPTER, decode, reencode

PROFILE = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
S = ir.StopReason

names = st.from_regex(r"[a-z][a-z0-9_]{0,12}", fullmatch=True)
texts = st.text(max_size=24)
signatures = st.binary(min_size=1, max_size=18).map(lambda b: base64.b64encode(b).decode())
scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**9), 10**9)
    | st.floats(allow_nan=False, allow_infinity=False)
    | texts
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=8,
)
arguments = st.dictionaries(names, json_values, max_size=4)
mimes = st.sampled_from(["image/png", "image/jpeg", "image/webp", "application/pdf"])
schemas_ = st.builds(
    lambda props: {"type": "object", "properties": {p: {"type": "string"} for p in props}},
    st.lists(names, max_size=3),
)


@st.composite
def assistant_parts(draw: st.DrawFn, ids: list[tuple[str, str]]) -> list[ir.Part]:
    parts: list[ir.Part] = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["text", "thinking", "sealed", "call"]))
        if kind == "text":
            parts.append(ir.TextPart(draw(texts)))
        elif kind == "thinking":
            parts.append(ir.ThinkingPart(draw(texts), draw(st.none() | signatures)))
        elif kind == "sealed":  # a signature on the text part after the thinking
            parts += [ir.ThinkingPart("", draw(signatures)), ir.TextPart(draw(texts))]
        else:
            call = ir.ToolCallPart(
                f"call_{len(ids)}_{draw(names)}", draw(names), draw(arguments), draw(st.none() | signatures)
            )
            ids.append((call.id, call.name))
            parts.append(call)
    return parts


@st.composite
def user_parts(draw: st.DrawFn, ids: list[tuple[str, str]]) -> list[ir.Part]:
    parts: list[ir.Part] = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["text", "inline", "file", "result"]))
        if kind == "text":
            parts.append(ir.TextPart(draw(texts)))
        elif kind == "inline":
            parts.append(ir.ImagePart(data=draw(signatures), media_type=draw(mimes)))
        elif kind == "file":
            parts.append(
                ir.ImagePart(url=f"gs://bucket/{draw(names)}.png", media_type=draw(st.none() | mimes))
            )
        elif ids:
            call_id, name = draw(st.sampled_from(ids))
            media = draw(
                st.lists(
                    st.builds(lambda d: ir.ImagePart(data=d, media_type="image/png"), signatures), max_size=2
                )
            )
            parts.append(
                ir.ToolResultPart(call_id, name, [ir.TextPart(draw(texts)), *media], draw(st.booleans()))
            )
    return parts


#: Gemini fields the IR does not model, with values of the right type: they travel in `extras`.
REQUEST_EXTRAS = {
    "safetySettings": st.lists(st.fixed_dictionaries({"category": names, "threshold": names}), max_size=2),
    "cachedContent": texts,
    "generationConfig.presencePenalty": st.floats(-2, 2),
    "generationConfig.responseLogprobs": st.booleans(),
    "tools.googleSearch": st.just({}),
    "tools.codeExecution": st.just({}),
    "toolConfig.retrievalConfig": st.fixed_dictionaries({"languageCode": names}),
    "labels": st.dictionaries(names, texts, max_size=2),
}


@st.composite
def requests(draw: st.DrawFn) -> ir.Request:
    ids: list[tuple[str, str]] = []
    messages = []
    for _ in range(draw(st.integers(0, 6))):
        if draw(st.booleans()):
            messages.append(ir.Message("assistant", draw(assistant_parts(ids))))
        else:
            messages.append(ir.Message("user", draw(user_parts(ids))))
    tools = draw(st.lists(st.builds(ir.Tool, names, st.none() | texts, schemas_), max_size=3))
    mode = draw(st.sampled_from(list(ir.ToolChoiceMode)))
    choice = draw(
        st.none() | st.just(ir.ToolChoice(mode, draw(names) if mode is ir.ToolChoiceMode.TOOL else None))
    )
    form = draw(
        st.none()
        | st.sampled_from(
            [
                ir.ResponseFormat(ir.ResponseFormatKind.TEXT),
                ir.ResponseFormat(ir.ResponseFormatKind.JSON_OBJECT),
                ir.ResponseFormat(
                    ir.ResponseFormatKind.JSON_SCHEMA,
                    {"type": "object", "properties": {"a": {"type": "integer"}}},
                ),
            ]
        )
    )
    include = draw(st.none() | st.booleans())
    thinking = draw(
        st.none()
        | st.builds(
            ir.Thinking, st.just(True), st.none() | st.integers(1, 32768), st.none(), st.just(include)
        )
        | st.just(ir.Thinking(False, include_thoughts=include))
    )
    extras = draw(st.fixed_dictionaries({}, optional=REQUEST_EXTRAS))
    return ir.Request(
        model=draw(st.none() | names),
        system=draw(st.lists(st.builds(ir.TextPart, texts), max_size=2)),
        messages=messages,
        tools=tools,
        tool_choice=choice,
        max_tokens=draw(st.none() | st.integers(1, 10**6)),
        temperature=draw(st.none() | st.floats(0, 2)),
        top_p=draw(st.none() | st.floats(0, 1)),
        top_k=draw(st.none() | st.integers(1, 100)),
        stop=draw(st.lists(texts, max_size=3)),
        seed=draw(st.none() | st.integers(0, 2**31)),
        candidate_count=draw(st.none() | st.integers(1, 8)),
        response_format=form,
        thinking=thinking,
        extras=extras,
        extras_format=Format.GEMINI,
    )


@PROFILE
@given(requests())
def test_request_round_trip(request: ir.Request) -> None:
    warnings: list[str] = []
    payload = ADAPTER.request_from_ir(request, warnings)
    assert warnings == []
    assert "model" not in payload
    schema.Request.model_validate(json.loads(json.dumps(payload)))
    assert ADAPTER.request_to_ir(payload, [], request.model) == request


@st.composite
def responses(draw: st.DrawFn) -> ir.Response:
    candidates = []
    for _ in range(draw(st.integers(1, 2))):
        parts = draw(assistant_parts([]))
        called = any(isinstance(p, ir.ToolCallPart) for p in parts)
        stop = draw(st.sampled_from([S.TOOL_USE if called else S.END_TURN, S.MAX_TOKENS, S.CONTENT_FILTER]))
        candidates.append(ir.Candidate(parts, stop))
    usage = draw(
        st.none()
        | st.builds(
            lambda i, c, o, r: ir.Usage(i, o + r, min(c, i), 0, r),
            st.integers(0, 10**6),
            st.integers(0, 10**6),
            st.integers(0, 10**6),
            st.integers(0, 10**5),
        )
    )
    return ir.Response(
        id=draw(names),
        model=draw(st.none() | names),
        candidates=candidates,
        usage=usage,
        created=draw(st.none() | st.integers(0, 2 * 10**9)),
        extras=draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "promptFeedback": st.fixed_dictionaries({"safetyRatings": st.just([])}),
                    "turnToken": texts,
                },
            )
        ),
        extras_format=Format.GEMINI,
    )


@PROFILE
@given(responses())
def test_response_round_trip(response: ir.Response) -> None:
    warnings: list[str] = []
    payload = ADAPTER.response_from_ir(response, warnings)
    assert warnings == []
    schema.Response.model_validate(json.loads(json.dumps(payload)))
    assert ADAPTER.response_to_ir(payload, []) == response


@st.composite
def streams(draw: st.DrawFn) -> list[ir.StreamEvent]:
    response_id = draw(names)
    events: list[ir.StreamEvent] = [ir.StreamStart(response_id, draw(st.none() | names))]
    calls = 0
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(["text", "thinking", "sealed", "call"]))
        if kind == "text":
            events.append(ir.TextDelta(draw(texts.filter(bool))))
        elif kind == "thinking":
            events.append(ir.ThinkingDelta(draw(texts), draw(st.none() | signatures)))
        elif kind == "sealed":
            events += [ir.ThinkingDelta("", draw(signatures)), ir.TextDelta(draw(texts.filter(bool)))]
        else:
            events += [
                ir.ToolCallStart(
                    calls, f"call_{response_id}_{calls}", draw(names), draw(st.none() | signatures)
                ),
                ir.ToolCallDelta(
                    calls, json.dumps(draw(arguments), separators=(",", ":"), ensure_ascii=False)
                ),
                ir.BlockStop(),
            ]
            calls += 1
    usage = draw(
        st.none()
        | st.builds(
            lambda i, o, r: ir.Usage(i, o + r, 0, 0, r),
            st.integers(0, 10**5),
            st.integers(0, 10**5),
            st.integers(0, 10**4),
        )
    )
    if usage is not None:
        events.append(ir.StreamUsage(usage))
    ending = draw(st.sampled_from([S.TOOL_USE if calls else S.END_TURN, S.MAX_TOKENS, S.CONTENT_FILTER]))
    events.append(ir.StreamFinish(ending))
    return events


@PROFILE
@given(streams())
def test_stream_round_trip(events: list[ir.StreamEvent]) -> None:
    again, warnings = decode(reencode(events))
    assert warnings == []
    # Thinking text that is empty and unsigned says nothing, so the wire does not carry it.
    expected = [
        e for e in events if not (isinstance(e, ir.ThinkingDelta) and not e.text and e.signature is None)
    ]
    assert again == expected


# ---------------------------------------------------------------------------- robustness

KEYS = [
    "contents",
    "role",
    "parts",
    "text",
    "thought",
    "thoughtSignature",
    "functionCall",
    "functionResponse",
    "inlineData",
    "fileData",
    "name",
    "args",
    "id",
    "response",
    "output",
    "error",
    "mimeType",
    "data",
    "fileUri",
    "systemInstruction",
    "tools",
    "functionDeclarations",
    "parameters",
    "parametersJsonSchema",
    "toolConfig",
    "functionCallingConfig",
    "mode",
    "allowedFunctionNames",
    "generationConfig",
    "maxOutputTokens",
    "topK",
    "thinkingConfig",
    "thinkingBudget",
    "responseMimeType",
    "responseSchema",
    "candidates",
    "content",
    "finishReason",
    "index",
    "usageMetadata",
    "promptTokenCount",
    "candidatesTokenCount",
    "thoughtsTokenCount",
    "promptFeedback",
    "blockReason",
    "responseId",
    "modelVersion",
    "createTime",
    "model",
]
wild_values = st.recursive(
    scalars
    | st.sampled_from(["user", "model", "ANY", "AUTO", "STOP", "application/json", "2024-01-01T00:00:00Z"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(KEYS) | texts, inner, max_size=4)
    ),
    max_leaves=25,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(wild_values)
def test_only_protocol_errors_escape(value: Any) -> None:
    for read in (lambda v: ADAPTER.request_to_ir(v, [], None), lambda v: ADAPTER.response_to_ir(v, [])):
        try:
            read(value)
        except ProtocolError:
            pass
    decoder = ADAPTER.stream_decoder()
    decoder.feed(SSEEvent(json.dumps(value)))
    decoder.close()
