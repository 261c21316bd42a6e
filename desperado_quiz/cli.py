"""The command-line interface: parse options, call the core, choose a renderer, exit.

Each command reads its options, hands them to the module that does the work, and turns
the result into an exit status. Heavy imports (pydantic, rich, the game) happen inside
the commands that need them, so that ``--help`` and ``--version`` stay fast.
"""

import itertools
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup

from desperado_quiz.convert import registry
from desperado_quiz.light_params import lighten
from desperado_quiz.vocabulary import DEFAULT_PLAYER

if TYPE_CHECKING:  # the game loads only with the commands that play one
    from desperado_quiz.game import GameSettings
    from desperado_quiz.ui.messages import Messages

# Usage errors (a bad option, a missing value) come as Click's ClickException, which
# Typer does not export: it is found through the exception Typer does export.
_CLICK_EXCEPTION: type[Exception] = next(
    kind for kind in typer.BadParameter.__mro__ if kind.__name__ == "ClickException"
)
_JSON_KINDS = {
    "play": "game",
    "study": "game",
    "list": "banks",
    "history": "history",
    "stats": "stats",
    "validate": "validation",
}


class _Group(TyperGroup):
    """The command group, whose usage errors read like the program's own errors (and
    come as a JSON document too when JSON was asked for)."""

    def get_params(self, ctx: Any) -> list[Any]:
        return lighten(super().get_params(ctx))

    def main(  # type: ignore[override]
        self,
        args: list[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        arguments = list(sys.argv[1:] if args is None else args)
        try:
            code = super().main(arguments, prog_name, complete_var, False, **extra)
        except _CLICK_EXCEPTION as error:
            _usage_error_of_click(error, arguments)
        except typer.Abort:
            sys.stderr.write("Aborted.\n")
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


def _usage_error_of_click(error: Exception, arguments: list[str]) -> NoReturn:
    from desperado_quiz.ui.messages import Messages, Stop

    message = error.format_message().replace("Value error, ", "")  # type: ignore[attr-defined]
    context = getattr(error, "ctx", None)
    where = context.command_path if context is not None else "desperado-quiz"
    hint = f"Try '{where} --help' for help."
    option = getattr(error, "option_name", None)
    unknown_here = type(error).__name__ == "NoSuchOption" and where == "desperado-quiz"
    if unknown_here and option and _is_play_option(option):
        hint = f"A game's options go after `play`: desperado-quiz play {option} ..."
    try:
        Messages(_json_kind(arguments)).fail(message, hint=hint)
    except Stop:
        sys.exit(error.exit_code)  # type: ignore[attr-defined]


def _is_play_option(option: str) -> bool:
    play_command = typer.main.get_command(app).commands["play"]  # type: ignore[attr-defined]
    return any(option in param.opts for param in play_command.params)


def _json_kind(arguments: list[str]) -> str | None:
    """The kind of JSON document the command line asked for, if it asked for one."""
    words = [word for word in arguments if not word.startswith("-")]
    wants_json = (
        "--json" in arguments
        or any(
            pair in (("--format", "json"), ("-f", "json")) for pair in itertools.pairwise(arguments)
        )
        or "--format=json" in arguments
    )
    if not wants_json or not words:
        return None
    if words[0] == "stats" and "--questions" in arguments:
        return "questions"
    return _JSON_KINDS.get(words[0])


class _Command(TyperCommand):
    def get_short_help_str(self, limit: int = 45) -> str:
        """The command's first sentence, whole, in the list of commands."""
        return super().get_short_help_str(limit=300)

    def get_params(self, ctx: Any) -> list[Any]:
        """An argument shows its name only (Typer would add its type: ``<path>``), and
        simple options are converted without pydantic (see light_params)."""
        params = lighten(super().get_params(ctx))
        for param in params:
            if isinstance(param, TyperArgument) and param.metavar:
                setattr(param, "display_type_rich", _no_type)  # noqa: B010 (this instance's)
        return params


def _no_type(ctx: Any) -> None:
    return None


app = typer.Typer(
    name="desperado-quiz",
    help="A trivia quiz about the film Desperado (1995), built from one article.",
    cls=_Group,
    no_args_is_help=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,  # plain help: fast, and what a Python CLI looks like
    context_settings={"help_option_names": ["-h", "--help"]},
)
command = partial(app.command, cls=_Command)

PathsArgument = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Question files or folders. Default: the bundled banks.",
        metavar="PATHS",
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


# The options that choose a game's questions, shared by play, study and host.
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
TimerOption = Annotated[
    float | None,
    typer.Option(
        "--timer",
        help="Seconds per question (1 or more); faster right answers score more, late "
        "ones count as wrong.",
        metavar="SECONDS",
        show_default=False,
    ),
]

CountOption = Annotated[
    int | None,
    typer.Option(
        "--count",
        "-n",
        help="How many questions (1 or more). Default: 10, or as many as match.",
        metavar="N",
        show_default=False,
    ),
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
def exits(messages: "Messages | None" = None) -> Iterator[None]:
    """A command's way out: a ``CommandError`` from the application layer is said (in
    the JSON document too, when ``messages`` asks for one), and ``Stop`` from the layers
    below becomes the exit status."""
    from desperado_quiz.app.errors import CommandError
    from desperado_quiz.errors import FileChanged
    from desperado_quiz.exitcodes import ExitCode
    from desperado_quiz.ui.messages import Messages, Stop

    try:
        try:
            yield
        except CommandError as error:
            (messages or Messages()).failed(error)
        except FileChanged as error:
            changed = CommandError(f"{error}.", "Run the command again.", ExitCode.FAILED)
            (messages or Messages()).failed(changed)
    except Stop as stop:
        raise typer.Exit(stop.code) from None


def _messages(kind: str | None) -> "Messages":
    from desperado_quiz.ui.messages import Messages

    return Messages(kind)


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
    from desperado_quiz.app.banks import list_banks
    from desperado_quiz.ui.listing import show_banks

    messages = _messages("banks" if output_format is ListFormat.JSON else None)
    with exits(messages):
        show_banks(list_banks(paths or ()), messages)


@command()
def play(
    bank: BankOption = None,
    category: CategoryOption = None,
    difficulty: DifficultyOption = None,
    tag: TagOption = None,
    count: CountOption = None,
    seed: SeedOption = None,
    question: QuestionOption = None,
    timer: TimerOption = None,
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
    from desperado_quiz.app.games import start_game
    from desperado_quiz.game import TurnOrder
    from desperado_quiz.game.settings import DEFAULT_COUNT
    from desperado_quiz.ui.console import console, error_console
    from desperado_quiz.ui.game import play as play_game

    if pass_mark is not None and not 0 <= pass_mark <= 100:
        usage_error("--pass-mark is a percentage, from 0 to 100.")
    settings = _game_settings(
        seed,
        bank,
        category,
        difficulty,
        tag,
        DEFAULT_COUNT if count is None else count,
        timer,
        players=tuple(player or (DEFAULT_PLAYER,)),
        practice=practice,
        review=review,
        turns=TurnOrder(turns.value),
        questions=tuple(question or ()),
        pass_mark=pass_mark,
    )
    messages = _messages("game" if json_output else None)
    with exits(messages):
        game = start_game(
            settings, data_dir=data_dir, save=not no_save, count_given=count is not None
        )
        raise typer.Exit(play_game(game, messages, error_console if json_output else console))


@command()
def study(
    bank: BankOption = None,
    category: CategoryOption = None,
    difficulty: DifficultyOption = None,
    tag: TagOption = None,
    count: Annotated[
        int,
        typer.Option("--count", "-n", help="At most this many questions (1 or more).", metavar="N"),
    ] = 20,
    new_per_day: Annotated[
        int,
        typer.Option("--new", help="New questions a day, at most (0 or more).", metavar="N"),
    ] = 10,  # study.DEFAULT_NEW_PER_DAY, which a test checks
    cram: Annotated[
        bool,
        typer.Option(
            "--cram",
            help="Play the chosen questions whether due or not; no schedule changes.",
            metavar="",
        ),
    ] = False,
    player: Annotated[
        str, typer.Option("--player", "-p", help="Whose cards to study.", metavar="NAME")
    ] = DEFAULT_PLAYER,
    seed: Annotated[
        int | None,
        typer.Option(
            "--seed",
            "-s",
            help="The same seed gives the same order.",
            metavar="N",
            show_default=False,
        ),
    ] = None,
    timer: TimerOption = None,
    json_output: Annotated[
        bool, typer.Option("--json", help="Write the session as JSON to stdout.", metavar="")
    ] = False,
    data_dir: DataDirOption = None,
) -> None:
    """Study with spaced repetition: the questions that are due, and a few new ones a day.

    Each answer grades its card (wrong: again; hinted: hard; right: good; fast: easy).
    """
    from desperado_quiz.app.studying import start_study
    from desperado_quiz.ui.console import console, error_console
    from desperado_quiz.ui.study import study as study_session

    if new_per_day < 0:
        usage_error("--new is 0 or more.")
    settings = _game_settings(
        seed,
        bank,
        category,
        difficulty,
        tag,
        count,
        timer,
        players=(player,),
        mode="cram" if cram else "study",
    )
    messages = _messages("game" if json_output else None)
    with exits(messages):
        session = start_study(settings, new_per_day=new_per_day, data_dir=data_dir)
        out = error_console if json_output else console
        raise typer.Exit(study_session(session, messages, out))


def _new_seed() -> int:
    import random

    return random.SystemRandom().randrange(1, 1_000_000)


def _game_settings(
    seed: int | None,
    bank: list[str] | None,
    category: list[str] | None,
    difficulty: list[Difficulty] | None,
    tag: list[str] | None,
    count: int,
    timer: float | None,
    **more: Any,
) -> "GameSettings":
    """The settings of a game from the options `play`, `study` and `host` share (and
    what each adds), or the usage error that says what to change."""
    from desperado_quiz.game import GameSettings, SettingsError

    if count < 1:
        usage_error("--count must be 1 or more.")
    if timer is not None and timer < 1:
        usage_error("--timer must be 1 second or more.")
    try:
        return GameSettings(
            seed=_new_seed() if seed is None else seed,
            banks=tuple(bank or ()),
            categories=tuple(category or ()),
            difficulties=tuple(str(level) for level in difficulty or ()),
            tags=tuple(tag or ()),
            count=count,
            timer=timer,
            **more,
        )
    except SettingsError as error:
        usage_error(f"{error}.")


@command()
def host(
    bank: BankOption = None,
    category: CategoryOption = None,
    difficulty: DifficultyOption = None,
    tag: TagOption = None,
    count: CountOption = None,
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
    max_players: Annotated[
        int | None,
        typer.Option(
            "--max-players",
            help="The most players the game takes (up to 10,000). Default: 1,000.",
            metavar="N",
            show_default=False,
        ),
    ] = None,
    per_address: Annotated[
        int | None,
        typer.Option(
            "--per-address",
            help="The most connections from one address, such as a machine that many "
            "players share. Default: 20.",
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
    from desperado_quiz.app.hosting import open_quiz_night
    from desperado_quiz.game import TurnOrder
    from desperado_quiz.game.settings import DEFAULT_COUNT
    from desperado_quiz.live.limits import Limits
    from desperado_quiz.live.room import MAX_PLAYERS, MOST_PLAYERS
    from desperado_quiz.ui.hosting import host as host_game

    if pause < 0:
        usage_error("--pause is 0 or more.")
    if max_players is not None and not 1 <= max_players <= MOST_PLAYERS:
        usage_error(f"--max-players is a number from 1 to {MOST_PLAYERS:,}.")
    room_size = MAX_PLAYERS if max_players is None else max_players
    if players is not None and not 1 <= players <= room_size:
        usage_error(f"--players is a number from 1 to {room_size:,} (--max-players).")
    if per_address is not None and not 1 <= per_address <= MOST_PLAYERS:
        usage_error(f"--per-address is a number from 1 to {MOST_PLAYERS:,}.")
    if port is not None and not 0 <= port <= 65535:
        usage_error("--port is a number from 0 to 65535.")
    if report is not None and report.suffix.lower() not in (".json", ".csv"):
        usage_error("--report writes a .json or a .csv file.")
    settings = _game_settings(
        seed,
        bank,
        category,
        difficulty,
        tag,
        DEFAULT_COUNT if count is None else count,
        timer,
        players=(),
        turns=TurnOrder.TOGETHER,
        questions=tuple(question or ()),
    )
    messages = _messages(None)
    with exits(messages):
        night = open_quiz_night(
            settings,
            bind=bind,
            port=port,
            code=code,
            start_with=players,
            auto=auto,
            pause=pause,
            report=report,
            save=not no_save,
            data_dir=data_dir,
            max_players=room_size,
            per_address=Limits.per_address if per_address is None else per_address,
        )
        raise typer.Exit(host_game(night, messages))


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

    Exit status: 0 the game ended (or goes on from another terminal), 1 the connection was
    lost or the host removed you, 2 the host refused to let you join, or you chose not to
    take your seat over from another terminal (or a usage error), 130 Ctrl-C.
    """
    from desperado_quiz.ui.joining import JoinRequest
    from desperado_quiz.ui.joining import join as join_game

    messages = _messages("standings" if json_output else None)
    with exits(messages):
        raise typer.Exit(join_game(JoinRequest(address, name, code, json_output), messages))


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
    with_history: Annotated[
        bool,
        typer.Option(
            "--history",
            help="Also warn about questions that the answers in the history show do not "
            "work (see stats --questions).",
            metavar="",
        ),
    ] = False,
    show_notes: Annotated[
        bool,
        typer.Option(
            "--notes",
            help="Also show the notes, advice that never fails a check, such as a question "
            "without a hint (json always has them).",
            metavar="",
        ),
    ] = False,
    data_dir: DataDirOption = None,
) -> None:
    """Check question files: schema, answers, grounding in the source, quality.

    Exit status: 0 no errors, 1 errors (or warnings with --strict), 2 usage error.
    """
    from desperado_quiz.app.validation import validate
    from desperado_quiz.ui.findings import show_report

    form = output_format.value
    messages = _messages("validation" if form == "json" else None)
    with exits(messages):
        report = validate(
            paths,
            with_history=with_history,
            data_dir=data_dir,
            with_coverage=show_coverage,
            keep_banks=form == "junit",
        )
        raise typer.Exit(show_report(report, form, strict, show_notes, messages))


@command()
def new(
    bank_file: Annotated[
        Path | None,
        typer.Argument(
            help="The bank to add to; created if it does not exist. Asked for when omitted.",
            metavar="BANK_FILE",
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
    from desperado_quiz.app.records import recent_games
    from desperado_quiz.ui.history_commands import clear_history, show_history

    form = output_format.value
    messages = _messages("history" if form == "json" and not clear else None)
    with exits(messages):
        if clear:
            raise typer.Exit(clear_history(data_dir, yes, messages))
        show_history(recent_games(limit, player, data_dir), form, messages)


@command()
def stats(
    output_format: Annotated[
        HistoryFormat,
        typer.Option(
            "--format", "-f", help="table, json, or csv (with --questions).", metavar="FORMAT"
        ),
    ] = HistoryFormat.TABLE,
    player: PlayerOption = None,
    bank: Annotated[
        list[str] | None,
        typer.Option(
            "--bank",
            "-b",
            help="The banks whose questions the figures are about (ids, files or folders); "
            "repeatable. Default: every bundled bank.",
            metavar="BANK",
        ),
    ] = None,
    questions: Annotated[
        bool,
        typer.Option(
            "--questions",
            help="For authors: how each question works (right share, discrimination, "
            "wrong picks) and which need a look.",
            metavar="",
        ),
    ] = False,
    data_dir: DataDirOption = None,
) -> None:
    """Your statistics: accuracy by category and difficulty, best games, most missed,
    and what you have learned with `study`."""
    from desperado_quiz.app.records import player_stats, question_figures
    from desperado_quiz.ui.history_commands import show_question_figures, show_stats

    if output_format is HistoryFormat.CSV and not questions:
        usage_error("--format csv is for --questions; use history --format csv for games.")
    form = output_format.value
    kind = "questions" if questions else "stats"
    messages = _messages(kind if form == "json" else None)
    with exits(messages):
        if questions:
            show_question_figures(question_figures(player, bank or (), data_dir), form, messages)
        else:
            show_stats(player_stats(player, bank or (), data_dir), form, messages)


def _complete_export(incomplete: str) -> list[str]:
    return [name for name in registry.names() if name.startswith(incomplete.lower())]


def _complete_import(incomplete: str) -> list[str]:
    return [name for name in registry.names(True) if name.startswith(incomplete.lower())]


@command(
    "export",
    epilog=registry.help_lines(),
)
def export_command(
    output_format: Annotated[
        str,
        typer.Argument(
            help="The format to write (see below).",
            metavar="FORMAT",
            autocompletion=_complete_export,
            show_default=False,
        ),
    ],
    paths: PathsArgument = None,
    output: Annotated[
        str,
        typer.Option(
            "--output",
            "-o",
            help="The file to write; - for stdout (text formats only).",
            metavar="OUT",
            show_default=False,
        ),
    ] = "",
    bank: BankOption = None,
    category: CategoryOption = None,
    difficulty: DifficultyOption = None,
    tag: TagOption = None,
    json_output: Annotated[
        bool,
        typer.Option(
            "--json", help="What was exported, skipped and changed, as JSON on stdout.", metavar=""
        ),
    ] = False,
    seed: Annotated[
        int | None,
        typer.Option(
            "--seed",
            "-s",
            help="Orders the choices where the tool shows them as written (anki, kahoot, "
            "aiken, canvas): the same seed makes the same file. Default: a new one, shown.",
            metavar="N",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Export questions for Anki, Moodle, Kahoot, Canvas, Discord bots and others.

    The bundled banks by default, or the given files and folders, with play's filters.

    A question the format cannot express is skipped with the reason; the end counts
    what was exported, changed and skipped, per reason.
    """
    from desperado_quiz.ui.convert import ExportRequest, run_export

    if not output:
        usage_error("Give the file to write with -o OUT (- for stdout).")
    request = ExportRequest(
        format=output_format,
        specs=[*(str(path) for path in paths or ()), *(bank or ())],
        output=output,
        categories=tuple(category or ()),
        difficulties=tuple(str(level) for level in difficulty or ()),
        tags=tuple(tag or ()),
        json_output=json_output,
        seed=seed,
    )
    with exits():
        raise typer.Exit(run_export(request))


@command(
    "import",
    epilog=registry.help_lines(importable=True),
)
def import_command(
    input_format: Annotated[
        str,
        typer.Argument(
            help="The format of INPUT (see below).",
            metavar="FORMAT",
            autocompletion=_complete_import,
            show_default=False,
        ),
    ],
    input_file: Annotated[
        Path,
        typer.Argument(help="The file to read.", metavar="INPUT", show_default=False),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="The bank file to write, e.g. questions/NAME.toml.",
            metavar="BANK_FILE",
            show_default=False,
        ),
    ] = None,
    bank_id: Annotated[
        str | None,
        typer.Option(
            "--bank-id",
            help="The new bank's id. Default: from the file name.",
            metavar="ID",
            show_default=False,
        ),
    ] = None,
    source: Annotated[
        Path | None,
        typer.Option(
            "--source",
            help="The bank's source document: each question gets its closest passage as a "
            "commented suggestion of evidence.",
            metavar="DOCUMENT",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace BANK_FILE if it exists.", metavar="")
    ] = False,
    json_output: Annotated[
        bool,
        typer.Option("--json", help="What was imported and the findings, as JSON.", metavar=""),
    ] = False,
) -> None:
    """Import questions from another tool into a new bank file, then validate it.

    Imported questions have no evidence until an author adds it: validate says so.

    Broken input: exit status 2, the line and what was expected; nothing is written.
    """
    from desperado_quiz.ui.convert import ImportRequest, run_import

    if output is None:
        usage_error("Give the bank file to write with -o BANK_FILE, e.g. questions/new.toml.")
    request = ImportRequest(input_format, input_file, output, bank_id, source, force, json_output)
    with exits():
        raise typer.Exit(run_import(request))


class SchemaKind(StrEnum):
    BANK = "bank"
    BANKS = "banks"
    EXPORT = "export"
    GAME = "game"
    IMPORT = "import"
    HISTORY = "history"
    STANDINGS = "standings"
    STATS = "stats"
    QUESTIONS = "questions"
    VALIDATION = "validation"


@command()
def schema(
    kind: Annotated[
        SchemaKind,
        typer.Argument(
            help="bank: a question file; or a JSON document of list, play, history, stats, "
            "validate, export, import or join (see docs/json.md).",
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
    """The entry point. A bug of ours ends in one line that says so, not a traceback
    (DESPERADO_QUIZ_DEBUG=1 shows it)."""
    import os

    # Pydantic looks for plugins (observability hooks) through every installed
    # package's metadata the first time a model is built: ~10 ms that a quiz never uses.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        app()
    except KeyboardInterrupt:  # while Typer builds the commands, before Click's own guard
        sys.exit(130)  # ExitCode.INTERRUPTED
    except BrokenPipeError:  # `validate | head`: the reader went away, no bug of ours
        from desperado_quiz.outputs import discard_stdout

        discard_stdout()  # so that the interpreter's own flush at exit fails nowhere
        sys.exit(141)  # ExitCode.OUTPUT_CLOSED
    except Exception as error:  # the last line of defence
        if os.environ.get("DESPERADO_QUIZ_DEBUG"):
            raise
        from desperado_quiz.exitcodes import ExitCode
        from desperado_quiz.text import visible

        sys.stderr.write(
            f"desperado-quiz: internal error ({type(error).__name__}: {visible(str(error))}). "
            "This is a bug: please report it with the command you ran; "
            "DESPERADO_QUIZ_DEBUG=1 shows the details.\n"
        )
        sys.exit(ExitCode.INTERNAL)
