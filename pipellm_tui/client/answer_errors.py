"""What is wrong with an answer: the error an error status carries (in a JSON body or in an SSE
`error` event), an answer that is not what its format says (`invalid_response`), and reading an
answer's JSON without a RecursionError. No I/O; must not import Textual or httpx2.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from ..protocols.errors import ApiError, network_error, parse_error
from ..protocols.sse import parse_sse


def loads_answer_json(data: str | bytes) -> Any:
    """`json.loads`, with JSON nested too deeply for Python's stack raised as the ValueError it
    is rather than a RecursionError (a hostile server can send `[[[[...]]]]`)."""
    try:
        return json.loads(data)
    except RecursionError:
        raise ValueError("the JSON is nested too deeply to read") from None


def error_of_answer(status: int, body: bytes, headers: dict[str, str]) -> ApiError:
    """The error of an answer with an error status. A server that answers in `text/event-stream`
    puts its error in an event (`event: error`, `data: {"error": ...}`): that event is parsed, so
    its type, code and message reach the user, not just "500 Internal Server Error"."""
    if headers.get("content-type", "").startswith("text/event-stream"):
        text = body.decode("utf-8", errors="replace")
        for event in parse_sse(text):
            try:
                payload = loads_answer_json(event.data)
            except ValueError:
                continue
            if isinstance(payload, dict) and (
                "error" in payload
                or payload.get("type") in ("error", "response.failed")
                or event.event == "error"
            ):
                return dataclasses.replace(parse_error(status, event.data, headers), raw=text)
    return parse_error(status, body, headers)


def invalid_answer(message: str, content: bytes) -> ApiError:
    error = network_error("invalid_response", message)
    return dataclasses.replace(error, retryable=False, raw=content.decode("utf-8", errors="replace"))
