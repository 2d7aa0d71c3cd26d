"""What a comparison says once its runs are in: the summary table, the diffs, the timing strips.

- `summary`: one row per target with status, TTFT and total (p50 / p90 with `repeat`), tokens/s,
  usage, cost and stop reason, each measure's best and worst marked.
- `stop_reason_of`: the stop reason as the format said it (`finish_reason`, `stop_reason`,
  `finishReason`, `status`) next to the normalised one (`ir.StopReason`, a closed set).
- `word_diff`: each answer against the first, word by word (difflib).
- `payload_facts` / `payload_diff`: where each payload that went out keeps the system prompt, how it
  names max tokens, its tools, its stream switch, and what the conversion dropped (its warnings).
- `response_diff`: the normalised responses' usage fields and stop reasons side by side.
- `gaps` / `stalls`: the inter-chunk gaps a timing strip draws, and which of them were stalls.

Plain values only (strings, numbers, small dataclasses): no Textual, no I/O.
"""

from __future__ import annotations

import difflib
import statistics
from dataclasses import dataclass, field
from typing import Any

from ..protocols.fields import FIELDS, Param, read_param
from ..protocols.formats import Format
from .compare import Comparison, TargetRun

#: A gap between chunks this long (seconds) is a stall.
STALL_SECONDS = 0.5


# ---------------------------------------------------------------------------- stop reasons

#: Where each format says why it stopped: (field as the user knows it, path in the final body).
STOP_FIELDS: dict[Format, tuple[str, tuple[str | int, ...]]] = {
    Format.OPENAI_CHAT: ("finish_reason", ("choices", 0, "finish_reason")),
    Format.OPENAI_RESPONSES: ("status", ("status",)),
    Format.ANTHROPIC: ("stop_reason", ("stop_reason",)),
    Format.GEMINI: ("finishReason", ("candidates", 0, "finishReason")),
}


def _at(body: Any, path: tuple[str | int, ...]) -> Any:
    for key in path:
        if isinstance(key, int):
            body = body[key] if isinstance(body, list) and len(body) > key else None
        else:
            body = body.get(key) if isinstance(body, dict) else None
    return body


def stop_reason_of(run: TargetRun) -> str:
    """`finish_reason: stop → end_turn`: the format's own word and the normalised one."""
    name, path = STOP_FIELDS[run.target.format]
    raw = _at(run.final_body, path) if run.final_body is not None else None
    normal = run.stop_reason.value if run.stop_reason is not None else None
    if raw is None and normal is None:
        return "-"
    if raw is None:
        return str(normal)
    return f"{name}: {raw} → {normal or '?'}"


# ---------------------------------------------------------------------------- summary


@dataclass(frozen=True, slots=True)
class Cell:
    text: str
    #: "best", "worst" or None.
    mark: str | None = None


@dataclass(slots=True)
class Row:
    label: str
    cells: dict[str, Cell] = field(default_factory=dict)


MEASURES = ("status", "ttft", "total", "tok/s", "in", "out", "cost", "stop")
#: Measures with a best and a worst: True when lower is better.
RANKED = {"ttft": True, "total": True, "tok/s": False, "cost": True}


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation; one value is its own every percentile."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[max(0, min(98, round(q) - 1))]


def _seconds(values: list[float], repeat: int) -> tuple[str, float | None]:
    if not values:
        return "-", None
    if repeat > 1:
        p50, p90 = percentile(values, 50), percentile(values, 90)
        return f"{p50 * 1000:.0f} / {p90 * 1000:.0f} ms", p50
    return f"{values[0] * 1000:.0f} ms", values[0]


