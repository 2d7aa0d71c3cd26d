"""What the TUI keeps and reuses, without Textual: config.toml (theme, keys, profiles, timeouts),
the history, the saved requests, and moving a kept request into the session.

The store/ and playground/ modules do the work (recording, conversions, exports); this is the
TUI's one place that joins them to `Session`. The history file opens on first use, in a worker:
never on the start-up path. Must not import Textual or httpx2.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..protocols.fields import write_model
from ..protocols.formats import Format, RouteKind
from ..protocols.templates import pretty
from ..store.config import Config, load_config, save_config
from ..store.saved_requests import SavedRequest, SavedRequests

if TYPE_CHECKING:
    from ..client.events import Exchange
    from ..client.playground import PlaygroundClient
    from ..playground.endpoint import Endpoint
    from ..playground.session import Session
    from ..store.history import History, HistoryEntry
    from ..store.toml_file import FileProblem


@dataclass(slots=True)
class Workbench:
    config: Config = field(default_factory=Config)
    #: Why config.toml was not used (then `config` holds the defaults).
    config_problem: FileProblem | None = None
    #: The profile the session sends with (history and saved requests note it).
    profile: str | None = None
    saved: SavedRequests = field(default_factory=SavedRequests)
    _history: History | None = None
    #: The history opens in whichever worker thread asks first (a send's record, the pane).
    _opening: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def load(cls, profile: str | None = None) -> Workbench:
        loaded = load_config()
        return cls(loaded.config, loaded.problem, profile or loaded.config.profile)

    # ------------------------------------------------------------------ config

    def remember(self, **settings: Any) -> FileProblem | None:
        """Change top-level settings (theme, profile) and write config.toml back."""
        self.config = self.config.model_copy(update=settings)
        return save_config(self.config)

    def client_factory(self) -> PlaygroundClient:
        """The TUI's client with config.toml's timeouts and limits."""
        from ..client import PlaygroundClient
        from ..playground.settings import client_limits, client_timeouts

        return PlaygroundClient(timeout=client_timeouts(self.config), limits=client_limits(self.config))

    def apply_settings(self, session: Session) -> None:
        """config.toml's timeouts and retry policy into the session's client (built on first send)."""
        from ..playground.settings import retry_policy

        target = session.endpoint.target if session.endpoint is not None else None
        if target is not None:  # --profile NAME (or config.toml's profile) chose it
            self.profile = target.profile.name
        elif session.endpoint is None or session.endpoint.is_sandbox:
            self.profile = self.profile or "sandbox"
        if session.client_factory is None:
            session.client_factory = self.client_factory
        policy = retry_policy(self.config)
        if policy is not None:
            session.retry_policy = policy
            session.auto_retry = True

    def profile_names(self) -> list[str]:
        return list(self.config.all_profiles())

    def endpoint_for(self, name: str, environ: Mapping[str, str] | None = None) -> Endpoint | None:
        """The endpoint of profile `name` (None: the sandbox). ProfileProblem when it cannot be used."""
        from ..playground.endpoint import Choice, endpoint_for, resolve

        target = resolve(Choice(profile=name), self.config, dict(os.environ) if environ is None else environ)
        return None if target.needs_sandbox else endpoint_for(target)

    # ------------------------------------------------------------------ history

    @property
    def history(self) -> History:
        """The history file, opened on first use (call from a worker thread)."""
        with self._opening:
            if self._history is None:
                from ..playground.recording import open_history

                self._history = open_history(self.config)
            return self._history

    def record(self, exchange: Exchange, cost: float | None) -> int | None:
        """Keep a finished send (masked headers only: recording.py); None when history is off."""
        if not self.config.history.enabled:
            return None
        from ..playground.recording import record_exchange

        return record_exchange(self.history, exchange, profile=self.profile, cost=cost)

    def close(self) -> None:
        if self._history is not None:
            self._history.close()
            self._history = None


# ---------------------------------------------------------------------- the session's request


def load_request(session: Session, fmt: Format, route: RouteKind, model: str, body: dict[str, Any]) -> None:
    """Put a kept request (format, route, model, body) in the session, as the editor shows it."""
    session.format, session.route_kind, session.model = fmt, route, model
    session.request_text = pretty(write_model(fmt, body, model))
    session.switch_warnings = []
    session.headers = {}


def load_entry(session: Session, entry: HistoryEntry) -> None:
    """A history entry's request back in the session."""
    from ..playground.recording import saved_request_from_entry

    kept = saved_request_from_entry(entry, "history")
    load_request(session, kept.format, kept.route, kept.model, kept.body)


def current_request(session: Session, name: str, profile: str | None) -> SavedRequest:
    """The session's request, to save under `name`. SendRefused when it is not a JSON object."""
    from ..playground.request_draft import SendRefused

    body = session.request_body()
    if body is None:
        raise SendRefused("Not saved: the request is not a JSON object (fix the JSON first).")
    if session.format is not Format.GEMINI:
        body = {k: v for k, v in body.items() if k != "model"}  # the model travels beside the body
    return SavedRequest(name, session.format, session.route_kind, session.model, body, profile)


def import_into(session: Session, text: str) -> list[str]:
    """A pasted curl command's format, route, model, headers and body into the session; what to tell
    the user (a literal key was dropped, which headers came along). CurlImportError when unreadable."""
    from ..export.curl_import import import_curl

    found = import_curl(text, key_env=session.key_env)
    body = (
        found.body if found.format is Format.GEMINI else {k: v for k, v in found.body.items() if k != "model"}
    )
    load_request(session, found.format, found.route, found.model, body)
    notes = [f"{found.format.label}, {found.route.value} route, {found.model}"]
    if found.dropped_literal_key:
        notes.append(f"The key in the command was dropped: the key comes from ${session.key_env}.")
    # The route sets these itself; the key header never came along (import_curl keeps it out).
    session.headers = {
        name: value
        for name, value in found.headers.items()
        if name.lower() not in ("content-type", "accept", "anthropic-version")
    }
    if session.headers:
        notes.append(f"Headers sent with it (see the route pane): {', '.join(sorted(session.headers))}.")
    if found.ignored:
        notes.append(f"Ignored: {' '.join(found.ignored)}.")
    return notes
