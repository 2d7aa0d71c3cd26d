"""OpenAI Chat Completions request bodies into and out of the neutral form (IR).

Owns the message list: system/developer messages hoisted into `ir.Request.system`, user content
parts (text, images by URL or data URL), runs of `tool` messages as one IR user message of tool
results and back. Assistant messages are mapped in `assistant`, top-level settings in
`settings`. Plain dict access and isinstance checks only: this is the conversion hot path.
Must not import pydantic; no I/O.
"""

from __future__ import annotations

from typing import Any

from ... import ir
from ..shared.documents import document_from_file_data, file_as_text_warning, file_text
from ..shared.fitting import OPENAI, fit_tool_names, object_schemas, openai_chat_ids, openai_tool_name
from ..shared.images import image_from_url, image_to_url, openai_image_url
from ..shared.json_shapes import fail, need_dict, need_list, need_str, opt_str, wrong
from ..shared.losses import warn_once
from .assistant import assistant_message, assistant_parts, part_name
from .settings import read_settings, write_settings
from .wire import FORMAT, LABEL, text_part

_ROLE_FIELDS: dict[str, frozenset[str]] = {
    "system": frozenset({"role", "content"}),
    "developer": frozenset({"role", "content"}),
    "user": frozenset({"role", "content"}),
    "assistant": frozenset(
        {"role", "content", "refusal", "tool_calls", "function_call", "reasoning_content"}
    ),
    "tool": frozenset({"role", "content", "tool_call_id"}),
    "function": frozenset({"role", "content", "name"}),
}


# ---------------------------------------------------------------------------- wire -> IR


def request_to_ir(body: dict[str, Any], warnings: list[str], model: str | None = None) -> ir.Request:
    if not isinstance(body, dict):
        wrong(body, "a JSON object", "")
    body_model = body.get("model")
    if body_model is None:
        if model is None:
            fail("required field missing", "model")
    else:
        need_str(body_model, "model")
        if model is None:
            model = body_model
    messages = need_list(body.get("messages"), "messages")
    request = ir.Request(model=model, extras_format=FORMAT)
    _read_messages(messages, request, warnings)
    read_settings(body, request, warnings)
    return request


def _read_messages(items: list[Any], request: ir.Request, warnings: list[str]) -> None:
    """Hot path: the common shapes are read inline; paths are only built when something is wrong."""
    system = request.system
    messages = request.messages
    #: Tool-call id -> name, so tool results can carry the name Gemini needs.
    names: dict[str, str] = {}
    #: Function name -> id of its latest call, for legacy `role: "function"` results.
    latest: dict[str, str] = {}
    #: Parts of the IR user message that collects a run of consecutive tool messages.
    results: list[ir.Part] | None = None
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            wrong(item, "an object", f"messages[{i}]")
        role = item.get("role")
        allowed = _ROLE_FIELDS.get(role) if type(role) is str else None
        if allowed is None:
            if role is None:
                fail("required field missing", f"messages[{i}].role")
            fail(
                f"unknown role {role!r}; expected system, developer, user, assistant or tool",
                f"messages[{i}].role",
            )
        if not allowed.issuperset(item):
            _warn_unknown_fields(item, allowed, f"messages[{i}]", warnings)
        content = item.get("content")
        if role == "user":
            results = None
            user: list[ir.Part] = (
                [ir.TextPart(content)] if type(content) is str else _user_parts(content, i, warnings)
            )
            messages.append(ir.Message("user", user))
        elif role == "assistant":
            results = None
            parts = assistant_parts(item, "messages[{}]", i, warnings)
            for call in parts:
                if type(call) is ir.ToolCallPart:
                    names[call.id] = latest_name = call.name
                    latest[latest_name] = call.id
            messages.append(ir.Message("assistant", parts))
        elif role == "tool" or role == "function":
            if role == "tool":
                call_id = item.get("tool_call_id")
                if type(call_id) is not str:
                    wrong(call_id, "a string", f"messages[{i}].tool_call_id")
                name = names.get(call_id)
            else:  # legacy: the result of the latest call of that function
                name = need_str(item.get("name"), f"messages[{i}].name")
                call_id = latest.get(name, f"call_{name}")
            if type(content) is str:
                result = ir.ToolResultPart(call_id, name, [ir.TextPart(content)])
            else:
                result = ir.ToolResultPart(call_id, name, _result_parts(content, i, warnings))
            if results is None:
                results = []
                messages.append(ir.Message("user", results))
            results.append(result)
        else:
            # Leading system/developer messages are the system prompt; later ones stay in place.
            texts = (
                [ir.TextPart(content)]
                if type(content) is str
                else _system_parts(content, f"messages[{i}].content")
            )
            if messages:
                results = None
                messages.append(ir.Message("system", list(texts)))
            else:
                system.extend(texts)


