"""config.toml's settings in the client's terms, for both faces: the timeouts and retry policy a
`PlaygroundClient` is built with.

Today's client knows a connect timeout and `read` (the longest silence between two chunks, which is
config's `idle`); `first_byte` and `total` are kept in config.toml for the client's finer timeouts
(issue: trust-client) and mapped here once it has them.
"""

from __future__ import annotations

from ..client.policy import RetryPolicy, Timeouts
from ..store.config import Config


def client_timeouts(config: Config) -> Timeouts:
    settings = config.timeouts
    return Timeouts(connect=settings.connect, read=settings.idle)


def retry_policy(config: Config) -> RetryPolicy | None:
    """None when retries are off (the default: a playground shows what happened)."""
    if not config.retry.enabled:
        return None
    return RetryPolicy(max_attempts=config.retry.max_attempts)
