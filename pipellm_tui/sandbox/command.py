"""`pipellm-tui sandbox`: the command-line face of the sandbox.

Owns the sandbox subcommand's arguments and its entry point; cli.py wires them in. Imports only the
standard library and the sandbox's config at import time (the server loads when the command runs).
"""

from __future__ import annotations

import argparse

from .config import DEFAULT_API_KEY, DEFAULT_PORT, SandboxConfig


def add_sandbox_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback only)")
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT}; 0 = a free one)"
    )
    parser.add_argument(
        "--api-key", default=DEFAULT_API_KEY, help=f"the key clients must send (default {DEFAULT_API_KEY})"
    )
    parser.add_argument("--rpm", type=int, default=60, help="requests per minute per key (default 60)")
    parser.add_argument("--balance", type=float, default=100.0, help="starting balance in USD (default 100)")
    parser.add_argument(
        "--token-rate",
        type=float,
        default=0.0,
        help="output tokens per second; 0 = as fast as possible (default)",
    )
    parser.add_argument(
        "--max-body-bytes",
        type=int,
        default=32 * 1024 * 1024,
        help="largest request body accepted; larger ones get a 413 (default 32 MiB)",
    )
    parser.add_argument(
        "--idle-timeout",
        type=float,
        default=5.0,
        help="seconds a connection may stay without sending a whole request head (default 5)",
    )
    parser.add_argument(
        "--client-timeout",
        type=float,
        default=30.0,
        help="seconds a client may take to send its body (408) or leave a stream unread (default 30)",
    )
    parser.add_argument(
        "--log-level",
        default="warning",
        choices=["critical", "error", "warning", "info", "debug"],
        help="server log level; info also logs each request (default warning)",
    )


def config_from(args: argparse.Namespace) -> SandboxConfig:
    return SandboxConfig(
        host=args.host,
        port=args.port,
        api_key=args.api_key,
        rpm=args.rpm,
        balance=args.balance,
        token_rate=args.token_rate,
        max_body_bytes=args.max_body_bytes,
        idle_timeout=args.idle_timeout,
        client_timeout=args.client_timeout,
        log_level=args.log_level,
    )


def sandbox_main(args: argparse.Namespace) -> int:
    problems = []
    if not 0 <= args.port <= 65535:
        problems.append("--port must be between 0 and 65535")
    if args.rpm < 1:
        problems.append("--rpm must be at least 1")
    if args.token_rate < 0:
        problems.append("--token-rate must be 0 or more")
    if args.max_body_bytes < 1:
        problems.append("--max-body-bytes must be at least 1")
    if not args.idle_timeout > 0 or not args.client_timeout > 0:
        problems.append("--idle-timeout and --client-timeout must be more than 0 seconds")
    if not args.api_key:
        problems.append("--api-key must not be empty")
    if problems:
        for problem in problems:
            print(f"pipellm-tui sandbox: {problem}")
        return 2
    from .server import run

    try:
        run(config_from(args))
    except OSError as exc:
        print(f"pipellm-tui sandbox: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}")
        return 1
    except KeyboardInterrupt:
        pass
    return 0


def main(argv: list[str] | None = None) -> int:
    """`python -m pipellm_tui.sandbox.command`: the same command without the main CLI."""
    parser = argparse.ArgumentParser(prog="pipellm-tui sandbox", description="Run the local PipeLLM sandbox.")
    add_sandbox_arguments(parser)
    return sandbox_main(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
