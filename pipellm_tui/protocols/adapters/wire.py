"""JSON shape checks and encodings every adapter shares.

One place for what the four formats' adapters all need, in the order of this file:
- `json_kind`, the JSON name of a value's type, for messages a user can act on;
- `warn_once`, since a loss is said once per conversion however many parts share it;
- the checks that turn a wrong value into a `ProtocolError` with the JSON path of the culprit:
  `fail`, `wrong`, `need_*` (a value that must be there), `opt_*` (one that may be null), `count`
  (a token count) and `read_scalars` (a request's one-value settings, from a table). A missing
  (null) value says "required field missing (expected ...)"; any other wrong value says what it
  is ("expected a string, got a number");
- compact JSON in and out (`dumps`, `quote`, `loads`), made once for the hot paths;
- a tool's function definition, and a tool call's arguments as the JSON string the OpenAI formats
  carry (`arguments_to_ir`, `arguments_from_ir`);
- the deterministic id of an answer whose source named none (`answer_id`);
- how streamed usage reports add up (`merge_usage`);
- images as URLs (data URLs) and the media type of inline data;
- the fields only one format has (`extras`): named as dropped, or put back where they were.

Format-specific readings stay with their format (Gemini's integral floats and one-object lists).
Plain functions over plain dicts: this is the conversion hot path, so no pydantic. Imports only the
standard library and `protocols/`; no I/O.
"""

from __future__ import annotations

import hashlib
import json
import json.encoder
import json.scanner
import math
from collections.abc import Callable
from typing import Any, NoReturn

from .. import ir
from ..formats import Format
from ..problems import ProtocolError

# ---------------------------------------------------------------------------- JSON type names

_KINDS: dict[type, str] = {
    dict: "an object",
    list: "an array",
    str: "a string",
    bool: "a boolean",
    int: "a number",
    float: "a number",
    type(None): "null",
}
#: For subclasses (an OrderedDict is still an object); bool before int, since bool is an int.
_KIND_CLASSES: tuple[tuple[type | tuple[type, ...], str], ...] = (
    (bool, "a boolean"),
    ((int, float), "a number"),
    (str, "a string"),
    (list, "an array"),
    (dict, "an object"),
)


def json_kind(value: Any) -> str:
    """The JSON name of a value's type ("a string", "an object", "null"), for messages a user can act on."""
    kind = _KINDS.get(type(value))
    if kind is not None:
        return kind
    for classes, name in _KIND_CLASSES:
        if isinstance(value, classes):
            return name
    return type(value).__name__


# ---------------------------------------------------------------------------- warnings and failures


def warn_once(warnings: list[str], message: str) -> None:
    """Say each loss once per conversion (or stream), however many parts share it."""
    if message not in warnings:
        warnings.append(message)


def fail(message: str, path: str) -> NoReturn:
    """Raise the `ProtocolError` (same argument order), where an expression needs a NoReturn call."""
    raise ProtocolError(message, path)


def wrong(value: Any, expected: str, path: str) -> NoReturn:
    """`value` at `path` is not `expected` ("a string", "an object"); null is a missing field."""
    if value is None:
        raise ProtocolError(f"required field missing (expected {expected})", path)
    raise ProtocolError(f"expected {expected}, got {json_kind(value)}", path)


# ---------------------------------------------------------------------------- required values


def need_dict(value: Any, path: str) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    wrong(value, "an object", path)


def need_list(value: Any, path: str) -> list[Any]:
    if isinstance(value, list):
        return value
    wrong(value, "an array", path)


def need_str(value: Any, path: str) -> str:
    if isinstance(value, str):
        return value
    wrong(value, "a string", path)


def need_int(value: Any, path: str) -> int:
    if type(value) is int or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    wrong(value, "an integer", path)


def need_number(value: Any, path: str) -> float:
    """An int or a finite float (`json.loads` reads NaN and Infinity, which no API accepts)."""
    if type(value) is int or (type(value) is float and math.isfinite(value)):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if math.isfinite(value):
            return value
        fail(f"expected a finite number, got {value}", path)
    wrong(value, "a number", path)


def need_bool(value: Any, path: str) -> bool:
    if value is True or value is False:
        return value
    wrong(value, "true or false", path)


# ---------------------------------------------------------------------------- optional values


# Each tests the common case itself before handing the rest to need_*: these run per field.


def opt_str(value: Any, path: str) -> str | None:
    if value is None or type(value) is str:
        return value
    return need_str(value, path)


