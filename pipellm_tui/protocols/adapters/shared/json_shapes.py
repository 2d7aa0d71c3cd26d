"""The checks that turn a wrong JSON value into a `ProtocolError` with the JSON path of the culprit.

`json_kind` (the JSON name of a value's type, for messages a user can act on), `fail`, `wrong`,
`need_*` (a value that must be there), `opt_*` (one that may be null), `count` (a token count) and
`read_scalars` (a request's one-value settings, from a table). A missing (null) value says "required
field missing (expected ...)"; any other wrong value says what it is ("expected a string, got a
number"). Plain functions over plain dicts (the conversion hot path: no pydantic); no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, NoReturn

from ... import ir
from ...problems import ProtocolError

_KINDS: dict[type, str] = {
    dict: "an object",
    list: "an array",
    str: "a string",
    bool: "a boolean",
    int: "a number",
    float: "a number",
    type(None): "null",
}
#: For subclasses (an OrderedDict is still an object); bool before int, since bool is an int.
_KIND_CLASSES: tuple[tuple[type | tuple[type, ...], str], ...] = (
    (bool, "a boolean"),
    ((int, float), "a number"),
    (str, "a string"),
    (list, "an array"),
    (dict, "an object"),
)


def json_kind(value: Any) -> str:
    """The JSON name of a value's type ("a string", "an object", "null"), for messages a user can act on."""
    kind = _KINDS.get(type(value))
    if kind is not None:
        return kind
    for classes, name in _KIND_CLASSES:
        if isinstance(value, classes):
            return name
    return type(value).__name__


def fail(message: str, path: str) -> NoReturn:
    """Raise the `ProtocolError` (same argument order), where an expression needs a NoReturn call."""
    raise ProtocolError(message, path)


def wrong(value: Any, expected: str, path: str) -> NoReturn:
    """`value` at `path` is not `expected` ("a string", "an object"); null is a missing field."""
    if value is None:
        raise ProtocolError(f"required field missing (expected {expected})", path)
    raise ProtocolError(f"expected {expected}, got {json_kind(value)}", path)


def need_dict(value: Any, path: str) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    wrong(value, "an object", path)


def need_list(value: Any, path: str) -> list[Any]:
    if isinstance(value, list):
        return value
    wrong(value, "an array", path)


def need_str(value: Any, path: str) -> str:
    if isinstance(value, str):
        return value
    wrong(value, "a string", path)


def need_int(value: Any, path: str) -> int:
    if type(value) is int or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    wrong(value, "an integer", path)


def need_number(value: Any, path: str) -> float:
    """An int or a finite float (`json.loads` reads NaN and Infinity, which no API accepts)."""
    if type(value) is int or (type(value) is float and math.isfinite(value)):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if math.isfinite(value):
            return value
        fail(f"expected a finite number, got {value}", path)
    wrong(value, "a number", path)


def need_bool(value: Any, path: str) -> bool:
    if value is True or value is False:
        return value
    wrong(value, "true or false", path)


# Each tests the common case itself before handing the rest to need_*: these run per field.


def opt_str(value: Any, path: str) -> str | None:
    if value is None or type(value) is str:
        return value
    return need_str(value, path)


def opt_int(value: Any, path: str) -> int | None:
    if value is None or type(value) is int:
        return value
    return need_int(value, path)


def opt_bool(value: Any, path: str) -> bool | None:
    if value is None or value is True or value is False:
        return value
    return need_bool(value, path)


def count(value: Any, path: str) -> int:
    """A token count: missing or null is 0; anything but a non-negative integer is an error."""
    if value is None:
        return 0
    if type(value) is int and value >= 0:
        return value
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return int(value)
    wrong(value, "a non-negative integer", path)


#: (wire key, `ir.Request` attribute, check) of settings that are one JSON value.
Scalars = tuple[tuple[str, str, Callable[[Any, str], Any]], ...]


def read_scalars(body: dict[str, Any], request: ir.Request, scalars: Scalars) -> None:
    """Copy the one-value settings a body has (`temperature`, `seed`...) onto the request, each
    checked; absent and null ones are left at the request's default."""
    get = body.get
    for key, attribute, check in scalars:
        value = get(key)
        if value is not None:
            setattr(request, attribute, check(value, key))
