"""The fix to Textual's ScrollView (ui/textual_compat.py): written for one Textual version, checked
against it, and shown to do its job: a layout with unchanged sizes leaves a scroll view alone."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.geometry import Size
from textual.widgets import Input, OptionList

from pipellm_tui.ui import textual_compat


def test_the_fix_is_for_the_pinned_textual_and_is_installed() -> None:
    import pipellm_tui.ui.app  # noqa: F401 - installs the fix

    assert textual_compat.textual_version() == textual_compat.TEXTUAL_VERSION
    from textual.scroll_view import ScrollView

    assert ScrollView._size_updated is textual_compat._size_updated
    from textual.screen import Screen

    assert Screen._refresh_layout is textual_compat._refresh_layout
    from textual.timer import Timer

    assert Timer._run is textual_compat._timer_run
    from textual.dom import DOMNode

    assert DOMNode.update_node_styles is textual_compat._update_node_styles
    from textual.widgets._toast import ToastRack

    assert ToastRack.show is textual_compat._show_toasts
    from textual.widget import Widget

    assert Widget._size_updated is textual_compat._widget_size_updated
    from textual.css.model import RuleSet

    assert RuleSet.__hash__ is object.__hash__
    # Still Textual's identity: two rules alike in every field are two members of a set.
    first, second = RuleSet(), RuleSet()
    assert first == second and len({first, second}) == 2 and first in {first}


class ListApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Input()
        yield OptionList(*[f"option {i}" for i in range(50)])


async def test_a_layout_that_changes_nothing_does_not_touch_the_scroll_view() -> None:
    textual_compat.apply()
    app = ListApp()
    async with app.run_test(size=(40, 12)) as pilot:
        options = app.query_one(OptionList)
        resizes: list[Any] = []
        options.on_resize = resizes.append  # type: ignore[method-assign]
        scroll_updates: list[Size] = []
        original = options._scroll_update

        def counted(virtual_size: Size) -> None:
            scroll_updates.append(virtual_size)
            original(virtual_size)

        options._scroll_update = counted  # type: ignore[method-assign]
        for text in ("a", "ab", "abc"):  # each keystroke lays the screen out again
            app.query_one(Input).value = text
            app.screen.refresh(layout=True)
            await pilot.pause()
        assert scroll_updates == [] and resizes == []
        assert options.show_vertical_scrollbar  # 50 options in 11 rows: the bar is there

        width = options.size.width
        await pilot.resize_terminal(50, 12)  # a real change of size still goes through
        await pilot.pause()
        assert scroll_updates
        assert options.size.width == width + 10


# The repaint when widgets leave the screen is shown by tests/ui/test_e2e_pty.py's toast test, read
# through a real terminal: a Pilot run repaints the screen whole on removal anyway, so it cannot tell.
# Which departures call for it is decided from the layout's own map, shown here.


async def test_only_a_widget_drawn_over_others_calls_for_a_repaint_when_it_leaves() -> None:
    from textual.widgets import Static
    from textual.widgets._toast import Toast

    app = ListApp()
    async with app.run_test(size=(40, 12), notifications=True) as pilot:
        app.notify("a toast")
        await pilot.pause(0.3)
        geometry = app.screen._compositor._full_map
        toasts = [widget for widget in geometry if isinstance(widget, Toast)]
        assert toasts and all(textual_compat._drawn_over_others(geometry[toast]) for toast in toasts)
        options = app.query_one(OptionList)  # on the screen's own layer, drawn over nothing
        assert not textual_compat._drawn_over_others(geometry[options])
        assert textual_compat._drawn_over_others(None)  # not known: painted again, to be safe
        # A layer of the screen's own, over the rest: also over others.
        await app.mount(Static("over", id="over"))
        app.query_one("#over").styles.layer = "_toastrack"
        await pilot.pause()
        assert textual_compat._drawn_over_others(app.screen._compositor._full_map[app.query_one("#over")])


async def test_a_late_tick_is_followed_by_the_next_tick_time_not_the_one_after() -> None:
    """An interval of 0.4 s whose first callback runs 0.6 s ends it at about 2.5 intervals: the
    next tick is tick 3 (the next tick time). Textual's own skip made it tick 4, one interval later.
    The counts, not the times, are checked: any delay under half an interval gives the same."""
    import time

    import pipellm_tui.ui.app  # noqa: F401 - installs the fix

    ticks: list[int] = []

    class TickApp(App[None]):
        def on_mount(self) -> None:
            timer = self.set_interval(0.4, self.slow_once)
            original = timer._tick

            async def counted(*, next_timer: float, count: int) -> None:
                ticks.append(count)
                await original(next_timer=next_timer, count=count)

            timer._tick = counted  # type: ignore[method-assign]

        def slow_once(self) -> None:
            if len(ticks) == 1:
                time.sleep(0.6)
            elif len(ticks) == 2:
                self.exit()

    app = TickApp()
    async with app.run_test() as pilot:
        for _ in range(60):
            await pilot.pause(0.05)
            if len(ticks) >= 2:
                break
    assert ticks[:2] == [1, 3]


class StyledApp(App[None]):
    CSS = """
    Input.-marked { background: red; }
    #box.-wide Input { width: 30; }
    """

    def compose(self) -> ComposeResult:
        from textual.containers import Vertical

        yield Vertical(id="box")


async def test_a_widget_not_yet_mounted_is_styled_once_when_it_mounts_and_restyled_after() -> None:
    textual_compat.apply()
    app = StyledApp()
    async with app.run_test(size=(60, 10)) as pilot:
        passes: list[str] = []
        sheet = app.stylesheet
        original = sheet.apply

        def counted(node: Any, **kwargs: Any) -> None:
            passes.append(type(node).__name__)
            original(node, **kwargs)

        sheet.apply = counted  # type: ignore[method-assign]
        field = Input("text", compact=True, classes="-marked")  # Textual sets its classes 3 times here
        assert passes == []  # none of them styled a widget that is not in the DOM
        await app.query_one("#box").mount(field)
        await pilot.pause()
        assert "Input" in passes  # styled when it mounted, with every class it was given
        assert field.styles.background.rgb == (255, 0, 0)
        assert field.has_class("-textual-compact") and field.styles.border_top[0] in ("", "none")

        passes.clear()
        field.remove_class("-marked")  # in the DOM: restyled at once, as Textual does
        assert "Input" in passes and field.styles.background.rgb != (255, 0, 0)
        app.query_one("#box").add_class("-wide")  # an ancestor's class restyles its children too
        await pilot.pause()
        assert field.styles.width is not None and field.styles.width.value == 30


async def test_a_screen_back_with_no_toasts_leaves_the_rack_alone_and_toasts_still_show() -> None:
    """Each screen's resume (a menu or dialog closing, the first screen's start) shows the toasts;
    with none, Textual still set the hidden rack's `display`, an inline rule that lays the whole
    screen out. The rack is left alone now, and a toast still comes and goes."""
    from textual.screen import ModalScreen
    from textual.widgets._toast import Toast, ToastRack

    textual_compat.apply()
    app = ListApp()
    async with app.run_test(size=(40, 12), notifications=True) as pilot:
        rack = app.screen.query_one(ToastRack)
        await app.push_screen(ModalScreen())
        await pilot.pause()
        app.pop_screen()
        await pilot.pause()
        assert not rack.display and not rack.styles.inline.has_rule("display")

        app.notify("a toast", timeout=0.3)
        await pilot.pause(0.1)
        assert rack.display and rack.query(Toast)
        await pilot.pause(0.6)
        await app.push_screen(ModalScreen())  # a resume after it expired: the rack hides again
        app.pop_screen()
        await pilot.pause()
        assert not rack.display and not rack.query(Toast)


async def test_a_widget_sized_by_a_layout_asks_for_no_second_layout() -> None:
    """Mounting a text lays the screen out once: Textual's own `_size_updated` set the content size
    with a request for another layout of the screen, which found the same sizes."""
    from textual.containers import Vertical
    from textual.widgets import Static

    textual_compat.apply()
    app = StyledApp()
    async with app.run_test(size=(60, 10)) as pilot:
        await pilot.pause()
        screen = app.screen
        layouts: list[object] = []
        original = screen._refresh_layout

        def counted(*args: Any, **kwargs: Any) -> None:
            layouts.append(args)
            original(*args, **kwargs)

        screen._refresh_layout = counted  # type: ignore[method-assign]
        box = app.query_one("#box", Vertical)
        await box.mount(Static("three\nlines\nof text", id="text"))
        for _ in range(5):
            await pilot.pause()
        assert len(layouts) == 1
        text = app.query_one("#text", Static)
        assert text.size == Size(60, 3) and text.virtual_size == Size(60, 3)  # the sizes still taken


EARLY = """
from pipellm_tui.ui import textual_early

