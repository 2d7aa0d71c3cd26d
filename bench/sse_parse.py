"""The SSE parser on long lines and on ordinary traffic.

    python bench/sse_parse.py [--chunk 65536] [--events 200000]

Long lines: one `data:` line of 8 MB and one of 50 MB (a hostile or broken server), fed in network
sized chunks (`--chunk` characters), with the caps lifted so the whole line is read; the parser keeps
only the unterminated tail and scans each chunk once, so the time grows with the size, not its
square (target: 50 MB in < 1 s). Then the same 50 MB line with the default caps: the parser stops at
`MAX_LINE` with `SSELimitExceeded` instead of holding it all. Normal traffic: `--events` small
OpenAI Chat chunks (~150 characters each), fed 4 KB at a time, in events per second.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import time

from pipellm_tui.protocols.sse import MAX_LINE, SSELimitExceeded, SSEParser


def long_line(size: int, chunk: int, capped: bool) -> tuple[float, str]:
    payload = "x" * chunk
    parser = SSEParser() if capped else SSEParser(max_line=None, max_event=None)
    outcome = ""
    start = time.perf_counter()
    try:
        parser.feed("data: ")
        for _ in range(size // chunk):
            parser.feed(payload)
        events = parser.feed("\n\n") + parser.close()
        outcome = f"1 event of {len(events[0].data):,} characters"
    except SSELimitExceeded as exc:
        outcome = f"stopped: {exc.limit} ({exc.size:,})"
    return time.perf_counter() - start, outcome


def normal_events(count: int) -> tuple[float, int]:
    chunk = {
        "id": "chatcmpl-123",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": "gpt-4o",
        "choices": [{"index": 0, "delta": {"content": "hello"}, "finish_reason": None}],
    }
    text = "".join(f"data: {json.dumps(chunk)}\n\n" for _ in range(count))
    pieces = [text[i : i + 4096] for i in range(0, len(text), 4096)]
    best = float("inf")
    seen = 0
    for _ in range(3):
        parser = SSEParser()
        start = time.perf_counter()
        seen = 0
        for piece in pieces:
            seen += len(parser.feed(piece))
        seen += len(parser.close())
        best = min(best, time.perf_counter() - start)
    return best, seen


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--chunk", type=int, default=65536)
    parser.add_argument("--events", type=int, default=200_000)
    args = parser.parse_args()
    for megabytes in (8, 50):
        seconds, outcome = long_line(megabytes * 1_000_000, args.chunk, capped=False)
        print(f"one {megabytes} MB line, caps lifted       : {seconds:6.3f} s  ({outcome})")
    seconds, outcome = long_line(50_000_000, args.chunk, capped=True)
    print(f"one 50 MB line, default caps      : {seconds:6.3f} s  ({outcome}; MAX_LINE={MAX_LINE:,})")
    seconds, seen = normal_events(args.events)
    print(f"normal events (4 KB chunks)       : {seen / seconds:,.0f} events/s  ({seen:,} events)")
    print("target: a 50 MB line in < 1 s")


if __name__ == "__main__":
    main()
