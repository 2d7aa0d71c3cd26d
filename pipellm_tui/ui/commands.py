"""Every playground action, once: its binding id, keys, plain name and help; the palette reads it too.

One registry feeds three things so they cannot drift apart: the app's `BINDINGS` (each with an `id`
users can remap), the footer labels, and the command palette provider. Must not import httpx2.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from ..protocols.formats import Format, RouteKind


@dataclass(frozen=True, slots=True)
class PlaygroundAction:
    id: str
    #: What the palette lists, in the user's words.
    title: str
    keys: str
    #: The app action it runs (`action_<name>`).
    action: str
    help: str
    #: Short label for the footer; None keeps it out of the footer (still in the palette and help).
    footer: str | None = None
    #: Priority bindings work while a text field has focus (ctrl+j must send from the editor).
    priority: bool = True


ACTIONS: tuple[PlaygroundAction, ...] = (
    PlaygroundAction(
        "send-request", "Send request", "ctrl+j,alt+enter", "send", "Send the request as planned.", "Send"
    ),
    PlaygroundAction(
        "cancel-request",
        "Cancel request",
        "escape",
        "cancel",
        "Stop the request in flight; what arrived stays.",
        "Cancel",
    ),
    PlaygroundAction(
        "retry-now",
        "Retry now",
        "alt+r",
        "retry_now",
        "Send the last request again, now (after an error, whatever the countdown says).",
    ),
    PlaygroundAction(
        "toggle-auto-retry",
        "Toggle automatic retry",
        "alt+a",
        "toggle_auto_retry",
        "Retry failed calls by the client's policy (429, 529, 5xx), waiting as the server says.",
    ),
    PlaygroundAction(
        "switch-format",
        "Switch format",
        "ctrl+t",
        "switch_format",
        "Convert the request to the next format, keeping the conversation.",
        "Format",
    ),
    PlaygroundAction(
        "switch-route",
        "Switch route",
        "ctrl+r",
        "switch_route",
        "Toggle between the native and the converter route.",
        "Route",
    ),
    PlaygroundAction(
        "use-converter",
        "Use converter route",
        "ctrl+g",
        "use_converter",
        "Switch to the converter route (for a model of another family).",
        "Converter",
    ),
    PlaygroundAction(
        "focus-models",
        "Focus models",
        "f2",
        "focus_pane('models')",
        "Jump to the model list filter.",
        "Models",
    ),
    PlaygroundAction(
        "focus-route", "Focus route", "f3", "focus_pane('route')", "Jump to the format and route picker."
    ),
    PlaygroundAction(
        "focus-editor",
        "Focus editor",
        "f4",
        "focus_pane('editor')",
        "Jump to the request JSON editor.",
        "Editor",
    ),
    PlaygroundAction(
        "focus-response", "Focus response", "f5", "focus_pane('response')", "Jump to the response tabs."
    ),
    # F6 and F7 are not priority keys: in the editor they stay TextArea's (select line, select all).
    PlaygroundAction(
        "focus-params",
        "Focus parameters",
        "f6",
        "focus_pane('params')",
        "Jump to the parameters form (in the editor F6 selects the line).",
        priority=False,
    ),
    PlaygroundAction(
        "show-payloads",
        "Show converted payloads",
        "f7",
        "show_inspector('payloads')",
        "Show the request and response next to their conversions (in the editor F7 selects all).",
        priority=False,
    ),
    PlaygroundAction(
        "widen-payloads",
        "Payloads: whole lower half",
        "alt+p",
        "widen_payloads",
        "Give the payloads the response's place too (again, or F5: back).",
    ),
    PlaygroundAction(
        "show-limits",
        "Show rate limits",
        "f8",
        "show_inspector('limits')",
        "Show limit, remaining and the reset countdown.",
    ),
    PlaygroundAction(
        "show-error", "Show error", "f9", "show_inspector('error')", "Show the last error in full."
    ),
    PlaygroundAction(
        "toggle-raw",
        "Toggle raw events",
        "ctrl+o",
        "toggle_raw",
        "Switch the response between the answer and the raw SSE events.",
    ),
    PlaygroundAction(
        "new-request",
        "New request from template",
        "ctrl+n",
        "new_request",
        "Replace the request with the format's starter template.",
    ),
    PlaygroundAction(
        "format-json",
        "Format JSON",
        "alt+f",
        "format_json",
        "Re-indent the request JSON (undo with ctrl+z).",
    ),
    PlaygroundAction(
        "toggle-wrap",
        "Toggle soft wrap",
        "alt+w",
        "toggle_wrap",
        "Wrap long lines in the request editor, or scroll them sideways.",
    ),
    PlaygroundAction(
        "reload-models", "Reload models", "ctrl+l", "reload_models", "Fetch the model list again."
    ),
    PlaygroundAction(
        "sort-models",
        "Sort models",
        "alt+s",
        "sort_models",
        "Sort the model list by name, family or input price (each press: the next order).",
    ),
    # Keep and reuse (workbench_actions.py): history, saved requests, the conversation, import.
    PlaygroundAction(
        "history",
        "History",
        "f10",
        "history",
        "Past sends, newest first, searched as you type: open one, or send it again.",
    ),
    PlaygroundAction(
        "save-request", "Save request", "ctrl+s", "save_request", "Save the request under a name."
    ),
    PlaygroundAction(
        "open-saved", "Open saved request", "ctrl+b", "open_saved", "Put a saved request in the editor."
    ),
    PlaygroundAction(
        "rename-saved", "Rename saved request", "alt+m", "rename_saved", "Choose a saved request, then its new name."
    ),
    PlaygroundAction(
        "delete-saved", "Delete saved request", "alt+x", "delete_saved", "Choose a saved request to delete (Esc: none)."
    ),
    PlaygroundAction(
        "continue-conversation",
        "Continue conversation",
        "alt+c",
        "continue_conversation",
        "Append the answer to the request and open the next user turn.",
    ),
    PlaygroundAction(
        "fork-conversation",
        "Fork from here",
        "alt+k",
        "fork_conversation",
        "Choose a turn: the conversation is cut after it.",
    ),
    PlaygroundAction(
        "answer-tool-call",
        "Answer tool call",
        "alt+t",
        "answer_tool_call",
        "Type the result of a tool call the answer made.",
    ),
    PlaygroundAction(
        "import-curl",
        "Import curl command",
        "alt+i",
        "import_curl",
        "Paste a curl command: its format, route, model and body go into the editor.",
    ),
    PlaygroundAction(
        "copy-curl",
        "Copy as curl",
        "f12",
        "copy_curl",
        "Copy the request as a curl command; it reads the key from $PIPELLM_API_KEY.",
    ),
    PlaygroundAction(
        "compare-routes",
        "Compare routes",
        "alt+v",
        "compare_routes",
        "Send the request to this model on every route at once, side by side, with diffs.",
    ),
    PlaygroundAction(
        "compare-models",
        "Compare models",
        "alt+n",
        "compare_models",
        "Pick up to four models and send them the request at once, side by side.",
    ),
    PlaygroundAction(
        "maximize-pane",
        "Maximize pane",
        "f11",
        "maximize_pane",
        "Give the focused pane the whole screen (Esc restores).",
    ),
    PlaygroundAction(
        "help", "Help", "f1,question_mark", "help", "Keys and commands.", "Help", priority=False
    ),
    PlaygroundAction("quit", "Quit", "ctrl+q", "app.quit", "Leave the playground.", "Quit"),
)


def bindings() -> list[Binding]:
    return [
        Binding(
            a.keys,
            a.action,
            a.footer or a.title,
            show=a.footer is not None,
            id=a.id,
            priority=a.priority,
            tooltip=a.help,
        )
        for a in ACTIONS
    ]


def key_label(keys: str) -> str:
    return " / ".join(k.replace("question_mark", "?") for k in keys.split(","))


@dataclass(frozen=True, slots=True)
class Command:
    title: str
    help: str
    action: str


def commands() -> Iterator[Command]:
    """The palette's list: every registered action, plus direct format and route choices."""
    for a in ACTIONS:
        yield Command(a.title, f"{a.help} ({key_label(a.keys)})", a.action)
    for fmt in Format:
        yield Command(
            f"Format: {fmt.label}", f"Convert the request to {fmt.value}.", f"set_format('{fmt.value}')"
        )
    for kind in RouteKind:
        yield Command(f"Route: {kind.value}", f"Use the {kind.value} route.", f"set_route('{kind.value}')")
    from .workbench_exports import EXPORTS

    for title, what in EXPORTS:
        yield Command(title, "Copy it out (clipboard, shown, Save to file).", f"export({what!r})")


