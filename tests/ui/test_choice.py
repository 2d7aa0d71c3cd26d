"""The one-line picker of the format and "view as" (ui/widgets/choice.py): its options open in a
menu under it (Enter, space, ↓ or a click), a pick posts `Choice.Changed` once, Esc or a click
elsewhere closes the menu with nothing changed, and a value set in code says nothing."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import OptionList, Static

from pipellm_tui.ui.widgets.choice import Choice, ChoiceMenu

COLOURS = [("Red", "red"), ("Green", "green"), ("Blue", "blue")]


class ChoiceApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.changes: list[str] = []

    def compose(self) -> ComposeResult:
        yield Choice(COLOURS, "green", id="colour")
        yield Choice(prompt="pick one", id="empty")
        yield Static("elsewhere")

    def on_choice_changed(self, event: Choice.Changed) -> None:
        self.changes.append(f"{event.control.id}={event.value}")


def menu_open(app: App[None]) -> bool:
    return isinstance(app.screen, ChoiceMenu)


async def test_keys_open_the_menu_and_a_pick_is_said_once() -> None:
    app = ChoiceApp()
    async with app.run_test(size=(60, 12)) as pilot:
        colour = app.query_one("#colour", Choice)
        assert str(colour.render()) == "Green ▾" and not colour.has_class("-empty")
        colour.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert menu_open(app)
        menu = app.screen.query_one(OptionList)
        assert menu.highlighted == 1  # opens on the current value
        assert menu.region.y == colour.region.bottom  # right under the picker
        await pilot.press("down", "enter")
        await pilot.pause()
        assert not menu_open(app)
        assert colour.value == "blue" and str(colour.render()) == "Blue ▾"
        assert app.changes == ["colour=blue"]
        # Picking the value it has says nothing.
        await pilot.press("space")
        await pilot.pause()
        assert menu_open(app)
        await pilot.press("enter")
        await pilot.pause()
        assert not menu_open(app) and app.changes == ["colour=blue"]


async def test_escape_or_a_click_elsewhere_closes_with_nothing_changed() -> None:
    app = ChoiceApp()
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.click("#colour")
        await pilot.pause()
        assert menu_open(app)
        await pilot.press("down", "escape")
        await pilot.pause()
        assert not menu_open(app)
        await pilot.click("#colour")
        await pilot.pause()
        assert menu_open(app)
        await pilot.click(offset=(50, 10))
        await pilot.pause()
        assert not menu_open(app)
        assert app.query_one("#colour", Choice).value == "green" and app.changes == []


async def test_a_value_set_in_code_posts_nothing_and_options_can_change() -> None:
    app = ChoiceApp()
    async with app.run_test(size=(60, 12)) as pilot:
        colour = app.query_one("#colour", Choice)
        colour.value = "red"
        await pilot.pause()
        assert str(colour.render()) == "Red ▾" and app.changes == []
        # New options keep the value when they still hold it, and drop it when not.
        colour.set_options([("Red", "red"), ("Black", "black")])
        assert colour.value == "red"
        colour.set_options([("Black", "black")])
        assert colour.value is None and colour.has_class("-empty") and str(colour.render()) == " ▾"
        # On a narrow pane the label gives way to the ▾.
        colour.set_options([("A rather long colour name", "long")])
        colour.value = "long"
        colour.styles.width = 14  # 12 cells inside the padding
        await pilot.pause()
        assert str(colour.render()) == "A rather … ▾"
        # No options: nothing opens.
        empty = app.query_one("#empty", Choice)
        assert str(empty.render()) == "pick one ▾" and empty.has_class("-empty")
        empty.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert not menu_open(app)
