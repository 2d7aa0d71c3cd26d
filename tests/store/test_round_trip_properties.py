"""Round trips for any JSON a user can put in the editor: a saved request's body, and a request
exported as curl then imported again. Example counts are modest here; PIPELLM_FUZZ_EXAMPLES raises
them for a dedicated run."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipellm_tui.client.plan import make_plan
from pipellm_tui.export.curl_import import import_curl
from pipellm_tui.playground.exports import curl_for
from pipellm_tui.protocols.formats import Format, RouteKind
from pipellm_tui.store.saved_requests import SavedRequest, SavedRequests

EXAMPLES = int(os.environ.get("PIPELLM_FUZZ_EXAMPLES", "60"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
#: Every code point, lone surrogates included (JSON text can carry "\ud800").
TEXT = st.text(st.characters(exclude_categories=()), max_size=30)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=20,
)
BODIES = st.dictionaries(TEXT.filter(lambda k: k not in ("model", "stream")), JSON, max_size=6)


@SETTINGS
@given(body=BODIES, fmt=st.sampled_from(list(Format)), model=st.text(min_size=1, max_size=30))
def test_a_saved_request_comes_back_exactly(body: dict[str, Any], fmt: Format, model: str) -> None:
    folder = Path(tempfile.mkdtemp())
    try:
        store = SavedRequests(folder)
        saved = SavedRequest("req", fmt, RouteKind.CONVERTER, model, body, "sandbox")
        store.save(saved)
        assert store.open("req") == saved
    finally:
        shutil.rmtree(folder)


@SETTINGS
@given(body=BODIES, fmt=st.sampled_from(list(Format)), stream=st.booleans())
def test_curl_export_then_import_is_the_same_request(body: dict[str, Any], fmt: Format, stream: bool) -> None:
    model = "gemini-2.5-flash" if fmt is Format.GEMINI else "gpt-4o"
    body = {**body, "stream": stream}
    plan = make_plan("http://127.0.0.1:8787", "pipe-k", fmt, RouteKind.NATIVE, model, body)
    imported = import_curl(curl_for(fmt, RouteKind.NATIVE, "http://127.0.0.1:8787", model, body, "K"))
    again = make_plan(
        imported.base_url, "pipe-k", imported.format, imported.route, imported.model, imported.body
    )
    assert (again.url, again.body, again.headers, again.stream) == (
        plan.url,
        plan.body,
        plan.headers,
        plan.stream,
    )
