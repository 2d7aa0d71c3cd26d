"""Running the sandbox: `run(config)` in the foreground, `start_in_thread(config)` in the background.

Owns the uvicorn server, the listening socket (port 0 gives a free port, read back after binding),
and the sandbox's logging: embedded in the app, uvicorn must never print over the terminal UI, so its
loggers get a NullHandler and the one error uvicorn logs for a deliberately cut stream is filtered.
The UI imports this module lazily: starlette and uvicorn load only when a sandbox starts.
Imports starlette/uvicorn (through app.py) and protocols only.
"""

from __future__ import annotations

import logging
import math
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Self

from .config import SandboxConfig

_CUT_STREAM_LOG = "ASGI callable returned without completing response."


class _QuietCutStreams(logging.Filter):
    """The `disconnect` fault ends a response without completing it on purpose; that is no error."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != _CUT_STREAM_LOG


def _quiet_logging() -> None:
    uvicorn_error = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _QuietCutStreams) for f in uvicorn_error.filters):
        uvicorn_error.addFilter(_QuietCutStreams())
    for name in ("uvicorn", "pipellm_tui.sandbox"):
        logger = logging.getLogger(name)
        if not logger.handlers:
            logger.addHandler(logging.NullHandler())


def _bind(config: SandboxConfig) -> socket.socket:
    family = socket.AF_INET6 if ":" in config.host else socket.AF_INET
    # proto must say TCP: asyncio only sets TCP_NODELAY on accepted sockets whose proto is
    # IPPROTO_TCP, and without it Nagle + delayed ACK add ~40 ms before each streamed body.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((config.host, config.port))
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    sock.setblocking(False)
    return sock


def _base_url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def _server(config: SandboxConfig, log_level: str) -> tuple[Any, Any]:
    import uvicorn

    from .app import create_app
    from .connections import protocol_with_deadline

    app = create_app(config)
    uvicorn_config = uvicorn.Config(
        app,
        log_config=None,
        log_level=log_level,
        access_log=log_level in ("debug", "info"),
        lifespan="off",
        ws="none",  # the API has no websockets; "auto" would import a websockets stack (~7 ms)
        # Idle and half-open connections are closed: uvicorn's keep-alive timer after a response,
        # and our deadline for every request head (connections.py), which uvicorn lacks.
        http=protocol_with_deadline(config.idle_timeout),
        timeout_keep_alive=max(1, math.ceil(config.idle_timeout)),
        timeout_graceful_shutdown=2,
    )
    return uvicorn.Server(uvicorn_config), app.state.sandbox


@dataclass
class RunningSandbox:
    """A sandbox serving in a daemon thread. `stop()` (or leaving the `with` block) shuts it down."""

    base_url: str
    api_key: str
    config: SandboxConfig
    #: The app's live state (balance, counters, exchanges): for tests and the UI's status line.
    state: Any
    _server: Any = field(repr=False)
    _thread: threading.Thread = field(repr=False)

    @property
    def port(self) -> int:
        return int(self.base_url.rsplit(":", 1)[1])

    def warm_up(self) -> None:
        """Nothing to do: in a thread, what requests need loads with the first one."""

    def stop(self, timeout: float = 5.0) -> None:
        self._server.should_exit = True
        self._thread.join(timeout)
        if self._thread.is_alive():
            self._server.force_exit = True
            self._thread.join(timeout)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_in_thread(config: SandboxConfig | None = None, *, log_level: str = "critical") -> RunningSandbox:
    """Start a sandbox in a daemon thread with its own event loop; return once it accepts connections."""
    config = config or SandboxConfig()
    _quiet_logging()
    sock = _bind(config)
    port = sock.getsockname()[1]
    server, state = _server(config, log_level)
    failure: list[BaseException] = []

    def serve() -> None:
        try:
            server.run(sockets=[sock])
        except BaseException as exc:  # noqa: BLE001 - reported to the starting thread below
            failure.append(exc)
        finally:
            sock.close()

    thread = threading.Thread(target=serve, name=f"pipellm-sandbox-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if failure or not thread.is_alive():
            raise RuntimeError(f"the sandbox did not start: {failure[0] if failure else 'server exited'}")
        if time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError("the sandbox did not start within 10 seconds")
        time.sleep(0.005)
    return RunningSandbox(_base_url(config.host, port), config.api_key, config, state, server, thread)


def run(config: SandboxConfig | None = None) -> None:
    """Serve in the foreground until Ctrl-C (uvicorn handles SIGINT/SIGTERM and shuts down cleanly)."""
    config = config or SandboxConfig()
    _quiet_logging()
    if config.log_level in ("debug", "info"):
        logging.basicConfig(level=config.log_level.upper(), format="%(levelname)s %(name)s: %(message)s")
    elif not logging.getLogger().handlers:
        # Show our own errors (a bug logged by the 500 guard) on the console; uvicorn stays quiet.
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        logging.getLogger("pipellm_tui.sandbox").addHandler(handler)
    sock = _bind(config)
    port = sock.getsockname()[1]
    server, _ = _server(config, config.log_level)
    print(f"PipeLLM sandbox on {_base_url(config.host, port)}  key: {config.api_key}", flush=True)
    print("Press Ctrl-C to stop.", flush=True)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass  # uvicorn shuts down cleanly first, then re-raises the Ctrl-C it captured
    finally:
        sock.close()
    print("Sandbox stopped.", flush=True)
