"""What the server says it forwarded upstream: the sandbox's `GET /_sandbox/exchanges/{request_id}`.

The payloads pane shows our own converter's prediction of what a converter route sends upstream;
where the server tells what it really forwarded, that is shown next to it and differences are
marked. Only the sandbox says so today (a PipeLLM response carries no such record), so any failure
(404, not JSON, unreachable, too big) simply means "the server does not say": None, never an error.
Standard library only, in a thread, like the model list (catalog.py). Must not import Textual.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from .catalog import USER_AGENT, _NoRedirects

FORWARDED_PATH = "/_sandbox/exchanges/"
#: A record holds two payloads; anything larger than this is not one worth showing.
MAX_RECORD_BYTES = 8 * 1024 * 1024


def fetch_forwarded(base_url: str, request_id: str, timeout: float = 5.0) -> dict[str, Any] | None:
    """The server's record of one exchange (`upstream_request`, `upstream_response`, `warnings`,
    ...), or None when the server does not say. Blocking: run it in a thread."""
    import urllib.request

    opener = urllib.request.build_opener(_NoRedirects)  # a redirect is not a record: None
    url = f"{base_url.rstrip('/')}{FORWARDED_PATH}{quote(request_id, safe='')}"
    request = urllib.request.Request(url, headers={"user-agent": USER_AGENT, "accept": "application/json"})
    try:
        with opener.open(request, timeout=timeout) as response:
            data = response.read(MAX_RECORD_BYTES + 1)
    except (OSError, ValueError):  # URLError is an OSError
        return None
    if len(data) > MAX_RECORD_BYTES:
        return None
    try:
        record = json.loads(data)
    except (ValueError, RecursionError):
        return None
    return record if isinstance(record, dict) else None