def measures(comparison: Comparison, index: int) -> dict[str, tuple[str, float | None]]:
    """One target's measures over its runs: (shown text, the value ranked)."""
    runs = [r for r in comparison.runs_of(index) if r.state != "waiting"] or comparison.runs_of(index)
    last = runs[-1]
    ok = [r for r in runs if r.state == "done"]
    out: dict[str, tuple[str, float | None]] = {}
    if last.state == "not sent":
        out["status"] = ("not sent", None)
    elif last.failed and last.error is not None:
        out["status"] = (f"{last.status or last.error.type} failed", None)
    else:
        out["status"] = (str(last.status) if last.status is not None else last.state, None)
    out["ttft"] = _seconds([r.ttft for r in ok if r.ttft is not None], comparison.repeat)
    out["total"] = _seconds([r.total for r in ok if r.total is not None], comparison.repeat)
    rates = [r.tokens_per_second for r in ok if r.tokens_per_second is not None]
    rate = statistics.median(rates) if rates else None
    out["tok/s"] = (f"{rate:.0f}" if rate is not None else "-", rate)
    usage = last.usage
    out["in"] = (str(usage.input_tokens) if usage else "-", None)
    out["out"] = (str(usage.output_tokens) if usage else "-", None)
    out["cost"] = (f"${last.cost:.6f}" if last.cost is not None else "-", last.cost)
    out["stop"] = (stop_reason_of(last), None)
    return out


def summary(comparison: Comparison) -> list[Row]:
    """The summary table: a row per target, the best and worst of each ranked measure marked
    (only when at least two targets have a value and they differ)."""
    rows: list[Row] = []
    values: dict[str, list[tuple[int, float]]] = {m: [] for m in RANKED}
    for index, target in enumerate(comparison.targets):
        row = Row(target.label)
        for name, (text, value) in measures(comparison, index).items():
            row.cells[name] = Cell(text)
            if name in RANKED and value is not None:
                values[name].append((index, value))
        rows.append(row)
    for name, lower_better in RANKED.items():
        ranked = values[name]
        if len(ranked) < 2 or min(v for _, v in ranked) == max(v for _, v in ranked):
            continue
        best = min(ranked, key=lambda iv: iv[1] if lower_better else -iv[1])[0]
        worst = max(ranked, key=lambda iv: iv[1] if lower_better else -iv[1])[0]
        rows[best].cells[name] = Cell(rows[best].cells[name].text, "best")
        rows[worst].cells[name] = Cell(rows[worst].cells[name].text, "worst")
    return rows


def table_text(rows: list[Row]) -> str:
    """The summary as plain text, `*` after a best and `!` after a worst value."""
    marks = {"best": " *", "worst": " !", None: ""}
    header = ["target", *MEASURES]
    lines = [header] + [
        [r.label] + [r.cells[m].text + marks[r.cells[m].mark] for m in MEASURES] for r in rows
    ]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(line)).rstrip() for line in lines
    )


# ---------------------------------------------------------------------------- answers


@dataclass(frozen=True, slots=True)
class WordDiff:
    identical: bool
    #: The answer with changes against the first marked `[-removed-]{+added+}`.
    marked: str
    #: Words that differ (inserted, deleted or replaced).
    changed_words: int


def word_diff(first: str, other: str) -> WordDiff:
    a, b = first.split(), other.split()
    if a == b:
        return WordDiff(True, other, 0)
    out: list[str] = []
    changed = 0
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.extend(a[i1:i2])
            continue
        changed += max(i2 - i1, j2 - j1)
        if i2 > i1:
            out.append("[-" + " ".join(a[i1:i2]) + "-]")
        if j2 > j1:
            out.append("{+" + " ".join(b[j1:j2]) + "+}")
    return WordDiff(False, " ".join(out), changed)


def answer_diffs(comparison: Comparison) -> list[WordDiff | None]:
    """Each target's latest answer against the first target's (None for the first itself and for
    targets that sent nothing)."""
    latest = comparison.latest()
    first = latest[0].answer if latest else ""
    return [
        None if i == 0 or r.state == "not sent" else word_diff(first, r.answer) for i, r in enumerate(latest)
    ]


def answers_agree(comparison: Comparison) -> bool:
    sent = [r.answer.split() for r in comparison.latest() if r.state == "done"]
    return bool(sent) and all(words == sent[0] for words in sent)


# ---------------------------------------------------------------------------- payloads and responses


def _system_place(fmt: Format, body: dict[str, Any]) -> str:
    if read_param(fmt, body, Param.SYSTEM) is None:
        return "none"
    if fmt is Format.OPENAI_CHAT:
        roles = [m.get("role") for m in body.get("messages", []) if isinstance(m, dict)]
        role = next(r for r in roles if r in ("system", "developer"))
        return f"messages[{roles.index(role)}] (role {role})"
    if fmt is Format.OPENAI_RESPONSES:
        return "instructions"
    if fmt is Format.ANTHROPIC:
        return "system"
    return "system_instruction" if "system_instruction" in body else "systemInstruction"


