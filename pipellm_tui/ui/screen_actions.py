"""The main screen's actions other than sending (sending is main_screen.py's, with its worker):
formats, routes, focus, the inspector, the raw events, a new request, the models, a maximized pane,
Copy as curl, help. A mixin of `PlaygroundScreen`, kept apart so each file reads in one sitting; the
action names are the registry's (commands.py). Must not import httpx2.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen
from textual.widget import Widget

from ..protocols.formats import Format, RouteKind
from .session import SendRefused, Session

if TYPE_CHECKING:
    from textual.widgets import TabbedContent
    from textual.worker import Worker

    from .widgets.response import ResponsePane

FOCUS_TARGETS = {
    "models": "#models-filter",
    "route": "#format-select",
    "editor": "#request-json",
    "params": "#param-system",
    "response": "#response-tabs Tabs",
}
#: The panes `Maximize pane` gives the whole screen: the one holding the focus.
PANE_IDS = ("models", "route", "editor", "params", "response", "inspector")


class ScreenActions(Screen[None]):
    if TYPE_CHECKING:  # what PlaygroundScreen provides
        session: Session

        @property
        def response(self) -> ResponsePane: ...

        @property
        def inspector(self) -> TabbedContent: ...

        def switch_format(self, fmt: Format) -> None: ...

        def refresh_state(self, *, params: bool = False, payloads: bool = True) -> None: ...

        def _load_request(self) -> None: ...

        def prepare(self, *, loaded: bool = False) -> Worker[None]: ...

        def choose_model(self, model_id: str) -> None: ...

        def _show_models(self) -> None: ...

    def action_switch_format(self) -> None:
        formats = list(Format)
        self.switch_format(formats[(formats.index(self.session.format) + 1) % len(formats)])

    def action_set_format(self, value: str) -> None:
        self.switch_format(Format(value))

    def action_switch_route(self) -> None:
        kind = RouteKind.NATIVE if self.session.route_kind is RouteKind.CONVERTER else RouteKind.CONVERTER
        self.action_set_route(kind.value)

    def action_set_route(self, value: str) -> None:
        self.session.set_route(RouteKind(value))
        self.refresh_state()

    def action_use_converter(self) -> None:
        self.action_set_route(RouteKind.CONVERTER.value)
        self.notify(
            f"Using the converter route: {self.session.route.url_path(self.session.model)}", title="Route"
        )

    def action_focus_pane(self, target: str) -> None:
        self.show_pane(target)
        self.query_one(FOCUS_TARGETS[target]).focus()

    def show_pane(self, target: str) -> None:
        """Bring a pane into its slot. On a narrow terminal each slot shows one pane at a time
        (app.tcss); on a wide one the classes change nothing."""
        self.query_one("#bottom").remove_class("-inspecting", "-wide-inspector")
        if target in ("models", "route"):
            self.query_one("#left").set_class(target == "route", "-routing")
        if target in ("editor", "params"):
            self.query_one("#top").set_class(target == "params", "-parameters")

    def show_inspector(self, tab: str) -> None:
        self.inspector.active = tab
        self.query_one("#bottom").add_class("-inspecting")

    def action_show_inspector(self, tab: str) -> None:
        self.show_inspector(tab)
        self.inspector.query_one("Tabs").focus()

    def action_widen_payloads(self) -> None:
        bottom = self.query_one("#bottom")
        bottom.toggle_class("-wide-inspector")
        if bottom.has_class("-wide-inspector"):
            self.inspector.active = "payloads"

    def action_toggle_raw(self) -> None:
        self.response.show_tab("tab-events" if self.response.active_tab == "tab-answer" else "tab-answer")

    def action_format_json(self) -> None:
        from .widgets.request_editor import RequestEditor

        formatted = self.session.formatted_request()
        if formatted is None:
            issue = self.session.validate()
            self.notify(
                f"Not formatted: the JSON does not parse{f' ({issue.message})' if issue else ''}.",
                title="Format JSON",
                severity="error",
            )
            return
        self.query_one("#editor", RequestEditor).replace_all(formatted)

    def action_toggle_wrap(self) -> None:
        from .widgets.request_editor import RequestEditor

        wrapped = self.query_one("#editor", RequestEditor).toggle_soft_wrap()
        self.notify("Long lines wrap." if wrapped else "Long lines scroll sideways.", title="Soft wrap")

    def action_new_request(self) -> None:
        self.session.reset_request()
        self._load_request()
        self.refresh_state(params=True)

    async def action_reload_models(self) -> None:
        self.prepare()

    def action_sort_models(self) -> None:
        self.session.model_sort = self.session.model_sort.next
        self._show_models()

    def action_choose_model(self, model_id: str) -> None:
        self.choose_model(model_id)

    def action_maximize_pane(self) -> None:
        # Whatever holds the focus is on screen: a hidden pane cannot hold it (show_pane first).
        if self.focused is not None:
            pane = next(
                (a for a in self.focused.ancestors_with_self if a.id in PANE_IDS),
                None,
            )
            if isinstance(pane, Widget):
                self.maximize(pane, container=False)

    def action_copy_curl(self) -> None:
        """The request as a curl command: to the system clipboard (when there is one) and the
        terminal's (OSC 52), and shown for copying by hand or saving."""
        try:
            command = self.session.curl_command()
        except SendRefused as exc:
            self.notify(str(exc), title="Not copied", severity="error")
            return
        note = f"The key is read from ${self.session.key_env} when it runs."
        endpoint = self.session.endpoint
        if endpoint is not None and endpoint.is_sandbox:
            note = (
                f"This is the local sandbox: run `export {self.session.key_env}={endpoint.api_key}` first "
                "(its key, not a secret); it answers only while pipellm-tui runs."
            )
        self.copy_out("Copy as curl", command, note, "request.sh")

    def copy_out(self, title: str, text: str, note: str = "", file_name: str = "copied.txt") -> None:
        """Every copy: the system clipboard, the terminal's, and the text shown with what was tried."""
        from ..export.clipboard import copy
        from .copy_screen import CopyScreen

        report = copy(text)
        self.app.copy_to_clipboard(text)
        self.notify(report.describe(), title=title)
        self.app.push_screen(CopyScreen(title, text, report.describe(), note, file_name))

    def action_help(self) -> None:
        from .help import HelpScreen

        self.app.push_screen(HelpScreen())
