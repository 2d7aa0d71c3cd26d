"""The history pane: past sends, newest first, searched as you type (model, route, format,
status, error, answer text), one opened back into the editor or sent again.

The list comes from `store.history.History.list` in a worker thread (the file opens on first use,
never on the start-up path); each keystroke starts a new search and cancels the one before. What
to do with the chosen entry goes back to the main screen as `(what, entry id)`. Must not import
httpx2.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

if TYPE_CHECKING:
    from ..store.history import History, HistorySummary
    from .workbench import Workbench

#: Rows shown per search (the newest); a narrower search finds older ones.
PAGE = 60
#: What the screen hands back: open the entry, send it again, again on the other route, again in
#: another format (converted).
CHOICES = ("open", "send", "route", "format")


def summary_line(row: HistorySummary) -> str:
    when = time.strftime("%m-%d %H:%M", time.localtime(row.at))
    status = str(row.status) if row.status is not None else "—"
    answer = (row.error or row.answer_preview).replace("\n", " ")[:80]
    return f"{when}  {status:>3}  {row.format:<16} {row.route:<9} {row.model:<28} {answer}"


class HistoryScreen(Screen[tuple[str, int] | None]):
    # Its style is in app.tcss: a DEFAULT_CSS would make the first F10 re-parse every style sheet.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Close", id="history-close"),
        Binding("enter", "choose('open')", "Open", id="history-open", priority=True),
        Binding("ctrl+j", "choose('send')", "Send again", id="history-send", priority=True),
        Binding("ctrl+r", "choose('route')", "Again, other route", id="history-route", priority=True),
        Binding("ctrl+t", "choose('format')", "Again, other format", id="history-format", priority=True),
        Binding("alt+d", "delete", "Delete", id="history-delete", priority=True),
        Binding("down", "move(1)", show=False, id="history-down", priority=True),
        Binding("up", "move(-1)", show=False, id="history-up", priority=True),
    ]

    def __init__(self, workbench: Workbench) -> None:
        super().__init__()
        self.workbench = workbench
        self.rows: list[HistorySummary] = []
        #: How many searches have been shown (tests and the bench wait on it).
        self.shown = 0

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "History"
            yield Static(
                "Type to search (model, route, status, text). Enter: open · ctrl+j: send again · "
                "ctrl+r: again on the other route · ctrl+t: again in another format · alt+d: delete · "
                "Esc: close",
                id="history-help",
            )
            yield Input(placeholder="search…", id="history-search")
            yield OptionList(id="history-list")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self.search("")

    @on(Input.Changed, "#history-search")
    def _typed(self, event: Input.Changed) -> None:
        self.search(event.value)

    @work(exclusive=True, group="history", exit_on_error=False)
    async def search(self, query: str) -> None:
        import asyncio

        history = self.workbench._history
        if history is None:
            history = await asyncio.to_thread(lambda: self.workbench.history)
        rows = await asyncio.to_thread(self._list, history, query)
        self.show(rows, history)

    @staticmethod
    def _list(history: History, query: str) -> list[HistorySummary]:
        return history.list(limit=PAGE, search=query)

    def show(self, rows: list[HistorySummary], history: History) -> None:
        self.rows = rows
        listing = self.query_one(OptionList)
        listing.clear_options()
        listing.add_options([Option(Text(summary_line(row)), id=str(row.id)) for row in rows])
        if rows:
            listing.highlighted = 0
        problem = f"  {history.problem}" if history.problem else ""
        self.query_one(Vertical).border_subtitle = f"{len(rows)} shown of {history.count()}{problem}"
        self.shown += 1

    def action_move(self, step: int) -> None:
        listing = self.query_one(OptionList)
        if listing.option_count:
            current = listing.highlighted or 0
            listing.highlighted = max(0, min(listing.option_count - 1, current + step))

    def action_choose(self, what: str) -> None:
        listing = self.query_one(OptionList)
        if listing.highlighted is None or not self.rows:
            self.notify("No entry to open.", title="History", severity="warning")
            return
        self.dismiss((what, self.rows[listing.highlighted].id))

    @work(exclusive=True, group="history", exit_on_error=False)
    async def action_delete(self) -> None:
        import asyncio

        listing = self.query_one(OptionList)
        if listing.highlighted is None or not self.rows:
            return
        row = self.rows[listing.highlighted]
        history = self.workbench.history
        await asyncio.to_thread(history.delete, row.id)
        rows = await asyncio.to_thread(self._list, history, self.query_one(Input).value)
        self.show(rows, history)
        listing.highlighted = min(listing.highlighted or 0, max(0, len(rows) - 1)) if rows else None
        self.notify(f"Deleted the {row.model} entry.", title="History")

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(("open", self.rows[event.option_index].id))