textual_early.install()  # as the command line does, before Textual defines its widget classes
import pipellm_tui.ui.app, pipellm_tui.ui.panes, pipellm_tui.ui.history_screen  # noqa: E401
from textual.dom import DOMNode
from textual.reactive import reactive
from textual.widgets import Input

class Lone(Input, inherit_bindings=False):  # what the app's own classes do not exercise
    BINDINGS = [("x", "ex", "lone"), ("ctrl+c,ctrl+x", "cut", "two keys")]
    value = reactive(1)
    def compute_double(self) -> int:
        return 2

class Under(Lone, inherit_css=False):
    BINDINGS = [("x", "other", "under")]

def every(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from every(sub)

def seen(cls):
    bindings = {key: [(b.key, b.action, b.description, b.show, b.id, b.priority) for b in found]
                for key, found in cls._merged_bindings.key_to_bindings.items()}
    return (dict(cls._reactives), cls._css_type_name, cls._css_type_names, cls._computes, bindings,
            cls._inherit_css, cls._inherit_bindings, cls._inherit_component_classes)

classes = list(dict.fromkeys(every(DOMNode)))
ours = [seen(cls) for cls in classes]
shared = [cls.__qualname__ for cls in classes for bound in cls._merged_bindings.key_to_bindings.values()
          for other in classes if other is not cls
          if any(bound is o for o in other._merged_bindings.key_to_bindings.values())]
textual = textual_early.TEXTUAL_INIT_SUBCLASS.__func__
for cls in classes:  # Textual's own code, run again on each class
    textual(cls, inherit_css=cls._inherit_css, inherit_bindings=cls._inherit_bindings,
            inherit_component_classes=cls._inherit_component_classes)
theirs = [seen(cls) for cls in classes]
differ = [cls.__qualname__ for cls, a, b in zip(classes, ours, theirs) if a != b]
import json
print(json.dumps({"classes": len(classes), "with_bindings": sum(bool(s[4]) for s in ours),
                  "with_computes": sum(bool(s[3]) for s in ours), "differ": differ, "shared": shared[:3]}))
"""


def test_widget_classes_defined_after_the_early_fix_are_those_textual_defines() -> None:
    """Fix 12 (textual_early.py): every DOMNode class the app defines (Textual's and ours) gets
    the reactives, CSS names, compute names and merged key bindings Textual's own code gives it,
    and no two classes share a bindings list."""
    import json
    import subprocess
    import sys

    run = subprocess.run(
        [sys.executable, "-c", EARLY], capture_output=True, text=True, timeout=120, check=False
    )
    assert run.returncode == 0, run.stderr
    found = json.loads(run.stdout.splitlines()[-1])
    assert found["differ"] == [] and found["shared"] == [], found
    assert found["classes"] >= 60 and found["with_bindings"] >= 20 and found["with_computes"] >= 2, found