def opt_int(value: Any, path: str) -> int | None:
    if value is None or type(value) is int:
        return value
    return need_int(value, path)


def opt_number(value: Any, path: str) -> float | None:
    if value is None or type(value) is int:
        return value
    return need_number(value, path)


def opt_bool(value: Any, path: str) -> bool | None:
    if value is None or value is True or value is False:
        return value
    return need_bool(value, path)


def count(value: Any, path: str) -> int:
    """A token count: missing or null is 0; anything but a non-negative integer is an error."""
    if value is None:
        return 0
    if type(value) is int and value >= 0:
        return value
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return int(value)
    wrong(value, "a non-negative integer", path)


#: (wire key, `ir.Request` attribute, check) of settings that are one JSON value.
Scalars = tuple[tuple[str, str, Callable[[Any, str], Any]], ...]


def read_scalars(body: dict[str, Any], request: ir.Request, scalars: Scalars) -> None:
    """Copy the one-value settings a body has (`temperature`, `seed`...) onto the request, each
    checked; absent and null ones are left at the request's default."""
    get = body.get
    for key, attribute, check in scalars:
        value = get(key)
        if value is not None:
            setattr(request, attribute, check(value, key))


# ---------------------------------------------------------------------------- compact JSON


def _compact_dumps() -> Callable[[Any], str]:
    """Compact JSON for the wire (`separators=(",", ":")`, UTF-8 kept), its encoder made once.

    `json.dumps` and `JSONEncoder.encode` build a new C encoder on every call, which is half the
    cost of encoding a stream event or a tool call's arguments. No circular-reference check: the
    values are JSON from a parser or dicts of our own. Falls back to the plain encoder where the C
    accelerator is missing.
    """
    plain = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # pragma: no cover - CPython always has it
        return plain.encode
    encode = make(None, plain.default, json.encoder.encode_basestring, None, ":", ",", False, False, True)
    join = "".join

    def dumps(value: Any) -> str:
        return join(encode(value, 0))

    return dumps


dumps = _compact_dumps()
#: A str as a JSON string literal, UTF-8 kept: what `dumps` does to a str, without the call around it.
quote: Callable[[str], str] = json.encoder.encode_basestring

#: The C scanner behind `json.loads`, called directly: compact JSON needs none of `decode`'s
#: whitespace handling. (typeshed types make_scanner's argument as the scanner class, hence the ignore.)
_scan: Callable[[str, int], tuple[Any, int]] = json.scanner.make_scanner(json.JSONDecoder())  # type: ignore[arg-type]


def loads(text: str) -> Any:
    """`json.loads` for one compact JSON value (a stream event's data), at half the cost; anything
    else (surrounding whitespace, an error and its message) goes to `json.loads` itself."""
    try:
        value, end = _scan(text, 0)
    except (StopIteration, ValueError):
        return json.loads(text)
    return value if end == len(text) else json.loads(text)


# ---------------------------------------------------------------------------- tools


def function_definition(tool: ir.Tool, schema_key: str, out: dict[str, Any] | None = None) -> dict[str, Any]:
    """A tool as every format defines a function: its name, its description when it has one, the JSON
    Schema of its arguments under `schema_key` (`parameters`, `input_schema`...), `strict` when set;
    added to `out` when given (a format's own keys first)."""
    if out is None:
        out = {"name": tool.name}
    else:
        out["name"] = tool.name
    if tool.description is not None:
        out["description"] = tool.description
    out[schema_key] = tool.parameters
    if tool.strict is not None:
        out["strict"] = tool.strict
    return out


# ---------------------------------------------------------------------------- tool-call arguments


def arguments_object(text: Any) -> dict[str, Any] | None:
    """The JSON object `text` is, exactly; None for anything else (the fast path of every tool call)."""
    if type(text) is str:
        try:
            value, end = _scan(text, 0)
        except (StopIteration, ValueError, RecursionError):
            return None
        if end == len(text) and type(value) is dict:
            return value
    return None


def arguments_to_ir(text: Any, warnings: list[str] | None, where: str, *at: object) -> dict[str, Any]:
    """A tool call's JSON-string arguments as an object. Blank text is no arguments; text that is not
    one JSON object is kept verbatim as `{"_raw": text}` (with a warning) so it can go back unchanged.

    `where` is the JSON path of the arguments, or a template for it that `at` fills in: spelled out
    only when something is wrong. The hottest loops call `arguments_object` first and this only
    when it finds no object, which saves a call per tool call.
    """
    parsed = arguments_object(text)
    if parsed is not None:
        return parsed
    if not isinstance(text, str):
        wrong(text, "a JSON string", where.format(*at) if at else where)
    if not text or text.isspace():
        return {}
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        problem = "not valid JSON"
    else:
        if isinstance(value, dict):  # with whitespace around it, or a dict from an odd decoder
            return value
        problem = f"JSON {json_kind(value)}, not an object"
    if warnings is not None:
        warn_once(warnings, f"{where.format(*at) if at else where}: {problem}; kept as {{'_raw': ...}}")
    return {"_raw": text}


