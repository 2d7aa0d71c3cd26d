"""Gemini `Content.parts` <-> IR parts.

Owns: every part kind (text, thought, inlineData, fileData, functionCall, functionResponse) in both
directions, deterministic tool-call ids for id-less `functionCall` parts and the name/order matching
of `functionResponse` parts to them, and the function name a `functionResponse` needs when the IR's
tool result has none. Plain dict access on the hot path, no pydantic. Standard library and
`protocols/` only.
"""

from __future__ import annotations

from typing import Any

from .. import ir
from .gemini_wire import JSON, as_dict, as_list, as_str, compact, fail, gemini_signature, get2, kind_of, warn

# ---------------------------------------------------------------------------- wire -> IR


class CallIds:
    """Ids for one conversation: Gemini usually sends none, so id-less calls get `<prefix><n>` and an
    id-less `functionResponse` takes the oldest unanswered call of the same name (name + order)."""

    __slots__ = ("_open",)

    def __init__(self) -> None:
        self._open: dict[str, list[str]] = {}

    def called(self, name: str, call_id: str) -> None:
        queue = self._open.get(name)
        if queue is None:
            self._open[name] = [call_id]
        else:
            queue.append(call_id)

    def answered(self, name: str, call_id: str | None) -> str | None:
        queue = self._open.get(name)
        if call_id is not None:
            if queue and call_id in queue:
                queue.remove(call_id)
            return call_id
        return queue.pop(0) if queue else None


_PART_DROPPED = {
    "executableCode": "code the model ran",
    "executable_code": "code the model ran",
    "codeExecutionResult": "a code-execution result",
    "code_execution_result": "a code-execution result",
    "videoMetadata": "video clipping",
    "video_metadata": "video clipping",
}


def parts_to_ir(
    raw_parts: Any, path: str, warnings: list[str], ids: CallIds, id_prefix: str
) -> list[ir.Part]:
    """One Content's parts. `id_prefix` + the call's ordinal in this Content is the synthetic id."""
    out: list[ir.Part] = []
    calls = 0
    for j, part in enumerate(as_list(raw_parts, path)):
        if not isinstance(part, dict):
            fail(f"expected an object, got {kind_of(part)}", f"{path}[{j}]")
        used = 1
        signature = get2(part, "thoughtSignature", "thought_signature")
        if signature is not None:
            signature = as_str(signature, f"{path}[{j}].thoughtSignature")
            used = 2
        text = part.get("text")
        if text is not None:
            if not isinstance(text, str):
                fail(f"expected a string, got {kind_of(text)}", f"{path}[{j}].text")
            thought = part.get("thought")
            if thought is not None:
                used += 1
                if not isinstance(thought, bool):
                    fail(f"expected true or false, got {kind_of(thought)}", f"{path}[{j}].thought")
            if thought:
                out.append(ir.ThinkingPart(text, signature))
            else:
                if signature is not None:
                    # A signature on a plain text part seals the thinking before it: keep it as a
                    # text-less thinking part so it can be echoed back on the same part later.
                    out.append(ir.ThinkingPart("", signature))
                out.append(ir.TextPart(text))
        elif (call := get2(part, "functionCall", "function_call")) is not None:
            out.append(_call_to_ir(call, f"{path}[{j}].functionCall", ids, f"{id_prefix}{calls}", signature))
            calls += 1
        elif (result := get2(part, "functionResponse", "function_response")) is not None:
            out.append(
                _result_to_ir(result, f"{path}[{j}].functionResponse", warnings, ids, f"{id_prefix}r{j}")
            )
        elif (blob := get2(part, "inlineData", "inline_data")) is not None:
            out.append(_inline_to_ir(blob, f"{path}[{j}].inlineData"))
        elif (file := get2(part, "fileData", "file_data")) is not None:
            out.append(_file_to_ir(file, f"{path}[{j}].fileData"))
        elif signature is not None:
            out.append(ir.ThinkingPart("", signature))  # a bare signature closing a streamed turn
            used = 1 + ("thought" in part)
        else:
            used = 0
        if used != len(part):
            _warn_unused(part, f"{path}[{j}]", warnings)
    return out


_DATA_KEYS = frozenset(
    {
        "text",
        "functionCall",
        "function_call",
        "functionResponse",
        "function_response",
        "inlineData",
        "inline_data",
        "fileData",
        "file_data",
    }
)
_PART_KEYS = _DATA_KEYS | {"thought", "thoughtSignature", "thought_signature"}


