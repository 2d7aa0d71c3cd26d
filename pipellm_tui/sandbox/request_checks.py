"""Requests the real APIs refuse, refused by the sandbox too (400, naming the field), and the one
shape it accepts before the adapter reads the body.

Owns the checks that need the whole request rather than one field's schema:
- an empty conversation (Anthropic and OpenAI Chat `messages: []`, Gemini `contents: []`);
- Anthropic thinking: `budget_tokens` below 1024, or not below `max_tokens`;
- a `tool_choice` naming a function that is not among the tools, or requiring a tool with none given;
- `n` / `candidateCount` out of range, `top_logprobs` without `logprobs` or above 20 (Responses:
  `top_logprobs` outside 0..20, an `include` value the API does not know);
and moving Anthropic `role: "system"` messages into `system`, which the API accepts.
Pure functions over the body and the IR; imports protocols only.
"""

from __future__ import annotations

from typing import Any

from ..protocols import ir
from ..protocols.formats import Format

#: (message, the field it is about)
Rejection = tuple[str, str]

_MAX_CANDIDATES = {Format.OPENAI_CHAT: 128, Format.GEMINI: 8}
_COUNT_FIELD = {Format.OPENAI_CHAT: "n", Format.GEMINI: "generationConfig.candidateCount"}
_CONVERSATION = {Format.OPENAI_CHAT: "messages", Format.ANTHROPIC: "messages", Format.GEMINI: "contents"}


def hoist_system_messages(fmt: Format, body: dict[str, Any]) -> dict[str, Any]:
    """Anthropic `{"role": "system"}` messages, as the API accepts them: their text joins `system`."""
    messages = body.get("messages")
    if fmt is not Format.ANTHROPIC or not isinstance(messages, list):
        return body
    # Only well-formed ones move; anything else stays for the schema check to name.
    systems = [
        m
        for m in messages
        if isinstance(m, dict) and m.get("role") == "system" and isinstance(m.get("content"), (str, list))
    ]
    system = body.get("system")
    if not systems or not isinstance(system, (str, list, type(None))):
        return body
    blocks: list[Any] = [{"type": "text", "text": system}] if isinstance(system, str) and system else []
    if isinstance(system, list):
        blocks.extend(system)
    for message in systems:
        content = message["content"]
        blocks.extend([{"type": "text", "text": content}] if isinstance(content, str) else content)
    rest = [m for m in messages if not any(m is s for s in systems)]
    return {**body, "system": blocks, "messages": rest}


def rejection(fmt: Format, body: dict[str, Any], request: ir.Request) -> Rejection | None:
    """Why the real API would answer 400, or None."""
    for check in (_empty_conversation, _thinking_budget, _tool_choice, _candidates, _logprobs):
        found = check(fmt, body, request)
        if found is not None:
            return found
    return None


def _empty_conversation(fmt: Format, body: dict[str, Any], request: ir.Request) -> Rejection | None:
    field = _CONVERSATION.get(fmt)
    if field is None or body.get(field) != []:
        return None
    return f"{field}: at least one message is required (got an empty list).", field


def _thinking_budget(fmt: Format, body: dict[str, Any], request: ir.Request) -> Rejection | None:
    thinking = body.get("thinking")
    if fmt is not Format.ANTHROPIC or not isinstance(thinking, dict) or thinking.get("type") != "enabled":
        return None
    budget, limit = thinking.get("budget_tokens"), body.get("max_tokens")
    if not isinstance(budget, int) or not isinstance(limit, int):
        return None
    if budget < 1024:
        return "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024", "thinking"
    if budget >= limit:
        message = f"`max_tokens` must be greater than `thinking.budget_tokens` ({limit} <= {budget})."
        return message, "max_tokens"
    return None


def _tool_choice(fmt: Format, body: dict[str, Any], request: ir.Request) -> Rejection | None:
    choice = request.tool_choice
    if choice is None:
        return None
    names = {t.name for t in request.tools}
    if choice.mode is ir.ToolChoiceMode.TOOL and choice.name not in names:
        offered = ", ".join(sorted(names)) or "none"
        return (
            f"tool_choice names the function {choice.name!r}, which is not in tools (offered: {offered}).",
            "tool_choice",
        )
    if choice.mode is ir.ToolChoiceMode.REQUIRED and not names and not _hosted_tools(body):
        return "tool_choice requires a tool call, but no tools were given.", "tool_choice"
    return None


def _hosted_tools(body: dict[str, Any]) -> bool:
    """OpenAI hosted tools and Anthropic server tools count as tools, though the IR keeps them aside."""
    tools = body.get("tools")
    return isinstance(tools, list) and len(tools) > 0


def _candidates(fmt: Format, body: dict[str, Any], request: ir.Request) -> Rejection | None:
    count, most = request.candidate_count, _MAX_CANDIDATES.get(fmt)
    if count is None or most is None or 1 <= count <= most:
        return None
    return f"{_COUNT_FIELD[fmt]}: must be between 1 and {most}, got {count}.", _COUNT_FIELD[fmt]


#: The values Responses `include` takes (openai.types.responses.ResponseIncludable).
RESPONSES_INCLUDABLE = (
    "file_search_call.results",
    "web_search_call.results",
    "web_search_call.action.sources",
    "message.input_image.image_url",
    "computer_call_output.output.image_url",
    "code_interpreter_call.outputs",
    "reasoning.encrypted_content",
    "message.output_text.logprobs",
)


def _logprobs(fmt: Format, body: dict[str, Any], request: ir.Request) -> Rejection | None:
    top = body.get("top_logprobs")
    if fmt is Format.OPENAI_RESPONSES:
        if isinstance(top, int) and not 0 <= top <= 20:
            return f"top_logprobs: must be between 0 and 20, got {top}.", "top_logprobs"
        include = body.get("include")
        for index, value in enumerate(include if isinstance(include, list) else []):
            if value not in RESPONSES_INCLUDABLE:
                known = ", ".join(repr(v) for v in RESPONSES_INCLUDABLE)
                return (
                    f"include[{index}]: invalid value {value!r}; supported values are {known}.",
                    f"include[{index}]",
                )
    if fmt is Format.OPENAI_CHAT:
        if isinstance(top, int) and top > 0 and body.get("logprobs") is not True:
            return "top_logprobs: logprobs must be set to true when top_logprobs is used.", "top_logprobs"
        if isinstance(top, int) and not 0 <= top <= 20:
            return f"top_logprobs: must be between 0 and 20, got {top}.", "top_logprobs"
    if fmt is Format.GEMINI:
        config = body.get("generationConfig") or body.get("generation_config") or {}
        top = config.get("logprobs") if isinstance(config, dict) else None
        wanted = isinstance(config, dict) and config.get("responseLogprobs", config.get("response_logprobs"))
        if isinstance(top, int) and not wanted:
            return (
                "generationConfig.logprobs: responseLogprobs must be true to use logprobs.",
                "generationConfig.logprobs",
            )
        if isinstance(top, int) and not 0 <= top <= 20:
            return (
                f"generationConfig.logprobs: must be between 0 and 20, got {top}.",
                "generationConfig.logprobs",
            )
    return None
