"""`pipellm-tui compare`: one request on several routes or models at once, printed as a report.

    pipellm-tui compare [--format F] --model M [--model M2 ...] [--routes native,converter|all]
        [--repeat N] [--json] [FILE|-]

One model (and no `--routes`) compares it on every route; several models compare them on the route
the request's format suggests for each (with `--routes`, each model on those routes). Prints the
summary table, the payload and response field diffs, and each answer with its word diff against the
first; `--json` prints one JSON object per run instead (target, measures, answer, warnings), one a
line. Exit codes: 0 every target answered, 1 any target failed, 2 bad input, 130 interrupted.

The work is `playground.compare`'s; the endpoint and the request file are read as `send` reads them
(`headless.py`). Must not import Textual. cli.py imports this module to declare the command on
every start (the TUI's too), so everything but argparse loads when the command runs.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .playground.compare import Comparison, TargetRun
    from .playground.compare_report import FieldDiff
    from .playground.compare_targets import Target
    from .playground.endpoint import Target as Endpoint
    from .protocols.formats import Family, Format

#: `--routes` values: the route kinds each names.
ROUTE_CHOICES = {
    "native": ("native",),
    "converter": ("converter",),
    "native,converter": ("native", "converter"),
    "converter,native": ("native", "converter"),
    "all": ("native", "converter"),
}


def add_compare_parser(commands: Any, endpoint_options: Any, formats: tuple[str, ...]) -> None:
    """Declare `compare` on the command line's subparsers (cli.py calls this)."""
    parser = commands.add_parser(
        "compare", help="send one request on several routes or models at once and compare the answers"
    )
    endpoint_options(parser, argparse.SUPPRESS)
    parser.add_argument("--format", default="openai-chat", choices=formats, help="format of the request")
    parser.add_argument(
        "--model", action="append", required=True, help="model id (repeat for up to 4 models)"
    )
    parser.add_argument(
        "--routes",
        choices=sorted(ROUTE_CHOICES),
        default=None,
        help="routes per model (default: every route for one model, the suggested route for several)",
    )
    parser.add_argument("--repeat", type=int, default=1, metavar="N", help="run each target N times")
    parser.add_argument("--json", action="store_true", help="one JSON object per run, one a line")
    parser.add_argument("file", nargs="?", metavar="FILE.json", help="the request body; '-' reads stdin")


def targets_for(
    models: list[str], fmt: Format, routes: str | None, families: dict[str, Family]
) -> list[Target]:
    from .playground.compare_targets import model_family, model_targets, route_targets
    from .protocols.formats import RouteKind

    if routes is None and len(models) > 1:
        return model_targets(models, fmt, families)
    kinds = tuple(RouteKind(k) for k in ROUTE_CHOICES[routes or "all"])
    model_targets(models, fmt, families)  # the same checks (at least one, at most four)
    out: list[Target] = []
    for model in dict.fromkeys(models):
        out.extend(route_targets(model, model_family(model, families), kinds))
    return out


def run_compare(
    args: Any, out: IO[str] | None = None, err: IO[str] | None = None, stdin: IO[str] | None = None
) -> int:
    from .command_guard import guarded_command
    from .playground.compare_targets import TargetError

    out, err, stdin = out or sys.stdout, err or sys.stderr, stdin or sys.stdin
    return guarded_command(err, lambda: _run_compare(args, out, err, stdin), (TargetError,))


def _run_compare(args: Any, out: IO[str], err: IO[str], stdin: IO[str]) -> int:
    import asyncio

    from .command_guard import UsageProblem
    from .headless import endpoint, read_body
    from .protocols.formats import Format

    if args.repeat < 1:
        raise UsageProblem("--repeat must be at least 1.")
    fmt = Format(args.format)
    body = read_body(args.file, fmt, args.model[0], stdin)
    profile = getattr(args, "profile", None)
    with endpoint(args.base_url, args.api_key_env, err, args.sandbox, profile) as where:
        return asyncio.run(_compare(where, fmt, body, args, out, err))


async def _compare(
    where: Endpoint, fmt: Format, body: dict[str, Any], args: Any, out: IO[str], err: IO[str]
) -> int:
    from .client import ApiErrorException, PlaygroundClient
    from .playground.compare import Comparison
    from .playground.compare import Endpoint as CompareEndpoint

    client = PlaygroundClient()
    try:
        try:
            catalog = {m.id: m for m in await client.list_models(where.base_url, where.api_key)}
        except ApiErrorException as exc:
            print(f"note: no model list ({exc.error.message}); no prices, families guessed", file=err)
            catalog = {}
        families = {m: info.family for m, info in catalog.items() if info.family is not None}
        targets = targets_for(list(args.model), fmt, args.routes, families)

        def price(model: str, usage: Any) -> float | None:
            info = catalog.get(model)
            return info.pricing.cost(usage) if info is not None and info.pricing is not None else None

        history = _open_history(err)
        comparison = Comparison(
            client, CompareEndpoint(where.base_url, where.api_key), fmt, body, targets,
            repeat=args.repeat, price=price, on_exchange=_recorder(history, where, err),
        )  # fmt: skip
        try:
            await comparison.run()
        finally:
            if history is not None:
                history.close()
    finally:
        await client.aclose()
    if args.json:
        for run in comparison.runs:
            out.write(json.dumps(run_json(comparison, run), ensure_ascii=False) + "\n")
    else:
        print_report(comparison, out)
    if comparison.paced:
        print(f"{comparison.paced} request(s) waited for the rate limits.", file=err)
    failed = [r for r in comparison.latest() if r.failed]
    for run in failed:
        message = run.error.message if run.error is not None else run.state
        print(f"error: {run.target.label}: {message}", file=err)
    return 1 if comparison.any_failed else 0


