"""The command-line interface: parse options, call the core, choose a renderer, exit.

Each command reads its options, hands them to the module that does the work, and turns
the result into an exit status. Heavy imports (pydantic, rich, the game) happen inside
the commands that need them, so that ``--help`` and ``--version`` stay fast.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup


def _plain(params: list[Any]) -> list[Any]:
    """Help that reads like a good CLI's: a flag shows no type (Typer would print
    ``<bool>`` beside --help and the completion flags it adds itself), and an argument
    with a metavar shows only that."""
    for param in params:
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""
        elif isinstance(param, TyperArgument) and param.metavar:
            setattr(param, "display_type_rich", _no_type)  # noqa: B010 (an instance's own)
    return params


def _no_type(ctx: Any) -> None:
    return None


class _Group(TyperGroup):
    def get_params(self, ctx: Any) -> list[Any]:
        return _plain(super().get_params(ctx))


class _Command(TyperCommand):
    def get_params(self, ctx: Any) -> list[Any]:
        return _plain(super().get_params(ctx))


app = typer.Typer(
    name="desperado-quiz",
    help="A trivia quiz about the film Desperado (1995), built from one article.",
    cls=_Group,
    no_args_is_help=False,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
command = partial(app.command, cls=_Command)

PathsArgument = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Question files or folders. Default: the bundled banks.",
        metavar="[PATHS]...",
        show_default=False,
    ),
]
DataDirOption = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help="Where the history is kept. Default: $DESPERADO_QUIZ_HOME, else your user "
        "data folder.",
        metavar="FOLDER",
        show_default=False,
    ),
]
PlayerOption = Annotated[
    str | None,
    typer.Option("--player", "-p", help="Only this player's games.", metavar="NAME"),
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


class Turns(StrEnum):
    PLAYER = "player"
    QUESTION = "question"


class Difficulty(StrEnum):  # the same as vocabulary.DIFFICULTIES, which a test checks
    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


# The options that choose a game's questions, shared by play and host.
BankOption = Annotated[
    list[str] | None,
    typer.Option(
        "--bank",
        "-b",
        help="A bank id or a question file or folder; repeatable. Default: every bundled bank.",
        metavar="BANK",
    ),
]

CategoryOption = Annotated[
    list[str] | None,
    typer.Option(
        "--category", "-c", help="Only this category (any case); repeatable.", metavar="NAME"
    ),
]

DifficultyOption = Annotated[
    list[Difficulty] | None,
    typer.Option(
        "--difficulty",
        "-d",
        help="Only this difficulty: easy, medium or hard (any case); repeatable.",
        case_sensitive=False,
        metavar="LEVEL",
    ),
]

TagOption = Annotated[
    list[str] | None,
    typer.Option("--tag", "-t", help="Only questions with this tag; repeatable.", metavar="TAG"),
]

CountOption = Annotated[
    int, typer.Option("--count", "-n", help="How many questions (1 or more).", metavar="N")
]

SeedOption = Annotated[
    int | None,
    typer.Option(
        "--seed",
        "-s",
        help="Same seed, same questions in the same order. Default: a new one, shown at the end.",
        metavar="N",
        show_default=False,
    ),
]

QuestionOption = Annotated[
    list[str] | None,
    typer.Option(
        "--question",
        "-q",
        help="Play this question (BANK:ID), in the order given; repeatable.",
        metavar="BANK:ID",
    ),
]


@contextmanager
def exits() -> Iterator[None]:
    """A command's way out: ``Stop`` from the layers below becomes its exit status."""
    from desperado_quiz.ui.messages import Stop

    try:
        yield
    except Stop as stop:
        raise typer.Exit(stop.code) from None


