"""API errors as values: one parser for every error body a gateway or the three formats send.

Shapes understood (pipellm-api.md §2.2, §5, §6; conversion.md §D):
- PipeLLM `{"error": {"type", "code", "message"[, "rate_limit": {"rpm", "qps"}]}}`, `code` a status
  string ("429") or a slug ("rate_limit_exceeded");
- OpenAI `{"error": {"message", "type", "param", "code"}}` (also as a `data:` line mid-stream);
- OpenAI Responses stream `{"type": "error", "code", "message"}` and `response.failed`;
- Anthropic `{"type": "error", "error": {"type", "message"}, "request_id"}`;
- Gemini `{"error": {"code": <int>, "message", "status", "details"}}`, also wrapped in a 1-element list;
- WebSearch `{"code": 401, "message": ...}`;
- anything else (HTML from a proxy, plain text, nothing): the message comes from the status phrase
  and the body is kept verbatim in `raw`.

`parse_error` never raises, whatever it is given. No I/O; standard library only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from .ratelimits import parse_reset, retry_after_seconds

# Failures that never got an HTTP response (status None) or broke after it began have a `type` of
# their own: network_error, timeout, connection_refused, stream_interrupted, malformed_event,
# invalid_response.
#: Network failures worth another try: the request may simply not have arrived.
_RETRYABLE_NETWORK = frozenset({"network_error", "timeout", "connection_refused", "stream_interrupted"})
#: Error types that mean "try again later" even when the status does not say so (mid-stream errors).
_RETRYABLE_TYPES = frozenset(
    {"rate_limit_error", "overloaded_error", "api_error", "server_error", "timeout_error", "internal_error"}
)

#: PipeLLM's documented error table (pipellm-api.md §5.2): the sandbox answers with these types, and a
#: body that names no type is read with them. 500+ not listed is `api_error`, see `documented_error_type`.
DOCUMENTED_ERROR_TYPES: Mapping[int, str] = {
    400: "invalid_request_error",
    401: "authentication_error",
    402: "insufficient_balance",
    403: "permission_error",
    404: "not_found_error",
    405: "invalid_request_error",
    429: "rate_limit_error",
    529: "overloaded_error",
}

#: Reading other servers' bare statuses: the documented table plus the usual meaning of statuses
#: PipeLLM does not document (a proxy's 408/413/504, a framework's 409/422).
_TYPE_FOR_STATUS = {
    **DOCUMENTED_ERROR_TYPES,
    408: "timeout_error",
    409: "conflict_error",
    413: "request_too_large",
    422: "invalid_request_error",
    504: "timeout_error",
}

#: Gemini's `status` strings mapped onto the same vocabulary, so advice and colours agree.
_TYPE_FOR_GRPC_STATUS = {
    "INVALID_ARGUMENT": "invalid_request_error",
    "FAILED_PRECONDITION": "invalid_request_error",
    "OUT_OF_RANGE": "invalid_request_error",
    "UNAUTHENTICATED": "authentication_error",
    "PERMISSION_DENIED": "permission_error",
    "NOT_FOUND": "not_found_error",
    "ALREADY_EXISTS": "conflict_error",
    "ABORTED": "conflict_error",
    "RESOURCE_EXHAUSTED": "rate_limit_error",
    "INTERNAL": "api_error",
    "UNKNOWN": "api_error",
    "UNAVAILABLE": "overloaded_error",
    "DEADLINE_EXCEEDED": "timeout_error",
}

_EXTRA_PHRASES = {
    529: "Overloaded",
    520: "Unknown Error",
    522: "Connection Timed Out",
    524: "A Timeout Occurred",
}
_SUGGESTIONS = re.compile(r"Did you mean one of these:\s*([^;\n]+)", re.IGNORECASE)
_HTML_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
#: A plain-text body longer than this is not a message, it is a page.
_MAX_TEXT_MESSAGE = 300


@dataclass(frozen=True, slots=True)
class ApiError:
    #: HTTP status; None for network failures (no HTTP response).
    status: int | None
    #: "rate_limit_error", "authentication_error", ... or a network failure's type (see the top).
    type: str
    #: PipeLLM code (status string "429" or slug "rate_limit_exceeded"), OpenAI code, Gemini status.
    code: str | None
    message: str
    retryable: bool
    #: Seconds to wait, from Retry-After (seconds or HTTP date), retry-after-ms or Gemini RetryInfo.
    retry_after: float | None
    #: The body text exactly as received (may be HTML, empty, ...).
    raw: str
    #: PipeLLM's `{"rpm", "qps"}` on a 429.
    rate_limit: dict[str, float] | None = None

    @property
    def title(self) -> str:
        """A one-line heading: "429 rate_limit_error" or "timeout"."""
        return f"{self.status} {self.type}" if self.status is not None else self.type

    @property
    def suggestions(self) -> list[str]:
        """Model ids the gateway proposed ("Did you mean one of these: a, b; ...")."""
        found = _SUGGESTIONS.search(self.message)
        if not found:
            return []
        return [s.strip().rstrip(".") for s in found.group(1).split(",") if s.strip()]

    @property
    def advice(self) -> str:
        """What to do next, in plain words."""
        if self.status is None:
            return _NETWORK_ADVICE.get(self.type, "Check the base URL and your connection, then retry.")
        text = self.message.lower()
        if self.status == 401 or self.type == "authentication_error":
            return (
                "Check the API key: set PIPELLM_API_KEY (or the profile's key) to a valid key; keys are at "
                "https://console.pipellm.com/account/api-keys."
            )
        if self.status == 402 or self.type in ("insufficient_balance", "billing_error"):
            return "Top up the balance at https://console.pipellm.com/billing, then send again."
        if self.status == 429 or self.type == "rate_limit_error":
            # How long to wait is the Retry line's (one countdown), not repeated here.
            limit = ""
            if self.rate_limit and "rpm" in self.rate_limit:
                limit = f" Your limit is {self.rate_limit['rpm']:g} requests per minute."
            return f"Rate limited: wait until the window frees a request, then retry.{limit}"
        if self.status == 529 or self.type == "overloaded_error":
            return "The upstream is overloaded: retry in a little while, with backoff."
        if self.status == 405:
            return "This path does not accept that HTTP method: check the route."
        if "not available yet" in text:
            return (
                "This route is not available yet: use the OpenAI Chat Completions converter route "
                "(/openai/v1/chat/completions) for cross-protocol calls."
            )
        if "converter" in text or "protocol" in text:
            return (
                "This model speaks another protocol: switch the route to 'converter' to keep this format, "
                "or pick a model of this format's family."
            )
        if self._is_unknown_model(text):
            hint = f" Did you mean: {', '.join(self.suggestions)}?" if self.suggestions else ""
            return f"Unknown model: pick one from the model list (GET /v1/models).{hint}"
        if self.status == 403 or self.type == "permission_error":
            return "This key may not use that resource: check the account's access or pick another model."
        if self.status == 404:
            return "Not found: check the base URL, the route and the model id."
        if self.status == 413 or self.type == "request_too_large":
            return "The request is too large: shorten the messages or drop large images."
        if 400 <= self.status < 500:
            return "The request was rejected: fix what the message names and send again."
        if self.status >= 500:
            return "Server error: retry; if it keeps happening, the problem is on the server side."
        return "See the raw body for details."

    def _is_unknown_model(self, text: str) -> bool:
        if "not a valid model" in text:
            return True
        return self.status == 404 and "model" in text


_NETWORK_ADVICE = {
    "network_error": "Could not reach the server: check the base URL and your connection.",
    "connection_refused": "Nothing is listening there: check the base URL (host and port).",
    "timeout": "The server took too long: retry, or raise the read timeout for slow streams.",
    "stream_interrupted": "The stream was cut off before it finished: send again.",
    "malformed_event": "The server sent an event that is not valid for this format: see the raw events.",
    "invalid_response": "The response is not what this format expects: see the raw body.",
}


def network_error(type: str, message: str) -> ApiError:
    """A failure without an HTTP response (or one that broke mid-way): refused, timed out, cut off."""
    return ApiError(
        status=None,
        type=type,
        code=None,
        message=message,
        retryable=type in _RETRYABLE_NETWORK,
        retry_after=None,
        raw="",
    )


def error_envelope(
    status: int, type: str, message: str, code: str | None = None, **extra: Any
) -> dict[str, Any]:
    """PipeLLM's error body: `{"error": {"type", "code", "message", ...extra}}`; code defaults to the status."""
    return {
        "error": {
            "type": type,
            "code": code if code is not None else str(status),
            "message": message,
            **extra,
        }
    }


