"""Where the store lives: the user's config, data and cache directories (platformdirs).

On Linux platformdirs follows XDG_CONFIG_HOME, XDG_DATA_HOME and XDG_CACHE_HOME, which is how tests give each run a
home of its own. Nothing is created here; writers create the folders they need.
"""

from __future__ import annotations

from pathlib import Path

APP_NAME = "pipellm-tui"


def config_dir() -> Path:
    """config.toml, profiles, the stored-key file, user themes."""
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)


def data_dir() -> Path:
    """The draft request, history.sqlite3, saved requests."""
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def cache_dir() -> Path:
    """What a run keeps to start the next one sooner (parsed style sheets, compiled dataclass
    methods): never needed, safe to delete."""
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME, appauthor=False)
