"""The one gate to Textual's private names (Textual 8.2.8, pinned in pyproject.toml): every use of a
Textual internal is here, each with the upstream reason, and tests/test_layers.py fails when another
module imports `textual._*` or touches one of the private names it lists. An upgrade of Textual is
then a review of this one file (tests/ui/test_textual_compat.py checks the version).

1. The crash report. When an exception escapes every handler anyway (ui/guard.py catches those of
ours), Textual ends the app and prints a traceback with each frame's local variables, and a frame's
locals may hold the key (a string argument, a header dict). `QuietCrashReport` prints the traceback
without locals, then says what happened and that the draft request is kept; the exit code stays 1.

2. The scroll views, patched when the app module loads (`apply`):
`ScrollView._size_updated` runs for every scroll view (the editor, the model list, the inputs, the
JSON views, the events log...) on every layout of the screen, and a layout is what a key typed
into the model filter causes. It compares the layout's virtual size with the content's, which for a
scroll view never match, so each time it recomputes and repaints the scroll view's scrollbars and
sends it a Resize: a frame for one typed key repainted most of the screen (20-50 ms while an
answer streams; bench/stream_render.py). Called again with the same sizes as last time, nothing can
have changed, and the fix returns at once. `Screen._refresh_layout` then repaints a screen that
widgets left (see `_refresh_layout`).

3. The first resize (`FirstResizeSkipped`, the main screen's), and content sizes that need no
layout (`QuietContentSize`: it redeclares a reactive of Widget's). The answer view had a same-sizes
skip of its own besides 2.: it keyed on the four sizes only, which 2.'s key holds (2. also re-runs
when a scrollbar style changes), so 2. alone does its job.

4. The answer's drawing room (ui/widgets/answer_drawing.py), which draws Markdown off screen:
`textual._compositor.Compositor`, `App._get_screen`, `Widget._clear_arrangement_cache`,
`Screen._refresh_layout` and `Screen._dirty_widgets`, Markdown's parse state, and `Style._meta`
for the selection offsets (ui/widgets/answer.py). tests/ui/test_answer_view.py compares the drawn
lines with a Markdown widget's on screen, style for style, and fails if these change.

5. Timers, patched by `apply` too: after a late tick Textual's `Timer._run` skips one tick time too
many (see `_timer_run`), which the screen's update timer and every interval of ours go through.

6. Styles of widgets not yet mounted, patched by `apply`: see `_update_node_styles`.

7. The toasts' rack with nothing to show, patched by `apply`: see `_show_toasts`.

8. A widget's size given by a layout, patched by `apply`: see `_widget_size_updated`.

9. The style sheets' parsing, patched by `apply`: see `_parse_rules` and parsed_styles.py.

10. A style rule's hash, patched by `apply`: Textual's `RuleSet.__hash__` is `return id(self)` in
Python, and styling one widget hashes every rule of the style sheet once (`Stylesheet.apply` keeps
the rules that may match, in the sheet's order, by membership in a set): ~38,000 calls to start the
playground, ~5 ms. `object.__hash__` is the same identity hash, in C.

11. `option_at_line`: which option an option list's line belongs to (`OptionList._lines`), so the
model list can start its view at a model's name rather than inside its option.

12. Widget classes defined from what their bases kept: textual_early.py, the gate's other module,
installed by the command line before Textual defines its widgets.

Must not import httpx2.
"""

from __future__ import annotations

from collections.abc import Awaitable, Iterable
from typing import TYPE_CHECKING, Any

import textual
from rich.style import Style
from rich.text import Text
from textual import _time
from textual._compositor import Compositor
from textual.app import App
from textual.css.model import RuleSet
from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode
from textual.geometry import Size
from textual.map_geometry import MapGeometry
from textual.reactive import Reactive
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.timer import EventTargetGone, Timer
from textual.widget import Widget
from textual.widgets import OptionList
from textual.widgets._toast import ToastRack

from . import parsed_styles
from .guard import REPORT_TO

if TYPE_CHECKING:  # the Markdown widget (and markdown-it) loads with the first answer, off start-up
    from textual.widgets import Markdown


#: Re-exported for the drawing room: a compositor of its own lays out and draws one widget's tree.
__all__ = ["Compositor"]

#: The Textual release this module was written against (pyproject pins it).
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
    """The layout as Textual does it; then, when a widget drawn over others left the screen (a
    toast expired, an overlay closed), the screen is painted again. The fix above spares the scroll
    views their repaint on every layout, and that repaint is what used to cover the place such a
    widget leaves: without this, an expired toast stayed painted over the panes (seen 2 of 2
    times). A widget of the screen's own layer that left (the panes' frames, replaced by the panes
    at start-up) was drawn over nothing: the layout paints its place, and a second paint of the
    whole screen would cost 5-10 ms for nothing."""
    before = self._compositor.widgets
    # Where they were drawn: the last layout's map, which the layout replaces (and which a lookup
    # of the screen between layouts may have rebuilt already, without a widget that has left).
    drawn = self._compositor._full_map
    _original_refresh_layout(self, size, scroll)
    left = before - self._compositor.widgets
    if any(_drawn_over_others(drawn.get(widget)) for widget in left):
        # The whole screen, not just the places left: repainting those places (or the widgets under
        # them) reused cached lines and left both toasts painted, 2 runs in 3, read through a pty.
        self.refresh()


