"""Log probabilities of the generated tokens, where the caller's format has them and asked.

Owns OpenAI Chat `logprobs` / `top_logprobs` (`choices[].logprobs.content[]`, also on each streamed
chunk), OpenAI Responses `include: ["message.output_text.logprobs"]` / `top_logprobs` (`logprobs` on
each `output_text` part, on each `response.output_text.delta` and `.done` event, and on the parts the
stream's closing events repeat) and Gemini `responseLogprobs` / `logprobs`
(`candidates[].logprobsResult`, `avgLogprobs`).
The numbers are made up but stable: a token's log probability comes from a hash of the token, the
chosen token is always the most likely of its top list, and the alternatives are fixed words.
Works on the caller's JSON, after conversion. Only when the simulated upstream was asked too
(`carried`): a converted call to Claude, which has no log probabilities, gets none (the conversion
names the field it dropped) rather than made-up ones. Standard library only.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from ..protocols.formats import Format

_ALTERNATIVES = [" the", " a", " and", " of", ".", ",", " to", " is", " in", " it", " that", " for"]
_ALTERNATIVES += [f" word{i}" for i in range(len(_ALTERNATIVES), 20)]


@dataclass(frozen=True, slots=True)
class LogprobRequest:
    caller: Format
    #: How many alternatives per token (`top_logprobs`, Gemini `logprobs`).
    top: int


#: The `include` value that asks the Responses API for the log probabilities of its text.
RESPONSES_INCLUDE = "message.output_text.logprobs"


def wanted(fmt: Format, body: dict[str, Any]) -> LogprobRequest | None:
    top = body.get("top_logprobs")
    if fmt is Format.OPENAI_CHAT and body.get("logprobs") is True:
        return LogprobRequest(fmt, top if isinstance(top, int) else 0)
    if fmt is Format.OPENAI_RESPONSES:
        include = body.get("include")
        if isinstance(include, list) and RESPONSES_INCLUDE in include:
            return LogprobRequest(fmt, top if isinstance(top, int) else 0)
    if fmt is Format.GEMINI:
        config = body.get("generationConfig") or body.get("generation_config")
        if (
            isinstance(config, dict)
            and config.get("responseLogprobs", config.get("response_logprobs")) is True
        ):
            top = config.get("logprobs")
            return LogprobRequest(fmt, top if isinstance(top, int) else 0)
    return None


def carried(
    caller: Format, body: dict[str, Any], upstream: Format, upstream_body: dict[str, Any]
) -> LogprobRequest | None:
    """What the caller asked for, if the upstream was asked too (the conversion carried the field)."""
    asked = wanted(caller, body)
    return asked if asked is not None and wanted(upstream, upstream_body) is not None else None


def logprob(token: str) -> float:
    """Between -0.05 and -2.0, the same for the same token."""
    digest = int.from_bytes(hashlib.sha256(token.encode()).digest()[:4], "big")
    return -round(0.05 + (digest % 1950) / 1000, 4)


def _alternatives(token: str, top: int) -> list[tuple[str, float]]:
    chosen = logprob(token)
    others = [w for w in _ALTERNATIVES if w != token][: max(0, top - 1)]
    return (
        [(token, chosen)] + [(w, round(chosen - 0.5 * (k + 1), 4)) for k, w in enumerate(others)]
        if top
        else []
    )


def openai_entry(token: str, top: int, with_bytes: bool = True) -> dict[str, Any]:
    """One token as OpenAI writes it: Chat and Responses parts carry `bytes`, Responses events do not."""
    if not with_bytes:
        alternatives = [{"token": t, "logprob": p} for t, p in _alternatives(token, top)]
        return {"token": token, "logprob": logprob(token), "top_logprobs": alternatives}
    return {
        "token": token,
        "logprob": logprob(token),
        "bytes": list(token.encode()),
        "top_logprobs": [
            {"token": t, "logprob": p, "bytes": list(t.encode())} for t, p in _alternatives(token, top)
        ],
    }


def _gemini_result(tokens: list[str], top: int) -> dict[str, Any]:
    result: dict[str, Any] = {
        "chosenCandidates": [{"token": t, "logProbability": logprob(t)} for t in tokens]
    }
    if top:
        result["topCandidates"] = [
            {"candidates": [{"token": t, "logProbability": p} for t, p in _alternatives(token, top)]}
            for token in tokens
        ]
    return result


def add_to_body(request: LogprobRequest, body: dict[str, Any], tokens: list[list[str]]) -> None:
    """Fill each choice or candidate of a complete answer with the log probabilities of its tokens."""
    if request.caller is Format.OPENAI_CHAT:
        for choice, pieces in zip(body.get("choices", []), tokens, strict=False):
            choice["logprobs"] = {"content": [openai_entry(t, request.top) for t in pieces], "refusal": None}
    elif request.caller is Format.OPENAI_RESPONSES:
        entries = [openai_entry(t, request.top) for t in (tokens[0] if tokens else [])]
        for item in body.get("output") or []:
            if item.get("type") == "message":
                for part in item.get("content") or []:
                    if part.get("type") == "output_text":
                        part["logprobs"] = entries
    elif request.caller is Format.GEMINI:
        for candidate, pieces in zip(body.get("candidates", []), tokens, strict=False):
            candidate["logprobsResult"] = _gemini_result(pieces, request.top)
            if pieces:
                candidate["avgLogprobs"] = sum(logprob(t) for t in pieces) / len(pieces)


def add_to_event(request: LogprobRequest, data: str) -> str:
    """One streamed chunk with the log probabilities of the text it carries."""
    if data.startswith("[") or '"text"' not in data and '"content"' not in data:
        return data
    try:
        chunk = json.loads(data)
    except ValueError:
        return data
    if not isinstance(chunk, dict):
        return data
    changed = False
    if request.caller is Format.OPENAI_CHAT:
        for choice in chunk.get("choices") or []:
            text = (choice.get("delta") or {}).get("content")
            if isinstance(text, str) and text:
                choice["logprobs"] = {"content": [openai_entry(text, request.top)], "refusal": None}
                changed = True
    elif request.caller is Format.GEMINI:
        for candidate in chunk.get("candidates") or []:
            parts = (candidate.get("content") or {}).get("parts") or []
            texts = [
                p["text"]
                for p in parts
                if isinstance(p, dict) and isinstance(p.get("text"), str) and not p.get("thought")
            ]
            if texts:
                candidate["logprobsResult"] = _gemini_result(texts, request.top)
                changed = True
    return json.dumps(chunk, separators=(",", ":"), ensure_ascii=False) if changed else data


class StreamLogprobs:
    """Log probabilities for the caller's streamed events, one event at a time.

    Chat chunks and Gemini chunks each carry their own tokens (`add_to_event`). A Responses stream
    also repeats the whole text at its end (`response.output_text.done`, the part and item `.done`
    events, `response.completed`), so the tokens of each text part are kept as they pass."""

    def __init__(self, request: LogprobRequest) -> None:
        self._request = request
        #: (item id, content index) -> the tokens of that output_text part so far.
        self._parts: dict[tuple[str, int], list[str]] = {}

    def event(self, data: str) -> str:
        if self._request.caller is not Format.OPENAI_RESPONSES:
            return add_to_event(self._request, data)
        kind = _event_type(data)
        if kind not in _RESPONSES_TEXT_EVENTS:
            return data
        try:
            event = json.loads(data)
        except ValueError:
            return data
        top = self._request.top
        if kind == "response.output_text.delta":
            token = event.get("delta") or ""
            self._tokens(event.get("item_id"), event.get("content_index")).append(token)
            event["logprobs"] = [openai_entry(token, top, with_bytes=False)] if token else []
        elif kind == "response.output_text.done":
            tokens = self._tokens(event.get("item_id"), event.get("content_index"))
            event["logprobs"] = [openai_entry(t, top, with_bytes=False) for t in tokens]
        else:
            self._fill(event)
        return json.dumps(event, separators=(",", ":"), ensure_ascii=False)

    def _tokens(self, item_id: Any, content_index: Any) -> list[str]:
        key = (str(item_id), content_index if isinstance(content_index, int) else 0)
        return self._parts.setdefault(key, [])

    def _fill(self, event: dict[str, Any]) -> None:
        """Every output_text part the event repeats gets the log probabilities of its tokens."""
        part = event.get("part")
        if isinstance(part, dict) and part.get("type") == "output_text":
            self._fill_part(part, event.get("item_id"), event.get("content_index"))
        response = event.get("response")
        items = response.get("output") if isinstance(response, dict) else [event.get("item")]
        for item in items or []:
            if isinstance(item, dict) and item.get("type") == "message":
                for index, content in enumerate(item.get("content") or []):
                    if isinstance(content, dict) and content.get("type") == "output_text":
                        self._fill_part(content, item.get("id"), index)

    def _fill_part(self, part: dict[str, Any], item_id: Any, content_index: Any) -> None:
        tokens = self._tokens(item_id, content_index)
        part["logprobs"] = [openai_entry(t, self._request.top) for t in tokens]


#: The Responses events that carry text tokens, or repeat a whole output_text part.
_RESPONSES_TEXT_EVENTS = frozenset(
    {
        "response.output_text.delta",
        "response.output_text.done",
        "response.content_part.done",
        "response.output_item.done",
        "response.completed",
        "response.incomplete",
    }
)


def _event_type(data: str) -> str | None:
    """The `type` of a Responses event, read without parsing it (the encoder writes it first)."""
    head = '{"type":"'
    if not data.startswith(head):
        return None
    end = data.find('"', len(head))
    return data[len(head) : end] if end > 0 else None
