"""OpenAI Responses (`POST /v1/responses`): the adapter between its wire JSON and the neutral form.

The six entry points live in small modules, one direction each (conversion.md §A.2, §B.2, §C):
requests `request_in` / `request_out`, responses `response`,
streams `stream_decoder` / `stream_encoder`; the pieces they share (status and usage tables,
argument strings, ids, the Response envelope) in `wire`.
No pydantic (conversion is a hot path), no I/O; imports only `protocols/`.
"""

from __future__ import annotations

from ..base import Adapter
from .request_in import request_to_ir
from .request_out import request_from_ir
from .response import response_from_ir, response_to_ir
from .stream_decoder import OpenAIResponsesStreamDecoder
from .stream_encoder import OpenAIResponsesStreamEncoder
from .wire import FORMAT

ADAPTER = Adapter(
    format=FORMAT,
    request_to_ir=request_to_ir,
    request_from_ir=request_from_ir,
    response_to_ir=response_to_ir,
    response_from_ir=response_from_ir,
    stream_decoder=OpenAIResponsesStreamDecoder,
    stream_encoder=OpenAIResponsesStreamEncoder,
)

__all__ = ["ADAPTER", "request_from_ir", "request_to_ir"]
