"""Validation of request and response bodies against each format's pydantic schema, as readable issues.

Owns the dispatch (format -> `schemas/<module>.py`, loaded on first use) and the wording: an `Issue`
has the JSON path of the field (`messages[2].content[0].type`) and pydantic's short message
("Field required", "Input should be a valid string, got a number"). Union tags that pydantic puts in
its error locations (`blocks`, `text`, `function-after[...]`) are not part of the body, so paths are
rebuilt by walking the body itself. The request editor, the sandbox's 400s and the CLI use it.

Never raises: whatever the body (any type, any depth, a format name that is none), the answer is a
list of issues, the unexpected included ("this is a bug" wording for what the checks missed).

No I/O; imports only pydantic and the standard library.
"""

from __future__ import annotations

import json
from importlib import import_module
from types import ModuleType
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from .adapters.shared.json_shapes import json_kind
from .formats import Format
from .jsontext import JsonTooDeep, check_depth, loads_bounded
from .problems import Issue, ProtocolError, unexpected

#: Issues beyond this many say little more and cost screen space.
MAX_ISSUES = 50

_MODULE = {
    Format.OPENAI_CHAT: "openai_chat",
    Format.OPENAI_RESPONSES: "openai_responses",
    Format.ANTHROPIC: "anthropic",
    Format.GEMINI: "gemini",
}
_LOADED: dict[Format, ModuleType | None] = {}


def validate_request(fmt: Format | str, body: Any) -> list[Issue]:
    return _validate_any(fmt, "Request", body)


def validate_response(fmt: Format | str, body: Any) -> list[Issue]:
    return _validate_any(fmt, "Response", body)


def first_problem(fmt: Format | str, body_text: str) -> Issue | None:
    """The first thing wrong with a request typed in the editor: JSON syntax first, then the schema."""
    try:
        body = loads_bounded(body_text)
    except ProtocolError as problem:
        exc = problem.__cause__
        if isinstance(exc, json.JSONDecodeError):
            return Issue(
                "", f"Not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}", exc.lineno, exc.colno
            )
        return Issue("", problem.message[:1].upper() + problem.message[1:])
    issues = validate_request(fmt, body)
    return issues[0] if issues else None


def warm_up(fmt: Format) -> None:
    """Load `fmt`'s request schema now (pydantic, the module, its validator: ~75 ms), so the next
    check does not wait for it. Used when a kept verdict spared the start-up its check."""
    _validate_any(fmt, "Request", {})


def _schemas(fmt: Format) -> ModuleType | None:
    if fmt not in _LOADED:
        try:
            _LOADED[fmt] = import_module(f"{__package__}.schemas.{_MODULE[fmt]}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__package__}.schemas.{_MODULE[fmt]}":
                raise  # the module exists but is broken: that is a bug to see, not a format to skip
            _LOADED[fmt] = None
    return _LOADED[fmt]


def _validate_any(fmt: Format | str, which: Literal["Request", "Response"], body: Any) -> list[Issue]:
    try:
        known = Format(fmt)
    except (ValueError, TypeError):
        return [Issue("", f"Unknown format {str(fmt)[:40]!r}")]
    try:
        return _validate(known, which, body)
    except RecursionError:
        return [Issue("", "The body is nested too deeply to check")]
    except Exception as exc:  # noqa: BLE001 - validation reports, it never raises
        return [Issue("", unexpected(f"checking the {which.lower()}", exc))]


def _validate(fmt: Format, which: Literal["Request", "Response"], body: Any) -> list[Issue]:
    if not isinstance(body, dict):
        return [Issue("", f"Expected a JSON object, got {json_kind(body)}")]
    module = _schemas(fmt)
    if module is None:
        return []
    model: type[BaseModel] = getattr(module, which)
    try:
        check_depth(body)  # before pydantic: it would recurse into any depth
    except JsonTooDeep as exc:
        return [Issue("", f"The body is {exc.message}")]
    try:
        model.model_validate(body)
    except ValidationError as exc:
        return issues_from(exc, body)
    except RecursionError:
        return [Issue("", "The body is nested too deeply to check")]
    return []


def issues_from(exc: ValidationError, body: Any) -> list[Issue]:
    """pydantic's errors as Issues with body paths; for a union, the member that got deepest speaks."""
    found: list[tuple[str, str, str]] = []
    for error in exc.errors(include_url=False):
        kind = str(error.get("type", ""))
        path = json_path(body, error.get("loc", ()), missing=kind == "missing")
        found.append((path, kind, _message(error)))
    # A union member that rejected the value's type at `p` says less than one that went inside `p`.
    deeper = {p for p, _, _ in found}
    kept: dict[str, list[str]] = {}
    for path, kind, message in found:
        if kind.endswith("_type") and any(_is_inside(other, path) for other in deeper):
            continue
        messages = kept.setdefault(path, [])
        if message not in messages:
            messages.append(message)
    issues = [Issue(path, _join(messages)) for path, messages in kept.items()]
    return issues[:MAX_ISSUES]


def json_path(body: Any, loc: tuple[int | str, ...] | list[int | str], missing: bool = True) -> str:
    """`messages[2].content[0].type` from a pydantic loc, skipping the union tags pydantic adds.

    `missing` says the error is a missing field, so a last segment absent from the body is that
    field's name; otherwise it is a union tag (`int`, `list[str]`) and not part of the path.
    """
    out: list[str] = []
    current: Any = body
    segments = list(loc)
    for i, seg in enumerate(segments):
        last = i == len(segments) - 1
        if isinstance(seg, int):
            out.append(f"[{seg}]")
            current = (
                current[seg] if isinstance(current, list) and -len(current) <= seg < len(current) else None
            )
            continue
        if isinstance(current, dict):
            if seg in current:
                nxt = segments[i + 1] if not last else None
                if isinstance(nxt, str) and nxt in current and (seg == nxt or current.get("type") == seg):
                    continue  # a discriminator tag named like a key: the next segment is the key
                out.append(f".{seg}" if out else seg)
                current = current[seg]
            elif last and missing:
                out.append(f".{seg}" if out else seg)
            continue
        if current is None and last and missing and out and seg.isidentifier():
            out.append(f".{seg}")  # below a value we could not follow: best effort
    return "".join(out)


def _is_inside(other: str, path: str) -> bool:
    if not path:
        return bool(other)
    return other.startswith((path + ".", path + "["))


def _message(error: Any) -> str:
    message = str(error.get("msg", "invalid"))
    kind = str(error.get("type", ""))
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        message = "Input should be an object"  # not pydantic's "valid dictionary or instance of X"
    if kind.endswith("_type") and "input" in error:
        return f"{message}, got {json_kind(error['input'])}"
    return message


def _join(messages: list[str]) -> str:
    """ "Input should be a valid string" + "... a valid list" -> "Input should be a valid string or a valid list"."""
    if len(messages) == 1:
        return messages[0]
    prefix = "Input should be "
    if all(m.startswith(prefix) for m in messages):
        parts = [m[len(prefix) :].split(", got ")[0] for m in messages]
        got = messages[0].split(", got ")[1] if ", got " in messages[0] else None
        joined = prefix + " or ".join(parts)
        return f"{joined}, got {got}" if got else joined
    return "; ".join(messages)
