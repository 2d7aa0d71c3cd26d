"""The sandbox's front door over real HTTP: models list, keys, methods, unknown paths, headers."""

from __future__ import annotations

import httpx2

from pipellm_tui.protocols.catalog import parse_models

KEY = "pipe-sandbox"


def test_models_list_is_the_unified_schema_sorted_by_id(sandbox) -> None:
    response = httpx2.get(f"{sandbox.base_url}/v1/models", headers={"authorization": f"Bearer {KEY}"})
    assert response.status_code == 200
    body = response.json()
    assert body["object"] == "list"
    ids = [m["id"] for m in body["data"]]
    assert ids == sorted(ids)
    assert body["total"] == len(ids) >= 14
    assert {m["type_target"] for m in body["data"]} == {"openai", "anthropic", "gemini"}
    by_id = {m["id"]: m for m in body["data"]}
    assert by_id["claude-sonnet-4-20250514"]["display_name"] == "Claude Sonnet 4"
    assert by_id["gpt-4o"]["display_name"] == "Gpt 4o"
    assert by_id["gemini-2.5-pro"]["display_name"] == "Gemini 2.5 Pro"
    assert by_id["claude-sonnet-4-20250514"]["created_at"] == "2025-05-14T00:00:00Z"
    assert by_id["gpt-4o"]["pricing"]["text"] == {"prompt": "0.0000025", "completion": "0.00001"}
    assert parse_models(body)[0].id == ids[0]


def test_models_accepts_x_api_key_and_refuses_other_methods(sandbox) -> None:
    assert httpx2.get(f"{sandbox.base_url}/v1/models", headers={"x-api-key": KEY}).status_code == 200
    response = httpx2.post(f"{sandbox.base_url}/v1/models", headers={"x-api-key": KEY})
    assert response.status_code == 405
    assert response.headers["allow"] == "GET"
    assert response.json()["error"]["type"] == "invalid_request_error"


def test_wrong_and_missing_keys_get_the_documented_401(sandbox) -> None:
    wrong = httpx2.get(f"{sandbox.base_url}/v1/models", headers={"authorization": "Bearer nope"})
    assert wrong.status_code == 401
    assert wrong.json() == {
        "error": {
            "type": "authentication_error",
            "code": "401",
            "message": "Incorrect API key provided. Please visit "
            "https://console.pipellm.com/account/api-keys to find your API key.",
        }
    }
    misplaced = httpx2.post(f"{sandbox.base_url}/v1/chat/completions", headers={"x-api-key": KEY}, json={})
    assert misplaced.status_code == 401
    assert "Authorization: Bearer" in misplaced.json()["error"]["message"]
    assert "x-api-key" in misplaced.json()["error"]["message"]


def test_every_reply_carries_request_id_and_rate_limit_headers(sandbox) -> None:
    for response in (
        httpx2.get(f"{sandbox.base_url}/v1/models", headers={"x-api-key": KEY}),
        httpx2.get(f"{sandbox.base_url}/v1/models"),
        httpx2.get(f"{sandbox.base_url}/no/such/path"),
        httpx2.delete(f"{sandbox.base_url}/v1/messages"),
    ):
        assert response.headers["x-request-id"].startswith("req_")
        assert response.headers["x-ratelimit-limit-requests"] == "1000000"
        assert int(response.headers["x-ratelimit-remaining-requests"]) > 0
        assert response.headers["x-ratelimit-reset-requests"].endswith("s")


def test_unknown_path_and_unavailable_responses_converter_are_404(sandbox) -> None:
    unknown = httpx2.post(f"{sandbox.base_url}/v2/whatever", json={})
    assert unknown.status_code == 404
    assert unknown.json()["error"]["type"] == "not_found_error"
    responses = httpx2.post(
        f"{sandbox.base_url}/openai/v1/responses", headers={"authorization": f"Bearer {KEY}"}, json={}
    )
    assert responses.status_code == 404
    assert "/openai/v1/chat/completions" in responses.json()["error"]["message"]


def test_bad_json_is_a_400_not_a_500(sandbox) -> None:
    response = httpx2.post(
        f"{sandbox.base_url}/v1/chat/completions",
        headers={"authorization": f"Bearer {KEY}", "content-type": "application/json"},
        content=b'{"model": "gpt-4o", ',
    )
    assert response.status_code == 400
    assert "not valid JSON" in response.json()["error"]["message"]


def test_nan_and_infinity_are_not_json(sandbox) -> None:
    response = httpx2.post(
        f"{sandbox.base_url}/v1/chat/completions",
        headers={"authorization": f"Bearer {KEY}", "content-type": "application/json"},
        content=b'{"model": "gpt-4o", "temperature": NaN, "messages": [{"role": "user", "content": "hi"}]}',
    )
    assert response.status_code == 400
    assert "NaN is not a JSON value" in response.json()["error"]["message"]


def test_start_in_thread_gives_a_free_port_and_stop_closes_it() -> None:
    from pipellm_tui.sandbox.config import SandboxConfig
    from pipellm_tui.sandbox.server import start_in_thread

    with start_in_thread(SandboxConfig(api_key="pipe-other")) as running:
        assert running.base_url == f"http://127.0.0.1:{running.port}"
        assert running.api_key == "pipe-other"
        assert (
            httpx2.get(f"{running.base_url}/v1/models", headers={"x-api-key": "pipe-other"}).status_code
            == 200
        )
    try:
        httpx2.get(f"{running.base_url}/v1/models", timeout=2)
    except httpx2.ConnectError:
        pass
    else:
        raise AssertionError("the stopped sandbox still answers")


def test_slow_start_is_not_charged_twice_and_faults_are_not_charged(fresh_sandbox) -> None:
    running = fresh_sandbox(slow_start_seconds=0.0)
    body = {"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]}
    headers = {"authorization": f"Bearer {running.api_key}"}
    url = f"{running.base_url}/v1/chat/completions"
    assert httpx2.post(url, json=body, headers={**headers, "x-sandbox-fault": "500"}).status_code == 500
    assert running.state.balance.spent == 0
    assert (
        httpx2.post(url, json=body, headers={**headers, "x-sandbox-fault": "slow-start"}).status_code == 200
    )
    assert (
        httpx2.post(
            url, json={**body, "stream": True}, headers={**headers, "x-sandbox-fault": "slow-start"}
        ).status_code
        == 200
    )
    assert running.state.answered == 2 and running.state.balance.spent > 0
