"""What each "Copy …" / "Export …" palette command copies out of the session: the request JSON,
the answer text, the response JSON, Python code for the format's official SDK, the conversation as
Markdown or JSON. The key is never in any of them (exports name the key's variable). Textual-free:
the screen hands the result to `copy_out`.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..playground.request_draft import SendRefused

if TYPE_CHECKING:
    from ..playground.session import Session

#: (palette title, export id) in the order the palette lists them.
EXPORTS = (
    ("Copy request JSON", "request-json"),
    ("Copy answer text", "answer"),
    ("Copy response JSON", "response-json"),
    ("Copy as Python (official SDK)", "python"),
    ("Export conversation as Markdown", "conversation-md"),
    ("Export conversation as JSON", "conversation-json"),
)


def export_text(session: Session, what: str) -> tuple[str, str, str, str]:
    """(title, text, note, file name) of an export; SendRefused says why there is nothing to copy."""
    title = {k: t for t, k in EXPORTS}.get(what, what)
    exchange = session.exchange
    if what == "request-json":
        body = session.request_body()
        if body is None:
            raise SendRefused("The request is not a JSON object: fix the JSON first.")
        return title, json.dumps(body, indent=2, ensure_ascii=False), "", "request.json"
    if what in ("answer", "response-json"):
        if exchange is None:
            raise SendRefused("Nothing was received yet: send first.")
        if what == "answer":
            text = exchange.response.text if exchange.response is not None else ""
            return title, text, "", "answer.txt"
        payload: Any = (
            exchange.body if exchange.body is not None else (exchange.error.raw if exchange.error else None)
        )
        if payload is None:
            raise SendRefused("The response had no JSON body (a stream: see the raw events).")
        text = payload if isinstance(payload, str) else json.dumps(payload, indent=2, ensure_ascii=False)
        return title, text, "", "response.json"
    body = session.request_body()
    if body is None:
        raise SendRefused("The request is not a JSON object: fix the JSON first.")
    if what == "python":
        from ..playground.exports import export_request

        endpoint = session.endpoint
        if endpoint is None:
            raise SendRefused("The endpoint is not ready yet (the sandbox is starting).")
        code = export_request(
            "python",
            session.format,
            session.route_kind,
            endpoint.base_url,
            session.model,
            body,
            session.key_env,
        )
        return title, code, f"The key is read from ${session.key_env} when it runs.", "request.py"
    answer = None
    if exchange is not None and exchange.plan.format is session.format:
        answer = exchange.response
    if what == "conversation-md":
        from ..export.conversation import conversation_markdown

        text = conversation_markdown(session.format, body, model=session.model, answer=answer)
        return title, text, "Saved to a file too (below).", "conversation.md"
    if what == "conversation-json":
        from ..export.conversation import conversation_json

        text = conversation_json(session.format, body, model=session.model, answer=answer)
        return title, text, "Saved to a file too (below).", "conversation.json"
    raise SendRefused(f"Unknown export {what!r}.")