def usage_error(message: str) -> NoReturn:
    from desperado_quiz.ui.messages import Messages, Stop

    try:
        Messages().fail(message)
    except Stop as stop:
        raise typer.Exit(stop.code) from None


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
            "--version",
            "-V",
            callback=_version,
            is_eager=True,
            help="Show the version and exit.",
            metavar="",
        ),
    ] = False,
) -> None:
    """Play a quiz about Desperado, list and validate question banks.

    With no command, a game of 10 questions from every bundled bank starts.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(play)


@command("list")
def list_banks(
    paths: PathsArgument = None,
    output_format: Annotated[
        ListFormat,
        typer.Option(
            "--format", "-f", help="table for people, json for scripts.", metavar="FORMAT"
        ),
    ] = ListFormat.TABLE,
) -> None:
    """List the question banks: questions, difficulty, categories and tags to filter by."""
    from desperado_quiz.ui.listing import list_banks

    with exits():
        list_banks(paths, json_output=output_format is ListFormat.JSON)


@command()
def play(
    bank: BankOption = None,
    category: CategoryOption = None,
    difficulty: DifficultyOption = None,
    tag: TagOption = None,
    count: CountOption = 10,
    seed: SeedOption = None,
    question: QuestionOption = None,
    timer: Annotated[
        float | None,
        typer.Option(
            "--timer",
            help="Seconds per question (1 or more); faster right answers score more, late "
            "ones count as wrong.",
            metavar="SECONDS",
            show_default=False,
        ),
    ] = None,
    player: Annotated[
        list[str] | None,
        typer.Option(
            "--player",
            "-p",
            help="A player's name; repeat it for several players and a leaderboard.",
            metavar="NAME",
        ),
    ] = None,
    turns: Annotated[
        Turns,
        typer.Option(
            "--turns",
            help="With several players: a whole game each in turn (player), or every "
            "player on each question before the next (question).",
            case_sensitive=False,
            metavar="ORDER",
        ),
    ] = Turns.PLAYER,
    json_output: Annotated[
        bool,
        typer.Option(
            "--json",
            help="Write the whole result as JSON to stdout (the game itself goes to stderr).",
            metavar="",
        ),
    ] = False,
    pass_mark: Annotated[
        float | None,
        typer.Option(
            "--pass-mark",
            help="Exit with status 1 unless every player got at least this percent of the "
            "questions right (0 to 100; questions not answered count as not right).",
            metavar="PERCENT",
            show_default=False,
        ),
    ] = None,
    practice: Annotated[
        bool,
        typer.Option(
            "--practice",
            help="A question answered wrong comes back later until it is answered right.",
            metavar="",
        ),
    ] = False,
    review: Annotated[
        bool,
        typer.Option(
            "--review",
            help="Play the questions you got wrong and have not answered right since.",
            metavar="",
        ),
    ] = False,
    no_save: Annotated[
        bool, typer.Option("--no-save", help="Keep this game out of the history.", metavar="")
    ] = False,
    data_dir: DataDirOption = None,
) -> None:
    """Play a game: questions one by one, scored, with the article's word on each answer."""
    from desperado_quiz.game import GameSettings, SettingsError, TurnOrder
    from desperado_quiz.game.settings import DEFAULT_PLAYER
    from desperado_quiz.ui.game import PlayRequest
    from desperado_quiz.ui.game import play as play_game

    if count < 1 or (timer is not None and timer < 1):
        usage_error("--count and --timer must be 1 or more.")
    if pass_mark is not None and not 0 <= pass_mark <= 100:
        usage_error("--pass-mark is a percentage, from 0 to 100.")
    try:
        settings = GameSettings(
            seed=_new_seed() if seed is None else seed,
            banks=tuple(bank or ()),
            categories=tuple(category or ()),
            difficulties=tuple(str(level) for level in difficulty or ()),
            tags=tuple(tag or ()),
            count=count,
            timer=timer,
            players=tuple(player or (DEFAULT_PLAYER,)),
            practice=practice,
            review=review,
            turns=TurnOrder(turns.value),
            questions=tuple(question or ()),
            pass_mark=pass_mark,
        )
    except SettingsError as error:
        usage_error(f"{error}.")
    with exits():
        raise typer.Exit(play_game(PlayRequest(settings, json_output, not no_save, data_dir)))


def _new_seed() -> int:
    import random

    return random.SystemRandom().randrange(1, 1_000_000)


