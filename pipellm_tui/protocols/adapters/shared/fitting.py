"""Tool names and tool-call ids a target format refuses, made to fit deterministically.

OpenAI takes tool names of 1 to 64 characters of `[a-zA-Z0-9_-]` (Claude allows 128, Gemini also
dots and colons); Anthropic takes tool-call ids of `[a-zA-Z0-9_-]` only (Kimi-style ids such as
`functions.Bash:0` do not fit). A name or id that does not fit gets a replacement made of its own
characters and a short hash of it: the same input always gives the same output, in a call and in
its result, so nothing needs to be remembered between a request and the next one. The name map
back (`tool_names_sent`) lets the answer's tool calls carry the original names again.
No I/O; standard library only.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache

from ... import ir
from ...formats import Format
from .losses import warn_once

OPENAI = (Format.OPENAI_CHAT, Format.OPENAI_RESPONSES)


def _short_hash(text: str) -> str:
    """8 hex digits of the text (lone surrogates, which JSON can carry, hashed as they are)."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=4).hexdigest()


_OPENAI_TOOL_NAME = re.compile(r"[a-zA-Z0-9_-]{1,64}\Z")
_NOT_NAME_CHAR = re.compile(r"[^a-zA-Z0-9_-]")


@lru_cache(maxsize=1024)  # the same few names in every request of a conversation
def openai_tool_name(name: str) -> str:
    """The name as the OpenAI formats take it (`^[a-zA-Z0-9_-]{1,64}$`): unchanged when it fits, else
    its first 55 characters (others replaced by `_`) and a short hash of the whole name, so distinct
    long names stay distinct and the same name always gives the same result."""
    if _OPENAI_TOOL_NAME.match(name):
        return name
    short = _NOT_NAME_CHAR.sub("_", name[:55])
    return f"{short}_{_short_hash(name)}"


_ANTHROPIC_TOOL_NAME = re.compile(r"[a-zA-Z0-9_-]{1,128}\Z")


@lru_cache(maxsize=1024)
def anthropic_tool_name(name: str) -> str:
    """The name as Anthropic takes it (`^[a-zA-Z0-9_-]{1,128}$`; Gemini's MCP-style names may have
    dots and colons), made to fit the same way as `openai_tool_name`."""
    if _ANTHROPIC_TOOL_NAME.match(name):
        return name
    short = _NOT_NAME_CHAR.sub("_", name[:119])
    return f"{short}_{_short_hash(name)}"


_GEMINI_TOOL_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_.:-]{0,127}\Z")
_NOT_GEMINI_NAME_CHAR = re.compile(r"[^a-zA-Z0-9_.:-]")
#: What Gemini takes (google-genai's FunctionDeclaration.name), said in the warning.
GEMINI_NAME_RULE = "names that start with a letter or _ and have 1 to 128 of a-z, A-Z, 0-9, _ . : and -"


@lru_cache(maxsize=1024)
def gemini_tool_name(name: str) -> str:
    """The name as Gemini takes it (a letter or `_` first, then `[a-zA-Z0-9_.:-]`, 128 at most: an
    OpenAI or Anthropic name may start with a digit or `-`), made to fit like `openai_tool_name`."""
    if _GEMINI_TOOL_NAME.match(name):
        return name
    short = _NOT_GEMINI_NAME_CHAR.sub("_", name[:118])
    return f"_{short}_{_short_hash(name)}"


