"""When Python's full garbage collections may run: not while an answer streams, and once, on
purpose, a moment after the last send ended.

A long answer holds hundreds of thousands of objects, and each full (oldest-generation) pass over
them stops the app for 100-200 ms: several times during a 100,000-token stream if left alone. So
while any send runs, full collections wait (the young generations are still collected as usual).
When the last send ends, the full collection that was put off would run at whatever moment the
thresholds next allow, perhaps under the user's next keystroke; instead it runs once,
`QUIET_SECONDS` after the send, unless another send began. Must not import httpx2.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator
from contextlib import contextmanager

#: How long after the last send ended the put-off full collection runs.
QUIET_SECONDS = 1.0
#: A threshold no count reaches: full collections off.
NEVER = 1 << 30

#: Sends in flight, and the full-collection threshold to restore when the last one is over (a
#: cancelled send may end after the next one began).
_state = {"sends": 0, "threshold": 0}


@contextmanager
def full_collections_deferred() -> Iterator[None]:
    """No full collection while the block (a send) runs; see the module's docstring."""
    young, middle, full = gc.get_threshold()
    if _state["sends"] == 0 and full != NEVER:  # NEVER: the last send's collection is still due
        _state["threshold"] = full
    gc.set_threshold(young, middle, NEVER)
    _state["sends"] += 1
    try:
        yield
    finally:
        _state["sends"] -= 1
        if _state["sends"] == 0:
            _collect_when_quiet()


def _collect_when_quiet() -> None:
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # no event loop (a script, a test): resume at once
        resume_full_collections(collect=False)
        return
    loop.call_later(QUIET_SECONDS, resume_full_collections)


def resume_full_collections(collect: bool = True) -> None:
    """Turn full collections back on (and run one now), unless a send is running again."""
    if _state["sends"]:
        return  # that send resumes them when it ends
    young, middle, full = gc.get_threshold()
    if full != NEVER:
        return  # already resumed
    gc.set_threshold(young, middle, _state["threshold"])
    if collect:
        gc.collect()