def _warn_unknown_fields(
    item: dict[str, Any], allowed: frozenset[str], path: str, warnings: list[str]
) -> None:
    for key, value in item.items():
        if key not in allowed and value is not None:
            warnings.append(f"{path}.{key}: the neutral form has no per-message {key!r}; dropped")


def _system_parts(value: Any, path: str) -> list[ir.TextPart]:
    parts = []
    for j, item in enumerate(need_list(value, path)):
        item = need_dict(item, f"{path}[{j}]")
        if item.get("type") != "text":
            fail("system and developer messages take only text parts", f"{path}[{j}].type")
        parts.append(text_part(item, f"{path}[{j}]"))
    return parts


def _image_part(item: dict[str, Any], path: str) -> ir.ImagePart:
    image = need_dict(item.get("image_url"), f"{path}.image_url")
    url = need_str(image.get("url"), f"{path}.image_url.url")
    return image_from_url(url, opt_str(image.get("detail"), f"{path}.image_url.detail"))


def _file_part(item: dict[str, Any], path: str, warnings: list[str]) -> ir.ImagePart | None:
    """A `file` part: a document given as data (a PDF); one given by Files API id cannot travel."""
    file = need_dict(item.get("file"), f"{path}.file")
    data = opt_str(file.get("file_data"), f"{path}.file.file_data")
    if data is None:
        warnings.append(f"{path}: a file given by file_id needs OpenAI's Files API; dropped")
        return None
    return document_from_file_data(data, opt_str(file.get("filename"), f"{path}.file.filename"))


def _user_parts(value: Any, i: int, warnings: list[str]) -> list[ir.Part]:
    path = f"messages[{i}].content"
    parts: list[ir.Part] = []
    for j, item in enumerate(need_list(value, path)):
        if not isinstance(item, dict):
            wrong(item, "an object", f"{path}[{j}]")
        kind = item.get("type")
        if kind == "text":
            parts.append(text_part(item, f"{path}[{j}]"))
        elif kind == "image_url":
            parts.append(_image_part(item, f"{path}[{j}]"))
        elif kind == "file":
            document = _file_part(item, f"{path}[{j}]", warnings)
            if document is not None:
                parts.append(document)
        elif isinstance(kind, str):
            warnings.append(f"{path}[{j}]: {kind!r} parts have no place in the neutral form; dropped")
        else:
            wrong(kind, "a string", f"{path}[{j}].type")
    return parts


def _result_parts(content: Any, i: int, warnings: list[str]) -> list[ir.TextPart | ir.ImagePart]:
    path = f"messages[{i}].content"
    parts: list[ir.TextPart | ir.ImagePart] = []
    for j, part in enumerate(need_list(content, path)):
        part = need_dict(part, f"{path}[{j}]")
        kind = part.get("type")
        if kind == "text":
            parts.append(text_part(part, f"{path}[{j}]"))
        elif kind == "image_url":  # not in the spec for tool messages, but some gateways send it
            parts.append(_image_part(part, f"{path}[{j}]"))
        else:
            warnings.append(f"{path}[{j}]: {kind!r} parts cannot be part of a tool result; dropped")
    return parts


# ---------------------------------------------------------------------------- IR -> wire


def request_from_ir(request: ir.Request, warnings: list[str]) -> dict[str, Any]:
    request = openai_chat_ids(fit_tool_names(request, openai_tool_name, LABEL, warnings), warnings)
    if request.tools:
        request = object_schemas(request, LABEL, warnings, OPENAI)
    messages: list[dict[str, Any]] = []
    for part in request.system:
        if part.cache_control is not None:
            warnings.append(f"system.cache_control: {LABEL} has no prompt-caching markers; dropped")
        messages.append({"role": "system", "content": part.text})
    for message in request.messages:
        parts = message.parts
        if message.role == "assistant":
            messages.append(assistant_message(parts, warnings, join_text=False))
        elif message.role == "system":
            messages.append(_system_message(parts, warnings))
        elif len(parts) == 1 and type(parts[0]) is ir.TextPart and parts[0].cache_control is None:
            messages.append({"role": "user", "content": parts[0].text})  # the common case, inline
        else:
            _user_messages(parts, messages, warnings)
    body: dict[str, Any] = {"model": request.model} if request.model is not None else {}
    body["messages"] = messages
    write_settings(request, body, warnings)
    return body


