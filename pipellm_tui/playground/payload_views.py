"""What the converted-payloads pane shows: each payload next to its conversion, with the warnings.

On a converter route the right-hand side is what the upstream receives and answers in its own
format (the model family's native format); on a native route it is the same payload "viewed as" any
other format. Conversions come from `protocols.convert`, done locally: a prediction by our own
converter, labelled so. Where the server says what it really forwarded (the sandbox's exchange
record and its conversion-warnings header), that is shown instead and any difference from the
prediction is named. A route that does not exist shows no conversion.

JSON views show bodies through `shown_json`: past `WHOLE_JSON_CHARS` its long strings are cut (a
100,000-token answer is one 570 KB line, which a TextArea renders in whole on every repaint); the
answer itself is whole in the Answer tab.

Must not import Textual or httpx2.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..protocols.formats import Format, RouteKind
from ..protocols.templates import pretty

NO_RESPONSE = "(no response yet: send a request)"
#: Bodies up to this many characters of JSON are shown whole.
WHOLE_JSON_CHARS = 100_000
#: Past that, each string keeps this many characters and says how many more there were.
KEPT_STRING_CHARS = 2_000


def shown_json(value: Any) -> str:
    """`value` as a JSON view shows it: pretty, with long strings cut when the whole is large."""
    text = pretty(value)
    return text if len(text) <= WHOLE_JSON_CHARS else pretty(_cut_strings(value))


def _cut_strings(value: Any) -> Any:
    if isinstance(value, str):
        if len(value) <= KEPT_STRING_CHARS:
            return value
        return f"{value[:KEPT_STRING_CHARS]}… [{len(value) - KEPT_STRING_CHARS:,} more characters not shown]"
    if isinstance(value, dict):
        return {k: _cut_strings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_cut_strings(v) for v in value]
    return value


@dataclass(frozen=True, slots=True)
class Payload:
    title: str
    text: str


@dataclass(frozen=True, slots=True)
class PayloadViews:
    request_sent: Payload
    request_other: Payload
    response_received: Payload
    response_other: Payload
    #: The format on the right-hand side (None when the model's family is unknown).
    target: Format | None
    is_converter: bool
    warnings: list[str] = field(default_factory=list)
    note: str = ""


def other_formats(fmt: Format) -> list[Format]:
    return [f for f in Format if f is not fmt]


def payload_views(
    fmt: Format,
    kind: RouteKind,
    body: dict[str, Any] | None,
    model: str,
    upstream: Format | None,
    view_as: Format | None,
    response_body: dict[str, Any] | None,
    switch_warnings: list[str] | None = None,
    forwarded: dict[str, Any] | None = None,
    server_warning_count: int | None = None,
    route_exists: bool = True,
) -> PayloadViews:
    is_converter = kind is RouteKind.CONVERTER
    target = upstream if is_converter else (view_as or other_formats(fmt)[0])
    warnings = [f"format switch: {w}" for w in switch_warnings or []]
    note = ""
    sent_text = shown_json(body) if body is not None else "(the request is not valid JSON)"
    if not route_exists:
        nothing = "(this route does not exist: nothing is converted)"
        return PayloadViews(
            Payload(f"Sent · {fmt.value}", sent_text),
            Payload("No route", nothing),
            Payload(f"Received · {fmt.value}", NO_RESPONSE),
            Payload("No route", nothing),
            None,
            is_converter,
            warnings,
        )
    if is_converter:
        other_label = "Predicted upstream"
        reply_label = "Predicted upstream answer"
        if target is None:
            note = f"{model} belongs to no known family: the upstream format is unknown."
        elif target is fmt:
            note = f"{model} speaks {fmt.label} natively: the converter forwards the payload as is."
        else:
            note = "Predicted by pipellm-tui's own converter; the gateway's may differ."
    else:
        other_label = reply_label = "As"
    request_other, request_warnings = _convert("request", body, fmt, target, model)
    response_other, response_warnings = _convert("response", response_body, fmt, target, model)
    warnings += request_warnings + [f"response: {w}" for w in response_warnings]
    if is_converter and forwarded is not None:
        other_label = "Forwarded (server)"
        note = _compare_with_server(request_other, forwarded, request_warnings, server_warning_count)
        request_other = shown_json(forwarded.get("upstream_request"))
        if isinstance(forwarded.get("upstream_response"), dict):  # a stream's is its SSE text
            reply_label = "Upstream answered (server)"
            response_other = shown_json(forwarded["upstream_response"])
    elif is_converter and server_warning_count is not None and server_warning_count != len(request_warnings):
        note += (
            f" The server counted {server_warning_count} conversion warning(s); our converter "
            f"{len(request_warnings)}."
        )
    suffix = f" · {target.value}" if target is not None else ""
    return PayloadViews(
        request_sent=Payload(f"Sent · {fmt.value}", sent_text),
        request_other=Payload(f"{other_label}{suffix}", request_other),
        response_received=Payload(
            f"Received · {fmt.value}", shown_json(response_body) if response_body is not None else NO_RESPONSE
        ),
        response_other=Payload(f"{reply_label}{suffix}", response_other),
        target=target,
        is_converter=is_converter,
        warnings=warnings,
        note=note,
    )


def _compare_with_server(
    predicted_text: str,
    forwarded: dict[str, Any],
    predicted_warnings: list[str],
    server_warning_count: int | None,
) -> str:
    """One line: whether what the server forwarded is what our converter predicted."""
    import json

    try:
        predicted = json.loads(predicted_text)
    except ValueError:
        predicted = None
    actual = forwarded.get("upstream_request")
    differing = differing_fields(predicted, actual)
    if not differing:
        said = "The server forwarded exactly what our converter predicted."
    else:
        shown = ", ".join(differing[:5]) + (f" and {len(differing) - 5} more" if len(differing) > 5 else "")
        said = f"⚠ The server forwarded something else than our prediction: {shown} differ."
    server_warnings = forwarded.get("warnings")
    count = len(server_warnings) if isinstance(server_warnings, list) else server_warning_count
    if count is not None and count != len(predicted_warnings):
        said += f" Warnings: the server's {count}, ours {len(predicted_warnings)}."
    return said


def differing_fields(predicted: Any, actual: Any, path: str = "") -> list[str]:
    """JSON paths where two payloads differ (a field missing on one side counts)."""
    if isinstance(predicted, dict) and isinstance(actual, dict):
        out: list[str] = []
        for key in list(predicted) + [k for k in actual if k not in predicted]:
            where = f"{path}.{key}" if path else str(key)
            if key not in predicted or key not in actual:
                out.append(where)
            else:
                out.extend(differing_fields(predicted[key], actual[key], where))
        return out
    if isinstance(predicted, list) and isinstance(actual, list) and len(predicted) == len(actual):
        return [d for i, (a, b) in enumerate(zip(predicted, actual)) for d in differing_fields(a, b, f"{path}[{i}]")]
    return [] if predicted == actual else [path or "(the whole payload)"]


def _convert(
    what: str, payload: dict[str, Any] | None, fmt: Format, target: Format | None, model: str
) -> tuple[str, list[str]]:
    if payload is None:
        return (NO_RESPONSE if what == "response" else "(nothing to convert)"), []
    if target is None:
        return "(unknown upstream format)", []
    if target is fmt:
        return shown_json(payload), []
    from ..protocols.convert import convert_request, convert_response

    try:
        if what == "request":
            converted = convert_request(payload, fmt, target, model)
        else:
            converted = convert_response(payload, fmt, target)
    except Exception as exc:  # noqa: BLE001 - a ProtocolError or an adapter gap: show it in the pane
        return f"(cannot convert this {what}: {exc})", []
    return shown_json(converted.payload), list(converted.warnings)
