"""Every fixture, real and our own, converted in every direction: what matters must survive.

For each request, response and stream of format A and each other format B, the converted payload
validates against B's schema, and reading it back into the neutral form gives the same text, tool
calls, tool results, stop reason (up to what B can say) and usage. Any field of the source that does
not come through must be named in a warning: nothing is dropped silently.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from pipellm_tui.protocols import Format, convert_request, convert_response, convert_sse, ir
from pipellm_tui.protocols.adapters import adapter_for
from pipellm_tui.protocols.assemble import ResponseAssembler
from pipellm_tui.protocols.sse import parse_sse
from pipellm_tui.protocols.validate import validate_request, validate_response

from .fixture_catalog import Fixture, fixtures

FORMATS = list(Format)
GEMINI_MODEL = "gemini-2.0-flash"


def _directions(items: list[Fixture]) -> list[Any]:
    return [
        pytest.param(fx, target, id=f"{fx.id}->{target}")
        for fx in items
        for target in FORMATS
        if target is not fx.format
    ]


def _norm(text: str) -> str:
    return "".join(text.split())


def _text_of(parts: list[Any]) -> str:
    return "".join(p.text for p in parts if isinstance(p, (ir.TextPart, ir.RefusalPart)))


def conversation_facts(request: ir.Request) -> dict[str, Any]:
    """What a conversation is made of, independent of how a format groups it into messages."""
    texts: dict[str, str] = {"user": "", "assistant": "", "system": ""}
    calls, results, images = [], [], 0
    for message in request.messages:
        for part in message.parts:
            if isinstance(part, (ir.TextPart, ir.RefusalPart)):
                texts[message.role] += part.text
            elif isinstance(part, ir.ToolCallPart):
                calls.append((part.name, part.arguments))
            elif isinstance(part, ir.ToolResultPart):
                results.append(_norm(_text_of(part.content)))
            elif isinstance(part, ir.ImagePart):
                images += 1
    return {
        # System messages within the conversation: in place, or folded into the prompt (Gemini).
        "system": _norm("".join(p.text for p in request.system) + texts["system"]),
        "user": _norm(texts["user"]),
        "assistant": _norm(texts["assistant"]),
        "calls": calls,
        "results": results,
        "images": images,
    }


#: Stop reasons that every format can tell apart; the finer ones fold into these.
STOP_CLASS = {
    ir.StopReason.END_TURN: "stop",
    ir.StopReason.STOP_SEQUENCE: "stop",
    ir.StopReason.PAUSE: "stop",
    ir.StopReason.ERROR: "stop",
    ir.StopReason.MAX_TOKENS: "length",
    ir.StopReason.CONTEXT_WINDOW_EXCEEDED: "length",
    ir.StopReason.TOOL_USE: "tool",
    ir.StopReason.CONTENT_FILTER: "filter",
}


def answer_facts(response: ir.Response) -> dict[str, Any]:
    parts = response.parts
    return {
        "text": _norm(_text_of(parts)),
        "calls": [(p.name, p.arguments) for p in parts if isinstance(p, ir.ToolCallPart)],
        "stop": STOP_CLASS.get(response.stop_reason) if response.stop_reason else None,
    }


def usage_facts(usage: ir.Usage | None) -> tuple[int, int] | None:
    return None if usage is None else (usage.input_tokens, usage.output_tokens)


# Words a warning may use for a dropped setting (wire names differ by format).
SETTING_WORDS = {
    "max_tokens": ("max",),
    "temperature": ("temperature",),
    "top_p": ("top_p", "topp"),
    "top_k": ("top_k", "topk"),
    "stop": ("stop",),
    "seed": ("seed",),
    "candidate_count": ("candidate", "n>1", "n ", "choices", "`n`", "'n'"),
    "response_format": ("response_format", "format", "json", "schema"),
    "thinking": ("think", "reason"),
    "tool_choice": ("tool_choice", "toolconfig", "tool choice", "function_calling", "functioncalling"),
    "parallel_tool_calls": ("parallel",),
}


def _setting(request: ir.Request, name: str) -> Any:
    """A setting as far as its meaning goes: n=1 is the default, a schema's name is synthesised."""
    value = getattr(request, name)
    if name == "candidate_count" and value == 1:
        return None
    if name == "response_format" and value is not None:
        return (value.kind, value.schema)
    return value