@command()
def host(
    bank: BankOption = None,
    category: CategoryOption = None,
    difficulty: DifficultyOption = None,
    tag: TagOption = None,
    count: CountOption = 10,
    seed: SeedOption = None,
    question: QuestionOption = None,
    timer: Annotated[
        float,
        typer.Option(
            "--timer",
            help="Seconds per question (1 or more); faster right answers score more.",
            metavar="SECONDS",
        ),
    ] = 20,
    bind: Annotated[
        str,
        typer.Option(
            "--bind", help="The address to listen on. Default: every interface.", metavar="ADDR"
        ),
    ] = "0.0.0.0",
    port: Annotated[
        int | None,
        typer.Option(
            "--port",
            help="The port (0: any free one). Default: 5995, or the next free one.",
            metavar="N",
            show_default=False,
        ),
    ] = None,
    code: Annotated[
        str | None,
        typer.Option(
            "--code",
            help="The join code (4 to 12 letters or digits). Default: 5 random ones.",
            metavar="CODE",
            show_default=False,
        ),
    ] = None,
    players: Annotated[
        int | None,
        typer.Option(
            "--players",
            help="Start as soon as N players have joined. Default: when you press Enter.",
            metavar="N",
            show_default=False,
        ),
    ] = None,
    auto: Annotated[
        bool,
        typer.Option(
            "--auto",
            help="Go on to the next question by itself after each leaderboard.",
            metavar="",
        ),
    ] = False,
    pause: Annotated[
        float,
        typer.Option(
            "--pause", help="With --auto, the seconds each leaderboard stays.", metavar="SECONDS"
        ),
    ] = 8,
    report: Annotated[
        Path | None,
        typer.Option(
            "--report",
            help="Write the result to FILE: .json (the game document) or .csv (standings).",
            metavar="FILE",
            show_default=False,
        ),
    ] = None,
    no_save: Annotated[
        bool, typer.Option("--no-save", help="Keep this game out of the history.", metavar="")
    ] = False,
    data_dir: DataDirOption = None,
) -> None:
    """Host a quiz night: players join from their phones or terminals and answer together.

    Exit status: 0 the game ended, 2 usage error (or the port is taken), 130 Ctrl-C.
    """
    from desperado_quiz.game import GameSettings, SettingsError, TurnOrder
    from desperado_quiz.live.room import MAX_PLAYERS
    from desperado_quiz.ui.hosting import HostRequest
    from desperado_quiz.ui.hosting import host as host_game

    if count < 1 or timer < 1 or pause < 0:
        usage_error("--count and --timer must be 1 or more, and --pause 0 or more.")
    if players is not None and not 1 <= players <= MAX_PLAYERS:
        usage_error(f"--players is a number from 1 to {MAX_PLAYERS}.")
    if port is not None and not 0 <= port <= 65535:
        usage_error("--port is a number from 0 to 65535.")
    if report is not None and report.suffix.lower() not in (".json", ".csv"):
        usage_error("--report writes a .json or a .csv file.")
    try:
        settings = GameSettings(
            seed=_new_seed() if seed is None else seed,
            banks=tuple(bank or ()),
            categories=tuple(category or ()),
            difficulties=tuple(str(level) for level in difficulty or ()),
            tags=tuple(tag or ()),
            count=count,
            timer=timer,
            players=(),
            turns=TurnOrder.TOGETHER,
            questions=tuple(question or ()),
        )
        request = HostRequest(
            settings, bind, port, code, players, auto, pause, report, not no_save, data_dir
        )
    except SettingsError as error:
        usage_error(f"{error}.")
    with exits():
        raise typer.Exit(host_game(request))


@command()
def join(
    address: Annotated[
        str,
        typer.Argument(
            help="The host's address, as its screen shows it: HOST:PORT or its http:// address.",
            metavar="ADDRESS",
            show_default=False,
        ),
    ],
    name: Annotated[
        str | None,
        typer.Option(
            "--name", help="Your name in the game. Asked for when omitted.", metavar="NAME"
        ),
    ] = None,
    code: Annotated[
        str | None,
        typer.Option(
            "--code",
            help="The join code on the host's screen. Asked for when omitted.",
            metavar="CODE",
        ),
    ] = None,
    json_output: Annotated[
        bool,
        typer.Option(
            "--json",
            help="Write the final standings as JSON to stdout (the game itself goes to stderr).",
            metavar="",
        ),
    ] = False,
) -> None:
    """Join a quiz night from this terminal: answer each question before the clock runs out.

    Exit status: 0 the game ended, 1 the connection was lost, 2 the host refused to let you
    join (or a usage error), 130 Ctrl-C.
    """
    from desperado_quiz.ui.joining import JoinRequest
    from desperado_quiz.ui.joining import join as join_game

    with exits():
        raise typer.Exit(join_game(JoinRequest(address, name, code, json_output)))