def parse_error(status: int | None, body: bytes | str, headers: Mapping[str, str] | None = None) -> ApiError:
    """Whatever came back, as an ApiError. Never raises."""
    try:
        return _parse(status, body, headers or {})
    except Exception:  # noqa: BLE001 - the contract is "never raises": this is the last guard
        if not isinstance(status, int) or isinstance(status, bool) or not 100 <= status <= 999:
            status = None
        try:
            raw = _as_text(body)
        except Exception:  # noqa: BLE001 - a body that cannot even be shown as text
            raw = ""
        return ApiError(
            status, _default_type(status), None, _status_phrase(status), _retryable(status, ""), None, raw
        )


def _parse(status: int | None, body: bytes | str, headers: Mapping[str, str]) -> ApiError:
    raw = _as_text(body)
    fields = _fields_from_json(raw)
    if status is not None and not isinstance(status, int):
        status = None
    body_status = fields.get("status")
    if (status is None or status < 400) and isinstance(body_status, int) and 100 <= body_status <= 599:
        status = body_status
    type_ = fields.get("type") or _default_type(status)
    message = fields.get("message") or _message_without_json(status, raw)
    retry_after = retry_after_seconds(headers)
    if retry_after is None:
        retry_after = fields.get("retry_after")
    retryable = _retryable(status, type_)
    should_retry = {str(k).lower(): str(v) for k, v in headers.items()}.get("x-should-retry")
    if should_retry in ("true", "false"):
        retryable = should_retry == "true"
    return ApiError(
        status=status,
        type=str(type_),
        code=fields.get("code"),
        message=str(message),
        retryable=retryable,
        retry_after=retry_after,
        raw=raw,
        rate_limit=fields.get("rate_limit"),
    )


