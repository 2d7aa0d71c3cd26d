"""Keeps the session's draft request on disk while the user edits (store/draft.py owns the file).

The screen calls `changed` after every change of state; SAVE_DELAY after the last change the
draft is written, in a thread (an fsync must not stall a key press), and an older draft never
lands after a newer one (numbered writes, under a lock). The app saves once more on exit. At
start-up `restore` puts the kept draft into the session, after the first paint and before the
panes that show it are built, with its kept verdict when the same checker gave it (store/draft.py):
the panes then show it without a check. A draft kept without one is written again once checked.
A save that fails is said once, and never ends the app.
Must not import httpx2.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..playground.request_draft import Check
from ..store.draft import Draft, Verdict, checker_stamp, load_draft, save_draft

if TYPE_CHECKING:
    from textual.message_pump import MessagePump
    from textual.timer import Timer

    from ..playground.session import Session

#: Seconds after the last change before the draft is written.
SAVE_DELAY = 0.5


class DraftKeeper:
    def __init__(self, session: Session, path: Path, warn: Callable[[str], None]) -> None:
        self.session = session
        self.path = path
        self.warn = warn
        self._saved: Draft | None = None
        self._timer: Timer | None = None
        #: Writes happen in threads and at exit: each takes a number, and one never replaces a
        #: newer draft already written (an exit save and a late thread may overlap).
        self._write_lock = threading.Lock()
        self._taken = 0
        self._written = 0
        self._may_save = True
        self._save_failed = False
        #: The draft on disk has no verdict by this checker: write it once the body is checked.
        self._verdict_missing = False

    def restore(self) -> str | None:
        """Put the kept draft (if any) into the session; what to tell the user about the file."""
        loaded = load_draft(self.path)
        self._may_save = loaded.may_save
        draft = loaded.draft
        if draft is not None:
            session = self.session
            session.format, session.route_kind, session.model = draft.format, draft.route, draft.model
            session.request_text = draft.body
            if draft.checked is not None and draft.checked.stamp == checker_stamp():
                session.last_check = Check(draft.format, draft.body, draft.checked.problem)
            self._verdict_missing = session.last_check is None
        # What is on screen now is what the disk has (or a template, not worth writing).
        self._saved = self.current()
        if not self._may_save:
            return f"{loaded.problem} Edits are not kept on disk this time."
        return loaded.problem

    def current(self) -> Draft:
        s = self.session
        last, verdict = s.last_check, None
        if last is not None and last.holds(s.format, s.request_text):
            verdict = Verdict(checker_stamp(), last.problem)
        return Draft(s.format, s.route_kind, s.model, s.request_text, verdict)

    def _unsaved(self, draft: Draft) -> bool:
        return draft != self._saved or (self._verdict_missing and draft.checked is not None)

    @property
    def pending(self) -> bool:
        """A change waits to be written."""
        return self._timer is not None

    def changed(self, pump: MessagePump) -> None:
        """The state may have changed: write it SAVE_DELAY from now (timed on `pump`)."""
        if not self._may_save or not self._unsaved(self.current()):
            return
        if self._timer is not None:
            self._timer.stop()
        self._timer = pump.set_timer(SAVE_DELAY, self._save_later)

    async def _save_later(self) -> None:
        self._timer = None
        draft = self.current()
        if self._unsaved(draft):
            self._taken += 1
            self._said(await asyncio.to_thread(self._write, draft, self._taken))

    def save_now(self) -> None:
        """Write the draft if it changed (on exit: synchronously, the loop is ending)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        draft = self.current()
        if self._may_save and self._unsaved(draft):
            self._taken += 1
            self._said(self._write(draft, self._taken))

    def _write(self, draft: Draft, number: int) -> str | None:
        """Write `draft`, the `number`th taken (in any thread), unless a later one is on disk
        already; the problem, if it could not be written."""
        with self._write_lock:
            if number < self._written:
                return None
            try:
                save_draft(draft, self.path)
            except OSError as exc:
                return f"The draft could not be saved to {self.path} ({exc})."
            self._written = number
            self._saved = draft
            self._verdict_missing = draft.checked is None
        return None

    def _said(self, problem: str | None) -> None:
        if problem is not None and not self._save_failed:  # once: a full disk would say it on every key
            self.warn(problem)
        self._save_failed = problem is not None