def _open_history(err: IO[str]) -> Any:
    """The history a comparison goes to as one group; None when it is off or cannot be opened
    (a warning, never a failed comparison)."""
    import sqlite3

    from .playground.recording import open_history
    from .store.config import load_config

    config = load_config().config
    if not config.history.enabled:
        return None
    try:
        return open_history(config)
    except (OSError, sqlite3.Error) as exc:
        print(f"warning: history not written: {exc}", file=err)
        return None


def _recorder(history: Any, where: Endpoint, err: IO[str]) -> Any:
    """`on_exchange` for a comparison: each run that ends is one row of the comparison's group."""
    if history is None:
        return None

    def record(run: TargetRun, group_id: str) -> None:
        import sqlite3

        from .playground.recording import record_exchange

        if run.exchange is None:
            return
        try:
            record_exchange(
                history, run.exchange, profile=where.profile.name, group_id=group_id, cost=run.cost
            )
        except (OSError, sqlite3.Error) as exc:
            print(f"warning: history not written: {exc}", file=err)

    return record


def run_json(comparison: Comparison, run: TargetRun) -> dict[str, Any]:
    """One run as JSON: the target, the measures, the answer, the warnings (never the key)."""
    from .playground import compare_report as report

    target = run.target
    usage = run.usage
    return {
        "group_id": comparison.group_id,
        "target": {
            "label": target.label,
            "model": target.model,
            "format": target.format.value,
            "route": target.kind.value,
            "path": target.route.url_path(target.model, stream=True),
        },
        "round": run.round,
        "state": run.state,
        "status": run.status,
        "ttft": run.ttft,
        "total": run.total,
        "tokens_per_second": run.tokens_per_second,
        "usage": None
        if usage is None
        else {
            "input_tokens": usage.input_tokens,
            "output_tokens": usage.output_tokens,
            "cache_read_tokens": usage.cache_read_tokens,
            "cache_write_tokens": usage.cache_write_tokens,
            "reasoning_tokens": usage.reasoning_tokens,
        },
        "cost": run.cost,
        "stop_reason": run.stop_reason.value if run.stop_reason is not None else None,
        "stop_reason_raw": report.stop_reason_of(run),
        "answer": run.answer,
        "warnings": run.warnings,
        "error": None if run.error is None else {"status": run.error.status, "message": run.error.message},
        "not_sent": run.payload.problem if run.state == "not sent" else None,
    }


def print_report(comparison: Comparison, out: IO[str]) -> None:
    from .playground import compare_report as report

    out.write(report.table_text(report.summary(comparison)) + "\n")
    out.write("(* best, ! worst)\n")
    latest = comparison.latest()
    labels = [r.target.label for r in latest]
    _section(out, "payloads sent")
    _field_table(report.payload_diff(comparison), labels, out)
    _section(out, "responses (normalised)")
    _field_table(report.response_diff(comparison), labels, out)
    agree = report.answers_agree(comparison)
    _section(out, "answers: identical on every target" if agree else "answers")
    for run, diff in zip(latest, report.answer_diffs(comparison), strict=True):
        out.write(f"## {run.target.label}\n")
        if run.state == "not sent":
            out.write(f"not sent: {run.payload.problem}\n")
        elif diff is None:
            out.write((run.answer or "(no answer)") + "\n")
        elif diff.identical:
            out.write("identical to the first answer\n")
        else:
            out.write(f"{diff.changed_words} word(s) differ from the first answer:\n{diff.marked}\n")
        if run.error is not None:
            out.write(f"error: {run.error.title}: {run.error.message}\n")


def _field_table(diffs: list[FieldDiff], labels: list[str], out: IO[str]) -> None:
    """`= name: value` when every target that was sent agrees, else `≠ name` and a line each."""
    for diff in diffs:
        sent = [v for v in diff.values if v is not None]
        if not diff.differs:
            out.write(f"= {diff.name}: {sent[0] if sent else '-'}\n")
            continue
        out.write(f"≠ {diff.name}\n")
        for label, value in zip(labels, diff.values, strict=True):
            if value is not None:
                out.write(f"    {label}: {value}\n")


def _section(out: IO[str], title: str) -> None:
    out.write(f"--- {title}\n")
