"""The sandbox in a child process: how the playground runs it when there is no key.

Why a process and not a thread of the app: a thread shares the app's GIL, so the sandbox's start-up
(importing starlette, uvicorn, pydantic and the adapters, ~0.2 s of CPU) would sit on the UI's
start-up path, and its generation of tokens at full speed would compete with the UI for the
interpreter while an answer streams. A child process boots on another core while Textual loads,
and streams without taking the UI's time. (`server.start_in_thread` stays for the tests and the
headless commands, where neither matters.)

Parent side: `SandboxProcess.spawn(config)` starts `python -m pipellm_tui.sandbox.child` and returns
at once (or, with `fork=True` in a process that has no other thread yet, on Linux, forks itself and
runs `main` in the fork: the child skips the interpreter's start, ~40 ms of the ~250 ms of CPU it
needs before "ready", which the playground's model list waits for; the command line forks it as
its first step, before any thread exists); `base_url` waits for the child's one line on stdout
(`ready <base URL>`). `stop()` closes the child's stdin, which is how the child knows to exit; the
parent exiting or crashing closes that pipe too, so the sandbox never outlives the app.

Child side: `main()` serves `start_in_thread(config)` until its stdin reaches end-of-file, then exits
at once. It writes nothing to stdout after the ready line and nothing to the terminal (its stderr is a file the parent
reads only when the child failed to start).

Imports only the standard library and the sandbox's config at import time: the parent must not load
uvicorn (that is the point).
"""

from __future__ import annotations

import dataclasses
import json
import os
import select
import subprocess
import sys
import tempfile
import threading
import time
from typing import IO, Protocol

from .config import SandboxConfig

READY = b"ready "
START_TIMEOUT = 30.0
#: How long after "ready" the child waits for its parent's word (`SandboxProcess.warm_up`) before
#: loading what requests need anyway (see `_warm_up`): a parent that never says, a headless command.
WARM_UP_DELAY = 2.0
#: The parent's word on the child's stdin: its own start-up is over, load now.
WARM_UP = b"w"
#: The child's line on its stdout once it has loaded what requests need.
WARMED = b"warmed\n"


class Child(Protocol):
    """What the parent uses of its child: `subprocess.Popen`'s, or a fork's (`Forked`)."""

    @property
    def pid(self) -> int: ...
    @property
    def stdin(self) -> IO[bytes] | None: ...
    @property
    def stdout(self) -> IO[bytes] | None: ...
    def poll(self) -> int | None: ...
    def wait(self, timeout: float | None = None) -> int: ...
    def kill(self) -> None: ...


class SandboxProcess:
    """A sandbox starting or serving in a child process."""

    def __init__(self, process: Child, api_key: str, errors: IO[bytes]) -> None:
        self._process = process
        self._errors = errors
        self._base_url: str | None = None
        self._unread = b""
        self.api_key = api_key

    @classmethod
    def spawn(
        cls, config: SandboxConfig | None = None, *, fork: bool = False, warm_up_after: float = WARM_UP_DELAY
    ) -> SandboxProcess:
        """Start the child now; do not wait for it (read `base_url` for that). `fork`: fork this
        process rather than start an interpreter, when it can be done safely (see the module's
        docstring); otherwise the same as without. `warm_up_after`: how long the child waits for
        `warm_up` before loading what requests need anyway."""
        config = config or SandboxConfig()
        errors = tempfile.TemporaryFile()  # noqa: SIM115 - kept open for the child's whole life
        arguments = [json.dumps(dataclasses.asdict(config)), str(warm_up_after)]
        if fork and can_fork():
            return cls(Forked.start(arguments, errors), config.api_key, errors)
        process = subprocess.Popen(
            [sys.executable, "-m", __name__, *arguments],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            # Its own session: a Ctrl-C or hang-up in the terminal goes to the app, whose exit
            # then closes the pipe the child watches.
            start_new_session=True,
        )
        return cls(process, config.api_key, errors)

    @property
    def pid(self) -> int:
        return self._process.pid

    @property
    def exit_code(self) -> int | None:
        """None while the child runs."""
        return self._process.poll()

    @property
    def base_url(self) -> str:
        """The sandbox's URL, once it accepts connections. Blocks until then (run it in a thread);
        RuntimeError with the child's own words when it could not start."""
        if self._base_url is None:
            self._base_url = self._wait_ready(START_TIMEOUT)
        return self._base_url

    def _wait_ready(self, timeout: float) -> str:
        stdout = self._process.stdout
        assert stdout is not None
        line = b""
        deadline = time.monotonic() + timeout
        while not line.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([stdout], [], [], left)[0]:
                self.stop()
                raise RuntimeError(f"the sandbox did not start within {timeout:g} seconds")
            chunk = os.read(stdout.fileno(), 4096)
            if not chunk:  # the child exited before it was ready
                reason = self._last_error()
                self.stop()
                raise RuntimeError(f"the sandbox did not start: {reason}")
            line += chunk
        line, self._unread = line.split(b"\n", 1)  # what came after: "warmed", when read late
        if not line.startswith(READY):
            self.stop()
            raise RuntimeError(f"the sandbox said {line.decode(errors='replace').strip()!r}")
        return line[len(READY) :].decode().strip()

    def _last_error(self) -> str:
        self._errors.seek(0)
        lines = self._errors.read().decode(errors="replace").strip().splitlines()
        return lines[-1] if lines else f"exit status {self._process.poll()}"

    def warm_up(self) -> None:
        """Tell the child to load what requests need now (~100 ms of CPU), as the app does once its
        panes are painted: on a 2-core machine its loading during the app's start-up took a core
        from the app or the terminal (the child's own timer, 0.3 s after "ready", fell in the
        middle of it: every pane ready 0.424 s against 0.407 with the load later, 15 runs)."""
        stdin = self._process.stdin
        if stdin is None or stdin.closed:
            return
        try:
            stdin.write(WARM_UP)
            stdin.flush()
        except OSError:  # the child is gone: `stop` and `exit_code` say so
            pass

    def warmed(self, timeout: float) -> bool:
        """Whether the child has said it loaded what requests need, waiting up to `timeout`
        seconds (after `base_url`, which reads its "ready" line)."""
        stdout = self._process.stdout
        said = self._unread
        if not said and stdout is not None and select.select([stdout], [], [], timeout)[0]:
            said = os.read(stdout.fileno(), len(WARMED))
        return said == WARMED

    def discard(self) -> None:
        """End a child that will not be used, at once (it may still be starting)."""
        self._process.kill()
        self.stop()

    def stop(self, timeout: float = 3.0) -> None:
        """Ask the child to exit (its stdin closes) and wait for it; kill it if it does not."""
        process = self._process
        if process.stdin is not None and not process.stdin.closed:
            try:
                process.stdin.close()
            except OSError:  # a word (`warm_up`) left in the buffer of a pipe the child closed
                pass
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()
        self._errors.close()


