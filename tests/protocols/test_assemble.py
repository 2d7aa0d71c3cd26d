"""ResponseAssembler: a stream of IR events becomes the Response a non-streaming call would give."""

from __future__ import annotations

from pipellm_tui.protocols import ir
from pipellm_tui.protocols.assemble import ResponseAssembler


def full_stream() -> list[ir.StreamEvent]:
    return [
        ir.StreamStart(
            id="msg_1", model="claude-sonnet-4-5", usage=ir.Usage(input_tokens=120, cache_read_tokens=100)
        ),
        ir.ThinkingDelta("Let me "),
        ir.ThinkingDelta("check the weather."),
        ir.ThinkingDelta("", signature="sig-"),
        ir.ThinkingDelta("", signature="abc"),
        ir.BlockStop(),
        ir.TextDelta("I'll look "),
        ir.TextDelta("that up."),
        ir.BlockStop(),
        ir.ToolCallStart(0, "call_a", "get_weather"),
        ir.ToolCallDelta(0, ""),
        ir.ToolCallDelta(0, '{"city": '),
        ir.ToolCallDelta(0, '"Paris"}'),
        ir.BlockStop(),
        ir.ToolCallStart(1, "call_b", "get_time"),
        ir.ToolCallDelta(1, '{"tz": "Europe/'),
        ir.ToolCallDelta(1, 'Paris", "fmt": [1, 2]}'),
        ir.BlockStop(),
        ir.TextDelta("Done."),
        ir.StreamFinish(ir.StopReason.TOOL_USE),
        ir.StreamUsage(ir.Usage(output_tokens=10)),
        ir.StreamUsage(ir.Usage(output_tokens=42, reasoning_tokens=7)),
    ]


def test_full_stream_assembles() -> None:
    assembler = ResponseAssembler().add_all(full_stream())
    response = assembler.response()
    assert response.id == "msg_1"
    assert response.model == "claude-sonnet-4-5"
    assert response.parts == [
        ir.ThinkingPart("Let me check the weather.", "sig-abc"),
        ir.TextPart("I'll look that up."),
        ir.ToolCallPart("call_a", "get_weather", {"city": "Paris"}),
        ir.ToolCallPart("call_b", "get_time", {"tz": "Europe/Paris", "fmt": [1, 2]}),
        ir.TextPart("Done."),
    ]
    assert response.stop_reason is ir.StopReason.TOOL_USE
    # Input from the start, output and reasoning from the last report.
    assert response.usage == ir.Usage(
        input_tokens=120, output_tokens=42, cache_read_tokens=100, reasoning_tokens=7
    )
    assert response.text == "I'll look that up.Done."
    assert assembler.events == len(full_stream())


def test_text_after_tool_call_without_block_stops_is_a_new_part() -> None:
    # OpenAI-style decoders may send no BlockStop at all.
    events: list[ir.StreamEvent] = [
        ir.TextDelta("a"),
        ir.TextDelta("b"),
        ir.ToolCallStart(0, "c1", "f"),
        ir.ToolCallDelta(0, "{}"),
        ir.TextDelta("c"),
        ir.RefusalDelta("no"),
        ir.RefusalDelta("pe"),
    ]
    response = ResponseAssembler().add_all(events).response()
    assert response.parts == [
        ir.TextPart("ab"),
        ir.ToolCallPart("c1", "f", {}),
        ir.TextPart("c"),
        ir.RefusalPart("nope"),
    ]
    assert response.stop_reason is None


def test_interleaved_parallel_tool_calls_keep_their_order() -> None:
    events: list[ir.StreamEvent] = [
        ir.ToolCallStart(0, "c0", "a"),
        ir.ToolCallStart(1, "c1", "b", signature="g-sig"),
        ir.ToolCallDelta(1, '{"y"'),
        ir.ToolCallDelta(0, '{"x": 1}'),
        ir.ToolCallDelta(1, ": 2}"),
        ir.ToolCallDelta(2, '{"z": 3}'),  # a delta whose start never came
    ]
    parts = ResponseAssembler().add_all(events).response().parts
    assert parts == [
        ir.ToolCallPart("c0", "a", {"x": 1}),
        ir.ToolCallPart("c1", "b", {"y": 2}, "g-sig"),
        ir.ToolCallPart("", "", {"z": 3}),
    ]


def test_unparseable_arguments_are_kept_raw() -> None:
    events: list[ir.StreamEvent] = [ir.ToolCallStart(0, "c", "f"), ir.ToolCallDelta(0, '{"a": tru')]
    events.append(ir.StreamFinish(ir.StopReason.MAX_TOKENS))
    response = ResponseAssembler().add_all(events).response()
    assert response.parts == [ir.ToolCallPart("c", "f", {"_raw": '{"a": tru'})]
    assert response.stop_reason is ir.StopReason.MAX_TOKENS


def test_stop_sequence_error_and_response_mid_stream() -> None:
    assembler = ResponseAssembler()
    assembler.add(ir.TextDelta("Hel"))
    early = assembler.response()
    assert early.text == "Hel" and early.stop_reason is None
    assembler.add(ir.TextDelta("lo"))
    assembler.add(ir.StreamError("Overloaded", "overloaded_error"))
    later = assembler.response()
    # Asking early did not split the text block.
    assert later.parts == [ir.TextPart("Hello")]
    assert later.stop_reason is ir.StopReason.ERROR
    assert assembler.error == ir.StreamError("Overloaded", "overloaded_error")
    assembler.add(ir.StreamFinish(ir.StopReason.STOP_SEQUENCE, "END"))
    final = assembler.response()
    assert (final.stop_reason, final.candidates[0].stop_sequence) == (ir.StopReason.STOP_SEQUENCE, "END")


def test_usage_is_copied_not_shared() -> None:
    assembler = ResponseAssembler()
    assembler.add(ir.StreamUsage(ir.Usage(input_tokens=5, output_tokens=1)))
    first = assembler.response()
    assembler.add(ir.StreamUsage(ir.Usage(input_tokens=5, output_tokens=9)))
    assert first.usage == ir.Usage(input_tokens=5, output_tokens=1)
    assert assembler.response().usage == ir.Usage(input_tokens=5, output_tokens=9)


def test_empty_stream_gives_empty_response() -> None:
    response = ResponseAssembler().response()
    assert response.parts == [] and response.usage is None and response.id is None
    assert len(response.candidates) == 1
