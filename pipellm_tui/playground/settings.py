"""config.toml's settings in the client's terms, for both faces: the timeouts and retry policy a
`PlaygroundClient` is built with.

Every timeout of config.toml maps to the client's own (`read`, the socket's, follows `idle`; a
`total` of 0 means none), and `[limits] response_body_bytes` caps what the client reads.
"""

from __future__ import annotations

from ..client.policy import Limits, RetryPolicy, Timeouts
from ..store.config import Config


def client_timeouts(config: Config) -> Timeouts:
    settings = config.timeouts
    return Timeouts(
        connect=settings.connect,
        first_byte=settings.first_byte,
        idle=settings.idle,
        total=settings.total or None,
        read=settings.idle,
    )


def client_limits(config: Config) -> Limits:
    return Limits(max_body_bytes=config.limits.response_body_bytes)


def retry_policy(config: Config) -> RetryPolicy | None:
    """None when retries are off (the default: a playground shows what happened)."""
    if not config.retry.enabled:
        return None
    return RetryPolicy(max_attempts=config.retry.max_attempts)
