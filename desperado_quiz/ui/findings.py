"""Findings as people read them: grouped by file, each with its place and a hint."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from rich.console import Console
from rich.text import Text

from desperado_quiz.findings import Finding, Severity, sort_key


def print_findings(console: Console, findings: Sequence[Finding]) -> None:
    ordered = sorted(findings, key=sort_key)
    for path, group in groupby(ordered, key=lambda f: str(f.path)):
        console.print(Text(path, style="path bold"))
        for finding in group:
            console.print(finding_line(finding))
        console.print()


def finding_line(finding: Finding) -> Text:
    style = "bad" if finding.severity is Severity.ERROR else "warn"
    symbol = "✗" if finding.severity is Severity.ERROR else "!"
    line = Text("  ")
    line.append(f"{finding.location}", style="muted")
    line.append(f" {symbol} {finding.severity} ", style=style)
    line.append(finding.code, style="bold")
    if finding.question_id:
        line.append(f" [{finding.question_id}]", style="accent")
    line.append(f": {finding.message}")
    if finding.hint:
        line.append(f"\n      hint: {finding.hint}", style="muted")
    return line
