"""curl import: the docs' examples, a browser's "Copy as cURL", and our own export read back into
(format, route, model, headers, body); a literal key is dropped, never kept. Word splitting is
judged by bash itself (a `curl` function that prints the words it gets)."""

from __future__ import annotations

import json
import subprocess

import pytest

from pipellm_tui.client.plan import make_plan
from pipellm_tui.export.curl_import import CurlImportError, import_curl, split_shell_words
from pipellm_tui.playground.exports import curl_for
from pipellm_tui.protocols.formats import Format, RouteKind
from pipellm_tui.protocols.templates import starter_request

SECRET = "pipe-SECRET-abc"

OPENAI_DOCS = """curl https://api.openai.com/v1/chat/completions \\
  -H "Content-Type: application/json" \\
  -H "Authorization: Bearer $OPENAI_API_KEY" \\
  -d '{
    "model": "gpt-4o",
    "messages": [
      {"role": "developer", "content": "You are a helpful assistant."},
      {"role": "user", "content": "Hello!"}
    ]
  }'"""
RESPONSES_DOCS = """curl https://api.openai.com/v1/responses \\
  -H "Content-Type: application/json" \\
  -H "Authorization: Bearer $OPENAI_API_KEY" \\
  -d '{
    "model": "gpt-4.1",
    "input": "Tell me a three sentence bedtime story about a unicorn."
  }'"""
ANTHROPIC_DOCS = """curl https://api.anthropic.com/v1/messages \\
     --header "x-api-key: $ANTHROPIC_API_KEY" \\
     --header "anthropic-version: 2023-06-01" \\
     --header "content-type: application/json" \\
     --data \\
'{
    "model": "claude-sonnet-4-5-20250929",
    "max_tokens": 1024,
    "messages": [
        {"role": "user", "content": "Hello, world"}
    ]
}'"""
GEMINI_DOCS = """curl "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse" \\
  -H "x-goog-api-key: $GEMINI_API_KEY" \\
  -H 'Content-Type: application/json' \\
  -X POST \\
  -d '{
    "contents": [{"parts":[{"text": "Explain how AI works in a few words"}]}]
  }'"""
GEMINI_QUERY_KEY = (
    "curl 'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent"
    f"?key={SECRET}' -H 'Content-Type: application/json' -X POST "
    """-d '{"contents": [{"parts": [{"text": "Hi"}]}]}'"""
)
BROWSER = (
    "curl 'http://127.0.0.1:8787/anthropic/v1/messages' \\\n"
    "  -H 'accept: application/json' \\\n"
    f"  -H 'x-api-key: {SECRET}' \\\n"
    "  -H 'anthropic-version: 2023-06-01' \\\n"
    "  -H 'content-type: application/json' \\\n"
    """  --data-raw $'{"model":"gpt-4o","max_tokens":50,"messages":[{"role":"user","content":"it\\'s caf\\u00e9\\\\n"}]}' \\\n"""
    "  --compressed"
)


@pytest.mark.parametrize(
    ("text", "fmt", "kind", "model", "key_env"),
    [
        (OPENAI_DOCS, Format.OPENAI_CHAT, RouteKind.NATIVE, "gpt-4o", "OPENAI_API_KEY"),
        (RESPONSES_DOCS, Format.OPENAI_RESPONSES, RouteKind.NATIVE, "gpt-4.1", "OPENAI_API_KEY"),
        (
            ANTHROPIC_DOCS,
            Format.ANTHROPIC,
            RouteKind.NATIVE,
            "claude-sonnet-4-5-20250929",
            "ANTHROPIC_API_KEY",
        ),
        (GEMINI_DOCS, Format.GEMINI, RouteKind.NATIVE, "gemini-2.5-flash", "GEMINI_API_KEY"),
        (GEMINI_QUERY_KEY, Format.GEMINI, RouteKind.NATIVE, "gemini-2.0-flash", "PROFILE_KEY"),
        (BROWSER, Format.ANTHROPIC, RouteKind.CONVERTER, "gpt-4o", "PROFILE_KEY"),
    ],
)
def test_commands_people_paste(text: str, fmt: Format, kind: RouteKind, model: str, key_env: str) -> None:
    imported = import_curl(text, key_env="PROFILE_KEY")
    assert (imported.format, imported.route, imported.model, imported.key_env) == (fmt, kind, model, key_env)
    assert imported.method == "POST"
    assert imported.dropped_literal_key == (key_env == "PROFILE_KEY")
    assert SECRET not in repr(imported)
    assert not any(
        name.lower() in ("authorization", "x-api-key", "x-goog-api-key") for name in imported.headers
    )
    assert "key=" not in imported.url
    if fmt is Format.GEMINI:
        assert imported.body["contents"][0]["parts"][0]["text"]
        assert imported.body.get("stream", False) == ("streamGenerateContent" in text)
    else:
        assert imported.body["model"] == model


