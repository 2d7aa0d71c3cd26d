"""The layers of DESIGN.md, checked on the source: each module's imports, read from its AST.

- protocols/ imports only the standard library, pydantic and itself;
- client/ and protocols/ never import Textual (or Rich, which is Textual's);
- only client/, sandbox/ and the command line (cli, headless) import httpx2/httpx; the UI never does;
- nothing below the UI imports the UI;
- no import circle among our modules as they load (TYPE_CHECKING and in-function imports aside).
A failure names the module and the import.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path

PACKAGE = "pipellm_tui"
ROOT = Path(__file__).resolve().parent.parent / PACKAGE

#: Third-party distributions protocols/ may use (pydantic_core is pydantic's own engine).
PROTOCOLS_THIRD_PARTY = {"pydantic", "pydantic_core"}
HTTP_LIBRARIES = {"httpx2", "httpx"}
UI_LIBRARIES = {"textual", "rich"}
#: Where HTTP may be spoken: the client, the sandbox server, and the command line that drives them.
HTTP_ALLOWED = ("pipellm_tui.client", "pipellm_tui.sandbox", "pipellm_tui.cli", "pipellm_tui.headless")
UI_ALLOWED = ("pipellm_tui.ui", "pipellm_tui.cli", "pipellm_tui.__main__")


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def imports_of(path: Path, root: Path = ROOT) -> tuple[tuple[int, str], ...]:
    """(line, absolute module name) for every import, relative ones resolved, TYPE_CHECKING ones too."""
    return tuple(_imports(path, root))


def _imports(path: Path, root: Path) -> list[tuple[int, str]]:
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.append((node.lineno, alias.name))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
                if node.module is None:  # `from . import x`: x may be a submodule
                    found.extend((node.lineno, f"{target}.{alias.name}") for alias in node.names)
                    continue
                found.append((node.lineno, target))
            elif node.module:
                found.append((node.lineno, node.module))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, (ast.Name, ast.Attribute))
            and (node.func.id if isinstance(node.func, ast.Name) else node.func.attr) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append((node.lineno, node.args[0].value))  # literal dynamic imports count too
    return sorted(found)


def modules(root: Path) -> list[Path]:
    found = sorted(root.rglob("*.py"))
    assert found, f"no modules under {root}"
    return sorted(found)


def within(name: str, prefixes: tuple[str, ...] | str) -> bool:
    prefixes = (prefixes,) if isinstance(prefixes, str) else prefixes
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def top(name: str) -> str:
    return name.partition(".")[0]


Check = Callable[[str, str], bool]


def violations(rule: str, check: Check, root: Path = ROOT) -> list[str]:
    out = []
    for path in modules(root):
        name = module_name(path, root)
        for line, imported in imports_of(path, root):
            if check(name, imported):
                out.append(f"{rule}: {name} (line {line}) imports {imported}")
    return out


def protocols_rule(name: str, imported: str) -> bool:
    if not within(name, "pipellm_tui.protocols") or within(imported, "pipellm_tui.protocols"):
        return False
    if top(imported) == PACKAGE:
        return True  # another layer of ours: protocols is the bottom one
    return top(imported) not in sys.stdlib_module_names and top(imported) not in PROTOCOLS_THIRD_PARTY


#: The Textual-free layers: everything but the UI and the command line that starts it.
TEXTUAL_FREE = (
    "pipellm_tui.client",
    "pipellm_tui.protocols",
    "pipellm_tui.playground",
    "pipellm_tui.store",
    "pipellm_tui.export",
    "pipellm_tui.sandbox",
    "pipellm_tui.headless",
    "pipellm_tui.compare_command",
    "pipellm_tui.command_guard",
)


def textual_rule(name: str, imported: str) -> bool:
    return within(name, TEXTUAL_FREE) and top(imported) in UI_LIBRARIES


def http_rule(name: str, imported: str) -> bool:
    return top(imported) in HTTP_LIBRARIES and not within(name, HTTP_ALLOWED)


def ui_rule(name: str, imported: str) -> bool:
    return within(imported, "pipellm_tui.ui") and not within(name, UI_ALLOWED)


def export_rule(name: str, imported: str) -> bool:
    if not within(name, "pipellm_tui.export") or within(
        imported, ("pipellm_tui.export", "pipellm_tui.protocols")
    ):
        return False
    if top(imported) == PACKAGE:
        return True  # client, ui, sandbox, store: export sits just above protocols
    return top(imported) not in sys.stdlib_module_names and top(imported) != "pyperclip"


def test_export_imports_only_stdlib_protocols_and_pyperclip() -> None:
    assert violations("export/ must stay stdlib + protocols + pyperclip", export_rule) == []


def test_protocols_import_only_stdlib_pydantic_and_itself() -> None:
    assert violations("protocols/ must stay stdlib + pydantic", protocols_rule) == []


def test_nothing_below_the_ui_imports_textual() -> None:
    assert violations("no Textual below the UI", textual_rule) == []


def test_only_client_sandbox_and_cli_speak_http() -> None:
    assert violations("httpx2 outside client/sandbox/cli", http_rule) == []


def test_nothing_below_the_ui_imports_it() -> None:
    assert violations("the UI is the top layer", ui_rule) == []


def test_the_checker_sees_what_it_must() -> None:
    """The rules above pass vacuously if imports are not found; prove they are, on known modules."""
    seen = {imported for _, imported in imports_of(ROOT / "protocols" / "convert.py")}
    assert {"pipellm_tui.protocols.ir", "pipellm_tui.protocols.adapters"} <= seen
    assert "json" in {imported for _, imported in imports_of(ROOT / "protocols" / "jsontext.py")}
    events = {imported for _, imported in imports_of(ROOT / "client" / "events.py")}
    assert "pipellm_tui.protocols.errors" in events
    assert any(top(i) in HTTP_LIBRARIES for p in (ROOT / "client").rglob("*.py") for _, i in imports_of(p))
    assert "os" in sys.stdlib_module_names and "pydantic" not in sys.stdlib_module_names


def test_each_rule_catches_a_planted_offender(tmp_path: Path) -> None:
    root = tmp_path / PACKAGE
    for package in ("", "protocols", "protocols/adapters", "client", "store", "ui", "export"):
        (root / package).mkdir(parents=True, exist_ok=True)
        (root / package / "__init__.py").write_text("")
    (root / "protocols" / "adapters" / "bad.py").write_text(
        "import json\nimport httpx2\nfrom ...client import plan\nfrom .. import ir\nimport requests\n"
    )
    (root / "client" / "bad.py").write_text(
        "from textual.app import App\nfrom ..ui import app\nimport httpx2\n"
    )
    (root / "store" / "bad.py").write_text("from httpx import Client\nimport textual\n")
    (root / "ui" / "bad.py").write_text("import httpx2\nfrom textual.app import App\n")
    (root / "export" / "bad.py").write_text(
        "import shlex\nimport pyperclip\nfrom ..protocols import ir\nfrom ..client import plan\nimport rich\n"
    )
    assert violations("p", protocols_rule, root) == [
        "p: pipellm_tui.protocols.adapters.bad (line 2) imports httpx2",
        "p: pipellm_tui.protocols.adapters.bad (line 3) imports pipellm_tui.client",
        "p: pipellm_tui.protocols.adapters.bad (line 5) imports requests",
    ]
    assert violations("t", textual_rule, root) == [
        "t: pipellm_tui.client.bad (line 1) imports textual.app",
        "t: pipellm_tui.export.bad (line 5) imports rich",
        "t: pipellm_tui.store.bad (line 2) imports textual",
    ]
    assert violations("h", http_rule, root) == [
        "h: pipellm_tui.protocols.adapters.bad (line 2) imports httpx2",
        "h: pipellm_tui.store.bad (line 1) imports httpx",
        "h: pipellm_tui.ui.bad (line 1) imports httpx2",
    ]
    assert violations("u", ui_rule, root) == ["u: pipellm_tui.client.bad (line 2) imports pipellm_tui.ui"]
    assert violations("e", export_rule, root) == [
        "e: pipellm_tui.export.bad (line 4) imports pipellm_tui.client",
        "e: pipellm_tui.export.bad (line 5) imports rich",
    ]


def test_the_playground_core_never_imports_the_ui(tmp_path: Path) -> None:
    """playground/ is below the UI: `ui_rule` covers it (the UI imports it, never the reverse)."""
    assert not within("pipellm_tui.playground.session", UI_ALLOWED)
    root = tmp_path / PACKAGE
    for package in ("", "playground", "ui"):
        (root / package).mkdir(parents=True, exist_ok=True)
        (root / package / "__init__.py").write_text("")
    (root / "playground" / "bad.py").write_text("from ..ui import app\nfrom ..ui.widgets import status\n")
    (root / "ui" / "good.py").write_text("from ..playground import bad\n")
    assert violations("u", ui_rule, root) == [
        "u: pipellm_tui.playground.bad (line 1) imports pipellm_tui.ui",
        "u: pipellm_tui.playground.bad (line 2) imports pipellm_tui.ui.widgets",
    ]


#: The modules that may touch Textual's internals (they say why for each): the gate, and what of it
#: has to be installed before Textual defines its widget classes.
TEXTUAL_GATE = frozenset({"pipellm_tui.ui.textual_compat", "pipellm_tui.ui.textual_early"})
#: Textual's private names our code needs; an attribute or an override of one of these anywhere
#: but the gate fails (a new need goes into the gate, with its reason).
TEXTUAL_PRIVATE_NAMES = frozenset({
    "_clear_arrangement_cache", "_close_messages_no_wait", "_compositor", "_css_bases", "_dirty_widgets",
    "_exit_renderables", "_fatal_error", "_get_screen", "_last_parsed_line", "_markdown", "_merge_bindings",
    "_merged_bindings", "_meta", "_refresh_layout", "_screen_resized", "_size_updated", "_table_of_contents",
})  # fmt: skip


def textual_internals(path: Path, root: Path = ROOT) -> list[str]:
    """Where a module imports `textual._*` or touches a listed private name (attribute or method)."""
    name = module_name(path, root)
    found = [
        (line, f"imports {imported}")
        for line, imported in imports_of(path, root)
        if top(imported) == "textual" and imported.partition(".")[2].startswith("_")
    ]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in TEXTUAL_PRIVATE_NAMES:
            found.append((node.lineno, f"touches .{node.attr}"))
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if (
                    isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))
                    and item.name in TEXTUAL_PRIVATE_NAMES
                ):
                    found.append((item.lineno, f"overrides {item.name}"))
    return [f"{name} (line {line}) {what}" for line, what in sorted(found)]


def internals_outside_the_gate(root: Path = ROOT) -> list[str]:
    return [
        hit
        for path in modules(root)
        if module_name(path, root) not in TEXTUAL_GATE
        for hit in textual_internals(path, root)
    ]


def test_only_textual_compat_touches_textual_internals() -> None:
    assert internals_outside_the_gate() == []
    # and the gate does use them: the check reads what it must
    gate = textual_internals(ROOT / "ui" / "textual_compat.py")
    assert any("imports textual._compositor" in hit for hit in gate)
    assert any("overrides _screen_resized" in hit for hit in gate)
    assert any("touches ._get_screen" in hit for hit in gate)


def test_the_textual_gate_catches_a_planted_offender(tmp_path: Path) -> None:
    root = tmp_path / PACKAGE
    for package in ("", "ui", "ui/widgets"):
        (root / package).mkdir(parents=True, exist_ok=True)
        (root / package / "__init__.py").write_text("")
    (root / "ui" / "widgets" / "bad.py").write_text(
        "from textual._compositor import Compositor\n"
        "from textual.widget import Widget\n"
        "class View(Widget):\n"
        "    def _size_updated(self) -> bool:\n"
        "        return self.app._get_screen is None\n"
        "    def refresh_layout(self) -> None:\n"
        "        self._lock = None\n"
    )
    (root / "ui" / "textual_compat.py").write_text("import textual._compositor\nx = object()._meta\n")
    assert internals_outside_the_gate(root) == [
        "pipellm_tui.ui.widgets.bad (line 1) imports textual._compositor",
        "pipellm_tui.ui.widgets.bad (line 4) overrides _size_updated",
        "pipellm_tui.ui.widgets.bad (line 5) touches ._get_screen",
    ]


# ---------------------------------------------------------------- import circles


def _load_time_imports(body: list[ast.stmt]) -> list[ast.Import | ast.ImportFrom]:
    """The imports run as the module loads: top level and class bodies, into if/try/with blocks (not
    function bodies, which import when called, nor `if TYPE_CHECKING:`)."""
    found: list[ast.Import | ast.ImportFrom] = []
    for node in body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        elif isinstance(node, ast.If):
            found += _load_time_imports(node.orelse)
            if "TYPE_CHECKING" not in ast.unparse(node.test):
                found += _load_time_imports(node.body)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody, *(h.body for h in node.handlers)):
                found += _load_time_imports(block)
        elif isinstance(node, (ast.With, ast.ClassDef)):
            found += _load_time_imports(node.body)
    return found


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    """Module -> the modules of ours it imports when it loads (`from p import m`: m when it is one)."""
    paths = modules(root)
    names = {module_name(p, root) for p in paths}
    graph: dict[str, set[str]] = {}
    for path in paths:
        name = module_name(path, root)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        targets: set[str] = set()
        for node in _load_time_imports(tree.body):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
                continue
            parts = package.split(".")[: package.count(".") + 2 - node.level] if node.level else []
            base = ".".join([*parts, *([node.module] if node.module else [])])
            targets.add(base)
            targets.update(f"{base}.{alias.name}" for alias in node.names)
        graph[name] = {t for t in targets if t in names and t != name}
    return graph


def import_circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each group of modules importing one another in a circle (Tarjan's strongly connected components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(name: str) -> None:
        index[name] = low[name] = len(index)
        stack.append(name)
        for other in sorted(graph.get(name, ())):
            if other not in index:
                visit(other)
                low[name] = min(low[name], low[other])
            elif other in stack:
                low[name] = min(low[name], index[other])
        if low[name] == index[name]:
            group = stack[stack.index(name) :]
            del stack[stack.index(name) :]
            if len(group) > 1:
                circles.append(sorted(group))

    for name in sorted(graph):
        if name not in index:
            visit(name)
    return sorted(circles)


def test_no_import_circle_among_our_modules() -> None:
    graph = import_graph()
    assert "pipellm_tui.ui.send_actions" in graph["pipellm_tui.ui.workbench_actions"]  # it reads them
    assert import_circles(graph) == []


def test_the_circle_check_catches_a_planted_circle(tmp_path: Path) -> None:
    root = tmp_path / PACKAGE
    (root / "ui").mkdir(parents=True)
    (root / "ui" / "screen.py").write_text("from .actions import Actions\n")
    (root / "ui" / "actions.py").write_text("from . import keys\n")
    (root / "ui" / "keys.py").write_text("import pipellm_tui.ui.screen\nfrom . import late\n")
    # Not in the circle: an import only for type checking, and one inside a function.
    (root / "ui" / "typed.py").write_text(
        "import typing\nif typing.TYPE_CHECKING:\n    from .late import L\n"
    )
    (root / "ui" / "late.py").write_text("from . import typed\ndef f() -> None:\n    from .screen import S\n")
    circle = ["pipellm_tui.ui.actions", "pipellm_tui.ui.keys", "pipellm_tui.ui.screen"]
    assert import_circles(import_graph(root)) == [circle]
