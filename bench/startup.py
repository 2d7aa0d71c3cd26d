"""Start-up time in a real pseudo-terminal: `pipellm-tui` until its model list is on screen, next to
a bare Textual app (bench/bare_app.py) until its first paint, measured in the same run. Also printed:
the first paint, and when every pane is ready (the panes follow the model list; see
ui/main_screen.py), so the staged start cannot hide a slow whole.

Prints the median of N runs each and the ratio (target: at most 1.5x the bare app). No asserts.
The playground starts its own sandbox (no PIPELLM_API_KEY), as a new user would: a child process that
boots on another core while Textual loads (sandbox/child.py). It opens a kept draft and finds its style
sheets parsed (and its dataclasses compiled) by an earlier run, as a returning user's start does
(`--unchecked-draft`, `--parse-styles`: a start without either).

    python bench/startup.py [--runs 5] [--unchecked-draft] [--parse-styles]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import ptyprocess
import pyte

COLUMNS, LINES = 120, 40
HERE = Path(__file__).resolve().parent
#: A model id that appears in the list only (the editor's template names another model).
MODEL_ON_SCREEN = "gemini-2.5-pro"
#: On the first paint (the filter's placeholder), with or without the models.
FIRST_PAINT = "Filter models"
#: The editor's check: every pane is mounted (they follow the model list) and the request validated.
ALL_PANES = "✓ valid"


def time_until(
    argv: list[str],
    text: str,
    timeout: float = 30.0,
    env: dict[str, str] | None = None,
    linger: Callable[[], bool] | None = None,
) -> float:
    """Seconds from spawning `argv` in a pty until `text` is on its screen (and then, with
    `linger`, until it returns true: the app runs on, its screen read, for up to 10 s)."""
    extra = env or {}
    env = {k: v for k, v in os.environ.items() if k != "PIPELLM_API_KEY"}
    env.update(TERM="xterm-256color", COLUMNS=str(COLUMNS), LINES=str(LINES), **extra)
    screen = pyte.Screen(COLUMNS, LINES)
    stream = pyte.ByteStream(screen)
    start = time.perf_counter()
    child = ptyprocess.PtyProcess.spawn(argv, env=env, dimensions=(LINES, COLUMNS))
    try:
        while time.perf_counter() - start < timeout:
            if _readable(child, 0.01):
                try:
                    stream.feed(child.read(65536))
                except EOFError:
                    break
                if any(text in line for line in screen.display):
                    seen = time.perf_counter() - start
                    while linger is not None and not linger() and time.perf_counter() - start < seen + 10:
                        if _readable(child, 0.05):
                            child.read(65536)
                    return seen
        raise TimeoutError(f"{text!r} never appeared; screen:\n" + "\n".join(screen.display))
    finally:
        child.terminate(force=True)


def _readable(child: ptyprocess.PtyProcess, wait: float) -> list[object]:
    import select

    ready, _, _ = select.select([child.fd], [], [], wait)
    return ready


def console_script() -> str:
    """The installed `pipellm-tui` script itself (not a pyenv shim, which adds its own start-up)."""
    import sysconfig

    script = Path(sysconfig.get_path("scripts")) / "pipellm-tui"
    if script.exists():
        return str(script)
    return shutil.which("pipellm-tui") or sys.exit("pipellm-tui is not installed (pip install -e .)")


def compile_package() -> None:
    """Write the package's bytecode, as `pip install .` does when it installs it. An editable
    install has none until the first import writes it, and with PYTHONDONTWRITEBYTECODE set (as on
    this machine) never does: every launch would compile ~50 modules from source (~15 ms) that a
    user's installed copy never compiles."""
    import compileall

    import pipellm_tui

    compileall.compile_dir(str(Path(pipellm_tui.__file__).parent), quiet=1)


