"""google-genai's default api_version "v1" (and v1beta) on native and converter routes, Gemini's model
list, and the endpoints the sandbox does not serve answering a clear 404."""

from __future__ import annotations

import httpx2
import pytest
from google.genai import errors as genai_errors

from .sdk_calls import base_url, genai_client, openai_client

VERSIONS = ["v1", "v1beta"]


@pytest.mark.parametrize("api_version", VERSIONS)
@pytest.mark.parametrize(
    ("kind", "model"), [("native", "gemini-2.5-flash"), ("converter", "claude-sonnet-4-20250514")]
)
def test_generate_and_stream_on_both_api_versions(sandbox, api_version: str, kind: str, model: str) -> None:
    client = genai_client(base_url(sandbox, "genai", kind), sandbox.api_key, api_version)
    answer = client.models.generate_content(model=model, contents="Why is the sky blue?")
    streamed = "".join(
        c.text or ""
        for c in client.models.generate_content_stream(model=model, contents="Why is the sky blue?")
    )
    assert answer.text and streamed == answer.text


@pytest.mark.parametrize("api_version", VERSIONS)
@pytest.mark.parametrize("kind", ["native", "converter"])
def test_a_wrong_key_is_401_not_404(sandbox, api_version: str, kind: str) -> None:
    client = genai_client(base_url(sandbox, "genai", kind), "pipe-wrong", api_version)
    with pytest.raises(genai_errors.ClientError) as caught:
        client.models.generate_content(model="gemini-2.5-flash", contents="hi")
    assert caught.value.code == 401


@pytest.mark.parametrize("api_version", VERSIONS)
def test_models_list_and_get_in_gemini_shape(sandbox, api_version: str) -> None:
    native = genai_client(base_url(sandbox, "genai", "native"), sandbox.api_key, api_version)
    names = [m.name for m in native.models.list()]
    assert "models/gemini-2.5-flash" in names and all(n.startswith("models/gemini") for n in names)
    model = native.models.get(model="gemini-2.5-pro")
    assert model.display_name and "generateContent" in model.supported_actions
    converter = genai_client(base_url(sandbox, "genai", "converter"), sandbox.api_key, api_version)
    assert "models/gpt-4o" in [m.name for m in converter.models.list()]


def test_unified_models_list_stays_for_bearer_keys_and_openai_retrieve_works(sandbox) -> None:
    listed = httpx2.get(
        f"{sandbox.base_url}/v1/models", headers={"authorization": f"Bearer {sandbox.api_key}"}
    )
    assert listed.json()["object"] == "list"
    client = openai_client(base_url(sandbox, "openai", "native"), sandbox.api_key)
    assert client.models.retrieve("gpt-4o").id == "gpt-4o"


@pytest.mark.parametrize(
    "path",
    [
        "/v1/embeddings",
        "/openai/v1/embeddings",
        "/v1/messages/count_tokens",
        "/anthropic/v1/messages/count_tokens",
        "/v1/messages/batches",
        "/v1/batches",
        "/v1beta/models/gemini-2.5-flash:countTokens",
        "/v1/models/gemini-2.5-flash:embedContent",
        "/gemini/v1beta/models/gpt-4o:batchEmbedContents",
    ],
)
def test_unsupported_endpoints_are_a_clear_404(sandbox, path: str) -> None:
    response = httpx2.post(f"{sandbox.base_url}{path}", json={}, headers={"x-api-key": sandbox.api_key})
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["type"] == "not_found_error" and "not supported by the sandbox" in error["message"]
