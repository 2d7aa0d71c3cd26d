"""Gemini `Content.parts` <-> IR parts.

Owns: every part kind (text, thought, inlineData, fileData, functionCall, functionResponse) in both
directions (ids for id-less `functionCall` parts and the matching of `functionResponse` parts to
them are call_ids.py), and the function name a `functionResponse` needs when the IR's
tool result has none. Plain dict access on the hot path, no pydantic. Standard library and
`protocols/` only.
"""

from __future__ import annotations

from typing import Any

from ... import ir
from ..shared.compact_json import dumps
from ..shared.hosted import drop_hosted
from ..shared.images import image_from_url, media_type_of
from ..shared.json_shapes import fail, need_dict, wrong
from ..shared.losses import warn_once
from .call_ids import CallIds
from .hosted import code_from_ir, code_to_ir, result_to_ir
from .wire import JSON, gemini_signature, get2, one_or_many

# ---------------------------------------------------------------------------- wire -> IR

_PART_DROPPED = {
    "videoMetadata": "video clipping",
    "video_metadata": "video clipping",
}

# Part keys by kind. A part is read by walking its (one to three) keys once, not by probing every
# spelling of every kind: this is the hot path of every Gemini conversion.
_SIGNATURE, _THOUGHT, _TEXT, _CALL, _RESULT, _INLINE, _FILE, _CODE, _CODE_RESULT = range(9)
_KIND = {
    "thoughtSignature": _SIGNATURE,
    "thought_signature": _SIGNATURE,
    "thought": _THOUGHT,
    "text": _TEXT,
    "functionCall": _CALL,
    "function_call": _CALL,
    "functionResponse": _RESULT,
    "function_response": _RESULT,
    "inlineData": _INLINE,
    "inline_data": _INLINE,
    "fileData": _FILE,
    "file_data": _FILE,
    **dict.fromkeys(("executableCode", "executable_code"), _CODE),
    **dict.fromkeys(("codeExecutionResult", "code_execution_result"), _CODE_RESULT),
}

#: Where a Content's parts are, e.g. ("contents", 3, ".parts"); paths are only spelled out on errors.
Where = tuple[str, int, str]


def at(where: Where, j: int, tail: str = "") -> str:
    return f"{where[0]}[{where[1]}]{where[2]}[{j}]{tail}"


def parts_to_ir(
    raw_parts: Any, where: Where, warnings: list[str], ids: CallIds, id_prefix: str | None = None
) -> list[ir.Part]:
    """One Content's parts. Id-less calls get `<id_prefix><n>` (n: the call's ordinal in this
    Content), or `call_<turn>_<n>` when no prefix is given (requests: turn = where[1])."""
    if type(raw_parts) is not list:
        raw_parts = one_or_many(raw_parts, f"{where[0]}[{where[1]}]{where[2]}")
    out: list[ir.Part] = []
    calls = 0
    value: Any
    for j, part in enumerate(raw_parts):
        if type(part) is not dict:
            wrong(part, "an object", at(where, j))
        if len(part) == 1:  # the common cases, without the general walk below
            one = one_key_part(part, where, j, warnings, ids, id_prefix, calls)
            if one is not None:
                out.append(one)
                if type(one) is ir.ToolCallPart:
                    calls += 1
                continue
        kind = -1
        value = None
        signature: Any = None
        thought: Any = None
        known = 0
        crowded = False
        for key, item in part.items():
            k = _KIND.get(key)
            if k is None:
                continue
            known += 1
            if k >= _TEXT:
                if item is None:
                    continue
                if kind < 0:
                    kind, value = k, item
                else:
                    crowded = True
            elif k == _SIGNATURE:
                signature = item
            else:
                thought = item
        if signature is not None and type(signature) is not str:
            wrong(signature, "a string", at(where, j, ".thoughtSignature"))
        if kind == _TEXT:
            if type(value) is not str:
                wrong(value, "a string", at(where, j, ".text"))
            if thought is not None and type(thought) is not bool:
                wrong(thought, "true or false", at(where, j, ".thought"))
            if thought:
                out.append(ir.ThinkingPart(value, signature))
            else:
                if signature is not None:
                    # A signature on a plain text part seals the thinking before it: keep it as a
                    # text-less thinking part so it can be echoed back on the same part later.
                    out.append(ir.ThinkingPart("", signature))
                out.append(ir.TextPart(value))
        elif kind == _CALL:
            out.append(_call_to_ir(value, where, j, ids, id_prefix, calls, signature))
            calls += 1
        elif kind == _RESULT:
            out.append(_result_to_ir(value, where, j, warnings, ids, id_prefix))
        elif kind == _INLINE:
            out.append(_inline_to_ir(value, where, j, ".inlineData"))
        elif kind == _FILE:
            out.append(_file_to_ir(value, where, j, ".fileData"))
        elif kind == _CODE:
            out.append(code_to_ir(value, j))
        elif kind == _CODE_RESULT:
            result_to_ir(value, out)
        elif signature is not None:
            out.append(ir.ThinkingPart("", signature))  # a bare signature closing a streamed turn
        if crowded or known != len(part):
            _warn_unused(part, where, warnings)
    return out


