"""JSON from outside (the network, the editor, a file) read with bounds: one place, used by every caller.

`json.loads` alone is not enough for text nobody vouches for: 100,000 nested `[` raise RecursionError
(or, below the interpreter's limit, give a value that later code recursing into it cannot handle);
an integer of 5,000 digits raises a ValueError that is not a JSONDecodeError; bytes that are not
UTF-8 raise UnicodeDecodeError. `loads_bounded` turns each of these into a `ProtocolError` with a
plain message, and refuses nesting deeper than `MAX_JSON_DEPTH` (128 levels, the limit serde_json
uses: real API bodies, JSON Schemas included, stay far below it).

    from pipellm_tui.protocols.jsontext import loads_bounded, check_depth, MAX_JSON_DEPTH
    value = loads_bounded(text_or_bytes)            # ProtocolError when unreadable or too deep
    value = loads_bounded(raw, allow_nan=False)     # NaN / Infinity refused too (no API accepts them)
    check_depth(value)                              # the same depth rule for an already parsed value

No I/O; standard library only.
"""

from __future__ import annotations

import json
from typing import Any

from .problems import ProtocolError

#: Deepest nesting (objects and arrays) accepted by default.
MAX_JSON_DEPTH = 128


class JsonTooDeep(ProtocolError):
    """JSON nested deeper than the limit; `limit` is that depth."""

    def __init__(self, limit: int, path: str = "") -> None:
        super().__init__(f"JSON nested deeper than {limit} levels; refused", path)
        self.limit = limit


def loads_bounded(
    text: str | bytes | bytearray, *, max_depth: int = MAX_JSON_DEPTH, allow_nan: bool = True
) -> Any:
    """Parse JSON text; any failure is a `ProtocolError` ("not valid JSON: ..." or `JsonTooDeep`).

    JSON syntax errors keep the position: `exc.__cause__` is the `json.JSONDecodeError` (with
    `lineno`/`colno`) so an editor can put the cursor there.
    """
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ProtocolError(f"not valid JSON: not UTF-8 text (byte {exc.start})") from None
    elif not isinstance(text, str):
        raise ProtocolError(f"not valid JSON: expected text, got {type(text).__name__}")
    try:
        value = json.loads(text) if allow_nan else json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise ProtocolError(f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from exc
    except RecursionError:
        raise JsonTooDeep(max_depth) from None
    except ValueError as exc:  # an integer past the interpreter's 4,300-digit limit, a refused NaN
        if "integer string conversion" in str(exc):
            raise ProtocolError("not valid JSON: a number of more than 4,300 digits") from None
        raise ProtocolError(f"not valid JSON: {exc}") from None
    if text.count("[") + text.count("{") > max_depth:  # fewer brackets cannot nest deeper: skip the walk
        check_depth(value, max_depth)
    return value


def check_depth(value: Any, max_depth: int = MAX_JSON_DEPTH) -> None:
    """Raise `JsonTooDeep` when `value` nests objects/arrays deeper than `max_depth`.

    Walks without recursion, so a value of any depth gets the clear error.
    """
    if not isinstance(value, (dict, list)):
        return
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > max_depth:
            raise JsonTooDeep(max_depth)
        children = node.values() if isinstance(node, dict) else node
        for child in children:
            if isinstance(child, (dict, list)) and child:
                stack.append((child, depth + 1))
            elif isinstance(child, (dict, list)) and depth + 1 > max_depth:
                raise JsonTooDeep(max_depth)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")
