"""`desperado-quiz play` in a terminal: load, select, drive the engine, save, report.

The rules live in the game package; this module only connects it to the files, the
history, the screen and the keyboard, and turns the end of a game into an exit status.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType

from rich.console import Console
from rich.text import Text

from desperado_quiz.exitcodes import ExitCode
from desperado_quiz.game import (
    Engine,
    GameResult,
    GameSettings,
    NoQuestions,
    Selection,
    Status,
    TurnOrder,
    pick_questions,
    review_keys,
    select_questions,
)
from desperado_quiz.game.results import game_json
from desperado_quiz.history import History, HistoryError, game_records
from desperado_quiz.loader import LoadedBank
from desperado_quiz.paths import history_path
from desperado_quiz.text import normalise_answer, visible
from desperado_quiz.ui.banks import load_or_fail
from desperado_quiz.ui.console import LineReader, Terminated, console, error_console
from desperado_quiz.ui.history import best_notice
from desperado_quiz.ui.messages import Messages
from desperado_quiz.ui.play import Screen, drive

STATUS_EXIT = {
    Status.INTERRUPTED: ExitCode.INTERRUPTED,
    Status.TERMINATED: ExitCode.TERMINATED,
    Status.OUTPUT_CLOSED: ExitCode.OUTPUT_CLOSED,
}


@dataclass(frozen=True)
class PlayRequest:
    settings: GameSettings
    json_output: bool = False
    save: bool = True
    data_dir: Path | None = None
    count_given: bool = False  # -n was given: say so when fewer questions can be played


def play(request: PlayRequest) -> ExitCode:
    settings = request.settings
    messages = Messages("game" if request.json_output else None)
    out = error_console if request.json_output else console
    loaded = load_or_fail(settings.banks, messages)
    history = History(history_path(request.data_dir))
    selection = choose(loaded.banks, settings, history, messages, out, request.count_given)
    if selection is None:  # nothing to review
        return ExitCode.OK
    for note in selection.notes:
        messages.warn(note)
    engine = Engine(selection.asked, settings, notes=selection.notes)
    started = datetime.now(UTC)
    result = run_in_terminal(engine, out)
    with signals_held() as held:  # a signal now must not cut the save short
        if request.save:
            save(history, result, (started, datetime.now(UTC)), out, messages)
        messages.emit(game_json(result))
    return held_exit(held) or exit_code(result, out)


def run_in_terminal(engine: Engine, out: Console) -> GameResult:
    """Drive the engine on this terminal; SIGTERM ends the game as Ctrl-C does."""
    with _sigterm_ends_the_game():
        return drive(engine, Screen(out, len(engine.sessions) > 1), LineReader(out))


def choose(
    banks: Sequence[LoadedBank],
    settings: GameSettings,
    history: History,
    messages: Messages,
    out: Console,
    count_given: bool = True,
) -> Selection | None:
    """The game's questions: named, reviewed or drawn by the filters."""
    only = None
    if settings.review:
        only = _review(banks, settings.players[0], history, messages, out)
        if not only:
            return None
    try:
        if settings.questions:
            return pick_questions(banks, settings.questions, settings.seed)
        return select_questions(
            banks,
            seed=settings.seed,
            count=settings.count,
            categories=settings.categories,
            difficulties=settings.difficulties,
            tags=settings.tags,
            only=only,
            count_given=count_given,
        )
    except NoQuestions as error:
        messages.fail(f"{error}.", hint=filter_hint(banks, settings))


def _review(
    banks: Sequence[LoadedBank], player: str, history: History, messages: Messages, out: Console
) -> set[tuple[str, str]]:
    try:
        missed = history.missed(player)
        games = history.recent(limit=1, player=player).value
    except HistoryError as error:
        messages.fail(
            f"cannot review: {error}", ExitCode.FAILED, "Play without --review meanwhile."
        )
    for notice in missed.notices:
        messages.warn(notice)
    keys = review_keys(missed.value, banks)
    if not keys:
        reason = (
            f"Nothing to review: {player} has no games in the history yet."
            if not games
            else "Nothing to review: every question you missed has been answered right since."
        )
        out.print(Text(reason, style="good"))
        messages.warnings.append(reason)
        messages.emit(None)
    return keys


