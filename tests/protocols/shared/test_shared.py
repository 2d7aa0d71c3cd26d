"""The shape checks and encodings every adapter shares (`adapters/shared/`)."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import pytest

from pipellm_tui.protocols import Format, ir
from pipellm_tui.protocols.adapters.shared import extras as shared_extras
from pipellm_tui.protocols.adapters.shared import ids, images, json_shapes, tools
from pipellm_tui.protocols.problems import ProtocolError


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        (None, "null"),
        (True, "a boolean"),
        (3, "a number"),
        (2.5, "a number"),
        ("x", "a string"),
        ([], "an array"),
        ({}, "an object"),
        (OrderedDict(), "an object"),  # a dict subclass is still an object
        (b"x", "bytes"),
    ],
)
def test_json_kind_names_the_json_type(value: Any, kind: str) -> None:
    assert json_shapes.json_kind(value) == kind


def test_a_missing_value_says_so_and_what_was_expected() -> None:
    with pytest.raises(ProtocolError) as caught:
        json_shapes.need_str(None, "messages[0].role")
    assert (caught.value.path, caught.value.message) == (
        "messages[0].role",
        "required field missing (expected a string)",
    )


def test_a_wrong_value_says_what_it_is() -> None:
    with pytest.raises(ProtocolError) as caught:
        json_shapes.need_dict([1], "tools[2]")
    assert (caught.value.path, caught.value.message) == ("tools[2]", "expected an object, got an array")


@pytest.mark.parametrize("value", [True, "1", 1.0])
def test_an_integer_is_an_integer(value: Any) -> None:
    with pytest.raises(ProtocolError, match="expected an integer"):
        json_shapes.need_int(value, "max_tokens")


@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_numbers_json_cannot_carry_are_refused(value: float) -> None:
    with pytest.raises(ProtocolError, match="expected a finite number"):
        json_shapes.need_number(value, "temperature")


def test_optional_values_pass_null_and_check_the_rest() -> None:
    assert json_shapes.opt_bool(None, "stream") is None
    assert json_shapes.opt_int(None, "max_tokens") is None
    assert json_shapes.opt_int(5, "max_tokens") == 5
    with pytest.raises(ProtocolError, match="true or false, got a string"):
        json_shapes.opt_bool("yes", "stream")


def test_token_counts_are_non_negative_integers_and_null_is_zero() -> None:
    assert json_shapes.count(None, "usage.input_tokens") == 0
    assert json_shapes.count(7, "usage.input_tokens") == 7
    for bad in (-1, "7", 7.0, False):
        with pytest.raises(ProtocolError, match="non-negative integer"):
            json_shapes.count(bad, "usage.input_tokens")


# ---------------------------------------------------------------------------- tool-call arguments


def test_arguments_that_are_one_object_are_read_as_it() -> None:
    assert tools.arguments_to_ir('{"city":"Paris"}', [], "a") == {"city": "Paris"}
    assert tools.arguments_to_ir(' {"city": "Paris"}\n', [], "a") == {"city": "Paris"}
    assert tools.arguments_to_ir("", [], "a") == {} and tools.arguments_to_ir("  ", [], "a") == {}


def test_other_arguments_are_kept_raw_with_a_warning_that_says_why_once() -> None:
    warnings: list[str] = []
    assert tools.arguments_to_ir('{"city": "Par', warnings, "input[{}].arguments", 3) == {
        "_raw": '{"city": "Par'
    }
    assert tools.arguments_to_ir("[1]", warnings, "input[{}].arguments", 4) == {"_raw": "[1]"}
    assert tools.arguments_to_ir("[2]", warnings, "input[{}].arguments", 4) == {"_raw": "[2]"}
    assert warnings == [
        "input[3].arguments: not valid JSON; kept as {'_raw': ...}",
        "input[4].arguments: JSON an array, not an object; kept as {'_raw': ...}",
    ]
    assert tools.arguments_to_ir("nope", None, "a") == {"_raw": "nope"}  # no list: nothing said


def test_arguments_that_are_not_a_string_are_refused() -> None:
    with pytest.raises(ProtocolError) as caught:
        tools.arguments_to_ir({"city": "Paris"}, [], "input[{}].arguments", 2)
    assert (caught.value.path, caught.value.message) == (
        "input[2].arguments",
        "expected a JSON string, got an object",
    )


def test_arguments_go_back_as_compact_json_and_raw_text_verbatim() -> None:
    assert tools.arguments_from_ir({"city": "Zürich", "days": [1, 2]}) == '{"city":"Zürich","days":[1,2]}'
    assert tools.arguments_from_ir({"_raw": '{"a": tru'}) == '{"a": tru'
    assert tools.arguments_from_ir({"_raw": 5}) == '{"_raw":5}'


# ---------------------------------------------------------------------------- ids


def test_answer_ids_are_the_same_for_the_same_answer_and_differ_otherwise() -> None:
    def answer(*parts: ir.Part) -> ir.Response:
        return ir.Response(model="m", candidates=[ir.Candidate(list(parts))])

    first = ids.answer_id("msg_", answer(ir.ToolCallPart("c", "weather", {"city": "Paris"})))
    assert first == ids.answer_id("msg_", answer(ir.ToolCallPart("c", "weather", {"city": "Paris"})))
    assert first != ids.answer_id("msg_", answer(ir.ToolCallPart("c", "weather", {"city": "Rome"})))
    assert first.startswith("msg_") and len(first) == 28
    assert ids.answer_id("msg_", answer(ir.TextPart("a"))) != ids.answer_id("msg_", answer(ir.TextPart("b")))


# ---------------------------------------------------------------------------- images


def test_data_urls_are_inline_images_and_go_back_as_data_urls() -> None:
    image = images.image_from_url("data:image/jpeg;base64,/9j/4AAQ", "high")
    assert image == ir.ImagePart(data="/9j/4AAQ", media_type="image/jpeg", detail="high")
    assert images.image_to_url(image, []) == "data:image/jpeg;base64,/9j/4AAQ"
    web = images.image_from_url("https://example.com/cat.png")
    assert (web.url, web.data) == ("https://example.com/cat.png", None)
    assert images.image_to_url(web, []) == "https://example.com/cat.png"
    assert images.image_from_url("data:text/plain,hello").url == "data:text/plain,hello"  # not base64


def test_inline_data_without_a_media_type_is_named_from_its_first_bytes() -> None:
    warnings: list[str] = []
    assert images.media_type_of(ir.ImagePart(data="JVBERi0xLjcK"), warnings) == "application/pdf"
    assert images.media_type_of(ir.ImagePart(data="AAAA"), warnings) == "image/png"
    assert warnings == [
        "image media type: not given; application/pdf assumed from the data",
        "image media type: not given; image/png assumed from the data",
    ]


# ---------------------------------------------------------------------------- extras


def test_extras_of_another_format_are_named_as_dropped_once_each() -> None:
    warnings: list[str] = []
    extras = {"logit_bias": {"1": 2}, "user": "u"}
    shared_extras.drop_extras(extras, Format.OPENAI_CHAT, "Anthropic", warnings)
    shared_extras.drop_extras(extras, Format.OPENAI_CHAT, "Anthropic", warnings)
    assert warnings == [
        "logit_bias: Anthropic has no equivalent of this OpenAI Chat Completions field; dropped",
        "user: Anthropic has no equivalent of this OpenAI Chat Completions field; dropped",
    ]


def test_dotted_extras_go_back_where_they_were() -> None:
    body: dict[str, Any] = {"text": {"format": {"type": "text"}}, "generationConfig": {"topK": 3}}
    shared_extras.put_dotted(body, "text.verbosity", "low")
    shared_extras.put_dotted(body, "generationConfig.topK", 9, replace=False)
    shared_extras.put_dotted(body, "reasoning.summary", "concise")
    assert body == {
        "text": {"format": {"type": "text"}, "verbosity": "low"},
        "generationConfig": {"topK": 3},
        "reasoning": {"summary": "concise"},
    }
