"""Each documented error, through each official SDK's own exception type (and plain HTTP for 405)."""

from __future__ import annotations

import anthropic
import httpx2
import openai
import pytest
from google.genai import errors as genai_errors

from .sdk_calls import QUESTION, anthropic_client, base_url, call, genai_client, genai_config, openai_client

MESSAGES = [{"role": "user", "content": QUESTION}]


def _openai_call(sandbox, kind: str = "native", model: str = "gpt-4o", key: str | None = None, **extra):
    client = openai_client(base_url(sandbox, "openai", kind), key or sandbox.api_key)
    return client.chat.completions.create(model=model, messages=extra.pop("messages", MESSAGES), **extra)


def _anthropic_call(sandbox, kind: str = "native", model: str = "claude-sonnet-4-20250514", **extra):
    client = anthropic_client(base_url(sandbox, "anthropic", kind), extra.pop("key", sandbox.api_key))
    return client.messages.create(
        model=model, max_tokens=64, messages=extra.pop("messages", MESSAGES), **extra
    )


def _genai_call(
    sandbox, kind: str = "native", model: str = "gemini-2.5-flash", key: str | None = None, **extra
):
    client = genai_client(base_url(sandbox, "genai", kind), key or sandbox.api_key)
    return client.models.generate_content(
        model=model, contents=extra.pop("contents", QUESTION), config=genai_config()
    )


# ---------------------------------------------------------------------------- 401


@pytest.mark.parametrize("kind", ["native", "converter"])
def test_wrong_key_is_authentication_error_in_every_sdk(sandbox, kind: str) -> None:
    with pytest.raises(openai.AuthenticationError) as oa:
        _openai_call(sandbox, kind, key="pipe-wrong")
    assert oa.value.status_code == 401
    assert "Incorrect API key provided" in oa.value.message
    with pytest.raises(anthropic.AuthenticationError) as an:
        _anthropic_call(sandbox, kind, key="pipe-wrong")
    assert an.value.status_code == 401
    with pytest.raises(genai_errors.ClientError) as gg:
        _genai_call(sandbox, kind, key="pipe-wrong")
    assert gg.value.code == 401
    assert "Incorrect API key provided" in str(gg.value)


def test_anthropic_route_takes_x_api_key_as_well_as_bearer(sandbox) -> None:
    body = {"model": "claude-sonnet-4-20250514", "max_tokens": 16, "messages": MESSAGES}
    url = f"{sandbox.base_url}/v1/messages"
    by_header = httpx2.post(url, json=body, headers={"x-api-key": sandbox.api_key})
    by_bearer = httpx2.post(url, json=body, headers={"authorization": f"Bearer {sandbox.api_key}"})
    assert by_header.status_code == by_bearer.status_code == 200
    assert by_header.json()["content"] == by_bearer.json()["content"]


def test_gemini_route_takes_the_query_key(sandbox) -> None:
    url = f"{sandbox.base_url}/v1beta/models/gemini-2.5-flash:generateContent?key={sandbox.api_key}"
    response = httpx2.post(url, json={"contents": [{"role": "user", "parts": [{"text": QUESTION}]}]})
    assert response.status_code == 200
    assert response.json()["candidates"][0]["content"]["parts"][0]["text"]


# ---------------------------------------------------------------------------- 400: model, guard, body


def test_unknown_model_suggests_the_closest_ids(sandbox) -> None:
    with pytest.raises(openai.BadRequestError) as oa:
        _openai_call(sandbox, model="gpt-4-turbo")
    body = oa.value.body
    assert body["type"] == "invalid_request_error"
    assert body["message"].startswith(
        "gpt-4-turbo is not a valid model ID. Did you mean one of these: gpt-4o, "
    )
    assert "You can view all the models in our documentation" in body["message"]
    with pytest.raises(anthropic.BadRequestError) as an:
        _anthropic_call(sandbox, "converter", model="claude-sonet-4")
    assert "claude-sonnet-4" in an.value.message
    with pytest.raises(genai_errors.ClientError) as gg:
        _genai_call(sandbox, model="gemini-2.5-flashy")
    assert gg.value.code == 400
    assert "gemini-2.5-flash" in str(gg.value)


def test_unknown_model_status_is_configurable(fresh_sandbox) -> None:
    running = fresh_sandbox(unknown_model_status=404)
    with pytest.raises(openai.NotFoundError) as oa:
        _openai_call(running, model="gpt-4-turbo")
    assert "is not a valid model ID" in oa.value.message


