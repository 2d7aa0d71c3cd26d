"""Fields only some formats model, given a home in another format that has one.

The IR carries a source's unmodelled top-level fields in `extras`, under the source's own names
(`frequency_penalty`, `generationConfig.presencePenalty`, Anthropic server `tools`, Responses
`hosted_tools`). A target of another format used to name them all as dropped; where the target has
the same setting under another name (Gemini's penalties and log probabilities, OpenAI's
`safety_identifier` for Anthropic's `metadata.user_id`) or the same hosted tool (web search, code
execution), `home_extras` rewrites them into the target's own extras names, so the target writes
them like its own; the rest are left to be named as dropped, hosted tools one by one.
No I/O; standard library only.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from ...formats import Format
from .losses import warn_once

Pairs = list[tuple[str, Any]]
_Home = Callable[[Any], Pairs]

CHAT, RESPONSES, ANTHROPIC, GEMINI = (
    Format.OPENAI_CHAT,
    Format.OPENAI_RESPONSES,
    Format.ANTHROPIC,
    Format.GEMINI,
)

# ---------------------------------------------------------------------------- hosted tools

#: Hosted (server-side) tools by kind, as each target declares them, in its own extras names.
_WEB_SEARCH: dict[Format, Pairs] = {
    ANTHROPIC: [("tools", [{"type": "web_search_20250305", "name": "web_search"}])],
    GEMINI: [("tools.googleSearch", {})],
    RESPONSES: [("hosted_tools", [{"type": "web_search"}])],
    CHAT: [("web_search_options", {})],
}
_CODE: dict[Format, Pairs] = {
    ANTHROPIC: [("tools", [{"type": "code_execution_20250825", "name": "code_execution"}])],
    GEMINI: [("tools.codeExecution", {})],
    RESPONSES: [("hosted_tools", [{"type": "code_interpreter", "container": {"type": "auto"}}])],
}


def _hosted_kind(tool_type: str) -> dict[Format, Pairs] | None:
    if tool_type.startswith("web_search"):  # web_search_20250305, web_search, web_search_preview
        return _WEB_SEARCH
    if tool_type.startswith("code_execution") or tool_type == "code_interpreter":
        return _CODE
    return None


def _hosted_list(tools: Any, source: Format, target: Format, warnings: list[str]) -> Pairs:
    """Anthropic server `tools` / Responses `hosted_tools`: each mapped, or named as dropped."""
    out: Pairs = []
    for tool in tools if isinstance(tools, list) else []:
        kind = tool.get("type") if isinstance(tool, dict) else None
        homes = _hosted_kind(kind) if isinstance(kind, str) else None
        home = None if homes is None else homes.get(target)
        if home is None:
            warn_once(
                warnings,
                f"tools: the {source.label} hosted tool {kind!r} has no {target.label} equivalent; dropped",
            )
        else:
            out.extend(copy.deepcopy(home))  # the tables are shared; the payload may be edited
            settings = [key for key in tool if key not in ("type", "name")]
            if settings:
                warn_once(
                    warnings,
                    f"tools: the {kind!r} settings {settings} have no {target.label} equivalent; "
                    "the tool is sent without them",
                )
    return out


def _hosted_one(kind: dict[Format, Pairs], name: str, source: Format) -> Callable[..., Pairs]:
    def home(value: Any, target: Format, warnings: list[str]) -> Pairs:
        pairs = kind.get(target)
        if pairs is None:
            warn_once(
                warnings, f"{name}: the {source.label} hosted tool has no {target.label} equivalent; dropped"
            )
            return []
        return copy.deepcopy(pairs)

    return home


# ---------------------------------------------------------------------------- settings


def _same(key: str) -> _Home:
    return lambda value: [(key, value)]


def _user_id(value: Any) -> Pairs:
    return [("metadata", {"user_id": value})] if isinstance(value, str) else []


def _metadata_user(value: Any) -> Pairs:
    user = value.get("user_id") if isinstance(value, dict) else None
    return [("safety_identifier", user)] if isinstance(user, str) else []


_PENALTIES_TO_GEMINI: dict[str, _Home] = {
    "frequency_penalty": _same("generationConfig.frequencyPenalty"),
    "presence_penalty": _same("generationConfig.presencePenalty"),
    "logprobs": _same("generationConfig.responseLogprobs"),
    "top_logprobs": _same("generationConfig.logprobs"),
}
_GEMINI_TO_CHAT: dict[str, _Home] = {
    f"generationConfig.{name}": _same(key)
    for names, key in (
        (("frequencyPenalty", "frequency_penalty"), "frequency_penalty"),
        (("presencePenalty", "presence_penalty"), "presence_penalty"),
        (("responseLogprobs", "response_logprobs"), "logprobs"),
        (("logprobs",), "top_logprobs"),
    )
    for name in names
}
_OPENAI_SHARED = ("user", "safety_identifier", "prompt_cache_key", "metadata", "service_tier", "store")

#: (source, target) -> source extras key -> its target extras (key, value) pairs.
_SETTINGS: dict[tuple[Format, Format], dict[str, _Home]] = {
    (CHAT, GEMINI): _PENALTIES_TO_GEMINI,
    (GEMINI, CHAT): _GEMINI_TO_CHAT,
    (RESPONSES, GEMINI): {
        "top_logprobs": lambda n: [
            ("generationConfig.responseLogprobs", True),
            ("generationConfig.logprobs", n),
        ]
    },
    (GEMINI, RESPONSES): {"generationConfig.logprobs": _same("top_logprobs")},
    (CHAT, RESPONSES): {key: _same(key) for key in (*_OPENAI_SHARED, "top_logprobs")},
    (RESPONSES, CHAT): {key: _same(key) for key in _OPENAI_SHARED},
    (ANTHROPIC, CHAT): {"metadata": _metadata_user},
    (ANTHROPIC, RESPONSES): {"metadata": _metadata_user},
    (CHAT, ANTHROPIC): {"user": _user_id, "safety_identifier": _user_id},
    (RESPONSES, ANTHROPIC): {"user": _user_id, "safety_identifier": _user_id},
}

#: Hosted-tool extras of each source: one tool per key, or a list of tools.
_HOSTED_ONE: dict[Format, dict[str, dict[Format, Pairs]]] = {
    GEMINI: {
        "tools.googleSearch": _WEB_SEARCH,
        "tools.google_search": _WEB_SEARCH,
        "tools.codeExecution": _CODE,
        "tools.code_execution": _CODE,
    },
    CHAT: {"web_search_options": _WEB_SEARCH},
}
_HOSTED_LISTS = {ANTHROPIC: "tools", RESPONSES: "hosted_tools"}


def home_extras(
    extras: dict[str, Any], source: Format | None, target: Format, warnings: list[str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(what the target can hold, under its own extras names; the rest, to be named as dropped).
    Hosted tools that have no home are named here, one by one."""
    if source is None:
        return {}, extras
    settings = _SETTINGS.get((source, target), {})
    one = _HOSTED_ONE.get(source, {})
    hosted_list = _HOSTED_LISTS.get(source)
    homed: dict[str, Any] = {}
    rest: dict[str, Any] = {}
    for key, value in extras.items():
        if key in settings:
            pairs = settings[key](value)
        elif key == hosted_list:
            pairs = _hosted_list(value, source, target, warnings)
        elif key in one:
            pairs = _hosted_one(one[key], key, source)(value, target, warnings)
        else:
            rest[key] = value
            continue
        for name, item in pairs:
            mine = homed.get(name)
            homed[name] = mine + item if isinstance(mine, list) and isinstance(item, list) else item
    return homed, rest
