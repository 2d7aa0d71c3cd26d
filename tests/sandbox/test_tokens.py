"""AnswerTokens makes tokens as they are read, and ends exactly where cutting the whole text would."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from hypothesis import given, settings
from hypothesis import strategies as st

from pipellm_tui.protocols import ir
from pipellm_tui.sandbox.tokens import AnswerTokens


def cut_whole_text(
    tokens: list[str], stop: list[str], max_tokens: int | None
) -> tuple[list[str], ir.StopReason, str | None]:
    """The rule stated plainly, on the whole text at once: the earliest stop sequence anywhere (the
    first listed on a tie), the straddling token kept in part; then max_tokens, which wins."""
    text = "".join(tokens)
    matches = [(text.find(s), i, s) for i, s in enumerate(stop) if s and s in text]
    reason, sequence = ir.StopReason.END_TURN, None
    if matches:
        at, _, sequence = min(matches)
        kept, used = [], 0
        for token in tokens:
            if used >= at:
                break
            kept.append(token[: at - used])
            used += len(token)
        tokens, reason = kept, ir.StopReason.STOP_SEQUENCE
    if max_tokens is not None and len(tokens) > max(max_tokens, 0):
        tokens, reason, sequence = tokens[: max(max_tokens, 0)], ir.StopReason.MAX_TOKENS, None
    return tokens, reason, sequence


letters = st.text(alphabet="ab c.", min_size=1, max_size=4)


@settings(max_examples=400, deadline=None)
@given(
    tokens=st.lists(letters, max_size=30),
    stop=st.lists(st.text(alphabet="ab c.", max_size=5), max_size=3),
    max_tokens=st.none() | st.integers(-2, 35),
    lazily=st.booleans(),
)
def test_the_answer_ends_where_cutting_the_whole_text_would(tokens, stop, max_tokens, lazily) -> None:
    answer = AnswerTokens(tokens, stop, max_tokens)
    got = list(answer) if lazily else answer.all()
    want, reason, sequence = cut_whole_text(tokens, stop, max_tokens)
    assert got == want
    assert (answer.stop_reason, answer.stop_sequence) == (reason, sequence)
    assert answer.done and answer.count == len(want)


def test_tokens_are_made_only_as_they_are_read() -> None:
    made = 0

    def words() -> Iterator[str]:  # an endless answer: only laziness lets anything end
        nonlocal made
        for n in itertools.count():
            made += 1
            yield f" w{n}"

    answer = AnswerTokens(words(), stop=["w7 "])
    reader = iter(answer)
    assert next(reader) == " w0" and made <= 3  # held back: at most the stop sequence's length
    assert list(reader)[-2:] == [" w6", " "]  # " w7" straddles the cut: its space stays
    assert answer.stop_reason is ir.StopReason.STOP_SEQUENCE
    assert made <= 10

    answer = AnswerTokens(words(), max_tokens=5)
    before = made
    assert len(answer.all()) == 5 and answer.stop_reason is ir.StopReason.MAX_TOKENS
    assert made - before == 6  # the sixth says the answer goes on: MAX_TOKENS, not END_TURN


def test_a_reader_that_stops_early_leaves_the_rest_unmade() -> None:
    made: list[int] = []
    answer = AnswerTokens(made.append(n) or f" t{n}" for n in range(1_000_000))
    reader = iter(answer)
    for _ in range(10):
        next(reader)
    reader.close()  # type: ignore[attr-defined]
    assert len(made) == 10 and answer.count == 10 and not answer.done