def _warn_unused(part: JSON, path: str, warnings: list[str]) -> None:
    where = _generic(path)
    for key in part:
        if key not in _PART_KEYS:
            what = _PART_DROPPED.get(key, "this Gemini part field")
            warn(warnings, f"{where}.{key}: {what} has no place in the neutral form; dropped")
    kinds = [key for key in part if key in _DATA_KEYS]
    if len(kinds) > 1:
        warn(warnings, f"{where}: a part holds one kind of data; kept one of {', '.join(kinds)}")


def _generic(path: str) -> str:
    """`contents[3].parts[1]` -> `contents[].parts[]`, so one warning covers every occurrence."""
    out = []
    skip = False
    for ch in path:
        if ch == "[":
            skip = True
            out.append("[]")
        elif ch == "]":
            skip = False
        elif not skip:
            out.append(ch)
    return "".join(out)


def _call_to_ir(
    call: Any, path: str, ids: CallIds, fallback_id: str, signature: str | None
) -> ir.ToolCallPart:
    call = as_dict(call, path)
    name = as_str(call.get("name"), f"{path}.name")
    args = call.get("args")
    if args is None:
        args = {}
    elif not isinstance(args, dict):
        fail(f"expected an object, got {kind_of(args)}", f"{path}.args")
    call_id = call.get("id")
    if call_id is None:
        call_id = fallback_id
    elif not isinstance(call_id, str):
        fail(f"expected a string, got {kind_of(call_id)}", f"{path}.id")
    ids.called(name, call_id)
    return ir.ToolCallPart(call_id, name, args, signature)


def _result_to_ir(
    result: Any, path: str, warnings: list[str], ids: CallIds, orphan_id: str
) -> ir.ToolResultPart:
    result = as_dict(result, path)
    name = as_str(result.get("name"), f"{path}.name")
    given = result.get("id")
    if given is not None and not isinstance(given, str):
        fail(f"expected a string, got {kind_of(given)}", f"{path}.id")
    call_id = ids.answered(name, given)
    if call_id is None:
        call_id = orphan_id
        warn(warnings, f"{path}: no earlier functionCall named {name!r} to answer; id {orphan_id!r} made up")
    response = result.get("response")
    if not isinstance(response, dict):
        fail(f"expected an object, got {kind_of(response)}", f"{path}.response")
    is_error = "error" in response
    # Google documents {"output": ...} / {"error": ...}; anything else is the output as a whole.
    payload: Any = response
    if len(response) == 1:
        key = next(iter(response))
        if key in ("output", "result", "error"):
            payload = response[key]
    content: list[ir.TextPart | ir.ImagePart] = [
        ir.TextPart(payload if isinstance(payload, str) else compact(payload))
    ]
    media = result.get("parts")
    if media is not None:
        for k, item in enumerate(as_list(media, f"{path}.parts")):
            item = as_dict(item, f"{path}.parts[{k}]")
            blob = get2(item, "inlineData", "inline_data")
            if blob is not None:
                content.append(_inline_to_ir(blob, f"{path}.parts[{k}].inlineData"))
                continue
            file = get2(item, "fileData", "file_data")
            if file is not None:
                content.append(_file_to_ir(file, f"{path}.parts[{k}].fileData"))
            else:
                warn(
                    warnings,
                    f"{_generic(path)}.parts[]: only inlineData / fileData are carried; dropped the rest",
                )
    return ir.ToolResultPart(call_id, name, content, is_error)


def _inline_to_ir(blob: Any, path: str) -> ir.ImagePart:
    blob = as_dict(blob, path)
    data = as_str(blob.get("data"), f"{path}.data")
    mime = as_str(get2(blob, "mimeType", "mime_type"), f"{path}.mimeType")
    return ir.ImagePart(data=data, media_type=mime)


def _file_to_ir(file: Any, path: str) -> ir.ImagePart:
    file = as_dict(file, path)
    uri = as_str(get2(file, "fileUri", "file_uri"), f"{path}.fileUri")
    mime = get2(file, "mimeType", "mime_type")
    if mime is not None:
        mime = as_str(mime, f"{path}.mimeType")
    return ir.ImagePart(url=uri, media_type=mime)


# ---------------------------------------------------------------------------- IR -> wire

#: URIs Gemini is built to read (File API uploads, Cloud Storage); other URLs may not be fetched.
_NATIVE_URIS = ("https://generativelanguage.googleapis.com/", "gs://")