def _user_messages(parts: list[ir.Part], out: list[dict[str, Any]], warnings: list[str]) -> None:
    """Tool results become `tool` messages, before the user text: they must follow the tool calls."""
    content: list[ir.Part] = []
    has_results = False
    for part in parts:
        kind = type(part)
        if kind is ir.ToolResultPart:
            assert isinstance(part, ir.ToolResultPart)
            result = part.content
            if len(result) == 1 and type(result[0]) is ir.TextPart and not part.is_error:
                out.append({"role": "tool", "tool_call_id": part.tool_call_id, "content": result[0].text})
            else:
                out.append(_tool_message(part, warnings))
            has_results = True
        elif kind is ir.TextPart or kind is ir.ImagePart:
            if kind is ir.ImagePart and part.is_document and part.data is None:  # type: ignore[union-attr]
                warnings.append(f"document URL: {LABEL} takes documents as inline data only; dropped")
                continue
            content.append(part)
        else:
            warnings.append(f"user message: {LABEL} user messages cannot carry {part_name(part)}; dropped")
    if not content and has_results:
        return
    first = content[0] if len(content) == 1 else None
    if type(first) is ir.TextPart and first.cache_control is None:
        out.append({"role": "user", "content": first.text})
        return
    out.append({"role": "user", "content": [_content_part(p, warnings) for p in content] if content else ""})


def _content_part(part: ir.Part, warnings: list[str]) -> dict[str, Any]:
    if type(part) is ir.TextPart:
        if part.cache_control is not None:
            warnings.append(f"cache_control: {LABEL} has no prompt-caching markers; dropped")
        return {"type": "text", "text": part.text}
    assert isinstance(part, ir.ImagePart)
    text = file_text(part)
    if text is not None:
        warn_once(warnings, file_as_text_warning(LABEL))
        return {"type": "text", "text": text}
    if part.is_document:
        url = image_to_url(ir.ImagePart(data=part.data, media_type="application/pdf"), warnings)
        return {"type": "file", "file": {"file_data": url, "filename": part.filename or "document.pdf"}}
    if part.data is None and part.media_type is not None:
        warnings.append(f"image.media_type: {LABEL} image URLs carry no media type; dropped")
    image: dict[str, Any] = {"url": openai_image_url(part, LABEL, warnings)}
    if part.detail is not None:
        image["detail"] = part.detail
    return {"type": "image_url", "image_url": image}


def _tool_message(part: ir.ToolResultPart, warnings: list[str]) -> dict[str, Any]:
    texts: list[ir.TextPart] = []
    for piece in part.content:
        if type(piece) is ir.TextPart:
            texts.append(piece)
        elif type(piece) is ir.ImagePart and (text := file_text(piece)) is not None:
            warn_once(warnings, file_as_text_warning(LABEL))
            texts.append(ir.TextPart(text))
        else:
            what = "document" if type(piece) is ir.ImagePart and piece.is_document else "image"
            warnings.append(
                f"tool result {part.tool_call_id}: {LABEL} tool messages can only hold text; {what} dropped"
            )
    if part.is_error:
        warnings.append(
            f"tool result {part.tool_call_id}: {LABEL} tool messages have no error flag; is_error dropped"
        )
    content: str | list[dict[str, Any]]
    if len(texts) == 1:
        content = texts[0].text
    elif not texts:
        content = ""
    else:
        content = [{"type": "text", "text": t.text} for t in texts]
    return {"role": "tool", "tool_call_id": part.tool_call_id, "content": content}


def _system_message(parts: list[ir.Part], warnings: list[str]) -> dict[str, Any]:
    """A system message in the middle of the conversation, where it was."""
    texts = [p for p in parts if type(p) is ir.TextPart]
    if len(texts) != len(parts):
        warnings.append(f"system message: {LABEL} system messages hold text only; the rest dropped")
    if len(texts) == 1:
        return {"role": "system", "content": texts[0].text}
    return {"role": "system", "content": [{"type": "text", "text": p.text} for p in texts]}
