"""A read-only JSON view: a highlighted code-editor TextArea set up for large bodies.

Must not import httpx2.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import TextArea


def json_view(id: str, **options: Any) -> TextArea:
    area = TextArea.code_editor("", language="json", read_only=True, id=id, **options)
    # Bracket matching rescans the text at every cursor move: too slow on a 500 KB body.
    area.match_cursor_bracket = False
    return area
