"""The pydantic pieces every format's schema shares.

`WireModel` is the base of every model: unknown fields are kept (the APIs grow faster than these
files) and types are strict, so a body of another format fails with the JSON path of the first field
that does not fit. `type_tag` discriminates a union on `type`, a type no member models validating as
the `other` member (`OtherType`, only `type` checked) instead of failing; `StringOrList[X]` is content given as a string or a list of X.
`FunctionDefinition` is OpenAI's function tool, nested under `function` in Chat and at the top of a
tool in Responses.

Validation only, never on the conversion hot path. Imports pydantic and the standard library only.
"""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Discriminator, Tag

T = TypeVar("T")


class WireModel(BaseModel):
    """Unknown fields kept, types strict. Each model's validator is built when it is first used
    (`defer_build`), not when its module loads: the editor's first check of a Chat request builds the
    38 model schemas the request needs rather than all 96 of the module (responses and stream
    chunks too), half the cost, on the way to the first verdict."""

    model_config = ConfigDict(extra="allow", strict=True, defer_build=True)


def type_tag(known: frozenset[str], untyped: str | None = None) -> Any:
    """A discriminator on `type`: a known type picks its member (tagged with the type), any other
    the member tagged `other`; a value without a type picks `untyped` when given."""

    def tag(value: Any) -> str | None:
        kind = value.get("type") if isinstance(value, dict) else getattr(value, "type", None)
        if kind is None and untyped is not None:
            return untyped
        # A `type` that is not a string (a typo'd list or object) is no known type either: the
        # `other` member then says "type: Input should be a valid string" with its path.
        return kind if isinstance(kind, str) and kind in known else "other"

    return Discriminator(tag)


class OtherType(WireModel):
    """The `other` member of a `type_tag` union: a type not modelled here (hosted and server tools,
    newer part kinds...), kept, only `type` checked."""

    type: str


def _string_or_list(value: Any) -> str:
    return "string" if isinstance(value, str) else "list"


#: Content that is a string or a list of parts; the tag keeps error paths short (`content.list.0`).
StringOrList = Annotated[
    Annotated[str, Tag("string")] | Annotated[list[T], Tag("list")], Discriminator(_string_or_list)
]


class FunctionDefinition(WireModel):
    name: str
    description: str | None = None
    #: JSON Schema of the arguments object.
    parameters: dict[str, Any] | None = None
    strict: bool | None = None