def one_key_part(
    part: JSON, where: Where, j: int, warnings: list[str], ids: CallIds, id_prefix: str | None, calls: int
) -> ir.Part | None:
    """A part with one key that is text, a functionCall or a functionResponse (nearly every part of
    a conversation), read without the general walk; None for anything else."""
    if type(text := part.get("text")) is str:
        return ir.TextPart(text)
    if (value := part.get("functionCall")) is not None:
        return _call_to_ir(value, where, j, ids, id_prefix, calls, None)
    if (value := part.get("functionResponse")) is not None:
        return _result_to_ir(value, where, j, warnings, ids, id_prefix)
    return None


def _warn_unused(part: JSON, where: Where, warnings: list[str]) -> None:
    generic = f"{where[0]}[]{where[2]}[]"  # one warning covers every occurrence
    for key in part:
        if key not in _KIND:
            what = _PART_DROPPED.get(key, "this Gemini part field")
            warn_once(warnings, f"{generic}.{key}: {what} has no place in the neutral form; dropped")
    kinds = [key for key in part if _KIND.get(key, -1) >= _TEXT and part[key] is not None]
    if len(kinds) > 1:
        warn_once(
            warnings,
            f"{generic}: a part holds one kind of data; kept {kinds[0]}, dropped {', '.join(kinds[1:])}",
        )


def _call_to_ir(
    call: Any, where: Where, j: int, ids: CallIds, id_prefix: str | None, n: int, signature: str | None
) -> ir.ToolCallPart:
    if type(call) is not dict:
        wrong(call, "an object", at(where, j, ".functionCall"))
    name = call.get("name")
    if type(name) is not str:
        wrong(name, "a string", at(where, j, ".functionCall.name"))
    args = call.get("args")
    if type(args) is not dict:
        if args is not None:
            wrong(args, "an object", at(where, j, ".functionCall.args"))
        args = {}
    call_id = call.get("id")
    if type(call_id) is not str:
        if call_id is not None:
            wrong(call_id, "a string", at(where, j, ".functionCall.id"))
        call_id = f"{id_prefix}{n}" if id_prefix is not None else f"call_{where[1]}_{n}"
    ids.called(name, call_id)
    return ir.ToolCallPart(call_id, name, args, signature)


def _result_to_ir(
    result: Any, where: Where, j: int, warnings: list[str], ids: CallIds, id_prefix: str | None
) -> ir.ToolResultPart:
    if type(result) is not dict:
        wrong(result, "an object", at(where, j, ".functionResponse"))
    name = result.get("name")
    if type(name) is not str:
        wrong(name, "a string", at(where, j, ".functionResponse.name"))
    given = result.get("id")
    if given is not None and type(given) is not str:
        wrong(given, "a string", at(where, j, ".functionResponse.id"))
    call_id = ids.answered(name, given)
    if call_id is None:
        call_id = f"{id_prefix}r{j}" if id_prefix is not None else f"call_{where[1]}_r{j}"
        warn_once(
            warnings,
            f"{at(where, j, '.functionResponse')}: no earlier functionCall named {name!r} to answer;"
            f" id {call_id!r} made up",
        )
    response = result.get("response")
    if type(response) is not dict:
        wrong(response, "an object", at(where, j, ".functionResponse.response"))
    content: list[ir.TextPart | ir.ImagePart]
    if len(response) == 1 and type(output := response.get("output")) is str:
        content = [ir.TextPart(output)]  # the common answer, read without the walk below
        is_error = False
    else:
        is_error = "error" in response
        # Google documents {"output": ...} / {"error": ...}; anything else is the output as a whole.
        payload: Any = response
        if len(response) == 1:
            for key, value in response.items():
                if key == "output" or key == "error" or key == "result":
                    payload = value
        content = [ir.TextPart(payload if type(payload) is str else dumps(payload))]
    media = result.get("parts")
    if media is not None:
        for k, item in enumerate(one_or_many(media, at(where, j, ".functionResponse.parts"))):
            tail = f".functionResponse.parts[{k}]"
            item = need_dict(item, at(where, j, tail))
            blob = get2(item, "inlineData", "inline_data")
            if blob is not None:
                content.append(_inline_to_ir(blob, where, j, f"{tail}.inlineData"))
                continue
            file = get2(item, "fileData", "file_data")
            if file is not None:
                content.append(_file_to_ir(file, where, j, f"{tail}.fileData"))
            else:
                warn_once(
                    warnings,
                    f"{where[0]}[]{where[2]}[].functionResponse.parts[]: only inlineData / fileData"
                    " are carried; dropped the rest",
                )
    return ir.ToolResultPart(call_id, name, content, is_error)


