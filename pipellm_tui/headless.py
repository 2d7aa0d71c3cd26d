"""The headless commands: `pipellm-tui send` and `pipellm-tui models`, for scripts and quick checks.

Owns choosing the endpoint (a base URL and key from the environment, else a sandbox started
in-process), reading the request file, and printing a call's events as plain text: the answer on
stdout as it streams, extra sections on request (`--show`), a one-line summary and errors on
stderr. Exit codes: 0 success, 1 an API or network error (a timeout included), 2 bad input
(unreadable or invalid JSON, a route that does not exist, a base URL that is not one), 130
interrupted. No traceback ever reaches the user: whatever goes wrong is one `error:` block. Must not import Textual; the sandbox is imported
only when it is started.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import os
import sys
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any

from .client import Delta, Done, Failure, FinalBody, Head, PlanError, RawEvent, Retrying, Timeouts
from .client.plan import base_url_problem
from .command_guard import UsageProblem, guarded_command
from .protocols import ir
from .protocols.errors import ApiError
from .protocols.formats import NATIVE_FORMAT, Format, RouteKind
from .protocols.jsontext import loads_bounded
from .protocols.problems import ProtocolError
from .protocols.routes import PIPELLM_KEY_ENV
from .protocols.sse import encode_event

if TYPE_CHECKING:
    from .playground.endpoint import Target


@contextlib.contextmanager
def endpoint(
    base_url: str | None, key_env: str | None, err: IO[str], force_sandbox: bool = False,
    profile: str | None = None,
) -> Iterator[Target]:  # fmt: skip
    """Where to send, as playground/endpoint.py decides from the arguments, config.toml and the
    environment; a sandbox profile gets a sandbox started here for the duration of the command."""
    from .playground.endpoint import Choice, resolve
    from .store.config import load_config
    from .store.profiles import ProfileProblem

    if base_url is not None and not force_sandbox:
        problem = base_url_problem(base_url)
        if problem is not None:
            raise UsageProblem(f"--base-url: {problem}")
    loaded = load_config()
    if loaded.problem is not None:
        print(f"warning: {loaded.problem}; using the default settings.", file=err)
    try:
        target = resolve(Choice(profile, base_url, key_env, force_sandbox), loaded.config, os.environ)
    except ProfileProblem as exc:
        raise UsageProblem(str(exc)) from None
    if not target.needs_sandbox:
        yield target
        return
    from .sandbox.config import SandboxConfig
    from .sandbox.server import start_in_thread

    sandbox = start_in_thread(SandboxConfig())
    why = "--sandbox given" if force_sandbox else f"no {key_env or PIPELLM_KEY_ENV} set"
    if profile:
        why = f"profile {profile!r}"
    print(f"{why}: using a local sandbox at {sandbox.base_url} (key {sandbox.api_key}).", file=err)
    try:
        yield target.with_sandbox(sandbox.base_url, sandbox.api_key)
    finally:
        sandbox.stop()


def timeouts_from(args: Any) -> Timeouts:
    """The client's timeouts with `--timeout` (the whole call's deadline; for `models`, the model
    list's) and `--idle-timeout` (the longest wait for the next event) applied."""
    total, idle = getattr(args, "timeout", None), getattr(args, "idle_timeout", None)
    defaults = Timeouts()
    return dataclasses.replace(
        defaults,
        total=total if total is not None else defaults.total,
        models_total=total if total is not None else defaults.models_total,
        idle=idle if idle is not None else defaults.idle,
        # The socket's own silence limit must not cut a longer idle limit short.
        read=max(defaults.read, idle or 0.0),
    )


