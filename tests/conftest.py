"""Shared test fixtures: where the real payloads live."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from pipellm_tui.sandbox.server import RunningSandbox

ROOT = Path(__file__).resolve().parent.parent
#: Real payloads from the official references and SDK suites (beside the checkout in CI).
SHARED_FIXTURES = ROOT.parent / "shared" / "fixtures"
#: Our own payloads in the same shapes, so the suite means something without ../shared.
OWN_FIXTURES = ROOT / "tests" / "fixtures"


def shared_path(relative: str = "") -> Path:
    """A path under ../shared/fixtures. Without that folder (a checkout on its own) the test is
    skipped: those payloads are not ours to copy, and tests/fixtures keeps the suite meaningful."""
    if not SHARED_FIXTURES.is_dir():
        pytest.skip(f"the real payloads are not beside this checkout ({SHARED_FIXTURES})")
    return SHARED_FIXTURES / relative


@pytest.fixture(scope="session")
def shared_fixtures() -> Path:
    return shared_path()


@pytest.fixture(scope="session")
def own_fixtures() -> Path:
    return OWN_FIXTURES


@pytest.fixture(scope="session")
def shared_cache_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache folder for the whole run (of one worker): the parsed style sheets kept there
    (ui/parsed_styles.py) serve every app test after the first, as they serve a user's runs."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def own_config_and_data(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, shared_cache_home: Path
) -> Path:
    """Every test gets empty config and data folders (XDG_CONFIG_HOME, XDG_DATA_HOME, which
    platformdirs follows): nothing reads or writes the user's own config, history or requests.
    The cache (XDG_CACHE_HOME) is the run's own too, never the user's."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(shared_cache_home))
    return home


@pytest.fixture
def data_home(own_config_and_data: Path) -> Path:
    """This test's data folder (XDG_DATA_HOME): where the draft and the history go."""
    return own_config_and_data / "data"


# ---------------------------------------------------------------------------- the sandbox
# A real sandbox on 127.0.0.1 over real HTTP (pipellm_tui/sandbox). The shared one has limits high
# enough that no test of another area ever meets them; rate-limit and balance tests start their own
# with `fresh_sandbox(rpm=..., balance=...)`, which stops them at the end of the test.


@pytest.fixture(scope="session")
def sandbox() -> Iterator[RunningSandbox]:
    from pipellm_tui.sandbox.config import SandboxConfig
    from pipellm_tui.sandbox.server import start_in_thread

    running = start_in_thread(SandboxConfig(rpm=1_000_000, balance=1_000_000.0))
    yield running
    running.stop()


@pytest.fixture
def fresh_sandbox() -> Iterator[Callable[..., RunningSandbox]]:
    """`fresh_sandbox(rpm=2, balance=0.0, token_rate=50, ...)`: any SandboxConfig field."""
    from pipellm_tui.sandbox.config import SandboxConfig
    from pipellm_tui.sandbox.server import start_in_thread

    started: list[RunningSandbox] = []

    def start(**settings: Any) -> RunningSandbox:
        running = start_in_thread(SandboxConfig(**settings))
        started.append(running)
        return running

    yield start
    for running in started:
        running.stop()


@pytest.fixture
def closed_port() -> int:
    """A loopback port where nothing listens (bound, read back, closed)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port
