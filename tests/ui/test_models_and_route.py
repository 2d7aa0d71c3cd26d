"""Pilot tests: the model list (load, filter, choose) and the format/route picker (flag, converter)."""

from __future__ import annotations

import json
from typing import Any

from textual.widgets import Input, OptionList, Static

from pipellm_tui.protocols.formats import Format, RouteKind
from pipellm_tui.ui.widgets.models import ModelsPane

from .conftest import make_app, started
from .support import CATALOG_IDS, choose, count_layouts, option_ids, static_text


async def test_models_load_with_family_and_price(app_for: Any) -> None:
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot, app)
        assert option_ids(app) == CATALOG_IDS
        options = app.playground.query_one("#models-list", OptionList)
        gpt4o = str(options.get_option_at_index(CATALOG_IDS.index("gpt-4o")).prompt)
        assert "openai" in gpt4o and "$2.50/$10.00" in gpt4o
        assert f"{len(CATALOG_IDS)} models" in static_text(app, "#models-state")


async def test_filter_as_you_type_and_empty_state(app_for: Any) -> None:
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot, app)
        await pilot.press("f2", *"claude")
        await pilot.pause()
        claudes = [i for i in CATALOG_IDS if "claude" in i]
        assert option_ids(app) == claudes and len(claudes) >= 3
        await pilot.press("down", "down", "up", "down", "enter")  # arrows move through the matches
        await pilot.pause()
        assert app.session.model == claudes[2]
        assert json.loads(app.playground.editor.text)["model"] == claudes[2]
        await pilot.press(*"zzz")
        await pilot.pause()
        assert option_ids(app) == []
        assert "No model matches" in static_text(app, "#models-state")


async def test_filtering_reuses_each_models_option_and_the_mark_follows_the_choice(app_for: Any) -> None:
    """A model's option (its prompt's text and wrapped height) is made once and reused by every
    filtering; choosing a model makes the options whose mark (●) changed anew."""
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot, app)
        options = app.playground.query_one("#models-list", OptionList)
        first = {options.get_option_at_index(i).id: options.get_option_at_index(i) for i in range(options.option_count)}
        await pilot.press("f2", *"gpt")
        await pilot.pause()
        await pilot.press(*["backspace"] * 3)
        await pilot.pause()
        again = {options.get_option_at_index(i).id: options.get_option_at_index(i) for i in range(options.option_count)}
        assert list(again) == CATALOG_IDS
        assert all(again[model] is first[model] for model in CATALOG_IDS)
        current = app.session.model
        other = next(model for model in CATALOG_IDS if model.startswith("claude"))
        await choose(pilot, app, other)
        app.playground.query_one("#models-filter", Input).value = ""  # the whole list again
        await pilot.pause()
        marked = {options.get_option_at_index(i).id: options.get_option_at_index(i) for i in range(options.option_count)}
        assert str(marked[other].prompt).startswith("● ") and not str(marked[current].prompt).startswith("● ")
        assert marked[other] is not first[other] and marked[current] is not first[current]
        unchanged = [model for model in CATALOG_IDS if model not in (current, other)]
        assert all(marked[model] is first[model] for model in unchanged)


async def test_a_filtered_list_is_at_its_place_in_the_first_frame_that_shows_it(app_for: Any) -> None:
    """The list scrolls to its highlighted model as its options change (it is laid out already),
    not a frame later: no frame shows the new options from the list's top, and one render less."""
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot, app)
        options = screen.query_one("#models-list", OptionList)
        for query in ("gpt", "", "o"):
            screen.query_one("#models-filter", Input).value = query
            screen._show_models()  # what the filter's change runs; no frame in between
            assert options.highlighted is not None and options.option_count > 1
            placed = options.scroll_offset.y
            screen.query_one(ModelsPane).show_highlight()  # what the frame after would do
            assert options.scroll_offset.y == placed, query
            await pilot.pause()


async def test_the_list_never_starts_inside_a_models_option(app_for: Any) -> None:
    """Near the list's end (the current model at the top as far as it goes) the view started on a
    price line without its model; it starts at a model's name, the current model still whole."""
    from pipellm_tui.ui.textual_compat import option_at_line

    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot, app)
        options = screen.query_one("#models-list", OptionList)
        # The last model: its two lines at the bottom come first, whatever line the view starts on.
        for current, aligned in (("gpt-4o-mini", True), (CATALOG_IDS[0], True), (CATALOG_IDS[-1], False)):
            screen.session.model = current
            screen._show_models()
            await pilot.pause()
            top = round(options.scroll_y)
            found = option_at_line(options, top)
            assert found is not None and (found[1] == 0 or not aligned), (current, found)
            index = CATALOG_IDS.index(current)
            view = range(top, top + options.scrollable_content_region.height)
            lines = [line for line in range(len(options._lines)) if options._lines[line][0] == index]
            assert all(line in view for line in lines), (current, lines, view)


async def test_choosing_a_model_sets_the_request_and_proposes_the_route(app_for: Any) -> None:
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot, app)
        claude = next(i for i in CATALOG_IDS if i.startswith("claude-sonnet-4-5"))
        await choose(pilot, app, claude)
        body = json.loads(screen.editor.text)
        assert body["model"] == claude
        # Proposed, not switched: the route stays, the flag and a notice name the one key.
        assert app.session.route_kind is RouteKind.NATIVE
        notices = [n.message for n in app._notifications]
        assert any("ctrl+g" in m and "converter" in m for m in notices), notices
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert app.session.route_kind is RouteKind.CONVERTER
        assert "/openai/v1/chat/completions" in static_text(app, "#route-plan")
        # Back to an OpenAI model: the native route is proposed (ctrl+r), not taken.
        await choose(pilot, app, "gpt-4o-mini")
        assert json.loads(screen.editor.text)["model"] == "gpt-4o-mini"
        assert app.session.route_kind is RouteKind.CONVERTER
        assert any("ctrl+r" in n.message for n in app._notifications)


