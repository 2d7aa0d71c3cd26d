"""Helpers the OpenAI Chat request and response tests share: the adapter, fixture loading, parts as tuples."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pipellm_tui.protocols import Format, ir
from pipellm_tui.protocols.adapters import adapter_for

from ..conftest import OWN_FIXTURES

A = adapter_for(Format.OPENAI_CHAT)
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="


def shared_dir(shared_fixtures: Path) -> Path:
    directory = shared_fixtures / "openai_chat"
    if not directory.is_dir():
        pytest.skip("../shared/fixtures/openai_chat is absent")
    return directory


def load(origin: str, name: str, shared_fixtures: Path) -> Any:
    directory = shared_dir(shared_fixtures) if origin == "shared" else OWN_FIXTURES / "openai_chat"
    return json.loads((directory / name).read_text(encoding="utf-8"))


def summary(parts: list[ir.Part]) -> list[tuple[Any, ...]]:
    """Parts as plain tuples, so expectations are literal values."""
    out: list[tuple[Any, ...]] = []
    for p in parts:
        if isinstance(p, ir.TextPart):
            out.append(("text", p.text))
        elif isinstance(p, ir.ImagePart):
            out.append(("image", p.url, p.media_type, p.data is not None, p.detail))
        elif isinstance(p, ir.ToolCallPart):
            out.append(("call", p.id, p.name, p.arguments))
        elif isinstance(p, ir.ToolResultPart):
            out.append(
                ("result", p.tool_call_id, p.name, [c.text for c in p.content if isinstance(c, ir.TextPart)])
            )
        elif isinstance(p, ir.ThinkingPart):
            out.append(("thinking", p.text))
        elif isinstance(p, ir.RefusalPart):
            out.append(("refusal", p.text))
    return out
