"""Compact JSON in and out (`dumps`, `quote`, `loads`), their C encoder and scanner made once for the
hot paths (stream events, tool-call arguments).
"""

from __future__ import annotations

import json
import json.encoder
import json.scanner
from collections.abc import Callable
from typing import Any


def _compact_dumps() -> Callable[[Any], str]:
    """Compact JSON for the wire (`separators=(",", ":")`, UTF-8 kept), its encoder made once.

    `json.dumps` and `JSONEncoder.encode` build a new C encoder on every call, which is half the
    cost of encoding a stream event or a tool call's arguments. No circular-reference check: the
    values are JSON from a parser or dicts of our own. Falls back to the plain encoder where the C
    accelerator is missing.
    """
    plain = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # pragma: no cover - CPython always has it
        return plain.encode
    encode = make(None, plain.default, json.encoder.encode_basestring, None, ":", ",", False, False, True)
    join = "".join

    def dumps(value: Any) -> str:
        return join(encode(value, 0))

    return dumps


dumps = _compact_dumps()
#: A str as a JSON string literal, UTF-8 kept: what `dumps` does to a str, without the call around it.
quote: Callable[[str], str] = json.encoder.encode_basestring

#: The C scanner behind `json.loads`, called directly: compact JSON needs none of `decode`'s
#: whitespace handling. (typeshed types make_scanner's argument as the scanner class, hence the ignore.)
_scan: Callable[[str, int], tuple[Any, int]] = json.scanner.make_scanner(json.JSONDecoder())  # type: ignore[arg-type]


def loads(text: str) -> Any:
    """`json.loads` for one compact JSON value (a stream event's data), at half the cost; anything
    else (surrounding whitespace, an error and its message) goes to `json.loads` itself."""
    try:
        value, end = _scan(text, 0)
    except (StopIteration, ValueError):
        return json.loads(text)
    return value if end == len(text) else json.loads(text)
