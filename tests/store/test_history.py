"""History in SQLite: exact round trips, newest first, search, groups, caps, a corrupt file kept."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from pipellm_tui.store.history import History, HistoryEntry, history_path, new_group_id


def entry(n: int, *, model: str = "gpt-4o", answer: str = "", **more: object) -> HistoryEntry:
    fields: dict[str, object] = {
        "format": "openai-chat",
        "route": "native",
        "model": model,
        "url": "http://127.0.0.1:1/v1/chat/completions",
        "request_headers": {"authorization": "Bearer pipe-••••"},
        "request_body": {
            "model": model,
            "messages": [{"role": "user", "content": f"question {n}"}],
            "n": None,
        },
        "status": 200,
        "answer": answer or f"answer number {n}",
        "at": 1_000_000.0 + n,
    }
    fields.update(more)
    return HistoryEntry(**fields)  # type: ignore[arg-type]


@pytest.fixture(params=[True, False], ids=["trigram index", "reading every row"])
def history(request: pytest.FixtureRequest) -> History:
    opened = History(search_index=request.param)
    yield opened  # type: ignore[misc]
    opened.close()


def test_an_entry_comes_back_exactly(history: History) -> None:
    full = entry(
        1, ttft=0.25, total=1.5, usage={"input_tokens": 10, "output_tokens": 20}, cost=0.0012,
        rate_limits={"limit": 60, "remaining": 59, "reset_seconds": 1.0, "retry_after": None, "observed_at": 5.0},
        error=None, response_headers={"x-ratelimit-limit-requests": "60"},
        response_body={"choices": [{"message": {"content": "hi", "tool_calls": None}}]},
        raw_events='data: {"x": 1}\n\n', profile="sandbox", group_id="g1",
    )  # fmt: skip
    new_id = history.record(full)
    got = history.get(new_id)
    assert got is not None
    assert got == HistoryEntry(**{**{f: getattr(full, f) for f in full.__slots__}, "id": new_id})  # type: ignore[arg-type]
    assert history.get(new_id + 100) is None
    assert history_path().exists()
    mode = sqlite3.connect(history_path()).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_newest_first_with_limit_and_offset(history: History) -> None:
    for n in range(10):
        history.record(entry(n))
    rows = history.list(limit=3)
    assert [r.answer_preview for r in rows] == ["answer number 9", "answer number 8", "answer number 7"]
    assert [r.answer_preview for r in history.list(limit=2, offset=3)] == [
        "answer number 6",
        "answer number 5",
    ]
    assert history.count() == 10


def test_search_matches_model_route_status_error_and_text(history: History) -> None:
    history.record(entry(1, model="claude-sonnet-4-5", answer="the lantern glows"))
    history.record(entry(2, model="gpt-4o", answer="a quiet meadow", route="converter"))
    history.record(
        entry(3, model="gemini-2.5-flash", answer="", status=429,
              error={"status": 429, "type": "rate_limit_error", "message": "slow down"})
    )  # fmt: skip
    history.record(entry(4, model="gpt-4o", answer="100% sure_thing"))

    def found(search: str) -> list[str]:
        return [r.model for r in history.list(search=search)]

    assert found("SONNET") == ["claude-sonnet-4-5"]
    assert found("lantern") == ["claude-sonnet-4-5"]
    assert found("converter") == ["gpt-4o"]
    assert found("429") == ["gemini-2.5-flash"]
    assert found("rate_limit") == ["gemini-2.5-flash"]
    assert found("gpt meadow") == ["gpt-4o"]  # every word must match
    assert found("100%") == ["gpt-4o"] and found("e_t") == ["gpt-4o"]  # LIKE wildcards are literal
    assert found('"quiet') == [] and found("a q") == ["gpt-4o"]  # quotes; words shorter than 3
    assert found("T MEAD") == ["gpt-4o"]  # one word from the index, one read row by row
    assert found("nowhere") == []
    [failed] = history.list(search="429")
    assert failed.error == "429 rate_limit_error: slow down"


def test_groups_hold_a_compare_run(history: History) -> None:
    group = new_group_id()
    for n, model in enumerate(["gpt-4o", "claude-x", "gemini-y"]):
        history.record(entry(n, model=model, group_id=group))
    history.record(entry(9))
    [found] = history.groups()
    assert (found.group_id, found.count, found.models) == (group, 3, ("gpt-4o", "claude-x", "gemini-y"))
    assert [r.model for r in history.list(group_id=group)] == ["gemini-y", "claude-x", "gpt-4o"]


def test_the_oldest_are_pruned_past_the_entry_cap() -> None:
    history = History(max_entries=5)
    for n in range(12):
        history.record(entry(n))
    assert history.count() == 5
    assert [r.answer_preview for r in history.list()][-1] == "answer number 7"
    history.close()


def test_the_oldest_are_pruned_past_the_byte_cap() -> None:
    history = History(max_bytes=50_000)
    for n in range(40):
        history.record(entry(n, answer=f"{n} " + "x" * 4000))
    count = history.count()
    assert 5 <= count < 40
    kept = [r.answer_preview.split()[0] for r in history.list(limit=100)]
    assert kept == [str(n) for n in range(39, 39 - count, -1)]  # the newest, in order
    history.close()


def test_raw_events_are_cut_at_the_cap() -> None:
    history = History(raw_events_bytes=100)
    new_id = history.record(entry(1, raw_events="data: é\n\n" * 50))
    got = history.get(new_id)
    assert got is not None and got.raw_events_cut
    assert 0 < len(got.raw_events.encode()) <= 100
    history.close()


def test_a_file_that_is_not_a_database_is_kept_and_replaced(own_config_and_data: Path) -> None:
    path = history_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not sqlite at all" * 100)
    history = History()
    assert history.problem is not None and "kept as history.sqlite3.corrupt-" in history.problem
    [backup] = [p for p in path.parent.iterdir() if ".corrupt-" in p.name]
    assert backup.read_bytes() == b"this is not sqlite at all" * 100
    history.record(entry(1))
    assert history.count() == 1
    history.close()


def test_lone_surrogates_from_a_server_do_not_break_recording(history: History) -> None:
    odd = "half a pair: \ud800 end"
    new_id = history.record(entry(1, answer=odd, response_body={"text": odd}, raw_events=f"data: {odd}\n\n"))
    got = history.get(new_id)
    assert got is not None
    assert got.response_body == {"text": odd}  # the JSON keeps it exactly
    assert got.answer == "half a pair: \ufffd end" and "\ufffd" in got.raw_events
    assert [r.id for r in history.list(search="pair")] == [new_id]


def test_pruned_entries_leave_the_search_index_too() -> None:
    history = History(max_entries=3)
    for n in range(6):
        history.record(entry(n, answer=f"token{n}xyz and more"))
    assert [r.answer_preview for r in history.list(search="token1xyz")] == []
    assert [r.answer_preview for r in history.list(search="token4xyz")] == ["token4xyz and more"]
    history.delete(history.list(search="token4xyz")[0].id)
    assert history.list(search="token4xyz") == []
    history.close()


def test_a_file_without_the_search_index_gets_one_built_from_its_rows() -> None:
    history = History()
    history.record(entry(1, answer="written before the index existed"))
    history.close()
    db = sqlite3.connect(history_path())
    db.executescript("DROP TRIGGER search_added; DROP TRIGGER search_removed; DROP TABLE search;")
    db.close()
    reopened = History()
    assert [r.answer_preview for r in reopened.list(search="before the index")] == [
        "written before the index existed"
    ]
    reopened.close()