def read_body(source: str | None, fmt: Format, model: str, stdin: IO[str]) -> dict[str, Any]:
    """The request body from FILE, `-` (stdin), or the format's starter request when none is given."""
    if source is None:
        from .protocols.templates import starter_request

        return starter_request(fmt)
    label = "stdin" if source == "-" else source
    try:
        text = stdin.read() if source == "-" else open(source, encoding="utf-8").read()  # noqa: SIM115
    except OSError as exc:
        raise UsageProblem(f"cannot read {label}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise UsageProblem(f"{label} is not UTF-8 text") from None
    try:
        body = loads_bounded(text)
    except ProtocolError as exc:
        raise UsageProblem(f"{label} is {exc.message}") from None
    if not isinstance(body, dict):
        raise UsageProblem(f"{label} must hold a JSON object (the request body), not {type(body).__name__}")
    return body


# ---------------------------------------------------------------------------- send


def run_send(
    args: Any, out: IO[str] | None = None, err: IO[str] | None = None, stdin: IO[str] | None = None
) -> int:
    # Streams are looked up per call, not bound at import, so redirections (and tests) apply.
    out, err, stdin = out or sys.stdout, err or sys.stderr, stdin or sys.stdin
    return guarded_command(err, lambda: _run_send(args, out, err, stdin))


def _run_send(args: Any, out: IO[str], err: IO[str], stdin: IO[str]) -> int:
    if getattr(args, "saved", None):
        from .workbench_commands import apply_saved_request

        apply_saved_request(args)
    if not args.format or not args.model:
        raise UsageProblem("--format and --model are required (or --saved NAME).")
    fmt, kind = Format(args.format), RouteKind(args.route)
    saved_body = getattr(args, "saved_body", None)
    body = saved_body if saved_body is not None else read_body(args.file, fmt, args.model, stdin)
    if args.stream is not None:
        body["stream"] = args.stream
    timeouts = timeouts_from(args)
    with endpoint(args.base_url, args.api_key_env, err, args.sandbox, getattr(args, "profile", None)) as where:
        return asyncio.run(
            _send(where, fmt, kind, args.model, body, set(args.show or ()), out, err, timeouts)
        )


async def _send(
    where: Target, fmt: Format, kind: RouteKind, model: str, body: dict[str, Any],
    show: set[str], out: IO[str], err: IO[str], timeouts: Timeouts | None = None,
) -> int:  # fmt: skip
    from .client import PlaygroundClient

    client = PlaygroundClient(timeout=timeouts)
    try:
        plan = where.plan(fmt, kind, model, body)
    except PlanError as exc:
        raise UsageProblem(str(exc)) from None
    if "converted" in show:
        _print_converted(plan.body or {}, fmt, kind, model, out)
    printer = _AnswerPrinter(show, out)
    failed: ApiError | None = None
    done: Done | None = None
    try:
        async for event in client.send(plan):
            if isinstance(event, Failure):
                failed = event.error
            elif isinstance(event, Done):
                done = event  # summarised after the answer's last line, not in the middle of it
            elif isinstance(event, Retrying):
                print(f"{event.error.title}: retrying in {event.delay:.1f} s", file=err)
            else:
                printer.take(event)
    finally:
        await client.aclose()
    printer.close()
    if done is not None:
        _print_summary(done, err)
        _print_skipped(done, err)
        from .workbench_commands import record_in_history

        record_in_history(done.exchange, where, err)
    if failed is not None:
        _print_error(failed, err, where)
        return 1
    return 0


class _AnswerPrinter:
    """Prints each event as the user asked: text as it streams, raw events, then the sections."""

    def __init__(self, show: set[str], out: IO[str]) -> None:
        self.show = show
        self.out = out
        self.streamed_text = False
        self.final: FinalBody | None = None

    def take(self, event: object) -> None:
        out = self.out
        if isinstance(event, Delta):
            if isinstance(event.event, ir.TextDelta) and "raw" not in self.show:
                out.write(event.event.text)
                out.flush()
                self.streamed_text = True
        elif isinstance(event, RawEvent):
            if "raw" in self.show:
                out.write(encode_event(event.sse))
                out.flush()
        elif isinstance(event, Head):
            if "headers" in self.show:
                _section(out, f"response headers ({event.status})")
                for name, value in event.headers.items():
                    out.write(f"{name}: {value}\n")
            if "ratelimits" in self.show:
                limits = event.rate_limits
                _section(out, "rate limits")
                reset = "unknown" if limits.reset_seconds is None else f"{limits.reset_seconds:g} s"
                out.write(f"limit: {_or_unknown(limits.limit)}\nremaining: {_or_unknown(limits.remaining)}\n")
                out.write(f"reset: {reset}\n")
                if limits.retry_after is not None:
                    out.write(f"retry-after: {limits.retry_after:g} s\n")
        elif isinstance(event, FinalBody):
            self.final = event

    def close(self) -> None:
        out = self.out
        final = self.final
        if final is not None:
            text = final.response.text
            if self.streamed_text:
                out.write("\n")
            elif text:
                if "raw" in self.show:
                    _section(out, "answer")
                out.write(text + "\n")
            for part in final.response.parts:
                if isinstance(part, ir.ToolCallPart):
                    out.write(f"tool call {part.id}: {part.name}({json.dumps(part.arguments)})\n")
            if "json" in self.show:
                _section(out, "final body")
                out.write(json.dumps(final.body, indent=2, ensure_ascii=False) + "\n")
        elif self.streamed_text:
            out.write("\n")
        out.flush()


def _print_converted(body: dict[str, Any], fmt: Format, kind: RouteKind, model: str, out: IO[str]) -> None:
    from .protocols.catalog import family_for
    from .protocols.convert import convert_request

    family = family_for(model)
    if kind is RouteKind.NATIVE or family is None:
        why = "a native route forwards it as is" if family else f"the family of {model!r} is unknown"
        _section(out, f"converted request: none ({why})")
        return
    target = NATIVE_FORMAT[family]
    converted = convert_request(body, fmt, target, model)
    _section(out, f"request as the {family.value} upstream receives it ({fmt} -> {target})")
    out.write(json.dumps(converted.payload, indent=2, ensure_ascii=False) + "\n")
    for warning in converted.warnings:
        out.write(f"warning: {warning}\n")
    if not converted.warnings:
        out.write("(no conversion warnings)\n")
    out.write("\n")


def _print_summary(done: Done, err: IO[str]) -> None:
    exchange = done.exchange
    bits = [str(exchange.status) if exchange.status is not None else "no response"]
    timings = exchange.timings
    if timings is not None:
        if timings.ttft is not None:
            bits.append(f"ttft {timings.ttft * 1000:.0f} ms")
        bits.append(f"total {timings.total:.2f} s")
        if timings.tokens_per_second is not None:
            bits.append(f"{timings.tokens_per_second:.0f} tok/s")
    if exchange.usage is not None:
        bits.append(f"tokens in {exchange.usage.input_tokens} / out {exchange.usage.output_tokens}")
    if exchange.retries:
        bits.append(f"{exchange.retries} retr{'y' if exchange.retries == 1 else 'ies'}")
    print(" · ".join(bits), file=err)


def _print_skipped(done: Done, err: IO[str]) -> None:
    """Stream events the client dropped: the answer may lack what they carried, so say so."""
    exchange = done.exchange
    if exchange.skipped_events:
        n = exchange.skipped_events
        print(f"warning: {n} stream event{'s' if n != 1 else ''} not understood and skipped", file=err)
        for warning in exchange.warnings:
            print(f"  {warning}", file=err)


def _print_error(error: ApiError, err: IO[str], where: Target | None = None) -> None:
    print(f"error: {error.title}", file=err)
    if error.code is not None:
        print(f"  code: {error.code}", file=err)
    print(f"  message: {error.message}", file=err)
    retry = "yes" if error.retryable else "no"
    if error.retry_after is not None:
        retry += f", after {error.retry_after:g} s"
    print(f"  retryable: {retry}", file=err)
    print(f"  advice: {where.advice(error) if where else error.advice}", file=err)


# ---------------------------------------------------------------------------- models


def run_models(args: Any, out: IO[str] | None = None, err: IO[str] | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr

    def models() -> int:
        timeouts = timeouts_from(args)
        with endpoint(args.base_url, args.api_key_env, err, args.sandbox, getattr(args, "profile", None)) as where:
            return asyncio.run(_models(where, out, err, timeouts))

    return guarded_command(err, models)


async def _models(where: Target, out: IO[str], err: IO[str], timeouts: Timeouts | None = None) -> int:
    from .client import ApiErrorException, PlaygroundClient

    client = PlaygroundClient(timeout=timeouts)
    try:
        models = await client.list_models(where.base_url, where.api_key)
    except ApiErrorException as exc:
        _print_error(exc.error, err, where)
        return 1
    finally:
        await client.aclose()
    rows = [("MODEL", "FAMILY", "IN $/1M", "OUT $/1M")]
    for model in models:
        pricing = model.pricing
        prompt = pricing.prompt_per_million if pricing else None
        completion = pricing.completion_per_million if pricing else None
        family = model.family.value if model.family else "?"
        rows.append((model.id, family, _price(prompt), _price(completion)))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        out.write(
            f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:>{widths[2]}}  {row[3]:>{widths[3]}}\n"
        )
    print(f"{len(models)} models at {where.base_url}", file=err)
    return 0


def _price(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _or_unknown(value: int | None) -> str:
    return "unknown" if value is None else str(value)


def _section(out: IO[str], title: str) -> None:
    out.write(f"--- {title}\n")
