"""The key is written nowhere unless the user stores it on purpose: a whole headless session
(sends, history, a saved request, exports, a curl import of a command holding the literal key) runs
as real `pipellm-tui` processes under a temporary HOME and XDG folders, then every file there, the
SQLite database and its WAL included, is searched for the key's bytes."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

SECRET = "pipe-SECRET-abc"


@pytest.fixture
def secret_sandbox() -> Iterator[Any]:
    from pipellm_tui.sandbox.config import SandboxConfig
    from pipellm_tui.sandbox.server import start_in_thread

    running = start_in_thread(SandboxConfig(api_key=SECRET, rpm=1_000_000))
    yield running
    running.stop()


def files_holding(root: Path, needle: bytes) -> list[str]:
    return sorted(
        str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and needle in p.read_bytes()
    )


def test_a_headless_session_writes_the_key_nowhere(
    tmp_path: Path, secret_sandbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    dirs = {"HOME": home, "XDG_CONFIG_HOME": home / ".config", "XDG_DATA_HOME": home / ".local/share",
            "XDG_CACHE_HOME": home / ".cache", "XDG_STATE_HOME": home / ".local/state", "TMPDIR": home / "tmp"}  # fmt: skip
    for folder in dirs.values():
        folder.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.endswith("API_KEY")}
    env |= {k: str(v) for k, v in dirs.items()} | {"PIPELLM_API_KEY": SECRET, "GW_KEY": SECRET}
    url = secret_sandbox.base_url
    (dirs["XDG_CONFIG_HOME"] / "pipellm-tui").mkdir()
    (dirs["XDG_CONFIG_HOME"] / "pipellm-tui" / "config.toml").write_text(
        f'[profiles.gw]\nkind = "gateway"\nbase_url = "{url}"\nkey_env = "GW_KEY"\n'
    )
    outputs: list[str] = []

    def run(*args: str, stdin: str = "", ok: bool = True) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "pipellm_tui.cli", *args], input=stdin, env=env, cwd=home,
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        outputs.append(done.stdout + done.stderr)
        assert (done.returncode == 0) == ok, done.stderr
        return done.stdout

    run("--base-url", url, "send", "--format", "anthropic", "--model", "claude-sonnet-4-5-20250929")
    history_file = dirs["XDG_DATA_HOME"] / "pipellm-tui" / "history.sqlite3"
    keep_wal_open = sqlite3.connect(history_file)  # later writes stay in the WAL while it is open
    keep_wal_open.execute("SELECT COUNT(*) FROM exchanges").fetchone()
    try:
        run(
            "--base-url",
            url,
            "send",
            "--format",
            "openai-chat",
            "--model",
            "gpt-4o",
            "--stream",
            "--show",
            "raw",
        )
        run("--profile", "gw", "send", "--format", "gemini", "--model", "gemini-2.5-flash", "--stream")
        run("send", "--base-url", url, "--api-key-env", "NOT_THE_KEY", "--format", "anthropic",
            "--model", "claude-sonnet-4-5-20250929", ok=False)  # fmt: skip
        run("requests", "save", "mine", "--format", "openai-chat", "--route", "converter",
            "--model", "claude-sonnet-4-5-20250929")  # fmt: skip
        run("send", "--saved", "mine", "--base-url", url)
        (home / "request.curl").write_text(
            run("requests", "export", "mine", "--as", "curl", "--profile", "gw")
        )
        (home / "request.py").write_text(run("requests", "export", "mine", "--as", "python"))
        pasted = (
            f"curl '{url}/v1/messages' -H 'x-api-key: {SECRET}' -H 'content-type: application/json' "
            """--data-raw '{"model":"claude-sonnet-4-5-20250929","max_tokens":20,"messages":[{"role":"user","content":"hi"}]}'"""
        )
        run("requests", "import", "pasted", stdin=pasted)
        run("send", "--saved", "pasted", "--base-url", url)
        listing = run("history", "--json", "--limit", "50")
        run("history", "--show", "1")
        run("requests")
        assert len(listing.splitlines()) == 6  # five sends answered, one refused (401): all recorded
        assert (dirs["XDG_DATA_HOME"] / "pipellm-tui" / "history.sqlite3-wal").stat().st_size > 0
        written = [p for p in home.rglob("*") if p.is_file()]
        assert {"history.sqlite3", "history.sqlite3-wal", "mine.toml", "pasted.toml", "request.py"} <= {
            p.name for p in written
        }
        assert files_holding(home, SECRET.encode()) == []
        assert files_holding(home, SECRET.encode("utf-16-le")) == []
        assert not [out for out in outputs if SECRET in out]
        # the search can fail: a planted copy is found
        (home / "planted").write_bytes(b"\x00" + SECRET.encode() + b"\x00")
        assert files_holding(home, SECRET.encode()) == ["planted"]
    finally:
        keep_wal_open.close()

    # Stored on purpose: then it is in keys.toml (mode 0600) and nowhere else.
    from pipellm_tui.store.profiles import keys_path, store_key

    monkeypatch.setenv("XDG_CONFIG_HOME", str(dirs["XDG_CONFIG_HOME"]))
    store_key("gw", SECRET)
    assert keys_path().is_relative_to(home)
    assert stat.S_IMODE(keys_path().stat().st_mode) == 0o600
    assert files_holding(home, SECRET.encode()) == [".config/pipellm-tui/keys.toml", "planted"]


async def test_a_tui_session_writes_the_key_nowhere(
    tmp_path: Path, secret_sandbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same in the TUI, with the key in $PIPELLM_API_KEY: a send, the history pane (open an
    entry, send it again), a saved request opened again, every export copied and saved to a file,
    a curl command holding the literal key imported and sent, a theme remembered in config.toml."""
    import argparse
    import asyncio

    from textual.widgets import TextArea

    from pipellm_tui.playground.endpoint import endpoint_from_args
    from pipellm_tui.playground.session import Session
    from pipellm_tui.ui.app import AppOptions, PlaygroundApp
    from pipellm_tui.ui.copy_screen import CopyScreen
    from pipellm_tui.ui.history_screen import HistoryScreen

    home = tmp_path / "home"
    for name, folder in {"HOME": home, "XDG_CONFIG_HOME": home / ".config", "XDG_DATA_HOME": home / ".local/share",
                         "XDG_CACHE_HOME": home / ".cache", "XDG_STATE_HOME": home / ".local/state"}.items():  # fmt: skip
        folder.mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(name, str(folder))
    monkeypatch.setenv("PIPELLM_API_KEY", SECRET)
    url = secret_sandbox.base_url
    endpoint = endpoint_from_args(argparse.Namespace(base_url=url))
    assert endpoint is not None and endpoint.api_key == SECRET
    app = PlaygroundApp(Session(endpoint=endpoint), AppOptions(cursor_blink=False))

    async def until(done: Any) -> None:
        for _ in range(400):
            if done():
                return
            await pilot.pause(0.05)
        raise AssertionError("timed out")

    async def settle() -> None:
        await app.workers.wait_for_complete()
        await pilot.pause(0.1)
        await until(lambda: not app.playground.sending)
        await app.workers.wait_for_complete()

    async with app.run_test(size=(140, 44)) as pilot:
        await settle()
        screen = app.playground
        await pilot.press("ctrl+j")
        await settle()
        assert app.session.exchange is not None and app.session.exchange.status == 200
        await pilot.press("f10")
        pane = app.screen
        assert isinstance(pane, HistoryScreen)
        await until(lambda: pane.shown >= 1)
        await pilot.press("ctrl+j")  # send it again
        await settle()
        await pilot.press("ctrl+s", *"kept", "enter")
        await pilot.press("ctrl+b", "enter")
        for what in ("request-json", "answer", "response-json", "python", "conversation-md", "conversation-json"):
            await screen.run_action(f"export({what!r})")
            await pilot.pause()
            copied = app.screen
            assert isinstance(copied, CopyScreen)
            await asyncio.to_thread(copied.save)
            await pilot.press("escape")
        await screen.run_action("copy_curl")
        await pilot.pause()
        copied = app.screen
        assert isinstance(copied, CopyScreen)
        copied.save()
        await pilot.press("escape")
        await pilot.press("alt+i")
        app.screen.query_one(TextArea).load_text(
            f"curl '{url}/v1/messages' -H 'x-api-key: {SECRET}' -H 'content-type: application/json' "
            """--data-raw '{"model":"claude-sonnet-4-5-20250929","max_tokens":20,"messages":[{"role":"user","content":"hi"}]}'"""
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert SECRET not in screen.editor.text
        await pilot.press("ctrl+j")
        await settle()
        await pilot.press("ctrl+s", *"imported", "enter")
        await screen.run_action("use_theme('pipellm-light')")
        await pilot.pause()
    from pipellm_tui.store.history import History

    assert History().count() == 3  # the send, the send again, the imported request's
    written = {p.name for p in home.rglob("*") if p.is_file()}
    assert {"history.sqlite3", "kept.toml", "imported.toml", "config.toml"} <= written
    assert len([n for n in written if n.startswith(("request-", "conversation-", "response-", "answer-"))]) >= 6
    assert files_holding(home, SECRET.encode()) == []
    assert files_holding(home, SECRET.encode("utf-16-le")) == []
