"""Pilot tests: the screen at 80x24 (every pane reachable, enough of each to use), the editor's
keys (soft wrap, Format JSON, select all, F6/F7 left to it), the form while the JSON is broken, and
the models found and sorted from the pane and the palette."""

from __future__ import annotations

import json
from typing import Any

from textual.widgets import OptionList

from pipellm_tui.protocols.fields import Param
from pipellm_tui.ui.widgets.keybar import KeyBar

from .conftest import settle, started
from .support import type_request

BROKEN = '{\n  "model": "gpt-4o-mini",\n  "messages": [\n'


def shown(app: Any, selector: str) -> bool:
    widget = app.playground.query_one(selector)
    return bool(widget.display) and widget.region.height > 0 and widget.region.width > 0


async def test_at_80x24_every_pane_is_reachable_and_big_enough(app_for: Any) -> None:
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await started(pilot, app)
        assert screen.has_class("-narrow") and screen.has_class("-short")
        # The editor shows at least 8 lines of JSON, the model list at least 6 models.
        assert screen.editor.text_area.size.height >= 8
        models = screen.query_one("#models-list", OptionList)
        assert models.size.height >= 12  # two lines a model
        # Send, help and quit stay on the key bar.
        keys = {b.id for b, _ in screen.query_one(KeyBar).shown_bindings()}
        assert {"send-request", "help", "quit"} <= keys
        # Each hidden pane comes into its slot when asked for, and the slot's other pane goes.
        assert not shown(app, "#route") and shown(app, "#models")
        await pilot.press("f3")
        await pilot.pause()
        assert shown(app, "#route") and not shown(app, "#models")
        await pilot.press("f6")  # from the route picker (not the editor): the parameters form
        await pilot.pause()
        assert shown(app, "#params") and not shown(app, "#editor")
        await pilot.press("f11")  # maximized, the status line stays
        await pilot.pause()
        assert screen.maximized is screen.query_one("#params")
        assert shown(app, "#status")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("f8")
        await pilot.pause()
        assert shown(app, "#inspector") and not shown(app, "#response")
        await pilot.press("f2", "f4", "f5")
        await pilot.pause()
        for pane in ("#models", "#editor", "#response"):
            assert shown(app, pane), pane


async def test_extra_room_goes_to_the_editor_and_the_payloads(app_for: Any) -> None:
    sizes = {}
    for width, height in ((120, 40), (200, 50)):
        app = app_for()
        async with app.run_test(size=(width, height)) as pilot:
            screen = await started(pilot, app)
            sizes[width] = (
                screen.editor.text_area.size,
                screen.query_one("#inspector").size.width,
                screen.query_one("#models").size.width,
            )
    (editor_120, inspector_120, models_120), (editor_200, inspector_200, models_200) = sizes[120], sizes[200]
    assert editor_200.width > editor_120.width + 40 and editor_200.height > editor_120.height
    assert inspector_200 > inspector_120 + 40
    assert models_200 - models_120 < 10  # the side column barely grows
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:  # the payloads can take the lower half
        screen = await started(pilot, app)
        await pilot.press("alt+p")
        await pilot.pause()
        assert not shown(app, "#response") and screen.inspector.active == "payloads"
        assert screen.query_one("#inspector").size.width >= 80  # was ~43, beside the response
        await pilot.press("f5")
        await pilot.pause()
        assert shown(app, "#response")


async def test_editor_soft_wrap_format_json_and_select_all(app_for: Any) -> None:
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot, app)
        area = screen.editor.text_area
        assert area.soft_wrap
        await pilot.press("alt+w")
        await pilot.pause()
        assert not area.soft_wrap
        await pilot.press("alt+w")
        compact = json.dumps({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]})
        await type_request(pilot, app, compact)
        await pilot.press("alt+f")
        await settle(pilot, app)
        assert area.text == json.dumps(json.loads(compact), indent=2)
        assert app.session.request_text == area.text
        await pilot.press("f4", "ctrl+z")  # one undo brings the text back as typed
        await pilot.pause()
        assert area.text == compact
        await pilot.press("ctrl+a")
        await pilot.pause()
        assert area.selected_text == compact
        # F6 and F7 belong to the editor while it has the focus (select line, select all).
        await pilot.press("f6")
        await pilot.pause()
        assert area.has_focus and area.selected_text.strip() == compact
        # Broken JSON: Format JSON refuses and says so; the text is untouched.
        await type_request(pilot, app, BROKEN)
        await pilot.press("alt+f")
        await pilot.pause()
        assert area.text == BROKEN
        assert any("Not formatted" in n.message for n in app._notifications)


async def test_the_form_keeps_its_values_marked_stale_while_the_json_is_broken(app_for: Any) -> None:
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot, app)
        form = screen.query_one("#params")
        max_tokens = form.query_one(f"#param-{Param.MAX_TOKENS.value}")
        before = max_tokens.value
        assert before and not max_tokens.disabled
        await type_request(pilot, app, BROKEN)
        assert max_tokens.value == before and max_tokens.disabled
        assert form.has_class("-stale") and "stale" in str(form.border_subtitle)
        await type_request(pilot, app, json.dumps({"model": "gpt-4o-mini", "messages": [], "max_tokens": 9}))
        assert max_tokens.value == "9" and not max_tokens.disabled and not form.has_class("-stale")


async def test_models_sort_and_come_from_the_palette(app_for: Any) -> None:
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot, app)
        options = screen.query_one("#models-list", OptionList)

        def ids() -> list[str]:
            return [str(options.get_option_at_index(i).id) for i in range(options.option_count)]

        assert ids() == sorted(ids())
        await pilot.press("alt+s")  # by family
        await pilot.pause()
        families = [app.session.model_family(i).value for i in ids()]  # type: ignore[union-attr]
        assert families == sorted(families)
        await pilot.press("alt+s")  # by input price
        await pilot.pause()
        prices = [app.session.model_info(i).pricing.prompt_per_million for i in ids()]  # type: ignore[union-attr]
        known = [p for p in prices if p is not None]
        assert known == sorted(known) and "price" in str(screen.query_one("#models-state").render())
        await pilot.press("f2", *"sonnet 4.5")
        await pilot.pause()
        assert ids() and all("sonnet-4-5" in i for i in ids())
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Model: gemini-2.5-pro")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.session.model == "gemini-2.5-pro"
        assert json.loads(screen.editor.text)["model"] == "gemini-2.5-pro"


async def test_no_stale_state_after_a_refusal_a_success_or_a_format_switch(app_for: Any) -> None:
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot, app)
        await type_request(
            pilot,
            app,
            json.dumps(
                {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "[[fault:500]] hi"}]}
            ),
        )
        await pilot.press("ctrl+j")
        await settle(pilot, app)
        assert "failed" in str(screen.status.render()) and screen.inspector.active == "error"
        await type_request(pilot, app, BROKEN)
        await pilot.press("ctrl+j")  # refused locally: the line no longer shows the last failure
        await settle(pilot, app)
        status = str(screen.status.render())
        assert status.startswith("not sent") and "failed" not in status and "HTTP —" in status
        await type_request(
            pilot, app, json.dumps({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]})
        )
        await pilot.press("ctrl+j")
        await settle(pilot, app)
        assert "done" in str(screen.status.render())
        assert screen.inspector.active == "payloads"  # not "No error." on the Error tab
        await pilot.press("ctrl+t")  # the answer on show was for the other format: it says so
        await settle(pilot, app)
        assert "openai-chat request" in str(screen.response.border_subtitle)
