"""OpenAI Responses (`POST /v1/responses`): the adapter between its wire JSON and the neutral form.

The six entry points live in small modules, one direction each (conversion.md §A.2, §B.2, §C):
requests `openai_responses_request_in` / `_request_out`, responses `openai_responses_response`,
streams `openai_responses_decoder` / `_encoder`; the pieces they share (status and usage tables,
argument strings, ids, the Response envelope) in `openai_responses_wire`.
No pydantic (conversion is a hot path), no I/O; imports only `protocols/`.
"""

from __future__ import annotations

from .base import Adapter
from .openai_responses_decoder import ResponsesStreamDecoder
from .openai_responses_encoder import ResponsesStreamEncoder
from .openai_responses_request_in import request_to_ir
from .openai_responses_request_out import request_from_ir
from .openai_responses_response import response_from_ir, response_to_ir
from .openai_responses_wire import FORMAT

ADAPTER = Adapter(
    format=FORMAT,
    request_to_ir=request_to_ir,
    request_from_ir=request_from_ir,
    response_to_ir=response_to_ir,
    response_from_ir=response_from_ir,
    stream_decoder=ResponsesStreamDecoder,
    stream_encoder=ResponsesStreamEncoder,
)

__all__ = ["ADAPTER", "request_from_ir", "request_to_ir"]
