"""A finding: one problem in a question file, as the loader and the validator report it.

A finding holds what it found as it is: ids, keys and file names can hold anything a
file can. Everything that shows a finding to people goes through ``visible`` first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
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


# A bound on what one file can make the validator report (and work for): a file of
# 400,000 unknown keys is 400,000 findings of one rule, and nobody reads past the first
# few. Past these, findings are only counted, and one finding says how many more.
MAX_PER_RULE = 100  # findings of one rule in one file
MAX_PER_FILE = 1_000  # findings of all rules in one file
TOO_MANY = "too-many-findings"
_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.NOTE: 2}

Cut = dict[tuple[Path, str], tuple[int, Severity]]  # (file, rule) -> how many, the worst


@dataclass
class Budget:
    """The findings of each rule that one file may still report. A rule whose findings
    cost work (a did-you-mean, the closest passage of the source) asks ``allows`` first,
    and does none of it once its share is spent: the finding is only counted."""

    path: Path
    shown: Counter[str] = field(default_factory=Counter)
    hidden: Counter[str] = field(default_factory=Counter)
    worst: dict[str, Severity] = field(default_factory=dict)

    def allows(self, code: str, severity: Severity) -> bool:
        if self.shown[code] < MAX_PER_RULE:
            self.shown[code] += 1
            return True
        self.count(code, severity)
        return False

    def spent(self, code: str) -> bool:
        """Whether the rule's findings are only counted now."""
        return self.shown[code] >= MAX_PER_RULE

    def count(self, code: str, severity: Severity, findings: int = 1) -> None:
        """Count ``findings`` of the rule as cut, without asking for each."""
        self.hidden[code] += findings
        if _RANK[severity] < _RANK[self.worst.get(code, Severity.NOTE)]:
            self.worst[code] = severity

    @property
    def cut(self) -> Cut:
        """What was only counted, by rule: how many, and the worst of them."""
        return {
            (self.path, code): (count, self.worst.get(code, Severity.NOTE))
            for code, count in self.hidden.items()
        }


class Budgets(dict[Path, Budget]):
    """A ``Budget`` for each file, for the rules that span files: each asks before it
    makes a finding (and its message, which names another file) for a file."""

    def allows(self, path: Path, code: str, severity: Severity) -> bool:
        budget = self.get(path)
        if budget is None:
            budget = self[path] = Budget(path)
        return budget.allows(code, severity)

    @property
    def cut(self) -> Cut:
        return {rule: counted for budget in self.values() for rule, counted in budget.cut.items()}


def merged(*cuts: Mapping[tuple[Path, str], tuple[int, Severity]]) -> Cut:
    """The counts of several cuts added up, each rule with the worst of its findings."""
    total: Cut = {}
    for cut in cuts:
        for rule, (count, worst) in cut.items():
            before, severity = total.get(rule, (0, worst))
            total[rule] = (before + count, min(severity, worst, key=_RANK.__getitem__))
    return total


def bounded(
    findings: Iterable[Finding], cut: Mapping[tuple[Path, str], tuple[int, Severity]] | None = None
) -> list[Finding]:
    """``findings`` (in the order given) with at most ``MAX_PER_RULE`` of a rule and
    ``MAX_PER_FILE`` in all for each file, and for each rule cut short (here or by a
    ``Budget`` before, ``cut``) one ``too-many-findings`` finding that says how many
    more there were. It is as severe as the worst of those, so that a check fails as it
    would have."""
    hidden: Cut = dict(cut or {})
    kept: list[Finding] = []
    per_rule: Counter[tuple[Path, str]] = Counter()
    per_file: Counter[Path] = Counter()
    for finding in findings:
        rule = (finding.path, finding.code)
        if per_rule[rule] < MAX_PER_RULE and per_file[finding.path] < MAX_PER_FILE:
            per_rule[rule] += 1
            per_file[finding.path] += 1
            kept.append(finding)
        else:
            _count(hidden, rule, finding.severity)
    return kept + [_too_many(path, code, n, worst) for (path, code), (n, worst) in hidden.items()]


def _count(cut: Cut, rule: tuple[Path, str], severity: Severity) -> None:
    count, worst = cut.get(rule, (0, severity))
    cut[rule] = (count + 1, min(worst, severity, key=_RANK.__getitem__))


def _too_many(path: Path, code: str, count: int, worst: Severity) -> Finding:
    return Finding(
        TOO_MANY,
        worst,
        path,
        None,
        f"{count:,} more `{code}` finding{'' if count == 1 else 's'} in this file, not shown",
        f"a file shows at most {MAX_PER_RULE} findings of a rule and {MAX_PER_FILE:,} in all: "
        "fix these, then validate again",
    )
