"""Log probabilities of the generated tokens, where the caller's format has them and asked.

Owns OpenAI Chat `logprobs` / `top_logprobs` (`choices[].logprobs.content[]`, also on each streamed
chunk) and Gemini `responseLogprobs` / `logprobs` (`candidates[].logprobsResult`, `avgLogprobs`).
The numbers are made up but stable: a token's log probability comes from a hash of the token, the
chosen token is always the most likely of its top list, and the alternatives are fixed words.
Works on the caller's JSON, after conversion, so it holds on every route. Standard library only.
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


def wanted(fmt: Format, body: dict[str, Any]) -> LogprobRequest | None:
    if fmt is Format.OPENAI_CHAT and body.get("logprobs") is True:
        top = body.get("top_logprobs")
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


def _openai_entry(token: str, top: int) -> dict[str, Any]:
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
            choice["logprobs"] = {"content": [_openai_entry(t, request.top) for t in pieces], "refusal": None}
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
                choice["logprobs"] = {"content": [_openai_entry(text, request.top)], "refusal": None}
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
