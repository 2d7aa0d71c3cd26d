"""A conversation written out for people (Markdown) or programs (JSON), from any of the four
formats through the neutral form, so every format reads the same. The answer of the last call may
be passed too (it is not in the request yet). Standard library and protocols only.

The JSON shape: {"format", "model", "system", "messages": [{"role", "parts": [{"type": "text" |
"image" | "tool_call" | "tool_result" | "thinking" | "refusal", ...}]}]}.
"""

from __future__ import annotations

import json
from typing import Any

from ..protocols import ir
from ..protocols.adapters import adapter_for
from ..protocols.formats import Format


def _messages(
    fmt: Format | str, body: dict[str, Any], model: str | None, answer: ir.Response | None
) -> tuple[ir.Request, list[ir.Message]]:
    request = adapter_for(fmt).request_to_ir(body, [], model)
    messages = list(request.messages)
    if answer is not None and answer.parts:
        messages.append(ir.Message("assistant", list(answer.parts)))
    return request, messages


def conversation_json(
    fmt: Format | str, body: dict[str, Any], *, model: str | None = None, answer: ir.Response | None = None
) -> str:
    request, messages = _messages(fmt, body, model, answer)
    data = {
        "format": Format(fmt).value,
        "model": request.model or model,
        "system": "\n\n".join(p.text for p in request.system),
        "messages": [{"role": m.role, "parts": [_part(p) for p in m.parts]} for m in messages],
    }
    return json.dumps(data, indent=2, ensure_ascii=False)


def _part(part: ir.Part) -> dict[str, Any]:
    if isinstance(part, ir.TextPart):
        return {"type": "text", "text": part.text}
    if isinstance(part, ir.ImagePart):
        return {
            "type": "image",
            "url": part.url,
            "media_type": part.media_type,
            "inline": part.data is not None,
        }
    if isinstance(part, ir.ToolCallPart):
        return {"type": "tool_call", "id": part.id, "name": part.name, "arguments": part.arguments}
    if isinstance(part, ir.ToolResultPart):
        text = "".join(c.text for c in part.content if isinstance(c, ir.TextPart))
        return {
            "type": "tool_result",
            "tool_call_id": part.tool_call_id,
            "content": text,
            "is_error": part.is_error,
        }
    if isinstance(part, ir.ThinkingPart):
        return {"type": "thinking", "text": part.text, "redacted": part.redacted}
    if isinstance(part, ir.HostedToolPart):
        found = [{"url": r.url, "title": r.title} for r in part.results]
        return {"type": part.kind, "id": part.id, "input": part.input, "results": found, "output": part.output}
    return {"type": "refusal", "text": part.text}


def conversation_markdown(
    fmt: Format | str, body: dict[str, Any], *, model: str | None = None, answer: ir.Response | None = None
) -> str:
    request, messages = _messages(fmt, body, model, answer)
    lines = [f"# Conversation · {Format(fmt).label} · {request.model or model or 'no model'}", ""]
    if request.system:
        lines += ["## System", "", "\n\n".join(p.text for p in request.system), ""]
    for message in messages:
        lines += [f"## {message.role.capitalize()}", ""]
        for part in message.parts:
            lines += [_markdown(part), ""]
    return "\n".join(lines).rstrip() + "\n"


def _markdown(part: ir.Part) -> str:
    if isinstance(part, ir.TextPart):
        return part.text
    if isinstance(part, ir.RefusalPart):
        return f"*Refused:* {part.text}"
    if isinstance(part, ir.ThinkingPart):
        text = "(redacted)" if part.redacted else part.text
        return "\n".join("> " + line for line in f"Thinking: {text}".splitlines())
    if isinstance(part, ir.ImagePart):
        return (
            f"![image]({part.url})" if part.url else f"*[inline image, {part.media_type or 'unknown type'}]*"
        )
    if isinstance(part, ir.ToolCallPart):
        arguments = json.dumps(part.arguments, indent=2, ensure_ascii=False)
        return f"**Tool call** `{part.name}` (`{part.id}`)\n\n```json\n{arguments}\n```"
    if isinstance(part, ir.HostedToolPart):
        if part.kind == "web_search":
            pages = "".join(f"\n- {r.title or r.url} <{r.url}>" for r in part.results)
            return f"**Web search** `{part.input}`{pages}"
        return f"**Code** ({part.language})\n\n```\n{part.input}\n```\n\n```\n{part.output}{part.stderr}\n```"
    text = "".join(c.text for c in part.content if isinstance(c, ir.TextPart))
    label = "Tool error" if part.is_error else "Tool result"
    return f"**{label}** for `{part.tool_call_id}`\n\n```\n{text}\n```"
