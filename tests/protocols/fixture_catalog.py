"""Find and classify the wire-format fixtures: the real ones in ../shared/fixtures and our own.

A fixture is a request, a response, a stream (SSE text) or something else (errors, single events,
unparseable samples), decided by its name and, for JSON, its shape.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pipellm_tui.protocols import Format

from ..conftest import OWN_FIXTURES, SHARED_FIXTURES

DIRECTORY: dict[Format, str] = {
    Format.OPENAI_CHAT: "openai_chat",
    Format.OPENAI_RESPONSES: "openai_responses",
    Format.ANTHROPIC: "anthropic",
    Format.GEMINI: "gemini",
}

Kind = Literal["request", "response", "stream", "other"]


@dataclass(frozen=True)
class Fixture:
    format: Format
    path: Path
    kind: Kind
    origin: Literal["shared", "own"]

    @property
    def id(self) -> str:
        return f"{self.origin}:{self.format}:{self.path.name}"

    def json(self) -> Any:
        return json.loads(self.path.read_text(encoding="utf-8"))

    def sse_text(self) -> str:
        """The stream as SSE text; Gemini `.chunks.json` arrays are framed the way `alt=sse` sends them."""
        if self.path.name.endswith(".chunks.json"):
            return "".join(f"data: {json.dumps(chunk)}\r\n\r\n" for chunk in self.json())
        return self.path.read_text(encoding="utf-8")


def _kind(path: Path) -> Kind:
    name = path.name
    if name.endswith(".derived.sse"):
        return "other"  # the same stream as the matching .chunks.json
    if name.endswith((".sse", ".chunks.json")):
        return "stream"
    if not name.endswith(".json") or "error" in name or name.startswith("spec_event_"):
        return "other"
    if name.endswith(".request.json"):
        return "request"
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return "other"
    if not isinstance(body, dict) or "status_code" in body or "statusCode" in body:
        return "other"
    if body.get("error") is not None:  # OpenAI Responses bodies carry `"error": null` when all is well
        return "other"
    return "response"


def fixtures(kind: Kind, origin: Literal["shared", "own", "all"] = "all") -> list[Fixture]:
    roots = []
    if origin in ("shared", "all"):
        roots.append(("shared", SHARED_FIXTURES))
    if origin in ("own", "all"):
        roots.append(("own", OWN_FIXTURES))
    found = []
    for label, root in roots:
        for fmt, directory in DIRECTORY.items():
            folder = root / directory
            if not folder.is_dir():
                continue
            for path in sorted(folder.iterdir()):
                if path.is_file() and _kind(path) == kind:
                    found.append(Fixture(fmt, path, kind, label))  # type: ignore[arg-type]
    return found
