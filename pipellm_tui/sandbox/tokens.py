"""An answer's tokens, made one at a time as they are read, with max_tokens and the stop sequences
applied on the way.

Why lazily: an answer may be a million tokens long (`x-sandbox-tokens`). Made eagerly, the server
would spend seconds before the first byte, with every other request waiting, and would go on
making the answer after its reader left. Made as they are read, a stream starts at once, the
server can serve other requests between two batches, and a reader that stops stops the making.

The result is the same as cutting the whole text: the text ends before the earliest stop sequence
found anywhere in it (on a tie, the one listed first), the token that straddles the cut is kept in
part, and when that leaves more than max_tokens tokens, the answer is max_tokens tokens long and
ends with MAX_TOKENS instead. To know that a stop sequence does not start at a position, the tokens
that could complete it must have been made: a token is handed out once every position up to its
end is known to start no stop sequence (at most the longest stop sequence's length is held back).

Imports protocols only; no I/O and no clock.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Sequence

from ..protocols import ir


class AnswerTokens:
    """The tokens of one answer. Read them once, lazily (`for token in answer`), or all at once
    (`all()`, kept for later reads); `count`, `stop_reason` and `stop_sequence` are final once
    `done`."""

    def __init__(
        self,
        tokens: Iterable[str],
        stop: Sequence[str] = (),
        max_tokens: int | None = None,
        finish: ir.StopReason = ir.StopReason.END_TURN,
    ) -> None:
        self._source = iter(tokens)
        # An empty sequence never matches; anything but a string is no stop sequence at all.
        self._stop = list(dict.fromkeys(s for s in stop if isinstance(s, str) and s))
        self._limit = None if max_tokens is None else max(max_tokens, 0)
        self._kept: list[str] | None = None
        self._started = False
        #: Tokens handed out so far (all of them once `done`).
        self.count = 0
        self.done = False
        self.stop_reason = finish
        self.stop_sequence: str | None = None

    def __iter__(self) -> Iterator[str]:
        if self._kept is not None:
            return iter(self._kept)
        if self._started:
            raise RuntimeError("these tokens were already read once")
        self._started = True
        return self._made()

    def keeping(self) -> Iterator[str]:
        """Read once, lazily, keeping each token as it goes: once read to the end, `all()` gives
        them again (a Responses answer is remembered whole after it was streamed)."""
        kept: list[str] = []
        for token in self:
            kept.append(token)
            yield token
        self._kept = kept

    def all(self) -> list[str]:
        """Every token, made now if they were not yet; kept, so later reads are free."""
        if self._kept is None:
            self._kept = list(iter(self))
        return self._kept

    def in_steps(self, size: int = 1024) -> Iterator[int]:
        """Make (and keep) every token, pausing every `size` tokens to say how many so far: an async
        caller makes a long answer in turns, letting others run in between (it may stop early)."""
        if self._kept is not None:
            return
        kept: list[str] = []
        for token in self:
            kept.append(token)
            if len(kept) % size == 0:
                yield len(kept)
        self._kept = kept

    def _made(self) -> Iterator[str]:
        try:
            if self._stop:
                yield from self._with_stop_sequences()
                return
            for token in self._source:
                if not self._room():
                    return
                self.count += 1
                yield token
            self.done = True
        finally:
            self._source = iter(())  # a reader that stopped early lets the rest go unmade

    def _room(self) -> bool:
        """Whether one more token fits under max_tokens; when not, the answer ends here."""
        if self._limit is not None and self.count >= self._limit:
            self.stop_reason, self.stop_sequence = ir.StopReason.MAX_TOKENS, None
            self.done = True
            return False
        return True

    def _with_stop_sequences(self) -> Iterator[str]:
        longest = max(len(s) for s in self._stop)
        pending: deque[str] = deque()
        text = ""  # the pending tokens' text: no stop sequence starts before it
        exhausted = False
        while True:
            token = next(self._source, None)
            if token is None:
                exhausted = True
            else:
                pending.append(token)
                text += token
            # Positions before `safe` have all the characters any stop sequence starting there needs.
            safe = len(text) if exhausted else len(text) - longest + 1
            at, sequence = self._earliest(text)
            if sequence is not None and at < safe:
                yield from self._cut(pending, at, sequence)
                return
            while pending and len(pending[0]) <= safe:
                if not self._room():
                    return
                head = pending.popleft()
                text = text[len(head) :]
                safe -= len(head)
                self.count += 1
                yield head
            if exhausted:
                self.done = True
                return

    def _earliest(self, text: str) -> tuple[int, str | None]:
        best, found = len(text) + 1, None
        for sequence in self._stop:
            at = text.find(sequence)
            if 0 <= at < best:
                best, found = at, sequence
        return best, found

    def _cut(self, pending: deque[str], at: int, sequence: str) -> Iterator[str]:
        """The answer ends before `at` (in the pending text): its last token may be cut short."""
        used = 0
        for token in pending:
            piece = token if used + len(token) <= at else token[: at - used]
            if not piece:
                break
            if not self._room():
                return
            self.count += 1
            yield piece
            used += len(piece)
            if used >= at:
                break
        self.stop_reason, self.stop_sequence = ir.StopReason.STOP_SEQUENCE, sequence
        self.done = True
