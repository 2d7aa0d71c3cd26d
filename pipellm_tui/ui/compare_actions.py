"""The main screen's two compare actions (alt+v "Compare routes", alt+n "Compare models").

Built on the screen's core (screen_core.py), like screen_actions.py: it takes the editor's text into the session,
asks the core for the targets and the comparison (playground/compare_targets.py, compare.py), and
opens the compare screen. `on_exchange` is the history hook: each run that ends is handed to it with
the comparison's group id (history can store the whole comparison as one group).
Must not import httpx2; the compare modules (and the converters they use) load with the first
comparison, not with the main screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..playground.request_draft import SendRefused
from .screen_core import ScreenCore

if TYPE_CHECKING:
    from ..playground.compare import Comparison, OnExchange
    from ..playground.compare_targets import Target


class CompareActions(ScreenCore):
    #: Called with (run, group_id) for each run of a comparison that ends (history connects here).
    on_compare_exchange: OnExchange | None = None

    def action_compare_routes(self) -> None:
        """The one-key default: this model on every route."""
        from ..playground.compare_targets import TargetError, route_targets

        self.session.set_request_text(self.editor.flush())
        try:
            targets = route_targets(self.session.model, self.session.model_family())
        except TargetError as exc:
            self.notify(str(exc), title="Not compared", severity="error")
            return
        self._open(targets, f"{self.session.model} on every route")

    def action_compare_models(self) -> None:
        from ..playground.compare_targets import MAX_MODELS, TargetError, model_targets
        from .widgets.compare_picker import ModelPicker

        self.session.set_request_text(self.editor.flush())
        models = [m.id for m in self.session.models] or [self.session.model]

        def picked(chosen: list[str] | None) -> None:
            if not chosen:
                return
            families = {m.id: m.family for m in self.session.models if m.family is not None}
            try:
                targets = model_targets(chosen, self.session.format, families)
            except TargetError as exc:
                self.notify(str(exc), title="Not compared", severity="error")
                return
            self._open(targets, f"{len(targets)} models in {self.session.format.value}")

        self.app.push_screen(ModelPicker(models, self.session.model, MAX_MODELS), picked)

    def _open(self, targets: list[Target], title: str) -> None:
        from .compare_screen import CompareScreen, comparison_from_session

        def build(repeat: int) -> Comparison:
            return comparison_from_session(
                self.session, targets, repeat=repeat, on_exchange=self.on_compare_exchange
            )

        try:
            comparison = comparison_from_session(self.session, targets, on_exchange=self.on_compare_exchange)
        except SendRefused as exc:
            self.notify(str(exc), title="Not compared", severity="error")
            return
        self.app.push_screen(CompareScreen(comparison, title, build))
