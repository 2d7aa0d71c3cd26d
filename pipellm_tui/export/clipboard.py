"""The system clipboard, when the machine has one (pyperclip: xclip or wl-copy on Linux, pbcopy on
macOS). Where it has none (a server over SSH, a container), `copy` says so and the app falls back
to the terminal's own clipboard (OSC 52, Textual's `App.copy_to_clipboard`).
"""

from __future__ import annotations


def copy(text: str) -> bool:
    """Put `text` on the system clipboard; False when there is no system clipboard to use."""
    try:
        import pyperclip  # type: ignore[import-untyped]  # no type information published

        pyperclip.copy(text)
    except Exception:  # noqa: BLE001 - pyperclip raises its own errors and OSErrors alike
        return False
    return True
