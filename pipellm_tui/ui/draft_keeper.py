"""Keeps the session's draft request on disk while the user edits (store/draft.py owns the file).

The screen calls `changed` after every change of state; SAVE_DELAY after the last change the
draft is written, in a thread (an fsync must not stall a key press), one write at a time so an
older draft never lands after a newer one. The app saves once more on exit. At start-up `restore`
puts the kept draft into the session before the first screen is built (one small file).
A save that fails is said once, and never ends the app.
Must not import httpx2.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..store.draft import Draft, load_draft, save_draft

if TYPE_CHECKING:
    from textual.message_pump import MessagePump
    from textual.timer import Timer

    from .session import Session

#: Seconds after the last change before the draft is written.
SAVE_DELAY = 0.5


class DraftKeeper:
    def __init__(self, session: Session, path: Path, warn: Callable[[str], None]) -> None:
        self.session = session
        self.path = path
        self.warn = warn
        self._saved: Draft | None = None
        self._timer: Timer | None = None
        self._lock: asyncio.Lock | None = None
        self._may_save = True
        self._save_failed = False

    def restore(self) -> str | None:
        """Put the kept draft (if any) into the session; what to tell the user about the file."""
        loaded = load_draft(self.path)
        self._may_save = loaded.may_save
        draft = loaded.draft
        if draft is not None:
            session = self.session
            session.format, session.route_kind, session.model = draft.format, draft.route, draft.model
            session.request_text = draft.body
        # What is on screen now is what the disk has (or a template, not worth writing).
        self._saved = self.current()
        return loaded.problem

    def current(self) -> Draft:
        s = self.session
        return Draft(s.format, s.route_kind, s.model, s.request_text)

    @property
    def pending(self) -> bool:
        """A change waits to be written."""
        return self._timer is not None

    def changed(self, pump: MessagePump) -> None:
        """The state may have changed: write it SAVE_DELAY from now (timed on `pump`)."""
        if not self._may_save or self.current() == self._saved:
            return
        if self._timer is not None:
            self._timer.stop()
        self._timer = pump.set_timer(SAVE_DELAY, self._save_later)

    async def _save_later(self) -> None:
        self._timer = None
        self._lock = self._lock or asyncio.Lock()
        async with self._lock:
            draft = self.current()
            if draft != self._saved:
                self._said(await asyncio.to_thread(self._write, draft))

    def save_now(self) -> None:
        """Write the draft if it changed (on exit: synchronously, the loop is ending)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        draft = self.current()
        if self._may_save and draft != self._saved:
            self._said(self._write(draft))

    def _write(self, draft: Draft) -> str | None:
        """Write `draft` (in any thread); the problem, if it could not be."""
        try:
            save_draft(draft, self.path)
        except OSError as exc:
            return f"The draft could not be saved to {self.path} ({exc})."
        self._saved = draft
        return None

    def _said(self, problem: str | None) -> None:
        if problem is not None and not self._save_failed:  # once: a full disk would say it on every key
            self.warn(problem)
        self._save_failed = problem is not None
