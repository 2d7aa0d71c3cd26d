"""Reading a client's request body: every way it can be wrong is a 4xx naming the problem.

Owns the edge between the socket and the JSON the adapters read:
- size: a body larger than `max_body_bytes` is refused with a 413 (by its Content-Length before a
  byte is read, or as soon as the bytes pass the limit);
- time: a body that takes longer than `client_timeout` to arrive gets a 408;
- a client that leaves before its body is complete gets no answer (`ClientGone`), and one log line;
- JSON that Python reads but no upstream would: NaN and Infinity, numbers out of range (1e400,
  thousands of digits), lone surrogates (`"\\ud800"`: not Unicode, cannot be written back out), and
  nesting deeper than MAX_DEPTH (the adapters, the validator and the encoder all recurse).
And the last line of defence: `unreadable_body`, the 400 for a body the adapters could not read
without saying why (a list where a string belongs, say), with one log line instead of a traceback.
Imports starlette and the sandbox's replies only.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import re
from typing import Any

from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from .replies import error_response

log = logging.getLogger("pipellm_tui.sandbox")

#: Deepest nesting of arrays and objects accepted. Real requests (tool schemas included) stay far
#: below; a body far deeper is a mistake or an attack, and would exhaust Python's recursion.
MAX_DEPTH = 100

_SURROGATE = re.compile("[\ud800-\udfff]")


class BodyProblem(ValueError):
    """A body the sandbox refuses: `status` (400, 408, 413) and a message naming the problem."""

    def __init__(self, status: int, message: str, param: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.param = param


class ClientGone(Exception):
    """The client closed the connection before its whole body arrived: there is no one to answer."""


async def read_body(request: Request, max_bytes: int, timeout: float) -> bytes:
    """The whole body, or BodyProblem (413, 408) / ClientGone."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise BodyProblem(413, _too_large(max_bytes, f"{int(declared):,} bytes"))
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(timeout):
            async for chunk in request.stream():
                size += len(chunk)
                if size > max_bytes:
                    raise BodyProblem(413, _too_large(max_bytes, f"more than {max_bytes:,} bytes"))
                chunks.append(chunk)
    except TimeoutError:
        raise BodyProblem(
            408, f"The request body did not arrive within {timeout:g} seconds ({size:,} bytes came)."
        ) from None
    except ClientDisconnect:
        raise ClientGone(f"the client left after sending {size:,} bytes of its body") from None
    return b"".join(chunks)


def _too_large(max_bytes: int, got: str) -> str:
    return f"Request body too large: {got}; the limit is {max_bytes:,} bytes."


def parse_json(raw: bytes) -> Any:
    """The body's JSON value, or BodyProblem(400) saying what is wrong and where."""
    try:
        value = json.loads(raw, parse_constant=_no_constant, parse_float=_finite_float, parse_int=_int)
    except RecursionError:
        raise BodyProblem(400, _too_deep("")) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise BodyProblem(400, f"Request body is not valid JSON: {exc}") from None
    problem = _problem(value)
    if problem is not None:
        path, message = problem
        raise BodyProblem(400, f"{path}: {message}" if path else message, path or None)
    return value


def _no_constant(constant: str) -> Any:
    """Python's json reads NaN and Infinity; JSON has neither, and no upstream would take them."""
    raise ValueError(f"{constant} is not a JSON value")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:40]} is out of range")
    return value


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:  # more digits than Python converts (4,300 by default)
        raise ValueError(f"a number with {len(text):,} digits is out of range") from None


def _too_deep(path: str) -> str:
    where = f" at {path}" if path else ""
    return f"Request body is nested too deeply{where}: at most {MAX_DEPTH} levels of arrays and objects."


def _problem(value: Any) -> tuple[str, str] | None:
    """The first nesting or Unicode problem, as (path, message), walking without recursion."""
    stack: list[tuple[Any, int, tuple[Any, ...]]] = [(value, 0, ())]
    while stack:
        item, depth, path = stack.pop()
        if isinstance(item, str):
            if not item.isascii() and (found := _SURROGATE.search(item)):
                return _path(path), _lone_surrogate(found.group())
        elif isinstance(item, dict | list):
            if depth >= MAX_DEPTH:
                return "", _too_deep(_path(path))
            pairs = item.items() if isinstance(item, dict) else enumerate(item)
            for key, child in pairs:
                if isinstance(key, str) and not key.isascii() and (found := _SURROGATE.search(key)):
                    return _path(path), f"a key holds {_lone_surrogate(found.group())}"
                stack.append((child, depth + 1, (path, key)))
    return None


def _lone_surrogate(char: str) -> str:
    return (
        f"holds a lone surrogate \\u{ord(char):04x}, which is not Unicode text "
        "(a JSON string must encode a character outside the BMP as a pair)"
    )


def _path(linked: tuple[Any, ...]) -> str:
    """`messages[0].content` from the linked (parent, key) pairs the walk keeps."""
    keys: list[Any] = []
    while linked:
        linked, key = linked
        keys.append(key)
    out = ""
    for key in reversed(keys):
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else str(key))
    return out


def unreadable_body(format_label: str, exc: Exception) -> Response:
    """A 400 for a body the adapters could not read and did not say why; one log line, no traceback
    (it is the client's mistake, but the adapter should have named it: the line says where to look)."""
    where = exc.__traceback__
    while where is not None and where.tb_next is not None:
        where = where.tb_next
    place = f"{where.tb_frame.f_code.co_filename.rsplit('/', 1)[-1]}:{where.tb_lineno}" if where else "?"
    log.warning("sandbox: unreadable %s body (%s: %s at %s)", format_label, type(exc).__name__, exc, place)
    return error_response(
        400,
        f"The request body could not be read as {format_label}: a value has the wrong type or shape "
        f"({type(exc).__name__}: {exc}). Check the body against the {format_label} API reference.",
    )