def filter_hint(banks: Sequence[LoadedBank], settings: GameSettings) -> str:
    """What the filters could have been: the values of the filters that were given."""
    questions = [q for bank in banks for q in bank.questions]
    values: dict[str, list[str]] = {
        "Categories": sorted({q.category for q in questions}),
        "Difficulties": sorted({q.difficulty for q in questions}),
        "Tags": sorted({t for q in questions for t in q.tags}),
    }
    given: dict[str, tuple[str, ...]] = {
        "Categories": settings.categories,
        "Difficulties": settings.difficulties,
        "Tags": settings.tags,
    }
    wanted = [name for name, chosen in given.items() if chosen] or ["Categories"]
    guesses = [
        f"'{visible(value)}' is not one; did you mean '{guess}'?"
        for name in wanted
        for value in given[name]
        if (guess := closest_value(value, values[name]))
    ]
    listed = [f"{name}: {', '.join(values[name]) or '(none)'}." for name in wanted]
    return " ".join(guesses + listed)


def closest_value(given: str, values: Sequence[str]) -> str | None:
    """The value ``given`` was probably meant to be: one that contains it as whole words
    ("cast" for "Cast & crew"), or is spelt nearly like it. None when it is one of
    ``values`` (another filter emptied the game) or nothing is close."""
    import difflib

    folded = {value.casefold(): value for value in values}
    wanted = normalise_answer(given)
    if given.casefold() in folded or not wanted:
        return None
    containing = [v for v in values if f" {wanted} " in f" {normalise_answer(v)} "]
    if len(containing) == 1:
        return containing[0]
    close = difflib.get_close_matches(given.casefold(), list(folded), n=1, cutoff=0.6)
    return folded[close[0]] if close else None


def save(
    history: History,
    result: GameResult,
    times: tuple[datetime, datetime],
    out: Console,
    messages: Messages,
) -> None:
    """Record each player's game and say when it is a personal best (for games at one
    keyboard: a study session is not a game to beat, and a quiz night has its own
    podium). Never fatal."""
    try:
        noted = history.record(game_records(result, *times))
    except HistoryError as error:
        messages.warn(f"{error}; this game was not saved.")
        return
    for notice in noted.notices:
        messages.warn(notice)
    with contextlib.suppress(BrokenPipeError):
        for summary, previous in zip(result.players, noted.value, strict=True):
            if summary.outcomes and at_one_keyboard(result.settings):
                out.print(best_notice(summary.score, previous, summary.player))


def at_one_keyboard(settings: GameSettings) -> bool:
    return settings.mode == "play" and settings.turns is not TurnOrder.TOGETHER


def exit_code(result: GameResult, out: Console) -> ExitCode:
    if result.status in STATUS_EXIT:
        return STATUS_EXIT[result.status]
    if result.passed is False:
        with contextlib.suppress(BrokenPipeError):
            out.print(
                Text(
                    f"Below the pass mark of {result.settings.pass_mark:g}% "
                    "(questions not answered count as not right).",
                    style="bad",
                )
            )
        return ExitCode.FAILED
    return ExitCode.OK


def held_exit(held: list[int]) -> ExitCode | None:
    """The exit status a signal held back asks for, if one came."""
    if not held:
        return None
    return ExitCode.INTERRUPTED if held[0] == signal.SIGINT else ExitCode.TERMINATED


@contextlib.contextmanager
def signals_held() -> Iterator[list[int]]:
    """Ctrl-C, SIGTERM and SIGHUP are noted, not obeyed, until the block ends."""
    held: list[int] = []

    def hold(number: int, _frame: FrameType | None) -> None:
        held.append(number)

    try:
        previous = {number: signal.signal(number, hold) for number in _STOPPING}
    except ValueError:  # not the main thread
        yield held
        return
    try:
        yield held
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


# SIGHUP: the terminal was closed. Like SIGTERM, the game ends and is saved.
_STOPPING = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@contextlib.contextmanager
def _sigterm_ends_the_game() -> Iterator[None]:
    """SIGTERM, or SIGHUP when the terminal is closed, ends the game like Ctrl-C: what
    was answered is kept and saved."""

    def terminate(_signal: int, _frame: FrameType | None) -> None:
        raise Terminated

    try:
        previous = {number: signal.signal(number, terminate) for number in _ENDING}
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


_ENDING = (signal.SIGTERM, signal.SIGHUP)
