"""Small modules, a hard rule (STYLE.md, issue 9): every Python file of the package, the tests and the
benchmarks stays under 400 lines. A file that grows past it is split by what it does, not cut
anywhere to pass.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: The folders the rule covers.
FOLDERS = ("pipellm_tui", "tests", "bench")
MAX_LINES = 400


def too_long(root: Path = ROOT, folders: tuple[str, ...] = FOLDERS) -> list[str]:
    """'path: N lines' for every .py file under `folders` of N >= MAX_LINES lines."""
    found = []
    for folder in folders:
        for path in sorted((root / folder).rglob("*.py")):
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines >= MAX_LINES:
                found.append(f"{path.relative_to(root).as_posix()}: {lines} lines")
    return found


def test_every_module_is_under_400_lines() -> None:
    assert too_long() == []


def test_the_check_reads_every_folder_and_catches_a_long_file(tmp_path: Path) -> None:
    assert all(any((ROOT / folder).rglob("*.py")) for folder in FOLDERS)  # not vacuous
    (tmp_path / "pipellm_tui" / "ui").mkdir(parents=True)
    (tmp_path / "tests").mkdir()
    (tmp_path / "bench").mkdir()
    (tmp_path / "pipellm_tui" / "ui" / "long.py").write_text("x = 1\n" * MAX_LINES)
    (tmp_path / "pipellm_tui" / "ui" / "fits.py").write_text("x = 1\n" * (MAX_LINES - 1))
    (tmp_path / "bench" / "long.py").write_text("x = 1\n" * (MAX_LINES + 5))
    assert too_long(tmp_path) == ["pipellm_tui/ui/long.py: 400 lines", "bench/long.py: 405 lines"]
