"""Real payloads of each format, mutated, sent over HTTP on every native and converter route: the
sandbox never answers 5xx, a 4xx is always PipeLLM's envelope, a 200 stream always ends whole, and
nothing lands in the log as a traceback.

Mutations: a node replaced by another node of the same body, or by a hostile value (a lone surrogate, a list or an object where a string
belongs, numbers out of every range, nesting 150 levels deep, a long string), a key removed or
added, a node wrapped in a list or an object, and raw bytes: cut short, a byte flipped, invalid
UTF-8, the whole body 100,000 levels down. The bodies come from ../shared/fixtures (when beside the
checkout) and tests/fixtures.

One server and one client for all examples. CI runs PIPELLM_FUZZ_EXAMPLES (default 2,000) examples;
a dedicated run sets it higher (20,000) and `-s` prints the tally.
"""

from __future__ import annotations

import copy
import json
import logging
import os
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ..conftest import OWN_FIXTURES, SHARED_FIXTURES
from .conftest import KEY

EXAMPLES = int(os.environ.get("PIPELLM_FUZZ_EXAMPLES", "2000"))

#: Route paths per fixture folder: native and converter ({model} for Gemini).
ROUTES: dict[str, list[str]] = {
    "openai_chat": ["/v1/chat/completions", "/openai/v1/chat/completions"],
    "openai_responses": ["/v1/responses", "/openai/v1/responses"],
    "anthropic": ["/v1/messages", "/anthropic/v1/messages"],
    "gemini": [
        "/v1beta/models/{model}:generateContent",
        "/v1beta/models/{model}:streamGenerateContent?alt=sse",
        "/v1beta/models/{model}:streamGenerateContent",
        "/gemini/v1beta/models/{model}:generateContent",
        "/gemini/v1beta/models/{model}:streamGenerateContent?alt=sse",
    ],
}
NATIVE_MODEL = {
    "openai_chat": "gpt-4o-mini",
    "openai_responses": "gpt-4.1",
    "anthropic": "claude-sonnet-4-20250514",
    "gemini": "gemini-2.5-flash",
}
MODELS = sorted(set(NATIVE_MODEL.values()) | {"o4-mini", "claude-haiku-4-5-20251015", "gemini-2.0-flash"})


def _payloads() -> list[tuple[str, str, dict[str, Any]]]:
    found = []
    for root in (SHARED_FIXTURES, OWN_FIXTURES):
        for folder in ROUTES:
            for path in sorted((root / folder).glob("*.request.json")) if (root / folder).is_dir() else []:
                body = json.loads(Path(path).read_text())
                if isinstance(body, dict):
                    found.append((folder, path.name, body))
    return found


PAYLOADS = _payloads()


def _deep(levels: int) -> Any:
    value: Any = "bottom"
    for n in range(levels):
        value = [value] if n % 2 else {"d": value}
    return value


hostile_values = st.one_of(
    st.sampled_from(["\ud800", "a\udfffb", "\ud83d", "x\ud800\ud800", "ok \ud83d\ude00"]),  # lone surrogates
    st.text(max_size=8).map(lambda t: t + "\ud800"),
    st.sampled_from([["text"], [], {}, {"type": "text"}, [{"text": "hi"}], [[["x"]]], ["a", 1, None]]),
    st.sampled_from([10**30, -(10**30), 2**63, -(2**63) - 1, 1e308, -1e308, 5e-324, 0, -1, 1.5]),
    st.integers() | st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([None, True, False, "", " ", "null", "text", "user", "function", "auto", "none"]),
    st.just(_deep(150)),
    st.just(_deep(60)),
    st.text(max_size=40),
    st.integers(0, 2000).map(lambda n: "long " * n),
).map(copy.deepcopy)  # each example gets its own: a later mutation may change it in place
KEYS = [
    "model", "messages", "contents", "input", "role", "content", "parts", "type", "text", "tools",
    "tool_choice", "toolConfig", "stream", "max_tokens", "max_output_tokens", "generationConfig",
    "system", "systemInstruction", "instructions", "stop", "stop_sequences", "thinking", "reasoning",
    "response_format", "text", "functionCall", "functionResponse", "name", "arguments", "input_schema",
    "parameters", "tool_use_id", "tool_call_id", "id", "n", "candidateCount", "metadata", "image_url",
    "source", "inlineData", "stream_options", "temperature", "logprobs", "top_logprobs",
]  # fmt: skip
RAW_KINDS = ["truncate", "flip", "bad-utf8", "nest-100000"]


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*path, index))


def _parent(body: Any, path: tuple[Any, ...]) -> Any:
    for key in path[:-1]:
        body = body[key]
    return body