def fit_tool_names(
    request: ir.Request,
    wire_name: Callable[[str], str],
    label: str,
    warnings: list[str],
    same: tuple[Format, ...] = OPENAI,
    limit: int = 64,
    rule: str = "",
) -> ir.Request:
    """The request with every tool name the target refuses replaced by `wire_name(name)` (tools, tool
    choice, tool calls and results in the history), each replacement warned; the request itself when
    all fit. `tool_names_sent` gives the map back to the original names, for the answer.

    A request that came in the target's own family of formats (`same`) keeps its names as written:
    what it sent is what its own API (or an OpenAI-compatible one with looser rules) was meant to get."""
    if request.extras_format in same:
        return request
    renamed: dict[str, str] = {}
    for tool in request.tools:
        if (new := wire_name(tool.name)) != tool.name:
            renamed[tool.name] = new
    for message in request.messages:
        if message.role == "assistant":  # tool calls are in assistant turns only
            for part in message.parts:
                if type(part) is ir.ToolCallPart and (new := wire_name(part.name)) != part.name:
                    renamed[part.name] = new
    if not renamed:
        return request
    for old, new in renamed.items():
        warn_once(
            warnings,
            f"tool name {old!r}: {label} takes "
            f"{rule or f'1 to {limit} characters of a-z, A-Z, 0-9, _ and -'}; sent as "
            f"{new!r} (its calls in the answer get the original name back where the request is known)",
        )
    tools = [replace(t, name=renamed.get(t.name, t.name)) for t in request.tools]
    choice = request.tool_choice
    if choice is not None and choice.name in renamed:
        choice = ir.ToolChoice(choice.mode, renamed[choice.name])
    messages = [ir.Message(m.role, [_renamed(p, renamed) for p in m.parts]) for m in request.messages]
    return replace(request, tools=tools, tool_choice=choice, messages=messages)


def _renamed(part: ir.Part, renamed: dict[str, str]) -> ir.Part:
    if type(part) is ir.ToolCallPart and part.name in renamed:
        return replace(part, name=renamed[part.name])
    if type(part) is ir.ToolResultPart and part.name is not None and part.name in renamed:
        return replace(part, name=renamed[part.name])
    return part


def tool_names_sent(
    request: ir.Request, wire_name: Callable[[str], str], same: tuple[Format, ...] = OPENAI
) -> dict[str, str]:
    """Name sent -> original name, for each tool `fit_tool_names` renamed."""
    if request.extras_format in same:
        return {}
    return {new: t.name for t in request.tools if (new := wire_name(t.name)) != t.name}


_ANTHROPIC_ID = re.compile(r"[a-zA-Z0-9_-]+\Z")


@lru_cache(maxsize=4096)  # each id is checked in its call and again in its result
def _anthropic_id_fits(call_id: str) -> bool:
    return _ANTHROPIC_ID.match(call_id) is not None


def anthropic_tool_id(call_id: str, warnings: list[str]) -> str:
    """A tool call id as Anthropic takes it (`^[a-zA-Z0-9_-]+$`): unchanged when it fits, else the id
    with other characters replaced by `_` and a short hash of the original (Kimi's `functions.Bash:0`
    becomes `functions_Bash_0_<hash>`), the same for the call and its result."""
    if _anthropic_id_fits(call_id):
        return call_id
    warn_once(
        warnings,
        "tool call ids: Anthropic takes only a-z, A-Z, 0-9, _ and - in ids; others replaced, "
        "with a hash of the original id (the same in each call and its result)",
    )
    short = _NOT_NAME_CHAR.sub("_", call_id)
    return f"{short}_{_short_hash(call_id)}"


#: OpenAI Chat refuses tool-call ids over 40 characters ("string_above_max_length"); other
#: providers' ids (Vertex, Bedrock, web search runs) can be longer.
_OPENAI_ID_LIMIT = 40


def openai_chat_ids(request: ir.Request, warnings: list[str]) -> ir.Request:
    """The request with each tool-call id over 40 characters, in its call and its result, replaced
    by its first 31 characters and a short hash (the same for both); a Chat body keeps its own."""
    if request.extras_format is Format.OPENAI_CHAT:
        return request
    long_ids: set[str] = set()
    for message in request.messages:
        for part in message.parts:
            if type(part) is ir.ToolCallPart and len(part.id) > _OPENAI_ID_LIMIT:
                long_ids.add(part.id)
            elif type(part) is ir.ToolResultPart and len(part.tool_call_id) > _OPENAI_ID_LIMIT:
                long_ids.add(part.tool_call_id)
    if not long_ids:
        return request
    warn_once(
        warnings,
        f"tool call ids: OpenAI Chat takes {_OPENAI_ID_LIMIT} characters at most; {len(long_ids)} longer "
        "one(s) shortened, with a hash of the original (the same in each call and its result)",
    )
    short = {old: f"{old[:31]}_{_short_hash(old)}" for old in long_ids}

    def fitted(part: ir.Part) -> ir.Part:
        if type(part) is ir.ToolCallPart and part.id in short:
            return replace(part, id=short[part.id])
        if type(part) is ir.ToolResultPart and part.tool_call_id in short:
            return replace(part, tool_call_id=short[part.tool_call_id])
        return part

    messages = [ir.Message(m.role, [fitted(p) for p in m.parts]) for m in request.messages]
    return replace(request, messages=messages)


