"""A request as Python code for its format's official SDK (`openai`, `anthropic`, `google-genai`):
the chosen route's base URL, the key read from the environment (never the key itself), the body
as a Python literal, and a loop or a print that shows the answer. Standard library and protocols only.
"""

from __future__ import annotations

import pprint
import re
from typing import Any

from ..protocols.formats import Format, RouteKind
from ..protocols.routes import PIPELLM_KEY_ENV, route_for

_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
#: Gemini wire fields that the SDK takes in `config` rather than beside `contents`.
_GEMINI_CONFIG_FIELDS = ("systemInstruction", "tools", "toolConfig", "safetySettings", "cachedContent")


def python_sdk_code(
    fmt: Format | str, kind: RouteKind | str, base_url: str, model: str, body: dict[str, Any],
    *, key_env: str = PIPELLM_KEY_ENV,
) -> str:  # fmt: skip
    """Runnable Python for the request. `body` is the request as the playground edits it; a
    `"stream": true` (Gemini: the playground's hint) makes the code stream."""
    if not _ENV_NAME.fullmatch(key_env):
        raise ValueError(f"not an environment variable name: {key_env!r}")
    route = route_for(fmt, kind)
    sdk_url = route.sdk_base_url(base_url)
    request = {k: v for k, v in body.items() if k != "stream"}
    stream = bool(body.get("stream", False))
    write = _WRITERS[route.format]
    return write(sdk_url, model, request, stream, key_env)


def _literal(value: Any) -> str:
    return pprint.pformat(value, indent=1, width=100, sort_dicts=False)


def _openai_chat(url: str, model: str, request: dict[str, Any], stream: bool, key_env: str) -> str:
    request = {**request, "model": model}
    head = _openai_head(url, key_env) + f"request = {_literal(request)}\n\n"
    if stream:
        return head + (
            "for chunk in client.chat.completions.create(**request, stream=True):\n"
            "    if chunk.choices and chunk.choices[0].delta.content:\n"
            '        print(chunk.choices[0].delta.content, end="", flush=True)\n'
            "print()\n"
        )
    return head + (
        "completion = client.chat.completions.create(**request)\n"
        "message = completion.choices[0].message\n"
        "print(message.content or '')\n"
        "for call in message.tool_calls or []:\n"
        "    print(f'tool call {call.id}: {call.function.name}({call.function.arguments})')\n"
    )


def _openai_responses(url: str, model: str, request: dict[str, Any], stream: bool, key_env: str) -> str:
    request = {**request, "model": model}
    head = _openai_head(url, key_env) + f"request = {_literal(request)}\n\n"
    if stream:
        return head + (
            "for event in client.responses.create(**request, stream=True):\n"
            '    if event.type == "response.output_text.delta":\n'
            '        print(event.delta, end="", flush=True)\n'
            "print()\n"
        )
    return head + "response = client.responses.create(**request)\nprint(response.output_text)\n"


def _openai_head(url: str, key_env: str) -> str:
    return (
        "import os\n\nfrom openai import OpenAI\n\n"
        f"client = OpenAI(base_url={url!r}, api_key=os.environ[{key_env!r}])\n\n"
    )


def _anthropic(url: str, model: str, request: dict[str, Any], stream: bool, key_env: str) -> str:
    request = {**request, "model": model}
    head = (
        "import os\n\nimport anthropic\n\n"
        f"client = anthropic.Anthropic(base_url={url!r}, api_key=os.environ[{key_env!r}])\n\n"
        f"request = {_literal(request)}\n\n"
    )
    if stream:
        return head + (
            "with client.messages.stream(**request) as stream:\n"
            "    for text in stream.text_stream:\n"
            '        print(text, end="", flush=True)\n'
            "print()\n"
        )
    return head + (
        "message = client.messages.create(**request)\n"
        "for block in message.content:\n"
        '    if block.type == "text":\n'
        "        print(block.text)\n"
        '    elif block.type == "tool_use":\n'
        "        print(f'tool call {block.id}: {block.name}({block.input})')\n"
    )


def _gemini(url: str, model: str, request: dict[str, Any], stream: bool, key_env: str) -> str:
    # The SDK takes the wire JSON's fields (camelCase is accepted): contents beside the model, and
    # generationConfig's fields plus system instruction and tools in one `config`.
    contents = request.get("contents", [])
    config = dict(request.get("generationConfig", {}))
    config.update({k: request[k] for k in _GEMINI_CONFIG_FIELDS if k in request})
    call = "generate_content_stream" if stream else "generate_content"
    head = (
        "import os\n\nfrom google import genai\nfrom google.genai import types\n\n"
        "client = genai.Client(\n"
        f"    api_key=os.environ[{key_env!r}],\n"
        f"    http_options=types.HttpOptions(base_url={url!r}, api_version='v1beta'),\n"
        ")\n\n"
        f"contents = {_literal(contents)}\n"
        f"config = {_literal(config)}\n\n"
    )
    if stream:
        return head + (
            f"for chunk in client.models.{call}(model={model!r}, contents=contents, config=config):\n"
            '    print(chunk.text or "", end="", flush=True)\n'
            "print()\n"
        )
    return head + (
        f"response = client.models.{call}(model={model!r}, contents=contents, config=config)\n"
        "print(response.text or '')\n"
        "for call in response.function_calls or []:\n"
        "    print(f'tool call {call.id}: {call.name}({call.args})')\n"
    )


_WRITERS = {
    Format.OPENAI_CHAT: _openai_chat,
    Format.OPENAI_RESPONSES: _openai_responses,
    Format.ANTHROPIC: _anthropic,
    Format.GEMINI: _gemini,
}
