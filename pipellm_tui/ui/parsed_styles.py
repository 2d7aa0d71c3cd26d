"""The app's style sheets as parsed, kept between runs, as Python keeps a module's bytecode.

Textual parses every style sheet it meets (app.tcss, the theme's, each widget class's DEFAULT_CSS)
in every run: ~35 sheets, ~20-30 ms of a start-up that should take twice the bare Textual app's
(bench/startup.py). The rules parsed depend only on the sheet's text, where it came from, and the
theme's variables, which are substituted as it is parsed; so a run keeps what it parsed in the user's
cache folder, and the next run with the same Textual, Python and variables loads each sheet's rules
(pickled, ~0.1 ms a sheet) instead of parsing it. Anything else (another Textual, another theme, a
file that cannot be read) parses as Textual always does; the file is only ever a shortcut. It is the
user's own (mode 0600, in their cache folder), like Python's bytecode in __pycache__: whoever can
write there can already run code as the user. It holds style rules only, never a request or a key.

`textual_compat.py` routes Textual's `Stylesheet._parse_rules` through `parsed`; the app saves what
was new once its start-up is over and when it exits (`save`). Must not import httpx2.
"""

from __future__ import annotations

import functools
import pickle
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import textual

#: Bumped when what is stored changes shape.
FORMAT = 1


def cache_file() -> Path:
    from ..store.paths import cache_dir

    return cache_dir() / _file_name()


@functools.cache
def _file_name() -> str:
    """Named after what the kept rules depend on besides the sheets and variables: Python, and the
    Textual that parsed them and unpickles them, known by its parser's and styles' files (their
    size and time: a new release or a reinstall is a new name). Not `textual.__version__`: that
    reads the package's metadata, ~20 ms the first time and ~3 ms every time."""
    import zlib

    package = Path(textual.__file__).parent
    stamp = 0
    for name in ("__init__.py", "css/parse.py", "css/styles.py", "css/model.py", "css/stylesheet.py"):
        stat = (package / name).stat()
        stamp = zlib.crc32(f"{name}:{stat.st_size}:{stat.st_mtime_ns}".encode(), stamp)
    python = "{}{}".format(*sys.version_info[:2])
    return f"parsed-styles-{FORMAT}-py{python}-textual-{stamp:08x}.pickle"


class ParsedStyles:
    """The parsed rules of each style sheet (by Textual's own cache key), for one set of
    variables: the kept ones, loaded on first use, and those parsed in this run. A file written
    keeps only the sheets this run used: one that changed (a new release of a widget's style)
    leaves its old rules behind, not in the file forever."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._variables: dict[str, str] | None = None
        self._kept: dict[tuple[Any, ...], bytes] = {}
        self._new: dict[tuple[Any, ...], list[Any]] = {}
        self._used: set[tuple[Any, ...]] = set()
        self._loaded = False

    def parsed(
        self, variables: dict[str, str], key: tuple[Any, ...], parse: Callable[[], list[Any]]
    ) -> list[Any]:
        """The rules for `key`: kept ones when the variables are the kept ones, else `parse()`."""
        if not self._loaded:
            self._load()
        if variables == self._variables:
            blob = self._kept.get(key)
            if blob is not None:
                try:
                    rules: list[Any] = pickle.loads(blob)
                    self._used.add(key)
                    return rules
                except Exception:  # noqa: BLE001 - a damaged entry is parsed again
                    del self._kept[key]
        else:  # another theme: what is kept is for the one used last
            self._variables = dict(variables)
            self._kept = {}
            self._new = {}
        rules = parse()
        if not any(rule.errors for rule in rules):  # an invalid sheet is Textual's to report each time
            self._new[key] = rules  # pickled when saved, off the start-up's path
        return rules

    def save(self) -> None:
        """Write the file if this run parsed anything new; a failure costs only the shortcut."""
        if not self._new:
            return
        from ..store.atomic import write_atomic

        new, self._new = self._new, {}
        self._kept = {key: blob for key, blob in self._kept.items() if key in self._used}
        for key, rules in new.items():
            self._used.add(key)
            try:
                self._kept[key] = pickle.dumps(rules, pickle.HIGHEST_PROTOCOL)
            except Exception:  # noqa: BLE001, S110 - a sheet that will not pickle is parsed each run
                pass
        try:
            data = pickle.dumps({"variables": self._variables, "kept": self._kept}, pickle.HIGHEST_PROTOCOL)
            write_atomic(self.path, data, mode=0o600)
        except Exception:  # noqa: BLE001, S110 - a full disk, a read-only home: parse next time
            pass

    def _load(self) -> None:
        self._loaded = True
        try:
            data = pickle.loads(self.path.read_bytes())
            variables, kept = data["variables"], data["kept"]
        except Exception:  # noqa: BLE001 - missing, damaged or foreign: parse as Textual does
            return
        if isinstance(variables, dict) and isinstance(kept, dict):
            self._variables, self._kept = variables, kept


_store: ParsedStyles | None = None


def store() -> ParsedStyles:
    """The store of this process, for the cache folder as it is now (a test gives each app one)."""
    global _store
    path = cache_file()
    if _store is None or _store.path != path:
        _store = ParsedStyles(path)
    return _store
