"""config.toml and profiles: defaults, round trips, a broken file reported and left alone, the
stored key file (0600, the only place a key is ever written)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from pipellm_tui.store.config import (
    Config,
    HistorySettings,
    TimeoutSettings,
    config_path,
    load_config,
    save_config,
)
from pipellm_tui.store.profiles import (
    BUILT_IN,
    Profile,
    ProfileKind,
    ProfileProblem,
    forget_key,
    key_for,
    keys_path,
    store_key,
)


def test_no_file_means_defaults_and_no_problem() -> None:
    loaded = load_config()
    assert loaded.problem is None and loaded.config == Config()
    assert not config_path().exists()  # reading never creates it


def test_round_trip_keeps_every_setting() -> None:
    config = Config(
        theme="solarized",
        profile="litellm",
        timeouts=TimeoutSettings(connect=3.0, first_byte=20.0, idle=45.0, total=120.0),
        history=HistorySettings(enabled=False, max_entries=50, max_bytes=1_000_000, raw_events_bytes=10),
        keys={"send": "ctrl+j", "copy-curl": "ctrl+y"},
    ).with_profile(Profile(name="litellm", base_url="http://127.0.0.1:4000/", key_env="LITELLM_KEY"))
    assert save_config(config) is None
    loaded = load_config()
    assert loaded.problem is None
    assert loaded.config == config
    assert loaded.config.profiles["litellm"].base_url == "http://127.0.0.1:4000"
    assert "name" not in config_path().read_text()  # a profile's name is its table's name
    assert set(loaded.config.all_profiles()) == {"pipellm", "sandbox", "litellm"}
    assert loaded.config.without_profile("litellm").all_profiles() == BUILT_IN


def test_invalid_toml_starts_on_defaults_names_the_line_and_leaves_the_file() -> None:
    path = config_path()
    path.parent.mkdir(parents=True)
    text = 'theme = "mine"\n[timeouts\nconnect = 1\n'
    path.write_text(text)
    loaded = load_config()
    assert loaded.config == Config()
    assert loaded.problem is not None and loaded.problem.line == 2
    assert str(path) in str(loaded.problem) and "line 2" in str(loaded.problem)
    assert path.read_text() == text


def test_a_value_of_the_wrong_type_is_reported_at_its_line() -> None:
    path = config_path()
    path.parent.mkdir(parents=True)
    path.write_text('theme = "mine"\n\n[timeouts]\nidle = 5\nconnect = "soon"\n')
    loaded = load_config()
    assert loaded.config == Config()
    assert loaded.problem is not None
    assert loaded.problem.line == 5 and "timeouts.connect" in loaded.problem.message


def test_saving_over_a_broken_file_keeps_it_as_a_backup() -> None:
    path = config_path()
    path.parent.mkdir(parents=True)
    path.write_text("theme = = broken\n")
    kept = save_config(Config(theme="fresh"))
    assert kept is not None and kept.backup is not None
    assert kept.backup.read_text() == "theme = = broken\n"
    assert load_config().config.theme == "fresh"


@pytest.mark.parametrize(
    "table",
    ['kind = "gateway"', 'base_url = "ftp://x"', 'key_env = "NOT A NAME"', 'kind = "mainframe"'],
)
def test_bad_profiles_are_problems_not_crashes(table: str) -> None:
    path = config_path()
    path.parent.mkdir(parents=True)
    path.write_text(f"[profiles.mine]\n{table}\n")
    loaded = load_config()
    assert loaded.problem is not None and loaded.config == Config()
    assert "profiles.mine" in loaded.problem.message


def test_profile_names_must_be_safe() -> None:
    with pytest.raises(ValueError, match="path separator"):
        Profile(name="../evil")


def test_the_key_comes_from_the_variable_unless_stored_on_purpose() -> None:
    profile = Profile(name="gw", base_url="http://127.0.0.1:1", key_env="GW_KEY")
    assert key_for(profile, {"GW_KEY": "from-env"}) == "from-env"
    assert key_for(profile, {}) == ""
    assert not keys_path().exists()
    stored = profile.model_copy(update={"key_stored": True})
    with pytest.raises(ProfileProblem, match="none is stored"):
        key_for(stored, {})
    store_key("gw", "pipe-STORED-key")
    assert key_for(stored, {"GW_KEY": "from-env"}) == "pipe-STORED-key"
    assert stat.S_IMODE(keys_path().stat().st_mode) == 0o600
    assert "pipe-STORED-key" not in repr(stored) and "pipe-STORED-key" not in repr(profile)
    assert forget_key("gw") and "pipe-STORED-key" not in keys_path().read_text()


def test_builtin_profiles() -> None:
    assert (
        BUILT_IN["pipellm"].kind is ProfileKind.PIPELLM and BUILT_IN["pipellm"].key_env == "PIPELLM_API_KEY"
    )
    assert BUILT_IN["sandbox"].kind is ProfileKind.SANDBOX and BUILT_IN["sandbox"].base_url == ""


def test_config_lives_under_xdg_config_home(own_config_and_data: Path) -> None:
    assert config_path().is_relative_to(own_config_and_data / "config")
