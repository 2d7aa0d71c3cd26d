"""History: one row per exchange in SQLite (standard library `sqlite3`, WAL), newest first, capped.

What a row holds is `HistoryEntry`: the request as sent (masked headers only: the caller passes
`Plan.masked_headers`, never `Plan.headers`), the answer, timings, usage, cost, the rate-limit
snapshot and the error. Lists read a narrow table (`exchanges`) with an index on time and one on
(model, time); the bulky JSON and raw events sit in `details`, read only by `get`. Compare runs
share a `group_id`. The oldest rows are pruned past `max_entries` or `max_bytes`.

A file that is not a database is moved aside (`history.sqlite3.corrupt-<time>`) and a new one
started; `History.problem` says so. Imports the standard library only.
"""

from __future__ import annotations

import builtins
import json
import sqlite3
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, overload

from .atomic import quarantine
from .history_sql import SCHEMA, add_search_index, search_clause
from .paths import data_dir

HISTORY_FILE = "history.sqlite3"
_SUMMARY_COLUMNS = (
    "id, at, group_id, profile, format, route, model, url, status, ttft, total, "
    "input_tokens, output_tokens, cost, error, answer"
)
#: An answer in a list is cut to this; `get` has all of it.
PREVIEW_CHARS = 200
#: What a list reads: the summary columns of `exchanges AS e`, the answer cut to its preview.
_LIST_COLUMNS = ", ".join(
    f"substr(e.answer, 1, {PREVIEW_CHARS})" if c == "answer" else f"e.{c}"
    for c in _SUMMARY_COLUMNS.split(", ")
)


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One exchange as kept. JSON-shaped values only, so it round-trips through the file exactly."""

    format: str
    route: str
    model: str
    url: str
    #: Masked: `Plan.masked_headers`. Never the real ones.
    request_headers: dict[str, str]
    request_body: dict[str, Any] | None
    status: int | None = None
    ttft: float | None = None
    total: float | None = None
    usage: dict[str, int] | None = None
    cost: float | None = None
    rate_limits: dict[str, Any] | None = None
    #: The structured error (status, type, code, message, ...) when the call failed.
    error: dict[str, Any] | None = None
    answer: str = ""
    response_headers: dict[str, str] = field(default_factory=dict)
    response_body: dict[str, Any] | None = None
    #: The raw SSE text, cut at the history's `raw_events_bytes` (then `raw_events_cut` is True).
    raw_events: str = ""
    raw_events_cut: bool = False
    profile: str | None = None
    group_id: str | None = None
    at: float = field(default_factory=time.time)
    id: int | None = None


@dataclass(frozen=True, slots=True)
class HistorySummary:
    """A row of the history list: enough to show and to search, nothing bulky."""

    id: int
    at: float
    group_id: str | None
    profile: str | None
    format: str
    route: str
    model: str
    url: str
    status: int | None
    ttft: float | None
    total: float | None
    input_tokens: int | None
    output_tokens: int | None
    cost: float | None
    #: "429 rate_limit_error: message" when the call failed.
    error: str | None
    answer_preview: str


@dataclass(frozen=True, slots=True)
class HistoryGroup:
    group_id: str
    count: int
    first_at: float
    models: tuple[str, ...]


def new_group_id() -> str:
    """An id for entries that belong together (the routes and models of one compare run)."""
    return uuid.uuid4().hex


def history_path() -> Path:
    return data_dir() / HISTORY_FILE


class History:
    """The history file. Safe to share between threads (one connection behind a lock)."""

    def __init__(
        self,
        path: Path | None = None,
        *,
        max_entries: int = 10_000,
        max_bytes: int = 200_000_000,
        raw_events_bytes: int = 256 * 1024,
        search_index: bool = True,
    ) -> None:
        self.path = path or history_path()
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.raw_events_bytes = raw_events_bytes
        #: Set when the file there was not a database and was moved aside.
        self.problem: str | None = None
        self._lock = threading.Lock()
        #: Whether searches may use the trigram index (False: every search reads every row).
        self.search_index = search_index
        self._indexed = False
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = self._open()
        except sqlite3.DatabaseError as exc:
            backup = quarantine(self.path)
            for suffix in ("-wal", "-shm"):
                side = self.path.with_name(self.path.name + suffix)
                if side.exists():
                    side.replace(backup.with_name(backup.name + suffix))
            self.problem = f"{self.path} could not be read ({exc}); kept as {backup.name}, started a new one."
            self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA foreign_keys=ON")
            # A search that the index cannot serve reads every row's text: mapped pages spare a
            # copy per page.
            db.execute("PRAGMA mmap_size=268435456")
            db.executescript(SCHEMA)
            self._indexed = add_search_index(db) and self.search_index
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # ------------------------------------------------------------------ writing

    def record(self, entry: HistoryEntry) -> int:
        """Keep `entry` (its `id` is ignored) and prune the oldest past the caps; returns the new id."""
        raw, cut = _text(entry.raw_events), entry.raw_events_cut
        if len(raw.encode("utf-8")) > self.raw_events_bytes:
            raw = raw.encode("utf-8")[: self.raw_events_bytes].decode("utf-8", "ignore")
            cut = True
        request = _json({"headers": entry.request_headers, "body": entry.request_body})
        response = _json(
            {
                "headers": entry.response_headers,
                "body": entry.response_body,
                "raw_events": raw,
                "raw_events_cut": cut,
                "usage": entry.usage,
                "rate_limits": entry.rate_limits,
                "error": entry.error,
            }
        )
        usage = entry.usage or {}
        size = len(request) + len(response) + len(entry.answer) + 200
        with self._lock, self._db:
            self._db.execute("BEGIN IMMEDIATE")
            cursor = self._db.execute(
                "INSERT INTO exchanges (at, group_id, profile, format, route, model, url, status, ttft, "
                "total, input_tokens, output_tokens, cost, error, size, answer) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    entry.at, entry.group_id, _text(entry.profile), entry.format, entry.route, _text(entry.model),
                    _text(entry.url), entry.status, entry.ttft, entry.total, usage.get("input_tokens"),
                    usage.get("output_tokens"), entry.cost, _text(_error_line(entry.error)), size, _text(entry.answer),
                ),
            )  # fmt: skip
            new_id = int(cursor.lastrowid or 0)
            self._db.execute(
                "INSERT INTO details (id, request, response) VALUES (?, ?, ?)", (new_id, request, response)
            )
            self._prune()
        return new_id

    def _prune(self) -> None:
        count, total = self._totals()
        if count > self.max_entries:
            self._delete_oldest(count - self.max_entries)
            count, total = self._totals()
        while total > self.max_bytes and count > 1:
            # Drop about as many of the oldest as the excess needs, judging by the average size.
            excess = max(1, min(count - 1, int((total - self.max_bytes) / (total / count)) + 1))
            self._delete_oldest(excess)
            count, total = self._totals()

    def _totals(self) -> tuple[int, int]:
        entries, size = self._db.execute("SELECT entries, bytes FROM totals").fetchone()
        return int(entries), int(size)

    def _delete_oldest(self, n: int) -> None:
        oldest = "SELECT id FROM exchanges ORDER BY at, id LIMIT ?"
        self._db.execute(f"DELETE FROM details WHERE id IN ({oldest})", (n,))
        self._db.execute(f"DELETE FROM exchanges WHERE id IN ({oldest})", (n,))

    def delete(self, entry_id: int) -> bool:
        with self._lock, self._db:
            self._db.execute("DELETE FROM details WHERE id = ?", (entry_id,))
            return self._db.execute("DELETE FROM exchanges WHERE id = ?", (entry_id,)).rowcount > 0

    def clear(self) -> None:
        with self._lock, self._db:
            self._db.execute("DELETE FROM details")
            self._db.execute("DELETE FROM exchanges")

    # ------------------------------------------------------------------ reading

    def list(
        self, *, limit: int = 50, offset: int = 0, search: str = "", group_id: str | None = None
    ) -> list[HistorySummary]:
        """Newest first. `search` (case-insensitive) matches the model, format, route, status,
        error or answer text; several words must all match (see history_sql.search_clause)."""
        found = search_clause(search, indexed=self._indexed)
        where, params = found.where, found.params
        if group_id is not None:
            params.append(group_id)
            where.append(f"e.group_id = ?{len(params)}")
        source, order = "exchanges AS e", "e.at DESC, e.id DESC"
        if found.match is not None:
            params.append(found.match)
            where.append(f"search MATCH ?{len(params)}")
            source, order = "search JOIN exchanges AS e ON e.id = search.rowid", "search.rowid DESC"
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        n = len(params)
        sql = f"SELECT {_LIST_COLUMNS} FROM {source} {clause} ORDER BY {order} LIMIT ?{n + 1} OFFSET ?{n + 2}"
        with self._lock:
            rows = self._db.execute(sql, (*params, limit, offset)).fetchall()
        return [HistorySummary(*row) for row in rows]

    def count(self) -> int:
        with self._lock:
            return self._totals()[0]

    def get(self, entry_id: int) -> HistoryEntry | None:
        with self._lock:
            row = self._db.execute(
                f"SELECT {_SUMMARY_COLUMNS}, request, response FROM exchanges JOIN details USING (id) "
                "WHERE id = ?",
                (entry_id,),
            ).fetchone()
        if row is None:
            return None
        (id_, at, group_id, profile, fmt, route, model, url, status, ttft, total, *_rest) = row
        request, response = json.loads(row[-2]), json.loads(row[-1])
        return HistoryEntry(
            format=fmt, route=route, model=model, url=url,
            request_headers=request["headers"], request_body=request["body"],
            status=status, ttft=ttft, total=total, usage=response["usage"], cost=row[13],
            rate_limits=response["rate_limits"], error=response["error"], answer=row[15],
            response_headers=response["headers"], response_body=response["body"],
            raw_events=response["raw_events"], raw_events_cut=response["raw_events_cut"],
            profile=profile, group_id=group_id, at=at, id=id_,
        )  # fmt: skip

    def groups(self, *, limit: int = 50) -> builtins.list[HistoryGroup]:
        """Groups (compare runs), newest first, each with its models in the order they were recorded."""
        with self._lock:
            rows = self._db.execute(
                "SELECT group_id, COUNT(*), MIN(at), GROUP_CONCAT(model, char(31)) FROM "
                "(SELECT group_id, at, model FROM exchanges WHERE group_id IS NOT NULL ORDER BY at, id) "
                "GROUP BY group_id ORDER BY MIN(at) DESC LIMIT ?",
                (limit,),
            ).fetchall()
        return [
            HistoryGroup(g, n, first, tuple(dict.fromkeys(models.split("\x1f"))))
            for g, n, first, models in rows
        ]


def _json(value: Any) -> str:
    """JSON as written (readable), or with escapes when it holds a lone surrogate (a server may send
    "\\ud800"): SQLite keeps UTF-8 only, and the escaped form still reads back exactly."""
    text = json.dumps(value, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(value)
    return text


@overload
def _text(value: str) -> str: ...
@overload
def _text(value: None) -> None: ...
def _text(value: str | None) -> str | None:
    """Plain text for a column: a lone surrogate becomes U+FFFD (the JSON columns keep the original)."""
    if value is None:
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return value


def _error_line(error: dict[str, Any] | None) -> str | None:
    if not error:
        return None
    status = error.get("status")
    head = f"{status} {error.get('type', '')}" if status is not None else str(error.get("type", "error"))
    return f"{head}: {error.get('message', '')}"
