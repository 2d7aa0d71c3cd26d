"""Everything about the wire formats, once: routes, adapters, the neutral form, SSE, errors.

The public names below load on first use (PEP 562): importing one small module of this package
(`protocols.formats`, say, on the playground's first-paint path) must not pull in the converter and
the IR (~15 ms). Must not do I/O and must not import Textual or httpx (a test enforces it).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .convert import (
        Converted,
        ConvertedStream,
        StreamConverter,
        convert_request,
        convert_response,
        convert_sse,
    )
    from .formats import Family, Format, RouteKind
    from .problems import ProtocolError
    from .routes import ROUTES, Route, route_for

_HOME = {
    "Converted": "convert",
    "ConvertedStream": "convert",
    "StreamConverter": "convert",
    "convert_request": "convert",
    "convert_response": "convert",
    "convert_sse": "convert",
    "Family": "formats",
    "Format": "formats",
    "RouteKind": "formats",
    "ProtocolError": "problems",
    "ROUTES": "routes",
    "Route": "routes",
    "route_for": "routes",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


__all__ = [
    "ROUTES",
    "Converted",
    "ConvertedStream",
    "Family",
    "Format",
    "ProtocolError",
    "Route",
    "RouteKind",
    "StreamConverter",
    "convert_request",
    "convert_response",
    "convert_sse",
    "route_for",
]