@pytest.mark.parametrize(
    ("sdk", "model", "converter"),
    [
        ("openai", "claude-sonnet-4-20250514", "/openai/v1/chat/completions"),
        ("anthropic", "gpt-4o", "/anthropic/v1/messages"),
        (
            "genai",
            "claude-sonnet-4-20250514",
            "/gemini/v1beta/models/claude-sonnet-4-20250514:generateContent",
        ),
    ],
)
def test_native_routes_guard_their_protocol_and_name_the_converter(
    sandbox, sdk: str, model: str, converter: str
) -> None:
    errors = {
        "openai": openai.BadRequestError,
        "anthropic": anthropic.BadRequestError,
        "genai": genai_errors.ClientError,
    }
    callers = {"openai": _openai_call, "anthropic": _anthropic_call, "genai": _genai_call}
    with pytest.raises(errors[sdk]) as caught:
        callers[sdk](sandbox, "native", model=model)
    text = str(caught.value)
    assert f"Use the converter route {converter}" in text
    assert "only routes to" in text


def test_responses_native_route_points_to_the_chat_converter(sandbox) -> None:
    client = openai_client(base_url(sandbox, "responses", "native"), sandbox.api_key)
    with pytest.raises(openai.BadRequestError) as caught:
        client.responses.create(model="gemini-2.5-pro", input=QUESTION)
    assert "/openai/v1/chat/completions" in caught.value.message
    assert "not available yet" in caught.value.message


