"""Where the common generation settings live in each format's request body, as one small table.

The playground's parameters form reads and writes the request JSON through this table, so the JSON
stays the single truth and no widget needs a `match` over formats. Covers the six settings users touch
most (system prompt, max tokens, temperature, top_p, stop, stream) plus the model.

No I/O; standard library only.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

from .formats import Format


class Param(StrEnum):
    SYSTEM = "system"
    MAX_TOKENS = "max_tokens"
    TEMPERATURE = "temperature"
    TOP_P = "top_p"
    STOP = "stop"
    STREAM = "stream"


Kind = Literal["text", "int", "float", "list", "bool"]

KIND: dict[Param, Kind] = {
    Param.SYSTEM: "text",
    Param.MAX_TOKENS: "int",
    Param.TEMPERATURE: "float",
    Param.TOP_P: "float",
    Param.STOP: "list",
    Param.STREAM: "bool",
}


@dataclass(frozen=True, slots=True)
class Spot:
    """A place in the body: a path of keys. `aliases` are other spellings read (never written)."""

    path: tuple[str, ...]
    aliases: tuple[tuple[str, ...], ...] = ()


_GEN = "generationConfig"

#: None means the format cannot carry the setting (the form shows it disabled).
#: System prompts are not plain paths in every format; they are handled by `_SYSTEM` below.
FIELDS: dict[Format, dict[Param, Spot | None]] = {
    Format.OPENAI_CHAT: {
        # max_completion_tokens is the current name; max_tokens is still accepted and widely used.
        Param.MAX_TOKENS: Spot(("max_tokens",), (("max_completion_tokens",),)),
        Param.TEMPERATURE: Spot(("temperature",)),
        Param.TOP_P: Spot(("top_p",)),
        Param.STOP: Spot(("stop",)),
        Param.STREAM: Spot(("stream",)),
    },
    Format.OPENAI_RESPONSES: {
        Param.MAX_TOKENS: Spot(("max_output_tokens",)),
        Param.TEMPERATURE: Spot(("temperature",)),
        Param.TOP_P: Spot(("top_p",)),
        Param.STOP: None,
        Param.STREAM: Spot(("stream",)),
    },
    Format.ANTHROPIC: {
        Param.MAX_TOKENS: Spot(("max_tokens",)),
        Param.TEMPERATURE: Spot(("temperature",)),
        Param.TOP_P: Spot(("top_p",)),
        Param.STOP: Spot(("stop_sequences",)),
        Param.STREAM: Spot(("stream",)),
    },
    Format.GEMINI: {
        Param.MAX_TOKENS: Spot((_GEN, "maxOutputTokens"), (("generation_config", "max_output_tokens"),)),
        Param.TEMPERATURE: Spot((_GEN, "temperature"), (("generation_config", "temperature"),)),
        Param.TOP_P: Spot((_GEN, "topP"), (("generation_config", "top_p"),)),
        Param.STOP: Spot((_GEN, "stopSequences"), (("generation_config", "stop_sequences"),)),
        # Not part of Gemini's wire body: a playground-only hint that make_plan removes (it picks
        # the :streamGenerateContent path instead).
        Param.STREAM: Spot(("stream",)),
    },
}

#: Formats whose body names the model (Gemini's goes in the URL path).
MODEL_IN_BODY = frozenset({Format.OPENAI_CHAT, Format.OPENAI_RESPONSES, Format.ANTHROPIC})


def supports(fmt: Format, param: Param) -> bool:
    return param is Param.SYSTEM or FIELDS[fmt][param] is not None


def read_param(fmt: Format, body: dict[str, Any], param: Param) -> Any:
    """The setting's value in `body`, normalised (stop as a list, system as one string), or None."""
    fmt = Format(fmt)
    if param is Param.SYSTEM:
        return _read_system(fmt, body)
    spot = FIELDS[fmt][param]
    if spot is None:
        return None
    for path in (spot.path, *spot.aliases):
        value = _get(body, path)
        if value is not None:
            if param is Param.STOP and isinstance(value, str):
                return [value]
            return value
    return None


def write_param(fmt: Format, body: dict[str, Any], param: Param, value: Any) -> dict[str, Any]:
    """A copy of `body` with the setting set (None or "" removes it). Raises KeyError when the
    format cannot carry it. An existing alias spelling is updated in place rather than duplicated."""
    fmt = Format(fmt)
    out = copy.deepcopy(body)
    if param is Param.SYSTEM:
        _write_system(fmt, out, value or None)
        return out
    spot = FIELDS[fmt][param]
    if spot is None:
        raise KeyError(f"{fmt.label} has no {param.value} setting")
    target = next((p for p in (spot.path, *spot.aliases) if _get(out, p) is not None), spot.path)
    if value is None or value == "" or value == []:
        _remove(out, target)
    else:
        _set(out, target, value)
    if param is Param.STREAM and fmt is Format.OPENAI_CHAT:
        # OpenAI sends usage in a stream only when asked, and refuses stream_options without a
        # stream: keep the two together so the playground always shows usage and never a 400.
        if value:
            out.setdefault("stream_options", {"include_usage": True})
        else:
            out.pop("stream_options", None)
    return out


