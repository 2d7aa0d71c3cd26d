"""What the benchmark scripts share (they cannot import tests/): the playground app as the command
runs it against a sandbox, and the spread of key-press times. Run a script as `python bench/X.py`:
its folder is on the import path, so `from _support import ...` finds this module.
"""

from __future__ import annotations

import statistics
from typing import Any

from pipellm_tui.playground.endpoint import Endpoint
from pipellm_tui.playground.session import Session
from pipellm_tui.ui.app import AppOptions, PlaygroundApp


def sandbox_app(sandbox: Any) -> PlaygroundApp:
    """The app on `sandbox` (a SandboxProcess or a RunningSandbox), as the command runs it."""
    return PlaygroundApp(
        Session(endpoint=Endpoint(sandbox.base_url, sandbox.api_key, is_sandbox=True)),
        AppOptions(cursor_blink=False, freeze_heap=True),
    )


def spread(ms: list[float], over: float = 50.0) -> str:
    """Times in ms, sorted: "median M ms, p90 P, p99 Q, worst W; over 50 ms: S%" (one worst case
    says less than how often it happens)."""
    p90, p99 = ms[int(0.9 * (len(ms) - 1))], ms[int(0.99 * (len(ms) - 1))]
    share = sum(v > over for v in ms) / len(ms)
    return (
        f"median {statistics.median(ms):.1f} ms, p90 {p90:.1f}, p99 {p99:.1f}, worst {ms[-1]:.1f}; "
        f"over {over:g} ms: {share:.0%}"
    )
