"""Everything about the wire formats, once: routes, adapters, the neutral form, SSE, errors.

Must not do I/O and must not import Textual or httpx (a test enforces it).
"""

from __future__ import annotations

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
