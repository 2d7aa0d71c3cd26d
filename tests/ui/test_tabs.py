"""The tab set of the response and the inspector (ui/widgets/tabs.py): one page shown at a time,
chosen by a click on its title, by ←/→ on the focused titles, or by setting `active`; each change
said once with `TabActivated`."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Static

from pipellm_tui.ui.widgets.tabs import TabbedPanes, TabPage, TabStrip


class TabsApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    def compose(self) -> ComposeResult:
        yield TabbedPanes(
            TabPage("Payloads", Static("the payloads"), id="payloads"),
            TabPage("Limits", Static("the limits"), id="limits"),
            TabPage("Error", Static("the error"), id="error"),
            id="tabs",
        )

    def on_tabbed_panes_tab_activated(self, event: TabbedPanes.TabActivated) -> None:
        self.opened.append(event.pane.id or "")


def shown(app: TabsApp) -> list[str]:
    return [page.id or "" for page in app.query(TabPage) if page.display]


async def test_one_page_at_a_time_chosen_by_click_keys_or_code() -> None:
    app = TabsApp()
    async with app.run_test(size=(60, 10)) as pilot:
        tabs = app.query_one(TabbedPanes)
        strip = app.query_one(TabStrip)
        assert tabs.active == "payloads" and shown(app) == ["payloads"] and app.opened == []
        assert str(strip.render()) == " Payloads  Limits  Error "
        # A click on a title (" Payloads " takes columns 0-9, " Limits " 10-17).
        await pilot.click(TabStrip, offset=(12, 0))
        await pilot.pause()
        assert tabs.active == "limits" and shown(app) == ["limits"] and strip.active == "limits"
        await pilot.click(TabStrip, offset=(40, 0))  # past the titles: nothing
        await pilot.pause()
        assert tabs.active == "limits"
        # The arrows, with the titles focused, wrapping around.
        strip.focus()
        await pilot.press("right")
        await pilot.pause()
        assert shown(app) == ["error"]
        await pilot.press("right")
        await pilot.pause()
        assert shown(app) == ["payloads"]
        await pilot.press("left")
        await pilot.pause()
        assert shown(app) == ["error"]
        # From code, as the screen does (F9 shows the error); the same page again says nothing.
        tabs.active = "payloads"
        tabs.active = "payloads"
        await pilot.pause()
        assert shown(app) == ["payloads"] and strip.active == "payloads"
        assert app.opened == ["limits", "error", "payloads", "error", "payloads"]
        assert "the payloads" in str(tabs.get_pane("payloads").query_one(Static).render())
        with pytest.raises(KeyError):
            tabs.active = "no-such-page"
        assert tabs.active == "payloads"
