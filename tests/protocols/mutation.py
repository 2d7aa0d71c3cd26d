"""Hypothesis strategies that break real payloads: one to three values anywhere in a fixture replaced
by something of the wrong type or out of range (a list where a `type` string belongs, a huge int,
NaN, a lone surrogate, nesting deeper than any parser recurses).

The fuzz tests of every public entry point of the protocol library draw from these. The number of
examples is modest by default; set PIPELLM_FUZZ_EXAMPLES (say 10000) for a dedicated run.
"""

from __future__ import annotations

import json
import os
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from pipellm_tui.protocols import Format
from pipellm_tui.protocols.sse import SSEEvent, parse_sse

from .fixture_catalog import Fixture, fixtures

#: Examples per entry point: PIPELLM_FUZZ_EXAMPLES when set, else `default` (CI-sized).
FUZZ_EXAMPLES = os.environ.get("PIPELLM_FUZZ_EXAMPLES")


def fuzz_settings(default: int) -> Any:
    examples = int(FUZZ_EXAMPLES) if FUZZ_EXAMPLES else default
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )


FORMATS = list(Format)
DIRECTIONS = [(s, t) for s in FORMATS for t in FORMATS if s != t]

#: Deeper than the interpreter's recursion limit, so anything that recurses into it must cope.
DEEP = 100_000


def deep_list(depth: int = DEEP) -> Any:
    value: Any = []
    for _ in range(depth - 1):
        value = [value]
    return value


def deep_object(depth: int = DEEP) -> Any:
    value: Any = {}
    for _ in range(depth - 1):
        value = {"type": value}
    return value


# Built once: a 100,000-level structure costs ~20 ms to build.
_DEEP_LIST = deep_list()
_DEEP_OBJECT = deep_object()
DEEP_JSON_TEXT = "[" * DEEP + "]" * DEEP

#: Values that do not belong anywhere a schema expects a string, a number or a small object.
HOSTILE = st.sampled_from(
    [
        [],
        {},
        [[]],
        {"type": []},
        {"type": {}},
        [{"type": []}],
        10**400,
        -(10**30),
        2**63,
        float("nan"),
        float("inf"),
        -1,
        1.5,
        True,
        None,
        "",
        "\ud800",
        "x\udfffy",
        "\x00",
        "9" * 5000,
        _DEEP_LIST,
        _DEEP_OBJECT,
    ]
)


def _paths(
    value: Any, prefix: tuple[Any, ...] = (), out: list[tuple[Any, ...]] | None = None
) -> list[tuple[Any, ...]]:
    """Every place a value sits in a JSON document (the root is `()`)."""
    out = [] if out is None else out
    out.append(prefix)
    if len(prefix) > 40:
        return out  # a deep value put there by an earlier mutation: not worth walking into
    if isinstance(value, dict):
        for key, item in value.items():
            _paths(item, (*prefix, key), out)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _paths(item, (*prefix, index), out)
    return out


def _replace(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        copy = dict(value)
        copy[head] = _replace(value[head], rest, new)
        return copy
    copy_list = list(value)
    copy_list[head] = _replace(value[head], rest, new)
    return copy_list


@st.composite
def mutated(draw: st.DrawFn, payload: Any) -> Any:
    """`payload` with one to three values replaced (a `type` field twice as likely as any other)."""
    body = payload
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(body)
        typed = [p for p in paths if p and p[-1] == "type"]
        path = draw(st.sampled_from(typed)) if typed and draw(st.booleans()) else draw(st.sampled_from(paths))
        body = _replace(body, path, draw(HOSTILE))
    return body


def fixture_payloads(kind: str) -> dict[Format, list[Any]]:
    """The JSON of every request or response fixture, by format."""
    found: dict[Format, list[Any]] = {fmt: [] for fmt in FORMATS}
    for fixture in fixtures(kind):  # type: ignore[arg-type]
        found[fixture.format].append(fixture.json())
    return found


def fixture_streams() -> dict[Format, list[list[SSEEvent]]]:
    found: dict[Format, list[list[SSEEvent]]] = {fmt: [] for fmt in FORMATS}
    for fixture in fixtures("stream"):
        found[fixture.format].append(parse_sse(Fixture.sse_text(fixture)))
    return found


def _dump(value: Any) -> str:
    try:
        return json.dumps(value)
    except (ValueError, RecursionError):
        return DEEP_JSON_TEXT  # too deep to write: the raw text is what a hostile server would send


@st.composite
def mutated_stream(draw: st.DrawFn, events: list[SSEEvent]) -> str:
    """A real stream with some events broken: data values replaced, data not JSON, names changed."""
    out = list(events)
    for _ in range(draw(st.integers(1, 3))):
        if not out:
            break
        index = draw(st.integers(0, len(out) - 1))
        event = out[index]
        how = draw(st.sampled_from(["value", "value", "value", "data", "name", "drop"]))
        if how == "value":
            try:
                payload = json.loads(event.data)
            except (ValueError, RecursionError):
                continue
            event = SSEEvent(_dump(draw(mutated(payload))), event.event, event.id)
        elif how == "data":
            data = draw(
                st.sampled_from(["", "[]", "{", "null", "1e999", '"\\ud800"', DEEP_JSON_TEXT, "[DONE]"])
            )
            event = SSEEvent(data, event.event, event.id)
        elif how == "name":
            event = SSEEvent(
                event.data, draw(st.sampled_from(["error", "ping", "x" * 9, "message"])), event.id
            )
        else:
            del out[index]
            continue
        out[index] = event
    return "".join(_encode(e) for e in out)


def _encode(event: SSEEvent) -> str:
    head = f"event: {event.event}\n" if event.event else ""
    return head + "".join(f"data: {line}\n" for line in event.data.split("\n")) + "\n"
