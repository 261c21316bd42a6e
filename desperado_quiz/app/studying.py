"""A study session: the questions due for a player, through the same engine as a game;
then each answer grades its question's card (``desperado_quiz.study`` and FSRS do the
scheduling, this module only reads and writes the cards)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from desperado_quiz import study
from desperado_quiz.app.banks import load
from desperado_quiz.app.errors import CommandError
from desperado_quiz.app.games import Driven, Saved, filter_hint, save_game
from desperado_quiz.app.records import known_spellings
from desperado_quiz.exitcodes import ExitCode
from desperado_quiz.game import Engine, GameResult, GameSettings, Selection, select_questions
from desperado_quiz.game.select import matching
from desperado_quiz.history import CardRow, History, HistoryError
from desperado_quiz.loader import LoadedBank
from desperado_quiz.paths import history_path
from desperado_quiz.related import Relation
from desperado_quiz.text import plural, visible


@dataclass(frozen=True)
class Studied:
    """What the end of a session did: the game saved, and when these questions are due
    again (None when cramming, which changes no schedule)."""

    saved: Saved
    next_review: str | None = None  # in words: "in 3 days"
    notices: list[str] = field(default_factory=list)


@dataclass
class StudySession(Driven):
    """The session's engine (drive it as a game's), and what to tell the player first:
    ``notices`` about the history, ``notes`` about their cards."""

    engine: Engine
    notices: list[str]
    notes: list[str]
    history: History
    player: str
    cramming: bool
    started: datetime

    def finish(self, result: GameResult) -> Studied:
        """Save the session as a game, then (unless cramming) grade each answer's card."""
        ended = study.clock()
        saved = save_game(self.history, result, (self.started, ended))
        if self.cramming:
            return Studied(saved)
        outcomes = [o for summary in result.players for o in summary.outcomes]
        try:
            noted = self.history.update_cards(
                self.player, lambda cards: study.apply(cards, outcomes, ended)
            )
        except HistoryError as error:
            failure = f"{error}; the answers were not used to schedule the questions."
            return Studied(saved, notices=[failure])
        soonest = study.next_due(noted.value)
        when = study.in_words(soonest, ended) if soonest is not None else None
        return Studied(saved, when, list(noted.notices))


@dataclass(frozen=True)
class NothingDue:
    """Nothing to study now: why, and when there will be, in words for the player."""

    reason: str
    notices: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def start_study(
    settings: GameSettings,
    *,
    new_per_day: int = study.DEFAULT_NEW_PER_DAY,
    data_dir: Path | None = None,
) -> StudySession | NothingDue:
    """The due questions, then new ones up to the day's allowance (``settings.mode`` is
    "study"); or, cramming ("cram"), any questions within the filters."""
    loaded = load(settings.banks)
    banks = loaded.banks
    history = History(history_path(data_dir))
    players, spelling_notices = known_spellings(history, settings.players)
    settings = replace(settings, players=players)
    player = settings.players[0]
    now = study.clock()
    cards, notices, notes = player_cards(history, player, banks)
    notices = spelling_notices + notices
    selection = choose(banks, settings, cards, new_per_day, now, loaded.relation())
    if not selection.asked:
        filters = (settings.categories, settings.difficulties, settings.tags)
        unseen = len(study.unseen(cards, matching(banks, *filters)))
        return NothingDue(nothing_due(cards, unseen, new_per_day, now), notices, notes)
    engine = Engine(selection.asked, settings)
    cramming = settings.mode != "study"
    return StudySession(engine, notices, notes, history, player, cramming, now)


def player_cards(
    history: History, player: str, banks: Sequence[LoadedBank]
) -> tuple[list[CardRow], list[str], list[str]]:
    """The player's cards, the history's notices, and what to tell them of their cards:
    on a first study, their earlier answers are replayed into new cards."""
    notes: list[str] = []
    try:
        noted = history.cards(player)
        cards, seeded = noted.value
        if not seeded:
            answers = history.answers(player).value
            questions = study.questions_by_key(banks)
            made = history.update_cards(
                player, lambda current: [] if current else study.replay(answers, questions)
            ).value
            if made:
                cards = made
                notes.append(
                    f"{plural(len(made), 'question')} {visible(player)} answered in earlier "
                    "games start from what those answers showed."
                )
    except HistoryError as error:
        raise CommandError(f"cannot study: {error}", code=ExitCode.FAILED) from None
    return cards, list(noted.notices), notes


def choose(
    banks: Sequence[LoadedBank],
    settings: GameSettings,
    cards: Sequence[CardRow],
    new_per_day: int,
    now: datetime,
    relation: Relation | None = None,
) -> Selection:
    """The due questions, then new ones up to the day's allowance, within the filters,
    in the seed's order; or, cramming, any questions within the filters. Related
    questions are kept apart as in any game, a due one before a new one: the ones passed
    over stay due for a later session."""
    filters = (settings.categories, settings.difficulties, settings.tags)
    candidates = matching(banks, *filters)
    if not candidates:
        raise CommandError(
            "no question matches these banks and filters.", filter_hint(banks, settings)
        )
    if settings.mode != "study":
        return replace(
            select_questions(
                banks,
                seed=settings.seed,
                count=settings.count,
                only=candidates,
                relation=relation,
            ),
            notes=[],
        )
    due = study.due_keys(cards, now) & candidates
    unseen = study.unseen(cards, candidates)
    allowance = study.new_allowance(cards, now, new_per_day)
    if not due and not (unseen and allowance):
        return Selection([])
    drawn = select_questions(
        banks, seed=settings.seed, count=None, only=due | unseen, first=due, relation=relation
    )
    asked = []
    for item in drawn.asked:
        if item.key in due:
            asked.append(item)
        elif allowance:
            asked.append(item)
            allowance -= 1
    return Selection(asked[: settings.count])


def nothing_due(cards: Sequence[CardRow], unseen: int, new_per_day: int, now: datetime) -> str:
    """Why there is nothing to study, and when there will be."""
    soonest = study.next_due(cards)
    parts = ["Nothing is due."]
    if unseen > 0:
        today = study.introduced_on(cards, now)
        parts.append(
            f"Today's new questions are used up ({today} of --new {new_per_day}); "
            f"{plural(unseen, 'question')} you have never studied remain for the coming days."
        )
    if soonest:
        parts.append(f"The next question falls due {study.in_words(soonest, now)}.")
    elif not unseen:
        parts.append("Every question of these banks and filters has been studied.")
    return " ".join(parts)
