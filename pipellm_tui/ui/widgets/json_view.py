"""A read-only JSON view: a code-editor TextArea set up for large bodies.

Three costs grow with the body and are cut here: tree-sitter highlighting (off above
`HIGHLIGHT_LIMIT`), bracket matching (off: Textual 8.2.8 scans from the cursor to the matching bracket
on every cursor move, a whole 500 KB body on each load, even when matching is not shown), and very
long lines (the text given is already elided by `payload_views.shown_json`). Must not import httpx2.
"""

from __future__ import annotations

from typing import Any, cast

from textual.widgets import TextArea
from textual.widgets.text_area import Location

#: Above this many characters a JSON view is shown without highlighting (tree-sitter slows down).
HIGHLIGHT_LIMIT = 200_000


class JsonView(TextArea):
    def find_matching_bracket(self, bracket: str, search_from: Location) -> Location | None:
        return None

    def show(self, text: str, *, language: str | None = "json") -> None:
        """Load `text`, highlighted as `language` when it is small enough."""
        self.language = language if len(text) <= HIGHLIGHT_LIMIT else None
        self.load_text(text)


def json_view(id: str, **options: Any) -> JsonView:
    # code_editor builds `cls(...)` (typed as TextArea).
    area = cast(JsonView, JsonView.code_editor("", language="json", read_only=True, id=id, **options))
    area.match_cursor_bracket = False
    return area
