"""desperado-quiz: a command-line trivia quiz about the film Desperado (1995).

The public API is small: ``load_banks`` and the question models. They are
imported lazily so that ``desperado-quiz --version`` does not pay for pydantic.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

# The single source of the version: hatch reads it from here into the package metadata.
# Reading it back through importlib.metadata would cost `--version` ~80 ms of imports.
__version__ = "0.1.0"

_LAZY = {
    "load_banks": "desperado_quiz.loader",
    "LoadResult": "desperado_quiz.loader",
    "LoadedBank": "desperado_quiz.loader",
    "Bank": "desperado_quiz.model",
    "Question": "desperado_quiz.model",
    "Finding": "desperado_quiz.findings",
}

__all__ = [
    "Bank",
    "Finding",
    "LoadResult",
    "LoadedBank",
    "Question",
    "__version__",
    "load_banks",
]

if TYPE_CHECKING:
    from desperado_quiz.findings import Finding
    from desperado_quiz.loader import LoadedBank, LoadResult, load_banks
    from desperado_quiz.model import Bank, Question


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'desperado_quiz' has no attribute {name!r}")
