"""The panes that follow the model list on screen: built here, mounted in place of their frames.

Kept apart from main_screen.py so their modules (and Textual's Select, DataTable, Log,
TextArea) are imported only when the panes are built, after the first paint. Each pane is returned
under the id of the frame it replaces, in the order it sits in its container.
Must not import httpx2.
"""

from __future__ import annotations

from textual.widget import Widget

from ..playground.session import Session
from .widgets.errors import ErrorPane
from .widgets.params_form import ParamsForm
from .widgets.payloads import PayloadsPane
from .widgets.ratelimits import RateLimitsPane
from .widgets.request_editor import RequestEditor
from .widgets.response import ResponsePane
from .widgets.route_picker import RoutePicker
from .widgets.tabs import TabbedPanes, TabPage


def build_panes(session: Session) -> dict[str, Widget]:
    """Frame id -> the pane that takes its place."""
    inspector = TabbedPanes(
        TabPage("Payloads", PayloadsPane(id="payloads-pane"), id="payloads"),
        TabPage("Limits", RateLimitsPane(session, id="limits-pane"), id="limits"),
        TabPage("Error", ErrorPane(session, id="error-pane"), id="error"),
        id="inspector",
    )
    return {
        "route": RoutePicker(session.format, session.route_kind, id="route"),
        "editor": RequestEditor(session.request_text, id="editor"),
        "params": ParamsForm(session.params() if session.request_body() is not None else None, id="params"),
        "response": ResponsePane(id="response"),
        "inspector": inspector,
    }
