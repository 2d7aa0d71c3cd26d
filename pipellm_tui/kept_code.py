"""The methods `@dataclass` writes for each class, compiled once and kept between runs, as Python
keeps a module's bytecode in __pycache__.

`dataclasses` writes a class's `__init__`, `__repr__`, `__eq__` (and `__hash__`, a frozen class's
`__setattr__`) as source text and compiles it, with `exec`, in every run: ~430 texts before the
panes are up (ours, Textual's, Rich's), ~35 ms of the start-up, most of what a dataclass costs. So
`install` gives the `dataclasses` module an `exec` of its own (a module global, found before the
builtin) that looks the text up among the code objects an earlier run compiled and runs that code
instead of compiling again. Only the compile is skipped: the text, the globals and what is done with
the result stay the `dataclasses` module's, so a class is built exactly as it would be (test).

The file lives in the user's cache folder (mode 0600), named after the bytecode's magic number (a
code object is only ever run by the Python that compiled it) and checked by a CRC before `marshal`
reads it; missing, damaged or foreign, it costs only the shortcut. Like __pycache__, whoever can
write there can already run code as the user. It holds compiled dataclass methods only, never a
request or a key. The app saves it once its start-up is over and when it exits (`save`).
"""

from __future__ import annotations

import marshal
import sys
import zlib
from importlib.util import MAGIC_NUMBER
from pathlib import Path
from types import CodeType
from typing import Any

#: Bumped when what is stored changes shape.
FORMAT = 1
_HEADER = MAGIC_NUMBER + FORMAT.to_bytes(4, "little")


def cache_file() -> Path:
    from .store.paths import cache_dir

    return (
        cache_dir() / f"dataclass-code-{FORMAT}-{sys.implementation.cache_tag}-{MAGIC_NUMBER.hex()}.marshal"
    )


class KeptCode:
    """The code compiled for each text: the kept ones (read on first use) and this run's. A file
    written holds only the texts this run used, so classes that left (an upgrade) leave with them."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._kept: dict[str, bytes] | None = None  # each text's code, marshalled
        self._used: dict[str, CodeType] = {}
        #: Texts compiled in this run (none, once an earlier run kept them all).
        self.compiled = 0
        self._unsaved = False

    def exec(self, source: Any, globals: Any = None, locals: Any = None, /) -> None:
        """The builtin `exec`, with a text's code taken from the kept ones when there is one."""
        if globals is None:  # as the builtin: the caller's namespace (dataclasses always names one)
            caller = sys._getframe(1)
            globals, locals = caller.f_globals, caller.f_locals if locals is None else locals
        if type(source) is str:
            source = self._used.get(source) or self._code(source)
        exec(source, globals, locals)  # noqa: S102 - the dataclasses module's own text

    def _code(self, text: str) -> CodeType:
        if self._kept is None:
            self._kept = self._load()
        code = _code_from(self._kept.get(text))
        if code is None:
            # As the builtin compiles it there: the dataclasses module has no __future__ import.
            code = compile(text, "<string>", "exec", dont_inherit=True)
            self.compiled += 1
            self._unsaved = True
        self._used[text] = code
        return code

    def save(self) -> None:
        """Write the file if this run compiled anything; a failure costs only the shortcut."""
        if not self._unsaved:
            return
        self._unsaved = False
        from .store.atomic import write_atomic

        try:
            payload = marshal.dumps({text: marshal.dumps(code) for text, code in self._used.items()})
            checksum = zlib.crc32(payload).to_bytes(4, "little")
            write_atomic(self.path, _HEADER + checksum + payload, mode=0o600)
        except Exception:  # noqa: BLE001, S110 - a full disk, a read-only home: compile next time
            pass

    def _load(self) -> dict[str, bytes]:
        try:
            data = self.path.read_bytes()
        except OSError:
            return {}
        header, checksum, payload = data[:8], data[8:12], data[12:]
        if header != _HEADER or checksum != zlib.crc32(payload).to_bytes(4, "little"):
            return {}  # another Python's, or damaged: never handed to marshal
        try:
            kept = marshal.loads(payload)
        except Exception:  # noqa: BLE001 - foreign after all: compile as always
            return {}
        if not isinstance(kept, dict):
            return {}
        return {t: c for t, c in kept.items() if isinstance(t, str) and isinstance(c, bytes)}


def _code_from(marshalled: bytes | None) -> CodeType | None:
    """A kept text's code, read when first used: the file also holds what later screens define,
    and reading everything at once would cost ~4 ms of the start-up."""
    if marshalled is None:
        return None
    try:
        code = marshal.loads(marshalled)
    except Exception:  # noqa: BLE001 - a damaged entry is compiled again
        return None
    return code if isinstance(code, CodeType) else None


_store: KeptCode | None = None


def install() -> None:
    """Route the dataclasses module's compiles through the kept code (once a process). Called
    first thing by the command line, before Textual and our modules define their classes."""
    global _store
    import dataclasses

    if _store is not None or "exec" in vars(dataclasses):
        return
    _store = KeptCode(cache_file())
    dataclasses.exec = _store.exec  # type: ignore[attr-defined]


def save() -> None:
    """Keep what this run compiled (nothing to do when nothing was, or when not installed)."""
    if _store is not None:
        _store.save()
