"""Option values converted without pydantic, for a fast start.

Typer 0.26 and later convert every option's value through a pydantic ``TypeAdapter``,
built when the command line is parsed: importing pydantic and building the adapters
costs `history`, `stats` and the start of a game tens of milliseconds, for options that
are only strings, numbers, paths and choices. For exactly those, ``lighten`` gives a
parameter a converter of its own, with the same results and the same error messages.
Anything else (and any Typer without this machinery) keeps Typer's own conversion.
"""

import math
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

import typer

Convert = Callable[[Any], Any]


class LightConversion:
    """What Typer asks of a parameter's conversion: ``coerce(value, param, ctx)``."""

    def __init__(self, convert: Convert) -> None:
        self.convert = convert

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        many = param.multiple or param.nargs == -1
        if value is None:
            return () if many else None
        try:
            if many:
                return [self.convert(item) for item in value]
            return self.convert(value)
        except ValueError as error:
            raise typer.BadParameter(str(error), ctx=ctx, param=param) from None


def lighten(params: list[Any]) -> list[Any]:
    """Give each parameter whose type is simple a light conversion (see above)."""
    for param in params:
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is None or getattr(param, "_runtime_param", "absent") is not None:
            continue  # not Typer's pydantic machinery, or already converted once
        if descriptor.file_annotation is not None:
            continue
        annotation = descriptor.annotation
        if get_origin(annotation) is list:
            (annotation,) = get_args(annotation)
        convert = _converter(annotation, getattr(descriptor, "case_sensitive", True))
        if convert is not None:
            param._runtime_param = LightConversion(convert)
    return params


def _converter(annotation: Any, case_sensitive: bool) -> Convert | None:
    if annotation is str:
        return str
    if annotation is bool:
        return _boolean
    if annotation is int:
        return _integer
    if annotation is float:
        return _finite
    if annotation is Path:
        return Path
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return _choice(annotation, case_sensitive)
    return None


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = str(value).strip().casefold()
    if word in ("1", "true", "t", "yes", "y", "on"):
        return True
    if word in ("0", "false", "f", "no", "n", "off"):
        return False
    raise ValueError(f"{value!r} is not a valid boolean.")


def _integer(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    try:
        return int(str(value).strip())
    except ValueError:
        raise ValueError(f"{value!r} is not a whole number.") from None


def _finite(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{value!r} is not a number.") from None
    if not math.isfinite(number):
        raise ValueError(f"{value!r} is not a number.")
    return number


def _choice(kind: type[Enum], case_sensitive: bool) -> Convert:
    def convert(value: Any) -> Enum:
        if isinstance(value, kind):
            return value
        text = str(value)
        for member in kind:
            value_text = str(member.value)
            same = value_text == text or (
                not case_sensitive and value_text.casefold() == text.casefold()
            )
            if same:
                return member
        choices = ", ".join(repr(member.value) for member in kind)
        raise ValueError(f"{text!r} is not one of {choices}.")

    return convert
