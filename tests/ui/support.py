"""What the UI tests share (not a test module: tests import it, never each other).

Requests to type, keys to press, what to read off the screen, and a gateway that holds its model
list back. Each works through the real app (Pilot) against a real server on 127.0.0.1.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from typing import Any

from textual.widgets import OptionList, Static

from pipellm_tui.sandbox.catalog import MODELS
from pipellm_tui.ui.widgets.models import ModelsPane

from ..loopback import serving
from .conftest import settle

CATALOG_IDS = sorted(m.id for m in MODELS)


def chat_body(
    text: str = "Say something about gateways.", *, stream: bool = True, model: str = "gpt-4o-mini"
) -> str:
    body: dict[str, Any] = {
        "model": model,
        "messages": [{"role": "user", "content": text}],
        "max_tokens": 200,
        "stream": stream,
    }
    if stream:
        body["stream_options"] = {"include_usage": True}
    return json.dumps(body, indent=2)


async def type_request(pilot: Any, app: Any, text: str) -> None:
    """Replace the editor's text as a paste would, and let the debounced validation run."""
    editor = app.playground.editor
    editor.text_area.load_text(text)
    # Wait out the debounce by what it does, not by the clock: a loaded CI machine is slow.
    for _ in range(200):
        await pilot.pause(0.05)
        if not editor.pending:
            break
    await pilot.pause()


async def send(pilot: Any, app: Any) -> None:
    await pilot.press("ctrl+j")
    await settle(pilot, app)


def option_ids(app: Any) -> list[str]:
    options = app.playground.query_one("#models-list", OptionList)
    return [options.get_option_at_index(i).id for i in range(options.option_count)]


async def choose(pilot: Any, app: Any, model_id: str) -> None:
    """Filter by the whole id (set at once: typing 26 keys is slow to test) and press Enter."""
    await pilot.press("f2")
    app.playground.query_one(ModelsPane).filter_input.value = model_id
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


def static_text(app: Any, selector: str) -> str:
    return str(app.playground.query_one(selector, Static).render())


CATALOG = {
    "object": "list",
    "data": [
        {"id": "gpt-4o-mini", "object": "model", "owned_by": "openai"},
        {"id": "gemini-2.5-pro", "object": "model", "owned_by": "google"},
    ],
}


@contextmanager
def held_catalog() -> Iterator[tuple[str, threading.Event]]:
    """A gateway whose /v1/models answers only once the yielded event is set."""
    release = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            release.wait(10)
            body = json.dumps(CATALOG).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    try:
        with serving(Handler) as base_url:
            yield base_url, release
    finally:
        release.set()


def count_layouts(monkeypatch: Any) -> list[object]:
    """The screens laid out from now on, counted at Textual's one place for a screen layout."""
    from textual.screen import Screen

    layouts: list[object] = []
    original = Screen._refresh_layout

    def counted(screen: Screen[Any], *args: Any, **kwargs: Any) -> None:
        layouts.append(screen)
        original(screen, *args, **kwargs)

    monkeypatch.setattr(Screen, "_refresh_layout", counted)
    return layouts
