"""ApiError parsing: every documented PipeLLM body, the three formats' envelopes, junk bodies."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipellm_tui.protocols.errors import ApiError, error_envelope, network_error, parse_error

# ---------------------------------------------------------------- PipeLLM docs (pipellm-api.md)

DOC_401 = {
    "error": {
        "type": "authentication_error",
        "code": "401",
        "message": "Incorrect API key provided. Please visit https://console.pipellm.com/account/api-keys "
        "to find your API key.",
    }
}
DOC_429 = {
    "error": {
        "type": "rate_limit_error",
        "code": "429",
        "message": "Rate limit exceeded. Your current limit is 100 requests per minute (approximately 1 "
        "requests per second). Please visit https://console.pipellm.com/billing to upgrade your plan for "
        "higher limits.",
        "rate_limit": {"rpm": 100, "qps": 1},
    }
}
DOC_402 = {
    "error": {
        "type": "insufficient_balance",
        "code": "402",
        "message": "Insufficient balance. Please recharge your account at https://console.pipellm.com/billing.",
    }
}
DOC_500 = {
    "error": {
        "type": "api_error",
        "code": "500",
        "message": "Internal server error occurred. Our team has been notified and is working on it.",
    }
}
DOC_UNKNOWN_MODEL = {
    "error": {
        "type": "invalid_request_error",
        "code": "400",
        "message": "gpt-5 is not a valid model ID. Did you mean one of these: gpt-4o, gpt-4-turbo; You can "
        "view all the models in our documentation: https://docs.pipellm.com",
    }
}
DOC_MISSING_MODEL = {
    "error": {
        "type": "invalid_request_error",
        "code": "400",
        "message": "The 'model' field is required but was not provided in the request",
    }
}
DOC_429_SLUG = {
    "error": {
        "type": "rate_limit_error",
        "code": "rate_limit_exceeded",
        "message": "Request rate limit exceeded. Please slow down.",
    }
}
DOC_402_SLUG = {
    "error": {
        "type": "insufficient_balance",
        "code": "balance_exceeded",
        "message": "Insufficient balance. Please recharge to continue.",
    }
}
WEBSEARCH_401 = {"code": 401, "message": "unauthorized: invalid API key"}


@pytest.mark.parametrize(
    ("status", "body", "type_", "code", "retryable"),
    [
        (401, DOC_401, "authentication_error", "401", False),
        (429, DOC_429, "rate_limit_error", "429", True),
        (402, DOC_402, "insufficient_balance", "402", False),
        (500, DOC_500, "api_error", "500", True),
        (400, DOC_UNKNOWN_MODEL, "invalid_request_error", "400", False),
        (400, DOC_MISSING_MODEL, "invalid_request_error", "400", False),
        (429, DOC_429_SLUG, "rate_limit_error", "rate_limit_exceeded", True),
        (402, DOC_402_SLUG, "insufficient_balance", "balance_exceeded", False),
    ],
)
def test_documented_pipellm_bodies(
    status: int, body: dict[str, Any], type_: str, code: str, retryable: bool
) -> None:
    text = json.dumps(body)
    err = parse_error(status, text.encode())
    assert err.status == status
    assert err.type == type_
    assert err.code == code
    assert err.message == body["error"]["message"]
    assert err.retryable is retryable
    assert err.raw == text


def test_pipellm_429_rate_limit_and_retry_after_header() -> None:
    err = parse_error(429, json.dumps(DOC_429), {"Retry-After": "7"})
    assert err.rate_limit == {"rpm": 100.0, "qps": 1.0}
    assert err.retry_after == 7.0
    # How long is said once, by whoever counts it down (the Retry line; headless "after 7 s").
    assert "7" not in err.advice and "Rate limited" in err.advice and "100 requests per minute" in err.advice
    assert "100 requests per minute" in err.advice


def test_retry_after_ms_wins_and_http_date_is_understood() -> None:
    assert parse_error(429, "{}", {"retry-after-ms": "1500", "retry-after": "9"}).retry_after == 1.5
    later = datetime.now(UTC) + timedelta(seconds=120)
    err = parse_error(503, "", {"Retry-After": format_datetime(later, usegmt=True)})
    assert err.retry_after is not None and 100 < err.retry_after <= 121


def test_status_codes_decide_retryable() -> None:
    for status in (408, 409, 429, 500, 502, 503, 504, 529):
        assert parse_error(status, "").retryable, status
    for status in (400, 401, 402, 403, 404, 405, 413, 422):
        assert not parse_error(status, "").retryable, status
    assert parse_error(529, "").type == "overloaded_error"
    assert parse_error(503, "").type == "api_error"


def test_x_should_retry_header_overrides() -> None:
    assert parse_error(500, "", {"x-should-retry": "false"}).retryable is False
    assert parse_error(400, "", {"X-Should-Retry": "true"}).retryable is True


def test_websearch_envelope() -> None:
    err = parse_error(401, json.dumps(WEBSEARCH_401))
    assert (err.status, err.type, err.code, err.message) == (
        401,
        "authentication_error",
        "401",
        WEBSEARCH_401["message"],
    )
    # Without an HTTP status (e.g. read from a log), the body's numeric code stands in for it.
    assert parse_error(None, json.dumps(WEBSEARCH_401)).status == 401


def test_openai_envelope() -> None:
    body = {
        "error": {
            "message": "Incorrect API key provided: sk-abc.",
            "type": "invalid_request_error",
            "param": None,
            "code": "invalid_api_key",
        }
    }
    err = parse_error(401, json.dumps(body))
    assert (err.type, err.code, err.message, err.retryable) == (
        "invalid_request_error",
        "invalid_api_key",
        "Incorrect API key provided: sk-abc.",
        False,
    )
    assert "API key" in err.advice  # 401 advice wins over the type


# ---------------------------------------------------------------- real fixture bodies


def _load(shared_fixtures: Path, name: str) -> Any:
    path = shared_fixtures / name
    if not path.exists():
        pytest.fail(f"missing shared fixture {path}")
    return json.loads(path.read_text())


def test_anthropic_fixture_400(shared_fixtures: Path) -> None:
    wrapped = _load(shared_fixtures, "anthropic/cassette_error_400.response.json")
    err = parse_error(wrapped["status_code"], json.dumps(wrapped["body"]))
    assert err.status == 400
    assert err.type == "invalid_request_error"
    assert err.code is None
    assert err.message.startswith("messages.0.content.1: unexpected `tool_use_id`")
    assert err.retryable is False


def test_anthropic_fixture_429(shared_fixtures: Path) -> None:
    wrapped = _load(shared_fixtures, "anthropic/cassette_error_429.response.json")
    err = parse_error(wrapped["status_code"], json.dumps(wrapped["body"]), {"retry-after": "12"})
    assert (err.status, err.type, err.retryable, err.retry_after) == (429, "rate_limit_error", True, 12.0)
    assert "20,000,000 prompt bytes per hour" in err.message


def test_gemini_fixture_400(shared_fixtures: Path) -> None:
    body = _load(shared_fixtures, "gemini/genaijs_error_400_invalid_argument.json")
    err = parse_error(400, json.dumps(body))
    assert (err.status, err.type, err.code) == (400, "invalid_request_error", "INVALID_ARGUMENT")
    assert err.message == "Request contains an invalid argument."


def test_gemini_fixture_404_as_list(shared_fixtures: Path) -> None:
    wrapped = _load(shared_fixtures, "gemini/jsgenai_error_404_stream.response.json")
    err = parse_error(wrapped["statusCode"], json.dumps([wrapped["body"]]))
    assert (err.status, err.type, err.code, err.retryable) == (404, "not_found_error", "NOT_FOUND", False)
    assert err.message.startswith("models/custom-gemini-2.0-flash is not found")
    assert "model list" in err.advice


def test_gemini_retry_info_gives_retry_after() -> None:
    body = {
        "error": {
            "code": 429,
            "message": "Resource has been exhausted (e.g. check quota).",
            "status": "RESOURCE_EXHAUSTED",
            "details": [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "31s"}],
        }
    }
    err = parse_error(429, json.dumps(body))
    assert (err.type, err.code, err.retry_after, err.retryable) == (
        "rate_limit_error",
        "RESOURCE_EXHAUSTED",
        31.0,
        True,
    )


def test_responses_stream_error_events(shared_fixtures: Path) -> None:
    event = _load(shared_fixtures, "openai_responses/spec_event_error.json")
    err = parse_error(None, json.dumps(event))
    assert (err.code, err.message) == ("ERR_SOMETHING", "Something went wrong")
    failed = _load(shared_fixtures, "openai_responses/spec_event_response_failed.json")
    err = parse_error(200, json.dumps(failed))
    assert (err.type, err.code, err.message) == (
        "api_error",
        "server_error",
        "The model failed to generate a response.",
    )
    assert err.retryable is True


def test_anthropic_mid_stream_overloaded_is_retryable() -> None:
    data = {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
    err = parse_error(200, json.dumps(data))
    assert (err.type, err.message, err.retryable) == ("overloaded_error", "Overloaded", True)
    assert "overloaded" in err.advice


# ---------------------------------------------------------------- junk bodies


def test_html_body_keeps_raw_and_uses_title() -> None:
    html = "<html><head><title>502 Bad Gateway</title></head><body><h1>nginx</h1></body></html>"
    err = parse_error(502, html)
    assert err.message == "502 Bad Gateway"
    assert err.raw == html
    assert (err.type, err.retryable) == ("api_error", True)
    other = parse_error(503, "<html><title>Upstream maintenance</title></html>")
    assert other.message == "503 Service Unavailable: Upstream maintenance"


def test_empty_plain_and_garbage_bodies() -> None:
    assert parse_error(404, b"").message == "404 Not Found"
    assert parse_error(529, "").message == "529 Overloaded"
    assert parse_error(418, "").message == "418 I'm a Teapot"
    assert parse_error(599, "").message == "HTTP 599"
    plain = parse_error(400, "model not found")
    assert plain.message == "400 Bad Request: model not found"
    bad_json = parse_error(500, b'{"error": {"message": ')
    assert (bad_json.message, bad_json.raw) == ("500 Internal Server Error", '{"error": {"message": ')
    binary = parse_error(500, b"\xff\xfe\x00garbage")
    assert binary.status == 500 and "\ufffd" in binary.raw
    assert parse_error(400, "[1, 2]").message == "400 Bad Request"
    assert parse_error(400, '{"error": "no such route"}').message == "no such route"


def test_network_errors() -> None:
    refused = network_error("connection_refused", "Connection refused by 127.0.0.1:9")
    assert (refused.status, refused.retryable, refused.raw, refused.title) == (
        None,
        True,
        "",
        "connection_refused",
    )
    assert "base URL" in refused.advice
    assert network_error("timeout", "read timed out").retryable is True
    assert network_error("malformed_event", "bad json in data").retryable is False
    assert network_error("invalid_response", "not JSON").retryable is False


def test_advice_per_case() -> None:
    assert "console.pipellm.com/billing" in parse_error(402, json.dumps(DOC_402)).advice
    unknown = parse_error(400, json.dumps(DOC_UNKNOWN_MODEL))
    assert unknown.suggestions == ["gpt-4o", "gpt-4-turbo"]
    assert "gpt-4o, gpt-4-turbo" in unknown.advice and "model list" in unknown.advice
    guard = parse_error(
        400,
        json.dumps(
            error_envelope(
                400,
                "invalid_request_error",
                "Model claude-sonnet-4-20250514 is an anthropic model; use the converter route "
                "/openai/v1/chat/completions to call it with this format.",
            )
        ),
    )
    assert "converter" in guard.advice
    unavailable = parse_error(
        404,
        json.dumps(
            error_envelope(
                404,
                "not_found_error",
                "The OpenAI Responses converter is not available yet; use the OpenAI Chat Completions "
                "converter route /openai/v1/chat/completions to call it.",
            )
        ),
    )
    assert unavailable.advice.startswith("This route is not available yet")
    assert "method" in parse_error(405, "").advice
    assert "Server error" in parse_error(500, json.dumps(DOC_500)).advice
    assert parse_error(429, "").advice.startswith("Rate limited: wait")


def test_error_envelope_shape() -> None:
    assert error_envelope(429, "rate_limit_error", "slow down", rate_limit={"rpm": 60, "qps": 1}) == {
        "error": {
            "type": "rate_limit_error",
            "code": "429",
            "message": "slow down",
            "rate_limit": {"rpm": 60, "qps": 1},
        }
    }
    assert (
        error_envelope(402, "insufficient_balance", "m", code="balance_exceeded")["error"]["code"]
        == "balance_exceeded"
    )
    round_trip = parse_error(
        429, json.dumps(error_envelope(429, "rate_limit_error", "x", rate_limit={"rpm": 6, "qps": 0.1}))
    )
    assert round_trip.rate_limit == {"rpm": 6.0, "qps": 0.1}


@settings(max_examples=200, deadline=None)
@given(
    status=st.one_of(st.none(), st.integers(min_value=-5, max_value=1000)),
    body=st.one_of(st.binary(max_size=300), st.text(max_size=300)),
    headers=st.dictionaries(
        st.sampled_from(["retry-after", "Retry-After-Ms", "x-should-retry", "x"]), st.text(max_size=40)
    ),
)
def test_random_bodies_never_raise(status: int | None, body: bytes | str, headers: dict[str, str]) -> None:
    err = parse_error(status, body, headers)
    assert isinstance(err, ApiError)
    assert isinstance(err.message, str) and err.message
    assert isinstance(err.advice, str) and err.advice


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(
    error=st.dictionaries(
        st.sampled_from(["type", "code", "message", "status", "rate_limit", "details", "param"]), json_values
    ),
    top=st.sampled_from([None, "error", "response.failed"]),
)
def test_random_json_envelopes_never_raise(error: dict[str, Any], top: str | None) -> None:
    body: dict[str, Any] = {"error": error}
    if top:
        body["type"] = top
    err = parse_error(400, json.dumps(body))
    assert isinstance(err.type, str) and isinstance(err.message, str) and err.message
    assert err.code is None or isinstance(err.code, str)
    assert err.advice
