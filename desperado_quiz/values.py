"""Frozen dataclasses that start fast. No terminal I/O.

``dataclasses.dataclass`` writes the source of each class's methods and compiles it at
every start of the program, about 0.1 ms a method: with six methods for each of the
forty value classes a game loads, a fifth of a one-question game's start. ``frozen``
makes the same frozen dataclass but shares one ``__eq__``, ``__hash__`` and
``__repr__`` among all of them, with the same meaning as the generated ones (fields
compared in order, ``compare=False`` and ``repr=False`` fields left out), and one
``__setattr__`` that lets ``__init__`` set each field once and nothing change it after,
so that only ``__init__`` is compiled for each class.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar, dataclass_transform, overload

T = TypeVar("T")


@overload
def frozen(cls: type[T], /) -> type[T]: ...


@overload
def frozen(*, kw_only: bool = False) -> Callable[[type[T]], type[T]]: ...


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field,))
def frozen(cls: type[T] | None = None, /, *, kw_only: bool = False) -> Any:
    """``@dataclass(frozen=True)``, with the shared methods (see the module)."""

    def wrap(cls: type[T]) -> type[T]:
        # Not frozen to ``dataclass``, which would compile two more methods a class:
        # the shared ones below keep it frozen all the same.
        made = dataclasses.dataclass(cls, eq=False, repr=False, kw_only=kw_only)
        shared = (
            ("__eq__", _eq),
            ("__hash__", _hash),
            ("__repr__", _repr),
            ("__setattr__", _set_once),
            ("__delattr__", _no_delete),
        )
        for name, method in shared:
            if name not in cls.__dict__:
                setattr(made, name, method)
        return made

    return wrap if cls is None else wrap(cls)


def _compared(instance: Any) -> tuple[Any, ...]:
    names = type(instance).__dict__.get("_compared_names")
    if names is None:
        names = tuple(f.name for f in dataclasses.fields(instance) if f.compare)
        type.__setattr__(type(instance), "_compared_names", names)
    return tuple(getattr(instance, name) for name in names)


def _eq(self: Any, other: object) -> Any:  # a bool, or NotImplemented
    if other.__class__ is not self.__class__:
        return NotImplemented
    same: bool = _compared(self) == _compared(other)
    return same


def _hash(self: Any) -> int:
    return hash(_compared(self))


def _set_once(self: Any, name: str, value: Any) -> None:
    """Each attribute is set once, by ``__init__``; never changed after."""
    if name in self.__dict__:
        raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
    object.__setattr__(self, name, value)


def _no_delete(self: Any, name: str) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")


def _repr(self: Any) -> str:
    shown = ", ".join(
        f"{f.name}={getattr(self, f.name)!r}" for f in dataclasses.fields(self) if f.repr
    )
    return f"{type(self).__qualname__}({shown})"
