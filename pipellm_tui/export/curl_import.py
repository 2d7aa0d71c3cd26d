"""A curl command read back into a request: format, route, model, headers and body.

Reads what people paste: the OpenAI, Anthropic and Gemini docs' examples, a browser's "Copy as
cURL (bash)" (single, double and `$'...'` quoting, `--data-raw`), and our own `curl.py` export.
Understood: `-X/--request`, `-H/--header`, `-d/--data/--data-raw/--data-binary/--data-ascii/--json`
(`@FILE` and `@-` too), `--url`; other flags are ignored and named in `ignored`.

The key is never kept. A literal key (in the auth header or Gemini's `?key=`) is dropped and the
request reads the profile's variable instead (`key_env`); a `$VAR` reference names its own variable.
Standard library and protocols only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..protocols.formats import Format, RouteKind
from ..protocols.jsontext import loads_bounded
from ..protocols.problems import ProtocolError
from ..protocols.routes import AUTH, PIPELLM_KEY_ENV, find_route

_KEY_HEADERS = {scheme.header for scheme in AUTH.values()}
_VARIABLE = re.compile(r"^(?:Bearer\s+)?\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))$")
_DATA = {"-d", "--data", "--data-raw", "--data-binary", "--data-ascii", "--json"}
_WITH_VALUE = {"-X", "--request", "-H", "--header", "--url", *_DATA, "-o", "--output", "-u", "--user",
               "-m", "--max-time", "--connect-timeout", "-A", "--user-agent", "-b", "--cookie", "-e",
               "--referer", "--retry", "-w", "--write-out"}  # fmt: skip
_ANSI_C = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", "'": "'", '"': '"', "a": "\a", "b": "\b",
           "e": "\x1b", "f": "\f", "v": "\v", "0": "\0"}  # fmt: skip


class CurlImportError(ValueError):
    """The text is not a curl command this can read; the message says what is wrong."""


@dataclass(slots=True)
class ImportedRequest:
    format: Format
    route: RouteKind
    model: str
    method: str
    #: The base URL the route hangs off (scheme, host, and any path before the route's own).
    base_url: str
    #: The full URL without any `key=` query parameter.
    url: str
    #: Headers as given, without the one that carried the key.
    headers: dict[str, str]
    #: The body; for Gemini a streamed URL adds the playground's `"stream": true` hint.
    body: dict[str, Any]
    #: The variable the key is read from: the command's own `$VAR`, else the caller's `key_env`.
    key_env: str
    #: A literal key was in the command and has been dropped.
    dropped_literal_key: bool = False
    ignored: list[str] = field(default_factory=list)


def import_curl(text: str, *, key_env: str = PIPELLM_KEY_ENV, stdin: str = "") -> ImportedRequest:
    words = split_shell_words(text)
    if not words or words[0] != "curl":
        raise CurlImportError("Not a curl command: it must start with `curl`.")
    method, url, headers, data, ignored = _read_options(words[1:], stdin)
    if url is None:
        raise CurlImportError("The curl command has no URL.")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise CurlImportError(f"Not an http(s) URL: {url!r}.")
    match = find_route(parts.path)
    if match is None:
        raise CurlImportError(
            f"{parts.path!r} is not a route of any format (chat, responses, messages, Gemini)."
        )
    query = parse_qsl(parts.query, keep_blank_values=True)
    found_env, literal = None, False
    for name, value in query:
        if name == "key":
            found_env, literal = _key_reference(value)
    query = [(n, v) for n, v in query if n != "key"]
    kept: dict[str, str] = {}
    for name, value in headers:
        if name.lower() in _KEY_HEADERS:
            env, was_literal = _key_reference(value)
            found_env, literal = env or found_env, literal or was_literal
        else:
            kept[name] = value
    body = _body(data)
    route = match.route
    if route.format is Format.GEMINI:
        model = match.model or ""
        if match.stream:
            body["stream"] = True
    else:
        model = body.get("model", "") if isinstance(body.get("model"), str) else ""
    if not model:
        raise CurlImportError("The command names no model (in the body's `model`, or Gemini's path).")
    base = urlunsplit((parts.scheme, parts.netloc, match.base_path, "", ""))
    return ImportedRequest(
        format=route.format, route=route.kind, model=model, method=method or ("POST" if data else "GET"),
        base_url=base, url=urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), "")),
        headers=kept, body=body, key_env=found_env or key_env, dropped_literal_key=literal, ignored=ignored,
    )  # fmt: skip


def _read_options(
    words: list[str], stdin: str
) -> tuple[str | None, str | None, list[tuple[str, str]], list[str], list[str]]:
    method: str | None = None
    url: str | None = None
    headers: list[tuple[str, str]] = []
    data: list[str] = []
    ignored: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        value: str | None = None
        if word.startswith("-X") and len(word) > 2 and not word.startswith("--"):
            word, value = "-X", word[2:]
        elif word in _WITH_VALUE:
            if i + 1 >= len(words):
                raise CurlImportError(f"{word} needs a value.")
            value = words[i + 1]
            i += 1
        i += 1
        if word in ("-X", "--request"):
            method = (value or "").upper()
        elif word in ("-H", "--header"):
            name, sep, rest = (value or "").partition(":")
            if not sep:
                raise CurlImportError(f"Not a header (NAME: VALUE): {value!r}.")
            headers.append((name.strip(), rest.strip()))
        elif word in _DATA:
            data.append(_data_value(value or "", stdin))
            if word == "--json":
                headers.append(("content-type", "application/json"))
        elif word == "--url" or not word.startswith("-"):
            if url is not None:
                raise CurlImportError(f"Two URLs in one command ({url!r} and {value or word!r}).")
            url = value if word == "--url" else word
        else:
            ignored.append(word if value is None else f"{word} {value}")
    return method, url, headers, data, ignored


def _data_value(value: str, stdin: str) -> str:
    if not value.startswith("@"):
        return value
    if value == "@-":
        return stdin
    try:
        return Path(value[1:]).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CurlImportError(f"Cannot read the body file {value[1:]!r}: {exc}.") from None


def _body(data: list[str]) -> dict[str, Any]:
    if not data:
        return {}
    try:
        body = loads_bounded("&".join(data))  # what curl sends for several -d
    except ProtocolError as exc:
        raise CurlImportError(f"The body is {exc.message}.") from None
    if not isinstance(body, dict):
        raise CurlImportError("The body must be a JSON object.")
    return body


def _key_reference(value: str) -> tuple[str | None, bool]:
    """(the variable named, whether a literal key was there). A literal is never returned."""
    found = _VARIABLE.match(value.strip())
    if found:
        return found.group(1) or found.group(2), False
    return None, bool(value.strip().removeprefix("Bearer").strip())


def split_shell_words(text: str) -> list[str]:
    """Words as bash reads them: '...', "..." (with \\ escapes), $'...' (ANSI-C), \\-escapes, and
    backslash-newline continuations (also Windows' `^` line ends and PowerShell's backtick are not
    read). `$VAR` is not expanded: it stays as written, so a key reference can be recognised."""
    words: list[str] = []
    current: list[str] = []
    in_word = False
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n:
            if text[i + 1] == "\n":
                i += 2
                continue
            if text[i + 1 : i + 3] == "\r\n":
                i += 3
                continue
            current.append(text[i + 1])
            in_word, i = True, i + 2
        elif c == "'":
            end = text.find("'", i + 1)
            if end < 0:
                raise CurlImportError("A single quote is never closed.")
            current.append(text[i + 1 : end])
            in_word, i = True, end + 1
        elif c == "$" and text[i + 1 : i + 2] == "'":
            value, i = _ansi_c(text, i + 2)
            current.append(value)
            in_word = True
        elif c == '"':
            i += 1
            while i < n and text[i] != '"':
                if text[i] == "\\" and i + 1 < n and text[i + 1] in '"\\$`\n':
                    current.append("" if text[i + 1] == "\n" else text[i + 1])
                    i += 2
                else:
                    current.append(text[i])
                    i += 1
            if i >= n:
                raise CurlImportError("A double quote is never closed.")
            in_word, i = True, i + 1
        elif c.isspace():
            if in_word:
                words.append("".join(current))
                current, in_word = [], False
            i += 1
        else:
            current.append(c)
            in_word, i = True, i + 1
    if in_word:
        words.append("".join(current))
    return words


def _ansi_c(text: str, i: int) -> tuple[str, int]:
    out: list[str] = []
    while i < len(text):
        c = text[i]
        if c == "'":
            return "".join(out), i + 1
        if c == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            if nxt in ("x", "u", "U"):
                size = {"x": 2, "u": 4, "U": 8}[nxt]
                digits = re.match(rf"[0-9A-Fa-f]{{1,{size}}}", text[i + 2 :])
                if digits:
                    out.append(chr(int(digits.group(0), 16)))
                    i += 2 + len(digits.group(0))
                    continue
            out.append(_ANSI_C.get(nxt, "\\" + nxt))
            i += 2
            continue
        out.append(c)
        i += 1
    raise CurlImportError("A $'...' quote is never closed.")
