"""Every write is atomic: a crash in the middle (os.replace failing, or the writing process killed)
leaves the old file whole and readable, and no temporary file behind."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipellm_tui.protocols.formats import Format, RouteKind
from pipellm_tui.store.config import Config, config_path, load_config, save_config
from pipellm_tui.store.profiles import keys_path, store_key
from pipellm_tui.store.saved_requests import SavedRequest, SavedRequests


@contextlib.contextmanager
def failing_replace() -> Iterator[None]:
    """os.replace (the rename that makes a write visible) raises, as a crash there would stop it."""

    def crash(*args: object) -> None:
        raise OSError("simulated crash during rename")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "replace", crash)
        yield


def test_a_failed_config_write_leaves_the_old_config() -> None:
    save_config(Config(theme="old"))
    with failing_replace(), pytest.raises(OSError, match="simulated"):
        save_config(Config(theme="new"))
    assert load_config().config.theme == "old"
    assert [p.name for p in config_path().parent.iterdir()] == ["config.toml"]


def test_a_failed_saved_request_write_leaves_the_old_one() -> None:
    store = SavedRequests()
    store.save(SavedRequest("r", Format.ANTHROPIC, RouteKind.NATIVE, "claude-x", {"max_tokens": 1}))
    with failing_replace(), pytest.raises(OSError, match="simulated"):
        store.save(SavedRequest("r", Format.GEMINI, RouteKind.NATIVE, "gemini-x", {"contents": []}))
    assert store.open("r").model == "claude-x"
    assert [p.name for p in store.folder.iterdir()] == ["r.toml"]


def test_a_failed_key_write_leaves_the_old_key_file() -> None:
    store_key("a", "pipe-first")
    before = keys_path().read_bytes()
    with failing_replace(), pytest.raises(OSError):
        store_key("a", "pipe-second")
    assert keys_path().read_bytes() == before


_WRITER = """
import sys
from pipellm_tui.store.config import Config, save_config
big = {f"binding-{i}": "ctrl+" + "x" * 2000 for i in range(400)}  # ~1 MB: a write takes a while
n = 0
print("ready", flush=True)
while True:
    n += 1
    save_config(Config(theme=f"theme-{n}", keys=big))
"""


def test_killing_the_writer_mid_write_leaves_a_whole_file() -> None:
    save_config(Config(theme="before"))
    child = subprocess.Popen([sys.executable, "-c", _WRITER], stdout=subprocess.PIPE, env=os.environ.copy())
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == b"ready"
        time.sleep(0.5)  # let it be in the middle of some write; no timing is asserted
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    loaded = load_config()
    assert loaded.problem is None, loaded.problem
    theme = loaded.config.theme
    assert theme == "before" or (theme.startswith("theme-") and len(loaded.config.keys) == 400)
    # a killed writer may leave its temporary file (never the real one) behind: it is hidden
    leftovers = [p.name for p in config_path().parent.iterdir() if p.name != "config.toml"]
    assert all(name.startswith(".config.toml.") and name.endswith(".tmp") for name in leftovers)


def test_a_corrupt_saved_request_is_reported_and_kept_when_saved_over(tmp_path: Path) -> None:
    store = SavedRequests(tmp_path / "requests")
    store.folder.mkdir()
    (store.folder / "bad.toml").write_text('format = "anthropic"\nmodel = \n')
    [info] = store.list()
    assert info.name == "bad" and info.problem is not None and info.problem.line == 2
    with pytest.raises(ValueError, match="bad.toml, line 2"):
        store.open("bad")
    kept = store.save(SavedRequest("bad", Format.OPENAI_CHAT, RouteKind.NATIVE, "gpt-4o", {"messages": []}))
    assert kept is not None and kept.backup is not None
    assert kept.backup.read_text() == 'format = "anthropic"\nmodel = \n'
    assert store.open("bad").model == "gpt-4o"