# ---------------------------------------------------------------------------- tool schemas


def object_schemas(
    request: ir.Request, label: str, warnings: list[str], same: tuple[Format, ...] = ()
) -> ir.Request:
    """The request with every tool's argument schema typed as an object, as OpenAI and Anthropic
    require (`input_schema.type: "object"`). MCP servers often leave `type` out: it is added. A
    schema of another type is sent as written, with a warning (the target will refuse it). A
    request from the target's own family (`same`) is left as written."""
    if request.extras_format in same:
        return request
    fixed: list[ir.Tool] | None = None
    for i, tool in enumerate(request.tools):
        kind = tool.parameters.get("type")
        if kind == "object":
            continue
        if kind is None:
            if fixed is None:
                fixed = list(request.tools)
            fixed[i] = replace(tool, parameters={"type": "object", **tool.parameters})
        else:
            warn_once(
                warnings,
                f"tool {tool.name!r}: {label} takes an argument schema of type 'object', this one is "
                f"{kind!r}; sent as written",
            )
    return request if fixed is None else replace(request, tools=fixed)


# ---------------------------------------------------------------------------- turns


def merge_turns(messages: list[ir.Message]) -> list[ir.Message]:
    """Consecutive messages of one role as one (Anthropic and Gemini alternate roles: tool results
    followed by a user's text are one user turn), tool results first in a merged user turn."""
    previous = None
    for message in messages:
        if message.role == previous:
            break
        previous = message.role
    else:
        return messages  # the common case: roles already alternate
    merged: list[ir.Message] = []
    last: ir.Message | None = None
    for message in messages:
        if last is None or message.role != last.role:
            merged.append(message)
            last = message
            continue
        later_results = False
        if message.role == "user":
            for part in message.parts:
                if type(part) is ir.ToolResultPart:
                    later_results = True
                    break
        parts = last.parts + message.parts
        if later_results:  # a result after other content: results go first
            parts = [p for p in parts if type(p) is ir.ToolResultPart] + [
                p for p in parts if type(p) is not ir.ToolResultPart
            ]
        last = merged[-1] = ir.Message(message.role, parts)
    return merged


def without_empty_text(messages: list[ir.Message], label: str, warnings: list[str]) -> list[ir.Message]:
    """The messages without empty text parts, and without the messages left with nothing: Anthropic
    refuses empty text blocks and empty messages, Gemini an empty text part and a turn without parts
    (OpenAI clients send `content: ""`, Claude Code an empty text block between thinking and a call).
    Nothing is lost; a whole message dropped is warned, as the turns around it may then merge. When
    every message would go, they are kept: the target's own error says more than an empty list."""
    if all(type(p) is not ir.TextPart or p.text or p.citations for m in messages for p in m.parts):
        return messages  # the common case
    kept: list[ir.Message] = []
    for message in messages:
        parts = [p for p in message.parts if type(p) is not ir.TextPart or p.text or p.citations]
        if parts:
            kept.append(message if len(parts) == len(message.parts) else ir.Message(message.role, parts))
    if not kept:
        return messages
    if len(kept) < len(messages):
        warn_once(
            warnings,
            f"messages: {label} refuses empty messages; {len(messages) - len(kept)} message(s) with only "
            "empty text dropped",
        )
    return kept
