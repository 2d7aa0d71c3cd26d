"""The request being drafted: its JSON text (the truth), the parameters read from and written into it
(through `protocols.fields`), and the switch to another format that keeps the conversation.

Pure functions over (format, text/body, model); `playground/session.py` holds the state and calls
them. Must not import Textual or httpx2.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..protocols.fields import Param, read_param, supports, without_playground_hints, write_model, write_param
from ..protocols.formats import Family, Format
from ..protocols.problems import Issue
from ..protocols.routes import Route
from ..protocols.templates import pretty

#: A model family in a sentence: "gpt-4o is an OpenAI model".
FAMILY_NAME = {Family.OPENAI: "an OpenAI", Family.ANTHROPIC: "an Anthropic", Family.GEMINI: "a Gemini"}


class SendRefused(Exception):
    """The request cannot be sent as it stands; the message says why and where."""


def guard_problem(route: Route, model: str, family: Family | None) -> str | None:
    """Why the route will refuse the model, said before sending (the protocol guard of PipeLLM and
    the sandbox: a native route takes only its own family's models); None: it will not."""
    if not route.available:
        return route.note
    if family is None or family in route.families:
        return None
    return (
        f"{model} is {FAMILY_NAME[family]} model: the native {route.format.label} route "
        "will refuse it. Use the converter route."
    )


def request_body(text: str) -> dict[str, Any] | None:
    """The request text as a JSON object; None when it is not one."""
    try:
        body = json.loads(text)
    except json.JSONDecodeError:
        return None
    return body if isinstance(body, dict) else None


def formatted_request(text: str) -> str | None:
    """The request text re-indented, or None when it is not JSON (nothing to format)."""
    try:
        return pretty(json.loads(text))
    except json.JSONDecodeError:
        return None


@dataclass(frozen=True, slots=True)
class Check:
    """What a check of the request text found: its first problem (None: valid)."""

    format: Format
    text: str
    problem: Issue | None

    def holds(self, fmt: Format, text: str) -> bool:
        """Whether this is the check of `text` for `fmt` (nothing changed since)."""
        return self.format is fmt and self.text == text


def check(fmt: Format, text: str, last: Check | None = None) -> Check:
    """The check of `text` for `fmt`: `last` when it was of the same, else a new one (pydantic and
    the format's schema load with the first)."""
    if last is not None and last.holds(fmt, text):
        return last
    return Check(fmt, text, first_issue(fmt, text))


def first_issue(fmt: Format, text: str) -> Issue | None:
    """What is wrong with the request text for `fmt` (its first problem), None when it is valid."""
    from ..protocols.validate import first_problem

    body = request_body(text)
    if body is None:
        return first_problem(fmt, text) or Issue("", "expected a JSON object")
    return first_problem(fmt, json.dumps(without_playground_hints(fmt, body)))


def read_params(fmt: Format, body: dict[str, Any]) -> dict[Param, Any]:
    """Every setting `fmt` has, as the body holds it (None: not set)."""
    return {p: read_param(fmt, body, p) for p in Param if supports(fmt, p)}


def switched_request(
    body: dict[str, Any] | None, source: Format, target: Format, model: str
) -> tuple[dict[str, Any], list[str]]:
    """The request converted from `source` to `target` (the model and the stream flag kept), and the
    conversion's warnings. SendRefused when it cannot be converted (not a JSON object, or the
    conversion fails): the caller then keeps the request and the format as they are."""
    from ..protocols.convert import convert_request

    if body is None:
        raise SendRefused(
            f"Not switched to {target.label}: the request is not a valid JSON object, so it cannot be "
            "converted. It is kept as it is: fix it first, or start from the template (New request)."
        )
    try:
        converted = convert_request(without_playground_hints(source, body), source, target, model)
    except Exception as exc:  # noqa: BLE001 - a ProtocolError or an adapter gap: say it, keep the request
        raise SendRefused(
            f"Not switched to {target.label}: the request could not be converted ({exc}). It is kept as it is."
        ) from None
    new_body = write_model(target, converted.payload, model)
    stream = read_param(source, body, Param.STREAM)
    if stream is not None:
        new_body = write_param(target, new_body, Param.STREAM, stream)
    return new_body, list(converted.warnings)
