"""A game: its questions chosen, an engine to drive turn by turn, and its saving.

``start_game`` does what comes before the first question (load the banks, read the
history for a review, draw the questions); the caller drives ``Game.engine`` (see
``desperado_quiz.game.Engine``: lines in, events out), then ``Game.save`` keeps every
player's game in the history and says which scores are personal bests.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from desperado_quiz.app.banks import load
from desperado_quiz.app.errors import CommandError
from desperado_quiz.app.records import known_spellings
from desperado_quiz.exitcodes import ExitCode
from desperado_quiz.game import (
    Engine,
    Event,
    GameResult,
    GameSettings,
    NoQuestions,
    Selection,
    Status,
    TurnOrder,
    Waiting,
    pick_questions,
    review_keys,
    select_questions,
)
from desperado_quiz.history import History, HistoryError, game_records
from desperado_quiz.loader import LoadedBank
from desperado_quiz.paths import history_path
from desperado_quiz.related import Relation
from desperado_quiz.text import closest_value, visible
from desperado_quiz.values import frozen

STATUS_EXIT = {
    Status.INTERRUPTED: ExitCode.INTERRUPTED,
    Status.TERMINATED: ExitCode.TERMINATED,
    Status.OUTPUT_CLOSED: ExitCode.OUTPUT_CLOSED,
}


@frozen
class Best:
    """A player's score beside their best before it, for the same banks and settings."""

    player: str
    score: int
    previous: int | None  # None: their first game of this kind


@frozen
class Saved:
    """What saving a game did: the players' bests (those who answered something, in a
    game at one keyboard), what to know about the history, or why it was not saved."""

    bests: list[Best] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    failure: str | None = None  # set when nothing was saved


class Driven:
    """Something played through the game engine, a line at a time (the engine itself
    is ``engine``, for those who need every part of it)."""

    engine: Engine

    def start(self) -> list[Event]:
        """The first events: the first question (and whose turn it is)."""
        return self.engine.start()

    def send(self, line: str) -> list[Event]:
        """A line the player typed (an answer, ``?``, ``skip``, ``quit``), and what it
        made happen: the answer judged, the next question, the game over..."""
        return self.engine.receive(line)

    @property
    def over(self) -> bool:
        return self.engine.waiting is Waiting.NOTHING

    @property
    def result(self) -> GameResult:
        """The result, once it is ``over``."""
        return self.engine.result


@dataclass
class Game(Driven):
    """A game ready to play. ``notes`` are for the players before the first question."""

    engine: Engine
    notes: list[str]
    history: History
    keep: bool = True  # False: the game stays out of the history
    started: datetime = field(default_factory=lambda: datetime.now(UTC))

    def save(self, result: GameResult, ended: datetime | None = None) -> Saved:
        """Every player's game, in one transaction; never raises (a history that cannot
        be written only means this game is not kept)."""
        if not self.keep:
            return Saved()
        return save_game(self.history, result, (self.started, ended or datetime.now(UTC)))


@frozen
class NothingToPlay:
    """A review with nothing to review: why, in words for the player."""

    reason: str
    notices: list[str] = field(default_factory=list)


def start_game(
    settings: GameSettings,
    *,
    data_dir: Path | None = None,
    save: bool = True,
    count_given: bool = True,
) -> Game | NothingToPlay:
    """Load the banks ``settings`` names and draw the game's questions (or replay the
    ones it names, or review the ones the player missed).

    ``count_given`` says that the count was asked for rather than the default, so that
    a game that plays fewer says so. Raises ``CommandError`` when there is nothing to
    play or the question files are broken."""
    loaded = load(settings.banks)
    banks = loaded.banks
    history = History(history_path(data_dir))
    players, notices = known_spellings(history, settings.players)
    settings = replace(settings, players=players)
    only = None
    if settings.review:
        only, missed_notices = review_questions(banks, settings.players[0], history)
        notices += missed_notices
        if not only:
            return NothingToPlay(_nothing_to_review(history, settings.players[0]), notices)
    selection = choose(banks, settings, only, count_given, loaded.relation())
    engine = Engine(selection.asked, settings, notes=selection.notes)
    return Game(engine, [*notices, *selection.notes], history, save)


def choose(
    banks: Sequence[LoadedBank],
    settings: GameSettings,
    only: set[tuple[str, str]] | None = None,
    count_given: bool = True,
    relation: Relation | None = None,
) -> Selection:
    """The game's questions: named, or drawn by the filters (within ``only``).
    ``relation`` is the banks' (worked out when not given)."""
    if settings.questions:
        try:
            return pick_questions(banks, settings.questions, settings.seed, relation)
        except NoQuestions as error:
            raise CommandError(f"{error}.", _id_hint(banks, settings.questions)) from None
    try:
        return select_questions(
            banks,
            seed=settings.seed,
            count=settings.count,
            categories=settings.categories,
            difficulties=settings.difficulties,
            tags=settings.tags,
            only=only,
            count_given=count_given,
            relation=relation,
        )
    except NoQuestions as error:
        raise CommandError(f"{error}.", filter_hint(banks, settings)) from None


def _id_hint(banks: Sequence[LoadedBank], references: Sequence[str]) -> str:
    """The id a reference was probably meant to be, and where to find them all."""
    ids = sorted({q.id for bank in banks for q in bank.questions})
    guesses = [
        f"'{visible(reference)}' is not one; did you mean '{guess}'?"
        for reference in references
        if (guess := closest_value(reference.rpartition(":")[2], ids))
    ]
    return " ".join([*guesses[:1], "Give a question's id, as BANK:ID or ID alone."])


def review_questions(
    banks: Sequence[LoadedBank], player: str, history: History
) -> tuple[set[tuple[str, str]], list[str]]:
    """The questions ``player`` missed and has not answered right since, that still
    exist in these banks; and the history's notices."""
    try:
        missed = history.missed(player)
    except HistoryError as error:
        raise CommandError(
            f"cannot review: {error}", "Play without --review meanwhile.", ExitCode.FAILED
        ) from None
    return review_keys(missed.value, banks), list(missed.notices)


def _nothing_to_review(history: History, player: str) -> str:
    try:
        played = bool(history.recent(limit=1, player=player).value)
    except HistoryError:
        played = True
    if not played:
        return f"Nothing to review: {player} has no games in the history yet."
    return "Nothing to review: every question you missed has been answered right since."


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


def save_game(history: History, result: GameResult, times: tuple[datetime, datetime]) -> Saved:
    """Record each player's game; the bests are for games at one keyboard (a study
    session is not a game to beat, and a quiz night has its own podium)."""
    try:
        noted = history.record(game_records(result, *times))
    except HistoryError as error:
        return Saved(failure=f"{error}; this game was not saved.")
    bests = [
        Best(summary.player, summary.score, previous)
        for summary, previous in zip(result.players, noted.value, strict=True)
        if summary.outcomes and at_one_keyboard(result.settings)
    ]
    return Saved(bests, list(noted.notices))


def at_one_keyboard(settings: GameSettings) -> bool:
    return settings.mode == "play" and settings.turns is not TurnOrder.TOGETHER


def exit_status(result: GameResult) -> ExitCode:
    """0 the game ended; 1 below the pass mark; 130, 141, 143 how it was stopped."""
    if result.status in STATUS_EXIT:
        return STATUS_EXIT[result.status]
    return ExitCode.FAILED if result.passed is False else ExitCode.OK
