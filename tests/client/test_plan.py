"""Plans for all eight routes: URLs, headers, the masked key, Gemini's stream path, the refused route."""

from __future__ import annotations

import pytest

from pipellm_tui.client import PlanError, PlaygroundClient
from pipellm_tui.protocols.formats import Format, RouteKind

BASE = "https://api.pipellm.ai/"
KEY = "pipe-abcdefghijklmnop1234"
MASKED = "pipe-••••1234"

BODIES = {
    Format.OPENAI_CHAT: {"messages": [{"role": "user", "content": "hi"}]},
    Format.OPENAI_RESPONSES: {"input": "hi"},
    Format.ANTHROPIC: {"messages": [{"role": "user", "content": "hi"}], "max_tokens": 16},
    Format.GEMINI: {"contents": [{"role": "user", "parts": [{"text": "hi"}]}]},
}

# (format, kind, model, stream) -> URL, exactly as PipeLLM documents each route.
EXPECTED_URLS = [
    (Format.OPENAI_CHAT, RouteKind.NATIVE, "gpt-4o", False, "https://api.pipellm.ai/v1/chat/completions"),
    (
        Format.OPENAI_CHAT,
        RouteKind.CONVERTER,
        "claude-sonnet-4-20250514",
        True,
        "https://api.pipellm.ai/openai/v1/chat/completions",
    ),
    (Format.OPENAI_RESPONSES, RouteKind.NATIVE, "gpt-4o", True, "https://api.pipellm.ai/v1/responses"),
    (
        Format.ANTHROPIC,
        RouteKind.NATIVE,
        "claude-sonnet-4-20250514",
        False,
        "https://api.pipellm.ai/v1/messages",
    ),
    (Format.ANTHROPIC, RouteKind.CONVERTER, "gpt-4o", True, "https://api.pipellm.ai/anthropic/v1/messages"),
    (
        Format.GEMINI,
        RouteKind.NATIVE,
        "gemini-2.5-pro",
        False,
        "https://api.pipellm.ai/v1beta/models/gemini-2.5-pro:generateContent",
    ),
    (
        Format.GEMINI,
        RouteKind.NATIVE,
        "gemini-2.5-pro",
        True,
        "https://api.pipellm.ai/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse",
    ),
    (
        Format.GEMINI,
        RouteKind.CONVERTER,
        "claude-sonnet-4-20250514",
        True,
        "https://api.pipellm.ai/gemini/v1beta/models/claude-sonnet-4-20250514:streamGenerateContent?alt=sse",
    ),
    (
        Format.GEMINI,
        RouteKind.CONVERTER,
        "gpt-4o",
        False,
        "https://api.pipellm.ai/gemini/v1beta/models/gpt-4o:generateContent",
    ),
]


@pytest.mark.parametrize(("fmt", "kind", "model", "stream", "url"), EXPECTED_URLS)
def test_plan_url_and_streaming(fmt: Format, kind: RouteKind, model: str, stream: bool, url: str) -> None:
    body = dict(BODIES[fmt], stream=stream)
    plan = PlaygroundClient().plan(BASE, KEY, fmt, kind, model, body)
    assert plan.method == "POST"
    assert plan.url == url
    assert plan.stream is stream
    assert plan.headers["accept"] == ("text/event-stream" if stream else "application/json")
    assert plan.headers["content-type"] == "application/json"
    if fmt is Format.GEMINI:
        # The model travels in the path and `stream` is a playground-only hint: neither is sent.
        assert plan.body is not None and "model" not in plan.body and "stream" not in plan.body
    else:
        assert plan.body is not None and plan.body["model"] == model and plan.body["stream"] is stream


@pytest.mark.parametrize(
    ("key", "shown"),
    [
        ("pipe-abcdefghijklmnop1234", "pipe-••••1234"),
        ("pipe-sandbox", "pipe-••••"),
        ("pipe-test", "pipe-••••"),
        ("sk-abcdefghijklmnopqrstu", "••••rstu"),
        ("short", "••••"),
        ("", ""),
    ],
)
def test_a_masked_key_never_shows_more_than_four_secret_characters(key: str, shown: str) -> None:
    from pipellm_tui.client import mask_secret

    assert mask_secret(key) == shown


@pytest.mark.parametrize(
    ("fmt", "header", "sent", "shown"),
    [
        (Format.OPENAI_CHAT, "authorization", f"Bearer {KEY}", f"Bearer {MASKED}"),
        (Format.OPENAI_RESPONSES, "authorization", f"Bearer {KEY}", f"Bearer {MASKED}"),
        (Format.ANTHROPIC, "x-api-key", KEY, MASKED),
        (Format.GEMINI, "x-goog-api-key", KEY, MASKED),
    ],
)
def test_plan_auth_header_is_masked_for_display(fmt: Format, header: str, sent: str, shown: str) -> None:
    plan = PlaygroundClient().plan(BASE, KEY, fmt, RouteKind.NATIVE, "m", BODIES[fmt])
    assert plan.headers[header] == sent
    assert plan.masked_headers[header] == shown
    assert KEY not in repr(plan)
    assert KEY not in str(plan.masked_headers)
    if fmt is Format.ANTHROPIC:
        assert plan.headers["anthropic-version"] == "2023-06-01"


def test_plan_extra_headers_are_sent_and_shown() -> None:
    plan = PlaygroundClient().plan(
        BASE, KEY, "openai-chat", "native", "gpt-4o", BODIES[Format.OPENAI_CHAT], {"x-sandbox-fault": "500"}
    )
    assert plan.headers["x-sandbox-fault"] == "500"
    assert plan.masked_headers["x-sandbox-fault"] == "500"


def test_plan_does_not_change_the_callers_body() -> None:
    body = {"contents": [{"role": "user", "parts": [{"text": "hi"}]}], "stream": True, "model": "x"}
    PlaygroundClient().plan(BASE, KEY, "gemini", "native", "gemini-2.5-pro", body)
    assert body["stream"] is True and body["model"] == "x"


def test_responses_converter_is_refused_with_the_documented_advice() -> None:
    with pytest.raises(PlanError) as caught:
        PlaygroundClient().plan(
            BASE, KEY, "openai-responses", "converter", "claude-sonnet-4-20250514", {"input": "hi"}
        )
    message = str(caught.value)
    assert "not available yet" in message
    assert "/openai/v1/chat/completions" in message


def test_plan_without_model_is_refused() -> None:
    with pytest.raises(PlanError, match="No model"):
        PlaygroundClient().plan(BASE, KEY, "openai-chat", "native", "", BODIES[Format.OPENAI_CHAT])
