"""The banks a command names: loaded, or a ``CommandError`` that says why not."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from desperado_quiz.app.errors import BanksBroken, CommandError

if TYPE_CHECKING:
    from desperado_quiz.loader import BankSummary, LoadResult


def load(specs: Sequence[str] = ()) -> LoadResult:
    """The banks named by id or path (every bundled bank when none is named)."""
    from desperado_quiz.store import BankPathError, load_bank_specs

    try:
        loaded = load_bank_specs(specs)
    except BankPathError as error:
        raise CommandError(str(error), "`desperado-quiz list` shows the bundled banks.") from None
    if not loaded.ok:
        raise BanksBroken(loaded.errors)
    return loaded


def list_banks(paths: Sequence[Path] = ()) -> list[BankSummary]:
    """What `list` shows of each bank: its counts by type, difficulty, category, tag."""
    return [bank.summary() for bank in load([str(path) for path in paths]).banks]