def _drawn_over_others(geometry: MapGeometry | None) -> bool:
    """On a layer above the screen's first (a toast's), or over the rest (an overlay), or not
    known (an expired toast, read through a pty, is not in the map any more when it leaves).
    `order` holds (layer, z, sibling) for the widget and each of its ancestors."""
    return geometry is None or any(layer > 0 or z > 0 for layer, z, *_ in geometry.order)


async def _timer_run(self: Timer) -> None:
    """`Timer._run` as Textual 8.2.8 has it, but a tick that ended late waits for the next tick
    time, not the one after it. Textual's skip sets `count = int(elapsed / interval + 1)` and then
    waits for tick `count + 1`: one to two intervals after a late tick instead of zero to one. The
    screen's update timer (1/60 s) is one: after a frame that outlasts its interval, the next frame
    came 17-33 ms later; while an answer streams most frames are late, so the answer and each typed
    key waited a frame longer than they had to."""
    count = 0
    _repeat = self._repeat
    _interval = self._interval
    await self._active.wait()
    start = _time.get_time()
    while _repeat is None or count <= _repeat:
        next_timer = start + ((count + 1) * _interval)
        now = _time.get_time()
        if self._skip and next_timer < now:
            count = int((now - start) / _interval)  # the fix: Textual adds 1 here
            continue
        await _time.sleep(max(0, next_timer - _time.get_time()))
        count += 1
        await self._active.wait()
        if self._reset:
            start = _time.get_time()
            count = 0
            self._reset = False
            continue
        try:
            await self._tick(next_timer=next_timer, count=count)
        except EventTargetGone:
            break


_original_update_node_styles = DOMNode.update_node_styles


def _update_node_styles(self: DOMNode, animate: bool = True) -> None:
    """Restyle a node whose classes changed, as Textual does, unless it is not in the DOM yet.
    Textual restyles the node (and its children) at once, even a widget still being built:
    `Input.__init__` sets its classes three times (`compact`, `-valid`...), each a full pass of the
    style sheet, ~3 ms an Input, and `Select`, `Label` and `Checkbox` do the same. Mounting then
    styles every new widget anyway (`App._register` applies the style sheet to each), so the work
    was thrown away: the playground's panes hold five Inputs and two Selects. A widget removed
    from the DOM has no parent either, and is styled again if it is mounted again. Only the app
    itself has no parent and is in the DOM."""
    if self._parent is None and not isinstance(self, App):
        return
    _original_update_node_styles(self, animate)


_original_show_toasts = ToastRack.show


def _show_toasts(self: ToastRack, notifications: Any) -> None:
    """Show the notifications as Textual does, unless there are none and none are shown.
    Textual's `ToastRack.show` runs on every screen's resume (the first screen's too, right after
    its first paint, and each time a menu or dialog closes) and sets `display = False` even when
    the rack's style already hides it: a new inline rule, so a layout of the whole screen and a
    repaint of most of it (~30 ms at 120x40 after the first paint, before the model list) for a
    rack that neither was nor will be on screen."""
    if not notifications and not self.display and not self.children:
        return
    _original_show_toasts(self, notifications)


_original_widget_size_updated = Widget._size_updated


def _widget_size_updated(
    self: Widget, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
) -> bool:
    """Take the sizes a layout gave a widget as Textual does, but without asking for another
    layout. Textual sets `virtual_size`, a reactive declared with `layout=True`, so every widget
    whose content size the layout just computed asks for a layout of the screen, which follows at
    once and finds the same sizes: at start-up a second layout and a repaint of the first screen
    (~15 ms) and of the panes when they arrive. With `layout=False` (Textual's own choice for a
    scroll's partial layout) the value is set without that request; a scrollbar that has to appear
    or go still asks for its layout (`_scroll_update`), and Textual declares no watcher of the
    reactive. Only the screen's layout calls this (a ScrollView has its own, untouched)."""
    return _original_widget_size_updated(self, size, virtual_size, container_size, layout=False)


_original_parse_rules = Stylesheet._parse_rules


def _parse_rules(
    self: Stylesheet,
    css: str,
    read_from: Any,
    is_default_rules: bool = False,
    tie_breaker: int = 0,
    scope: str = "",
) -> list[Any]:
    """A style sheet's rules as Textual parses them, taken from the last run's when they were kept
    (parsed_styles.py): Textual caches them by this key for one run only."""
    key = (css, read_from, is_default_rules, tie_breaker, scope)
    rules = self._parse_cache.get(key)
    if rules is None:
        rules = parsed_styles.store().parsed(
            self._variables,
            key,
            lambda: _original_parse_rules(self, css, read_from, is_default_rules, tie_breaker, scope),
        )
        self._parse_cache[key] = rules
    return rules


