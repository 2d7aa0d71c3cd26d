"""The Gemini generateContent adapter: its `ADAPTER`, built from the modules beside it.

Every format's folder has the same file names: `request.py`, `response.py`, `content.py`, `settings.py`,
`stream_decoder.py`, `stream_encoder.py` and `wire.py` where the format has them; what all formats
share is in `adapters/shared/`. No I/O; standard library only.
"""

from __future__ import annotations

from ...formats import Format
from ..base import Adapter
from .request import request_from_ir, request_to_ir
from .response import response_from_ir, response_to_ir
from .stream_decoder import GeminiStreamDecoder
from .stream_encoder import GeminiStreamEncoder

ADAPTER = Adapter(
    format=Format.GEMINI,
    request_to_ir=request_to_ir,
    request_from_ir=request_from_ir,
    response_to_ir=response_to_ir,
    response_from_ir=response_from_ir,
    stream_decoder=GeminiStreamDecoder,
    stream_encoder=GeminiStreamEncoder,
)

__all__ = ["ADAPTER"]
