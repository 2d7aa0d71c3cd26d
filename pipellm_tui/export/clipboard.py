"""The system clipboard, when the machine has one (pyperclip: xclip or wl-copy on Linux, pbcopy on
macOS). Where it has none (a server over SSH, a container), `copy` says so and the app falls back
to the terminal's own clipboard (OSC 52, Textual's `App.copy_to_clipboard`).

Neither path can be confirmed: pyperclip with a DISPLAY that points at no X server "succeeds" and
copies nothing, and a terminal may ignore OSC 52. So `copy` reports which path it took, and the UI
says that (and shows the text for copying by hand), never "Copied" as a fact.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CopyReport:
    #: The system clipboard tool pyperclip used ("xclip", "wl-clipboard", "pbcopy", ...), or None
    #: when it found none or failed.
    system_tool: str | None

    def describe(self) -> str:
        """Which paths were taken, in plain words (the terminal's OSC 52 is always tried too)."""
        system = (
            f"the system clipboard ({self.system_tool})" if self.system_tool else "no system clipboard found"
        )
        return f"Sent to {system} and to the terminal (OSC 52, if your terminal allows it)."


def copy(text: str) -> CopyReport:
    """Put `text` on the system clipboard if the machine has one; report what was used."""
    try:
        import pyperclip  # type: ignore[import-untyped]  # no type information published

        pyperclip.copy(text)
        # pyperclip swaps `copy` for the function of the tool it found on first use.
        tool = getattr(pyperclip.copy, "__name__", "")
    except Exception:  # noqa: BLE001 - pyperclip raises its own errors and OSErrors alike
        return CopyReport(None)
    name = tool.removeprefix("copy_").replace("_", "-") if tool.startswith("copy_") else tool or None
    return CopyReport(name if name not in ("lazy-load-stub-copy", "") else None)
