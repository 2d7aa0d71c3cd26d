"""The status line: HTTP status, time to first token, total time, tokens/s, usage and cost.

Renders a `playground.send_progress.SendProgress`, which the send loop folds from the client's
events (`Head`, `Timings`, `UsageReport`) and the session's pricing. Timings can be masked (`fixed_timings`) so snapshot tests stay stable.
Must not import httpx2.
"""

from __future__ import annotations

from rich.markup import escape
from rich.text import Text
from textual.widgets import Static

from ...playground.send_progress import SendProgress
from .text_update import update_text


def seconds(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def dollars(value: float | None) -> str:
    if value is None:
        return "—"
    return f"${value:.6f}" if value < 0.01 else f"${value:.4f}"


#: Separator between the status line's fields.
GAP = " · "


class StatusLine(Static):
    """One line of facts, most important first. On a narrow terminal the least important fields
    go (tokens, tokens/s, the rate limit) so that status, TTFT, total and cost always show."""

    DEFAULT_CSS = """
    StatusLine { height: 1; background: $panel; color: $text; padding: 0 1; }
    StatusLine.-error { background: $error 40%; }
    StatusLine.-busy { background: $primary 30%; }
    """

    def __init__(self, *, fixed_timings: bool = False, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.fixed_timings = fixed_timings
        self.facts = SendProgress()

    def on_mount(self) -> None:
        self.show(SendProgress())

    def on_resize(self) -> None:
        update_text(self, self.render_facts(self.facts))

    def show(self, facts: SendProgress) -> None:
        self.facts = facts
        self.set_class(facts.status is not None and facts.status >= 400, "-error")
        self.set_class(facts.state in ("sending", "streaming"), "-busy")
        update_text(self, self.render_facts(facts))

    def fields(self, facts: SendProgress) -> list[tuple[int, str]]:
        """(priority, markup) per field in display order; lower priority numbers stay longest."""

        def timing(value: float | None) -> str:
            return "<t>" if self.fixed_timings and value is not None else seconds(value)

        status = str(facts.status) if facts.status is not None else "—"
        cost = f"cost {dollars(facts.cost)}"
        if facts.session_cost is not None:
            cost += f" (Σ {dollars(facts.session_cost)})"  # the session's running total
        usage = (
            f"in {facts.usage.input_tokens} / out {facts.usage.output_tokens}"
            if facts.usage is not None
            else "in — / out —"
        )
        out = [
            (0, f"[b]{escape(facts.state)}[/b]"),
            (0, f"HTTP {status}"),
            (1, f"TTFT {timing(facts.ttft)}"),
            (1, f"total {timing(facts.total)}"),
        ]
        if facts.tokens_per_second is not None:  # None: no span long enough to measure over
            rate = "<t>" if self.fixed_timings else f"{facts.tokens_per_second:.0f}"
            out.append((4, f"{rate} tok/s"))
        out += [(3, usage), (2, cost)]
        if facts.limit is not None or facts.remaining is not None:
            left = "?" if facts.remaining is None else str(facts.remaining)
            of = "?" if facts.limit is None else str(facts.limit)
            out.append((3, f"{left}/{of} req"))
            if facts.reset_in is not None:
                out.append((5, f"reset {facts.reset_in:.0f}s"))
        return out

    def render_facts(self, facts: SendProgress) -> str:
        fields = self.fields(facts)
        width = self.size.width - 2 if self.size.width else 0
        for cut in range(5, 0, -1):
            kept = [markup for priority, markup in fields if priority <= cut]
            line = GAP.join(kept)
            if not width or Text.from_markup(line).cell_len <= width:
                return line
        return line
