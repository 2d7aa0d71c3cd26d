"""kept_code.py: the methods `@dataclass` writes are compiled once and kept between runs. A class
built from kept code is the class `dataclasses` builds; a damaged or foreign file only costs the
shortcut; the app's second start compiles none of them."""

from __future__ import annotations

import dataclasses
import inspect
import os
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from pipellm_tui.kept_code import KeptCode

#: Every kind of method dataclasses writes: defaults and factories, frozen (its __setattr__),
#: order, slots, keyword-only, unsafe_hash, a field left out of eq and repr, a class with a docstring.
CLASSES = '''
from __future__ import annotations
from dataclasses import dataclass, field

@dataclass
class Plain:
    name: str
    count: int = 0
    tags: list[str] = field(default_factory=list)

@dataclass(frozen=True, order=True)
class Frozen:
    x: int
    y: int = 2

@dataclass(slots=True, kw_only=True)
class Slotted:
    a: str
    b: float = 1.5

@dataclass(unsafe_hash=True, repr=False)
class Hashed:
    """Hashed by value."""
    key: str
    note: str = field(default="", compare=False)
'''


def build(store: KeptCode | None, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The classes, defined with `store` routing the dataclasses module's compiles (None: not)."""
    with monkeypatch.context() as patch:
        if store is not None:
            patch.setattr(dataclasses, "exec", store.exec, raising=False)
        module = types.ModuleType("kept_code_example")  # dataclasses reads its module's names
        patch.setitem(sys.modules, module.__name__, module)
        exec(compile(CLASSES, "<classes>", "exec"), module.__dict__)  # noqa: S102 - our own text
        return module.__dict__


def behaviour(ns: dict[str, Any]) -> list[Any]:
    """What each class does, as data to compare."""
    plain, frozen, slotted, hashed = ns["Plain"], ns["Frozen"], ns["Slotted"], ns["Hashed"]
    seen: list[Any] = []
    for cls in (plain, frozen, slotted, hashed):
        seen += [cls.__doc__, str(inspect.signature(cls)), getattr(cls, "__slots__", None)]
        seen += [getattr(cls, "__match_args__", None), cls.__init__.__annotations__]
    p = plain("a")
    seen += [repr(p), p == plain("a", 0, []), p == plain("b"), p.tags is not plain("a").tags]
    f = frozen(1)
    seen += [repr(f), f < frozen(2), hash(f) == hash(frozen(1)), sorted([frozen(3), f]) == [f, frozen(3)]]
    try:
        f.x = 5  # type: ignore[misc]
    except dataclasses.FrozenInstanceError as exc:
        seen.append(f"frozen: {exc}")
    s = slotted(a="z")
    seen += [repr(s), s == slotted(a="z", b=1.5)]
    try:
        slotted("z")  # keyword-only
    except TypeError as exc:
        seen.append(str(exc))
    h = hashed("k", "one")
    seen += [h == hashed("k", "two"), hash(h) == hash(hashed("k")), "Hashed object" in repr(h)]
    return seen


def test_a_class_built_from_kept_code_is_the_class_dataclasses_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = behaviour(build(None, monkeypatch))
    first = KeptCode(tmp_path / "kept.marshal")
    assert behaviour(build(first, monkeypatch)) == expected
    assert first.compiled >= 10  # each class's methods, compiled in this run
    first.save()
    assert (tmp_path / "kept.marshal").stat().st_mode & 0o777 == 0o600

    second = KeptCode(tmp_path / "kept.marshal")
    assert behaviour(build(second, monkeypatch)) == expected
    assert second.compiled == 0  # every text's code came from the file


@pytest.mark.parametrize("damage", ["truncated", "flipped", "other python", "not a dict", "entries", "empty"])
def test_a_damaged_or_foreign_file_is_compiled_as_always(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    import marshal
    import zlib

    path = tmp_path / "kept.marshal"
    first = KeptCode(path)
    build(first, monkeypatch)
    first.save()
    data = path.read_bytes()
    if damage == "truncated":
        data = data[: len(data) // 2]
    elif damage == "flipped":
        middle = len(data) // 2
        data = data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :]
    elif damage == "other python":
        data = b"\x00\x00\r\n" + data[4:]
    elif damage in ("not a dict", "entries"):  # a valid header and checksum over something else
        entries = marshal.loads(data[12:])
        payload = marshal.dumps(["a list"] if damage == "not a dict" else dict.fromkeys(entries, b"junk"))
        data = data[:8] + zlib.crc32(payload).to_bytes(4, "little") + payload
    else:
        data = b""
    path.write_bytes(data)

    expected = behaviour(build(None, monkeypatch))
    again = KeptCode(path)
    assert behaviour(build(again, monkeypatch)) == expected
    assert again.compiled == first.compiled  # nothing taken from the file


def test_a_cache_folder_that_cannot_be_written_costs_only_the_shortcut(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder would be")
    store = KeptCode(blocked / "kept.marshal")
    build(store, monkeypatch)
    store.save()  # no exception
    assert not (blocked / "kept.marshal").exists()


RUN = """
import dataclasses, sys
from pipellm_tui import cli, kept_code
try:
    cli.main(["--help"])  # the command line installs it first thing
except SystemExit:
    pass
assert "exec" in vars(dataclasses)
import pipellm_tui.ui.app, pipellm_tui.ui.panes  # what the start-up defines
kept_code.save()
print(kept_code._store.compiled)
"""


def test_the_second_start_compiles_no_dataclass(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    runs = [
        subprocess.run([sys.executable, "-c", RUN], env=env, capture_output=True, text=True, check=True)
        for _ in range(2)
    ]
    first, second = (int(run.stdout.split()[-1]) for run in runs)
    assert first > 100  # ours, Textual's and Rich's classes
    assert second == 0
    kept = list((tmp_path / "pipellm-tui").glob("dataclass-code-*.marshal"))
    assert len(kept) == 1 and kept[0].stat().st_mode & 0o777 == 0o600
