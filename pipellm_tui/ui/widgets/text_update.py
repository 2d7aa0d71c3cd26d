"""Text set on a Static without laying out the screen when nothing can move.

Textual's `Static.update` lays out the whole screen by default (~20-30 ms at 120×40 with every pane
up). While an answer streams, the status line, the rate-limit countdowns and the error pane change
their text several times a second, and a key typed meanwhile waited behind each of those layouts
(18 of them during a 50,000-token stream). A layout is needed only when the new text can change the
widget's size on screen. Must not import httpx2.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget
from textual.widgets import Static


def shows(widget: Widget) -> bool:
    """Whether the widget and every container above it are displayed (a hidden tab's are not)."""
    return all(node.display for node in widget.ancestors_with_self if isinstance(node, Widget))


def update_text(static: Static, text: str | Text) -> None:
    """`static.update(text)`, with a layout only when it can change the widget's size: not when
    the widget does not show (showing a hidden tab lays it out then), nor when the text fills as
    many lines as the widget has now, each within its width (the size the layout would give)."""
    region = static.content_region
    lines = (text.plain if isinstance(text, Text) else text).split("\n")
    fits = len(lines) == region.height and all(cell_len(line) <= region.width for line in lines)
    static.update(text, layout=shows(static) and not fits)
