"""Rate limits: limit, remaining and a live countdown to the reset, plus the last requests.

Reads the session's `RateLimits` (from the `x-ratelimit-*` headers of every response) and its
history; the countdown ticks twice a second on the session's clock, so tests move a fake clock
instead of sleeping. 429 and 402 stand out. Must not import httpx2.
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from ..guard import guarded
from .text_update import update_text

if TYPE_CHECKING:
    from textual.widgets import DataTable

    from ...playground.rate_limit_history import LimitRecord
    from ...playground.session import Session

TICK_SECONDS = 0.5
STANDS_OUT = {429: "bold red", 402: "bold magenta"}


def countdown(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    whole = max(0, math.ceil(seconds))
    return f"{whole // 60}m{whole % 60:02d}s" if whole >= 60 else f"{whole}s"


def clock_time(at: float) -> str:
    return time.strftime("%H:%M:%S", time.gmtime(at))


class RateLimitsPane(Vertical):
    DEFAULT_CSS = """
    RateLimitsPane { height: 1fr; padding: 0 1; }
    RateLimitsPane #limits-summary { height: auto; margin-bottom: 1; }
    RateLimitsPane.-limited #limits-summary { color: $error; text-style: bold; }
    RateLimitsPane DataTable { height: 1fr; }
    """

    def __init__(self, session: Session, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session
        self._history_key: tuple[object, ...] | None = None

    def compose(self) -> ComposeResult:
        yield Static("No response yet: limits arrive with the first answer.", id="limits-summary")

    async def mount_history(self) -> None:
        """The table of the last requests (once). On a hidden tab, with nothing in it before the
        first answer: mounted after the panes' first paint (startup.py), not with them."""
        if self.query("#limits-history"):
            return
        from textual.widgets import DataTable

        table: DataTable[Text] = DataTable(id="limits-history", cursor_type="row", zebra_stripes=True)
        await self.mount(table)
        table.add_columns("time (UTC)", "status", "remaining", "limit")
        self._history_key = None
        self._sync_history()

    def on_mount(self) -> None:
        # The clock's part only: the countdowns move with time. New rows come when the screen
        # says an exchange ended (`tick`); the pane does not poll the session for them.
        self.set_interval(TICK_SECONDS, self.show_summary)

    def tick(self) -> None:
        """An exchange ended: the summary and the history's new rows."""
        self.show_summary()
        self._sync_history()

    @guarded  # on a timer: what the server sent is drawn here
    def show_summary(self) -> None:
        """The limits, with their countdowns to the reset and to the retry."""
        limits = self.session.rate_limits
        summary = self.query_one("#limits-summary", Static)
        if limits is not None:
            lines = [
                f"Limit      {limits.limit if limits.limit is not None else '—'} requests / minute",
                f"Remaining  {limits.remaining if limits.remaining is not None else '—'}",
                f"Resets in  {countdown(self.session.seconds_until_reset())}",
            ]
            retry = self.session.retry_in()
            if retry is not None:
                lines.append(f"Retry in   {countdown(retry)}")
            update_text(summary, "\n".join(lines))
        last = self.session.history[-1] if self.session.history else None
        self.set_class(last is not None and last.status in STANDS_OUT, "-limited")

    def _sync_history(self) -> None:
        tables = self.query("#limits-history")
        if not tables:
            return  # not mounted yet: it shows the history when it is
        history = list(self.session.history)
        # The history is a bounded deque: rebuild when it changed (at most 10 rows, cheap).
        key = (len(history), history[-1].at if history else None, id(history[-1]) if history else None)
        if key == self._history_key:
            return
        self._history_key = key
        table = cast("DataTable[Text]", tables.first())
        table.clear()
        for record in reversed(history):
            table.add_row(*row_cells(record))


def row_cells(record: LimitRecord) -> tuple[Text, ...]:
    style = STANDS_OUT.get(record.status or 0, "")
    status = str(record.status) if record.status is not None else "network"
    values = (
        clock_time(record.at),
        status,
        str(record.remaining) if record.remaining is not None else "—",
        str(record.limit) if record.limit is not None else "—",
    )
    return tuple(Text(v, style=style) for v in values)