def use_a_kept_draft(*, unchecked: bool = False) -> None:
    """Every run opens a kept draft (store/draft.py), as a returning user's does, from a data
    directory of the bench's own (never the user's): the starter request, so "✓ valid" still marks
    the panes ready, kept as the app keeps it (with the verdict of its check; `--unchecked-draft`:
    without, as a draft from before verdicts were kept)."""
    import tempfile

    from pipellm_tui.playground.request_draft import first_issue
    from pipellm_tui.protocols.formats import Format, RouteKind
    from pipellm_tui.protocols.templates import pretty, starter_request
    from pipellm_tui.store.draft import Draft, Verdict, checker_stamp, save_draft

    os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="pipellm-bench-")
    body = pretty(starter_request(Format.OPENAI_CHAT, "gpt-4o-mini"))
    verdict = None if unchecked else Verdict(checker_stamp(), first_issue(Format.OPENAI_CHAT, body))
    save_draft(Draft(Format.OPENAI_CHAT, RouteKind.NATIVE, "gpt-4o-mini", body, verdict))


def use_kept_styles(app: list[str]) -> None:
    """Every run finds the style sheets parsed and the dataclasses' methods compiled by a run
    before it (ui/parsed_styles.py, kept_code.py), as a returning user's start does, in a cache
    folder of the bench's own (never the user's): one run here, left to finish its start-up (it
    keeps them then), fills it. `--parse-styles`: nothing kept, as a first start ever."""
    import tempfile

    from pipellm_tui import kept_code
    from pipellm_tui.ui import parsed_styles

    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="pipellm-bench-cache-")
    kept = (parsed_styles.cache_file(), kept_code.cache_file())
    time_until(app, ALL_PANES, linger=lambda: all(path.exists() for path in kept))
    for path in kept:
        if not path.exists():
            sys.exit(f"the app kept no {path.name}: see ui/parsed_styles.py and kept_code.py")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--unchecked-draft", action="store_true", help="a kept draft without its verdict")
    parser.add_argument("--parse-styles", action="store_true", help="no parsed style sheets kept (a first start)")
    args = parser.parse_args()
    compile_package()
    use_a_kept_draft(unchecked=args.unchecked_draft)
    command = console_script()
    if args.parse_styles:
        os.environ["XDG_CACHE_HOME"] = os.devnull  # no folder there: nothing is kept or found
    else:
        use_kept_styles([command])
    bare = [sys.executable, str(HERE / "bare_app.py")]
    app = [command]
    # The same app against a server that is already up (as with an API key): no sandbox start-up.
    # In its own process, as a remote API is: in a thread here it would answer only when this
    # process's interpreter is not busy reading the terminal (pyte), which delays the model list.
    from pipellm_tui.sandbox.child import SandboxProcess
    from pipellm_tui.sandbox.config import SandboxConfig

    server = SandboxProcess.spawn(SandboxConfig(rpm=1_000_000))
    remote = [command, "--base-url", server.base_url]
    bare_times: list[float] = []
    app_times: list[float] = []
    remote_times: list[float] = []
    paint_times: list[float] = []
    panes_times: list[float] = []
    try:
        for _ in range(args.runs):  # interleaved, so machine load affects all alike
            bare_times.append(time_until(bare, "bare-app-ready"))
            app_times.append(time_until(app, MODEL_ON_SCREEN))
            remote_times.append(time_until(remote, MODEL_ON_SCREEN, env={"PIPELLM_API_KEY": server.api_key}))
            paint_times.append(time_until(remote, FIRST_PAINT, env={"PIPELLM_API_KEY": server.api_key}))
            panes_times.append(time_until(app, ALL_PANES))
    finally:
        server.stop()
    bare_median = statistics.median(bare_times)
    print(
        f"bare Textual app, first paint:                    median {bare_median:.3f} s  runs {_fmt(bare_times)}"
    )
    for label, times in (
        ("pipellm-tui (its own sandbox), model list", app_times),
        ("pipellm-tui --base-url (server up), model list", remote_times),
        ("pipellm-tui --base-url, first paint", paint_times),
        ("pipellm-tui (its own sandbox), every pane ready", panes_times),
    ):
        median = statistics.median(times)
        print(f"{label}:  median {median:.3f} s  runs {_fmt(times)}  ratio {median / bare_median:.2f}x")
    print("target: at most 1.5x the bare app")


def _fmt(values: list[float]) -> str:
    return " ".join(f"{v:.3f}" for v in values)


if __name__ == "__main__":
    main()
