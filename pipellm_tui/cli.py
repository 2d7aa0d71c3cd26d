"""The `pipellm-tui` command: the TUI by default, plus `send`, `models` and `sandbox`.

Owns the argument syntax only; the work happens in `headless.py`, `ui/app.py` and
`sandbox/command.py`, each imported when its command runs, so `pipellm-tui --help` stays instant
(nothing here imports Textual, starlette, uvicorn or httpx2).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

FORMATS = ("openai-chat", "openai-responses", "anthropic", "gemini")


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
    send.add_argument("--format", required=True, choices=FORMATS, help="request format")
    send.add_argument("--route", default="native", choices=("native", "converter"), help="route kind")
    send.add_argument("--model", required=True, help="model id, e.g. gpt-4o or claude-sonnet-4-5-20250929")
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
    # The sandbox's own options are declared by the sandbox package and parsed in `_sandbox`.
    commands.add_parser("sandbox", help="run the local PipeLLM-compatible sandbox server", add_help=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
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
    return _playground(args)


def _playground(args: argparse.Namespace) -> int:
    """The TUI. Before Textual loads: with no endpoint the sandbox starts, in a child process that
    boots on another core (see sandbox/child.py for why not a thread), and a thread starts
    fetching the model list, so the list is usually in by the first paint."""
    import gc

    # No garbage collection until the main screen's panes are up (PlaygroundScreen.prepare turns
    # it back on): start-up allocates ~a million objects that all stay, and the passes over them
    # cost ~35 ms before the first frame, for garbage that is a few hundred kilobytes at most.
    gc.disable()
    from .ui.endpoint import endpoint_from_args

    endpoint = endpoint_from_args(args)
    sandbox = None
    if endpoint is None:
        from .sandbox.child import SandboxProcess

        sandbox = SandboxProcess.spawn()
    from .ui.session import Session

    session = Session(endpoint=endpoint, sandbox=sandbox)
    session.prefetch_models()
    from .ui.app import main as run_app

    return int(run_app(session) or 0)


def _sandbox(argv: list[str]) -> int:
    from .sandbox.command import add_sandbox_arguments, sandbox_main

    parser = argparse.ArgumentParser(prog="pipellm-tui sandbox", description="Run the local sandbox server.")
    add_sandbox_arguments(parser)
    return int(sandbox_main(parser.parse_args(argv)) or 0)


if __name__ == "__main__":
    sys.exit(main())