def _fields_from_json(raw: str) -> dict[str, Any]:
    """type / code / message / status / rate_limit / retry_after from any known JSON error shape."""
    stripped = raw.strip()
    if not stripped or stripped[0] not in "{[":
        return {}
    try:
        data = json.loads(stripped)
    except (ValueError, RecursionError):
        return {}
    if isinstance(data, list) and len(data) == 1:
        data = data[0]  # Gemini sometimes wraps its error in a list
    if not isinstance(data, dict):
        return {}
    error = data.get("error")
    if isinstance(error, dict):
        return _from_error_object(error)
    if isinstance(error, str):
        return {"message": error, "type": _text(data.get("type")) if data.get("type") != "error" else None}
    if data.get("type") == "response.failed" and isinstance(data.get("response"), dict):
        inner = data["response"].get("error")
        if isinstance(inner, dict):
            return {
                "message": _text(inner.get("message")),
                "code": _text(inner.get("code")),
                "type": "api_error",
            }
    out: dict[str, Any] = {"message": _text(data.get("message")) or _text(data.get("detail"))}
    code = data.get("code")
    if isinstance(code, int) and not isinstance(code, bool):
        out["status"] = code  # WebSearch: {"code": 401, "message": ...}
        out["code"] = str(code)
    else:
        out["code"] = _text(code)  # OpenAI Responses stream error event
    return out


def _from_error_object(error: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"message": _text(error.get("message"))}
    code = error.get("code")
    grpc_status = _text(error.get("status"))
    if isinstance(code, int) and not isinstance(code, bool):
        out["status"] = code  # Gemini: the numeric HTTP status
        out["code"] = grpc_status or str(code)
    else:
        out["code"] = _text(code)
        if out["code"] and out["code"].isdigit():
            out["status"] = int(out["code"])
    out["type"] = _text(error.get("type")) or _TYPE_FOR_GRPC_STATUS.get(grpc_status or "")
    rate_limit = error.get("rate_limit")
    if isinstance(rate_limit, dict):
        numbers = {
            str(k): float(v)
            for k, v in rate_limit.items()
            if isinstance(v, (int, float)) and not isinstance(v, bool)
        }
        out["rate_limit"] = numbers or None
    out["retry_after"] = _gemini_retry_delay(error.get("details"))
    return out


def _gemini_retry_delay(details: Any) -> float | None:
    """`google.rpc.RetryInfo` carries `retryDelay: "30s"`."""
    if not isinstance(details, list):
        return None
    for detail in details:
        if isinstance(detail, dict) and str(detail.get("@type", "")).endswith("RetryInfo"):
            delay = detail.get("retryDelay")
            if isinstance(delay, str):
                return parse_reset(delay, 0.0)
    return None


def _message_without_json(status: int | None, raw: str) -> str:
    """For HTML, plain text or empty bodies: the status phrase, plus a short text or an HTML title."""
    phrase = _status_phrase(status)
    text = raw.strip()
    if not text:
        return phrase
    title = _HTML_TITLE.search(text[:4096])
    if title:
        heading = " ".join(title.group(1).split())
        return f"{phrase}: {heading}" if heading and heading not in phrase else phrase
    if text.startswith(("<", "{", "[")) or len(text) > _MAX_TEXT_MESSAGE or "\n" in text:
        return phrase
    return f"{phrase}: {text}"


def _status_phrase(status: int | None) -> str:
    if status is None:
        return "No response from the server"
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = _EXTRA_PHRASES.get(status, "")
    return f"{status} {phrase}" if phrase else f"HTTP {status}"


def documented_error_type(status: int) -> str:
    """The `type` PipeLLM documents for an error status (§5.2); what the sandbox answers with."""
    return DOCUMENTED_ERROR_TYPES.get(status, "api_error" if status >= 500 else "invalid_request_error")


def _default_type(status: int | None) -> str:
    if status is None:
        return "network_error"
    if status in _TYPE_FOR_STATUS:
        return _TYPE_FOR_STATUS[status]
    if status >= 400:
        return "api_error" if status >= 500 else "invalid_request_error"
    return "api_error"


def _retryable(status: int | None, type_: str) -> bool:
    if status is None:
        return type_ in _RETRYABLE_NETWORK or type_ in _RETRYABLE_TYPES
    if status in (408, 409, 429) or 500 <= status <= 599:
        return True
    if status >= 400:
        return False
    # An error inside a 200 stream: only its type can tell.
    return type_ in _RETRYABLE_TYPES


def _as_text(body: bytes | str | Any) -> str:
    if isinstance(body, str):
        return body
    if isinstance(body, (bytes, bytearray, memoryview)):
        return bytes(body).decode("utf-8", errors="replace")
    return "" if body is None else str(body)


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    return str(value)
