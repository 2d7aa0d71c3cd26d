"""The history file's tables and its search, in SQL: kept apart from `history.py`, which owns the
Python side (records, caps, reading rows back).

Search: a full-text index with the trigram tokenizer (SQLite 3.34+) over the columns a user
searches, kept by triggers, answers any word of 3 or more characters as a case-insensitive
substring from the index; shorter words, and SQLite builds without the tokenizer, read every row
with LIKE (bench/history.py measures both paths). Standard library only.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

SCHEMA = """
CREATE TABLE IF NOT EXISTS exchanges (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,
    group_id TEXT,
    profile TEXT,
    format TEXT NOT NULL,
    route TEXT NOT NULL,
    model TEXT NOT NULL,
    url TEXT NOT NULL,
    status INTEGER,
    ttft REAL,
    total REAL,
    input_tokens INTEGER,
    output_tokens INTEGER,
    cost REAL,
    error TEXT,
    size INTEGER NOT NULL,
    -- last: a long answer spills into overflow pages, which a read of the columns before it skips
    answer TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS exchanges_at ON exchanges(at);
CREATE INDEX IF NOT EXISTS exchanges_model_at ON exchanges(model, at);
CREATE INDEX IF NOT EXISTS exchanges_group ON exchanges(group_id) WHERE group_id IS NOT NULL;
-- The count and bytes the caps are checked against, kept by triggers so a record never scans the table.
CREATE TABLE IF NOT EXISTS totals (one INTEGER PRIMARY KEY CHECK (one = 1), entries INTEGER, bytes INTEGER);
INSERT OR IGNORE INTO totals VALUES (1, 0, 0);
CREATE TRIGGER IF NOT EXISTS exchanges_added AFTER INSERT ON exchanges BEGIN
    UPDATE totals SET entries = entries + 1, bytes = bytes + new.size;
END;
CREATE TRIGGER IF NOT EXISTS exchanges_removed AFTER DELETE ON exchanges BEGIN
    UPDATE totals SET entries = entries - 1, bytes = bytes - old.size;
END;
CREATE TABLE IF NOT EXISTS details (
    id INTEGER PRIMARY KEY REFERENCES exchanges(id) ON DELETE CASCADE,
    request TEXT NOT NULL,
    response TEXT NOT NULL
);
"""

#: The columns a search looks in (the order is the index's).
SEARCHED = ("model", "route", "format", "status", "error", "answer")
_COLUMNS = ", ".join(SEARCHED)
_NEW = ", ".join(f"new.{c}" for c in SEARCHED)
_OLD = ", ".join(f"old.{c}" for c in SEARCHED)
SEARCH_INDEX = f"""
CREATE VIRTUAL TABLE search USING fts5({_COLUMNS}, content='exchanges', content_rowid='id', tokenize='trigram');
CREATE TRIGGER IF NOT EXISTS search_added AFTER INSERT ON exchanges BEGIN
    INSERT INTO search(rowid, {_COLUMNS}) VALUES (new.id, {_NEW});
END;
CREATE TRIGGER IF NOT EXISTS search_removed AFTER DELETE ON exchanges BEGIN
    INSERT INTO search(search, rowid, {_COLUMNS}) VALUES ('delete', old.id, {_OLD});
END;
"""
#: Words shorter than a trigram cannot be looked up in the index.
INDEXED_WORD = 3


def add_search_index(db: sqlite3.Connection) -> bool:
    """Make sure the search index exists (built from the rows when it is new); False when this
    SQLite cannot have one (no FTS5 or no trigram tokenizer): searches then read every row."""
    if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'search'").fetchone():
        return True
    try:
        db.executescript("BEGIN;" + SEARCH_INDEX + "INSERT INTO search(search) VALUES ('rebuild'); COMMIT;")
    except sqlite3.OperationalError:
        if db.in_transaction:
            db.execute("ROLLBACK")
        return False
    return True


@dataclass(slots=True)
class SearchSQL:
    """A search as SQL over `exchanges AS e`: conditions (ANDed), their parameters (numbered from
    1), and the index query when the index serves some words (then rows come from a join with the
    index in its rowid order: newest recorded first, and a page stops as soon as it is full)."""

    where: list[str] = field(default_factory=list)
    params: list[str] = field(default_factory=list)
    match: str | None = None


def search_clause(search: str, *, indexed: bool) -> SearchSQL:
    found = SearchSQL()
    phrases = []
    for word in search.split():
        if indexed and len(word) >= INDEXED_WORD:
            phrases.append('"' + word.replace('"', '""') + '"')
            continue
        number = len(found.params) + 1
        found.params.append("%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
        found.where.append(
            "("
            + " OR ".join(
                f"{'CAST(e.status AS TEXT)' if c == 'status' else 'e.' + c} LIKE ?{number} ESCAPE '\\'"
                for c in SEARCHED
            )
            + ")"
        )
    if phrases:
        found.match = " AND ".join(phrases)
    return found
