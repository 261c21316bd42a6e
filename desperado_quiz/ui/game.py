"""A game in a terminal: the app's ``Game`` driven on this screen and keyboard, then
what saving it did, the JSON document and the exit status.

The rules live in the game package, the loading and saving in the application layer;
this module only shows and reads.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from types import FrameType

from rich.console import Console
from rich.text import Text

from desperado_quiz.app.games import Game, NothingToPlay, Saved, exit_status
from desperado_quiz.exitcodes import ExitCode
from desperado_quiz.game import Engine, GameResult
from desperado_quiz.game.results import game_json
from desperado_quiz.ui.console import LineReader, Terminated
from desperado_quiz.ui.history import best_notice
from desperado_quiz.ui.messages import Messages
from desperado_quiz.ui.play import Screen, drive


def play(game: Game | NothingToPlay, messages: Messages, out: Console) -> ExitCode:
    """Play ``game`` here, save it, and say how it ended."""
    if isinstance(game, NothingToPlay):
        messages.warn_all(game.notices)
        nothing(game.reason, messages, out)
        return ExitCode.OK
    messages.warn_all(game.notes)
    result = run_in_terminal(game.engine, out)
    with signals_held() as held:  # a signal now must not cut the save short
        show_saved(game.save(result), out, messages)
        messages.emit(game_json(result))
    return held_exit(held) or ending(result, out)


def nothing(reason: str, messages: Messages, out: Console) -> None:
    """Nothing to play, and why: on the screen, and in the JSON document's warnings."""
    out.print(Text(reason, style="good"))
    messages.warnings.append(reason)
    messages.emit(None)


def run_in_terminal(engine: Engine, out: Console) -> GameResult:
    """Drive the engine on this terminal; SIGTERM ends the game as Ctrl-C does."""
    with _sigterm_ends_the_game():
        return drive(engine, Screen(out, len(engine.sessions) > 1), LineReader(out))


def show_saved(saved: Saved, out: Console, messages: Messages) -> None:
    """Why the game was not saved, what to know about the history, and the bests."""
    if saved.failure:
        messages.warn(saved.failure)
    messages.warn_all(saved.notices)
    with contextlib.suppress(BrokenPipeError):
        for best in saved.bests:
            out.print(best_notice(best.score, best.previous, best.player))


def ending(result: GameResult, out: Console) -> ExitCode:
    """The exit status of a game that ended, and why it is 1 when it is."""
    code = exit_status(result)
    if code is ExitCode.FAILED:
        with contextlib.suppress(BrokenPipeError):
            out.print(
                Text(
                    f"Below the pass mark of {result.settings.pass_mark:g}% "
                    "(questions not answered count as not right).",
                    style="bad",
                )
            )
    return code


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