def _fixes() -> tuple[tuple[type[Any], str, Any], ...]:
    """Each fix: the Textual class, the method's name, ours."""
    return (
        (ScrollView, "_size_updated", _size_updated),
        (Screen, "_refresh_layout", _refresh_layout),
        (Timer, "_run", _timer_run),
        (DOMNode, "update_node_styles", _update_node_styles),
        (ToastRack, "show", _show_toasts),
        (Widget, "_size_updated", _widget_size_updated),
        (Stylesheet, "_parse_rules", _parse_rules),
        (RuleSet, "__hash__", object.__hash__),
    )


def apply() -> None:
    """Install the fixes (idempotent)."""
    for owner, name, fix in _fixes():
        if owner.__dict__.get(name) is not fix:
            setattr(owner, name, fix)


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


class FirstResizeSkipped(Screen[None]):
    """A screen that ignores a resize to the size it already has."""

    def _screen_resized(self, size: Size) -> None:
        # Textual 8.2.8 forwards the terminal's first size report to the screen even when it is
        # the size the screen was laid out for, and the screen then lays out and repaints
        # everything again (~60 ms of start-up, while the models load). Same size: nothing to do.
        if size != self.outer_size:
            super()._screen_resized(size)


def mount_unshown(app: App[Any], screen: Screen[Any]) -> Awaitable[Any]:
    """Start `screen` (compose and mount it) without showing it; await the result for the mount.
    Textual has no public way: `App._get_screen` is what `push_screen` uses before showing."""
    _screen, mounted = app._get_screen(screen)
    return mounted


def lay_out_unshown(screen: Screen[Any], size: Size, changed: Iterable[Widget]) -> None:
    """Lay out a screen that is not shown, at `size`, now. The arrangement caches of the `changed`
    widgets are cleared first (Textual clears them in idle handlers, which a layout by hand does not
    wait for); the screen's list of widgets to repaint is emptied after (nobody repaints it)."""
    for widget in changed:
        widget._clear_arrangement_cache()
    screen._refresh_layout(size)
    screen._dirty_widgets.clear()


def forget_markdown(markdown: Markdown) -> None:
    """Reset a Markdown widget's parse state, so that the next `append` starts a new document
    (`Markdown.update` would parse in a worker and mount every block anew)."""
    markdown._markdown = ""
    markdown._last_parsed_line = 0
    markdown._table_of_contents = None


def has_meta(style: Style) -> bool:
    """Whether the style carries meta data, without decoding it (`Style.meta` unpickles it)."""
    return style._meta is not None


class QuietContentSize(Widget):
    """A widget whose content size (`virtual_size`) changes without a layout of the screen when its
    own size does not follow from it (no `auto` width or height). Textual declares the reactive with
    `layout=True`, so each key typed into the model filter laid out the whole screen twice (the
    filter's text width, then the list's length): ~10 ms each, twice a key, while an answer
    streamed (bench/stream_render.py). The scrollbars follow in place (Input and OptionList update
    them right after setting the size); a scrollbar appearing or going still lays the screen out,
    through `show_vertical_scrollbar`, which Textual declares with `layout=True` too."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0))

    def watch_virtual_size(self) -> None:
        if self.styles.auto_dimensions or not self.size:
            self.refresh(layout=True)


def show_height(view: ScrollView, size: Size, following: bool) -> None:
    """A line-based scroll view (the answer, a compare column) takes its new content size without a
    layout of the screen: only the first time its scrollbar appears (or goes) does the layout change;
    otherwise the reactive is set quietly and the scrollbar told its new window. A layout costs a
    whole frame of the screen, and a stream asks many times a second. Hidden (another tab): no
    layout now; the one that shows it again sets the scrollbar. `following`: stay at the end."""
    if size != view.virtual_size:
        needs_scrollbar = size.height > view.container_size.height
        shown = view.is_mounted and bool(view.size)
        if shown and needs_scrollbar != view.show_vertical_scrollbar:
            view.virtual_size = size
        else:
            view.set_reactive(ScrollView.virtual_size, size)
            if view.show_vertical_scrollbar:
                bar = view.vertical_scrollbar
                bar.window_virtual_size = size.height
                bar.window_size = view.container_size.height - view.scrollbar_size_horizontal
                bar.refresh()
    if following:
        view.scroll_target_y = view.scroll_y = view.max_scroll_y
    view.refresh()


def option_at_line(options: OptionList, line: int) -> tuple[int, int] | None:
    """(the option's index, the line within it) of an option list's `line`, or None past its end.
    `OptionList._lines` is Textual's map of its lines to options (options may take several lines)."""
    lines = options._lines
    return lines[line] if 0 <= line < len(lines) else None
