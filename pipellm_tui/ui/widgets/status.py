"""The status line: HTTP status, time to first token, total time, tokens/s, usage and cost.

Fed by the screen from the client's events (`Head`, `Timings`, `UsageReport`) and the session's
pricing. Timings can be masked (`fixed_timings`) so snapshot tests stay stable.
Must not import httpx2.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.markup import escape
from textual.widgets import Static

if TYPE_CHECKING:  # the status line is on the first screen; the IR loads after it
    from ...protocols import ir


@dataclass(slots=True)
class StatusFacts:
    state: str = "ready"
    status: int | None = None
    ttft: float | None = None
    total: float | None = None
    tokens_per_second: float | None = None
    usage: ir.Usage | None = None
    cost: float | None = None


def seconds(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def dollars(value: float | None) -> str:
    if value is None:
        return "—"
    return f"${value:.6f}" if value < 0.01 else f"${value:.4f}"


class StatusLine(Static):
    DEFAULT_CSS = """
    StatusLine { height: 1; background: $panel; color: $text; padding: 0 1; }
    StatusLine.-error { background: $error 40%; }
    StatusLine.-busy { background: $primary 30%; }
    """

    def __init__(self, *, fixed_timings: bool = False, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.fixed_timings = fixed_timings
        self.facts = StatusFacts()

    def on_mount(self) -> None:
        self.show(StatusFacts())

    def show(self, facts: StatusFacts) -> None:
        self.facts = facts
        self.set_class(facts.status is not None and facts.status >= 400, "-error")
        self.set_class(facts.state in ("sending", "streaming"), "-busy")
        self.update(self.render_facts(facts))

    def render_facts(self, facts: StatusFacts) -> str:
        def timing(value: float | None) -> str:
            return "<t>" if self.fixed_timings and value is not None else seconds(value)

        status = str(facts.status) if facts.status is not None else "—"
        parts = [
            f"[b]{escape(facts.state)}[/b]",
            f"HTTP {status}",
            f"TTFT {timing(facts.ttft)}",
            f"total {timing(facts.total)}",
        ]
        if facts.tokens_per_second is not None:
            rate = "<t>" if self.fixed_timings else f"{facts.tokens_per_second:.0f}"
            parts.append(f"{rate} tok/s")
        else:
            parts.append("— tok/s")
        if facts.usage is not None:
            parts.append(f"in {facts.usage.input_tokens} / out {facts.usage.output_tokens} tokens")
        else:
            parts.append("in — / out — tokens")
        parts.append(f"cost {dollars(facts.cost)}")
        return "  ·  ".join(parts)
