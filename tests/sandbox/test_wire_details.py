"""Details real clients read that a plain answer does not show, judged by the official SDKs over HTTP:
the request-id header each SDK reads, the settings a Responses answer repeats, and usage details."""

from __future__ import annotations

import anthropic
import pytest

from .sdk_calls import anthropic_client, base_url, openai_client

CLAUDE = "claude-sonnet-4-20250514"


# ---------------------------------------------------------------------------- request ids


@pytest.mark.parametrize(("kind", "model"), [("native", CLAUDE), ("converter", "gpt-4o")])
def test_anthropic_sdk_reads_the_request_id_of_answers_streams_and_errors(sandbox, kind, model) -> None:
    client = anthropic_client(base_url(sandbox, "anthropic", kind), sandbox.api_key)
    ask = {"model": model, "max_tokens": 50, "messages": [{"role": "user", "content": "hi"}]}
    raw = client.messages.with_raw_response.create(**ask)
    message = raw.parse()
    assert message._request_id and message._request_id == raw.headers["x-request-id"]
    with client.messages.stream(**ask) as stream:
        assert stream.request_id and stream.request_id.startswith("req_")
    with pytest.raises(anthropic.BadRequestError) as caught:
        client.messages.create(**{**ask, "messages": []})
    assert caught.value.request_id and caught.value.request_id.startswith("req_")


def test_openai_sdk_reads_the_request_id(sandbox) -> None:
    client = openai_client(base_url(sandbox, "openai", "native"), sandbox.api_key)
    answer = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}])
    assert answer._request_id and answer._request_id.startswith("req_")
