"""The command-line interface: parse options, call the core, choose a renderer, exit.

Heavy imports (pydantic, rich, the game) happen inside the commands that need them,
so that ``--help`` and ``--version`` stay fast.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from desperado_quiz.exitcodes import ExitCode

if TYPE_CHECKING:
    from desperado_quiz.loader import LoadResult

app = typer.Typer(
    name="desperado-quiz",
    help="A trivia quiz about the film Desperado (1995), built from one article.",
    no_args_is_help=False,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class ListFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


def _version(value: bool) -> None:
    if value:
        from desperado_quiz import __version__

        typer.echo(f"desperado-quiz {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Play a quiz about Desperado, list and validate question banks.

    With no command, a game of 10 questions from every bundled bank starts.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(play)


def write_json(data: Any) -> None:
    """Machine output goes to stdout as plain JSON, never through Rich."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def fail(message: str, code: ExitCode = ExitCode.USAGE, hint: str = "") -> NoReturn:
    from rich.text import Text

    from desperado_quiz.ui.console import error_console

    error_console.print(Text("Error: ", style="bad").append(Text(message, style="")))
    if hint:
        error_console.print(Text(hint, style="muted"))
    raise typer.Exit(code)


def load_or_fail(paths: list[Path] | None) -> LoadResult:
    """Load question files; any error is reported with file and line, then exit 2."""
    from desperado_quiz.loader import BankPathError, load_banks
    from desperado_quiz.ui.console import error_console
    from desperado_quiz.ui.findings import print_findings

    try:
        result = load_banks(paths)
    except BankPathError as error:
        fail(str(error), hint="Give a question file (.toml) or a folder of them.")
    if not result.ok:
        print_findings(error_console, result.errors)
        fail(
            f"{len(result.errors)} problem(s) in the question files; fix them and try again.",
            hint="`desperado-quiz validate PATH` checks a file in full.",
        )
    return result


@app.command("list")
def list_banks(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Question files or folders. Default: the bundled banks."),
    ] = None,
    output_format: Annotated[
        ListFormat, typer.Option("--format", "-f", help="table for people, json for scripts.")
    ] = ListFormat.TABLE,
) -> None:
    """List the question banks: questions, types, difficulty spread and source."""
    from desperado_quiz.loader import summarise

    summaries = [summarise(bank) for bank in load_or_fail(paths).banks]
    if output_format is ListFormat.JSON:
        write_json(summaries)
        return
    from desperado_quiz.ui.console import console
    from desperado_quiz.ui.listing import banks_table

    console.print(banks_table(summaries))


@app.command()
def play() -> None:
    """Play a game (coming next)."""
    fail("play is not available yet")


def main() -> None:
    app()
