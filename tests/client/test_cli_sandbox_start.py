"""The playground's sandbox started early (cli.py): before config.toml is read when nothing names
another endpoint, and discarded at once when config.toml names one after all."""

from __future__ import annotations

import pytest

from pipellm_tui.cli import _sandbox_for, _start_sandbox_early, build_parser
from pipellm_tui.sandbox.child import SandboxProcess


@pytest.mark.parametrize(
    ("argv", "environ"),
    [
        ([], {"PIPELLM_API_KEY": "pipe-key"}),
        (["--base-url", "http://127.0.0.1:9"], {}),
        (["--profile", "work"], {}),
        (["--api-key-env", "WORK_KEY"], {}),
    ],
)
def test_no_early_sandbox_when_a_key_or_an_endpoint_is_named(
    argv: list[str], environ: dict[str, str]
) -> None:
    assert _start_sandbox_early(build_parser().parse_args(argv), environ) is None


@pytest.mark.parametrize(
    ("argv", "environ"),
    [([], {}), ([], {"PIPELLM_API_KEY": ""}), (["--sandbox"], {"PIPELLM_API_KEY": "pipe-key"})],
)
def test_the_sandbox_starts_early_when_it_is_the_likely_one(argv: list[str], environ: dict[str, str]) -> None:
    early = _start_sandbox_early(build_parser().parse_args(argv), environ)
    assert isinstance(early, SandboxProcess)
    try:
        assert _sandbox_for(False, early) is early  # the endpoint is the sandbox: this child serves it
        assert early.base_url.startswith("http://127.0.0.1:")
    finally:
        early.stop()


def test_an_early_sandbox_not_needed_is_discarded_at_once() -> None:
    early = SandboxProcess.spawn()
    assert early.exit_code is None  # still starting
    assert _sandbox_for(True, early) is None  # config.toml named an endpoint
    assert early.exit_code is not None


def test_without_an_early_one_the_sandbox_starts_when_the_endpoint_is_known() -> None:
    assert _sandbox_for(True, None) is None
    sandbox = _sandbox_for(False, None)
    assert isinstance(sandbox, SandboxProcess)
    try:
        assert sandbox.base_url.startswith("http://127.0.0.1:")
    finally:
        sandbox.stop()
