"""The compare screen: one request on several routes or models, a column each, then the report.

The main screen opens it with a `Comparison` (playground/compare.py) that the core built from the
session's request (`comparison_from_session`): the core converts, plans, paces and sends; this
screen runs it in a worker and renders its state. Columns are brought up to date on a timer
(every `TICK_SECONDS`), each writing only what arrived since, so four fast streams cost a few
repaints a second rather than one per chunk; the keyboard stays responsive.

Keys: Esc cancels every run and keeps what arrived (Esc again, or q, goes back); r runs the
comparison again; + and - change how many times each target runs (p50 / p90 in the summary).
Must not import httpx2.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Static

from ..playground.compare import Comparison, Endpoint, OnExchange
from ..playground.compare_targets import Target
from .garbage import full_collections_deferred
from .widgets.compare_column import CompareColumn
from .widgets.compare_report_view import CompareReport, prepare_report
from .widgets.keybar import KeyBar

if TYPE_CHECKING:
    from ..playground.session import Session
    from ..protocols.ir import Usage

#: How often the columns catch up with their runs (seconds).
TICK_SECONDS = 0.1
MAX_REPEAT = 20


def comparison_from_session(
    session: Session, targets: list[Target], *, repeat: int = 1, on_exchange: OnExchange | None = None
) -> Comparison:
    """The comparison of the session's request on `targets` (the core converts and plans it).
    Raises SendRefused (from `session.plan`'s checks) when the request cannot be sent."""
    from ..playground.request_draft import SendRefused

    endpoint = session.endpoint
    if endpoint is None:
        raise SendRefused("The endpoint is not ready yet (the sandbox is starting).")
    issue = session.validate()
    body = session.request_body()
    if issue is not None or body is None:
        where = f" at {issue.path}" if issue is not None and issue.path else ""
        message = issue.message if issue is not None else "expected a JSON object"
        raise SendRefused(f"Not compared: the request is invalid{where}: {message}")

    def price(model: str, usage: Usage) -> float | None:
        info = session.model_info(model)
        return info.pricing.cost(usage) if info is not None and info.pricing is not None else None

    return Comparison(
        session.client, Endpoint(endpoint.base_url, endpoint.api_key), session.format, body, targets,
        repeat=repeat, price=price, on_exchange=on_exchange,
    )  # fmt: skip


class CompareScreen(Screen[None]):
    DEFAULT_CSS = """
    CompareScreen #compare-title { height: 1; padding: 0 1; background: $boost; }
    CompareScreen #compare-columns { height: 3fr; }
    CompareScreen #compare-report { height: 2fr; border: round $panel-lighten-2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel_or_close", "Cancel / back", id="compare-cancel", priority=True),
        Binding("q", "close", "Back", id="compare-close", priority=True),
        Binding("r", "rerun", "Run again", id="compare-rerun", priority=True),
        Binding("plus,equals_sign", "repeat(1)", "Repeat +1", id="compare-repeat-more", priority=True),
        Binding("minus", "repeat(-1)", "Repeat -1", id="compare-repeat-less", priority=True),
    ]
    # Priority: the screen has no text field, and a key then goes straight to its action instead of
    # down to the focused column and back up (a loop turn per step while four streams run).

    def __init__(self, comparison: Comparison, title: str, rebuild: Callable[[int], Comparison]) -> None:
        super().__init__()
        self.comparison = comparison
        self.heading = title
        #: Builds the same comparison again with another repeat count (`r`, `+`, `-`).
        self._rebuild = rebuild
        self.repeat = comparison.repeat
        self.running = False

    def compose(self) -> ComposeResult:
        yield Static(self._title(), id="compare-title", markup=False)
        with Horizontal(id="compare-columns"):
            for index, target in enumerate(self.comparison.targets):
                yield CompareColumn(target.route_label, id=f"compare-column-{index}")
        with Vertical(id="compare-report"):
            # The report's tabs are built when there is a report: opening the screen while four
            # streams start was the slowest moment for a key press (bench/compare_render.py).
            yield Static("The report comes when the runs have ended.", id="compare-report-waiting")
        yield KeyBar()

    def _title(self) -> str:
        state = "running" if self.running else ("cancelled" if self.comparison.cancelled else "done")
        repeat = f" · each target ×{self.repeat}" if self.repeat > 1 else ""
        return f"Compare: {self.heading}{repeat} · {state} (Esc cancels, r runs again, +/- repeat)"

    @property
    def columns(self) -> list[CompareColumn]:
        return list(self.query(CompareColumn))

    def on_mount(self) -> None:
        self.set_interval(TICK_SECONDS, self._catch_up, name="compare-tick")
        self.start()

    def start(self) -> None:
        self.running = True
        self.query_one("#compare-title", Static).update(self._title(), layout=False)
        self.run_comparison()

    @work(exclusive=True, group="compare", exit_on_error=False)
    async def run_comparison(self) -> None:
        comparison = self.comparison
        try:
            with full_collections_deferred():
                task = asyncio.ensure_future(comparison.run())
                try:
                    await asyncio.shield(task)
                except asyncio.CancelledError:
                    comparison.cancel()
                    await task
        finally:
            self.running = False
            self._catch_up(final=True)
            self.query_one("#compare-title", Static).update(self._title(), layout=False)
        # The diffs and tables in a thread: on long answers they took ~80 ms, and keys waited.
        parts = await asyncio.to_thread(prepare_report, comparison)
        reports = self.query(CompareReport)
        if not reports:
            await self.query_one("#compare-report-waiting").remove()
            await self.query_one("#compare-report").mount(CompareReport())
        self.query_one(CompareReport).show_prepared(parts)

    def _catch_up(self, final: bool = False) -> None:
        for column, run in zip(self.columns, self.comparison.latest(), strict=True):
            column.show(run, final=final)

    # ------------------------------------------------------------------ actions

    def action_cancel_or_close(self) -> None:
        if self.running:
            self.comparison.cancel()
            self.notify("Cancelled: what arrived is kept.", title="Compare")
        else:
            self.action_close()

    def action_close(self) -> None:
        if self.running:
            self.comparison.cancel()
        self.dismiss()

    def action_rerun(self) -> None:
        if self.running:
            self.notify("Still running: Esc cancels first.", title="Compare", severity="warning")
            return
        self.comparison = self._rebuild(self.repeat)
        self.start()

    def action_repeat(self, step: int) -> None:
        self.repeat = max(1, min(MAX_REPEAT, self.repeat + step))
        self.query_one("#compare-title", Static).update(self._title(), layout=False)
