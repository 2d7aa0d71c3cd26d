"""The main screen's actions other than sending (send_actions.py) and keep-and-reuse
(workbench_actions.py): formats (a switch that would lose the request is refused), routes, a chosen
model, focus, the inspector, the raw events, a new request, the models, a maximized pane, Copy as
curl, help; and how a bug caught at the edge (guard.py) is shown. Built on the screen's core
(screen_core.py: the state and the panes), kept apart so each file reads in one sitting; the action
names are the registry's (commands.py). Must not import httpx2.
"""

from __future__ import annotations

import time
import traceback
from typing import Any

from textual.widget import Widget

from ..playground.request_draft import SendRefused
from ..protocols.formats import Format, RouteKind
from .guard import bug_text, bug_title, guarded
from .screen_core import ScreenCore

FOCUS_TARGETS = {
    "models": "#models-filter",
    "route": "#format-select",
    "editor": "#request-json",
    "params": "#param-system",
    "response": "#response-tabs TabStrip",
}
#: A bug that repeats within this many seconds (on a timer) is not said again.
BUG_QUIET_SECONDS = 2.0
#: The panes `Maximize pane` gives the whole screen: the one holding the focus.
PANE_IDS = ("models", "route", "editor", "params", "response", "inspector")


class ScreenActions(ScreenCore):
    #: The last bug said and when (`show_bug`): the same one again soon after is not repeated.
    _last_bug: tuple[Any, ...] | None = None

    def take_editor_text(self) -> None:
        """The editor's text into the session now, even within its debounce (before quitting)."""
        if self.panes_ready:
            self.session.request_text = self.editor.flush()

    def show_bug(self, error: BaseException, doing: str) -> None:
        """An unexpected exception (guard.py): the error pane says it is a bug and where to report it.
        The same bug again within BUG_QUIET_SECONDS (a timer's, every tick) is said once."""
        frames = traceback.extract_tb(error.__traceback__)
        where = (frames[-1].filename, frames[-1].lineno) if frames else None
        seen = (type(error), str(error), where)
        last = self._last_bug
        now = time.monotonic()
        if last is not None and last[0] == seen and now - last[1] < BUG_QUIET_SECONDS:
            return
        self._last_bug = (seen, now)
        self.notify(f"{error}" or type(error).__name__, title=bug_title(error), severity="error")
        if self.panes_ready:
            self.errors.show_problem(bug_title(error), bug_text(error, doing))
            self.show_inspector("error")

    def switch_format(self, fmt: Format) -> None:
        """Convert the request to `fmt`; one that cannot be converted is kept and the switch refused."""
        if fmt is self.session.format:
            return
        self.session.request_text = self.editor.flush()
        before = self.session.format
        try:
            warnings = self.session.set_format(fmt)
        except SendRefused as exc:  # the request stays as typed; the picker goes back to its format
            self.check_request(self.session.request_text)
            self.refresh_state()
            self.notify(str(exc), title="Format not switched", severity="error")
            return
        if self.session.exchange is not None:  # the answer on show was for the other format
            self.response.border_subtitle = f"answer to the {before.value} request (send to refresh)"
        self.view_as = None
        self._load_request()
        self.refresh_state(params=True)
        if warnings:
            self.notify("\n".join(warnings[:6]), title=f"Converted to {fmt.value}", severity="warning")
        else:
            self.notify(f"The request is now in {fmt.label} format.", title="Format")

    @guarded
    def action_switch_format(self) -> None:
        formats = list(Format)
        self.switch_format(formats[(formats.index(self.session.format) + 1) % len(formats)])

    @guarded
    def action_set_format(self, value: str) -> None:
        self.switch_format(Format(value))

    @guarded
    def action_switch_route(self) -> None:
        kind = RouteKind.NATIVE if self.session.route_kind is RouteKind.CONVERTER else RouteKind.CONVERTER
        self.action_set_route(kind.value)

    @guarded
    def action_set_route(self, value: str) -> None:
        self.session.set_route(RouteKind(value))
        self.refresh_state()

    @guarded
    def action_use_converter(self) -> None:
        self.action_set_route(RouteKind.CONVERTER.value)
        self.notify(
            f"Using the converter route: {self.session.route.url_path(self.session.model)}", title="Route"
        )

    @guarded
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

    @guarded
    def action_show_inspector(self, tab: str) -> None:
        self.show_inspector(tab)
        self.inspector.query_one("TabStrip").focus()

    @guarded
    def action_widen_payloads(self) -> None:
        bottom = self.query_one("#bottom")
        bottom.toggle_class("-wide-inspector")
        if bottom.has_class("-wide-inspector"):
            self.inspector.active = "payloads"

    @guarded
    def action_toggle_raw(self) -> None:
        self.response.show_tab("tab-events" if self.response.active_tab == "tab-answer" else "tab-answer")

    @guarded
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

    @guarded
    def action_toggle_wrap(self) -> None:
        from .widgets.request_editor import RequestEditor

        wrapped = self.query_one("#editor", RequestEditor).toggle_soft_wrap()
        self.notify("Long lines wrap." if wrapped else "Long lines scroll sideways.", title="Soft wrap")

    @guarded
    def action_new_request(self) -> None:
        self.session.reset_request()
        self._load_request()
        self.refresh_state(params=True)

    @guarded
    async def action_reload_models(self) -> None:
        self.prepare()

    @guarded
    def action_sort_models(self) -> None:
        self.session.model_sort = self.session.model_sort.next
        self._show_models()

    @guarded
    def action_choose_model(self, model_id: str) -> None:
        self.choose_model(model_id)

    def choose_model(self, model_id: str) -> None:
        """The model goes into the request; a better route is proposed (one key), not taken."""
        suggested = self.session.choose_model(model_id)
        self._load_request()
        self._show_models()
        self.refresh_state(params=True)
        if suggested.kind is not self.session.route_kind:
            key = "ctrl+g" if suggested.kind is RouteKind.CONVERTER else "ctrl+r"
            problem = self.session.route_problem()
            self.notify(
                f"{problem or model_id + ' is native to this format.'} Press {key} for the "
                f"{suggested.kind.value} route.",
                title="Route",
                severity="warning" if problem else "information",
            )

    @guarded
    def action_maximize_pane(self) -> None:
        # Whatever holds the focus is on screen: a hidden pane cannot hold it (show_pane first).
        if self.focused is not None:
            pane = next(
                (a for a in self.focused.ancestors_with_self if a.id in PANE_IDS),
                None,
            )
            if isinstance(pane, Widget):
                self.maximize(pane, container=False)

    @guarded
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

    @guarded
    def action_help(self) -> None:
        from .help import HelpScreen

        self.app.push_screen(HelpScreen())
