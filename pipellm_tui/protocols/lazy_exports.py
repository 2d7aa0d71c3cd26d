"""A package's public names, imported from their home modules on first use (PEP 562).

Why: the playground's first paint imports a few small modules of `protocols/` and `client/`; their
packages' `__init__` must not pull in the converter, the IR or httpx2 with them. Lives in the bottom
layer so that both packages can use it. Standard library only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any


def lazy_exports(package: str, namespace: dict[str, Any], homes: Mapping[str, str]) -> Callable[[str], Any]:
    """The module-level `__getattr__` for `package`: `homes` maps each public name to the submodule
    that defines it; the value is imported once and cached in the package's `namespace`."""

    def __getattr__(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(f"{package}.{home}"), name)
        namespace[name] = value
        return value

    return __getattr__
