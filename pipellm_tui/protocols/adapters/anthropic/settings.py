"""Anthropic generation settings <-> the IR: `output_config` (JSON schema, effort), `thinking`, and
the sampling knobs with Anthropic's limits (temperature 0..1, no seed, one candidate, no JSON mode
without a schema, thinking budgets of at least 1024).
No I/O; standard library only.
"""

from __future__ import annotations

from typing import Any

from ... import ir
from ...formats import Format
from ...problems import ProtocolError
from ..base import Warnings
from ..shared.json_shapes import need_dict, need_int, need_str
from .content import FORMAT_LABEL

#: Anthropic's `output_config.effort` values; other formats' efforts are mapped or dropped.
EFFORTS = frozenset({"low", "medium", "high", "xhigh", "max"})
#: Thinking budgets for an effort alone (LiteLLM's table; see ../shared/reference/conversion.md).
EFFORT_BUDGETS = {"low": 1024, "medium": 2048, "high": 4096, "xhigh": 8192, "max": 16384}
_EFFORT_ALIASES = {"minimal": "low"}
_DISPLAY = {"summarized": True, "omitted": False}

# ---------------------------------------------------------------------------- wire -> IR


def settings_to_ir(
    config: Any,
    legacy_format: Any,
    thinking: Any,
    request: ir.Request,
    extras: dict[str, Any],
    warnings: Warnings,
) -> None:
    """`output_config`, the older `output_format` and `thinking`; effort alone stays an extra."""
    effort = None
    if config is not None:
        rest = dict(need_dict(config, "output_config"))
        if (fmt := rest.pop("format", None)) is not None:
            request.response_format = _json_schema(fmt, "output_config.format")
        if (value := rest.pop("effort", None)) is not None:
            effort = need_str(value, "output_config.effort")
            if thinking is None:
                rest["effort"] = effort  # effort without a thinking setting: Anthropic-only, keep as is
        if rest:
            extras["output_config"] = rest
    if legacy_format is not None and request.response_format is None:
        request.response_format = _json_schema(legacy_format, "output_format")
    if thinking is not None:
        request.thinking = _thinking(thinking, effort, warnings)


def _json_schema(value: Any, path: str) -> ir.ResponseFormat:
    kind = need_dict(value, path).get("type")
    if kind != "json_schema":
        raise ProtocolError(f"unknown format type {kind!r} (json_schema)", f"{path}.type")
    return ir.ResponseFormat(
        ir.ResponseFormatKind.JSON_SCHEMA, need_dict(value.get("schema"), f"{path}.schema")
    )


def _thinking(value: Any, effort: str | None, warnings: Warnings) -> ir.Thinking:
    kind = need_dict(value, "thinking").get("type")
    display = value.get("display")
    include = None if display is None else _DISPLAY.get(display)
    if display is not None and include is None:
        raise ProtocolError(
            f"unknown thinking display {display!r} (summarized or omitted)", "thinking.display"
        )
    if kind == "enabled":
        budget = need_int(value.get("budget_tokens"), "thinking.budget_tokens")
        return ir.Thinking(True, budget, effort, include)
    if kind == "adaptive":
        return ir.Thinking(True, None, effort, include, adaptive=True)
    if kind == "disabled":
        return ir.Thinking(False, None, effort)
    raise ProtocolError(f"unknown thinking type {kind!r} (enabled, adaptive or disabled)", "thinking.type")


# ---------------------------------------------------------------------------- IR -> wire


def settings_from_ir(request: ir.Request, body: dict[str, Any], warnings: Warnings) -> None:
    if request.temperature is not None:
        temperature = request.temperature
        if temperature > 1:
            warnings.append(f"temperature {temperature}: {FORMAT_LABEL} accepts 0 to 1; clamped to 1")
            temperature = 1
        body["temperature"] = temperature
    if request.top_p is not None:
        body["top_p"] = request.top_p
    if request.top_k is not None:
        body["top_k"] = request.top_k
    if request.stop:
        stops = [s for s in request.stop if s.strip()]
        if len(stops) < len(request.stop):
            warnings.append(f"stop: {FORMAT_LABEL} rejects whitespace-only stop sequences; dropped")
        if stops:
            body["stop_sequences"] = stops
    if request.seed is not None:
        warnings.append(f"seed: {FORMAT_LABEL} has no seed; dropped")
    if request.candidate_count is not None:
        warnings.append(
            f"candidate count {request.candidate_count}: {FORMAT_LABEL} has no candidate "
            "count and produces one candidate only; dropped"
        )
    config: dict[str, Any] = {}
    fmt = request.response_format
    if fmt is not None:
        if fmt.kind is ir.ResponseFormatKind.JSON_SCHEMA:
            schema = fmt.schema
            if schema is None:
                warnings.append("response_format: json_schema without a schema; an open object schema sent")
                schema = {"type": "object"}
            config["format"] = {"type": "json_schema", "schema": schema}
            if fmt.name is not None:
                warnings.append(f"response_format name: {FORMAT_LABEL} json_schema has no name; dropped")
        elif fmt.kind is ir.ResponseFormatKind.JSON_OBJECT:
            warnings.append(
                f"response_format json_object: {FORMAT_LABEL} has no JSON mode without a schema; dropped"
            )
    if request.thinking is not None:
        forced = body.get("tool_choice", {}).get("type")
        if request.extras_format is Format.ANTHROPIC:  # an Anthropic body is sent as written
            _thinking_from_ir(request.thinking, body, config, warnings)
        elif request.thinking.enabled and forced in ("any", "tool"):
            # Before any budget is chosen: a max_tokens raised for it would outlive it.
            warnings.append(
                f"thinking: {FORMAT_LABEL} cannot think when tool_choice forces a tool ({forced}); "
                "thinking dropped, the tool choice kept"
            )
        else:
            _thinking_from_ir(request.thinking, body, config, warnings)
            _fit_sampling(body, warnings)
    if config:
        body["output_config"] = config