def test_a_body_that_fails_the_schema_names_the_field(sandbox) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        _openai_call(sandbox, messages=[{"role": "user", "content": 42}])
    assert "messages[0].content" in caught.value.message
    with pytest.raises(anthropic.BadRequestError) as an:
        _anthropic_call(sandbox, messages=[{"role": "robot", "content": "hi"}])
    assert "messages[0].role" in an.value.message
    response = httpx2.post(
        f"{sandbox.base_url}/v1/messages",
        headers={"x-api-key": sandbox.api_key},
        json={"model": "claude-sonnet-4-20250514", "max_tokens": "many", "messages": MESSAGES},
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("max_tokens: ")
    assert response.json()["error"]["param"] == "max_tokens"


def test_missing_model_gets_the_documented_message(sandbox) -> None:
    response = httpx2.post(
        f"{sandbox.base_url}/v1/chat/completions",
        headers={"authorization": f"Bearer {sandbox.api_key}"},
        json={"messages": MESSAGES},
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"] == (
        "The 'model' field is required but was not provided in the request"
    )


def test_wrong_method_is_405_invalid_request_error(sandbox) -> None:
    for path in (
        "/v1/chat/completions",
        "/anthropic/v1/messages",
        "/v1beta/models/gemini-2.5-flash:generateContent",
    ):
        response = httpx2.get(
            f"{sandbox.base_url}{path}", headers={"authorization": f"Bearer {sandbox.api_key}"}
        )
        assert response.status_code == 405
        assert response.headers["allow"] == "POST"
        assert response.json()["error"] == {
            "type": "invalid_request_error",
            "code": "405",
            "message": f"Method GET is not allowed on {path}; use POST.",
        }


# ---------------------------------------------------------------------------- 429, 402


def test_rate_limit_429_with_retry_after_and_the_documented_body(fresh_sandbox) -> None:
    running = fresh_sandbox(rpm=2)
    first = _openai_call(running)
    assert first.choices[0].message.content
    raw = openai_client(
        base_url(running, "openai", "native"), running.api_key
    ).chat.completions.with_raw_response
    second = raw.create(model="gpt-4o", messages=MESSAGES)
    assert second.headers["x-ratelimit-limit-requests"] == "2"
    assert second.headers["x-ratelimit-remaining-requests"] == "0"
    with pytest.raises(openai.RateLimitError) as oa:
        _openai_call(running)
    retry_after = int(oa.value.response.headers["retry-after"])
    assert 1 <= retry_after <= 60
    assert oa.value.response.headers["x-ratelimit-remaining-requests"] == "0"
    assert oa.value.body == {
        "type": "rate_limit_error",
        "code": "429",
        "message": "Rate limit exceeded. Your current limit is 2 requests per minute (approximately 0 requests "
        "per second). Please visit https://console.pipellm.com/billing to upgrade your plan for higher limits.",
        "rate_limit": {"rpm": 2, "qps": 0},
    }
    with pytest.raises(anthropic.RateLimitError):
        _anthropic_call(running, key=running.api_key)
    with pytest.raises(genai_errors.ClientError) as gg:
        _genai_call(running)
    assert gg.value.code == 429


def test_balance_is_charged_and_402_when_spent(fresh_sandbox) -> None:
    running = fresh_sandbox(balance=0.000001)
    _openai_call(running)  # costs more than the balance: served, then the balance is below zero
    assert running.state.balance.usd < 0
    with pytest.raises(openai.APIStatusError) as oa:
        _openai_call(running)
    assert oa.value.status_code == 402
    assert oa.value.body == {
        "type": "insufficient_balance",
        "code": "402",
        "message": "Insufficient balance. Please recharge your account at https://console.pipellm.com/billing.",
    }
    with pytest.raises(anthropic.APIStatusError) as an:
        _anthropic_call(running)
    assert an.value.status_code == 402


def test_balance_charge_is_the_listed_price_of_the_usage(fresh_sandbox) -> None:
    running = fresh_sandbox(balance=10.0)
    answer = _openai_call(running, model="gpt-4o")
    usage = answer.usage
    expected = usage.prompt_tokens * 0.0000025 + usage.completion_tokens * 0.00001
    assert running.state.balance.spent == pytest.approx(expected, rel=1e-9)


# ---------------------------------------------------------------------------- faults: 500, 529, 429, 402, html


def test_fault_500_is_internal_server_error(sandbox) -> None:
    with pytest.raises(openai.InternalServerError) as oa:
        _openai_call(sandbox, extra_headers={"x-sandbox-fault": "500"})
    assert oa.value.status_code == 500
    assert oa.value.body["type"] == "api_error"
    with pytest.raises(anthropic.InternalServerError):
        _anthropic_call(sandbox, messages=[{"role": "user", "content": "hello [[fault:500]]"}])
    with pytest.raises(genai_errors.ServerError) as gg:
        _genai_call(sandbox, contents="hello [[fault:500]]")
    assert gg.value.code == 500


def test_fault_529_is_overloaded_with_retry_after(sandbox) -> None:
    with pytest.raises(anthropic.OverloadedError) as an:
        _anthropic_call(sandbox, extra_headers={"x-sandbox-fault": "529"})
    assert an.value.status_code == 529
    assert an.value.response.headers["retry-after"] == "1"
    with pytest.raises(openai.InternalServerError) as oa:
        _openai_call(
            sandbox, "converter", model="claude-sonnet-4-20250514", extra_headers={"x-sandbox-fault": "529"}
        )
    assert oa.value.status_code == 529
    assert oa.value.body["type"] == "overloaded_error"


def test_fault_429_and_402_on_demand(sandbox) -> None:
    with pytest.raises(openai.RateLimitError) as oa:
        _openai_call(sandbox, extra_headers={"x-sandbox-fault": "429"})
    assert int(oa.value.response.headers["retry-after"]) >= 1
    with pytest.raises(anthropic.APIStatusError) as an:
        _anthropic_call(sandbox, messages=[{"role": "user", "content": "[[fault:402]] please"}])
    assert an.value.status_code == 402


def test_fault_html_is_a_502_with_an_html_body(sandbox) -> None:
    with pytest.raises(openai.InternalServerError) as oa:
        _openai_call(sandbox, extra_headers={"x-sandbox-fault": "html"})
    assert oa.value.status_code == 502
    assert oa.value.response.headers["content-type"].startswith("text/html")
    assert "<h1>502 Bad Gateway</h1>" in oa.value.response.text
    with pytest.raises(genai_errors.ServerError) as gg:
        _genai_call(sandbox, contents="[[fault:html]]")
    assert gg.value.code == 502


def test_unknown_fault_name_is_a_400_listing_the_faults(sandbox) -> None:
    with pytest.raises(openai.BadRequestError) as oa:
        _openai_call(sandbox, extra_headers={"x-sandbox-fault": "explode"})
    assert "slow-start" in oa.value.message and "disconnect" in oa.value.message


def test_errors_come_back_in_the_pipellm_envelope_on_every_route(sandbox) -> None:
    outcome = call(sandbox, "genai", "converter", "gpt-4o", stream=False)
    assert outcome.text
    for path in (
        "/v1/messages",
        "/gemini/v1beta/models/gpt-4o:streamGenerateContent?alt=sse",
        "/v1/responses",
    ):
        response = httpx2.post(f"{sandbox.base_url}{path}", json={})
        assert response.status_code == 401
        assert set(response.json()["error"]) == {"type", "code", "message"}


def test_provider_prefixed_ids_work_on_converter_routes(sandbox) -> None:
    prefixed = _openai_call(sandbox, "converter", model="anthropic/claude-sonnet-4-20250514")
    plain = _openai_call(sandbox, "converter", model="claude-sonnet-4-20250514")
    assert prefixed.choices[0].message.content == plain.choices[0].message.content
    assert prefixed.model == "claude-sonnet-4-20250514"
    with pytest.raises(openai.BadRequestError):
        _openai_call(sandbox, "converter", model="google/claude-sonnet-4-20250514")
