"""`new` as calls: the bank a question is added to, its source, the check of the new
text, and the atomic write. The questions themselves are asked by the wizard (ui/)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from desperado_quiz.app.errors import BanksBroken, CommandError
from desperado_quiz.authoring import TargetRefused, read_bank_text, writable_target, write_atomic
from desperado_quiz.exitcodes import ExitCode
from desperado_quiz.findings import Severity
from desperado_quiz.source import SourceDocument, SourceRefused, read_source
from desperado_quiz.text import display_path, visible

if TYPE_CHECKING:
    from desperado_quiz.loader import LoadedBank
    from desperado_quiz.validator import Report


@dataclass(frozen=True)
class BankTarget:
    """A bank file a question may be added to: the bank as it is (None: a new file),
    its text, and whether it starts with a byte-order mark (kept as it was)."""

    path: Path
    bank: LoadedBank | None
    text: str = ""
    bom: bool = False

    def source(self, name: str | None = None) -> SourceDocument:
        """The bank's source document (``name``: the one a new bank will name).
        Raises ``CommandError`` when it cannot be read or must not be."""
        name = name if self.bank is None and name else self._source_name()
        try:
            return read_source(self.path, name)
        except SourceRefused as refused:
            raise CommandError(
                f"the bank's source {visible(name)!r} {refused}; nothing was written.",
                "`desperado-quiz validate` on the bank says what to fix.",
            ) from None

    def _source_name(self) -> str:
        return self.bank.info.source if self.bank is not None else ""

    def source_problem(self, name: str) -> str | None:
        """Why ``name`` cannot be a new bank's source, or None when it can."""
        try:
            read_source(self.path, name)
        except SourceRefused as refused:
            return f"{visible(name)} {refused}."
        return None

    def documents_beside(self) -> list[str]:
        """The text documents beside the bank: the likely sources of a new one."""
        folder = self.path.parent
        return sorted(p.name for p in folder.glob("*.txt")) if folder.is_dir() else []


def open_bank(path: Path) -> BankTarget:
    """The bank at ``path``, checked before a question is asked: a file that cannot be
    written, or a bank with errors, is a ``CommandError`` (nothing asked, nothing
    written)."""
    from desperado_quiz.loader import load_file

    try:
        writable_target(path)
    except TargetRefused as refused:
        raise CommandError(f"{refused}; nothing was asked and nothing written.") from None
    if not path.exists():
        return BankTarget(path, None)
    bank, findings = load_file(path)
    errors = [f for f in findings if f.severity is Severity.ERROR]
    if bank is None or errors:
        raise BanksBroken(errors or findings)
    text, bom = read_bank_text(path)
    return BankTarget(path, bank, text, bom)


def check(target: BankTarget, text: str) -> Report:
    """The validator's findings on the bank as it would be with ``text``."""
    from desperado_quiz.validator import validate_text

    return validate_text(text, target.path)


def add_question(target: BankTarget, text: str, block: str) -> int:
    """Write the bank's new ``text`` (its old text and ``block``) atomically; returns
    the line where the block starts."""
    try:
        write_atomic(target.path, text, target.bom)
    except OSError as error:
        raise CommandError(
            f"could not write {display_path(target.path)}: {error.strerror or error}; "
            "the file is as it was.",
            code=ExitCode.FAILED,
        ) from None
    return text[: len(text) - len(block)].count("\n") + 1
