"""`warn_once`: a loss is said once per conversion (or stream), however many parts share it; at most
`MAX_WARNINGS` are kept, then `MORE_WARNINGS` says more were left out.
"""

from __future__ import annotations

#: Warnings kept per conversion or stream. A hostile stream of endless distinct unknown events must
#: not make each new warning cost a scan of all the others (quadratic) nor fill memory.
MAX_WARNINGS = 200
MORE_WARNINGS = "more warnings were left out"


def warn_once(warnings: list[str], message: str) -> None:
    """Say each loss once per conversion (or stream), however many parts share it."""
    if len(warnings) >= MAX_WARNINGS:
        if warnings[-1] != MORE_WARNINGS:
            warnings.append(MORE_WARNINGS)
    elif message not in warnings:
        warnings.append(message)
