"""The playground's state without Textual: endpoint choice, models, routes, format switch, payloads."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest

from pipellm_tui.playground.endpoint import Endpoint, endpoint_from_args
from pipellm_tui.playground.request_draft import SendRefused
from pipellm_tui.playground.session import Session
from pipellm_tui.protocols.formats import Format, RouteKind
from pipellm_tui.protocols.routes import PIPELLM_BASE_URL


def args(**given: Any) -> SimpleNamespace:
    return SimpleNamespace(**{"base_url": None, "api_key_env": None, "sandbox": False, **given})


def test_endpoint_from_arguments_and_environment() -> None:
    assert endpoint_from_args(args(), {}) is None  # nothing: the sandbox
    assert endpoint_from_args(args(), {"PIPELLM_API_KEY": "pipe-x"}) == Endpoint(PIPELLM_BASE_URL, "pipe-x")
    assert endpoint_from_args(args(sandbox=True), {"PIPELLM_API_KEY": "pipe-x"}) is None
    assert endpoint_from_args(
        args(base_url="http://h:1/", api_key_env="MY_KEY"), {"MY_KEY": "k"}
    ) == Endpoint("http://h:1", "k", key_env="MY_KEY")
    assert Endpoint("http://127.0.0.1:5", "k", is_sandbox=True).label == "Sandbox · http://127.0.0.1:5"
    assert Endpoint(PIPELLM_BASE_URL, "k").label == f"PipeLLM · {PIPELLM_BASE_URL}"
    shown = Endpoint("http://127.0.0.1:5", "k", display_url="http://127.0.0.1:8787")
    assert shown.shown("http://127.0.0.1:5/v1/messages") == "http://127.0.0.1:8787/v1/messages"


async def test_models_routes_and_the_guard_flag(sandbox: Any) -> None:
    session = Session(endpoint=Endpoint(sandbox.base_url, sandbox.api_key, is_sandbox=True))
    try:
        models = await session.load_models()
    finally:
        await session.aclose()
    assert [m.id for m in session.filter_models("sonnet 4-5")] == ["claude-sonnet-4-5-20250929"]
    assert {m.id for m in session.filter_models("gemini")} == {
        m.id for m in models if m.id.startswith("gemini")
    }
    assert [m.id for m in session.filter_models("sonnet 4.5")] == ["claude-sonnet-4-5-20250929"]
    suggested = session.choose_model("gemini-2.5-pro")
    # Proposed, not taken: the route stays until the user accepts (ctrl+g).
    assert suggested.kind is RouteKind.CONVERTER and session.route_kind is RouteKind.NATIVE
    assert json.loads(session.request_text)["model"] == "gemini-2.5-pro"
    session.set_route(RouteKind.CONVERTER)
    assert session.route_problem() is None
    session.set_route(RouteKind.NATIVE)
    assert session.route_problem() == (
        "gemini-2.5-pro is a Gemini model: the native OpenAI Chat Completions route will refuse it. "
        "Use the converter route."
    )
    plan = session.preview()
    assert not isinstance(plan, str) and plan.url == f"{sandbox.base_url}/v1/chat/completions"


def test_format_switch_keeps_the_model_and_the_stream_flag() -> None:
    session = Session(endpoint=Endpoint("http://127.0.0.1:1", "k"), model="gpt-4o")
    session.reset_request()
    warnings = session.set_format(Format.GEMINI)
    body = json.loads(session.request_text)
    assert session.format is Format.GEMINI and "model" not in body and body["stream"] is True
    assert isinstance(warnings, list)
    assert session.route_kind is RouteKind.CONVERTER  # an OpenAI model in Gemini format
    assert session.validate() is None
    session.set_format(Format.OPENAI_CHAT)
    assert json.loads(session.request_text)["model"] == "gpt-4o"
    assert session.route_kind is RouteKind.NATIVE


def test_unreadable_request_is_kept_refusing_both_send_and_format_switch() -> None:
    session = Session(endpoint=Endpoint("http://127.0.0.1:1", "k"))
    session.set_request_text("{ not json")
    with pytest.raises(SendRefused, match="line 1, column 3"):
        session.plan()
    with pytest.raises(SendRefused, match="not a valid JSON object"):
        session.set_format(Format.ANTHROPIC)
    assert session.request_text == "{ not json" and session.format is Format.OPENAI_CHAT


def test_payload_views_on_converter_and_native_routes() -> None:
    session = Session(endpoint=Endpoint("http://127.0.0.1:1", "k"), model="claude-sonnet-4-5-20250929")
    session.reset_request()
    session.set_route(RouteKind.CONVERTER)
    views = session.payloads()
    assert views.is_converter and views.target is Format.ANTHROPIC
    assert json.loads(views.request_other.text)["system"] == "You are a concise assistant."
    session.choose_model("gpt-4o")
    session.set_route(RouteKind.NATIVE)
    views = session.payloads(Format.GEMINI)
    assert not views.is_converter and views.request_other.title == "As · gemini"
    assert "contents" in json.loads(views.request_other.text)


async def test_the_session_waits_for_a_sandbox_it_was_given() -> None:
    """What the command line does: the sandbox starts in a child process before Textual loads."""
    from pipellm_tui.sandbox.child import SandboxProcess

    sandbox = SandboxProcess.spawn()
    session = Session(sandbox=sandbox)
    try:
        endpoint = session.ensure_endpoint()
        assert endpoint == Endpoint(sandbox.base_url, sandbox.api_key, is_sandbox=True)
        models = await session.load_models()
        assert "claude-sonnet-4-5-20250929" in {m.id for m in models}
    finally:
        await session.aclose()
        session.stop_sandbox()
    assert session.sandbox is None
    assert sandbox.exit_code == 0


async def test_the_prefetched_list_is_the_first_load_and_a_reload_fetches_again() -> None:
    """What the command line does next: the list's fetch starts before Textual loads, in a
    thread that waits for the starting sandbox."""
    from pipellm_tui.sandbox.child import SandboxProcess

    sandbox = SandboxProcess.spawn()
    session = Session(sandbox=sandbox)
    try:
        session.prefetch_models()
        future = session._prefetched
        assert future is not None
        first = await session.load_models()
        assert future.done() and future.result() is first
        assert session._prefetched is None
        again = await session.load_models()  # a reload asks the server again
        assert again is not first
        assert [m.id for m in again] == [m.id for m in first]
    finally:
        await session.aclose()
        session.stop_sandbox()


async def test_a_prefetch_that_failed_raises_its_error_at_the_load(closed_port: int) -> None:
    from pipellm_tui.client import ApiErrorException

    session = Session(endpoint=Endpoint(f"http://127.0.0.1:{closed_port}", "k"))
    session.prefetch_models()
    with pytest.raises(ApiErrorException) as caught:
        await session.load_models()
    assert caught.value.error.type == "connection_refused"
    assert session.models == []


def test_json_views_cut_long_strings_only_in_large_bodies() -> None:
    from pipellm_tui.playground.payload_views import KEPT_STRING_CHARS, WHOLE_JSON_CHARS, shown_json
    from pipellm_tui.protocols.templates import pretty

    small = {"content": "x" * 5000, "n": [1, 2]}
    assert shown_json(small) == pretty(small)  # under the size that matters: exactly as sent
    big = {"id": "r", "choices": [{"text": "y" * (WHOLE_JSON_CHARS + 5)}], "tags": ["a" * 10]}
    shown = json.loads(shown_json(big))
    assert shown["id"] == "r" and shown["tags"] == ["a" * 10]
    cut = shown["choices"][0]["text"]
    assert (
        cut
        == "y" * KEPT_STRING_CHARS
        + f"… [{WHOLE_JSON_CHARS + 5 - KEPT_STRING_CHARS:,} more characters not shown]"
    )


def test_payloads_say_what_is_predicted_and_what_the_server_forwarded() -> None:
    from pipellm_tui.playground.payload_views import differing_fields, payload_views

    body = {"model": "claude-sonnet-4-5-20250929", "messages": [{"role": "user", "content": "hi"}]}
    args = (Format.OPENAI_CHAT, RouteKind.CONVERTER, body, body["model"], Format.ANTHROPIC, None, None)
    predicted = payload_views(*args)
    assert predicted.request_other.title == "Predicted upstream · anthropic"
    assert "own converter" in predicted.note
    forwarded = json.loads(predicted.request_other.text)
    same = payload_views(*args, [], {"upstream_request": forwarded, "warnings": []}, 0)
    assert same.request_other.title == "Forwarded (server) · anthropic"
    assert "exactly what our converter predicted" in same.note
    other = dict(forwarded, max_tokens=1, extra=True)
    ours = len(predicted.warnings)
    differs = payload_views(*args, [], {"upstream_request": other, "warnings": ["w"] * (ours + 1)}, ours + 1)
    assert "max_tokens, extra differ" in differs.note
    assert f"the server's {ours + 1}, ours {ours}" in differs.note
    assert differing_fields({"a": [1, {"b": 2}]}, {"a": [1, {"b": 3}]}) == ["a[1].b"]
    gone = payload_views(
        Format.OPENAI_RESPONSES,
        RouteKind.CONVERTER,
        body,
        body["model"],
        Format.ANTHROPIC,
        None,
        None,
        route_exists=False,
    )
    assert gone.target is None and "does not exist" in gone.request_other.text
