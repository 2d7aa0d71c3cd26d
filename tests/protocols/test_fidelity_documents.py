"""Documents (PDF) in every direction, in messages and in tool results (issue 12): Anthropic
`document`, Gemini `inlineData` application/pdf, OpenAI Chat `file`, Responses `input_file`."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from pipellm_tui.protocols import Format, convert_request

from . import sdk_judges as judge

PDF = "JVBERi0xLjQKJcfsj6IKNSAwIG9iago8PC9MZW5ndGggNiAwIFI+PgpzdHJlYW0K"
DATA_URL = f"data:application/pdf;base64,{PDF}"

ANTHROPIC = {
    "model": "m",
    "max_tokens": 100,
    "messages": [
        {
            "role": "user",
            "content": [
                {
                    "type": "document",
                    "source": {"type": "base64", "media_type": "application/pdf", "data": PDF},
                    "title": "q3.pdf",
                },
                {"type": "text", "text": "Summarise it."},
            ],
        }
    ],
}
CHAT = {
    "model": "m",
    "messages": [
        {
            "role": "user",
            "content": [
                {"type": "file", "file": {"file_data": DATA_URL, "filename": "q3.pdf"}},
                {"type": "text", "text": "Summarise it."},
            ],
        }
    ],
}
RESPONSES = {
    "model": "m",
    "input": [
        {
            "role": "user",
            "content": [
                {"type": "input_file", "file_data": DATA_URL, "filename": "q3.pdf"},
                {"type": "input_text", "text": "Summarise it."},
            ],
        }
    ],
}
GEMINI = {
    "contents": [
        {
            "role": "user",
            "parts": [
                {"inlineData": {"mimeType": "application/pdf", "data": PDF}},
                {"text": "Summarise it."},
            ],
        }
    ]
}
SOURCES = {
    Format.ANTHROPIC: ANTHROPIC,
    Format.OPENAI_CHAT: CHAT,
    Format.OPENAI_RESPONSES: RESPONSES,
    Format.GEMINI: GEMINI,
}


def _document_of(payload: dict[str, Any], target: Format) -> Any:
    if target is Format.ANTHROPIC:
        judge.anthropic_request(payload)
        block = payload["messages"][0]["content"][0]
        assert block["type"] == "document" and block["source"]["media_type"] == "application/pdf"
        return block["source"]["data"]
    if target is Format.OPENAI_CHAT:
        judge.openai_chat_request(payload)
        part = payload["messages"][0]["content"][0]
        assert part["type"] == "file" and part["file"]["filename"]
        return part["file"]["file_data"].removeprefix("data:application/pdf;base64,")
    if target is Format.OPENAI_RESPONSES:
        judge.openai_responses_request(payload)
        part = payload["input"][0]["content"][0]
        assert part["type"] == "input_file"
        return part["file_data"].removeprefix("data:application/pdf;base64,")
    judge.gemini_request(payload)
    blob = payload["contents"][0]["parts"][0]["inlineData"]
    assert blob["mimeType"] == "application/pdf"
    return blob["data"]


@pytest.mark.parametrize("source", list(SOURCES))
@pytest.mark.parametrize("target", list(SOURCES))
def test_a_pdf_travels_in_every_direction(source: Format, target: Format) -> None:
    converted = convert_request(SOURCES[source], source, target, "m")
    assert _document_of(converted.payload, target) == PDF
    assert not any("document" in w and "no neutral form" in w for w in converted.warnings)


def test_the_document_title_is_the_openai_file_name_and_back() -> None:
    chat = convert_request(ANTHROPIC, Format.ANTHROPIC, Format.OPENAI_CHAT).payload
    assert chat["messages"][0]["content"][0]["file"]["filename"] == "q3.pdf"
    back = convert_request(chat, Format.OPENAI_CHAT, Format.ANTHROPIC).payload
    assert back["messages"][0]["content"][0]["title"] == "q3.pdf"


def test_a_pdf_in_a_tool_result_reaches_anthropic_and_gemini() -> None:
    body = {
        "model": "m",
        "max_tokens": 100,
        "messages": [
            {"role": "user", "content": "read it"},
            {
                "role": "assistant",
                "content": [{"type": "tool_use", "id": "t1", "name": "fetch", "input": {}}],
            },
            {
                "role": "user",
                "content": [
                    {
                        "type": "tool_result",
                        "tool_use_id": "t1",
                        "content": [
                            {
                                "type": "document",
                                "source": {"type": "base64", "media_type": "application/pdf", "data": PDF},
                            }
                        ],
                    }
                ],
            },
        ],
    }
    again = convert_request(body, Format.ANTHROPIC, Format.ANTHROPIC).payload
    judge.anthropic_request(again)
    assert again["messages"][2]["content"][0]["content"][0]["type"] == "document"
    responses = convert_request(body, Format.ANTHROPIC, Format.OPENAI_RESPONSES).payload
    output = next(i for i in responses["input"] if i.get("type") == "function_call_output")["output"]
    assert output[0]["type"] == "input_file"
    gemini = convert_request(body, Format.ANTHROPIC, Format.GEMINI)
    judge.gemini_request(gemini.payload)
    assert PDF in str(gemini.payload["contents"][2])


def test_what_a_target_cannot_hold_is_named() -> None:
    by_url = {
        **ANTHROPIC,
        "messages": [
            {
                "role": "user",
                "content": [
                    {"type": "document", "source": {"type": "url", "url": "https://example.com/a.pdf"}},
                    {"type": "text", "text": "x"},
                ],
            }
        ],
    }
    chat = convert_request(by_url, Format.ANTHROPIC, Format.OPENAI_CHAT)
    assert any(w.startswith("document URL:") for w in chat.warnings)
    responses = convert_request(by_url, Format.ANTHROPIC, Format.OPENAI_RESPONSES).payload
    assert responses["input"][0]["content"][0] == {
        "type": "input_file",
        "file_url": "https://example.com/a.pdf",
    }
    file_id = {
        "model": "m",
        "messages": [{"role": "user", "content": [{"type": "file", "file": {"file_id": "file-1"}}]}],
    }
    converted = convert_request(file_id, Format.OPENAI_CHAT, Format.ANTHROPIC)
    assert any("file_id" in w for w in converted.warnings)


RESULT_SOURCES = {
    Format.OPENAI_RESPONSES: {
        "model": "m",
        "input": [
            {"role": "user", "content": "read it"},
            {"type": "function_call", "call_id": "c1", "name": "fetch", "arguments": "{}"},
            {
                "type": "function_call_output",
                "call_id": "c1",
                "output": [{"type": "input_file", "file_data": DATA_URL, "filename": "q3.pdf"}],
            },
        ],
    },
    Format.GEMINI: {
        "contents": [
            {"role": "user", "parts": [{"text": "read it"}]},
            {"role": "model", "parts": [{"functionCall": {"id": "c1", "name": "fetch", "args": {}}}]},
            {
                "role": "user",
                "parts": [
                    {
                        "functionResponse": {
                            "id": "c1",
                            "name": "fetch",
                            "response": {},
                            "parts": [{"inlineData": {"mimeType": "application/pdf", "data": PDF}}],
                        }
                    }
                ],
            },
        ]
    },
}


@pytest.mark.parametrize("source", list(RESULT_SOURCES))
@pytest.mark.parametrize("target", [Format.ANTHROPIC, Format.OPENAI_RESPONSES, Format.GEMINI])
def test_a_pdf_in_a_tool_result_travels_from_responses_and_gemini(source: Format, target: Format) -> None:
    payload = convert_request(RESULT_SOURCES[source], source, target, "m").payload
    if target is Format.ANTHROPIC:
        judge.anthropic_request(payload)
        (document,) = [b for b in payload["messages"][2]["content"][0]["content"] if b["type"] == "document"]
        assert document["source"] == {"type": "base64", "media_type": "application/pdf", "data": PDF}
    elif target is Format.OPENAI_RESPONSES:
        judge.openai_responses_request(payload)
        output = next(i for i in payload["input"] if i.get("type") == "function_call_output")["output"]
        assert {"type": "input_file", "file_data": DATA_URL} == {
            k: v for k, v in output[-1].items() if k != "filename"
        }
    else:
        judge.gemini_request(payload)
        blob = payload["contents"][2]["parts"][0]["functionResponse"]["parts"][0]["inlineData"]
        assert blob == {"mimeType": "application/pdf", "data": PDF}


@pytest.mark.parametrize("source", [Format.ANTHROPIC, *RESULT_SOURCES])
def test_a_pdf_in_a_tool_result_is_named_a_document_where_chat_cannot_hold_it(source: Format) -> None:
    body = RESULT_SOURCES.get(source) or {
        "model": "m",
        "max_tokens": 5,
        "messages": [
            {"role": "user", "content": "read it"},
            {
                "role": "assistant",
                "content": [{"type": "tool_use", "id": "c1", "name": "fetch", "input": {}}],
            },
            {
                "role": "user",
                "content": [
                    {
                        "type": "tool_result",
                        "tool_use_id": "c1",
                        "content": [ANTHROPIC["messages"][0]["content"][0]],
                    }
                ],
            },
        ],
    }
    converted = convert_request(body, source, Format.OPENAI_CHAT, "m")
    judge.openai_chat_request(converted.payload)
    assert any("tool messages can only hold text; document dropped" in w for w in converted.warnings)


def _gemini_inline(mime: str, data: str) -> dict[str, Any]:
    return {
        "contents": [
            {"role": "user", "parts": [{"inlineData": {"mimeType": mime, "data": data}}, {"text": "x"}]}
        ]
    }


def test_a_gemini_text_file_reaches_anthropic_as_a_plain_text_document() -> None:
    text = "Motto: être ou ne pas être"
    data = base64.b64encode(text.encode()).decode()
    converted = convert_request(_gemini_inline("text/plain", data), Format.GEMINI, Format.ANTHROPIC, "m")
    judge.anthropic_request(converted.payload)
    block = converted.payload["messages"][0]["content"][0]
    assert block == {"type": "document", "source": {"type": "text", "media_type": "text/plain", "data": text}}
    assert not any("media type" in w for w in converted.warnings)
    # Not text after all: sent as it came, and named.
    for data in ("//79", "é"):  # base64 of bytes that are not UTF-8; not base64 (not even ASCII)
        converted = convert_request(_gemini_inline("text/plain", data), Format.GEMINI, Format.ANTHROPIC, "m")
        assert any("text/plain" in w for w in converted.warnings)


@pytest.mark.parametrize("target", [Format.OPENAI_CHAT, Format.OPENAI_RESPONSES])
def test_a_gemini_text_file_reaches_openai_as_its_text(target: Format) -> None:
    # OpenAI takes PDF files only: a text/plain file went out as an image, which OpenAI refuses.
    text = "Motto: être ou ne pas être"
    data = base64.b64encode(text.encode()).decode()
    converted = convert_request(_gemini_inline("text/plain", data), Format.GEMINI, target, "m")
    payload = converted.payload
    if target is Format.OPENAI_CHAT:
        judge.openai_chat_request(payload)
        parts = payload["messages"][0]["content"]
        assert parts[0] == {"type": "text", "text": text}
    else:
        judge.openai_responses_request(payload)
        parts = payload["input"][0]["content"]
        assert parts[0] == {"type": "input_text", "text": text}
    assert "image" not in json.dumps(payload)
    assert any("text/plain file" in w and "sent as its text" in w for w in converted.warnings)
    # Not text after all: still sent as it came, and named.
    odd = convert_request(_gemini_inline("text/plain", "//79"), Format.GEMINI, target, "m")
    assert any("text/plain" in w and "sent as given" in w for w in odd.warnings)


def test_a_text_file_in_a_tool_result_reaches_openai_chat_as_text() -> None:
    # Chat tool messages hold text only: the file's text is kept, not dropped with the images.
    text = "line one, line two"
    file_data = "data:text/plain;base64," + base64.b64encode(text.encode()).decode()
    body = {
        "model": "m",
        "input": [
            {"type": "function_call", "call_id": "c1", "name": "read", "arguments": "{}"},
            {
                "type": "function_call_output",
                "call_id": "c1",
                "output": [{"type": "input_file", "file_data": file_data, "filename": "notes.txt"}],
            },
        ],
    }
    converted = convert_request(body, Format.OPENAI_RESPONSES, Format.OPENAI_CHAT, "m")
    judge.openai_chat_request(converted.payload)
    tool = next(m for m in converted.payload["messages"] if m["role"] == "tool")
    assert tool["content"] == text
    assert not any("dropped" in w for w in converted.warnings)


@pytest.mark.parametrize("target", [Format.OPENAI_CHAT, Format.OPENAI_RESPONSES])
def test_image_types_openai_refuses_are_named(target: Format) -> None:
    heic = convert_request(_gemini_inline("image/heic", "AAAA"), Format.GEMINI, target, "m")
    assert any("image/heic" in w and "png, jpeg, webp and gif" in w for w in heic.warnings)
    png = convert_request(_gemini_inline("image/png", "iVBORw0KGgo="), Format.GEMINI, target, "m")
    assert not any("media type" in w for w in png.warnings)
