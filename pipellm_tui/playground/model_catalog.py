"""The model catalog as the playground uses it: a model's entry and family, and the list fetched
early. The command line starts that fetch before Textual loads, in a thread that waits for the
sandbox's child process (or the server) while the interpreter imports Textual and builds the first
screen, so the list is usually in by the first paint; `playground/session.py` takes its result once.
Must not import Textual or httpx2; guessing a family imports `protocols.model_ids` (~1 ms), not the
catalog module (~10 ms: its dataclasses, datetime and decimal).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..protocols.catalog import ModelInfo
    from ..protocols.formats import Family


def find_model(models: list[ModelInfo], model_id: str) -> ModelInfo | None:
    return next((m for m in models if m.id == model_id), None)


def family_of(models: list[ModelInfo], model_id: str) -> Family | None:
    """The model's family: the catalog's word for it, else what its name says."""
    info = find_model(models, model_id)
    if info is not None and info.type_target is not None:
        return info.type_target
    from ..protocols.model_ids import family_for  # not catalog, ten times slower to import

    return family_for(model_id)


def prefetch(fetch: Callable[[], list[ModelInfo]]) -> Future[list[ModelInfo]]:
    """One fetch of the catalog, started now in a thread; its result (or error) in the future."""
    future: Future[list[ModelInfo]] = Future()

    def run() -> None:
        try:
            future.set_result(fetch())
        except BaseException as exc:  # noqa: BLE001 - handed to whoever awaits the future
            future.set_exception(exc)

    threading.Thread(target=run, name="models-prefetch", daemon=True).start()
    return future


def fetched(future: Future[list[ModelInfo]]) -> list[ModelInfo] | None:
    """The catalog if the fetch has already succeeded; else None (still running, or failed)."""
    if not future.done() or future.exception() is not None:
        return None
    return future.result()
