"""How streamed usage reports add up (`merge_usage`)."""

from __future__ import annotations

from ... import ir


def merge_usage(old: ir.Usage | None, new: ir.Usage) -> ir.Usage:
    """Streamed usage reports are cumulative, so the latest wins; a count it leaves at 0 keeps what an
    earlier report said (Anthropic's message_delta knows only the output tokens)."""
    if old is None:
        return new
    return ir.Usage(
        new.input_tokens or old.input_tokens,
        new.output_tokens or old.output_tokens,
        new.cache_read_tokens or old.cache_read_tokens,
        new.cache_write_tokens or old.cache_write_tokens,
        new.reasoning_tokens or old.reasoning_tokens,
    )
