"""The command-line interface: parse options, call the core, choose a renderer, exit.

Heavy imports (pydantic, rich, the game) happen inside the commands that need them,
so that ``--help`` and ``--version`` stay fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer

from desperado_quiz.exitcodes import ExitCode
from desperado_quiz.vocabulary import DIFFICULTIES

if TYPE_CHECKING:
    from desperado_quiz.loader import LoadResult

T = TypeVar("T")

app = typer.Typer(
    name="desperado-quiz",
    help="A trivia quiz about the film Desperado (1995), built from one article.",
    no_args_is_help=False,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


PathsArgument = Annotated[
    list[Path] | None,
    typer.Argument(help="Question files or folders. Default: the bundled banks."),
]
DataDirOption = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help="Where the history is kept. Default: "
        "$DESPERADO_QUIZ_HOME, else your user data folder.",
        show_default=False,
    ),
]


class ListFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


class ValidateFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    GITHUB = "github"
    JUNIT = "junit"


class HistoryFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


Difficulty = StrEnum("Difficulty", [(level.upper(), level) for level in DIFFICULTIES])


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
    from desperado_quiz.envelope import dumps

    sys.stdout.write(dumps(data) + "\n")


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

    try:
        result = load_banks(paths)
    except BankPathError as error:
        fail(str(error), hint="Give a question file (.toml) or a folder of them.")
    report_load_errors(result)
    return result


def report_load_errors(result: LoadResult) -> None:
    """Print a load's errors with file and line, then exit 2; warnings pass."""
    from desperado_quiz.ui.console import error_console
    from desperado_quiz.ui.findings import print_findings

    if not result.ok:
        print_findings(error_console, result.errors)
        fail(
            f"{len(result.errors)} problem(s) in the question files; fix them and try again.",
            hint="`desperado-quiz validate PATH` checks a file in full.",
        )


@app.command("list")
def list_banks(
    paths: PathsArgument = None,
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
def play(
    bank: Annotated[
        list[str] | None,
        typer.Option(
            "--bank",
            "-b",
            help="A bank id or a question file/folder; repeatable. Default: every bundled bank.",
        ),
    ] = None,
    category: Annotated[
        list[str] | None,
        typer.Option("--category", "-c", help="Only this category (any case); repeatable."),
    ] = None,
    difficulty: Annotated[
        list[Difficulty] | None,
        typer.Option("--difficulty", "-d", help="Only this difficulty; repeatable."),
    ] = None,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", "-t", help="Only questions with this tag.")
    ] = None,
    count: Annotated[int, typer.Option("--count", "-n", min=1, help="How many questions.")] = 10,
    seed: Annotated[
        int | None,
        typer.Option(
            "--seed",
            "-s",
            help="Same seed, same questions in the same order. "
            "Default: a new one, shown at the end.",
        ),
    ] = None,
    timer: Annotated[
        float | None,
        typer.Option(
            "--timer",
            min=1,
            help="Seconds per question; faster right answers score more, late ones count as wrong.",
        ),
    ] = None,
    player: Annotated[
        list[str] | None,
        typer.Option(
            "--player",
            "-p",
            help="A player's name; repeat for turns on the same questions and a leaderboard.",
        ),
    ] = None,
    json_output: Annotated[
        bool,
        typer.Option(
            "--json",
            help="Write the whole result as JSON to stdout (the game itself goes to stderr).",
        ),
    ] = False,
    pass_mark: Annotated[
        float | None,
        typer.Option(
            "--pass-mark",
            min=0,
            max=100,
            help="Exit with status 1 when accuracy (percent) is below this.",
        ),
    ] = None,
    practice: Annotated[
        bool,
        typer.Option(
            "--practice",
            help="A question answered wrong comes back later in the "
            "game until it is answered right.",
        ),
    ] = False,
    review: Annotated[
        bool,
        typer.Option(
            "--review", help="Play the questions you got wrong and have not answered right since."
        ),
    ] = False,
    no_save: Annotated[
        bool, typer.Option("--no-save", help="Keep this game out of the history.")
    ] = False,
    data_dir: DataDirOption = None,
) -> None:
    """Play a game: questions one by one, scored, with the article's word on each answer."""
    from desperado_quiz.game import (
        GameSettings,
        NoQuestions,
        Status,
        game_result,
        new_seed,
        passes,
        select_questions,
    )
    from desperado_quiz.history import History
    from desperado_quiz.loader import BankPathError, load_bank_specs
    from desperado_quiz.paths import history_path
    from desperado_quiz.ui import play as ui
    from desperado_quiz.ui.console import console, error_console, line_reader

    settings = GameSettings(
        seed=new_seed() if seed is None else seed,
        banks=tuple(bank or ()),
        categories=tuple(category or ()),
        difficulties=tuple(str(d) for d in difficulty or ()),
        tags=tuple(tag or ()),
        count=count,
        timer=timer,
        players=tuple(player or ("Player",)),
        practice=practice,
        review=review,
    )
    try:
        loaded = load_bank_specs(settings.banks)
    except BankPathError as error:
        fail(str(error), hint="`desperado-quiz list` shows the bundled banks.")
    report_load_errors(loaded)
    out = error_console if json_output else console
    history = History(history_path(data_dir))
    only = None
    if review:
        only = _review_keys(history, settings.players[0], loaded.banks)
        if not only:
            out.print(
                "Nothing to review: every question you missed has been answered right since.",
                style="good",
                markup=False,
            )
            return
    try:
        asked = select_questions(
            loaded.banks,
            seed=settings.seed,
            count=count,
            categories=settings.categories,
            difficulties=settings.difficulties,
            tags=settings.tags,
            only=only,
        )
    except NoQuestions as error:
        categories = sorted({q.category for b in loaded.banks for q in b.questions})
        fail(f"{error}.", hint=f"Categories: {', '.join(categories)}.")

    turns = ui.play_turns(asked, settings, out, line_reader(out), settings.replay_line())
    if not no_save:
        _save(history, turns, settings, [b.id for b in loaded.banks], out)

    summaries = [turn.summary for turn in turns]
    passed = None if pass_mark is None else passes(summaries, pass_mark, settings)
    if json_output:
        write_json(game_result(settings, asked, summaries, pass_mark, passed))
    if summaries[-1].status is Status.INTERRUPTED:
        raise typer.Exit(ExitCode.INTERRUPTED)
    if passed is False:
        out.print(f"Below the pass mark of {pass_mark:g}%.", style="bad")
        raise typer.Exit(ExitCode.FAILED)


