"""Warnings and errors, for people on stderr and, with ``--json``, in the JSON document
on stdout too: a script that asked for JSON always gets one document, errors included,
and the exit status is the same either way."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NoReturn

from rich.text import Text

from desperado_quiz.exitcodes import ExitCode
from desperado_quiz.outputs import write_stdout
from desperado_quiz.text import visible
from desperado_quiz.ui.console import error_console

if TYPE_CHECKING:
    from desperado_quiz.app.errors import CommandError
    from desperado_quiz.envelope import Problem


class Stop(Exception):
    """End the command with this exit status; what to say has been said."""

    def __init__(self, code: ExitCode) -> None:
        super().__init__(code)
        self.code = code


@dataclass
class Messages:
    """``kind`` names the JSON document to write (None: people only)."""

    kind: str | None = None
    warnings: list[str] = field(default_factory=list)

    def warn(self, text: str) -> None:
        self.warnings.append(text)
        say(Text("Warning: ", style="warn").append(visible(text)))

    def fail(
        self,
        message: str,
        code: ExitCode = ExitCode.USAGE,
        hint: str = "",
        problems: Sequence[Problem] = (),
    ) -> NoReturn:
        say(Text("Error: ", style="bad").append(visible(message)))
        if hint:
            say(Text(visible(hint), style="muted"))
        if self.kind is not None:
            errors: list[Problem] = [*problems, {"message": message, "hint": hint}]
            from desperado_quiz.envelope import document  # JSON was asked for: only then

            write(document(self.kind, None, self.warnings, errors))
        raise Stop(code)

    def failed(self, error: CommandError) -> NoReturn:
        """End the command as ``error`` says: the problems of the question files behind
        it with their file and line, what to know first, then the error itself."""
        if error.findings:
            from desperado_quiz.ui.findings import print_findings

            print_findings(error_console, error.findings)
        for notice in error.notices:
            self.warn(notice)
        problems: list[Problem] = [
            {"message": f.describe(with_hint=False), "hint": f.hint} for f in error.findings
        ]
        self.fail(error.message, error.code, error.hint, problems)

    def warn_all(self, notices: Sequence[str]) -> None:
        for notice in notices:
            self.warn(notice)

    def emit(self, data: Any) -> None:
        """The JSON document with ``data``, when JSON was asked for."""
        if self.kind is not None:
            from desperado_quiz.envelope import document

            write(document(self.kind, data, self.warnings))


def say(text: Text) -> None:
    """A message on stderr: wrapped between words on a terminal; on one line in a log,
    where a line break would split a message that a search should find whole."""
    error_console.print(text, soft_wrap=not error_console.is_terminal)


@contextlib.contextmanager
def failing(messages: Messages) -> Iterator[None]:
    """A ``CommandError`` from the application layer ends the command as it says."""
    from desperado_quiz.app.errors import CommandError

    try:
        yield
    except CommandError as error:
        messages.failed(error)


def write(data: Any) -> None:
    """Machine output goes to stdout as plain JSON, never through Rich."""
    from desperado_quiz.envelope import dumps

    write_stdout(dumps(data) + "\n")
