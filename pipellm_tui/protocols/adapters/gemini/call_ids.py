"""Tool-call ids in a Gemini conversation: Gemini usually sends none, so id-less `functionCall` parts
get deterministic ids and id-less `functionResponse` parts are matched to them by name and order.
Standard library only.
"""

from __future__ import annotations


class CallIds:
    """Ids for one conversation: Gemini usually sends none, so id-less calls get `<prefix><n>` and an
    id-less `functionResponse` takes the oldest unanswered call of the same name (name + order)."""

    __slots__ = ("_open",)

    def __init__(self) -> None:
        self._open: dict[str, list[str]] = {}

    def called(self, name: str, call_id: str) -> None:
        queue = self._open.get(name)
        if queue is None:
            self._open[name] = [call_id]
        else:
            queue.append(call_id)

    def answered(self, name: str, call_id: str | None) -> str | None:
        queue = self._open.get(name)
        if call_id is not None:
            if queue:
                try:
                    queue.remove(call_id)
                except ValueError:
                    pass  # an answer to a call this conversation does not show: fine
            return call_id
        return queue.pop(0) if queue else None
