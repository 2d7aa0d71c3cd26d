"""The client: plan a call, send it, read one sequence of events back.

Public names are listed in `__all__`; each loads on first use (PEP 562), so the playground's
start-up imports only what it uses (the model list's `catalog.py`), and the sending half
(`PlaygroundClient`, which pulls in httpx2) loads after the first paint. Must not import Textual.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..protocols.lazy_exports import lazy_exports

if TYPE_CHECKING:
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
    from .failures import ApiErrorException
    from .plan import Plan, PlanError, make_plan, mask_secret
    from .playground import Call, PlaygroundClient
    from .policy import Limits, RetryPolicy, Timeouts

_HOME = {
    **dict.fromkeys(
        (
            "ClientEvent",
            "Delta",
            "Done",
            "Exchange",
            "Failure",
            "FinalBody",
            "Head",
            "RawEvent",
            "Retrying",
            "Timings",
            "UsageReport",
        ),
        "events",
    ),
    **dict.fromkeys(("Plan", "PlanError", "make_plan", "mask_secret"), "plan"),
    **dict.fromkeys(("Limits", "RetryPolicy", "Timeouts"), "policy"),
    "PlaygroundClient": "playground",
    "Call": "playground",
    "ApiErrorException": "failures",
}


__getattr__ = lazy_exports(__name__, globals(), _HOME)

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
    "Limits",
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
