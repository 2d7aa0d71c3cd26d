"""The `pipellm-tui` command: the TUI by default, plus `send`, `models` and `sandbox`.

Owns the argument syntax only; the work happens in `headless.py`, `ui/app.py` and
`sandbox/command.py`, each imported when its command runs, so `pipellm-tui --help` stays instant
(nothing here imports Textual, starlette, uvicorn or httpx2).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, MutableMapping, Sequence
from typing import TYPE_CHECKING

from .protocols.formats import Format, RouteKind

if TYPE_CHECKING:
    from .sandbox.child import SandboxProcess

#: The format names `--format` takes. `protocols.formats` is standard library only, so this keeps the
#: import light (test_importing_the_cli_stays_cheap: no pydantic, httpx2 or Textual).
FORMATS = tuple(f.value for f in Format)
#: The route kinds `--route` takes.
ROUTE_KINDS = tuple(k.value for k in RouteKind)


def _endpoint_options(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument(
        "--base-url",
        default=default,
        metavar="URL",
        help="API base URL (default: https://api.pipellm.ai with a key; a local sandbox without one)",
    )
    parser.add_argument(
        "--api-key-env",
        default=default,
        metavar="NAME",
        help="environment variable holding the API key (default: PIPELLM_API_KEY)",
    )
    _profile_option(parser, default)


def _profile_option(parser: argparse.ArgumentParser, default: object = None) -> None:
    parser.add_argument(
        "--profile", default=default, metavar="NAME", help="a profile from config.toml (pipellm, sandbox, or yours)"
    )


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r}: give a positive number of seconds")
    return value


def _timeout_options(parser: argparse.ArgumentParser, total: str) -> None:
    parser.add_argument("--timeout", type=_seconds, metavar="SECONDS", help=total)
    parser.add_argument(
        "--idle-timeout",
        type=_seconds,
        metavar="SECONDS",
        help="give up when the server sends no event for this long; keep-alive pings do not "
        "count (default: 300)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pipellm-tui",
        description="A terminal playground for the PipeLLM API. With no command, opens the TUI.",
    )
    _endpoint_options(parser, None)
    parser.add_argument("--sandbox", action="store_true", help="use a local sandbox even if a key is set")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    # Subcommand defaults are SUPPRESSed so they do not overwrite options given before the command.
    send = commands.add_parser("send", help="send one request and print the answer as it streams")
    _endpoint_options(send, argparse.SUPPRESS)
    send.add_argument("--format", choices=FORMATS, help="request format (required unless --saved)")
    send.add_argument("--route", default="native", choices=ROUTE_KINDS, help="route kind")
    send.add_argument("--model", help="model id, e.g. gpt-4o or claude-sonnet-4-5-20250929 (required unless --saved)")
    send.add_argument(
        "--stream",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="stream the answer (default: as the body's `stream` field says)",
    )
    send.add_argument(
        "--show",
        action="append",
        choices=("headers", "ratelimits", "converted", "raw", "json"),
        default=[],
        help="also print: response headers, rate limits, the request as converted for the upstream, "
        "raw SSE events, the final JSON body (repeatable)",
    )
    _timeout_options(send, "give up when the whole call takes longer than this (default: no limit)")
    send.add_argument(
        "file",
        nargs="?",
        metavar="FILE.json",
        help="the request body; '-' reads stdin; none sends the format's starter request",
    )
    from .compare_command import add_compare_parser  # argparse only: loads nothing heavy

    add_compare_parser(commands, _endpoint_options, FORMATS)
    models = commands.add_parser("models", help="print the model catalog with prices")
    _endpoint_options(models, argparse.SUPPRESS)
    _timeout_options(models, "give up when the model list takes longer than this (default: 30)")
    from .workbench_commands import add_commands, add_saved_option

    add_saved_option(send)
    add_commands(commands, lambda sub: _profile_option(sub, argparse.SUPPRESS))
    # The sandbox's own options are declared by the sandbox package and parsed in `_sandbox`.
    commands.add_parser("sandbox", help="run the local PipeLLM-compatible sandbox server", add_help=False)
    return parser


def skip_pydantic_plugins(environ: MutableMapping[str, str]) -> None:
    """Tell pydantic (in this process and the sandbox's child) to load no plugins, unless the user
    said otherwise. Its first validation otherwise reads every installed distribution's entry
    points looking for plugins (~20 ms on the way to the editor's first verdict, and the same in
    every headless command); the playground uses none. `PYDANTIC_DISABLE_PLUGINS=` (empty) turns
    them back on."""
    environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")


def main(argv: Sequence[str] | None = None) -> int:
    from . import kept_code

    kept_code.install()  # before any dataclass is defined (Textual's included)
    skip_pydantic_plugins(os.environ)
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if args.command == "sandbox":
        return _sandbox(extra)
    if extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    if args.command == "send":
        from .headless import run_send

        return run_send(args)
    if args.command == "compare":
        from .compare_command import run_compare

        return run_compare(args)
    if args.command == "models":
        from .headless import run_models

        return run_models(args)
    if args.command in ("history", "requests"):
        from .workbench_commands import run_history, run_requests

        return run_history(args) if args.command == "history" else run_requests(args)
    return _playground(args)


def _playground(args: argparse.Namespace) -> int:
    """The TUI. Before Textual loads: with no endpoint the sandbox starts, in a child process that
    boots on another core (see sandbox/child.py for why not a thread), as early as it can be
    guessed (`_start_sandbox_early`), and a thread starts fetching the model list, so the list is
    usually in by the first paint."""
    import gc

    # No garbage collection until the main screen's panes are up (PlaygroundScreen.prepare turns
    # it back on): start-up allocates ~a million objects that all stay, and the passes over them
    # cost ~35 ms before the first frame, for garbage that is a few hundred kilobytes at most.
    gc.disable()
    early = _start_sandbox_early(args, os.environ)
    from .playground.endpoint import endpoint_from_args
    from .store.profiles import ProfileProblem

    try:
        endpoint = endpoint_from_args(args)
    except ProfileProblem as exc:
        if early is not None:
            early.discard()
        print(f"error: {exc}", file=sys.stderr)
        return 2
    sandbox = _sandbox_for(endpoint is not None, early)
    from .playground.session import Session

    session = Session(endpoint=endpoint, sandbox=sandbox)
    session.prefetch_models()
    from .ui import textual_early

    textual_early.install()  # before Textual defines its widget classes
    from .ui.app import main as run_app

    return int(run_app(session) or 0)


def _start_sandbox_early(args: argparse.Namespace, environ: Mapping[str, str]) -> SandboxProcess | None:
    """The sandbox's child, started before the endpoint is worked out when the sandbox is the likely
    one: asked for, or no key in the environment and no endpoint named on the command line. The
    child's start-up (~0.25 s) is the model list's critical path, and working the endpoint out
    (config.toml, the modules that read it) took ~0.1 s before it began. When config.toml names
    another endpoint after all, the child is discarded unused."""
    from .protocols.routes import PIPELLM_KEY_ENV

    named = args.base_url or args.profile or args.api_key_env
    if not args.sandbox and (named or environ.get(PIPELLM_KEY_ENV)):
        return None
    from .sandbox.child import SandboxProcess

    return SandboxProcess.spawn(fork=True)  # no thread yet: the child skips an interpreter's start


def _sandbox_for(endpoint_named: bool, early: SandboxProcess | None) -> SandboxProcess | None:
    """The sandbox the session gets: none when an endpoint is named (a child started early is then
    discarded), else the child started early, or one started now."""
    if endpoint_named:
        if early is not None:
            early.discard()
        return None
    if early is not None:
        return early
    from .sandbox.child import SandboxProcess

    return SandboxProcess.spawn(fork=True)  # still no thread (the list's fetch starts after this)


def _sandbox(argv: list[str]) -> int:
    from .sandbox.command import add_sandbox_arguments, sandbox_main

    parser = argparse.ArgumentParser(prog="pipellm-tui sandbox", description="Run the local sandbox server.")
    add_sandbox_arguments(parser)
    return int(sandbox_main(parser.parse_args(argv)) or 0)


if __name__ == "__main__":
    sys.exit(main())
