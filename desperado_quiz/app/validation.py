"""`validate` as a call: the files checked, with what the history says of the questions
and the source sentences no question asks, when asked for."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from desperado_quiz.app.errors import CommandError
from desperado_quiz.exitcodes import ExitCode
from desperado_quiz.findings import sort_key
from desperado_quiz.validator import Report, coverage


def validate(
    paths: Sequence[Path | str] | None = None,
    *,
    with_history: bool = False,
    data_dir: Path | None = None,
    with_coverage: bool = False,
    keep_banks: bool = False,
) -> Report:
    """Check question files (a file or a folder each; the bundled banks when none).

    ``with_history`` adds the findings that the answers in the history give (a hard
    question most get right, a wrong choice the best players prefer...), from the
    history in ``data_dir``; ``with_coverage`` the source sentences no evidence cites;
    ``keep_banks`` keeps the loaded banks in the report. ``report.failed(strict)`` says
    whether a CI gate fails. Raises ``CommandError`` for a path that does not exist or
    a history that cannot be read."""
    from desperado_quiz import validator
    from desperado_quiz.loader import BankPathError

    wanted = [Path(path) for path in paths] if paths else None
    try:
        report = validator.validate(wanted, keep_banks=keep_banks or with_coverage or with_history)
    except BankPathError as error:
        raise CommandError(
            str(error), "Give a question file (.toml) or a folder of them."
        ) from None
    if with_history:
        report = _with_history(report, data_dir)
    if with_coverage:
        covered = coverage(report)
        notices = [notice for item in covered if (notice := item.notice())]
        report = replace(report, coverage=covered, notices=[*report.notices, *notices])
    return report


def _with_history(report: Report, data_dir: Path | None) -> Report:
    from desperado_quiz import analytics, study
    from desperado_quiz.history import History, HistoryError
    from desperado_quiz.paths import history_path

    try:
        noted = History(history_path(data_dir)).answers()
    except HistoryError as error:
        raise CommandError(f"cannot read the history: {error}", code=ExitCode.USAGE) from None
    figures = analytics.question_stats(noted.value, study.questions_by_key(report.banks))
    findings = sorted(
        [*report.findings, *analytics.flag_findings(report.banks, figures)], key=sort_key
    )
    return replace(report, findings=findings, notices=list(noted.notices))
