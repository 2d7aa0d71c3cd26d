"""Tools every format shares: a tool's function definition, and a tool call's arguments as the JSON
string the OpenAI formats carry (`arguments_object`, `arguments_to_ir`, `arguments_from_ir`).
"""

from __future__ import annotations

import json
from typing import Any

from ... import ir
from .compact_json import _scan, dumps
from .json_shapes import json_kind, wrong
from .losses import warn_once


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
