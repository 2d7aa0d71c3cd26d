"""Profile -> endpoint, in one place: the choice table, and a gateway's rules tried on a real server
(the sandbox standing in for any compatible gateway)."""

from __future__ import annotations

from typing import Any

import pytest

from pipellm_tui.client import PlaygroundClient
from pipellm_tui.client.plan import PlanError
from pipellm_tui.playground.endpoint import Choice, resolve
from pipellm_tui.playground.request_draft import guard_problem
from pipellm_tui.protocols.formats import Family, Format, RouteKind
from pipellm_tui.protocols.routes import PIPELLM_BASE_URL, route_for
from pipellm_tui.store.config import Config
from pipellm_tui.store.profiles import Profile, ProfileKind, ProfileProblem, store_key

GATEWAY = Profile(name="litellm", base_url="http://127.0.0.1:4000", key_env="LITELLM_KEY")
CONFIG = Config().with_profile(GATEWAY)


@pytest.mark.parametrize(
    ("choice", "environ", "config", "expected"),
    [
        (Choice(), {}, CONFIG, ("sandbox", "", "")),
        (Choice(), {"PIPELLM_API_KEY": "pipe-k"}, CONFIG, ("pipellm", PIPELLM_BASE_URL, "pipe-k")),
        (Choice(sandbox=True), {"PIPELLM_API_KEY": "pipe-k"}, CONFIG, ("sandbox", "", "")),
        (Choice(profile="litellm"), {"LITELLM_KEY": "sk-l"}, CONFIG, ("litellm", "http://127.0.0.1:4000", "sk-l")),
        (Choice(profile="litellm"), {}, CONFIG, ("litellm", "http://127.0.0.1:4000", "")),
        (Choice(profile="litellm", base_url="http://h:9/"), {}, CONFIG, ("litellm", "http://h:9", "")),
        (Choice(base_url="http://h:1/", key_env="MY"), {"MY": "k"}, CONFIG, ("command-line", "http://h:1", "k")),
        (Choice(), {"PIPELLM_API_KEY": "pipe-k"}, CONFIG.model_copy(update={"profile": "litellm"}),
         ("litellm", "http://127.0.0.1:4000", "")),
    ],
)  # fmt: skip
def test_which_profile_and_key(
    choice: Choice, environ: dict[str, str], config: Config, expected: tuple[str, str, str]
) -> None:
    target = resolve(choice, config, environ)
    assert (target.profile.name, target.base_url, target.api_key) == expected
    assert target.needs_sandbox == (expected[0] == "sandbox")
    assert "pipe-k" not in repr(target) and "sk-l" not in repr(target)


def test_problems_are_said() -> None:
    with pytest.raises(
        ProfileProblem, match="No profile named 'nope'. Known profiles: litellm, pipellm, sandbox"
    ):
        resolve(Choice(profile="nope"), CONFIG, {})
    with pytest.raises(ProfileProblem, match=r"reads its key from \$PIPELLM_API_KEY"):
        resolve(Choice(profile="pipellm"), CONFIG, {})
    with pytest.raises(ProfileProblem, match="NO_SUCH: that environment variable is not set"):
        resolve(Choice(key_env="NO_SUCH"), CONFIG, {})


def test_a_stored_key_is_used_only_when_the_profile_says_so() -> None:
    store_key("litellm", "sk-stored")
    assert resolve(Choice(profile="litellm"), CONFIG, {"LITELLM_KEY": "sk-env"}).api_key == "sk-env"
    stored = CONFIG.with_profile(GATEWAY.model_copy(update={"key_stored": True}))
    assert resolve(Choice(profile="litellm"), stored, {"LITELLM_KEY": "sk-env"}).api_key == "sk-stored"


def test_gateway_routes_have_no_guard_and_no_converters() -> None:
    gateway = resolve(Choice(profile="litellm"), CONFIG, {})
    pipellm = resolve(Choice(profile="pipellm"), CONFIG, {"PIPELLM_API_KEY": "pipe-k"})
    for fmt in Format:
        assert gateway.route_problem(fmt, RouteKind.NATIVE, "gemini-2.5-pro", Family.GEMINI) is None  # any model
        assert "native routes only" in (gateway.route_problem(fmt, RouteKind.CONVERTER, "m", None) or "")
        with pytest.raises(PlanError, match="native routes only"):
            gateway.plan(fmt, RouteKind.CONVERTER, "m", {})
    # PipeLLM's rules are the protocol guard, worded as the session words it (request_draft.py).
    assert pipellm.route_problem(Format.ANTHROPIC, RouteKind.NATIVE, "gpt-4o", Family.OPENAI) == (
        guard_problem(route_for(Format.ANTHROPIC, RouteKind.NATIVE), "gpt-4o", Family.OPENAI)
    )
    assert "gpt-4o is an OpenAI model" in (
        pipellm.route_problem(Format.ANTHROPIC, RouteKind.NATIVE, "gpt-4o", Family.OPENAI) or ""
    )
    assert pipellm.route_problem(Format.ANTHROPIC, RouteKind.CONVERTER, "gpt-4o", Family.OPENAI) is None
    assert "not available yet" in (
        pipellm.route_problem(Format.OPENAI_RESPONSES, "converter", "m", None) or ""
    )


@pytest.mark.parametrize("fmt", list(Format))
async def test_a_gateway_without_a_key_sends_no_auth_header_and_its_401_names_its_variable(
    sandbox: Any, fmt: Format
) -> None:
    config = Config().with_profile(Profile(name="gw", base_url=sandbox.base_url, key_env="GW_KEY"))
    target = resolve(Choice(profile="gw"), config, {})
    assert target.kind is ProfileKind.GATEWAY
    plan = target.plan(fmt, "native", "gpt-4o" if fmt.family is Family.OPENAI else f"{fmt.family}-x", {})
    assert not {"authorization", "x-api-key", "x-goog-api-key"} & set(plan.headers)
    assert plan.secret_header is None
    client = PlaygroundClient()
    try:
        exchange = await client.send_collect(plan)
    finally:
        await client.aclose()
    assert exchange.status == 401 and exchange.error is not None
    advice = target.advice(exchange.error)
    assert "$GW_KEY" in advice and "console.pipellm.com" not in advice
    keyed = resolve(Choice(profile="gw"), config, {"GW_KEY": sandbox.api_key})
    assert keyed.plan(fmt, "native", "m", {}).secret_header is not None


def test_the_tui_takes_its_endpoint_from_the_same_place() -> None:
    from types import SimpleNamespace

    from pipellm_tui.playground.endpoint import endpoint_from_args
    from pipellm_tui.store.config import save_config

    save_config(CONFIG)
    args = SimpleNamespace(profile="litellm", base_url=None, api_key_env=None, sandbox=False)
    endpoint = endpoint_from_args(args, {"LITELLM_KEY": "sk-l"})
    assert endpoint is not None
    assert (endpoint.base_url, endpoint.api_key, endpoint.key_env) == (
        "http://127.0.0.1:4000",
        "sk-l",
        "LITELLM_KEY",
    )
    assert endpoint_from_args(SimpleNamespace(profile="sandbox"), {"PIPELLM_API_KEY": "pipe-k"}) is None
    with pytest.raises(ProfileProblem):
        endpoint_from_args(SimpleNamespace(profile="nope"), {})