async def test_models_error_state_shows_the_api_error(sandbox: Any) -> None:
    app = make_app(sandbox.base_url, "pipe-wrong-key")
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot, app)
        state = static_text(app, "#models-state")
        assert state.startswith("Could not load models:")
        assert app.session.error is not None and app.session.error.status == 401
        assert "Incorrect API key" in app.session.error.message
        assert " ".join(app.session.error.message.split()) in " ".join(state.split())
        error_title = static_text(app, "#error-title")
        assert error_title.startswith("HTTP 401")
        assert option_ids(app) == []


async def test_native_route_with_other_family_is_flagged_and_one_key_switches(app_for: Any) -> None:
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot, app)
        claude = next(i for i in CATALOG_IDS if i.startswith("claude"))
        await choose(pilot, app, claude)  # the route stays native: the guard would refuse it
        await pilot.pause()
        assert app.session.route_kind is RouteKind.NATIVE
        flag = screen.query_one("#route-flag", Static)
        assert flag.has_class("-shown")
        assert f"{claude} is an Anthropic model" in str(flag.render())
        assert "native OpenAI Chat Completions route will refuse it" in str(flag.render())
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert app.session.route_kind is RouteKind.CONVERTER
        assert not flag.has_class("-shown")


async def test_plan_shows_url_and_headers_with_the_key_masked(app_for: Any, sandbox: Any) -> None:
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot, app)
        plan = static_text(app, "#route-plan")
        assert f"POST {sandbox.base_url}/v1/chat/completions" in plan
        assert "authorization: Bearer" in plan
        assert sandbox.api_key not in plan
        assert "••••" in plan


async def test_responses_converter_is_shown_unavailable_and_refused(app_for: Any) -> None:
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot, app)
        await pilot.press("ctrl+t")  # openai-chat -> openai-responses
        await pilot.pause()
        assert app.session.format is Format.OPENAI_RESPONSES
        await pilot.press("ctrl+r")
        await pilot.pause()
        flag = str(screen.query_one("#route-flag", Static).render())
        assert "not available yet" in flag and "/openai/v1/chat/completions" in flag
        await pilot.press("ctrl+j")
        await pilot.pause()
        assert screen.inspector.active == "error"
        assert "not available yet" in str(screen.query_one("#error-body", Static).render())
        assert app.session.exchange is None


async def test_the_layout_follows_the_terminal_width(app_for: Any) -> None:
    """The screen starts with its width's class (set before the first Resize) and still follows a
    real resize both ways."""
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await started(pilot, app)
        assert screen.has_class("-narrow") and not screen.has_class("-wide")
        assert not screen.query_one("#params").display
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert screen.has_class("-wide") and not screen.has_class("-narrow")
        assert screen.query_one("#params").display and screen.query_one("#params").size.width > 0
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert screen.has_class("-narrow")
        assert screen.query_one("#params").size.width == 0


async def test_typing_into_the_filter_lays_out_nothing_while_the_scrollbar_stays(
    app_for: Any, monkeypatch: Any
) -> None:
    """Each key in the filter changes the filter's text width, the list's length and the count: none
    of it moves a pane, so none of it lays out the screen (each layout cost ~10 ms while an answer
    streamed). Counted at Textual's one place for a screen layout."""
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot, app)
        await pilot.press("f2")
        await pilot.pause()
        layouts = count_layouts(monkeypatch)
        for key in "gpt-4":  # the list shortens; its scrollbar stays (at this width it always shows)
            await pilot.press(key)
            await pilot.pause()
        assert option_ids(app) == [i for i in CATALOG_IDS if "gpt-4" in i]
        assert f"{len(option_ids(app))}/{len(CATALOG_IDS)} models" in static_text(app, "#models-state")
        assert layouts == []


async def test_the_format_menu_and_the_route_buttons_switch_as_the_keys_do(app_for: Any) -> None:
    """The route pane's own controls, used with the mouse and the keys: the format's menu (opened
    under the picker, Anthropic picked) converts the request; a click on "native" takes that
    route, → on the focused buttons goes back to the converter."""
    from pipellm_tui.ui.widgets.choice import ChoiceMenu
    from pipellm_tui.ui.widgets.tabs import RadioStrip

    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot, app)
        await pilot.click("#format-select")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceMenu)
        menu = app.screen.query_one(OptionList)
        menu.highlighted = list(Format).index(Format.ANTHROPIC)
        await pilot.press("enter")
        await pilot.pause(0.1)
        assert app.session.format is Format.ANTHROPIC
        assert "max_tokens" in json.loads(screen.editor.text)  # the request, in the new format
        assert str(screen.query_one("#format-select").render()).startswith(Format.ANTHROPIC.label)
        strip = screen.query_one("#route-kind", RadioStrip)
        # An OpenAI model in Anthropic's format: the converter route, as ctrl+t would choose.
        assert app.session.route_kind is RouteKind.CONVERTER
        assert str(strip.render()) == "○ native  ◉ converter  "
        assert "/anthropic/v1/messages" in static_text(app, "#route-plan")
        await pilot.click("#route-kind", offset=(3, 0))  # "○ native" takes columns 0-9
        await pilot.pause(0.1)
        assert app.session.route_kind is RouteKind.NATIVE and strip.active == "native"
        assert str(strip.render()) == "◉ native  ○ converter  "
        strip.focus()
        await pilot.press("right")
        await pilot.pause(0.1)
        assert app.session.route_kind is RouteKind.CONVERTER and strip.active == "converter"
