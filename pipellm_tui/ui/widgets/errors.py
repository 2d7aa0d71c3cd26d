"""The error pane: status, type, code, message, whether and when to retry, what to do next, the raw body.

Shows an `ApiError` (HTTP errors and network failures alike), a refusal to send (invalid request,
unavailable route) and anything unexpected from a worker, as text, never as a traceback. The retry
countdown ticks on the session's clock. Must not import httpx2.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Button, Static

from ..guard import guarded
from .ratelimits import countdown
from .text_update import update_text

if TYPE_CHECKING:
    from ...playground.session import Session
    from ...protocols.errors import ApiError

TICK_SECONDS = 0.5
RAW_LIMIT = 4000


def error_text(error: ApiError, retry_in: float | None, http_status: int | None = None) -> Text:
    """The error as Rich Text (not markup: bodies hold brackets and backslashes). `http_status`: the
    status of the response the error arrived in, when the error itself has none (an error event in
    a 200 stream, a malformed event): then there was a response, and the pane says which."""
    if error.status is not None:
        status = str(error.status)
    elif http_status is not None:
        status = f"{http_status}, then this error inside the answer"
    else:
        status = "no response"
    if error.retryable:
        if retry_in is None:
            retry = "yes (alt+r: retry now)"
        elif retry_in <= 0:
            retry = "yes, now (alt+r)"
        else:
            retry = f"yes, in {countdown(retry_in)} (alt+r: retry now)"
    else:
        retry = "no"
    rows = [
        ("Status", status),
        ("Type", error.type),
        ("Code", error.code or "—"),
        ("Message", error.message),
        ("Retry", retry),
        ("What next", error.advice),
    ]
    if error.rate_limit:
        rows.append(("Limit", ", ".join(f"{k}={v:g}" for k, v in error.rate_limit.items())))
    text = Text()
    for name, value in rows:
        text.append(f"{name:<10}", style="bold")
        text.append(f"{value}\n")
    raw = error.raw if len(error.raw) <= RAW_LIMIT else error.raw[:RAW_LIMIT] + "…"
    text.append("\nRaw body\n", style="bold")
    text.append(raw or "(empty)")
    return text


class ErrorPane(VerticalScroll):
    DEFAULT_CSS = """
    ErrorPane { height: 1fr; padding: 0 1; }
    ErrorPane #error-title { text-style: bold; color: $success; }
    ErrorPane.-failed #error-title { color: $error; }
    ErrorPane #retry-now { display: none; margin: 1 0 0 0; }
    ErrorPane.-retryable #retry-now { display: block; }
    """

    def __init__(self, session: Session, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session
        self._shown: ApiError | None = None
        self._http_status: int | None = None

    def compose(self) -> ComposeResult:
        yield Static("No error.", id="error-title")
        yield Button("Retry now (alt+r)", id="retry-now", compact=True)
        yield Static("", id="error-body")

    def on_mount(self) -> None:
        self.set_interval(TICK_SECONDS, self.tick)

    def show_error(self, error: ApiError, http_status: int | None = None) -> None:
        """`http_status`: the response's status when the error came inside it (see `error_text`)."""
        self._shown = error
        self._http_status = http_status
        self.add_class("-failed")
        self.set_class(error.retryable, "-retryable")
        if error.status is not None:
            title = f"HTTP {error.status}"
        elif http_status is not None:
            title = f"HTTP {http_status}, then an error"
        else:
            title = "Network failure"
        update_text(self.query_one("#error-title", Static), Text(f"{title} · {error.type}"))
        self.tick()

    def show_problem(self, title: str, detail: str = "") -> None:
        """A problem that is not an API error (a refused send, an unexpected failure)."""
        self._shown = None
        self.add_class("-failed")
        self.remove_class("-retryable")
        update_text(self.query_one("#error-title", Static), Text(title))
        update_text(self.query_one("#error-body", Static), Text(detail))

    def clear(self, status: int | None = None) -> None:
        """No error; `status`: the HTTP status of the answer that came without one."""
        self._shown = None
        self.remove_class("-failed", "-retryable")
        update_text(self.query_one("#error-title", Static), f"No error: HTTP {status}" if status else "No error.")
        update_text(self.query_one("#error-body", Static), "")

    @guarded  # on a timer: what the server sent is drawn here
    def tick(self) -> None:
        if self._shown is not None:
            retry_in = self.session.retry_in() if self.session.error is self._shown else None
            body = self.query_one("#error-body", Static)
            update_text(body, error_text(self._shown, retry_in, self._http_status))

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "retry-now":
            event.stop()
            await self.screen.run_action("retry_now")
