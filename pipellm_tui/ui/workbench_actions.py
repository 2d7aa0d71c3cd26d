"""The main screen's keep-and-reuse actions: history, saved requests, profiles, the conversation
(continue, fork, answer a tool call), exports, curl import and themes. Built on the screen's other
actions (screen_actions.py) and sending (send_actions.py: a history entry is sent again, and each
send is kept there); the action names are the registry's (commands.py).
The work is store/, playground/ and export/'s; the state change is workbench.py's. Every copy goes
through `copy_out`. Must not import httpx2.
"""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING, Any

from textual import work

from ..playground.request_draft import SendRefused
from ..protocols.formats import Format
from .screen_actions import ScreenActions
from .send_actions import SendActions
from .workbench import current_request, import_into, load_entry, load_request

if TYPE_CHECKING:
    from ..playground.conversation import Edited
    from ..protocols import ir
    from ..store.history import HistoryEntry


class WorkbenchActions(ScreenActions, SendActions):
    # ------------------------------------------------------------------ history

    def action_history(self) -> None:
        from .history_screen import HistoryScreen

        self.app.push_screen(HistoryScreen(self.workbench), self._history_chosen)

    def _history_chosen(self, chosen: tuple[str, int] | None) -> None:
        if chosen is not None:
            self.reuse_entry(*chosen)

    @work(exclusive=True, group="history-entry", exit_on_error=False)
    async def reuse_entry(self, what: str, entry_id: int) -> None:
        entry = await asyncio.to_thread(self.workbench.history.get, entry_id)
        if entry is None:
            self.notify("That entry is gone.", title="History", severity="warning")
            return
        self.session.request_text = self.editor.flush()
        load_entry(self.session, entry)
        self.session.exchange = None
        self._show_loaded(f"History: {entry.model} ({entry.format}, {entry.route})")
        if what == "open":
            await self._show_entry_response(entry)
            return
        if what == "route":
            self.action_switch_route()
        elif what == "format":
            from .prompt_screen import ChoiceScreen

            others = [(f.label, f) for f in Format if f is not self.session.format]
            fmt = await self.app.push_screen_wait(ChoiceScreen("Send again, converted to", others))
            if fmt is None:
                return
            self.switch_format(fmt)  # converted; its warnings are notified
        self.action_send()

    async def _show_entry_response(self, entry: HistoryEntry) -> None:
        response = self.response
        await response.begin()
        if entry.status is not None:
            response.set_headers(entry.status, entry.response_headers)
        if entry.response_body is not None:
            response.set_final(entry.response_body)
        response.add_text(entry.answer or (f"*{entry.error.get('message', '')}*" if entry.error else ""))
        await response.finish("from history")

    def _show_loaded(self, what: str) -> None:
        self._load_request()
        self._show_models()
        self.refresh_state(params=True)
        self.notify(what, title="Loaded")

    # ------------------------------------------------------------------ saved requests

    def action_save_request(self) -> None:
        from .prompt_screen import PromptScreen

        self.session.set_request_text(self.editor.flush())
        self.app.push_screen(
            PromptScreen("Save request", "A name (letters, digits, - _ . and spaces):"), self._save_as
        )

    def _save_as(self, name: str | None) -> None:
        if not name:
            return
        from ..store.names import NameProblem
        from ..store.saved_requests import SavedRequestProblem

        try:
            kept = self.workbench.saved.save(current_request(self.session, name, self.workbench.profile))
        except (SendRefused, SavedRequestProblem, NameProblem, OSError) as exc:
            self.notify(str(exc), title="Not saved", severity="error")
            return
        note = f" (the unreadable file there is kept as {kept.backup})" if kept and kept.backup else ""
        self.notify(f"Saved as {name!r}{note}.", title="Saved request")

    def _pick_saved(self, title: str, then: Any) -> None:
        from .prompt_screen import ChoiceScreen

        infos = self.workbench.saved.list()
        if not infos:
            self.notify("No saved requests yet (ctrl+s saves one).", title=title, severity="warning")
            return
        choices = [
            (
                f"{i.name:<24} {i.format:<16} {i.route:<9} {i.model}"
                if i.problem is None
                else f"{i.name:<24} cannot be read: {i.problem.message}",
                i.name,
            )
            for i in infos
        ]
        self.app.push_screen(ChoiceScreen(title, choices), then)

    def action_open_saved(self) -> None:
        self._pick_saved("Open saved request", self._open_saved)

    def _open_saved(self, name: str | None) -> None:
        if name is None:
            return
        from ..store.saved_requests import SavedRequestProblem

        try:
            kept = self.workbench.saved.open(name)
        except SavedRequestProblem as exc:
            self.notify(str(exc), title="Not opened", severity="error")
            return
        self.session.request_text = self.editor.flush()
        load_request(self.session, kept.format, kept.route, kept.model, kept.body)
        self._show_loaded(f"Saved request {name!r}")

    def action_rename_saved(self) -> None:
        self._pick_saved("Rename saved request", self._rename_saved)

    def _rename_saved(self, old: str | None) -> None:
        if old is None:
            return
        from .prompt_screen import PromptScreen

        def rename(new: str | None) -> None:
            if new and new != old:
                self._saved_change(lambda: self.workbench.saved.rename(old, new), f"Renamed to {new!r}.")

        self.app.push_screen(PromptScreen(f"Rename {old!r}", "The new name:", old), rename)

    def action_delete_saved(self) -> None:
        self._pick_saved("Delete saved request", self._delete_saved)

    def _delete_saved(self, name: str | None) -> None:
        if name is not None:
            self._saved_change(lambda: self.workbench.saved.delete(name), f"Deleted {name!r}.")

    def _saved_change(self, change: Any, done: str) -> None:
        from ..store.names import NameProblem
        from ..store.saved_requests import SavedRequestProblem

        try:
            change()
        except (SavedRequestProblem, NameProblem, OSError) as exc:
            self.notify(str(exc), title="Saved requests", severity="error")
            return
        self.notify(done, title="Saved requests")

    # ------------------------------------------------------------------ profiles and themes

    @work(exclusive=True, group="profile", exit_on_error=False)
    async def action_use_profile(self, name: str) -> None:
        from ..store.profiles import ProfileProblem

        try:
            endpoint = self.workbench.endpoint_for(name)
        except ProfileProblem as exc:
            self.notify(str(exc), title="Profile not used", severity="error")
            return
        self.session.endpoint = endpoint
        if endpoint is None:
            await asyncio.to_thread(self.session.ensure_endpoint)  # the sandbox (started if need be)
        self.workbench.profile = name
        self.sub_title = self.session.endpoint.label if self.session.endpoint else ""
        self.notify(f"Sending with profile {name!r}: {self.sub_title}", title="Profile")
        self.refresh_state()
        self.prepare()  # the new endpoint's models

    def action_use_theme(self, name: str) -> None:
        if name not in self.app.available_themes:
            self.notify(f"No theme named {name!r}.", title="Theme", severity="error")
            return
        self.app.theme = name
        problem = self.workbench.remember(theme=name)
        note = f" ({problem.message}; the old file is kept)" if problem is not None else ""
        self.notify(f"Theme {name!r}, remembered in config.toml{note}.", title="Theme")

    # ------------------------------------------------------------------ the conversation

    def _body(self) -> dict[str, Any] | None:
        self.session.set_request_text(self.editor.flush())
        body = self.session.request_body()
        if body is None:
            self.notify("Fix the JSON first.", title="Conversation", severity="error")
        return body

    def _answer(self) -> ir.Response | None:
        exchange = self.session.exchange
        if exchange is None or exchange.plan.format is not self.session.format:
            return None
        if exchange.response is not None:
            return exchange.response
        if exchange.body is not None:
            from ..playground.conversation import answer_from_body

            return answer_from_body(exchange.plan.format, exchange.body)
        return None

    def _apply(self, edited: Edited, what: str) -> None:
        load_request(
            self.session, self.session.format, self.session.route_kind, self.session.model, edited.body
        )
        self._load_request()
        self.refresh_state(params=True)
        self.editor.text_area.focus()
        self.editor.text_area.move_cursor(self.editor.text_area.document.end)
        self.notify("\n".join([what, *edited.warnings[:5]]), title="Conversation",
                    severity="warning" if edited.warnings else "information")  # fmt: skip

    def action_continue_conversation(self) -> None:
        from ..playground.conversation import continue_conversation

        body, answer = self._body(), self._answer()
        if body is None:
            return
        if answer is None:
            self.notify("No answer to continue from: send first.", title="Continue", severity="warning")
            return
        edited = continue_conversation(self.session.format, body, answer, model=self.session.model)
        self._apply(edited, "The answer is in; type the next user turn.")

    def action_fork_conversation(self) -> None:
        from ..playground.conversation import turns
        from .prompt_screen import ChoiceScreen

        body = self._body()
        if body is None:
            return
        found = turns(self.session.format, body, self.session.model)
        if not found:
            self.notify("The conversation has no turns.", title="Fork", severity="warning")
            return
        choices = [(f"{t.index + 1:>3} {t.role:<9} {t.preview}", t.index + 1) for t in found]
        self.app.push_screen(ChoiceScreen("Fork from here: keep up to", choices), self._fork_at)

    def _fork_at(self, keep: int | None) -> None:
        from ..playground.conversation import ConversationProblem, fork

        body = self.session.request_body()
        if keep is None or body is None:
            return
        try:
            edited = fork(self.session.format, body, keep, model=self.session.model)
        except ConversationProblem as exc:
            self.notify(str(exc), title="Fork", severity="error")
            return
        self._apply(edited, f"Kept the first {keep} turns.")

    def action_answer_tool_call(self) -> None:
        from ..playground.conversation import pending_tool_calls
        from .prompt_screen import ChoiceScreen

        body = self._body()
        if body is None:
            return
        calls = pending_tool_calls(self.session.format, body, self.session.model)
        if not calls:
            self.notify("No tool call waits for its result (alt+c first).", title="Tool result",
                        severity="warning")  # fmt: skip
            return
        if len(calls) == 1:
            self._ask_tool_result(calls[0].id)
            return
        choices = [
            (f"{c.name}({json.dumps(c.arguments, ensure_ascii=False)[:60]}) {c.id}", c.id) for c in calls
        ]
        self.app.push_screen(ChoiceScreen("Answer which tool call?", choices), self._ask_tool_result)

    def _ask_tool_result(self, call_id: str | None) -> None:
        from ..playground.conversation import ConversationProblem, answer_tool_call
        from .prompt_screen import TextScreen

        if call_id is None:
            return

        def answer(text: str | None) -> None:
            body = self.session.request_body()
            if text is None or body is None:
                return
            try:
                result: Any = json.loads(text)
            except json.JSONDecodeError:
                result = text
            try:
                edited = answer_tool_call(
                    self.session.format, body, call_id, result, model=self.session.model
                )
            except ConversationProblem as exc:
                self.notify(str(exc), title="Tool result", severity="error")
                return
            self._apply(edited, "The result is in the request: ctrl+j sends it.")

        self.app.push_screen(TextScreen(f"Result of {call_id}", "Text or JSON:"), answer)

    # ------------------------------------------------------------------ exports and import

    def action_export(self, what: str) -> None:
        from .workbench_exports import export_text

        try:
            title, text, note, file_name = export_text(self.session, what)
        except SendRefused as exc:
            self.notify(str(exc), title="Not copied", severity="error")
            return
        self.copy_out(title, text, note, file_name)
        if what.startswith("conversation"):
            from .copy_screen import CopyScreen

            if isinstance(self.app.screen, CopyScreen):
                self.app.screen.save_soon()

    def action_import_curl(self) -> None:
        from .prompt_screen import TextScreen

        self.app.push_screen(
            TextScreen(
                "Import a curl command",
                "Paste it: format, route, model and body go into the editor. A key in it is dropped.",
                button="Import (ctrl+s)",
            ),
            self._import_curl,
        )

    def _import_curl(self, text: str | None) -> None:
        if not text:
            return
        from ..export.curl_import import CurlImportError

        self.session.request_text = self.editor.flush()
        try:
            notes = import_into(self.session, text)
        except CurlImportError as exc:
            self.notify(str(exc), title="Not imported", severity="error")
            return
        self._show_loaded("\n".join(notes))
