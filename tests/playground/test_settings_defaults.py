"""config.toml's defaults are the client's: a user with no config.toml gets exactly the limits the
README states (a 16 MB default here once cut the playground's 100,000-token streams)."""

from __future__ import annotations

from pipellm_tui.client.policy import Limits, RetryPolicy, Timeouts
from pipellm_tui.playground.settings import client_limits, client_timeouts, retry_policy
from pipellm_tui.store.config import Config


def test_no_config_means_the_clients_own_defaults() -> None:
    config = Config()
    timeouts, defaults = client_timeouts(config), Timeouts()
    for name in ("connect", "first_byte", "idle", "total"):
        assert getattr(timeouts, name) == getattr(defaults, name), name
    assert client_limits(config) == Limits()
    assert retry_policy(config) is None and RetryPolicy().max_attempts == config.retry.max_attempts
