"""The OpenAI Chat Completions adapter (`POST /v1/chat/completions`): its six entry points.

The mapping lives in its sibling modules: `openai_chat_request` (messages and parts),
`openai_chat_settings` (tools, generation settings, extras), `openai_chat_assistant` (assistant
messages, shared by requests and responses), `openai_chat_response` (choices, finish reasons, usage),
`openai_chat_stream` and `openai_chat_stream_encoder` (chunks); `openai_chat_wire` holds what they
share. Must not import pydantic; no I/O.
"""

from __future__ import annotations

from ..formats import Format
from .base import Adapter
from .openai_chat_request import request_from_ir, request_to_ir
from .openai_chat_response import response_from_ir, response_to_ir
from .openai_chat_stream import OpenAIChatStreamDecoder
from .openai_chat_stream_encoder import OpenAIChatStreamEncoder

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
