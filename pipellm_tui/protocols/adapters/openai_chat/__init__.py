"""The OpenAI Chat Completions adapter (`POST /v1/chat/completions`): its six entry points.

The mapping lives in its sibling modules: `request` (messages and parts),
`settings` (tools, generation settings, extras), `assistant` (assistant
messages, shared by requests and responses), `response` (choices, finish reasons, usage),
`stream_decoder` and `stream_encoder` (chunks); `wire` holds what they
share. Must not import pydantic; no I/O.
"""

from __future__ import annotations

from ...formats import Format
from ..base import Adapter
from .request import request_from_ir, request_to_ir
from .response import response_from_ir, response_to_ir
from .stream_decoder import OpenAIChatStreamDecoder
from .stream_encoder import OpenAIChatStreamEncoder

ADAPTER = Adapter(
    format=Format.OPENAI_CHAT,
    request_to_ir=request_to_ir,
    request_from_ir=request_from_ir,
    response_to_ir=response_to_ir,
    response_from_ir=response_from_ir,
    stream_decoder=OpenAIChatStreamDecoder,
    stream_encoder=OpenAIChatStreamEncoder,
)

__all__ = ["ADAPTER", "OpenAIChatStreamDecoder", "OpenAIChatStreamEncoder"]
