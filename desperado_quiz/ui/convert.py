"""`desperado-quiz export` and `import`: connect the converters to files, filters, the
validator and the screen. The converters themselves never print (see convert/)."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from typing_extensions import TypedDict

from desperado_quiz.authoring import TargetRefused, slugify, writable_target, write_atomic
from desperado_quiz.convert.common import BrokenInput, ExportReport, Imported
from desperado_quiz.convert.registry import FORMATS, Format
from desperado_quiz.exitcodes import ExitCode
from desperado_quiz.findings import FindingJSON
from desperado_quiz.model import SLUG_PATTERN, Bank
from desperado_quiz.text import display_path, plural, visible
from desperado_quiz.ui.console import console, error_console
from desperado_quiz.ui.messages import Messages
from desperado_quiz.validator import SummaryJSON

if TYPE_CHECKING:
    from desperado_quiz.source import SourceDocument

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


def known_format(name: str, messages: Messages, importing: bool = False) -> Format:
    found = FORMATS.get(name.lower())
    usable = [f.name for f in FORMATS.values() if f.can_import or not importing]
    if found is None or found.name not in usable:
        what = "import from" if importing else "export to"
        messages.fail(
            f"cannot {what} {name!r}: the formats are {', '.join(usable)}.",
            hint=f"`desperado-quiz {'import' if importing else 'export'} --help` describes each.",
        )
    return found


def run_export(request: ExportRequest) -> ExitCode:
    from desperado_quiz.ui.banks import load_or_fail

    messages = Messages("export" if request.json_output else None)
    form = known_format(request.format, messages)
    to_stdout = request.output == STDOUT
    if to_stdout and not form.stdout:
        messages.fail(f"{form.name} is a binary file: give a file name with -o, not -.")
    if to_stdout and request.json_output:
        messages.fail("-o - and --json both want stdout: give a file name with -o.")
    if not to_stdout:
        _check_target(Path(request.output), messages, "nothing was exported")
    loaded = load_or_fail(list(request.specs), messages)
    if not to_stdout and any(
        Path(request.output).resolve() == bank.path.resolve() for bank in loaded.banks
    ):
        messages.fail(
            f"{display_path(request.output)} is one of the banks being exported; "
            "nothing was exported.",
            hint="Give another file name with -o.",
        )
    banks = filtered([bank.bank for bank in loaded.banks], request)
    if not banks:
        messages.fail("no question matches these banks and filters; nothing was exported.")
    exported = form.exporter()(banks)
    if not exported.report.written:
        _export_summary(exported.report, form, "", messages)
        messages.fail(f"no question here can be expressed in {form.name}; nothing was written.")
    if to_stdout:
        _write_stdout(exported.data)
    else:
        write_atomic(Path(request.output), exported.data)
    output = "stdout" if to_stdout else display_path(request.output)
    _export_summary(exported.report, form, output, messages)
    messages.emit(exported.report.to_dict(form.name, output, form.not_carried))
    return ExitCode.OK


def filtered(banks: Sequence[Bank], request: ExportRequest) -> list[Bank]:
    """The banks with only the questions the filters keep (the same filters as `play`);
    a bank left with none is left out."""
    from desperado_quiz.game.select import wanted

    kept = []
    for bank in banks:
        questions = [
            q
            for q in bank.questions
            if wanted(q, request.categories, request.difficulties, request.tags)
        ]
        if questions:
            kept.append(bank.model_copy(update={"questions": questions}))
    return kept


def _check_target(path: Path, messages: Messages, nothing: str) -> None:
    try:
        writable_target(path)
    except TargetRefused as refused:
        messages.fail(f"{refused}; {nothing}.")


def _write_stdout(data: bytes) -> None:
    try:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    except BrokenPipeError:  # the reader went away (`| head`): not our error
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


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


class SkipJSON(TypedDict):
    line: int | None
    reason: str


class ImportJSON(TypedDict):
    """The data of ``desperado-quiz import --json``."""

    format: str
    input: str
    output: str
    bank: str
    imported: int
    skipped: list[SkipJSON]
    summary: SummaryJSON
    findings: list[FindingJSON]


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
    from desperado_quiz.convert.bank_file import bank_text

    messages = Messages("import" if request.json_output else None)
    form = known_format(request.format, messages, importing=True)
    output = request.output
    bank_id = request.bank_id or slugify(output.stem, 8)
    _check_output(request, bank_id, messages)
    source_name, source = _source(request, messages)
    imported = _read_input(request, form, messages)
    title = imported.title or output.stem.replace("-", " ").replace("_", " ").capitalize()
    text = bank_text(imported, bank_id, title, source_name, source)
    _check_bank_size(text, len(imported.questions), request.input, messages)
    write_atomic(output, text)
    return _after_import(imported, request, form, bank_id, messages)


def _check_bank_size(text: str, questions: int, source: Path, messages: Messages) -> None:
    """Refuse to write a bank that no command could then load."""
    from desperado_quiz.loader import MAX_FILE_BYTES, MAX_QUESTIONS
    from desperado_quiz.toml_lines import beyond_limits

    size = len(text.encode("utf-8"))
    if size > MAX_FILE_BYTES or questions > MAX_QUESTIONS:
        over = (
            f"{size / 1024 / 1024:.1f} MB, over the {MAX_FILE_BYTES // 1024 // 1024} MB"
            if size > MAX_FILE_BYTES
            else f"{questions:,} questions, over the {MAX_QUESTIONS:,}"
        )
        messages.fail(
            f"the bank made from {display_path(source)} would be {over} a question file may "
            "hold; nothing was written.",
            hint="Split the input into smaller files and import each into a bank of its own.",
        )
    if beyond := beyond_limits(text):  # a line too long, most likely: one huge text
        line, _, what, _ = beyond
        messages.fail(
            f"the bank made from {display_path(source)} would have {what} (its line "
            f"{line:,}), more than a question file may; nothing was written.",
            hint="Shorten that text in the input, then import it again.",
        )


def _read_input(request: ImportRequest, form: Format, messages: Messages) -> Imported:
    """The questions of INPUT; a file that cannot be read or parsed ends the command."""
    from desperado_quiz.loader import read_text

    text, unreadable = read_text(request.input)
    if unreadable is not None:
        messages.fail(f"{unreadable.describe()}; nothing was written.")
    try:
        imported = form.importer()(text)
    except (UnicodeError, ValueError, OverflowError, RecursionError, MemoryError) as error:
        messages.fail(
            f"{display_path(request.input)}: cannot be read as {form.name} "
            f"({type(error).__name__}); nothing was written.",
            hint=f"Fix the file as {form.name}'s documentation describes it.",
        )
    except BrokenInput as broken:
        where = display_path(request.input) + (f":{broken.line}" if broken.line else "")
        messages.fail(
            f"{where}: {broken.message}",
            hint=f"Fix the file as {form.name}'s documentation describes it; nothing was written.",
        )
    if not imported.questions:
        _report_skips(imported, request.input, messages)
        messages.fail(
            f"no question in {display_path(request.input)} could be imported; nothing was written."
        )
    return imported


def _check_output(request: ImportRequest, bank_id: str, messages: Messages) -> None:
    import re

    output = request.output
    if output.suffix != ".toml":
        messages.fail(f"{display_path(output)}: a bank file's name ends in .toml.")
    if not re.fullmatch(SLUG_PATTERN, bank_id):
        messages.fail(
            f"bank id {bank_id!r} is not a slug: use lowercase letters, digits and single "
            "'-', e.g. --bank-id my-questions."
        )
    if (output.exists() or output.is_symlink()) and not request.force:
        messages.fail(
            f"{display_path(output)} already exists; nothing was written.",
            hint="Give --force to replace it, or another file name with -o.",
        )
    _check_target(output, messages, "nothing was written")


def _source(request: ImportRequest, messages: Messages) -> tuple[str, SourceDocument | None]:
    """The name the bank gives its source (relative to the bank), and the document."""
    from desperado_quiz.source import SourceRefused, read_source

    if request.source is None:
        return "", None
    folder = request.output.absolute().parent
    name = Path(os.path.relpath(request.source.absolute(), folder)).as_posix()
    try:
        return name, read_source(request.output.absolute(), name)
    except SourceRefused as refused:
        messages.fail(
            f"source document {display_path(request.source)} {refused}; nothing was written.",
            hint="A source must be a text file in the bank's folder tree or its repository.",
        )


def _report_skips(imported: Imported, path: Path, messages: Messages) -> None:
    for skip in imported.skipped:
        where = f"{display_path(path)}:{skip.line}" if skip.line else display_path(path)
        messages.warn(f"{where}: skipped: {skip.reason}")


def _after_import(
    imported: Imported,
    request: ImportRequest,
    form: Format,
    bank_id: str,
    messages: Messages,
) -> ExitCode:
    """Say what was read and written, then validate the file and show its findings."""
    from desperado_quiz.ui.findings import print_findings, summary_line
    from desperado_quiz.validator import validate

    _report_skips(imported, request.input, messages)
    report = validate([request.output])
    out = error_console if request.json_output else console
    out.print(
        Text(
            f"Imported {plural(len(imported.questions), 'question')} from "
            f"{display_path(request.input)} ({form.name}) into {display_path(request.output)}"
            f" (bank {bank_id}); {len(imported.skipped)} skipped.",
            style="good",
        ),
        soft_wrap=True,
    )
    print_findings(out, report.without_notes().findings)
    out.print(summary_line(report.summary(), report.failed(), notes_shown=False))
    out.print(
        Text(
            "Imported questions have no evidence until you add it: quote the source in each "
            "question's `evidence`, then run `desperado-quiz validate` on the file.",
            style="muted",
        ),
        soft_wrap=True,
    )
    messages.emit(
        {
            "format": form.name,
            "input": display_path(request.input),
            "output": display_path(request.output),
            "bank": bank_id,
            "imported": len(imported.questions),
            "skipped": [{"line": s.line, "reason": s.reason} for s in imported.skipped],
            "summary": report.summary(),
            "findings": [finding.to_dict() for finding in report.findings],
        }
    )
    return ExitCode.OK
