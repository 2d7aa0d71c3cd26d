"""Stream decoders and encoders never raise: what they cannot read is counted and reported as a warning.

A stream comes from the network (or from another format's decoder): one event that is not JSON, has
a type nobody knows, or a value of the wrong type must not end the whole stream, and must not pass
unnoticed either. Each decoder calls `not_understood` where it skips an event; the count and a few
examples live in one warning, kept up to date in place:

    "3 stream events not understood and skipped: event brand_new (unknown type); data not JSON"

`guard_decoder` / `guard_encoder` wrap a class's `feed`/`encode`/`close` as the last line of defence:
an exception that still gets out becomes a warning (for a decoder, one more event not understood)
and the call returns no events. No I/O; standard library only.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from ...problems import unexpected

C = TypeVar("C", bound=type)

#: Kinds named in the summary warning; the count goes on past them.
_EXAMPLES = 3


class NotUnderstood(str):
    """The summary warning: a str (callers show and compare warnings as text) that keeps its count."""

    skipped: int
    examples: tuple[str, ...]

    @classmethod
    def of(cls, count: int, examples: tuple[str, ...]) -> NotUnderstood:
        plural = "event" if count == 1 else "events"
        more = "; …" if count > len(examples) else ""
        text = cls(f"{count} stream {plural} not understood and skipped: {'; '.join(examples)}{more}")
        text.skipped = count
        text.examples = examples
        return text


def not_understood(warnings: list[str], what: str) -> None:
    """Count one skipped event in the summary warning (added on the first), `what` as an example."""
    for index, warning in enumerate(warnings):
        if type(warning) is NotUnderstood:
            examples = warning.examples
            if what not in examples and len(examples) < _EXAMPLES:
                examples = (*examples, what)
            warnings[index] = NotUnderstood.of(warning.skipped + 1, examples)
            return
    warnings.append(NotUnderstood.of(1, (what,)))


def _report(self: Any, exc: Exception, what: str, skipped_event: bool) -> None:
    if skipped_event:
        not_understood(self.warnings, f"an event that broke the decoder ({type(exc).__name__})")
    if not any(warning.startswith(what) for warning in self.warnings):  # once: a bad stream may repeat it
        self.warnings.append(unexpected(what, exc))


def _guard_feed(
    method: Callable[[Any, Any], list[Any]], what: str, decoding: bool
) -> Callable[[Any, Any], list[Any]]:
    # A fixed signature (no *args): this wrapper runs once per stream event, on the hot path.
    @functools.wraps(method)
    def run(self: Any, event: Any) -> list[Any]:
        try:
            return method(self, event)
        except Exception as exc:  # noqa: BLE001 - decoders and encoders report, they do not raise
            _report(self, exc, what, decoding)
            return []

    return run


def _guard_close(method: Callable[[Any], list[Any]], what: str) -> Callable[[Any], list[Any]]:
    @functools.wraps(method)
    def run(self: Any) -> list[Any]:
        try:
            return method(self)
        except Exception as exc:  # noqa: BLE001 - decoders and encoders report, they do not raise
            _report(self, exc, what, False)
            return []

    return run


def guard_decoder(cls: C) -> C:
    cls.feed = _guard_feed(cls.feed, "stream decoder feed", decoding=True)  # type: ignore[attr-defined]
    cls.close = _guard_close(cls.close, "stream decoder close")  # type: ignore[attr-defined]
    return cls


def guard_encoder(cls: C) -> C:
    cls.encode = _guard_feed(cls.encode, "stream encoder encode", decoding=False)  # type: ignore[attr-defined]
    cls.close = _guard_close(cls.close, "stream encoder close")  # type: ignore[attr-defined]
    return cls
