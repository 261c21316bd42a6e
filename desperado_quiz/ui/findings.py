"""Findings as people read them: grouped by file, each with its place and a hint."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from desperado_quiz.findings import Finding, Severity, sort_key
from desperado_quiz.text import display_path, visible

if TYPE_CHECKING:  # a load error in `play` should not import the whole validator
    from desperado_quiz.validate import Coverage


def print_findings(console: Console, findings: Sequence[Finding]) -> None:
    ordered = sorted(findings, key=sort_key)
    for path, group in groupby(ordered, key=lambda f: display_path(f.path)):
        console.print(Text(path, style="path bold"))
        for finding in group:
            console.print(finding_line(finding), soft_wrap=True)
        console.print()


def finding_line(finding: Finding) -> Text:
    """A finding for people. Every part that came from a file goes through ``visible``."""
    style = "bad" if finding.severity is Severity.ERROR else "warn"
    symbol = "✗" if finding.severity is Severity.ERROR else "!"
    line = Text("  ")
    line.append(finding.location, style="muted")
    line.append(f" {symbol} {finding.severity} ", style=style)
    line.append(finding.code, style="bold")
    if finding.question_id:
        line.append(f" [{visible(finding.question_id)}]", style="accent")
    line.append(f": {visible(finding.message)}")
    if finding.hint:
        line.append(f"\n      hint: {visible(finding.hint)}", style="muted")
    return line


def summary_line(summary: dict[str, int], failed: bool) -> Text:
    files, questions = summary["files"], summary["questions"]
    checked = f"{files} file(s), {questions} question(s) checked"
    if not summary["errors"] and not summary["warnings"]:
        return Text(f"✓ No problems: {checked}.", style="good")
    text = Text("✗ " if failed else "! ", style="bad" if failed else "warn")
    text.append(f"{summary['errors']} error(s), {summary['warnings']} warning(s): {checked}.")
    return text


def coverage_view(console: Console, coverages: Sequence[Coverage]) -> None:
    for item in coverages:
        console.print(
            Text("Coverage of ", style="bold").append(display_path(item.source), style="path")
        )
        console.print(
            f"  {len(item.cited)} of {len(item.sentences)} sentences cited ({item.share:.0%})."
        )
        if item.uncited:
            console.print("  Not asked by any question yet:")
        for sentence in item.uncited:
            console.print(Text("    - ").append(Text(visible(sentence), style="muted")))