def _review_keys(history: Any, player: str, banks: list[Any]) -> set[tuple[str, str]]:
    """Missed questions that still exist; a history that cannot be read is a warning."""
    from desperado_quiz.history import HistoryWarning

    try:
        missed = history.missed(player)
    except HistoryWarning as warning:
        _warn(str(warning))
        missed = set()
    for message in history.warnings:
        _warn(message)
    existing = {(bank.id, q.id) for bank in banks for q in bank.questions}
    return missed & existing


def _save(history: Any, turns: list[Any], settings: Any, bank_ids: list[str], out: Any) -> None:
    """Record each player's game; say when it is a personal best. Never fatal."""
    from desperado_quiz.history import HistoryWarning, record_turns
    from desperado_quiz.ui.history import best_notice

    try:
        for turn, previous in record_turns(history, turns, settings, bank_ids):
            out.print(best_notice(turn.summary.score, previous, turn.summary.player))
    except HistoryWarning as warning:
        _warn(f"{warning}; this game was not saved.")
    finally:
        for message in history.warnings:
            _warn(message)


def _warn(message: str) -> None:
    from rich.text import Text

    from desperado_quiz.ui.console import error_console

    error_console.print(Text("Warning: ", style="warn").append(message), soft_wrap=True)


@app.command("validate")
def validate_command(
    paths: PathsArgument = None,
    output_format: Annotated[
        ValidateFormat,
        typer.Option(
            "--format",
            "-f",
            help="text for people; json, github (workflow annotations) or junit (XML) for CI.",
        ),
    ] = ValidateFormat.TEXT,
    strict: Annotated[
        bool, typer.Option("--strict", help="Warnings fail too (exit status 1).")
    ] = False,
    show_coverage: Annotated[
        bool,
        typer.Option(
            "--coverage",
            help="Also list the source sentences that no "
            "question cites yet (text and json formats).",
        ),
    ] = False,
) -> None:
    """Check question files: schema, answers, grounding in the source, quality.

    Exit status: 0 no errors, 1 errors (or warnings with --strict), 2 usage error.
    """
    from desperado_quiz import report as reports
    from desperado_quiz.loader import BankPathError
    from desperado_quiz.validate import coverage, validate

    try:
        result = validate(paths)
    except BankPathError as error:
        fail(str(error), hint="Give a question file (.toml) or a folder of them.")
    coverages = coverage(result) if show_coverage else None
    failed = result.failed(strict)
    if output_format is ValidateFormat.JSON:
        sys.stdout.write(reports.to_json(result, coverages) + "\n")
    elif output_format is ValidateFormat.GITHUB:
        if result.findings:
            sys.stdout.write(reports.to_github(result) + "\n")
    elif output_format is ValidateFormat.JUNIT:
        sys.stdout.write(reports.to_junit(result, strict) + "\n")
    else:
        from desperado_quiz.ui.console import console
        from desperado_quiz.ui.findings import coverage_view, print_findings, summary_line

        print_findings(console, result.findings)
        if coverages is not None:
            coverage_view(console, coverages)
        console.print(summary_line(result.summary(), failed))
    if failed:
        raise typer.Exit(ExitCode.FAILED)


