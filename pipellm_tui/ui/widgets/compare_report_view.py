"""The compare screen's report: the summary table, the answer diffs, the payload and response diffs.

Renders `playground.compare_report`'s plain values with Rich; computes nothing itself.
Must not import httpx2.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Group
from rich.markup import escape
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from ...playground import compare_report as report
from .tabs import TabbedPanes, TabPage

if TYPE_CHECKING:
    from ...playground.compare import Comparison

#: What each tab says before the report.
WAITING = "The report comes when the runs have ended."
MARK_STYLE = {"best": "bold green", "worst": "bold red", None: ""}
MARK_SIGN = {"best": " ▲", "worst": " ▼", None: ""}


def summary_table(comparison: Comparison) -> Table:
    table = Table(expand=True, box=None, header_style="bold", pad_edge=False)
    table.add_column("target", min_width=18, overflow="fold")
    for name in report.MEASURES:
        table.add_column(name, overflow="fold", min_width=6 if name != "stop" else 12)
    for row in report.summary(comparison):
        cells = [Text(row.label)]
        for name in report.MEASURES:
            cell = row.cells[name]
            cells.append(Text(cell.text + MARK_SIGN[cell.mark], style=MARK_STYLE[cell.mark]))
        table.add_row(*cells)
    return table


def field_table(diffs: list[report.FieldDiff], labels: list[str]) -> Table:
    """Facts down, targets across; a fact on which the sent targets disagree is marked ≠."""
    table = Table(expand=True, header_style="bold", show_lines=True)
    table.add_column("", overflow="fold")
    for label in labels:
        table.add_column(label, overflow="fold")
    for diff in diffs:
        name = Text(("≠ " if diff.differs else "= ") + diff.name, style="bold yellow" if diff.differs else "")
        table.add_row(
            name, *(Text(v if v is not None else "not sent", style="" if v else "dim") for v in diff.values)
        )
    return table


def answers_markup(comparison: Comparison) -> str:
    latest = comparison.latest()
    agree = report.answers_agree(comparison)
    out = ["[b]Every answer is the same, word for word.[/b]\n" if agree else ""]
    for run, diff in zip(latest, report.answer_diffs(comparison), strict=True):
        out.append(f"[b]{escape(run.target.label)}[/b]")
        if run.state == "not sent":
            out.append("[dim]not sent[/dim]")
        elif diff is None:
            out.append("[dim](the first answer: the others are compared with it)[/dim]")
        elif diff.identical:
            out.append("identical to the first answer")
        else:
            marked = escape(diff.marked)
            marked = marked.replace("\\[-", "[red strike]").replace("-]", "[/]")
            marked = marked.replace("{+", "[green]").replace("+}", "[/]")
            out.append(f"{diff.changed_words} word(s) differ:\n{marked}")
        out.append("")
    return "\n".join(out)


def prepare_report(comparison: Comparison) -> dict[str, Any]:
    """Each tab's content. The word diffs of long answers take tens of milliseconds: the screen
    runs this in a thread, so keys are answered meanwhile (bench/compare_render.py)."""
    labels = [run.target.label for run in comparison.latest()]
    paced = f"  {comparison.paced} request(s) waited for the rate limits." if comparison.paced else ""
    legend = Text(f"▲ best  ▼ worst{paced}", style="dim")
    return {
        "summary": Group(summary_table(comparison), Text(""), legend),
        "answers": answers_markup(comparison),
        "payloads": field_table(report.payload_diff(comparison), labels),
        "responses": field_table(report.response_diff(comparison), labels),
    }


class CompareReport(Vertical):
    """Summary · Answer diff · Payloads sent · Responses, as tabs."""

    DEFAULT_CSS = "CompareReport { height: 1fr; } CompareReport TabPage { padding: 0 1; }"

    def compose(self) -> ComposeResult:
        yield TabbedPanes(
            *(
                TabPage(title, VerticalScroll(Static(WAITING, id=f"compare-{tab}-body")), id=f"compare-{tab}")
                for tab, title in (("summary", "Summary"), ("answers", "Answer diff"), ("payloads", "Payloads sent"),
                                   ("responses", "Responses"))
            )
        )  # fmt: skip

    def show(self, comparison: Comparison) -> None:
        self.show_prepared(prepare_report(comparison))

    def show_prepared(self, parts: dict[str, Any]) -> None:
        """What `prepare_report` made, into the tabs (cheap: the diffs are already done)."""
        with self.app.batch_update():
            for tab, renderable in parts.items():
                self._body(tab).update(renderable)

    def _body(self, tab: str) -> Static:
        return self.query_one(f"#compare-{tab}-body", Static)