def _max_tokens_name(fmt: Format, body: dict[str, Any]) -> str:
    spot = FIELDS[fmt][Param.MAX_TOKENS]
    for path in (spot.path, *spot.aliases) if spot else ():
        value = _at(body, path)
        if value is not None:
            return f"{'.'.join(path)} = {value}"
    return "none"


def _tool_count(tools: Any) -> int:
    """Tools declared: one per entry, or per function declaration in Gemini's grouped entries."""
    if not isinstance(tools, list):
        return 0
    count = 0
    for tool in tools:
        declarations = tool.get("functionDeclarations") if isinstance(tool, dict) else None
        count += len(declarations) if isinstance(declarations, list) else 1
    return count


def payload_facts(run: TargetRun) -> dict[str, str]:
    """The facts a payload diff compares, in the words a user looks for."""
    body = run.sent_body
    if body is None:
        return {}
    fmt = run.target.format
    tool_count = _tool_count(body.get("tools"))
    return {
        "format": fmt.value,
        "route": run.target.route.url_path(run.target.model, stream=True),
        "model": "body.model" if "model" in body else "URL path",
        "system prompt": _system_place(fmt, body),
        "max tokens": _max_tokens_name(fmt, body),
        "tools": f"{tool_count} in tools" if tool_count else "none",
        "stream": "body.stream = true" if body.get("stream") else "streaming path (:streamGenerateContent)",
        "fields": ", ".join(sorted(body)),
        "dropped / changed": "; ".join(run.payload.warnings) or "nothing (no conversion warnings)",
    }


@dataclass(frozen=True, slots=True)
class FieldDiff:
    #: The fact's name ("system prompt", "max tokens", ...).
    name: str
    #: One value per target, in target order; None for a target that was not sent.
    values: list[str | None]

    @property
    def differs(self) -> bool:
        """Whether the targets that were sent disagree."""
        return len({v for v in self.values if v is not None}) > 1


def _diff(facts: list[dict[str, str] | None]) -> list[FieldDiff]:
    names = list(dict.fromkeys(name for f in facts if f for name in f))
    return [FieldDiff(name, [f.get(name, "-") if f else None for f in facts]) for name in names]


def payload_diff(comparison: Comparison) -> list[FieldDiff]:
    """The payloads that went out, fact by fact (targets in order)."""
    return _diff([payload_facts(r) or None for r in comparison.latest()])


def response_facts(run: TargetRun) -> dict[str, str]:
    usage = run.usage
    name, path = STOP_FIELDS[run.target.format]
    raw = _at(run.final_body, path) if run.final_body is not None else None
    return {
        "stop reason (as sent)": f"{name}: {raw}" if raw is not None else "-",
        "stop reason (normalised)": run.stop_reason.value if run.stop_reason is not None else "-",
        "input tokens": str(usage.input_tokens) if usage else "-",
        "output tokens": str(usage.output_tokens) if usage else "-",
        "cache read tokens": str(usage.cache_read_tokens) if usage else "-",
        "cache write tokens": str(usage.cache_write_tokens) if usage else "-",
        "reasoning tokens": str(usage.reasoning_tokens) if usage else "-",
        "answer words": str(len(run.answer.split())),
    }


def response_diff(comparison: Comparison) -> list[FieldDiff]:
    """The normalised responses, field by field: usage and stop reasons."""
    return _diff([None if r.state == "not sent" else response_facts(r) for r in comparison.latest()])


# ---------------------------------------------------------------------------- timing strips


def gaps(run: TargetRun) -> list[float]:
    """Seconds between consecutive text chunks (the first: from sending to the first chunk)."""
    times = run.chunk_times
    return [b - a for a, b in zip([0.0, *times][:-1], times, strict=True)]


def stalls(run: TargetRun, threshold: float = STALL_SECONDS) -> list[int]:
    """Indexes of the gaps after the first chunk that lasted `threshold` seconds or more."""
    return [i for i, gap in enumerate(gaps(run)) if i > 0 and gap >= threshold]
