"""Findings as people read them: grouped by file, each with its place and a hint; and
`validate`, which writes them in the format asked for."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby
from typing import TYPE_CHECKING

from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from desperado_quiz.exitcodes import ExitCode
from desperado_quiz.findings import Finding, Severity, sort_key
from desperado_quiz.outputs import write_stdout
from desperado_quiz.text import display_path, plural, visible

if TYPE_CHECKING:  # a load error in `play` should not import the whole validator
    from desperado_quiz.findings import SummaryJSON
    from desperado_quiz.ui.messages import Messages
    from desperado_quiz.validator import Coverage, Report


def show_report(
    report: Report, form: str, strict: bool, show_notes: bool, messages: Messages
) -> ExitCode:
    """A validation report in the format asked for (notes only with ``show_notes``,
    always in JSON); 1 when it fails, with ``strict`` on warnings too."""
    from desperado_quiz import report as reports
    from desperado_quiz.ui.console import console

    messages.warn_all(report.notices)
    failed = report.failed(strict)
    shown = report if show_notes else report.without_notes()
    if form == "json":
        messages.emit(reports.validation_json(report, report.coverage))
    elif form == "github":
        if shown.findings:
            write_stdout(reports.to_github(shown) + "\n")
    elif form == "junit":
        write_stdout(reports.to_junit(shown, strict) + "\n")
    else:
        print_findings(console, shown.findings)
        if report.coverage is not None:
            coverage_view(console, report.coverage)
        console.print(summary_line(report.summary(), failed, notes_shown=show_notes))
    return ExitCode.FAILED if failed else ExitCode.OK


def print_findings(console: Console, findings: Sequence[Finding]) -> None:
    """Grouped by file. On a terminal, wrapped between words under their indent; in a
    log, one line each (and the hint on the next), whole, for a search to find."""
    ordered = sorted(findings, key=sort_key)
    for path, group in groupby(ordered, key=lambda f: display_path(f.path)):
        console.print(Text(path, style="path bold"), soft_wrap=True)
        for finding in group:
            print_finding(console, finding)
        console.print()


def print_finding(console: Console, finding: Finding) -> None:
    if not console.is_terminal:
        console.print(finding_line(finding), soft_wrap=True)
        return
    main, hint = finding_parts(finding)
    console.print(Padding(main, (0, 0, 0, 2)))
    if hint is not None:
        console.print(Padding(hint, (0, 0, 0, 6)))


_LOOKS = {
    Severity.ERROR: ("bad", "✗"),
    Severity.WARNING: ("warn", "!"),
    Severity.NOTE: ("muted", "·"),
}


def finding_parts(finding: Finding) -> tuple[Text, Text | None]:
    """A finding for people, and its hint. Every part that came from a file goes
    through ``visible``."""
    style, symbol = _LOOKS[finding.severity]
    main = Text(finding.location, style="muted")
    main.append(f" {symbol} {finding.severity} ", style=style)
    main.append(finding.code, style="bold")
    if finding.question_id:
        main.append(f" [{visible(finding.question_id)}]", style="accent")
    main.append(f": {visible(finding.message)}")
    hint = Text(f"hint: {visible(finding.hint)}", style="muted") if finding.hint else None
    return main, hint


def finding_line(finding: Finding) -> Text:
    """The finding as one line, and its hint as the next, indented."""
    main, hint = finding_parts(finding)
    line = Text("  ").append(main)
    if hint is not None:
        line.append("\n      ").append(hint)
    return line


def summary_line(summary: SummaryJSON, failed: bool, notes_shown: bool = True) -> Text:
    checked = (
        f"{plural(summary['files'], 'file')}, {plural(summary['questions'], 'question')} checked"
    )
    notes = ""
    if summary["notes"]:
        where = "" if notes_shown else ", shown with --notes"
        notes = f" ({plural(summary['notes'], 'note')}{where})"
    if not summary["errors"] and not summary["warnings"]:
        return Text(f"✓ No problems: {checked}{notes}.", style="good")
    text = Text("✗ " if failed else "! ", style="bad" if failed else "warn")
    counts = f"{plural(summary['errors'], 'error')}, {plural(summary['warnings'], 'warning')}"
    return text.append(f"{counts}: {checked}{notes}.")


def coverage_view(console: Console, coverages: Sequence[Coverage]) -> None:
    for item in coverages:
        head = Text("Coverage of ", style="bold").append(display_path(item.source), style="path")
        console.print(head, soft_wrap=True)
        console.print(
            f"  {item.cited_count} of {plural(len(item.sentences), 'sentence')} cited "
            f"({item.share:.0%})."
        )
        if item.uncited:
            console.print("  Not asked by any question yet:")
        sentences = Table.grid(padding=(0, 1))
        sentences.add_column(width=5, justify="right")
        sentences.add_column()
        for sentence in item.uncited:
            sentences.add_row("-", Text(visible(sentence), style="muted"))
        console.print(sentences)
