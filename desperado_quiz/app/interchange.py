"""`export` and `import` as calls: the converters (``convert/``) joined to the banks, the
filters of `play`, the validator and the files. The converters never touch a file; this
module reads the input, writes the output atomically, and refuses what would lose data.
"""

from __future__ import annotations

import dataclasses
import os
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from desperado_quiz.app.banks import load
from desperado_quiz.app.errors import CommandError
from desperado_quiz.authoring import TargetRefused, slugify, writable_target, write_atomic
from desperado_quiz.convert.common import (
    BrokenInput,
    Exported,
    ExportJSON,
    ExportOptions,
    Imported,
    ImportJSON,
    has_surrogate,
)
from desperado_quiz.convert.registry import FORMATS, Format
from desperado_quiz.model import SLUG_PATTERN, Bank
from desperado_quiz.text import display_path
from desperado_quiz.validator import Report

if TYPE_CHECKING:
    from desperado_quiz.source import SourceDocument


@dataclass(frozen=True)
class ExportResult:
    """The file made (``data``), what happened to each question, and where it went:
    ``output`` is None when the caller asked for the data only (to write to stdout)."""

    format: Format
    exported: Exported
    output: Path | None
    seed: int | None = None  # what ordered the choices, for a format that needs it

    def to_dict(self) -> ExportJSON:
        """The data of ``desperado-quiz export --json``."""
        output = "stdout" if self.output is None else display_path(self.output)
        data = self.exported.report.to_dict(self.format.name, output, self.format.not_carried)
        data["seed"] = self.seed
        return data


@dataclass(frozen=True)
class ImportResult:
    """The questions read, those skipped with their reasons, the bank written, and the
    validator's report on it (imported questions have no evidence until an author
    quotes the source)."""

    format: Format
    input: Path
    imported: Imported
    output: Path
    bank_id: str
    report: Report
    grounded: bool = False  # the bank names a source document, and is held to it

    def to_dict(self) -> ImportJSON:
        """The data of ``desperado-quiz import --json``."""
        return {
            "format": self.format.name,
            "input": display_path(self.input),
            "output": display_path(self.output),
            "bank": self.bank_id,
            "imported": len(self.imported.questions),
            "skipped": [{"line": s.line, "reason": s.reason} for s in self.imported.skipped],
            "summary": self.report.summary(),
            "findings": [finding.to_dict() for finding in self.report.findings],
        }


def find_format(name: str, importing: bool = False) -> Format:
    """The format called ``name`` (any case); a ``CommandError`` lists the others."""
    found = FORMATS.get(name.lower())
    usable = [f.name for f in FORMATS.values() if f.can_import or not importing]
    if found is None or found.name not in usable:
        what = "import from" if importing else "export to"
        raise CommandError(
            f"cannot {what} {name!r}: the formats are {', '.join(usable)}.",
            f"`desperado-quiz {'import' if importing else 'export'} --help` describes each.",
        )
    return found


def export(
    format: str,
    banks: Sequence[str] = (),
    output: Path | None = None,
    *,
    categories: Sequence[str] = (),
    difficulties: Sequence[str] = (),
    tags: Sequence[str] = (),
    seed: int | None = None,
) -> ExportResult:
    """Export the questions of ``banks`` (ids or paths; all bundled when none) that the
    filters keep, in ``format``; written atomically to ``output`` unless it is None.

    A format whose reader shows choices as written gets them in an order drawn from
    ``seed`` (a new one when None, given back in the result): the same banks and seed
    make the same file, byte for byte.

    A question the format cannot hold is skipped, one it holds with a loss is changed;
    ``result.exported.report`` says which and why. Raises ``CommandError`` when nothing
    can be exported or ``output`` cannot or must not be written."""
    form = find_format(format)
    if output is not None:
        _check_target(output, "nothing was exported")
    loaded = load(banks)
    if output is not None and any(output.resolve() == bank.path.resolve() for bank in loaded.banks):
        raise CommandError(
            f"{display_path(output)} is one of the banks being exported; nothing was exported.",
            "Give another file name with -o.",
        )
    kept = filtered([bank.bank for bank in loaded.banks], categories, difficulties, tags)
    if not kept:
        raise CommandError("no question matches these banks and filters; nothing was exported.")
    if form.shuffled and seed is None:
        seed = secrets.randbelow(1_000_000)
    options = ExportOptions(seed or 0, _last_change([bank.path for bank in loaded.banks]))
    exported = form.exporter()(kept, options)
    if not exported.report.written:
        raise NothingExported(form, exported)
    if output is not None:
        write_atomic(output, exported.data)
    return ExportResult(form, exported, output, seed if form.shuffled else None)


def _last_change(paths: Sequence[Path]) -> float:
    """When the banks last changed: the time written into formats that want one."""
    times = []
    for path in paths:
        try:
            times.append(path.stat().st_mtime)
        except OSError:
            continue
    return float(int(max(times, default=0.0)))


class NothingExported(CommandError):
    """No question could be expressed in the format: its report says why, per question."""

    def __init__(self, form: Format, exported: Exported) -> None:
        super().__init__(f"no question here can be expressed in {form.name}; nothing was written.")
        self.format = form
        self.exported = exported


