"""An opt-in pytest plugin: each question of your banks becomes a test item.

Inactive unless asked for, with ``pytest --quiz-banks questions/`` or in the ini file:

    [tool.pytest.ini_options]
    quiz_banks = ["questions"]

Every question is collected as ``<file>::<bank id>:<question id>`` and fails with the
validator's findings for it; problems of a file as a whole fail its ``(file)`` item.
Warnings fail too with ``--quiz-strict``.

Names come from strangers' files, and pytest prints node ids and locations as they
are: each name the plugin gives pytest is shown as `validate` shows it (``_shown``),
so that no escape sequence reaches the terminal and no newline, nor a ``::`` at the
start of a line, forges a GitHub Actions command in a CI log.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from desperado_quiz.findings import Finding
    from desperado_quiz.loader import LoadedBank
    from desperado_quiz.validator import Report

ROOTS = pytest.StashKey[list[Path]]()
REPORT = pytest.StashKey["Report"]()
FILE_ITEM = "(file)"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("desperado-quiz", "desperado-quiz question banks")
    group.addoption(
        "--quiz-banks",
        action="append",
        default=[],
        metavar="PATH",
        help="collect every question in these files or folders as a test",
    )
    group.addoption(
        "--quiz-strict",
        action="store_true",
        default=False,
        help="validator warnings fail the question too",
    )
    parser.addini(
        "quiz_banks",
        type="paths",
        default=[],
        help="question files or folders whose questions are collected as tests",
    )


def pytest_configure(config: pytest.Config) -> None:
    asked = [Path(p).resolve() for p in config.getoption("quiz_banks")]
    roots = asked + [Path(p).resolve() for p in config.getini("quiz_banks")]
    if not roots:
        return
    config.stash[ROOTS] = roots
    if asked and config.args_source is not pytest.Config.ArgsSource.ARGS:
        # `pytest --quiz-banks questions/` checks the banks, not the project's own tests
        # too: with no test paths given, the banks are the only thing collected.
        config.args[:] = [str(root) for root in roots]
        return
    for root in roots:  # make collection visit the banks even outside testpaths
        if str(root) not in config.args:
            config.args.append(str(root))


def _under_roots(path: Path, roots: list[Path]) -> bool:
    path = path.resolve()
    return any(path == root or root in path.parents for root in roots)


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> BankFile | None:
    roots = parent.config.stash.get(ROOTS, None)
    if roots and file_path.suffix == ".toml" and _under_roots(file_path, roots):
        collector = BankFile.from_parent(parent, path=file_path)
        if (nodeid := _shown(collector.nodeid)) == collector.nodeid:
            return collector  # the usual name: the node id pytest gives it
        return BankFile.from_parent(
            parent, path=file_path, name=_shown(file_path.name), nodeid=nodeid
        )
    return None


def _shown(name: str) -> str:
    """A name as `validate` shows it (``visible``: ``\\x1b``, ``\\n``), with ``::``
    (pytest's separator in a node id, and the start of a GitHub Actions command) as
    ``:\\x3a``."""
    from desperado_quiz.text import visible

    return visible(name).replace("::", ":\\x3a")


def _report(config: pytest.Config) -> Report:
    """One validation of all roots together, so cross-bank rules apply."""
    if REPORT not in config.stash:
        from desperado_quiz.validator import validate

        config.stash[REPORT] = validate(config.stash[ROOTS], keep_banks=True)
    return config.stash[REPORT]


class BankFile(pytest.File):
    def collect(self) -> Iterator[QuestionItem]:
        report = _report(self.config)
        mine = self.path.resolve()
        by_question: dict[str, list[Finding]] = defaultdict(list)
        for finding in report.findings:
            if finding.path.resolve() == mine:
                by_question[finding.question_id or ""].append(finding)
        bank = next((b for b in report.banks if b.path.resolve() == mine), None)
        yield QuestionItem.from_parent(
            self, name=FILE_ITEM, findings=by_question.pop("", []), line=0
        )
        names: set[str] = set()
        if bank is not None:
            shared = Counter(question.id for question, _ in bank.every_question())
            for question, lines in bank.every_question():
                name = f"{bank.id}:{question.id}"
                if shared[question.id] > 1:  # two questions share an id: tell them apart
                    name += f"@{lines.of('id')}"  # the line "also used at" names
                names.add(name)
                findings = [
                    f
                    for f in by_question.get(question.id, [])
                    if shared[question.id] == 1 or _within(f, lines.line, bank)
                ]
                yield QuestionItem.from_parent(self, name=name, findings=findings, line=lines.line)
            for question, _ in bank.every_question():
                by_question.pop(question.id, None)
        for question_id, findings in by_question.items():  # questions that did not load
            prefix = f"{bank.id}:" if bank else ""
            name = _shown(f"{prefix}{question_id}")
            if name in names:
                name += f"@{findings[0].line or 0}"
            yield QuestionItem.from_parent(
                self, name=name, findings=findings, line=findings[0].line or 0
            )


def _within(finding: Finding, start: int, bank: LoadedBank) -> bool:
    """Whether ``finding`` is about the question whose table starts at ``start``."""
    following = [lines.line for _, lines in bank.every_question() if lines.line > start]
    end = min(following, default=None)
    line = finding.line or 0
    return start <= line and (end is None or line < end)


class QuizFindings(Exception):
    def __init__(self, findings: list[Finding]) -> None:
        super().__init__(findings)
        self.findings = findings


class QuestionItem(pytest.Item):
    def __init__(self, *, findings: list[Finding], line: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.findings = findings
        self.line = line
        for finding in findings:
            self.user_properties.append((finding.code, finding.describe()))

    def runtest(self) -> None:
        strict = self.config.getoption("quiz_strict")
        failing = [f for f in self.findings if f.severity.fails(strict)]
        if failing:
            raise QuizFindings(failing)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, QuizFindings):
            return "\n".join(f.describe() for f in excinfo.value.findings)
        return str(super().repr_failure(excinfo, style))

    def reportinfo(self) -> tuple[Path, int, str]:
        # The path as shown: pytest prints it (`-vv`, JUnit's file attribute).
        return Path(_shown(str(self.path))), max(self.line - 1, 0), self.name