@app.command()
def new(
    bank_file: Annotated[
        Path | None,
        typer.Argument(
            help="The bank to add to; created if it does not exist. Asked for when omitted."
        ),
    ] = None,
) -> None:
    """Add a question to a bank with a wizard that checks the evidence as you type.

    The rest of the file is kept byte for byte; the write is atomic.
    """
    from desperado_quiz.authoring import write_atomic
    from desperado_quiz.loader import load_file
    from desperado_quiz.ui.console import console, line_reader
    from desperado_quiz.ui.wizard import Wizard

    wizard = Wizard(console, line_reader(console))
    try:
        path = bank_file or Path(wizard.ask("Bank file", "questions/my-questions.toml"))
        bank, existing = None, ""
        if path.exists():
            bank, findings = load_file(path)
            if bank is None or any(f.severity == "error" for f in findings):
                from desperado_quiz.loader import LoadResult

                report_load_errors(LoadResult([], findings))
            existing = path.read_bytes().decode("utf-8")
        draft = wizard.compose(bank, path, existing)
        if not wizard.review(draft):
            raise typer.Exit(ExitCode.FAILED)
    except EOFError:
        console.print("\nEnd of input: nothing written.", style="warn")
        raise typer.Exit(ExitCode.FAILED) from None
    except KeyboardInterrupt:
        console.print("\nInterrupted: nothing written.", style="warn")
        raise typer.Exit(ExitCode.INTERRUPTED) from None
    write_atomic(path, draft.text)
    line = draft.text[: len(draft.text) - len(draft.block)].count("\n") + 1
    console.print(
        f"Added question {draft.question_id!r} to {path}:{line}.",
        style="good",
        markup=False,
        soft_wrap=True,
    )


@app.command("history")
def history_command(
    output_format: Annotated[
        HistoryFormat, typer.Option("--format", "-f", help="table, json or csv.")
    ] = HistoryFormat.TABLE,
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many games.")] = 20,
    clear: Annotated[
        bool, typer.Option("--clear", help="Delete the history, after a backup copy.")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Clear without asking.")] = False,
    data_dir: DataDirOption = None,
) -> None:
    """Your recent games, newest first."""
    from desperado_quiz.history import History
    from desperado_quiz.paths import history_path
    from desperado_quiz.ui.console import console

    history = History(history_path(data_dir))
    if clear:
        _with_history(history, lambda: _clear(history, yes))
        return
    games = _with_history(history, lambda: history.recent(limit))
    if output_format is HistoryFormat.JSON:
        write_json(games)
    elif output_format is HistoryFormat.CSV:
        from desperado_quiz.ui.history import games_csv

        sys.stdout.write(games_csv(games))
    else:
        from desperado_quiz.ui.history import history_table

        console.print(history_table(games))


def _with_history(history: Any, action: Callable[[], T]) -> T:
    """Run ``action`` on the history: its warnings are shown, a failure exits with 1."""
    from desperado_quiz.history import HistoryWarning

    try:
        return action()
    except HistoryWarning as warning:
        fail(str(warning), ExitCode.FAILED)
    finally:
        for message in history.warnings:
            _warn(message)


def _clear(history: Any, yes: bool) -> None:
    if not history.path.exists():
        typer.echo("There is no history to clear.")
        return
    if not yes and not typer.confirm(f"Delete every game in {history.path}?", default=False):
        typer.echo("Nothing deleted.")
        raise typer.Exit(ExitCode.FAILED)
    backup = history.clear()
    typer.echo(f"History cleared. A copy of it is kept at {backup}.")


@app.command()
def stats(
    output_format: Annotated[
        ListFormat, typer.Option("--format", "-f", help="table for people, json for scripts.")
    ] = ListFormat.TABLE,
    data_dir: DataDirOption = None,
) -> None:
    """Your statistics: accuracy by category and difficulty, bests, most-missed questions."""
    from desperado_quiz.history import History
    from desperado_quiz.paths import history_path

    history = History(history_path(data_dir))
    numbers = _with_history(history, history.stats)
    if output_format is ListFormat.JSON:
        write_json(numbers)
        return
    from desperado_quiz.loader import load_banks
    from desperado_quiz.ui.console import console
    from desperado_quiz.ui.history import stats_view

    texts = {(b.id, q.id): q.question for b in load_banks().banks for q in b.questions}
    console.print(stats_view(numbers, lambda bank, qid: texts.get((bank, qid))))


@app.command()
def schema() -> None:
    """Print the JSON Schema of the question format, generated from the models."""
    from desperado_quiz.model import json_schema

    write_json(json_schema())


def main() -> None:
    app()