def _fit_sampling(body: dict[str, Any], warnings: Warnings) -> None:
    """Anthropic thinking (enabled or adaptive) refuses a temperature other than 1, a top_p under
    0.95 and any top_k (as it refuses a forced tool, see above). Another format's request that
    combines them (a temperature beside a reasoning effort or a thinking budget) is made to fit:
    thinking wins over the sampling settings, each one dropped named."""
    thinking = body.get("thinking")
    if thinking is None or thinking.get("type") == "disabled":
        return
    temperature = body.get("temperature")
    if temperature is not None and temperature != 1:
        del body["temperature"]
        warnings.append(f"temperature {temperature}: {FORMAT_LABEL} takes only 1 with thinking; dropped")
    top_p = body.get("top_p")
    if top_p is not None and top_p < 0.95:
        del body["top_p"]
        warnings.append(f"top_p {top_p}: {FORMAT_LABEL} takes 0.95 to 1 with thinking; dropped")
    if "top_k" in body:
        warnings.append(f"top_k {body.pop('top_k')}: {FORMAT_LABEL} takes no top_k with thinking; dropped")


def _thinking_from_ir(
    thinking: ir.Thinking, body: dict[str, Any], config: dict[str, Any], warnings: Warnings
) -> None:
    effort = thinking.effort
    if effort is not None and effort not in EFFORTS:
        mapped = _EFFORT_ALIASES.get(effort)
        if mapped is None:
            warnings.append(f"reasoning effort {effort!r}: {FORMAT_LABEL} has no such effort; dropped")
        else:
            warnings.append(f"reasoning effort {effort!r}: {FORMAT_LABEL} has none; {mapped!r} sent")
        effort = mapped
    budget = thinking.budget_tokens
    derived = False  # a budget this encoder chose (from an effort, or raised to the minimum)
    if thinking.enabled and budget is None and effort is not None and not thinking.adaptive:
        # An effort alone (OpenAI's reasoning_effort) would mean adaptive thinking, which only the
        # newest Claude models take; a token budget (LiteLLM's table) works on every thinking model.
        budget = EFFORT_BUDGETS[effort]
        warnings.append(
            f"reasoning effort {effort!r}: {FORMAT_LABEL} thinking takes a token budget; {budget} sent"
        )
        effort, derived = None, True
    if not thinking.enabled or (budget is not None and budget <= 0):
        body["thinking"] = {"type": "disabled"}
    elif budget is not None:
        if budget < 1024:
            warnings.append(f"thinking budget {budget}: {FORMAT_LABEL} needs at least 1024; 1024 sent")
            budget, derived = 1024, True
        body["thinking"] = {"type": "enabled", "budget_tokens": budget}
        if derived:  # a budget the request gave is sent as given, and the API judges it
            _room_for_the_answer(body, budget, warnings)
    else:
        body["thinking"] = {"type": "adaptive"}
    if thinking.include_thoughts is not None and body["thinking"]["type"] != "disabled":
        body["thinking"]["display"] = "summarized" if thinking.include_thoughts else "omitted"
    if effort is not None:
        config["effort"] = effort


def _room_for_the_answer(body: dict[str, Any], budget: int, warnings: Warnings) -> None:
    """The thinking budget counts within max_tokens and must be below it: a max_tokens that
    leaves no room is raised so that the answer keeps the tokens it was given."""
    max_tokens = body.get("max_tokens")
    if isinstance(max_tokens, int) and max_tokens <= budget:
        body["max_tokens"] = budget + max_tokens
        warnings.append(
            f"max_tokens {max_tokens}: {FORMAT_LABEL} counts the thinking budget {budget} within it; "
            f"{budget + max_tokens} sent"
        )
