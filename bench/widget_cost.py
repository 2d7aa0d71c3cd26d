"""What one widget of each kind the panes hold costs to mount, lay out and paint, in a small app.

For each kind: a running app (with the playground's Textual fixes installed) mounts one widget of it
first (so its class's style sheet is parsed and its modules are loaded), then a batch of N, and waits
for the frame that shows them; the time per widget is the batch's over N, the median of R rounds, and
the same as a multiple of a Static's. Prints figures, no asserts. Read it with the start-up's numbers
(bench/startup.py, README "Where every pane ready still goes"): the panes hold 2 tab sets (our
TabbedPanes since they replaced Textual's TabbedContent, both measured here), 2 Choices and a
RadioStrip (Selects and a RadioSet until they replaced them, measured too), 5 TextAreas, 5 Inputs
and some 20 containers and statics.

    python bench/widget_cost.py [--batch 8] [--rounds 3] [--textual-as-is]

`--textual-as-is` leaves Textual unpatched (ui/textual_compat.py not applied), to see what a fix saves.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Callable

from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import (
    Button,
    Checkbox,
    DataTable,
    Input,
    Label,
    Select,
    Static,
    TabbedContent,
    TabPane,
    TextArea,
)


def tabbed_content() -> Widget:
    tabs = TabbedContent()
    for i in range(3):
        tabs.compose_add_child(TabPane(f"Tab {i}", Static("x"), id=f"pane-{i}"))
    return tabs


def tabbed_panes() -> Widget:
    from pipellm_tui.ui.widgets.tabs import TabbedPanes, TabPage

    return TabbedPanes(*(TabPage(f"Tab {i}", Static("x"), id=f"page-{i}") for i in range(3)))


def choice() -> Widget:
    from pipellm_tui.ui.widgets.choice import Choice

    return Choice([("a", "1"), ("b", "2")], "1")


def radio_strip() -> Widget:
    from pipellm_tui.ui.widgets.tabs import RadioStrip

    return RadioStrip([("native", "native"), ("converter", "converter")], "native")


def radio_set() -> Widget:
    from textual.widgets import RadioButton, RadioSet

    return RadioSet(RadioButton("native", value=True), RadioButton("converter"))


KINDS: dict[str, Callable[[], Widget]] = {
    "Static": lambda: Static("hello"),
    "Label": lambda: Label("hello"),
    "Vertical": lambda: Vertical(),
    "Button": lambda: Button("Retry", compact=True),
    "Checkbox": lambda: Checkbox("Stream", compact=True),
    "DataTable": lambda: DataTable(),
    "Input": lambda: Input("text", compact=True),
    "TextArea (JSON)": lambda: TextArea('{"a": 1}', language="json", read_only=True),
    "Select": lambda: Select([("a", 1), ("b", 2)], value=1, allow_blank=False, compact=True),
    "Choice (ours)": choice,
    "RadioSet (2 buttons)": radio_set,
    "RadioStrip (ours)": radio_strip,
    "TabbedContent (3 tabs)": tabbed_content,
    "TabbedPanes (3 tabs, ours)": tabbed_panes,
}


class Box(App[None]):
    def compose(self) -> ComposeResult:
        yield Vertical(id="box")


async def per_widget(make: Callable[[], Widget], batch: int) -> float:
    """Milliseconds per widget for mounting `batch` of them and painting the frame that shows them."""
    app = Box()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.1)
        box = app.query_one("#box")
        await box.mount(make())  # the class's styles parsed, its modules loaded
        await pilot.pause(0.05)
        start = time.perf_counter()
        await box.mount_all([make() for _ in range(batch)])
        painted = asyncio.Event()
        app.screen.call_after_refresh(painted.set)
        await painted.wait()
        return (time.perf_counter() - start) * 1000 / batch


async def run(batch: int, rounds: int) -> None:
    costs = {name: statistics.median([await per_widget(make, batch) for _ in range(rounds)]) for name, make in KINDS.items()}
    static = costs["Static"]
    for name, ms in costs.items():
        print(f"{name:24s} {ms:6.2f} ms per widget  ({ms / static:4.1f} Statics)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--textual-as-is", action="store_true")
    args = parser.parse_args()
    if not args.textual_as_is:
        from pipellm_tui.ui import textual_compat

        textual_compat.apply()
    asyncio.run(run(args.batch, args.rounds))


if __name__ == "__main__":
    main()
