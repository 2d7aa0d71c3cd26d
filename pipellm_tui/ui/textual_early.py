"""Part of the gate to Textual's internals (see textual_compat.py, fix 12): what has to change before
Textual defines its widget classes, so the command line installs it before `textual.app` loads.

Every DOMNode subclass (each widget, screen and container class: ~90 before the panes are up, ~50 of
them Textual's own) runs `DOMNode.__init_subclass__`, which scans every base class again: their
attributes for reactives, `dir(cls)` for `compute_` methods, and each base's BINDINGS, parsed anew
into a map per base. ~0.3-0.6 ms a class, ~25 ms of a start. `init_subclass` computes the same from
what it kept of each base when that base was defined (its own reactives, compute names and parsed
bindings), so a class costs a merge. The merged bindings get lists of their own, as Textual's fresh
maps gave them (a `bind` on one class's map must not reach another's). tests/ui/test_textual_compat.py
recomputes every class with Textual's own code and compares. Must not import httpx2, nor anything
that defines a widget class.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode
from textual.reactive import Reactive

#: Textual's own, for the test that compares.
TEXTUAL_INIT_SUBCLASS = DOMNode.__dict__["__init_subclass__"]
_TEXTUAL_MERGE = DOMNode.__dict__["_merge_bindings"].__func__

_reactives: WeakKeyDictionary[type, dict[str, Reactive[Any]]] = WeakKeyDictionary()
_computes: WeakKeyDictionary[type, frozenset[str]] = WeakKeyDictionary()
_bindings: WeakKeyDictionary[type, dict[str, list[Binding]]] = WeakKeyDictionary()


def _own(base: type) -> tuple[dict[str, Reactive[Any]], frozenset[str]]:
    """A class's own reactives and compute names (from its own attributes only), kept."""
    reactives = _reactives.get(base)
    if reactives is None:
        names = vars(base)
        reactives = _reactives[base] = {n: v for n, v in names.items() if isinstance(v, Reactive)}
        _computes[base] = frozenset(
            n.lstrip("_")[8:] for n in names if n.startswith(("_compute_", "compute_"))
        )
    return reactives, _computes[base]


def _own_bindings(base: type[DOMNode]) -> dict[str, list[Binding]]:
    found = _bindings.get(base)
    if found is None:
        found = _bindings[base] = BindingsMap(base.__dict__.get("BINDINGS", [])).key_to_bindings
    return found


def _merged_bindings(cls: type[DOMNode]) -> BindingsMap:
    """`DOMNode._merge_bindings`, from each base's kept map."""
    keys: dict[str, list[Binding]] = {}
    for base in reversed(cls.__mro__):
        if issubclass(base, DOMNode):
            if not base._inherit_bindings:
                keys.clear()
            keys.update(_own_bindings(base))
    return BindingsMap.from_keys({key: list(bindings) for key, bindings in keys.items()})


@classmethod  # type: ignore[misc]
def init_subclass(
    cls: type[DOMNode],
    inherit_css: bool = True,
    inherit_bindings: bool = True,
    inherit_component_classes: bool = True,
) -> None:
    """`DOMNode.__init_subclass__` as Textual 8.2.8 has it, from what each base kept."""
    super(DOMNode, cls).__init_subclass__()
    reactives: dict[str, Reactive[Any]] = {}
    computes: set[str] = set()
    for base in reversed(cls.__mro__):
        own_reactives, own_computes = _own(base)
        reactives.update(own_reactives)
        computes |= own_computes
    cls._reactives = reactives
    cls._inherit_css = inherit_css
    cls._inherit_bindings = inherit_bindings
    cls._inherit_component_classes = inherit_component_classes
    bases = cls._css_bases(cls)
    cls._css_type_name = bases[0].__name__
    textuals = getattr(cls._merge_bindings, "__func__", None) is _TEXTUAL_MERGE  # not overridden
    cls._merged_bindings = _merged_bindings(cls) if textuals else cls._merge_bindings()
    cls._css_type_names = frozenset(base.__name__ for base in bases)
    cls._computes = frozenset(computes)


def install() -> None:
    """Before Textual's widget modules load (idempotent)."""
    DOMNode.__init_subclass__ = init_subclass  # type: ignore[assignment, method-assign]