def mutate(data: st.DataObject, body: dict[str, Any]) -> bytes:
    body = copy.deepcopy(body)
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        paths = [p for p in _paths(body) if p]
        if not paths:
            break
        path = data.draw(st.sampled_from(paths), label="path")
        parent = _parent(body, path)
        kind = data.draw(st.sampled_from(["replace", "transplant", "remove", "add", "wrap"]), label="kind")
        if kind == "transplant":  # another node of the same body: a real shape in the wrong place
            source = data.draw(st.sampled_from(paths), label="from")
            parent[path[-1]] = copy.deepcopy(_parent(body, source)[source[-1]])
        elif kind == "replace":
            parent[path[-1]] = data.draw(hostile_values, label="value")
        elif kind == "remove":
            del parent[path[-1]]
        elif kind == "add":
            target = parent[path[-1]] if isinstance(parent[path[-1]], dict) else body
            target[data.draw(st.sampled_from(KEYS), label="key")] = data.draw(hostile_values, label="value")
        else:
            node = parent[path[-1]]
            parent[path[-1]] = data.draw(st.sampled_from([[node], {"value": node}]), label="wrapped")
    raw = json.dumps(body).encode()  # ensure_ascii: a lone surrogate travels as its \\u escape
    raw_kind = data.draw(st.sampled_from([None] * 8 + RAW_KINDS), label="raw")
    if raw_kind == "truncate":
        raw = raw[: data.draw(st.integers(0, max(len(raw) - 1, 0)), label="cut")]
    elif raw_kind == "flip" and raw:
        at = data.draw(st.integers(0, len(raw) - 1), label="at")
        raw = raw[:at] + bytes([data.draw(st.integers(0, 255), label="byte")]) + raw[at + 1 :]
    elif raw_kind == "bad-utf8":
        raw = raw.replace(b'"', b'"\xed\xa0\x80', 1) if data.draw(st.booleans()) else raw + b"\xff\xfe"
    elif raw_kind == "nest-100000":
        raw = b"[" * 100_000 + raw + b"]" * 100_000
    return raw


class _Tally:
    def __init__(self) -> None:
        self.statuses: Counter[int] = Counter()
        self.started = time.perf_counter()


TALLY = _Tally()


@pytest.fixture(scope="module")
def http() -> Iterator[httpx2.Client]:
    with httpx2.Client(timeout=60) as client:
        yield client


class _Records(list[logging.LogRecord]):
    def __repr__(self) -> str:  # hypothesis prints the fixtures of a failing example: keep it short
        return f"<{len(self)} log records>"


@pytest.fixture(scope="module")
def server_log() -> Iterator[list[logging.LogRecord]]:
    """Everything the sandbox logs while the examples run (its logger is on at every level)."""
    records = _Records()

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep(logging.DEBUG)
    watched = [logging.getLogger(name) for name in ("pipellm_tui.sandbox", "uvicorn.error", "asyncio")]
    levels = [logger.level for logger in watched]
    for logger in watched:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    yield records
    for logger, level in zip(watched, levels, strict=True):
        logger.removeHandler(handler)
        logger.setLevel(level)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(data=st.data())
def test_mutated_real_payloads_never_get_a_5xx(sandbox, http, server_log, data) -> None:
    folder, name, body = data.draw(st.sampled_from(PAYLOADS), label="payload")
    route = data.draw(st.sampled_from(ROUTES[folder]), label="route")
    native = not route.startswith(("/openai/", "/anthropic/", "/gemini/"))
    model = NATIVE_MODEL[folder] if native else data.draw(st.sampled_from(MODELS), label="model")
    if "model" in body or folder != "gemini":
        body = {**body, "model": model}
    raw = mutate(data, body)
    auth = {"authorization": f"Bearer {KEY}", "x-api-key": KEY, "x-goog-api-key": KEY}
    response = http.post(
        sandbox.base_url + route.replace("{model}", model),
        content=raw,
        headers={**auth, "content-type": "application/json"},
    )
    TALLY.statuses[response.status_code] += 1
    assert response.status_code < 500, (name, route, raw[:400], response.text[:400])
    if response.status_code >= 400:
        error = response.json()["error"]
        assert error["code"] == str(response.status_code) and error["message"], response.text[:300]


def test_the_tally(sandbox, server_log) -> None:
    """Runs after the examples (same module, in order): the figures, and a clean log."""
    examples = sum(TALLY.statuses.values())
    server_errors = sum(n for status, n in TALLY.statuses.items() if status >= 500)
    unreadable = [r.getMessage() for r in server_log if "unreadable" in r.getMessage()]
    print(
        f"\nmutation fuzz: {examples} examples, {server_errors} x 5xx, "
        f"{time.perf_counter() - TALLY.started:.1f} s, statuses {dict(sorted(TALLY.statuses.items()))}, "
        f"{len(unreadable)} bodies the adapters could not read without naming why"
    )
    for message in sorted(set(unreadable))[:20]:
        print(f"  {message}")
    assert examples >= EXAMPLES and server_errors == 0
    assert not [r for r in server_log if r.exc_info], [r.getMessage() for r in server_log if r.exc_info][:5]
    assert sandbox.state.internal_errors == 0
