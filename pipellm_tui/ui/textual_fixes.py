"""Two fixes to Textual 8.2.8 (the pinned version): the scroll views' layouts, and the crash report.
This is the module that touches Textual's private names.

The crash report. When an exception escapes every handler anyway (ui/guard.py catches those of
ours), Textual ends the app and prints a traceback with each frame's local variables, and a frame's
locals may hold the key (a string argument, a header dict). `QuietCrashReport` prints the traceback
without locals, then says what happened and that the draft request is kept; the exit code stays 1.

The scroll views, applied when the app module loads:

`ScrollView._size_updated` runs for every scroll view (the editor, the model list, the inputs, the
JSON views, the events log...) on every layout of the screen, and a layout is what a key typed
into the model filter causes. It compares the layout's virtual size with the content's, which for a
scroll view never match, so each time it recomputes and repaints the scroll view's scrollbars and
sends it a Resize: a frame for one typed key repainted most of the screen (20-50 ms while an
answer streams; bench/stream_render.py). Called again with the same sizes as last time, nothing can
have changed, and the fix returns at once. A test (tests/ui/test_textual_fixes.py) checks the fix
against this Textual version and checks the version, so an upgrade is a deliberate step.
Must not import httpx2.
"""

from __future__ import annotations

from typing import Any

import textual
from rich.text import Text
from textual.app import App
from textual.geometry import Size
from textual.screen import Screen
from textual.scroll_view import ScrollView

from .guard import REPORT_TO

#: The Textual release this fix was written against (pyproject pins it).
TEXTUAL_VERSION = "8.2.8"

_original_size_updated = ScrollView._size_updated


def _size_updated(
    self: ScrollView, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
) -> bool:
    if getattr(self, "_pipellm_last_sizes", None) == _key(self, size, virtual_size, container_size):
        return False
    result: bool = _original_size_updated(self, size, virtual_size, container_size, layout)
    # Taken after the call, which may change the content's virtual size.
    setattr(self, "_pipellm_last_sizes", _key(self, size, virtual_size, container_size))  # noqa: B010
    return result


def _key(view: ScrollView, size: Size, virtual_size: Size, container_size: Size) -> tuple[Any, ...]:
    """Everything the scrollbars' sizes and visibility follow from."""
    styles = view.styles
    return (
        size,
        virtual_size,
        container_size,
        view.virtual_size,
        styles.gutter,
        styles.overflow_x,
        styles.overflow_y,
        styles.scrollbar_size_vertical,
        styles.scrollbar_size_horizontal,
    )


_original_refresh_layout = Screen._refresh_layout


def _refresh_layout(self: Screen[Any], size: Size | None = None, scroll: bool = False) -> None:
    """The layout as Textual does it; then, when widgets left the screen (a toast expired, an
    overlay closed), the places they held are painted again. The fix above spares the scroll views
    their repaint on every layout, and that repaint is what used to cover the place such a widget
    leaves: without this, an expired toast stayed painted over the panes (seen 2 of 2 times)."""
    before = self._compositor.widgets
    old_map = self._compositor._full_map
    _original_refresh_layout(self, size, scroll)
    gone = before - self._compositor.widgets
    if gone:
        places = [old_map[widget].region for widget in gone if widget in old_map]
        self.refresh(*places)


def apply() -> None:
    """Install the fixes (idempotent)."""
    if ScrollView._size_updated is not _size_updated:
        ScrollView._size_updated = _size_updated  # type: ignore[method-assign]
    if Screen._refresh_layout is not _refresh_layout:
        Screen._refresh_layout = _refresh_layout  # type: ignore[method-assign]


def textual_version() -> str:
    return textual.__version__


CRASH_NOTE = (
    "pipellm-tui stopped because of a bug. The request you were editing is kept and comes back at "
    f"the next start. Please report this on {REPORT_TO}, with the lines above (they hold no key)."
)


class QuietCrashReport(App[int]):
    """An app whose crash report shows no local variables (see the module's docstring)."""

    def _fatal_error(self) -> None:
        import rich
        from rich.console import Group
        from rich.segment import Segments
        from rich.traceback import Traceback

        self.bell()
        # One renderable: Textual prints only the first one outside its debug mode.
        report = Group(
            Traceback(show_locals=False, width=None, suppress=[rich]), Text(CRASH_NOTE, style="bold")
        )
        self._exit_renderables.append(Segments(self.console.render(report, self.console.options)))
        self._close_messages_no_wait()