def arguments_from_ir(arguments: dict[str, Any]) -> str:
    """The arguments as the wire's JSON string; a `{"_raw": ...}` kept by a reader goes back verbatim."""
    if len(arguments) == 1:
        raw = arguments.get("_raw")
        if isinstance(raw, str):
            return raw
    return dumps(arguments)


# ---------------------------------------------------------------------------- ids


def synthetic_id(prefix: str, seed: str) -> str:
    """`prefix` and a hash of `seed`: the same input always gets the same id (no clock, no randomness)."""
    return prefix + hashlib.blake2b(seed.encode(), digest_size=12).hexdigest()


def answer_id(prefix: str, response: ir.Response) -> str:
    """The id of an answer whose source named none, from what it says: model, text and tool calls."""
    calls = [(p.name, p.arguments) for p in response.parts if type(p) is ir.ToolCallPart]
    return synthetic_id(prefix, f"{response.model}\n{response.text}\n{calls}")


# ---------------------------------------------------------------------------- usage


def merge_usage(old: ir.Usage | None, new: ir.Usage) -> ir.Usage:
    """Streamed usage reports are cumulative, so the latest wins; a count it leaves at 0 keeps what an
    earlier report said (Anthropic's message_delta knows only the output tokens)."""
    if old is None:
        return new
    return ir.Usage(
        new.input_tokens or old.input_tokens,
        new.output_tokens or old.output_tokens,
        new.cache_read_tokens or old.cache_read_tokens,
        new.cache_write_tokens or old.cache_write_tokens,
        new.reasoning_tokens or old.reasoning_tokens,
    )


# ---------------------------------------------------------------------------- images

#: Base64 openings of file signatures, to name the media type of inline data that came without one.
_SIGNATURES = (
    ("iVBOR", "image/png"),
    ("/9j/", "image/jpeg"),
    ("R0lGOD", "image/gif"),
    ("UklGR", "image/webp"),
    ("JVBER", "application/pdf"),
)


def media_type_of(image: ir.ImagePart, warnings: list[str]) -> str:
    """The media type of inline data: as given, or read from its first bytes (PNG when they say
    nothing), with a warning, for the formats that need one."""
    if image.media_type:
        return image.media_type
    data = image.data or ""
    media = next((media for opening, media in _SIGNATURES if data.startswith(opening)), "image/png")
    warn_once(warnings, f"image media type: not given; {media} assumed from the data")
    return media


def image_from_url(url: str, detail: str | None = None) -> ir.ImagePart:
    """An image URL as a part: a `data:<mime>;base64,<data>` URL is inline data, any other a web address."""
    if url.startswith("data:"):
        head, comma, data = url.partition(",")
        if comma and head.endswith(";base64"):
            return ir.ImagePart(data=data, media_type=head[5:-7] or None, detail=detail)
    return ir.ImagePart(url=url, detail=detail)


def image_to_url(image: ir.ImagePart, warnings: list[str]) -> str:
    """The part as one URL: a data URL for inline data, else its web address."""
    if image.data is not None:
        return f"data:{media_type_of(image, warnings)};base64,{image.data}"
    return image.url or ""


# ---------------------------------------------------------------------------- extras


def drop_extras(extras: dict[str, Any], source: Format | None, target: str, warnings: list[str]) -> None:
    """Name each field only the source format has (kept in `extras`) as one the target cannot carry."""
    what = f"this {source.label} field" if source is not None else "this field"
    for key in extras:
        warn_once(warnings, f"{key}: {target} has no equivalent of {what}; dropped")


def put_dotted(body: dict[str, Any], key: str, value: Any, replace: bool = True) -> None:
    """Put an extra kept under a dotted name (`text.verbosity`) back at its place in the body;
    `replace=False` leaves a value the body already has."""
    *parents, leaf = key.split(".")
    target = body
    for name in parents:
        child = target.get(name)
        if not isinstance(child, dict):
            child = target[name] = {}
        target = child
    if replace:
        target[leaf] = value
    else:
        target.setdefault(leaf, value)
