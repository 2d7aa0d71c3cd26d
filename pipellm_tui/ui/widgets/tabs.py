"""Tab titles over the pages they switch between, in as few widgets as that takes.

Textual's TabbedContent wraps its pages in five widgets and one more per title (ContentTabs, its
underline, a ContentSwitcher, a ContentTab for each tab), in two rows, and loads two modules and
their styles: for the response's and the inspector's tabs that was ~35 ms of the panes' arrival at
start-up (bench/startup.py). Here the titles are one widget of one line (`TabStrip`) and
`TabbedPanes` shows one page at a time. The words are Textual's: `active` is the shown page's id,
`TabActivated` says it changed (however it was changed), `get_pane` finds a page. Every tab set of
the app is one of these (the response, the inspector, the compare report).
Must not import httpx2.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget


class TabPage(Vertical):
    """One page; `title` names its tab."""

    DEFAULT_CSS = "TabPage { height: 1fr; }"

    def __init__(self, title: str, *children: Widget, id: str) -> None:
        super().__init__(*children, id=id)
        self.title = title


class TabStrip(Widget, can_focus=True):
    """The tab titles on one line: a click or ←/→ (when it has the focus) chooses one."""

    DEFAULT_CSS = """
    TabStrip { height: 1; width: 1fr; }
    TabStrip > .tab-strip--tab { color: $text-muted; }
    TabStrip > .tab-strip--active { color: $text; text-style: bold underline; }
    TabStrip:focus > .tab-strip--active { color: $block-cursor-foreground; background: $block-cursor-background; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"tab-strip--tab", "tab-strip--active"}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "step(-1)", "Previous tab", show=False),
        Binding("right", "step(1)", "Next tab", show=False),
    ]

    active: reactive[str] = reactive("")

    class Chosen(Message):
        def __init__(self, strip: TabStrip, tab_id: str) -> None:
            super().__init__()
            self.strip = strip
            self.tab_id = tab_id

        @property
        def control(self) -> TabStrip:
            return self.strip

    def __init__(self, tabs: list[tuple[str, str]], active: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.tabs = tabs  # (id, title), in order
        self.set_reactive(TabStrip.active, active)

    def cell(self, title: str, chosen: bool) -> str:
        """How one title is drawn (the same width chosen or not)."""
        return f" {title} "

    def render(self) -> Content:
        tab, chosen = (self.get_visual_style(f"tab-strip--{part}") for part in ("tab", "active"))
        return Content.assemble(
            *(
                (self.cell(title, tab_id == self.active), chosen if tab_id == self.active else tab)
                for tab_id, title in self.tabs
            )
        )

    def tab_at(self, x: int) -> str | None:
        """The id of the tab whose title covers column `x`."""
        end = 0
        for tab_id, title in self.tabs:
            end += len(self.cell(title, False))
            if x < end:
                return tab_id
        return None

    def on_click(self, event: events.Click) -> None:
        tab_id = self.tab_at(event.x)
        if tab_id is not None:
            self.post_message(self.Chosen(self, tab_id))

    def action_step(self, step: int) -> None:
        ids = [tab_id for tab_id, _ in self.tabs]
        self.post_message(self.Chosen(self, ids[(ids.index(self.active) + step) % len(ids)]))


class RadioStrip(TabStrip):
    """Radio buttons on one line (`◉ native  ○ converter`), chosen as tabs are: a click, ←/→.
    One widget where Textual's RadioSet is one per button and one more around them."""

    DEFAULT_CSS = """
    RadioStrip > .tab-strip--active { text-style: bold; }
    """

    def cell(self, title: str, chosen: bool) -> str:
        return f"{'◉' if chosen else '○'} {title}  "


class TabbedPanes(Vertical):
    """A `TabStrip` over its pages, the first shown until another is made `active`."""

    DEFAULT_CSS = "TabbedPanes { height: 1fr; }"

    class TabActivated(Message):
        """Another page is shown."""

        def __init__(self, tabbed: TabbedPanes, pane: TabPage) -> None:
            super().__init__()
            self.tabbed = tabbed
            self.pane = pane

        @property
        def control(self) -> TabbedPanes:
            return self.tabbed

    def __init__(self, *pages: TabPage, id: str | None = None) -> None:
        super().__init__(id=id)
        self._pages = {page.id or "": page for page in pages}
        self._active = pages[0].id or ""
        for page in pages[1:]:
            page.display = False
        self._strip = TabStrip([(page_id, page.title) for page_id, page in self._pages.items()], self._active)

    def compose(self) -> ComposeResult:
        yield self._strip
        yield from self._pages.values()

    def get_pane(self, page_id: str) -> TabPage:
        return self._pages[page_id]

    @property
    def active(self) -> str:
        return self._active

    @active.setter
    def active(self, page_id: str) -> None:
        page = self.get_pane(page_id)  # KeyError for a page it does not have
        if page_id == self._active:
            return
        self.get_pane(self._active).display = False
        page.display = True
        self._active = self._strip.active = page_id
        self.post_message(self.TabActivated(self, page))

    def on_tab_strip_chosen(self, message: TabStrip.Chosen) -> None:
        message.stop()
        self.active = message.tab_id