def read_model(fmt: Format, body: dict[str, Any]) -> str | None:
    model = body.get("model") if fmt in MODEL_IN_BODY else None
    return model if isinstance(model, str) and model else None


def write_model(fmt: Format, body: dict[str, Any], model: str) -> dict[str, Any]:
    if fmt not in MODEL_IN_BODY:
        return body
    # Keep "model" first, where people look for it.
    return {"model": model, **{k: v for k, v in body.items() if k != "model"}}


#: Keys a Gemini body may carry in the playground that are not part of Gemini's wire format: the
#: `stream` flag (Gemini streams by path) and a stray `model` (Gemini's model is in the path too).
_GEMINI_PLAYGROUND_HINTS = ("stream", "model")


def without_playground_hints(fmt: Format, body: dict[str, Any]) -> dict[str, Any]:
    """The body as it goes on the wire: a Gemini body loses its playground-only `stream` flag and
    stray `model` (a new dict); other formats' bodies are returned as they are."""
    if fmt is Format.GEMINI:
        return {k: v for k, v in body.items() if k not in _GEMINI_PLAYGROUND_HINTS}
    return body


# ------------------------------------------------------------------------- system prompt


def _text_of(content: Any) -> str | None:
    """Text of a string or of a list of text blocks/parts (OpenAI, Anthropic and Gemini shapes)."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        texts = [str(b["text"]) for b in content if isinstance(b, dict) and isinstance(b.get("text"), str)]
        return "\n".join(texts) if texts else None
    return None


def _read_system(fmt: Format, body: dict[str, Any]) -> str | None:
    if fmt is Format.OPENAI_CHAT:
        messages = body.get("messages")
        for message in messages if isinstance(messages, list) else ():
            if isinstance(message, dict) and message.get("role") in ("system", "developer"):
                return _text_of(message.get("content"))
        return None
    if fmt is Format.OPENAI_RESPONSES:
        value = body.get("instructions")
        return value if isinstance(value, str) else None
    if fmt is Format.ANTHROPIC:
        return _text_of(body.get("system"))
    for key in ("systemInstruction", "system_instruction"):
        instruction = body.get(key)
        if isinstance(instruction, dict):
            return _text_of(instruction.get("parts"))
        if isinstance(instruction, str):
            return instruction
    return None


def _write_system(fmt: Format, body: dict[str, Any], text: str | None) -> None:
    if fmt is Format.OPENAI_CHAT:
        messages = body.get("messages")
        if not isinstance(messages, list):
            messages = body["messages"] = []
        index = next(
            (
                i
                for i, m in enumerate(messages)
                if isinstance(m, dict) and m.get("role") in ("system", "developer")
            ),
            None,
        )
        if text is None:
            if index is not None:
                del messages[index]
        elif index is None:
            messages.insert(0, {"role": "system", "content": text})
        else:
            messages[index] = {**messages[index], "content": text}
    elif fmt is Format.OPENAI_RESPONSES:
        _set_or_remove(body, "instructions", text)
    elif fmt is Format.ANTHROPIC:
        _set_or_remove(body, "system", text)
    else:
        key = "system_instruction" if "system_instruction" in body else "systemInstruction"
        _set_or_remove(body, key, None if text is None else {"parts": [{"text": text}]})


# ------------------------------------------------------------------------- paths


def _set_or_remove(body: dict[str, Any], key: str, value: Any) -> None:
    if value is None:
        body.pop(key, None)
    else:
        body[key] = value


def _get(body: dict[str, Any], path: tuple[str, ...]) -> Any:
    node: Any = body
    for key in path:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def _set(body: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    node = body
    for key in path[:-1]:
        child = node.get(key)
        if not isinstance(child, dict):
            child = node[key] = {}
        node = child
    node[path[-1]] = value


def _remove(body: dict[str, Any], path: tuple[str, ...]) -> None:
    parents: list[dict[str, Any]] = []
    node: Any = body
    for key in path[:-1]:
        if not isinstance(node, dict) or not isinstance(node.get(key), dict):
            return
        parents.append(node)
        node = node[key]
    node.pop(path[-1], None)
    # Drop a container the removal left empty (an empty generationConfig is noise).
    for parent, key in zip(reversed(parents), reversed(path[:-1])):
        if parent.get(key) == {}:
            del parent[key]
