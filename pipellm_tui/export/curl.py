"""A request as a curl command a user can paste into a POSIX shell: method, URL, headers, JSON body.

The key never appears in it: the header that carries the key reads it from an environment variable
(`-H "authorization: Bearer ${PIPELLM_API_KEY}"`), which the user's shell expands when they run
the command. Everything else is single-quoted (`shlex.quote`), so nothing in a header or the body
is ever run by the shell. A streamed request gets `-N`, so events show as they arrive.
Imports the standard library only.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Mapping
from typing import Any

from ..protocols.routes import PIPELLM_KEY_ENV

_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
#: Inside double quotes, the shell still reads these four: each gets a backslash.
_DOUBLE_QUOTED_SPECIALS = re.compile(r'([\\"$`])')


def curl_command(
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: Any,
    *,
    secret_header: str | None = None,
    secret_prefix: str = "",
    key_env: str = PIPELLM_KEY_ENV,
    stream: bool = False,
) -> str:
    """The command, one option per line. `headers` must not hold the key: `secret_header` names
    the header that carries it (its value is `secret_prefix` + the variable `key_env`)."""
    if not _ENV_NAME.fullmatch(key_env):
        raise ValueError(f"not an environment variable name: {key_env!r}")
    lines = [
        "curl"
        + (" -N" if stream else "")
        + ("" if method == "POST" and body is not None else f" -X {method}")
    ]
    lines.append(shlex.quote(url))
    lines += [f"-H {shlex.quote(f'{name}: {value}')}" for name, value in headers.items()]
    if secret_header:
        fixed = _DOUBLE_QUOTED_SPECIALS.sub(r"\\\1", f"{secret_header}: {secret_prefix}")
        lines.append(f'-H "{fixed}${{{key_env}}}"')
    if body is not None:
        lines.append(f"--data-binary {shlex.quote(json.dumps(body, ensure_ascii=False, indent=2))}")
    return " \\\n  ".join(lines)
