"""Saved requests: one TOML file each, round trips, rename/delete/list, names safe as file names."""

from __future__ import annotations

import tomllib

import pytest

from pipellm_tui.protocols.formats import Format, RouteKind
from pipellm_tui.store.names import NameProblem
from pipellm_tui.store.saved_requests import SavedRequest, SavedRequestProblem, SavedRequests, requests_dir

BODY = {
    "max_tokens": 64,
    "messages": [{"role": "user", "content": "quotes ' \" ''' and \\ and \u00e9 and\nnewline"}],
    "metadata": None,
    "stream": True,
}


def test_save_open_round_trip_and_the_file_reads_well() -> None:
    store = SavedRequests()
    saved = SavedRequest("weather check", Format.ANTHROPIC, RouteKind.CONVERTER, "gpt-4o", BODY, "sandbox")
    assert store.save(saved) is None
    assert store.open("weather check") == saved
    path = requests_dir() / "weather check.toml"
    table = tomllib.loads(path.read_text())
    assert (table["format"], table["route"], table["model"], table["profile"]) == (
        "anthropic", "converter", "gpt-4o", "sandbox",
    )  # fmt: skip
    plain = SavedRequest(
        "plain", Format.GEMINI, RouteKind.NATIVE, "gemini-2.5-flash", {"contents": [], "x": None}
    )
    store.save(plain)
    assert "body = '''\n{" in (requests_dir() / "plain.toml").read_text()  # JSON as written, no escapes
    assert store.open("plain") == plain


def test_list_rename_delete() -> None:
    store = SavedRequests()
    assert store.list() == []
    for name in ("b", "A", "c"):
        store.save(SavedRequest(name, Format.OPENAI_CHAT, RouteKind.NATIVE, "gpt-4o", {"messages": []}))
    assert [i.name for i in store.list()] == ["A", "b", "c"]
    store.rename("b", "bee")
    assert [i.name for i in store.list()] == ["A", "bee", "c"]
    with pytest.raises(SavedRequestProblem, match="already exists"):
        store.rename("A", "c")
    store.delete("A")
    with pytest.raises(SavedRequestProblem, match="No saved request named 'A'"):
        store.open("A")
    with pytest.raises(SavedRequestProblem, match="already exists"):
        store.save(SavedRequest("c", Format.GEMINI, RouteKind.NATIVE, "g", {}), overwrite=False)
    info = store.list()[0]
    assert (info.name, info.format, info.route, info.model) == ("bee", "openai-chat", "native", "gpt-4o")


@pytest.mark.parametrize(
    ("name", "why"),
    [("../x", "path separator"), ("a/b", "path separator"), ("a\\b", "path separator"), ("", "empty"),
     (".hidden", "must start"), ("-rf", "must start"), ("x..y", "'..'"), ("a" * 101, "longer"), ("a:b", "may use")],
)  # fmt: skip
def test_unsafe_names_are_refused_with_a_clear_error(name: str, why: str) -> None:
    store = SavedRequests()
    with pytest.raises(NameProblem, match=why):
        store.save(SavedRequest(name, Format.OPENAI_CHAT, RouteKind.NATIVE, "gpt-4o", {}))
    assert not requests_dir().exists() or list(requests_dir().iterdir()) == []


def test_a_file_with_a_wrong_field_is_reported() -> None:
    store = SavedRequests()
    store.folder.mkdir(parents=True)
    (store.folder / "odd.toml").write_text('format = "cobol"\nmodel = "m"\nbody = "{}"\n')
    (store.folder / "nojson.toml").write_text('format = "gemini"\nmodel = "m"\nbody = "{oops"\n')
    with pytest.raises(SavedRequestProblem, match="cobol"):
        store.open("odd")
    with pytest.raises(SavedRequestProblem, match="nojson.toml"):
        store.open("nojson")
    assert all(info.problem is not None for info in store.list())


def test_a_model_that_is_not_text_is_refused_clearly() -> None:
    with pytest.raises(SavedRequestProblem, match="lone surrogate"):
        SavedRequests().save(SavedRequest("x", Format.GEMINI, RouteKind.NATIVE, "m\ud800", {}))
    assert not (requests_dir() / "x.toml").exists()
