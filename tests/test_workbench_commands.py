"""`pipellm-tui history`, `pipellm-tui requests`, `send --saved` and `--profile`, through `main`
against the sandbox: what they print, what they keep, and one-line errors with exit code 2."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pipellm_tui.cli import main
from pipellm_tui.store.config import Config, save_config
from pipellm_tui.store.history import History, HistoryEntry, new_group_id
from pipellm_tui.store.profiles import Profile
from pipellm_tui.store.saved_requests import SavedRequests


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_save_send_saved_and_history(
    sandbox: Any, capsys: pytest.CaptureFixture[str], monkeypatch: Any
) -> None:
    monkeypatch.setenv("PIPELLM_API_KEY", sandbox.api_key)
    url = sandbox.base_url
    assert (
        run(
            capsys,
            "requests",
            "save",
            "hello",
            "--format",
            "anthropic",
            "--model",
            "claude-sonnet-4-5-20250929",
        )[0]
        == 0
    )
    code, out, err = run(capsys, "requests")
    assert code == 0 and out == "hello  anthropic/native  claude-sonnet-4-5-20250929\n"
    code, answer, err = run(capsys, "send", "--saved", "hello", "--base-url", url)
    assert code == 0 and answer.strip(), err
    code, _, _ = run(capsys, "send", "--saved", "hello", "--base-url", url, "--model", "gemini-2.5-flash")
    assert code == 1  # the command line's model wins: a Gemini model on the native Anthropic route
    code, out, _ = run(capsys, "history", "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(r["model"], r["status"], r["format"]) for r in rows] == [
        ("gemini-2.5-flash", 400, "anthropic"), ("claude-sonnet-4-5-20250929", 200, "anthropic"),
    ]  # fmt: skip
    assert rows[1]["answer_preview"] == answer.strip()[:200]
    assert rows[1]["profile"] == "command-line"
    code, out, err = run(capsys, "history", "--grep", "gemini")
    assert code == 0 and len(out.splitlines()) == 1 and " 400 " in out and "1 shown of 2" in err
    code, out, _ = run(capsys, "history", "--show", str(rows[1]["id"]))
    full = json.loads(out)
    assert full["answer"] == answer.strip() and full["request_headers"]["x-api-key"].startswith("pipe-••••")
    assert run(capsys, "history", "--limit", "1")[1].count("\n") == 1


def test_profile_option_on_every_command(sandbox: Any, capsys: pytest.CaptureFixture[str]) -> None:
    save_config(Config().with_profile(Profile(name="local", base_url=sandbox.base_url, key_env="LOCAL_KEY")))
    monkey = pytest.MonkeyPatch()
    monkey.setenv("LOCAL_KEY", sandbox.api_key)
    try:
        code, out, err = run(capsys, "models", "--profile", "local")
        assert code == 0 and "gpt-4o" in out and sandbox.base_url in err
        code, out, err = run(
            capsys, "--profile", "local", "send", "--format", "openai-chat", "--model", "gpt-4o"
        )
        assert code == 0 and out.strip()
        code, out, _ = run(capsys, "history", "--profile", "local", "--json")
        assert [json.loads(line)["profile"] for line in out.splitlines()] == ["local"]
        assert run(capsys, "history", "--profile", "other")[1] == ""
        code, _, err = run(capsys, "send", "--profile", "nope", "--format", "gemini", "--model", "m")
        assert code == 2 and err.startswith("error: No profile named 'nope'")
        assert (
            run(capsys, "requests", "save", "x", "--profile", "local", "--format", "gemini", "--model", "m")[
                0
            ]
            == 0
        )
        assert run(capsys, "requests", "list", "--profile", "local")[1].startswith("x  gemini/native")
        assert run(capsys, "requests", "list", "--profile", "pipellm")[1] == ""
        code, out, _ = run(capsys, "requests", "export", "x", "--profile", "local")
        assert code == 0 and f"{sandbox.base_url}/v1beta/models/m:streamGenerateContent" in out
        assert "${LOCAL_KEY}" in out and sandbox.api_key not in out
    finally:
        monkey.undo()


def test_requests_import_export_rename_delete(capsys: pytest.CaptureFixture[str], monkeypatch: Any) -> None:
    command = (
        "curl https://api.openai.com/v1/chat/completions -H 'Authorization: Bearer sk-LITERAL-123' "
        """-d '{"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]}'"""
    )
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(command))
    code, _, err = run(capsys, "requests", "import", "pasted")
    assert code == 0 and "the key in the command was not kept" in err
    saved = SavedRequests().open("pasted")
    assert (saved.format.value, saved.model, saved.body) == (
        "openai-chat",
        "gpt-4o",
        {"messages": [{"role": "user", "content": "hi"}]},
    )
    assert "sk-LITERAL" not in (SavedRequests().folder / "pasted.toml").read_text()
    code, out, _ = run(capsys, "requests", "export", "pasted", "--as", "python")
    assert "from openai import OpenAI" in out and "os.environ['PIPELLM_API_KEY']" in out
    code, out, _ = run(capsys, "requests", "export", "pasted", "--as", "markdown")
    assert out == "# Conversation · OpenAI Chat Completions · gpt-4o\n\n## User\n\nhi\n"
    code, out, _ = run(capsys, "requests", "export", "pasted", "--as", "json")
    assert json.loads(out)["messages"] == [{"role": "user", "parts": [{"type": "text", "text": "hi"}]}]
    assert run(capsys, "requests", "rename", "pasted", "kept")[0] == 0
    assert run(capsys, "requests", "show", "kept")[1].startswith('format = "openai-chat"')
    assert run(capsys, "requests", "delete", "kept")[0] == 0
    assert run(capsys, "requests")[1] == ""


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["send", "--saved", "nope"], "No saved request named 'nope'"),
        (["send", "--model", "gpt-4o"], "--format and --model are required"),
        (["requests", "show", "../etc/passwd"], "path separator"),
        (["requests", "delete", "ghost"], "No saved request named 'ghost'"),
        (["history", "--show", "999"], "No history entry 999"),
        (["requests", "import", "x", "/no/such/file"], "cannot read /no/such/file"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, *argv)
    assert code == 2 and err.startswith("error: ") and message in err and err.count("\n") == 1


def test_history_groups_from_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    history = History()
    group = new_group_id()
    for model in ("gpt-4o", "claude-x"):
        history.record(
            HistoryEntry("openai-chat", "native", model, "http://h", {}, {}, status=200, group_id=group)
        )
    history.record(HistoryEntry("gemini", "native", "g", "http://h", {}, {}, status=200))
    history.close()
    _, out, _ = run(capsys, "history", "--group", group, "--json")
    assert [json.loads(line)["model"] for line in out.splitlines()] == ["claude-x", "gpt-4o"]


def test_history_can_be_switched_off(sandbox: Any, capsys: pytest.CaptureFixture[str]) -> None:
    save_config(Config.model_validate({"history": {"enabled": False}}))
    code, _, _ = run(capsys, "--sandbox", "send", "--format", "gemini", "--model", "gemini-2.5-flash")
    assert code == 0
    assert run(capsys, "history", "--json")[1] == ""
