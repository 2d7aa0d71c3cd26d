"""A request taken out of the playground, for both faces: as a curl command or as Python for the
format's official SDK; the key is always read from the profile's variable, never written out."""

from __future__ import annotations

from typing import Any, Literal

from ..client.plan import Plan, make_plan
from ..export.curl import curl_command
from ..export.sdk_code import python_sdk_code
from ..protocols.formats import Format, RouteKind

ExportKind = Literal["curl", "python"]


def curl_for(
    fmt: Format | str, kind: RouteKind | str, base_url: str, model: str, body: dict[str, Any], key_env: str
) -> str:
    """The exact request `make_plan` would send, as curl, with `${key_env}` where the key goes."""
    plan = make_plan(base_url, "", fmt, kind, model, body)
    auth = plan.route.auth
    headers = {name: value for name, value in plan.headers.items() if name != auth.header}
    return curl_command(
        plan.method, plan.url, headers, plan.body,
        secret_header=auth.header, secret_prefix=auth.prefix, key_env=key_env, stream=plan.stream,
    )  # fmt: skip


def curl_for_plan(plan: Plan, key_env: str) -> str:
    """A plan as curl, with `${key_env}` where the key goes (no auth header when the plan sends none:
    a gateway profile with no key)."""
    headers = {name: value for name, value in plan.headers.items() if name != plan.secret_header}
    return curl_command(
        plan.method, plan.url, headers, plan.body, secret_header=plan.secret_header,
        secret_prefix=plan.route.auth.prefix, key_env=key_env, stream=plan.stream,
    )  # fmt: skip


def export_request(
    as_: ExportKind, fmt: Format | str, kind: RouteKind | str, base_url: str, model: str,
    body: dict[str, Any], key_env: str,
) -> str:  # fmt: skip
    if as_ == "curl":
        return curl_for(fmt, kind, base_url, model, body, key_env)
    return python_sdk_code(fmt, kind, base_url, model, body, key_env=key_env)
