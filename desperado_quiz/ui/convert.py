"""`export` and `import` on the screen: what the app's calls did, question by question,
and the counts per reason; for people on stderr, with --json as a document on stdout."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.text import Text

from desperado_quiz.app.interchange import (
    ExportResult,
    ImportResult,
    NothingExported,
    NothingImported,
    export,
    find_format,
    import_file,
)
from desperado_quiz.convert.common import ExportReport, Imported
from desperado_quiz.convert.registry import Format
from desperado_quiz.exitcodes import ExitCode
from desperado_quiz.outputs import write_stdout
from desperado_quiz.text import display_path, plural, visible
from desperado_quiz.ui.console import console, error_console
from desperado_quiz.ui.messages import Messages, failing

STDOUT = "-"


@dataclass(frozen=True)
class ExportRequest:
    format: str
    specs: Sequence[str]
    output: str
    categories: Sequence[str] = ()
    difficulties: Sequence[str] = ()
    tags: Sequence[str] = ()
    json_output: bool = False
    seed: int | None = None


def run_export(request: ExportRequest) -> ExitCode:
    messages = Messages("export" if request.json_output else None)
    to_stdout = request.output == STDOUT
    with failing(messages):
        form = find_format(request.format)
        if to_stdout and not form.stdout:
            messages.fail(f"{form.name} is a binary file: give a file name with -o, not -.")
        if to_stdout and request.json_output:
            messages.fail("-o - and --json both want stdout: give a file name with -o.")
        try:
            result = export(
                form.name,
                request.specs,
                None if to_stdout else Path(request.output),
                categories=request.categories,
                difficulties=request.difficulties,
                tags=request.tags,
                seed=request.seed,
            )
        except NothingExported as nothing:
            _export_summary(nothing.exported.report, nothing.format, "", messages)
            raise
    if to_stdout:
        write_stdout(result.exported.data)
    show_export(result, messages)
    return ExitCode.OK


def show_export(result: ExportResult, messages: Messages) -> None:
    form = result.format
    output = "stdout" if result.output is None else display_path(result.output)
    _export_summary(result.exported.report, form, output, messages)
    if result.seed is not None:
        error_console.print(
            Text(
                f"  choices in the order of seed {result.seed}: --seed {result.seed} "
                "makes the same file again.",
                style="muted",
            ),
            soft_wrap=True,
        )
    messages.emit(result.to_dict())


def _export_summary(report: ExportReport, form: Format, output: str, messages: Messages) -> None:
    """Every question skipped or changed, with its reason, then the counts per reason:
    for people on stderr (and, with --json, in the document's warnings)."""
    for outcome in report.outcomes:
        if outcome.status != "exported":
            verb = "skipped" if outcome.status == "skipped" else "changed"
            messages.warn(f"{outcome.bank}:{outcome.question} {verb}: {'; '.join(outcome.reasons)}")
    counts = (
        f"{report.count('exported')} as they are, {report.count('changed')} changed, "
        f"{report.count('skipped')} skipped."
    )
    head = f"Exported {plural(report.written, 'question')} to {output}" if output else "Nothing"
    line = Text(
        f"{head} ({form.name}): {counts}",
        style="good" if not report.count("skipped") else "warn",
    )
    error_console.print(line, soft_wrap=True)
    for status in ("skipped", "changed"):
        for reason, count in report.reasons(status).items():
            error_console.print(Text(f"  {status} {count}: {visible(reason)}"), soft_wrap=True)
    if form.not_carried:
        error_console.print(
            Text(f"  {form.name} never carries: {', '.join(form.not_carried)}.", style="muted"),
            soft_wrap=True,
        )


# Import ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportRequest:
    format: str
    input: Path
    output: Path
    bank_id: str | None = None
    source: Path | None = None
    force: bool = False
    json_output: bool = False


def run_import(request: ImportRequest) -> ExitCode:
    messages = Messages("import" if request.json_output else None)
    with failing(messages):
        try:
            result = import_file(
                request.format,
                request.input,
                request.output,
                bank_id=request.bank_id,
                source=request.source,
                force=request.force,
            )
        except NothingImported as nothing:
            _report_skips(nothing.imported, nothing.input, messages)
            raise
    show_import(result, messages, error_console if request.json_output else console)
    return ExitCode.OK


def show_import(result: ImportResult, messages: Messages, out: Console) -> None:
    """Say what was read and written, then the new bank's findings (notes aside)."""
    from desperado_quiz.ui.findings import print_findings, summary_line

    imported, report, source = result.imported, result.report, result.input
    _report_skips(imported, source, messages)
    out.print(
        Text(
            f"Imported {plural(len(imported.questions), 'question')} from "
            f"{display_path(source)} ({result.format.name}) into {display_path(result.output)}"
            f" (bank {result.bank_id}); {len(imported.skipped)} skipped.",
            style="good",
        ),
        soft_wrap=True,
    )
    print_findings(out, report.without_notes().findings)
    out.print(summary_line(report.summary(), report.failed(), notes_shown=False))
    closing = (
        "The bank is held to its source: quote it in the `evidence` of each question "
        "that has none, then run `desperado-quiz validate` on the file."
        if result.grounded
        else "The bank names no source: it plays as it is, and `validate` warns that it is "
        "not grounded (a failure with --strict). Give --source to hold it to a document."
    )
    out.print(Text(closing, style="muted"), soft_wrap=True)
    messages.emit(result.to_dict())


def _report_skips(imported: Imported, path: Path, messages: Messages) -> None:
    for skip in imported.skipped:
        where = f"{display_path(path)}:{skip.line}" if skip.line else display_path(path)
        messages.warn(f"{where}: skipped: {skip.reason}")
