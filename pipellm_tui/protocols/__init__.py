"""Everything about the wire formats, once: routes, adapters, the neutral form, SSE, errors.

The public names below load on first use (PEP 562): importing one small module of this package
(`protocols.formats`, say, on the playground's first-paint path) must not pull in the converter and
the IR (~15 ms). Must not do I/O and must not import Textual or httpx (a test enforces it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .lazy_exports import lazy_exports

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


__getattr__ = lazy_exports(__name__, globals(), _HOME)

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
