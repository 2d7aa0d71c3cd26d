"""The sandbox's error replies, all in PipeLLM's documented envelope (pipellm-api.md §5).

Owns the documented messages and turning them into starlette responses (the `type` per status is
`protocols.errors.documented_error_type`).
Imports starlette and protocols only.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import Response

from ..protocols.errors import documented_error_type, error_envelope

CONSOLE = "https://console.pipellm.com"

WRONG_KEY = f"Incorrect API key provided. Please visit {CONSOLE}/account/api-keys to find your API key."
NO_BALANCE = f"Insufficient balance. Please recharge your account at {CONSOLE}/billing."
INTERNAL = "Internal server error occurred. Our team has been notified and is working on it."
OVERLOADED = "The service is temporarily overloaded. Please retry later."
MISSING_MODEL = "The 'model' field is required but was not provided in the request"

BAD_GATEWAY_HTML = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)


def error_body(status: int, message: str, type: str | None = None, **extra: Any) -> dict[str, Any]:
    error_type = type or documented_error_type(status)
    return error_envelope(status, error_type, message, str(status), **extra)


def error_response(
    status: int, message: str, type: str | None = None, headers: dict[str, str] | None = None, **extra: Any
) -> Response:
    body = json.dumps(error_body(status, message, type, **extra), separators=(",", ":"))
    return Response(body, status_code=status, headers=headers, media_type="application/json")


def rate_limited_message(rpm: int) -> str:
    # Integer division, as in the documented example: rpm 100 -> "approximately 1 requests per second".
    return (
        f"Rate limit exceeded. Your current limit is {rpm} requests per minute (approximately "
        f"{rpm // 60} requests per second). Please visit {CONSOLE}/billing to upgrade your plan for higher limits."
    )


def rate_limited_response(rpm: int, retry_after: int) -> Response:
    return error_response(
        429,
        rate_limited_message(rpm),
        headers={"retry-after": str(retry_after)},
        rate_limit={"rpm": rpm, "qps": rpm // 60},
    )


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        json.dumps(body, separators=(",", ":"), ensure_ascii=False),
        status_code=status,
        headers=headers,
        media_type="application/json",
    )
