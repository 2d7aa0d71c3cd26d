"""History speed with 10,000 realistic entries: opening the file and reading the first page, and
searching it.

    python bench/history.py [--entries 10000] [--repeat 7]

Fills a fresh history.sqlite3 (in a temporary folder) through `History.record`, the path every send
takes: conversations of 2-12 turns, answers of 200-3,000 characters, a third of them streamed (raw
SSE kept), one in ten an error, a fifth of them in compare groups, over 12 models and 4 formats.
Then, in the same process, closes it and measures: open + first page (50 rows, newest first), and
searches (a model name, a word of the answers, a status, an error type, two words, a word found
nowhere; words of 3+ characters go through the trigram index, shorter ones read rows until the page
is full, so a rare short word reads every row: the worst case, as is any search on an SQLite without
the trigram tokenizer, measured last). Targets (issue 10): first page <= 100 ms, a search
<= 50 ms. Prints figures (median and worst of --repeat runs); asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from pipellm_tui.store.history import History, HistoryEntry, new_group_id

MODELS = [
    ("openai-chat", "gpt-4o"), ("openai-chat", "gpt-4o-mini"), ("openai-responses", "gpt-5"),
    ("openai-responses", "o4-mini"), ("anthropic", "claude-sonnet-4-5-20250929"),
    ("anthropic", "claude-opus-4-1-20250805"), ("anthropic", "claude-haiku-4-5"),
    ("gemini", "gemini-2.5-flash"), ("gemini", "gemini-2.5-pro"), ("openai-chat", "deepseek-chat"),
    ("anthropic", "claude-3-7-sonnet-20250219"), ("gemini", "gemini-2.0-flash"),
]  # fmt: skip
WORDS = [
    "gateway", "route", "model", "token", "stream", "latency", "answer", "request", "format", "convert",
    "anthropic", "gemini", "openai", "bridge", "lantern", "compass", "meadow", "signal", "window",
    "library", "engine", "balance", "system", "network", "protocol", "schema", "tool", "weather",
    "city", "forecast", "budget", "invoice", "summary", "translate", "poem", "recipe",
]  # fmt: skip
ERRORS = [
    (429, "rate_limit_error", "Rate limit exceeded: 60 requests per minute"),
    (401, "authentication_error", "Invalid API key"),
    (529, "overloaded_error", "Overloaded"),
    (400, "invalid_request_error", "Model gpt-4o is an OpenAI model; /v1/messages only routes to Anthropic"),
]


def _text(rng: random.Random, low: int, high: int) -> str:
    target = rng.randint(low, high)
    words: list[str] = []
    size = 0
    while size < target:
        word = rng.choice(WORDS)
        words.append(word)
        size += len(word) + 1
    return " ".join(words).capitalize() + "."


def make_entry(rng: random.Random, at: float, group: str | None) -> HistoryEntry:
    fmt, model = rng.choice(MODELS)
    turns = [
        {"role": "user" if i % 2 == 0 else "assistant", "content": _text(rng, 40, 400)}
        for i in range(rng.randint(1, 6) * 2 - 1)
    ]
    body = {"model": model, "max_tokens": 1024, "messages": turns, "stream": rng.random() < 0.33}
    headers = {"content-type": "application/json", "authorization": "Bearer pipe-••••a1b2"}
    if rng.random() < 0.1:
        status, kind, message = rng.choice(ERRORS)
        error = {"status": status, "type": kind, "code": None, "message": message, "retryable": status >= 429}
        return HistoryEntry(fmt, rng.choice(["native", "converter"]), model, f"https://api.pipellm.ai/v1/{fmt}",
                            headers, body, status=status, total=rng.uniform(0.05, 0.5), error=error, at=at, group_id=group)  # fmt: skip
    answer = _text(rng, 200, 3000)
    raw = ""
    if body["stream"]:
        raw = "".join(f'data: {{"delta": "{w} "}}\n\n' for w in answer.split())
    usage = {"input_tokens": rng.randint(10, 4000), "output_tokens": len(answer) // 4}
    response = {
        "id": f"msg_{rng.getrandbits(64):x}",
        "model": model,
        "content": [{"type": "text", "text": answer}],
        "usage": usage,
    }
    return HistoryEntry(
        fmt, rng.choice(["native", "converter"]), model, f"https://api.pipellm.ai/v1/{fmt}", headers, body,
        status=200, ttft=rng.uniform(0.1, 2.0), total=rng.uniform(0.5, 20.0), usage=usage,
        cost=usage["output_tokens"] * 1e-5, rate_limits={"limit": 60, "remaining": rng.randint(0, 60)},
        answer=answer, response_headers={"x-ratelimit-limit-requests": "60"}, response_body=response,
        raw_events=raw, at=at, group_id=group,
    )  # fmt: skip


def fill(path: Path, entries: int) -> float:
    rng = random.Random(10)
    history = History(path, max_entries=entries + 1)
    start = time.perf_counter()
    now = time.time() - entries * 30
    group: str | None = None
    for i in range(entries):
        if i % 50 == 0:
            group = new_group_id() if rng.random() < 0.2 else None
        history.record(make_entry(rng, now + i * 30, group))
    took = time.perf_counter() - start
    history.close()
    return took


def measure(path: Path, repeat: int) -> None:
    def first_page() -> float:
        start = time.perf_counter()
        history = History(path)
        rows = history.list(limit=50)
        took = time.perf_counter() - start
        assert len(rows) == 50
        history.close()
        return took

    _report("open + first page (50 rows)", [first_page() for _ in range(repeat)], 100)
    history = History(path)
    for label, query in [
        ("search a model (claude-sonnet)", "claude-sonnet"),
        ("search an answer word (lantern)", "lantern"),
        ("search a status (429)", "429"),
        ("search an error type (overloaded)", "overloaded"),
        ("search two words (gemini forecast)", "gemini forecast"),
        ("search a word found nowhere", "zebra"),
        ("search a 2-letter word (4o: row by row)", "4o"),
        ("search a rare 2-letter word (zq: all rows)", "zq"),
    ]:
        _report(label, _search_times(history, query, repeat), 50)
    plain = History(path, search_index=False)  # what an SQLite without the trigram tokenizer does
    _report("no index: a word found nowhere (all rows)", _search_times(plain, "zebra", repeat), 50)
    plain.close()
    start = time.perf_counter()
    history.groups()
    print(f"{'groups (compare runs)':<44} {1000 * (time.perf_counter() - start):7.1f} ms")
    history.close()


def _search_times(history: History, query: str, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        history.list(limit=50, search=query)
        times.append(time.perf_counter() - start)
    return times


def _report(label: str, times: list[float], target_ms: float) -> None:
    median, worst = 1000 * statistics.median(times), 1000 * max(times)
    verdict = "ok" if worst <= target_ms else "OVER"
    print(
        f"{label:<44} median {median:6.1f} ms   worst {worst:6.1f} ms   (target <= {target_ms:g} ms: {verdict})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "history.sqlite3"
        took = fill(path, args.entries)
        size = sum(p.stat().st_size for p in Path(folder).iterdir()) / 1e6
        print(
            f"filled {args.entries} entries in {took:.1f} s ({1000 * took / args.entries:.2f} ms each), {size:.0f} MB"
        )
        measure(path, args.repeat)


if __name__ == "__main__":
    main()
