"""Where the playground sends: base URL, key, whether it is the in-process sandbox, and how the
header shows it. The key is never part of what is shown. Must not import Textual or httpx2.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..protocols.routes import PIPELLM_BASE_URL


@dataclass(frozen=True, slots=True)
class Endpoint:
    base_url: str
    api_key: str
    is_sandbox: bool = False
    #: Shown instead of base_url (snapshot tests fix it, since the sandbox port is random).
    display_url: str | None = None

    def shown(self, url: str) -> str:
        """`url` as displayed: the base URL swapped for `display_url` when one is set."""
        if self.display_url and url.startswith(self.base_url):
            return self.display_url + url[len(self.base_url) :]
        return url

    @property
    def label(self) -> str:
        url = self.display_url or self.base_url
        if self.is_sandbox:
            return f"Sandbox · {url}"
        return f"PipeLLM · {url}" if url.rstrip("/") == PIPELLM_BASE_URL else url