@command("validate")
def validate_command(
    paths: PathsArgument = None,
    output_format: Annotated[
        ValidateFormat,
        typer.Option(
            "--format",
            "-f",
            help="text for people; json, github (workflow annotations) or junit (XML) for CI.",
            metavar="FORMAT",
        ),
    ] = ValidateFormat.TEXT,
    strict: Annotated[
        bool, typer.Option("--strict", help="Warnings fail too (exit status 1).", metavar="")
    ] = False,
    show_coverage: Annotated[
        bool,
        typer.Option(
            "--coverage",
            help="Also list the source sentences that no question cites yet (text and json).",
            metavar="",
        ),
    ] = False,
) -> None:
    """Check question files: schema, answers, grounding in the source, quality.

    Exit status: 0 no errors, 1 errors (or warnings with --strict), 2 usage error.
    """
    from desperado_quiz.ui.findings import validate_and_report

    with exits():
        raise typer.Exit(validate_and_report(paths, output_format.value, strict, show_coverage))


@command()
def new(
    bank_file: Annotated[
        Path | None,
        typer.Argument(
            help="The bank to add to; created if it does not exist. Asked for when omitted.",
            metavar="[BANK_FILE]",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Add a question to a bank with a wizard that checks the evidence as you type.

    The rest of the file is kept byte for byte; the write is atomic.
    """
    from desperado_quiz.ui.wizard import run_wizard

    with exits():
        raise typer.Exit(run_wizard(bank_file))


@command("history")
def history_command(
    output_format: Annotated[
        HistoryFormat,
        typer.Option("--format", "-f", help="table, json or csv.", metavar="FORMAT"),
    ] = HistoryFormat.TABLE,
    limit: Annotated[int, typer.Option("--limit", help="How many games.", metavar="N")] = 20,
    player: PlayerOption = None,
    clear: Annotated[
        bool,
        typer.Option("--clear", help="Delete the history, after a backup copy.", metavar=""),
    ] = False,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Clear without asking.", metavar="")
    ] = False,
    data_dir: DataDirOption = None,
) -> None:
    """Your recent games, newest first."""
    from desperado_quiz.ui.history_commands import clear_history, show_history

    with exits():
        if clear:
            raise typer.Exit(clear_history(data_dir, yes))
        show_history(data_dir, output_format.value, limit, player)


@command()
def stats(
    output_format: Annotated[
        ListFormat,
        typer.Option(
            "--format", "-f", help="table for people, json for scripts.", metavar="FORMAT"
        ),
    ] = ListFormat.TABLE,
    player: PlayerOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Your statistics: accuracy by category and difficulty, best games, most missed."""
    from desperado_quiz.ui.history_commands import show_stats

    with exits():
        show_stats(data_dir, output_format.value, player)


class SchemaKind(StrEnum):
    BANK = "bank"
    BANKS = "banks"
    GAME = "game"
    HISTORY = "history"
    STANDINGS = "standings"
    STATS = "stats"
    VALIDATION = "validation"


@command()
def schema(
    kind: Annotated[
        SchemaKind,
        typer.Argument(
            help="bank: a question file; or a JSON document of list, play, history, stats, "
            "validate or join (see docs/json.md).",
            metavar="[KIND]",
        ),
    ] = SchemaKind.BANK,
) -> None:
    """Print a JSON Schema: of the question format, or of a JSON output."""
    from desperado_quiz.ui.messages import write

    if kind is SchemaKind.BANK:
        from desperado_quiz.model import json_schema

        write(json_schema())
    else:
        from desperado_quiz.envelope import json_schema as document_schema

        write(document_schema(kind.value))


def main() -> None:
    app()
