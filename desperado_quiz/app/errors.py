"""Why a command could not do what was asked, in words a person can act on."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from desperado_quiz.exitcodes import ExitCode
from desperado_quiz.text import plural

if TYPE_CHECKING:  # `list` and `--help` pay for no findings
    from desperado_quiz.findings import Finding


class CommandError(Exception):
    """What went wrong, what to do about it, and the exit status a command line gives it.

    ``findings`` are the problems of question files behind it, each with its file and
    line; ``notices`` what the caller should still be told (a damaged history set aside
    on the way, say).
    """

    def __init__(
        self,
        message: str,
        hint: str = "",
        code: ExitCode = ExitCode.USAGE,
        findings: Sequence[Finding] = (),
        notices: Sequence[str] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.code = code
        self.findings = list(findings)
        self.notices = list(notices)


class BanksBroken(CommandError):
    """The question files named have errors: no command plays or exports them."""

    def __init__(self, findings: Sequence[Finding]) -> None:
        super().__init__(
            f"{plural(len(findings), 'problem')} in the question files; fix them and try again.",
            "`desperado-quiz validate PATH` checks a file in full.",
            findings=findings,
        )
