"""The footer: the screen's shown key bindings on one line, the command palette's key on the right.

Why not Textual's `Footer`: it is a widget per key (a dozen here), rebuilt (`recompose`) whenever the
bindings change, which they do on every focus change; at start-up that rebuild alone cost ~25 ms
before the model list could paint (bench/startup.py). This is one widget that re-renders a line of
text instead, with the same look (the `$footer-*` theme variables) and the same behaviour: keys
whose action is disabled are dimmed, and clicking a key presses it.
Must not import httpx2.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.widget import Widget


@dataclass(frozen=True, slots=True)
class _Shown:
    """One key on the bar and where it sits (columns start..end)."""

    key: str
    start: int
    end: int
    enabled: bool


_DIM = Style(dim=True)
#: Binding ids the bar keeps on the narrowest terminal: the others give way first, last one first.
ESSENTIAL = frozenset({"send-request", "help", "quit"})


class KeyBar(Widget):
    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"keybar--key", "keybar--description"}  # noqa: RUF012 - Textual's own declaration
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        .keybar--key { color: $footer-key-foreground; background: $footer-key-background; text-style: bold; }
        .keybar--description { color: $footer-description-foreground; background: $footer-description-background; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: list[_Shown] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: object) -> None:
        self.refresh()

    def shown_bindings(self) -> list[tuple[Binding, bool]]:
        """The bindings the bar shows, each with whether its action is enabled: one per action
        (the first of its keys), in the screen's order, the palette's key last."""
        keys, palette = self._keys_and_palette()
        return [*keys, palette] if palette is not None else keys

    def _keys_and_palette(self) -> tuple[list[tuple[Binding, bool]], tuple[Binding, bool] | None]:
        """The keys on the left, and the palette's key for the right (None without a palette)."""
        seen: set[str] = set()
        keys: list[tuple[Binding, bool]] = []
        palette: tuple[Binding, bool] | None = None
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if binding.key == self.app.COMMAND_PALETTE_BINDING and self.app.ENABLE_COMMAND_PALETTE:
                palette = (binding, enabled)
            elif binding.show and binding.action not in seen:
                seen.add(binding.action)
                keys.append((binding, enabled))
        return keys, palette

    def render(self) -> Text:
        key_style = self.get_component_rich_style("keybar--key")
        description_style = self.get_component_rich_style("keybar--description")
        line = Text(no_wrap=True, overflow="crop", end="")
        shown: list[_Shown] = []
        keys, palette = self._keys_and_palette()
        room = self.size.width - (len(self._label(palette[0])) + 1 if palette is not None else 0)
        while self.size.width and sum(len(self._label(b)) for b, _ in keys) > room:
            optional = [i for i, (b, _) in enumerate(keys) if b.id not in ESSENTIAL]
            if not optional:
                break
            del keys[optional[-1]]
        for binding, enabled in keys:
            start = line.cell_len
            self._append(line, binding, enabled, key_style, description_style)
            shown.append(_Shown(binding.key, start, line.cell_len, enabled))
        if palette is not None:
            binding, enabled = palette
            right = Text(no_wrap=True, end="")
            right.append("▏", style="dim")
            self._append(right, binding, enabled, key_style, description_style, pad=False)
            # The palette's key keeps its place on the right; the others give way when narrow.
            room = max(self.size.width - right.cell_len, 0)
            if line.cell_len > room:  # whole keys only
                shown = [s for s in shown if s.end <= room]
                line.truncate(shown[-1].end if shown else 0)
            line.append(" " * (room - line.cell_len))
            start = line.cell_len
            line.append_text(right)
            shown.append(_Shown(binding.key, start, line.cell_len, enabled))
        self._shown = shown
        return line

    def _append(
        self,
        line: Text,
        binding: Binding,
        enabled: bool,
        key_style: Style,
        description_style: Style,
        *,
        pad: bool = True,
    ) -> None:
        if not enabled:
            key_style, description_style = key_style + _DIM, description_style + _DIM
        line.append(f"{' ' if pad else ''}{self.app.get_key_display(binding)} ", style=key_style)
        if binding.description:
            line.append(f"{binding.description}{' ' if pad else ''}", style=description_style)

    def _label(self, binding: Binding) -> str:
        """The text `_append` writes for a key (its width decides what fits)."""
        return f" {self.app.get_key_display(binding)} {binding.description + ' ' if binding.description else ''}"

    def key_at(self, x: int) -> str | None:
        """The key shown at column `x` when its action is enabled, else None."""
        return next((s.key for s in self._shown if s.start <= x < s.end and s.enabled), None)

    def on_click(self, event: events.Click) -> None:
        key = self.key_at(event.x)
        if key is None:
            self.app.bell()
        else:
            self.app.simulate_key(key)
