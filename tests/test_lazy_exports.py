"""The packages that export lazily (PEP 562: `protocols/`, `client/`) name each public name three
times: the `if TYPE_CHECKING:` import (for type checkers), `_HOME` (where `__getattr__` finds it)
and `__all__`. Read from each `__init__.py`'s AST, the three must agree, and each name must load.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "pipellm_tui"
PACKAGES = ("protocols", "client")


def declared(source: str) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """(name -> module of the TYPE_CHECKING imports, `_HOME`, `__all__`) of an `__init__.py`."""
    typed: dict[str, str] = {}
    homes: dict[str, str] = {}
    exported: list[str] = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for item in node.body:
                if isinstance(item, ast.ImportFrom) and item.level == 1 and item.module:
                    typed.update((alias.asname or alias.name, item.module) for alias in item.names)
        elif isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            if node.targets[0].id == "_HOME":
                homes = _evaluated_homes(node.value)
            elif node.targets[0].id == "__all__":
                exported = ast.literal_eval(node.value)
    return typed, homes, exported


def _evaluated_homes(value: ast.expr) -> dict[str, str]:
    """`_HOME`'s value: a dict literal, `**dict.fromkeys((...), "module")` entries included."""
    result = eval(
        compile(ast.Expression(value), "_HOME", "eval"), {"__builtins__": {}, "dict": dict}
    )  # our own literals
    assert isinstance(result, dict)
    return result


@pytest.mark.parametrize("package", PACKAGES)
def test_the_three_lists_of_public_names_agree(package: str) -> None:
    typed, homes, exported = declared((ROOT / package / "__init__.py").read_text(encoding="utf-8"))
    assert homes, f"no _HOME in {package}/__init__.py"
    assert typed == homes
    assert sorted(exported) == sorted(homes) and len(exported) == len(set(exported))


@pytest.mark.parametrize("package", PACKAGES)
def test_every_public_name_loads_from_its_home(package: str) -> None:
    module = importlib.import_module(f"pipellm_tui.{package}")
    _, homes, _ = declared((ROOT / package / "__init__.py").read_text(encoding="utf-8"))
    for name, home in homes.items():
        assert getattr(module, name) is getattr(
            importlib.import_module(f"pipellm_tui.{package}.{home}"), name
        )


def test_a_name_missing_from_one_list_is_seen() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from .events import Delta, Done\n"
        '_HOME = {**dict.fromkeys(("Delta", "Done"), "events"), "Plan": "plan"}\n'
        '__all__ = ["Delta", "Plan"]\n'
    )
    typed, homes, exported = declared(source)
    assert typed == {"Delta": "events", "Done": "events"}
    assert homes == {"Delta": "events", "Done": "events", "Plan": "plan"}
    assert typed != homes and sorted(exported) != sorted(homes)
