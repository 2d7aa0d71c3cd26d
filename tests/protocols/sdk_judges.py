"""The official SDKs as judges of what a conversion wrote: their request types, their response models
and their own stream accumulators (nobody here wrote them).

Shared by the fidelity tests; offline (no HTTP): the SDKs' accumulators take parsed events.
"""

from __future__ import annotations

import json
import re
from typing import Any

import anthropic.types as anthropic_types
import openai.types.chat as openai_chat_types
import openai.types.responses as openai_responses_types
from anthropic.lib.streaming._messages import accumulate_event
from anthropic.types import message_create_params
from google.genai import types as genai_types
from openai import omit
from openai.lib.streaming.chat import ChatCompletionStreamState
from openai.lib.streaming.responses._responses import ResponseStreamState
from openai.types.chat import completion_create_params
from openai.types.responses import response_create_params
from pydantic import TypeAdapter

from pipellm_tui.protocols.sse import parse_sse

#: OpenAI's rule for function names, and Anthropic's for tool-call ids (from their API references).
OPENAI_NAME = re.compile(r"[a-zA-Z0-9_-]{1,64}\Z")
ANTHROPIC_ID = re.compile(r"[a-zA-Z0-9_-]+\Z")

_ANTHROPIC_REQUEST = TypeAdapter(message_create_params.MessageCreateParamsNonStreaming)
_OPENAI_CHAT_REQUEST = TypeAdapter(completion_create_params.CompletionCreateParamsNonStreaming)
_OPENAI_RESPONSES_REQUEST = TypeAdapter(response_create_params.ResponseCreateParamsNonStreaming)
_ANTHROPIC_EVENT: TypeAdapter[Any] = TypeAdapter(anthropic_types.RawMessageStreamEvent)
_RESPONSES_EVENT: TypeAdapter[Any] = TypeAdapter(openai_responses_types.ResponseStreamEvent)


def anthropic_request(body: dict[str, Any]) -> None:
    """The body fits the anthropic SDK's request type, and every tool id Anthropic's pattern."""
    _ANTHROPIC_REQUEST.validate_python(body)
    for message in body["messages"]:
        content = message["content"]
        for block in content if isinstance(content, list) else []:
            if block["type"] == "tool_use":
                assert ANTHROPIC_ID.match(block["id"]), block["id"]
            if block["type"] == "tool_result":
                assert ANTHROPIC_ID.match(block["tool_use_id"]), block["tool_use_id"]


def openai_chat_request(body: dict[str, Any]) -> None:
    _OPENAI_CHAT_REQUEST.validate_python(body)
    for tool in body.get("tools", []):
        assert OPENAI_NAME.match(tool["function"]["name"]), tool["function"]["name"]
    for message in body["messages"]:
        for call in message.get("tool_calls") or []:
            assert OPENAI_NAME.match(call["function"]["name"]), call["function"]["name"]
            assert len(call["id"]) <= 40, call["id"]  # "string_above_max_length"
        assert len(message.get("tool_call_id", "")) <= 40, message["tool_call_id"]


def openai_responses_request(body: dict[str, Any]) -> None:
    """The body fits the SDK's request type. Assistant history items are left out of that check:
    the SDK types them as output messages with ids and statuses the API does not ask of input."""
    items = body["input"]
    if isinstance(items, list):
        items = [item for item in items if item.get("role") != "assistant"]
    _OPENAI_RESPONSES_REQUEST.validate_python({**body, "input": items})
    for tool in body.get("tools", []):
        if tool["type"] == "function":
            assert OPENAI_NAME.match(tool["name"]), tool["name"]
    for item in body["input"] if isinstance(body["input"], list) else []:
        if item.get("type") == "function_call":
            assert OPENAI_NAME.match(item["name"]), item["name"]


def gemini_request(body: dict[str, Any]) -> genai_types.GenerateContentConfig:
    """The body's parts read by google-genai's own models; its config as the SDK sees it."""
    for content in body["contents"]:
        genai_types.Content.model_validate(content)
    config = {k: v for k, v in body.items() if k not in ("contents", "systemInstruction", "toolConfig")}
    config.update(body.get("generationConfig", {}))
    config.pop("generationConfig", None)
    return genai_types.GenerateContentConfig.model_validate(config)


def anthropic_stream(text: str) -> anthropic_types.Message:
    """The message the anthropic SDK's MessageStream accumulator builds from the SSE text."""
    snapshot = None
    buffers: dict[int, bytes] = {}
    for event in parse_sse(text):
        if event.event == "ping":  # the SDK's Stream skips them too
            continue
        parsed = _ANTHROPIC_EVENT.validate_python(json.loads(event.data))
        snapshot = accumulate_event(event=parsed, current_snapshot=snapshot, json_bufs=buffers)
    assert snapshot is not None
    return snapshot


def openai_chat_stream(text: str) -> openai_chat_types.ChatCompletion:
    """The completion openai's ChatCompletionStreamState builds from the SSE text."""
    state: ChatCompletionStreamState[Any] = ChatCompletionStreamState()
    for event in parse_sse(text):
        if event.data != "[DONE]":
            state.handle_chunk(openai_chat_types.ChatCompletionChunk.model_validate(json.loads(event.data)))
    return state.get_final_completion()


def openai_responses_stream(text: str) -> openai_responses_types.Response:
    """The response openai's ResponseStreamState builds from the SSE text (as of its last event)."""
    state: ResponseStreamState[Any] = ResponseStreamState(input_tools=omit, text_format=omit)
    final = None
    for event in parse_sse(text):
        parsed = _RESPONSES_EVENT.validate_python(json.loads(event.data))
        state.handle_event(parsed)
        if parsed.type == "response.completed":
            final = parsed.response
    assert final is not None, "no response.completed event"
    return final


def gemini_stream_calls(text: str) -> list[tuple[str, dict[str, Any]]]:
    """(name, args) of each function call, every chunk read by google-genai's response model."""
    calls = []
    for event in parse_sse(text):
        chunk = genai_types.GenerateContentResponse.model_validate(json.loads(event.data))
        for candidate in chunk.candidates or []:
            for part in (candidate.content.parts if candidate.content else None) or []:
                if part.function_call is not None:
                    calls.append((part.function_call.name or "", dict(part.function_call.args or {})))
    return calls


def responses_source_events(text: str) -> None:
    """Each event of a Responses stream we feed in fits the openai SDK's event types."""
    for event in parse_sse(text):
        _RESPONSES_EVENT.validate_python(json.loads(event.data))


def anthropic_blocks_in_order(text: str) -> None:
    """Anthropic's stream rule: a block's deltas come between its start and its stop, one block at a time."""
    open_index = None
    stopped: set[int] = set()
    for event in parse_sse(text):
        data = json.loads(event.data)
        kind, index = data["type"], data.get("index")
        if kind == "content_block_start":
            assert open_index is None, f"block {index} started while {open_index} was open"
            open_index = index
        elif kind == "content_block_delta":
            assert index == open_index and index not in stopped, f"a delta for block {index} out of place"
        elif kind == "content_block_stop":
            assert index == open_index
            stopped.add(index)
            open_index = None
