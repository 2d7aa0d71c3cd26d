"""Shared test fixtures: where the real payloads live."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: Real payloads from the official references and SDK suites (beside the checkout in CI).
SHARED_FIXTURES = ROOT.parent / "shared" / "fixtures"
#: Our own payloads in the same shapes, so the suite means something without ../shared.
OWN_FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture(scope="session")
def shared_fixtures() -> Path:
    return SHARED_FIXTURES


@pytest.fixture(scope="session")
def own_fixtures() -> Path:
    return OWN_FIXTURES
