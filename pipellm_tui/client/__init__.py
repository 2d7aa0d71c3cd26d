"""The client: plan a call, send it, read one sequence of events back.

Public names are listed in `__all__`. The sending half (`PlaygroundClient`, which pulls in httpx2)
loads on first use, so importing `pipellm_tui.client.plan` or the events stays cheap for the UI's
first paint. Must not import Textual.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .events import (
    ClientEvent,
    Delta,
    Done,
    Exchange,
    Failure,
    FinalBody,
    Head,
    RawEvent,
    Retrying,
    Timings,
    UsageReport,
)
from .plan import Plan, PlanError, make_plan, mask_secret
from .policy import RetryPolicy, Timeouts

if TYPE_CHECKING:
    from .failures import ApiErrorException
    from .playground import Call, PlaygroundClient

_LAZY = {"PlaygroundClient": "playground", "Call": "playground", "ApiErrorException": "failures"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "ApiErrorException",
    "Call",
    "ClientEvent",
    "Delta",
    "Done",
    "Exchange",
    "Failure",
    "FinalBody",
    "Head",
    "Plan",
    "PlanError",
    "PlaygroundClient",
    "RawEvent",
    "RetryPolicy",
    "Retrying",
    "Timeouts",
    "Timings",
    "UsageReport",
    "make_plan",
    "mask_secret",
]
