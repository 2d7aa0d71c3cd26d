"""`pipellm-tui compare` as a user runs it, against the sandbox: the text report, --json, exit codes."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from pipellm_tui.cli import build_parser, main
from pipellm_tui.compare_command import run_compare
from pipellm_tui.protocols.formats import Format
from pipellm_tui.protocols.templates import starter_request

CLAUDE = "claude-sonnet-4-5-20250929"


def _compare(sandbox: Any, *argv: str, stdin: str = "") -> tuple[int, str, str]:
    args = build_parser().parse_args(["compare", *argv])
    args.base_url = sandbox.base_url
    out, err = io.StringIO(), io.StringIO()
    code = run_compare(args, out, err, io.StringIO(stdin))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(autouse=True)
def _key(sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIPELLM_API_KEY", sandbox.api_key)


def test_text_report_of_one_model_on_every_route(sandbox: Any, tmp_path: Path) -> None:
    path = tmp_path / "request.json"
    path.write_text(json.dumps(starter_request(Format.ANTHROPIC)))
    code, out, err = _compare(sandbox, "--format", "anthropic", "--model", CLAUDE, str(path))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split()[:2] == ["target", "status"]
    assert f"{CLAUDE} · anthropic native" in lines[1] and " 200 " in lines[1]
    assert "not sent" in out and "not available yet" in out  # the Responses converter, shown
    assert "--- answers: identical on every target" in out
    assert out.count("identical to the first answer") == 3
    assert "≠ system prompt" in out and "messages[0] (role system)" in out
    assert "generationConfig.maxOutputTokens = 256" in out
    assert "= stop reason (normalised): end_turn" in out
    assert "$" in lines[1]  # priced from the sandbox's catalog


def test_json_output_has_one_object_per_run(sandbox: Any) -> None:
    request = json.dumps(starter_request(Format.OPENAI_CHAT))
    code, out, err = _compare(
        sandbox, "--model", "gpt-4o-mini", "--model", CLAUDE, "--repeat", "2", "--json", "-", stdin=request
    )
    assert code == 0, err
    runs = [json.loads(line) for line in out.splitlines()]
    assert len(runs) == 4 and len({r["group_id"] for r in runs}) == 1
    assert [(r["target"]["model"], r["target"]["route"], r["round"]) for r in runs] == [
        ("gpt-4o-mini", "native", 0), (CLAUDE, "converter", 0), ("gpt-4o-mini", "native", 1), (CLAUDE, "converter", 1),
    ]  # fmt: skip
    for run in runs:
        assert run["status"] == 200 and run["state"] == "done" and run["answer"]
        assert run["ttft"] > 0 and run["usage"]["output_tokens"] > 0 and run["stop_reason"] == "end_turn"
        assert isinstance(run["warnings"], list)
    assert sandbox.api_key not in out
    # The whole comparison is one group in history: a row per run, findable by the group id.
    from pipellm_tui.store.history import History

    history = History()
    try:
        group = history.list(group_id=runs[0]["group_id"])
        assert len(group) == 4 and {entry.model for entry in group} == {"gpt-4o-mini", CLAUDE}
    finally:
        history.close()


def test_a_failing_target_exits_1_and_bad_input_exits_2(sandbox: Any, closed_port: int) -> None:
    faulty = starter_request(Format.OPENAI_CHAT)
    faulty["messages"][-1]["content"] += " [[fault:402]]"
    code, out, err = _compare(
        sandbox, "--model", "gpt-4o-mini", "--routes", "native", "-", stdin=json.dumps(faulty)
    )
    assert code == 1
    assert "402 failed" in out and "error: gpt-4o-mini · openai-chat native" in err
    code, _, err = _compare(sandbox, "--model", "gpt-4o-mini", "-", stdin="{not json")
    assert code == 2 and "not valid JSON" in err
    code, _, err = _compare(sandbox, *[a for m in "abcde" for a in ("--model", m)])
    assert code == 2 and "At most 4 models" in err


def test_a_bug_is_one_line_and_exit_code_1_never_a_traceback(sandbox: Any) -> None:
    args = build_parser().parse_args(["compare", "--model", CLAUDE])
    args.base_url, args.repeat = sandbox.base_url, "2"  # not what the parser gives: our bug, not the user's
    err = io.StringIO()
    assert run_compare(args, io.StringIO(), err, io.StringIO()) == 1
    assert "unexpected TypeError" in err.getvalue() and "bug in pipellm-tui" in err.getvalue()


def test_the_command_line_knows_compare(sandbox: Any, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["--base-url", sandbox.base_url, "compare", "--model", "gpt-4o-mini", "--routes", "converter"]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "gpt-4o-mini · anthropic converter" in out and "gpt-4o-mini · openai-chat native" not in out
