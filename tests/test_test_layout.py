"""The tests' own layout: no module under tests/ imports a test module (a `test_*.py` file).

A test module imported by another runs its fixtures and collects twice, and the helpers it shares
are hidden among tests; shared helpers go in a conftest.py or a support module (tests/support/,
tests/<area>/support.py, tests/client/conversation.py, ...). Read from each file's AST.
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent

#: Imports of test modules that exist today, as "importing file -> imported module". The lead removes
#: these (moving the shared helpers into tests/ui/ support modules) and then empties this set.
KNOWN: frozenset[str] = frozenset()


def _package_of(path: Path) -> list[str]:
    return ["tests", *path.relative_to(TESTS).parent.parts]


def imported_modules(path: Path, text: str | None = None) -> list[str]:
    """Every module the file at `path` imports (its text, or `text` as if it were there), relative
    imports resolved; `from . import x` gives both the package and package.x."""
    source = path.read_text(encoding="utf-8") if text is None else text
    found: list[str] = []
    for node in ast.walk(ast.parse(source, str(path))):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            package = _package_of(path)
            base = package[: len(package) - (node.level - 1)] if node.level else []
            module = [*base, *(node.module.split(".") if node.module else [])]
            found.append(".".join(module))
            found.extend(".".join([*module, alias.name]) for alias in node.names)
    return found


def find_test_module_imports() -> list[str]:
    """'importing file -> imported test module' for every import of a test module under tests/."""
    lines = []
    for path in sorted(TESTS.rglob("*.py")):
        for module in imported_modules(path):
            parts = module.split(".")
            if parts[0] == "tests" and parts[-1].startswith("test_"):
                lines.append(f"{path.relative_to(TESTS).as_posix()} -> {module}")
    return sorted(set(lines))


def test_no_test_module_imports_another_test_module() -> None:
    new = [line for line in find_test_module_imports() if line not in KNOWN]
    assert new == [], (
        "test modules imported; move the shared helpers to a conftest.py or a support module:\n"
        + ("\n".join(new))
    )


def test_the_known_list_holds_only_imports_that_still_exist() -> None:
    # So the list shrinks as the imports go, and cannot hide a new one under an old name.
    gone = sorted(KNOWN - set(find_test_module_imports()))
    assert gone == [], "no longer imported, remove from KNOWN:\n" + "\n".join(gone)


def test_the_finder_sees_relative_and_absolute_imports_of_test_modules() -> None:
    text = "from .test_cli import run\nfrom . import test_models\nimport tests.store.test_config\nfrom .hostile import x\n"
    modules = imported_modules(TESTS / "client" / "test_example.py", text)
    assert "tests.client.test_cli" in modules
    assert "tests.client.test_models" in modules
    assert "tests.store.test_config" in modules
    assert "tests.client.hostile" in modules
    assert "tests.ui.test_send" in imported_modules(
        TESTS / "ui" / "deeper" / "x.py", "from ..test_send import f\n"
    )
