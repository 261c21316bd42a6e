"""A finding: one problem in a question file, as the loader and the validator report it.

A finding holds what it found as it is: ids, keys and file names can hold anything a
file can. Everything that shows a finding to people goes through ``visible`` first.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from typing_extensions import TypedDict

from desperado_quiz.text import display_path, visible


class Severity(StrEnum):
    """How much a finding matters: an error always fails a check, a warning fails it
    under ``--strict``, a note never does (advice that a rule cannot judge, such as a
    question without a hint: a forced hint is too often a giveaway)."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"

    def fails(self, strict: bool = False) -> bool:
        return self is Severity.ERROR or (strict and self is Severity.WARNING)


class FindingJSON(TypedDict):
    code: str
    severity: str
    path: str
    line: int | None
    column: int | None
    question_id: str | None
    message: str
    hint: str


class SummaryJSON(TypedDict):
    """How many files, banks and questions were checked, and what was found."""

    files: int
    banks: int
    questions: int
    errors: int
    warnings: int
    notes: int


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    severity: Severity
    path: Path
    line: int | None
    message: str
    hint: str = ""
    question_id: str | None = None
    column: int | None = None

    @property
    def location(self) -> str:
        """``file:line:column`` as compilers and editors print it, safe to show."""
        parts = [display_path(self.path)]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def describe(self, with_hint: bool = True) -> str:
        """One plain line, safe to show: location, severity, code, question, message, and
        the hint (unless it goes beside it, as in a JSON error)."""
        who = f" [{self.question_id}]" if self.question_id else ""
        text = f"{self.location}: {self.severity} {self.code}{who}: {self.message}"
        return visible(f"{text} ({self.hint})" if self.hint and with_hint else text)

    def to_dict(self) -> FindingJSON:
        return {
            "code": self.code,
            "severity": str(self.severity),
            "path": display_path(self.path),
            "line": self.line,
            "column": self.column,
            "question_id": self.question_id,
            "message": self.message,
            "hint": self.hint,
        }


def sort_key(finding: Finding) -> tuple[str, int, int, str]:
    return (str(finding.path), finding.line or 0, finding.column or 0, finding.code)
