"""What a comparison sends: its targets (a route and a model) and each target's payload.

A target is one column of a comparison: a model on a route, the request converted to that route's
format. `route_targets` is "this model on every route": its native route (the request in the
model's own format) and each converter route (the request in that route's format), the unavailable
OpenAI Responses converter included so the user sees it, marked not sent. `model_targets` is up to
four models, each on the route the request's format suggests for it.

Conversion is `protocols.convert`'s; the route table is `protocols.routes`'. No I/O, no Textual.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..protocols.convert import convert_request
from ..protocols.fields import Param, supports, without_playground_hints, write_model, write_param
from ..protocols.formats import NATIVE_FORMAT, Family, Format, RouteKind
from ..protocols.model_ids import family_for
from ..protocols.routes import Route, route_for, suggested_route

#: The most models one comparison runs side by side (more columns would not fit a screen).
MAX_MODELS = 4
#: Converter routes in the order they are shown (the unavailable Responses one last).
CONVERTER_ORDER = (Format.OPENAI_CHAT, Format.ANTHROPIC, Format.GEMINI, Format.OPENAI_RESPONSES)


class TargetError(ValueError):
    """The targets asked for make no comparison (no model, too many models); the message says why."""


@dataclass(frozen=True, slots=True)
class Target:
    model: str
    format: Format
    kind: RouteKind
    #: Sent with this target only (e.g. `x-sandbox-fault` to try a failing column).
    extra_headers: dict[str, str] = field(default_factory=dict)
    #: Another server for this target only (None: the comparison's endpoint).
    base_url: str | None = None

    @property
    def route(self) -> Route:
        return route_for(self.format, self.kind)

    @property
    def label(self) -> str:
        """What a column is titled: `gpt-4o-mini · anthropic converter`."""
        return f"{self.model} · {self.format.value} {self.kind.value}"

    @property
    def route_label(self) -> str:
        """The route first, where a narrow column title keeps it: `anthropic converter · gpt-4o`."""
        return f"{self.format.value} {self.kind.value} · {self.model}"

    @property
    def available(self) -> bool:
        return self.route.available


@dataclass(slots=True)
class Payload:
    """The body a target sends (in its route's format), or why it cannot be sent."""

    body: dict[str, Any] | None
    warnings: list[str] = field(default_factory=list)
    problem: str | None = None


def model_family(model: str, families: dict[str, Family] | None = None) -> Family | None:
    """The catalog's family for `model` when known, else a guess from its id."""
    if families and model in families:
        return families[model]
    return family_for(model)


def route_targets(
    model: str, family: Family | None, kinds: tuple[RouteKind, ...] = tuple(RouteKind)
) -> list[Target]:
    """One model on every route (of `kinds`): native first, then each converter route."""
    if not model:
        raise TargetError("No model chosen: pick one to compare its routes.")
    targets: list[Target] = []
    if RouteKind.NATIVE in kinds:
        targets.append(Target(model, NATIVE_FORMAT[family or Family.OPENAI], RouteKind.NATIVE))
    if RouteKind.CONVERTER in kinds:
        targets.extend(Target(model, fmt, RouteKind.CONVERTER) for fmt in CONVERTER_ORDER)
    return targets


def model_targets(models: list[str], fmt: Format, families: dict[str, Family] | None = None) -> list[Target]:
    """Up to four models, each on the route `fmt` suggests for its family (native when it matches)."""
    chosen = list(dict.fromkeys(m for m in models if m))
    if not chosen:
        raise TargetError("No model chosen: name at least one model to compare.")
    if len(chosen) > MAX_MODELS:
        raise TargetError(f"At most {MAX_MODELS} models side by side ({len(chosen)} given).")
    targets = []
    for model in chosen:
        family = model_family(model, families)
        kind = suggested_route(fmt, family).kind if family is not None else RouteKind.CONVERTER
        targets.append(Target(model, fmt, kind))
    return targets


def payload_for(target: Target, source: Format, body: dict[str, Any]) -> Payload:
    """The request as `target` sends it: in the target's format (converted when the formats
    differ, with the conversion's warnings), for the target's model, streaming (a comparison
    measures time to first token and the gaps between chunks, which only a stream has)."""
    if not target.available:
        return Payload(None, problem=target.route.note)
    if target.format is source:
        out, warnings = dict(body), []
    else:
        try:
            converted = convert_request(without_playground_hints(source, body), source, target.format, target.model)
        except Exception as exc:  # noqa: BLE001 - a ProtocolError or an adapter gap: that column says it
            return Payload(None, problem=f"Could not convert the request to {target.format.value}: {exc}")
        out, warnings = converted.payload, list(converted.warnings)
    out = write_model(target.format, out, target.model)
    if supports(target.format, Param.STREAM):
        out = write_param(target.format, out, Param.STREAM, True)
    return Payload(out, warnings)
