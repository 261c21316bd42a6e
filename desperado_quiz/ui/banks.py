"""The banks a command names, loaded; or the command ended with the problems shown."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NoReturn

from desperado_quiz.loader import BankPathError, LoadResult, load_bank_specs
from desperado_quiz.text import plural
from desperado_quiz.ui.console import error_console
from desperado_quiz.ui.findings import print_findings
from desperado_quiz.ui.messages import Messages


def load_or_fail(specs: Sequence[str], messages: Messages) -> LoadResult:
    """The banks named by id or path; a broken question file ends the command (2)."""
    try:
        loaded = load_bank_specs(specs)
    except BankPathError as error:
        messages.fail(str(error), hint="`desperado-quiz list` shows the bundled banks.")
    if not loaded.ok:
        load_problems(loaded, messages)
    return loaded


def load_problems(loaded: LoadResult, messages: Messages) -> NoReturn:
    """Show a load's errors with file and line, then end the command (2)."""
    print_findings(error_console, loaded.errors)
    messages.fail(
        f"{plural(len(loaded.errors), 'problem')} in the question files; fix them and try again.",
        hint="`desperado-quiz validate PATH` checks a file in full.",
        problems=[{"message": f.describe(with_hint=False), "hint": f.hint} for f in loaded.errors],
    )
