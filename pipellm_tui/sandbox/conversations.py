"""Responses the sandbox created, remembered so that `previous_response_id` works as on OpenAI.

Owns the memory of Responses conversations: for each `resp_…` id the sandbox answered (unless the
request said `store: false`), the conversation up to and including that answer, as IR messages. A
request with `previous_response_id` continues it (OpenAI's semantics: earlier input and output come
first, `instructions` are not carried over); an id the sandbox never gave, or has forgotten, is a
400 `previous_response_not_found`, as OpenAI answers. Bounded: the oldest are forgotten first.
Imports protocols only.
"""

from __future__ import annotations

from collections import OrderedDict

from ..protocols import ir

PREVIOUS = "previous_response_id"


class ResponseMemory:
    def __init__(self, capacity: int = 1000) -> None:
        self._capacity = capacity
        self._conversations: OrderedDict[str, list[ir.Message]] = OrderedDict()

    def missing(self, request: ir.Request) -> str | None:
        """The message of the 400 for an unknown `previous_response_id`, or None."""
        previous = request.extras.get(PREVIOUS)
        if previous is None or (isinstance(previous, str) and previous in self._conversations):
            return None
        return f"Previous response with id {previous!r} not found."

    def continue_from(self, request: ir.Request) -> None:
        """Put the remembered conversation before the request's own input."""
        previous = request.extras.get(PREVIOUS)
        if isinstance(previous, str) and previous in self._conversations:
            request.messages = [*self._conversations[previous], *request.messages]

    def remember(self, response_id: str, request: ir.Request, answer: ir.Response) -> None:
        if request.extras.get("store") is False:
            return
        parts: list[ir.Part] = [p for p in answer.parts if not isinstance(p, ir.ThinkingPart)]
        self._conversations[response_id] = [*request.messages, ir.Message("assistant", parts)]
        while len(self._conversations) > self._capacity:
            self._conversations.popitem(last=False)