def _inline_to_ir(blob: Any, where: Where, j: int, tail: str) -> ir.ImagePart:
    blob = need_dict(blob, at(where, j, tail))
    data = blob.get("data")
    if type(data) is not str:
        wrong(data, "a string", at(where, j, f"{tail}.data"))
    mime = get2(blob, "mimeType", "mime_type")
    if type(mime) is not str:
        wrong(mime, "a string", at(where, j, f"{tail}.mimeType"))
    return ir.ImagePart(data=data, media_type=mime)


def _file_to_ir(file: Any, where: Where, j: int, tail: str) -> ir.ImagePart:
    file = need_dict(file, at(where, j, tail))
    uri = get2(file, "fileUri", "file_uri")
    if type(uri) is not str:
        wrong(uri, "a string", at(where, j, f"{tail}.fileUri"))
    mime = get2(file, "mimeType", "mime_type")
    if mime is not None and type(mime) is not str:
        wrong(mime, "a string", at(where, j, f"{tail}.mimeType"))
    return ir.ImagePart(url=uri, media_type=mime)


# ---------------------------------------------------------------------------- IR -> wire

#: URIs Gemini is built to read (File API uploads, Cloud Storage); other URLs may not be fetched.
_NATIVE_URIS = ("https://generativelanguage.googleapis.com/", "gs://")


def image_from_ir(image: ir.ImagePart, warnings: list[str]) -> JSON:
    if image.detail is not None:
        warn_once(warnings, f"image detail {image.detail!r}: Gemini has no per-image detail; dropped")
    if image.filename is not None:
        warn_once(warnings, "document file name: Gemini inline data carries no name; dropped")
    url = image.url or ""
    if image.data is None and url.startswith("data:"):
        inline = image_from_url(url)  # a data URL is inline data, which Gemini takes as it is
        if inline.data is not None:
            image = ir.ImagePart(data=inline.data, media_type=image.media_type or inline.media_type)
    if image.data is not None:
        return {"inlineData": {"mimeType": media_type_of(image, warnings), "data": image.data}}
    if not url.startswith(_NATIVE_URIS):
        warn_once(
            warnings,
            "image URL: Gemini reads File API and gs:// URIs, and only some public URLs; sent as fileData",
        )
    file: JSON = {"fileUri": url}
    if image.media_type is not None:
        file["mimeType"] = image.media_type
    return {"fileData": file}


def parts_from_ir(
    parts: list[ir.Part], where: Where, warnings: list[str], names: dict[str, str]
) -> list[JSON]:
    """IR parts -> Gemini parts. `names` maps tool-call ids seen so far to function names, because
    a `functionResponse` must name its function and other formats' tool results often do not."""
    out: list[JSON] = []
    carried: str | None = None  # a text-less thinking signature waiting for the text part it seals
    last = len(parts) - 1
    for j, part in enumerate(parts):
        if isinstance(part, ir.TextPart):
            if part.cache_control is not None:
                warn_once(
                    warnings, "cache_control: Gemini caches through cachedContent, not per block; dropped"
                )
            if part.citations and where[0] != "candidates":  # an answer's go in its groundingMetadata
                warn_once(warnings, "citations: Gemini requests have no place for citations; dropped")
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
            out.append(_result_from_ir(part, where, j, warnings, names))
        elif isinstance(part, ir.ThinkingPart):
            if part.redacted:
                warn_once(
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
            warn_once(warnings, "refusal: Gemini has no refusal part; sent as text")
            out.append({"text": part.text})
        elif part.kind == "code_execution":
            out.extend(code_from_ir(part, warnings))
        elif where[0] != "candidates":  # an answer's searches go in its groundingMetadata
            drop_hosted(part, "Gemini requests have no place for a past search", warnings)
    return out


def _result_from_ir(
    part: ir.ToolResultPart, where: Where, j: int, warnings: list[str], names: dict[str, str]
) -> JSON:
    name = part.name or names.get(part.tool_call_id)
    if name is None:
        fail(
            f"tool result for tool_call_id {part.tool_call_id!r} has no name and no earlier tool call has that id;"
            " Gemini's functionResponse needs the function name",
            at(where, j, ".tool_call_id"),
        )
    content = part.content
    media: list[JSON] = []
    if len(content) == 1 and type(content[0]) is ir.TextPart:
        text = content[0].text
    else:
        texts = []
        for item in content:
            if isinstance(item, ir.TextPart):
                texts.append(item.text)
            else:
                media.append(image_from_ir(item, warnings))
        text = texts[0] if len(texts) == 1 else "\n".join(texts)
    body: JSON = {
        "name": name,
        "response": {"error": text} if part.is_error else {"output": text},
        "id": part.tool_call_id,
    }
    if media:
        body["parts"] = media
    return {"functionResponse": body}