def test_a_browser_copy_keeps_its_unicode_and_escapes() -> None:
    imported = import_curl(BROWSER)
    assert imported.body["messages"][0]["content"] == "it's café\n"  # JSON's \n, written as \\n in $'...'
    assert imported.base_url == "http://127.0.0.1:8787"
    assert imported.ignored == ["--compressed"]
    assert imported.headers["anthropic-version"] == "2023-06-01"


@pytest.mark.parametrize("text", [OPENAI_DOCS, ANTHROPIC_DOCS, GEMINI_DOCS, GEMINI_QUERY_KEY, BROWSER])
def test_words_are_split_as_bash_splits_them(text: str) -> None:
    fake = 'curl() { printf "%s\\0" "$@"; }\n'
    # Each key variable holds its own reference, so bash's expansion gives what we keep unexpanded.
    env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"} | {
        v: f"${v}" for v in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY")
    }
    done = subprocess.run(["bash", "-c", fake + text], capture_output=True, check=True, timeout=10, env=env)
    assert split_shell_words(text)[1:] == done.stdout.decode().split("\0")[:-1]


@pytest.mark.parametrize("fmt", list(Format))
@pytest.mark.parametrize("kind", list(RouteKind))
@pytest.mark.parametrize("stream", [False, True])
def test_our_own_export_reads_back_as_the_same_request(fmt: Format, kind: RouteKind, stream: bool) -> None:
    if fmt is Format.OPENAI_RESPONSES and kind is RouteKind.CONVERTER:
        return  # no such route: nothing is exported (make_plan refuses it, tested in tests/client)
    body = starter_request(fmt)
    body["stream"] = stream
    model = {Format.GEMINI: "gemini-2.5-flash", Format.ANTHROPIC: "claude-sonnet-4-5-20250929"}.get(
        fmt, "gpt-4o"
    )
    plan = make_plan("http://127.0.0.1:8787/base", SECRET, fmt, kind, model, body)
    command = curl_for(fmt, kind, "http://127.0.0.1:8787/base", model, body, "MY_KEY")
    imported = import_curl(command, key_env="OTHER")
    assert (imported.format, imported.route, imported.model) == (fmt, kind, model)
    assert (imported.method, imported.url.split("?")[0]) == (plan.method, plan.url.split("?")[0])
    assert imported.base_url == "http://127.0.0.1:8787/base"
    assert imported.key_env == "MY_KEY" and not imported.dropped_literal_key
    assert imported.headers == {k: v for k, v in plan.headers.items() if k != plan.secret_header}
    expected = dict(plan.body or {})
    if fmt is Format.GEMINI and stream:
        expected["stream"] = True  # the playground's hint, from the streaming path
    assert imported.body == expected
    # and the imported request plans to exactly what was exported
    again = make_plan(
        imported.base_url, SECRET, imported.format, imported.route, imported.model, imported.body
    )
    assert (again.url, again.body, again.headers) == (plan.url, plan.body, plan.headers)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("wget http://x", "must start with `curl`"),
        ("curl -H 'a: b'", "no URL"),
        ("curl http://h/v2/other -d '{}'", "not a route"),
        ("curl http://h/v1/messages -d '{oops'", "is not valid JSON"),
        ("curl http://h/v1/messages -d '[1]'", "JSON object"),
        ("curl http://h/v1/messages -d '{\"max_tokens\": 1}'", "names no model"),
        ("curl 'http://h/v1/messages", "never closed"),
        ("curl http://h/v1/messages -H", "needs a value"),
        ("curl ftp://h/v1/messages", "Not an http"),
        ("curl http://h/v1/messages -d @/no/such/file", "Cannot read the body file"),
    ],
)
def test_what_cannot_be_read_says_why(text: str, message: str) -> None:
    with pytest.raises(CurlImportError, match=message):
        import_curl(text)


def test_body_from_stdin() -> None:
    body = {"model": "gpt-4o", "messages": [{"role": "user", "content": "from stdin"}]}
    imported = import_curl("curl http://h/v1/chat/completions -H 'content-type: application/json' -d @-",
                           stdin=json.dumps(body))  # fmt: skip
    assert imported.body == body