def filtered(
    banks: Sequence[Bank],
    categories: Sequence[str] = (),
    difficulties: Sequence[str] = (),
    tags: Sequence[str] = (),
) -> list[Bank]:
    """The banks with only the questions the filters keep (the same filters as `play`);
    a bank left with none is left out."""
    from desperado_quiz.game.select import wanted

    kept = []
    for bank in banks:
        questions = [q for q in bank.questions if wanted(q, categories, difficulties, tags)]
        if questions:
            kept.append(dataclasses.replace(bank, questions=questions))
    return kept


def _check_target(path: Path, nothing: str) -> None:
    try:
        writable_target(path)
    except TargetRefused as refused:
        raise CommandError(f"{refused}; {nothing}.") from None


def import_file(
    format: str,
    input: Path,
    output: Path,
    *,
    bank_id: str | None = None,
    source: Path | None = None,
    force: bool = False,
) -> ImportResult:
    """Read ``input`` (a file in ``format``) into a new bank file ``output``, then
    validate it. ``source`` names the document its evidence will come from: the closest
    passage is written above each question as a comment, to confirm. An existing
    ``output`` is only replaced with ``force``; a broken input writes nothing."""
    from desperado_quiz.convert.bank_file import bank_text
    from desperado_quiz.validator import validate

    form = find_format(format, importing=True)
    bank_id = bank_id or slugify(output.stem, 8)
    _check_output(output, bank_id, force)
    source_name, document = _source(source, output)
    imported = _read_input(input, form)
    title = imported.title or output.stem.replace("-", " ").replace("_", " ").capitalize()
    text = bank_text(imported, bank_id, title, source_name, document)
    _check_bank_size(text, len(imported.questions), input)
    write_atomic(output, text)
    report = validate([output])
    return ImportResult(form, input, imported, output, bank_id, report, bool(source_name))


def _check_output(output: Path, bank_id: str, force: bool) -> None:
    if output.suffix != ".toml":
        raise CommandError(f"{display_path(output)}: a bank file's name ends in .toml.")
    if not re.fullmatch(SLUG_PATTERN, bank_id):
        raise CommandError(
            f"bank id {bank_id!r} is not a slug: use lowercase letters, digits and single "
            "'-', e.g. --bank-id my-questions."
        )
    if (output.exists() or output.is_symlink()) and not force:
        raise CommandError(
            f"{display_path(output)} already exists; nothing was written.",
            "Give --force to replace it, or another file name with -o.",
        )
    _check_target(output, "nothing was written")


def _source(source: Path | None, output: Path) -> tuple[str, SourceDocument | None]:
    """The name the bank gives its source (relative to the bank), and the document."""
    from desperado_quiz.source import SourceRefused, read_source

    if source is None:
        return "", None
    folder = output.absolute().parent
    name = Path(os.path.relpath(source.absolute(), folder)).as_posix()
    try:
        return name, read_source(output.absolute(), name)
    except SourceRefused as refused:
        raise CommandError(
            f"source document {display_path(source)} {refused}; nothing was written.",
            "A source must be a text file in the bank's folder tree or its repository.",
        ) from None


def _read_input(path: Path, form: Format) -> Imported:
    """The questions of ``path``; a file that cannot be read or parsed writes nothing."""
    from desperado_quiz.loader import read_text

    if path.is_dir():
        raise CommandError(
            f"{display_path(path)} is a folder; nothing was written.",
            "Give the file to import as INPUT.",
        )
    try:
        text, unreadable = read_text(path)
    except OSError as error:  # not a file read_text knows how to refuse
        raise CommandError(
            f"{display_path(path)} cannot be read ({error.strerror or error}); nothing was written."
        ) from None
    if unreadable is not None:
        raise CommandError(f"{unreadable.describe()}; nothing was written.")
    fix = f"Fix the file as {form.name}'s documentation describes it"
    try:
        imported = form.importer()(text)
    except (UnicodeError, ValueError, OverflowError, RecursionError, MemoryError) as error:
        raise CommandError(
            f"{display_path(path)}: cannot be read as {form.name} "
            f"({type(error).__name__}); nothing was written.",
            f"{fix}.",
        ) from None
    except BrokenInput as broken:
        where = display_path(path) + (f":{broken.line}" if broken.line else "")
        raise CommandError(f"{where}: {broken.message}", f"{fix}; nothing was written.") from None
    if not imported.questions:
        raise NothingImported(path, imported)
    # A title or description with half a character (a lone surrogate) is left out.
    imported.title = "" if has_surrogate(imported.title) else imported.title
    imported.description = "" if has_surrogate(imported.description) else imported.description
    return imported


class NothingImported(CommandError):
    """No question of the input could be imported; ``imported.skipped`` says why."""

    def __init__(self, path: Path, imported: Imported) -> None:
        super().__init__(
            f"no question in {display_path(path)} could be imported; nothing was written."
        )
        self.input = path
        self.imported = imported


def _check_bank_size(text: str, questions: int, source: Path) -> None:
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
        raise CommandError(
            f"the bank made from {display_path(source)} would be {over} a question file may "
            "hold; nothing was written.",
            "Split the input into smaller files and import each into a bank of its own.",
        )
    if beyond := beyond_limits(text):  # a line too long, most likely: one huge text
        line, _, what, _ = beyond
        raise CommandError(
            f"the bank made from {display_path(source)} would have {what} (its line "
            f"{line:,}), more than a question file may; nothing was written.",
            "Shorten that text in the input, then import it again.",
        )
