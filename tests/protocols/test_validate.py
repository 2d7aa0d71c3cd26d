"""Validation dispatch and wording: readable issues with JSON paths, JSON syntax errors with line/column."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from pipellm_tui.protocols import validate
from pipellm_tui.protocols.formats import Format
from pipellm_tui.protocols.validate import (
    Issue,
    first_problem,
    json_path,
    validate_request,
    validate_response,
)

ANTHROPIC_OK = {
    "model": "claude-sonnet-4-5",
    "max_tokens": 64,
    "messages": [{"role": "user", "content": "Hi"}],
}


def anthropic(**changes: Any) -> dict[str, Any]:
    return {**ANTHROPIC_OK, **changes}


def test_anthropic_schema_is_there() -> None:
    assert validate_request("anthropic", {"anything": 1}) != []  # the schema is there: it finds something
    assert validate_request("anthropic", ANTHROPIC_OK) == []


@pytest.mark.parametrize(
    ("body", "issues"),
    [
        (
            anthropic(messages=[{"role": "user", "content": [{"type": "text"}]}]),
            [Issue("messages[0].content[0].text", "Field required")],
        ),
        (
            anthropic(messages=[{"role": "user", "content": [{"type": "text", "text": 3}]}]),
            [Issue("messages[0].content[0].text", "Input should be a valid string, got a number")],
        ),
        (
            anthropic(max_tokens="5", messages=[{"role": "bot", "content": "hi"}]),
            [
                Issue("max_tokens", "Input should be a valid integer, got a string"),
                Issue("messages[0].role", "Input should be 'user', 'assistant' or 'system'"),
            ],
        ),
        (
            anthropic(
                messages=[
                    {"role": "user", "content": "a"},
                    {"role": "assistant", "content": "b"},
                    {
                        "role": "user",
                        "content": [{"type": "image", "source": {"type": "base64", "data": "AA=="}}],
                    },
                ]
            ),
            [Issue("messages[2].content[0].source.media_type", "Field required")],
        ),
        (
            anthropic(
                messages=[
                    {
                        "role": "user",
                        "content": [
                            {"type": "tool_result", "tool_use_id": "t", "content": [{"type": "text"}]}
                        ],
                    }
                ]
            ),
            [Issue("messages[0].content[0].content[0].text", "Field required")],
        ),
        (anthropic(messages=["hi"]), [Issue("messages[0]", "Input should be an object, got a string")]),
    ],
)
def test_anthropic_request_issues(body: dict[str, Any], issues: list[Issue]) -> None:
    assert validate_request(Format.ANTHROPIC, body) == issues


def test_a_gemini_body_sent_as_anthropic_names_the_missing_fields() -> None:
    gemini_body = {"contents": [{"role": "user", "parts": [{"text": "Hi"}]}]}
    issues = validate_request("anthropic", gemini_body)
    assert [i.path for i in issues] == ["model", "max_tokens", "messages"]
    assert {i.message for i in issues} == {"Field required"}
    assert str(issues[0]) == "model: Field required"


@pytest.mark.parametrize("body", [[1, 2], "text", 3, None, True])
def test_non_object_bodies_give_one_issue_at_the_root(body: Any) -> None:
    for fmt in Format:
        (issue,) = validate_request(fmt, body)
        assert issue.path == "" and issue.message.startswith("Expected a JSON object, got ")
    assert validate_response("anthropic", [1]) == [Issue("", "Expected a JSON object, got an array")]


def test_unknown_fields_are_kept_not_rejected() -> None:
    assert validate_request("anthropic", anthropic(some_future_field={"x": 1})) == []


def test_response_validation(shared_fixtures: Path) -> None:
    path = shared_fixtures / "anthropic" / "cassette_tool_use.response.json"
    body = json.loads(path.read_text())
    assert validate_response("anthropic", body) == []
    broken = {**body, "content": [{"type": "tool_use", "id": "x", "name": "f"}]}
    assert validate_response("anthropic", broken) == [Issue("content[0].input", "Field required")]


def test_real_anthropic_requests_validate(shared_fixtures: Path) -> None:
    paths = sorted((shared_fixtures / "anthropic").glob("*.request.json"))
    assert paths, "no Anthropic request fixtures found"
    for path in paths:
        assert validate_request("anthropic", json.loads(path.read_text())) == [], path.name


def test_first_problem_reports_json_syntax_with_line_and_column() -> None:
    issue = first_problem("anthropic", '{"model": "x",\n "max_tokens": 5,\n  "messages": [}')
    assert issue == Issue("", "Not valid JSON: Expecting value at line 3, column 16", 3, 16)
    assert first_problem("anthropic", "") == Issue(
        "", "Not valid JSON: Expecting value at line 1, column 1", 1, 1
    )
    assert first_problem("anthropic", json.dumps(ANTHROPIC_OK)) is None
    assert first_problem("anthropic", '{"model": "x", "max_tokens": 1}') == Issue(
        "messages", "Field required"
    )
    assert first_problem("anthropic", "[" * 100_000) is not None


def test_missing_schema_module_means_nothing_to_check(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(validate._MODULE, Format.GEMINI, "no_such_schema_module")
    monkeypatch.setattr(validate, "_LOADED", {})
    assert validate_request("gemini", {"anything": 1}) == []


class _Inner(BaseModel):
    text: str


class _Outer(BaseModel):
    items: list[_Inner | int]
    name: str | list[str]


def test_union_members_that_got_deeper_win_and_shallow_ones_merge() -> None:
    body = {"items": [{"text": 5}], "name": 7}
    with pytest.raises(ValidationError) as caught:
        _Outer.model_validate(body)
    issues = validate.issues_from(caught.value, body)
    # For items[0] the model member went inside (items[0].text), so "not an int" is noise; for `name`
    # both members stopped at the value, so their messages merge.
    assert issues == [
        Issue("items[0].text", "Input should be a valid string, got a number"),
        Issue("name", "Input should be a valid string or a valid list, got a number"),
    ]


@pytest.mark.parametrize(
    ("body", "loc", "path"),
    [
        ({"a": {"b": 1}}, ("a", "b"), "a.b"),
        ({"a": [{"type": "text", "text": 1}]}, ("a", 0, "text", "text"), "a[0].text"),
        ({"a": [{"type": "text"}]}, ("a", 0, "text", "text"), "a[0].text"),
        (
            {"rf": {"type": "json_schema", "json_schema": {}}},
            ("rf", "json_schema", "json_schema", "name"),
            "rf.json_schema.name",
        ),
        (
            {"rf": {"type": "json_schema", "json_schema": {}}},
            ("rf", "json_schema", "name"),
            "rf.json_schema.name",
        ),
        ({"c": 5}, ("c", "list[str]"), "c"),
        ({"c": [{"x": 1}]}, ("c", "function-after[check(), list[Part]]", 0, "Part", "y"), "c[0].y"),
        ({}, ("model",), "model"),
        ({"m": [1]}, ("m", 4, "role"), "m[4].role"),
        ({}, (), ""),
    ],
)
def test_json_path_from_loc(body: Any, loc: tuple[int | str, ...], path: str) -> None:
    assert json_path(body, loc) == path


def test_last_segment_is_a_tag_unless_the_error_is_a_missing_field() -> None:
    assert json_path({"m": {"text": 5}}, ("m", "int"), missing=False) == "m"
    assert json_path({"m": {"text": 5}}, ("m", "role"), missing=True) == "m.role"


# ---------------------------------------------------------------- all four formats, through the dispatch

FIXTURE_DIRS = {
    Format.OPENAI_CHAT: "openai_chat",
    Format.OPENAI_RESPONSES: "openai_responses",
    Format.ANTHROPIC: "anthropic",
    Format.GEMINI: "gemini",
}
GEMINI_BODY = {"contents": [{"role": "user", "parts": [{"text": "Hi"}]}]}
OPENAI_BODY = {"model": "gpt-4o", "messages": [{"role": "user", "content": "Hi"}]}


@pytest.mark.parametrize("fmt", list(Format))
def test_every_format_has_a_schema_and_real_bodies_pass(fmt: Format, shared_fixtures: Path) -> None:
    assert validate_request(fmt, {"anything": 1}) != []  # the schema is there: it finds something
    folder = shared_fixtures / FIXTURE_DIRS[fmt]
    requests = sorted(folder.glob("*.request.json"))
    responses = [p for p in sorted(folder.glob("*.response.json")) if "error" not in p.name]
    assert requests and responses, folder
    for path in requests:
        assert validate_request(fmt, json.loads(path.read_text())) == [], path.name
    for path in responses:
        assert validate_response(fmt, json.loads(path.read_text())) == [], path.name


@pytest.mark.parametrize("fmt", [Format.OPENAI_CHAT, Format.OPENAI_RESPONSES, Format.ANTHROPIC])
def test_a_gemini_body_in_another_format_fails_with_paths(fmt: Format) -> None:
    issues = validate_request(fmt, GEMINI_BODY)
    assert issues and all(i.path for i in issues)
    assert "model" in {i.path for i in issues}


def test_an_openai_body_sent_as_gemini_and_nested_gemini_paths() -> None:
    assert Issue("contents", "Field required") in validate_request("gemini", OPENAI_BODY)
    body = {"contents": [{"role": "user", "parts": [{"text": 5}]}]}
    assert validate_request("gemini", body) == [
        Issue("contents[0].parts[0].text", "Input should be a valid string, got a number")
    ]
    bad_image = {
        "model": "x",
        "messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {}}]}],
    }
    assert validate_request("openai-chat", bad_image) == [
        Issue("messages[0].content[0].image_url.url", "Field required")
    ]
