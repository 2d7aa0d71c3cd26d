"""The response's Headers tab: the response headers, one row each. A module of its own so that
DataTable loads with the response's hidden tabs (mounted after the panes' first paint), not with the
panes (~3.5 ms). Must not import httpx2.
"""

from __future__ import annotations

from textual.widgets import DataTable


class HeadersTable(DataTable[str]):
    def on_mount(self) -> None:
        self.add_columns("header", "value")

    def show(self, headers: dict[str, str]) -> None:
        self.clear()
        for name, value in sorted(headers.items()):
            self.add_row(name, value)