def can_fork() -> bool:
    """Forking is safe with no other thread (a lock another thread held would stay locked in the
    fork forever), and the fork runs only Python and the standard library's sockets: Linux."""
    return sys.platform.startswith("linux") and hasattr(os, "fork") and threading.active_count() == 1


class Forked:
    """A child forked from this process, running `main` (what `Popen` gives for a started one)."""

    def __init__(self, pid: int, stdin: IO[bytes], stdout: IO[bytes]) -> None:
        self.pid = pid
        self.stdin: IO[bytes] | None = stdin
        self.stdout: IO[bytes] | None = stdout
        self.returncode: int | None = None

    @classmethod
    def start(cls, arguments: list[str], errors: IO[bytes]) -> Forked:
        to_child, from_parent = os.pipe()  # the child's stdin: read end, write end
        to_parent, from_child = os.pipe()  # the child's stdout
        sys.stdout.flush()  # nothing of the parent's may be written twice
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: never returns into the parent's code
            code = 1
            try:
                os.setsid()  # its own session, as `start_new_session` gives a started child
                os.dup2(to_child, 0)
                os.dup2(from_child, 1)
                os.dup2(errors.fileno(), 2)
                for fd in (to_child, from_parent, to_parent, from_child):
                    os.close(fd)  # the parent's ends too: its exit must reach this stdin
                import gc

                gc.enable()  # the command line paused collection for its own start-up
                code = main(arguments)
            except BaseException:  # noqa: BLE001 - said on stderr, which the parent reads
                import traceback

                os.write(2, traceback.format_exc().encode(errors="replace"))  # fd 2: the errors file
            finally:
                os._exit(code)
        os.close(to_child)
        os.close(from_child)
        return cls(pid, os.fdopen(from_parent, "wb"), os.fdopen(to_parent, "rb"))

    def poll(self) -> int | None:
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while (code := self.poll()) is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired("sandbox (forked)", timeout or 0.0)
            time.sleep(0.005)
        return code

    def kill(self) -> None:
        if self.poll() is None:
            os.kill(self.pid, 9)


def main(argv: list[str]) -> int:
    """The child: serve until stdin closes. argv[0] is the config as JSON, argv[1] (optional) how
    long to wait for the parent's word before loading what requests need."""
    from .server import start_in_thread

    config = SandboxConfig(**json.loads(argv[0]))
    running = start_in_thread(config)
    # By file descriptor: in a fork, `sys.stdout` may be whatever the parent made of it.
    os.write(1, READY + running.base_url.encode() + b"\n")
    try:
        _warm_up(float(argv[1]) if len(argv) > 1 else WARM_UP_DELAY)
        while os.read(0, 65536):  # the parent never writes: this waits for end-of-file
            pass
    except KeyboardInterrupt:
        pass
    # Nothing to save, and the parent is gone or quitting (and waits for this exit): leave at once
    # rather than sit through uvicorn's graceful shutdown (~250 ms).
    os._exit(0)


def _warm_up(delay: float) -> None:
    """Load what the first request of each format needs (pydantic, the schemas, the adapters:
    ~100 ms), which the sandbox left out of its start-up so the playground's model list comes
    sooner: when the parent says its own start-up is over, or after `delay` seconds without a word;
    not at all if stdin closes meanwhile."""
    if select.select([0], [], [], delay)[0] and not os.read(0, 65536):
        return  # end of file: the parent is gone or quitting, no need
    from ..protocols.adapters import adapter_for
    from ..protocols.formats import Format
    from ..protocols.templates import starter_request
    from ..protocols.validate import validate_request

    for fmt in Format:
        adapter_for(fmt)
        validate_request(fmt, starter_request(fmt, "gpt-4o-mini"))
    try:
        os.write(1, WARMED)
    except OSError:  # the parent is gone: the read below ends this child
        pass


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