_SNIFF = (
    ("iVBOR", "image/png"),
    ("/9j/", "image/jpeg"),
    ("R0lGOD", "image/gif"),
    ("UklGR", "image/webp"),
    ("JVBER", "application/pdf"),
)


def image_from_ir(image: ir.ImagePart, warnings: list[str]) -> JSON:
    if image.detail is not None:
        warn(warnings, f"image detail {image.detail!r}: Gemini has no per-image detail; dropped")
    if image.data is not None:
        mime = image.media_type
        if mime is None:
            mime = next((m for prefix, m in _SNIFF if image.data.startswith(prefix)), "image/png")
            warn(warnings, f"image media type: not given; Gemini needs one, sent {mime!r}")
        return {"inlineData": {"mimeType": mime, "data": image.data}}
    url = image.url or ""
    if url.startswith("data:"):
        head, _, data = url.partition(",")
        mime = head[5:].split(";", 1)[0] or "image/png"
        return {"inlineData": {"mimeType": image.media_type or mime, "data": data}}
    if not url.startswith(_NATIVE_URIS):
        warn(
            warnings,
            "image URL: Gemini reads File API and gs:// URIs, and only some public URLs; sent as fileData",
        )
    file: JSON = {"fileUri": url}
    if image.media_type is not None:
        file["mimeType"] = image.media_type
    return {"fileData": file}


def parts_from_ir(parts: list[ir.Part], path: str, warnings: list[str], names: dict[str, str]) -> list[JSON]:
    """IR parts -> Gemini parts. `names` maps tool-call ids seen so far to function names, because
    a `functionResponse` must name its function and other formats' tool results often do not."""
    out: list[JSON] = []
    carried: str | None = None  # a text-less thinking signature waiting for the text part it seals
    last = len(parts) - 1
    for j, part in enumerate(parts):
        if isinstance(part, ir.TextPart):
            if part.cache_control is not None:
                warn(warnings, "cache_control: Gemini caches through cachedContent, not per block; dropped")
            if carried is None:
                out.append({"text": part.text})
            else:
                out.append({"text": part.text, "thoughtSignature": carried})
                carried = None
        elif isinstance(part, ir.ToolCallPart):
            names[part.id] = part.name
            call: JSON = {"functionCall": {"name": part.name, "args": part.arguments, "id": part.id}}
            if part.signature is not None and gemini_signature(part.signature, warnings) is not None:
                call["thoughtSignature"] = part.signature
            out.append(call)
        elif isinstance(part, ir.ToolResultPart):
            out.append(_result_from_ir(part, f"{path}[{j}]", warnings, names))
        elif isinstance(part, ir.ThinkingPart):
            if part.redacted:
                warn(
                    warnings,
                    "redacted thinking: Gemini cannot carry another model's redacted thinking; dropped",
                )
            elif (
                not part.text
                and part.signature is not None
                and j < last
                and type(parts[j + 1]) is ir.TextPart
            ):
                carried = gemini_signature(part.signature, warnings)
            else:
                thought: JSON = {"text": part.text, "thought": True}
                if part.signature is not None and gemini_signature(part.signature, warnings) is not None:
                    thought["thoughtSignature"] = part.signature
                out.append(thought)
        elif isinstance(part, ir.ImagePart):
            out.append(image_from_ir(part, warnings))
        elif isinstance(part, ir.RefusalPart):
            warn(warnings, "refusal: Gemini has no refusal part; sent as text")
            out.append({"text": part.text})
    return out


def _result_from_ir(part: ir.ToolResultPart, path: str, warnings: list[str], names: dict[str, str]) -> JSON:
    name = part.name or names.get(part.tool_call_id)
    if name is None:
        fail(
            f"tool result for tool_call_id {part.tool_call_id!r} has no name and no earlier tool call has that id;"
            " Gemini's functionResponse needs the function name",
            f"{path}.tool_call_id",
        )
    texts = [p.text for p in part.content if isinstance(p, ir.TextPart)]
    text = texts[0] if len(texts) == 1 else "\n".join(texts)
    body: JSON = {
        "name": name,
        "response": {"error": text} if part.is_error else {"output": text},
        "id": part.tool_call_id,
    }
    media = [image_from_ir(p, warnings) for p in part.content if isinstance(p, ir.ImagePart)]
    if media:
        body["parts"] = media
    return {"functionResponse": body}
