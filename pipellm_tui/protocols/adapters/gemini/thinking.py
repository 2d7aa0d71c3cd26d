"""Gemini's `thinkingConfig` <-> the IR's `Thinking`, for each model generation.

Gemini 2.5 takes a token budget (`thinkingBudget`, each model its own range); Gemini 3 takes a level
(`thinkingLevel`: Flash MINIMAL, LOW, MEDIUM or HIGH; Pro LOW or HIGH) and cannot turn thinking off.
Gemini 3 still takes a budget, for compatibility, but Google's thinking guide says it may then think
less well, so another format's effort or budget becomes a level there. A Gemini body keeps what it
says (a level stays a level, a budget a budget, whatever the model); what another format asked for is
made to fit the model, with a warning whenever the model gets something else than what was written.
Standard library and `protocols/` only.
"""

from __future__ import annotations

import re

from ... import ir
from ..shared.json_shapes import need_bool, need_str
from ..shared.losses import warn_once
from .wire import JSON, proto_int

#: reasoning effort -> thinkingBudget. Google's own OpenAI-compatible endpoint uses 1K / 8K / 24K.
_EFFORT_BUDGET = {
    "none": 0,
    "minimal": 128,
    "low": 1024,
    "medium": 8192,
    "high": 24576,
    "xhigh": 32768,
    "max": 32768,
}

#: Gemini 3's levels, least thinking first. A budget maps to the least level whose budget in
#: `_EFFORT_BUDGET` holds it.
LEVELS = ("MINIMAL", "LOW", "MEDIUM", "HIGH")
#: Gemini 3 Pro's (and any other Gemini 3 model's but Flash's), per Gemini's thinking guide.
_PRO_LEVELS = ("LOW", "HIGH")
#: The efforts of other formats that name no level of Gemini's: the nearest one.
_EFFORT_LEVEL = {"xhigh": "HIGH", "max": "HIGH"}

#: Gemini 2.5 thinking budgets by model (Gemini's thinking guide): (model, smallest, largest, can be
#: off with 0). Most specific name first. Other models are sent the budget as given.
_BUDGETS = (
    ("gemini-2.5-flash-lite", 512, 24576, True),
    ("gemini-2.5-flash", 0, 24576, True),
    ("gemini-2.5-pro", 128, 32768, False),
)

_GENERATION = re.compile(r"gemini-(\d+)")


def thinking_to_ir(config: JSON, path: str, extras: JSON) -> ir.Thinking:
    thinking = ir.Thinking()
    for name, value in config.items():
        if value is None:
            continue
        if name in ("thinkingBudget", "thinking_budget"):
            budget = proto_int(value, f"{path}.{name}")
            if budget == 0:
                thinking.enabled = False
            elif budget > 0:
                thinking.budget_tokens = budget
            # -1 means "dynamic", which is what no budget means in the IR
        elif name in ("includeThoughts", "include_thoughts"):
            thinking.include_thoughts = need_bool(value, f"{path}.{name}")
        elif name in ("thinkingLevel", "thinking_level"):
            thinking.effort = need_str(value, f"{path}.{name}").lower()
        else:
            extras[f"generationConfig.thinkingConfig.{name}"] = value
    return thinking


def model_levels(model: str | None) -> tuple[str, ...] | None:
    """The thinking levels `model` takes (Gemini 3 and later), None for a model that takes a
    budget (Gemini 2.5 and before) or a name that says neither."""
    found = _GENERATION.search(model or "")
    if model is None or found is None or int(found.group(1)) < 3:
        return None
    return LEVELS if "flash" in model else _PRO_LEVELS


def thinking_from_ir(thinking: ir.Thinking, model: str | None, from_gemini: bool, warnings: list[str]) -> JSON:
    """`thinkingConfig` for `model`. `from_gemini`: the IR was read from a Gemini body, whose
    settings are sent as written (a level as a level, in the API's capitals; a budget as a budget)."""
    if from_gemini:
        config = _as_written(thinking)
    elif levels := model_levels(model):
        config = _as_levels(thinking, model, levels, warnings)
    else:
        config = _as_budget(thinking, warnings)
        if model:
            _fit_budget(config, model, warnings)
    if thinking.include_thoughts is not None:
        config["includeThoughts"] = thinking.include_thoughts
    return config


def _as_written(thinking: ir.Thinking) -> JSON:
    if not thinking.enabled:
        return {"thinkingBudget": 0}
    if thinking.budget_tokens is not None:
        return {"thinkingBudget": thinking.budget_tokens}
    if thinking.effort is not None:
        return {"thinkingLevel": thinking.effort.upper()}
    return {}


def _as_budget(thinking: ir.Thinking, warnings: list[str]) -> JSON:
    if not thinking.enabled:
        return {"thinkingBudget": 0}
    if thinking.budget_tokens is not None:
        return {"thinkingBudget": thinking.budget_tokens}
    if thinking.effort is not None:
        budget = _EFFORT_BUDGET.get(thinking.effort, 8192)
        warn_once(
            warnings,
            f"reasoning effort {thinking.effort!r}: Gemini takes a token budget; sent thinkingBudget {budget}",
        )
        return {"thinkingBudget": budget}
    return {}


def _as_levels(thinking: ir.Thinking, model: str | None, levels: tuple[str, ...], warnings: list[str]) -> JSON:
    name = model or "Gemini 3"
    if not thinking.enabled:
        warnings.append(f"thinking off: {name} cannot turn thinking off; thinkingLevel {levels[0]} sent")
        return {"thinkingLevel": levels[0]}
    if thinking.budget_tokens is not None:
        wanted = next(
            (level for level in LEVELS if thinking.budget_tokens <= _EFFORT_BUDGET[level.lower()]), "HIGH"
        )
        sent = _nearest(wanted, levels)
        warnings.append(f"thinking budget {thinking.budget_tokens}: {name} takes a level; thinkingLevel {sent} sent")
        return {"thinkingLevel": sent}
    if thinking.effort is not None:
        effort = thinking.effort
        wanted = _EFFORT_LEVEL.get(effort, effort.upper())
        if wanted not in LEVELS:
            warn_once(warnings, f"reasoning effort {effort!r}: no Gemini thinking level; left to {name}'s default")
            return {}
        sent = _nearest(wanted, levels)
        if sent.lower() != effort:
            warn_once(warnings, f"reasoning effort {effort!r}: {name} takes thinkingLevel {', '.join(levels)}; {sent} sent")
        return {"thinkingLevel": sent}
    return {}


def _nearest(wanted: str, levels: tuple[str, ...]) -> str:
    """`wanted`, or the least of `levels` above it, or the most there is."""
    rank = LEVELS.index(wanted)
    return next((level for level in levels if LEVELS.index(level) >= rank), levels[-1])


def _fit_budget(config: JSON, model: str, warnings: list[str]) -> None:
    """Another format's thinking setting made to fit the model's budget range: 2.5 Pro cannot stop
    thinking (0 is refused), Flash-Lite thinks 512 tokens at least, each has a largest budget."""
    budget = config.get("thinkingBudget")
    limits = next((b for b in _BUDGETS if b[0] in model), None)
    if limits is None or not isinstance(budget, int) or budget < 0:
        return
    name, low, high, can_stop = limits
    if budget == 0:
        if can_stop:
            return
        config["thinkingBudget"] = low
        warnings.append(f"thinking: {name} cannot turn thinking off; its smallest budget, {low}, sent")
    elif not low <= budget <= high:
        config["thinkingBudget"] = fitted = min(max(budget, low), high)
        warnings.append(f"thinking budget {budget}: {name} takes {low} to {high}; {fitted} sent")