def _read_request(payload: dict[str, Any], fmt: Format, model: str | None) -> ir.Request:
    return adapter_for(fmt).request_to_ir(payload, [], model)


@pytest.mark.parametrize(("fx", "target"), _directions(fixtures("request")))
def test_request_converts_without_losing_the_conversation(fx: Fixture, target: Format) -> None:
    body = fx.json()
    model = GEMINI_MODEL if fx.format is Format.GEMINI else None
    source = _read_request(body, fx.format, model)
    converted = convert_request(body, source=fx.format, target=target, model=model)

    assert validate_request(target, converted.payload) == []
    if target is Format.GEMINI:
        assert "model" not in converted.payload
        assert converted.model == source.model
    back = _read_request(converted.payload, target, converted.model)
    assert conversation_facts(back) == conversation_facts(source)
    assert [t.name for t in back.tools] == [t.name for t in source.tools]

    warned = " ".join(converted.warnings).lower()
    for setting, words in SETTING_WORDS.items():
        before, after = _setting(source, setting), _setting(back, setting)
        if before not in (None, [], False) and before != after and setting != "thinking":
            assert any(w in warned for w in words), (
                f"{setting} changed {before!r} -> {after!r} without a warning"
            )


@pytest.mark.parametrize(("fx", "target"), _directions(fixtures("response")))
def test_response_converts_with_text_tools_stop_and_usage(fx: Fixture, target: Format) -> None:
    body = fx.json()
    source = adapter_for(fx.format).response_to_ir(body, [])
    converted = convert_response(body, source=fx.format, target=target)

    assert validate_response(target, converted.payload) == []
    back = adapter_for(target).response_to_ir(converted.payload, [])
    assert answer_facts(back) == answer_facts(source)
    if source.usage is not None:
        assert usage_facts(back.usage) == usage_facts(source.usage)
    if len(source.candidates) > 1 and len(back.candidates) == 1:
        assert converted.warnings, "extra candidates dropped without a warning"


def _assemble(text: str, fmt: Format) -> ir.Response:
    decoder = adapter_for(fmt).stream_decoder()
    assembler = ResponseAssembler()
    for event in parse_sse(text):
        for neutral in decoder.feed(event):
            assembler.add(neutral)
    for neutral in decoder.close():
        assembler.add(neutral)
    return assembler.response()


@pytest.mark.parametrize(("fx", "target"), _directions(fixtures("stream")))
def test_stream_converts_event_by_event(fx: Fixture, target: Format) -> None:
    text = fx.sse_text()
    source = _assemble(text, fx.format)
    converted = convert_sse(text, source=fx.format, target=target)

    back = _assemble(converted.text, target)
    assert answer_facts(back) == answer_facts(source)
    ended_in_error = (
        source.stop_reason is ir.StopReason.ERROR
    )  # an error event carries no usage in most formats
    if source.usage is not None and source.usage.output_tokens and not ended_in_error:
        assert back.usage is not None
        assert back.usage.output_tokens == source.usage.output_tokens
    for event in parse_sse(converted.text):
        if event.data != "[DONE]":
            json.loads(event.data)  # every converted event carries valid JSON


def test_the_suite_sees_real_and_own_fixtures() -> None:
    own = fixtures("request", "own") + fixtures("response", "own") + fixtures("stream", "own")
    for fmt in FORMATS:
        assert sum(1 for f in own if f.format is fmt) >= 5, f"fewer than five own fixtures for {fmt}"
    assert any(f.path.name.endswith(".sse") for f in fixtures("stream", "own"))
