"""The sandbox's deterministic answer generator: an IR request in, IR stream events out.

Owns how the simulated upstream "thinks": the seed, the words, max tokens, stop sequences, tool calls
and usage. Imports protocols only; no I/O and no clock (the server paces the events).

Rules (documented in the README; tests rely on them):
- Seed: SHA-256 of the model id and every text of the request (system, message texts, tool-call names
  and arguments, tool-result texts) with all whitespace removed. Whitespace is dropped so that a
  format that joins two text blocks with a newline and one that joins them with nothing give the
  same seed: the same conversation gets the same answer on every route, streamed or not.
- Text: two to four short English sentences from a word list, as tokens (a word with its leading
  space, or a punctuation mark). `x-sandbox-tokens: N` / `[[tokens:N]]` asks for exactly N tokens.
- `max_tokens`: the answer stops after that many tokens, finish MAX_TOKENS.
- Stop sequences: the text is cut before the earliest match, finish STOP_SEQUENCE (with the sequence).
- Tools: a tool call is made when tools are offered and the choice is REQUIRED or TOOL, or AUTO and
  the last user message names a tool as a whole word or asks to use one ("use the tool", "call a
  function"), leaving out agents' `<system-reminder>` blocks (and is not itself a tool result).
- Structured outputs: a request asking for JSON (any format's response format) gets JSON text that
  validates against its schema (structured.py), unless it gets a tool call.
  The tool is the named one (TOOL), else the first tool named in that text, else one picked by the
  seed. Arguments fill every property of the tool's JSON schema by type, so they validate.
- When the last message carries tool results, the answer starts by quoting the first result.
- Thinking: when the request turns thinking on (and does not hide thoughts, Gemini's
  includeThoughts=false), a one-sentence signed thought comes first; max_tokens limits the answer only.
- Usage: input tokens = ceil(request text characters without whitespace / 4), at least 1; output tokens
  = tokens emitted (for a tool call: ceil(len(arguments JSON) / 4), at least 1), plus thinking tokens,
  which are also reported as reasoning tokens.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..protocols import ir
from .structured import structured_tokens
from .tokens import AnswerTokens
from .tool_arguments import fill_schema

_NOUNS = [
    "system",
    "answer",
    "request",
    "model",
    "signal",
    "pattern",
    "result",
    "network",
    "window",
    "river",
    "garden",
    "engine",
    "library",
    "question",
    "message",
    "channel",
    "detail",
    "balance",
    "format",
    "route",
    "stream",
    "token",
    "record",
    "shadow",
    "harbor",
    "meadow",
    "lantern",
    "compass",
    "journey",
    "bridge",
]
_ADJECTIVES = [
    "quiet",
    "careful",
    "bright",
    "steady",
    "simple",
    "clear",
    "gentle",
    "useful",
    "small",
    "open",
    "honest",
    "early",
    "patient",
    "modern",
    "silent",
    "warm",
    "curious",
    "precise",
    "natural",
    "familiar",
]
_VERBS = [
    "shapes",
    "follows",
    "explains",
    "carries",
    "reflects",
    "supports",
    "changes",
    "connects",
    "guides",
    "measures",
    "reveals",
    "keeps",
    "balances",
    "describes",
    "improves",
    "holds",
    "answers",
    "builds",
]
_ADVERBS = ["quickly", "slowly", "clearly", "gently", "often", "rarely", "usually", "carefully", "together"]
_PREPOSITIONS = ["through", "across", "beyond", "within", "around", "beside", "under", "over"]
_OPENERS = ("In short", "Put simply", "As a rule", "In practice", "For example", "Most of the time")

_TEMPLATES = (
    ("The", "adj", "noun", "verb", "the", "noun", "prep", "the", "adj", "noun", "."),
    ("opener", ",", "a", "noun", "verb", "every", "adj", "noun", "adv", "."),
    ("Each", "noun", "verb", "a", "adj", "noun", "and", "verb", "the", "noun", "."),
    ("A", "adj", "noun", "adv", "verb", "the", "noun", "prep", "a", "noun", "."),
    ("This", "noun", "verb", "the", "adj", "noun", "prep", "each", "noun", "."),
)
_SLOTS = {
    "noun": _NOUNS,
    "adj": _ADJECTIVES,
    "verb": _VERBS,
    "adv": _ADVERBS,
    "prep": _PREPOSITIONS,
    "opener": _OPENERS,
}

_TOKENS_MARKER = re.compile(r"\[\[tokens:(\d{1,9})\]\]")
_MARKERS = re.compile(r"\[\[[a-z]+:[^\]]*\]\]")


def _request_texts(request: ir.Request) -> list[str]:
    texts = [p.text for p in request.system]
    for message in request.messages:
        for part in message.parts:
            if isinstance(part, (ir.TextPart, ir.ThinkingPart, ir.RefusalPart)):
                texts.append(part.text)
            elif isinstance(part, ir.ToolCallPart):
                texts.append(part.name)
                texts.append(json.dumps(part.arguments, sort_keys=True))
            elif isinstance(part, ir.ToolResultPart):
                texts.extend(c.text for c in part.content if isinstance(c, ir.TextPart))
    return texts


def _squeeze(texts: list[str]) -> str:
    return "".join("".join(t.split()) for t in texts)


def last_user_text(request: ir.Request) -> str:
    for message in reversed(request.messages):
        if message.role == "user":
            return "\n".join(p.text for p in message.parts if isinstance(p, ir.TextPart))
    return ""


def forced_token_count(request: ir.Request) -> int | None:
    """The `[[tokens:N]]` marker in the last user message, if any."""
    found = _TOKENS_MARKER.search(last_user_text(request))
    return int(found.group(1)) if found else None


@dataclass(slots=True)
class Generation:
    """One answer: its events, and what they add up to.

    The answer's tokens are made as they are read (tokens.AnswerTokens): a stream reads them one by
    one (`stream_events()`), so a long answer starts at once and stops when its reader does; `text`,
    `chunks`, `usage`, `response()` and `events()` read them all at once."""

    id: str
    model: str | None
    tool_call: ir.ToolCallPart | None
    #: Text tokens (or argument fragments of a tool call), in order: what the server paces.
    answer: AnswerTokens
    input_tokens: int
    #: A tool call's output tokens (its arguments' JSON length / 4), not the count of its fragments.
    tool_call_tokens: int = 0
    #: Thinking tokens, when the request asked for visible thinking; signed like Anthropic's.
    thinking: list[str] = field(default_factory=list)
    signature: str | None = None
    #: Unix time of the answer; set by the server (identity.py), the generator has no clock.
    created: int | None = None

    @property
    def chunks(self) -> list[str]:
        return self.answer.all()

    @property
    def text(self) -> str:
        return "" if self.tool_call is not None else "".join(self.chunks)

    @property
    def stop_reason(self) -> ir.StopReason:
        self._finish()
        return self.answer.stop_reason

    @property
    def stop_sequence(self) -> str | None:
        self._finish()
        return self.answer.stop_sequence

    @property
    def usage(self) -> ir.Usage:
        self._finish()
        answer_tokens = self.tool_call_tokens if self.tool_call is not None else self.answer.count
        return _counted(self.input_tokens, answer_tokens, self.thinking)

    def _finish(self) -> None:
        if not self.answer.done:
            self.answer.all()

    def events(self) -> list[ir.StreamEvent]:
        self.answer.all()  # kept, so `response()` can read them again
        return list(self.stream_events())

    def stream_events(self, keep: bool = False) -> Iterator[ir.StreamEvent]:
        """The answer as stream events, each token made when its event is asked for; `keep`: the
        tokens are kept as they go, so `response()` can be read after the stream."""
        tokens = self.answer.keeping() if keep else self.answer
        yield ir.StreamStart(self.id, self.model, ir.Usage(input_tokens=self.input_tokens))
        if self.thinking:
            yield from (ir.ThinkingDelta(t) for t in self.thinking)
            yield ir.ThinkingDelta("", self.signature)
            yield ir.BlockStop()
        if self.tool_call is not None:
            yield ir.ToolCallStart(0, self.tool_call.id, self.tool_call.name)
            yield from (ir.ToolCallDelta(0, c) for c in tokens)
        else:
            yield from (ir.TextDelta(c) for c in tokens)
        yield ir.BlockStop()
        yield ir.StreamFinish(self.answer.stop_reason, self.answer.stop_sequence)
        yield ir.StreamUsage(self.usage)

    def response(self) -> ir.Response:
        """The complete answer for a non-streaming call: the same content the events carry."""
        parts: list[ir.Part] = []
        if self.thinking:
            parts.append(ir.ThinkingPart("".join(self.thinking), self.signature))
        parts.append(self.tool_call if self.tool_call is not None else ir.TextPart(self.text))
        candidate = ir.Candidate(parts, self.stop_reason, self.stop_sequence)
        return ir.Response(
            id=self.id, model=self.model, candidates=[candidate], usage=self.usage, created=self.created
        )


def generate(request: ir.Request, forced_tokens: int | None = None) -> Generation:
    texts = _request_texts(request)
    squeezed = _squeeze(texts)
    digest = hashlib.sha256(f"{request.model or ''}\x00{squeezed}".encode()).digest()
    rng = random.Random(int.from_bytes(digest[:8], "big"))
    answer_id = digest[:12].hex()
    input_tokens = max(1, math.ceil(len(squeezed) / 4))

    thinking = _thinking(request)
    signature = f"sandbox-{hashlib.sha256((answer_id + ''.join(thinking)).encode()).hexdigest()[:40]}"
    signed = signature if thinking else None

    tool = _tool_to_call(request, rng)
    if tool is not None:
        arguments = fill_schema(tool.parameters, rng)
        if not isinstance(arguments, dict):  # a schema whose top is not an object: arguments are, always
            arguments = {}
        raw = json.dumps(arguments, separators=(",", ":"))
        call = ir.ToolCallPart(f"call_{answer_id[:20]}", tool.name, arguments)
        chunks = [raw[i : i + 16] for i in range(0, len(raw), 16)] or ["{}"]
        fragments = AnswerTokens(chunks, finish=ir.StopReason.TOOL_USE)
        tool_tokens = max(1, math.ceil(len(raw) / 4))
        return Generation(
            answer_id, request.model, call, fragments, input_tokens, tool_tokens, thinking, signed
        )

    wanted = forced_tokens if forced_tokens is not None else forced_token_count(request)
    preamble = _result_preamble(request)
    tokens = structured_tokens(request, rng) or _sentences(rng, wanted, preamble)
    if wanted is not None:
        tokens = itertools.islice(tokens, wanted)
    answer = AnswerTokens(tokens, request.stop, request.max_tokens)
    return Generation(answer_id, request.model, None, answer, input_tokens, 0, thinking, signed)


def _counted(input_tokens: int, answer_tokens: int, thinking: list[str]) -> ir.Usage:
    """Output counts thinking too (inclusive totals, as the IR wants); reasoning says how much of it."""
    return ir.Usage(input_tokens, answer_tokens + len(thinking), reasoning_tokens=len(thinking))


def _thinking(request: ir.Request) -> list[str]:
    """A short visible thought, when the request turned thinking on and did not hide the thoughts."""
    wanted = request.thinking
    if wanted is None or not wanted.enabled or wanted.include_thoughts is False:
        return []
    words = " ".join(_MARKERS.sub("", last_user_text(request)).split()[:8]).strip()
    topic = f'The question is about "{words}".' if words else "There is no question yet."
    words_out = f"{topic} A short answer in plain sentences will do.".split(" ")
    return [words_out[0]] + [" " + w for w in words_out[1:]]


# ---------------------------------------------------------------------------- text


def _sentences(rng: random.Random, wanted: int | None, preamble: list[str]) -> Iterator[str]:
    """Sentences of tokens after the preamble: 2 to 4 of them, or endless when a length is wanted
    (the reader takes what it needs), made one token at a time."""
    yield from preamble
    made = len(preamble)
    count = rng.randint(2, 4)
    while wanted is not None or count > 0:
        template = _TEMPLATES[rng.randrange(len(_TEMPLATES))]
        for slot in template:
            choices = _SLOTS.get(slot)
            word = choices[rng.randrange(len(choices))] if choices else slot
            yield word if word in ",." or not made else " " + word
            made += 1
        count -= 1


def _result_preamble(request: ir.Request) -> list[str]:
    """When the last message holds tool results, quote the first one so the answer mentions it."""
    if not request.messages or request.messages[-1].role != "user":
        return []
    results = [p for p in request.messages[-1].parts if isinstance(p, ir.ToolResultPart)]
    if not results:
        return []
    first = results[0]
    name = first.name or _tool_name_for(request, first.tool_call_id) or "tool"
    text = " ".join(" ".join(c.text for c in first.content if isinstance(c, ir.TextPart)).split())
    quoted = (text[:120] + "...") if len(text) > 120 else text
    words = f'The {name} tool returned "{quoted}".'.split(" ")
    return [words[0]] + [" " + w for w in words[1:]]


def _tool_name_for(request: ir.Request, call_id: str) -> str | None:
    for message in request.messages:
        for part in message.parts:
            if isinstance(part, ir.ToolCallPart) and part.id == call_id:
                return part.name
    return None


# ---------------------------------------------------------------------------- tools


def _tool_to_call(request: ir.Request, rng: random.Random) -> ir.Tool | None:
    if not request.tools:
        return None
    choice = request.tool_choice or ir.ToolChoice(ir.ToolChoiceMode.AUTO)
    if choice.mode is ir.ToolChoiceMode.NONE:
        return None
    by_name = {t.name: t for t in request.tools}
    if choice.mode is ir.ToolChoiceMode.TOOL and choice.name in by_name:
        return by_name[choice.name]
    text = _REMINDERS.sub(" ", last_user_text(request))
    named = [t for t in request.tools if _names(text, t.name)]
    if choice.mode is ir.ToolChoiceMode.AUTO:
        last = request.messages[-1] if request.messages else None
        answered = last is not None and any(isinstance(p, ir.ToolResultPart) for p in last.parts)
        if answered or not (named or _ASKS_FOR_A_TOOL.search(text)):
            return None
    if named:
        return named[0]
    return request.tools[rng.randrange(len(request.tools))]


#: Agents (Claude Code) put `<system-reminder>` blocks in the user's turn; they mention tools without
#: the user asking for one, so they do not count.
_REMINDERS = re.compile(r"<system-reminder>.*?(</system-reminder>|$)", re.DOTALL | re.IGNORECASE)
#: "use the tool", "use a tool please", "call one of your functions", "use the weather tool".
_ASKS_FOR_A_TOOL = re.compile(
    r"\b(use|call|invoke|run|try)\b[^.?!\n]{0,40}?\b(tools?|functions?)\b", re.IGNORECASE
)


def _names(text: str, name: str) -> bool:
    """Whether the text names the tool as a whole word (`read` is not in "already")."""
    return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text, re.IGNORECASE) is not None