class PlaygroundCommands(Provider):
    """Command palette provider over `commands()`: plain names, matched fuzzily. The model and the
    workbench providers below list other entries the same way (`entries`)."""

    def entries(self) -> Iterable[Command]:
        return commands()

    async def discover(self) -> Hits:
        for command in self.entries():
            yield DiscoveryHit(command.title, partial(self._run, command.action), help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self.entries():
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(command.title),
                    partial(self._run, command.action),
                    help=command.help,
                )

    async def _run(self, action: str) -> None:
        # The actions live on the screen the palette was opened from (the main screen).
        await self.screen.run_action(action)


class ModelCommands(PlaygroundCommands):
    """The palette lists the catalog's models too ("Model: claude-sonnet-4-5…"): choosing one puts
    it in the request, as the model list does."""

    def entries(self) -> list[Command]:
        session = getattr(self.screen, "session", None)
        if session is None:
            return []
        from ..playground.model_search import price_summary

        return [
            Command(
                f"Model: {m.id}",
                f"{m.type_target.value if m.type_target else 'unknown family'} · {price_summary(m.pricing)}",
                f"choose_model({m.id!r})",
            )
            for m in session.filter_models("")
        ]


class WorkbenchCommands(PlaygroundCommands):
    """The palette's "Profile: NAME" and "Theme: NAME" (config.toml's profiles, the theme files)."""

    def entries(self) -> list[Command]:
        bench = getattr(self.screen, "workbench", None)
        found = []
        if bench is not None:
            for name, profile in bench.config.all_profiles().items():
                found.append(Command(f"Profile: {name}", f"Send with {profile.kind.value} profile {name}.", f"use_profile({name!r})"))
        for name in sorted(self.app.available_themes):
            found.append(Command(f"Theme: {name}", "Use this theme (remembered in config.toml).", f"use_theme({name!r})"))
        return found
