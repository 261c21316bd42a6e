"""What the history holds, as calls: recent games, statistics, how each question does
with real players, and clearing it. Each result carries the history's notices (a damaged
file set aside, say); a history that cannot be read at all is a ``CommandError``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from desperado_quiz.app.errors import CommandError
from desperado_quiz.exitcodes import ExitCode
from desperado_quiz.history import GameRow, History, HistoryError, Noted, Stats
from desperado_quiz.paths import history_path
from desperado_quiz.values import frozen
from desperado_quiz.vocabulary import DEFAULT_PLAYER

if TYPE_CHECKING:
    from desperado_quiz.analytics import QuestionStatsJSON
    from desperado_quiz.study import LearningJSON

T = TypeVar("T")


@frozen
class Recent:
    games: list[GameRow]
    notices: list[str] = field(default_factory=list)


@frozen
class PlayerStats:
    """`stats`: the numbers, the player's cards (None when they never studied), and
    the text of each question named, by (bank, id), for those who show them."""

    numbers: Stats
    learning: LearningJSON | None
    learner: str
    texts: dict[tuple[str, str], str] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)


@frozen
class QuestionFigures:
    """`stats --questions`: each question's figures, with enough answers to judge it."""

    figures: list[QuestionStatsJSON]
    notices: list[str] = field(default_factory=list)


def _history(data_dir: Path | None) -> History:
    return History(history_path(data_dir))


def _spelt(player: str | None, data_dir: Path | None) -> str | None:
    """``player`` as the history spells it (any case finds them), or None: everyone."""

    return None if player is None else known_spellings(_history(data_dir), [player])[0][0]


def _read(action: Callable[[], Noted[T]], notices: list[str]) -> T:
    try:
        noted = action()
    except HistoryError as error:
        raise CommandError(str(error), code=ExitCode.FAILED, notices=notices) from None
    notices.extend(noted.notices)
    return noted.value


def recent_games(
    limit: int = 20, player: str | None = None, data_dir: Path | None = None
) -> Recent:
    """The latest games, newest first (one player's when ``player`` is given)."""
    notices: list[str] = []
    player = _spelt(player, data_dir)
    games = _read(lambda: _history(data_dir).recent(limit, player), notices)
    return Recent(games, notices)


def history_file(data_dir: Path | None = None) -> Path | None:
    """The history's file, when there is one to clear."""
    history = _history(data_dir)
    return history.path if _read(lambda: Noted(history.exists()), []) else None


def clear_history(data_dir: Path | None = None) -> Path | None:
    """Delete every game; returns where the copy kept of it is (None: nothing to clear)."""
    return _read(_history(data_dir).clear, [])


def player_stats(
    player: str | None = None, banks: Sequence[str] = (), data_dir: Path | None = None
) -> PlayerStats:
    """Accuracy by category and difficulty, best games, most missed questions, and the
    player's cards; ``banks`` name the banks whose questions they are (all bundled)."""
    history = _history(data_dir)
    notices: list[str] = []
    player = _spelt(player, data_dir)
    numbers = _read(lambda: history.stats(player), notices)
    learner = player or DEFAULT_PLAYER
    cards, _ = _read(lambda: history.cards(learner), notices)
    if not numbers["games"] and not cards:  # the banks only when there is something to say
        return PlayerStats(numbers, None, learner, notices=notices)
    from desperado_quiz import study
    from desperado_quiz.app.banks import load

    questions = study.questions_by_key(load(banks).banks)
    texts = {key: question.question for key, question in questions.items()}
    learning = study.learning(cards, questions, study.clock()) if cards else None
    return PlayerStats(numbers, learning, learner, texts, notices)


def question_figures(
    player: str | None = None, banks: Sequence[str] = (), data_dir: Path | None = None
) -> QuestionFigures:
    """Item analysis of every question with enough answers (in the games of ``player``,
    or of everyone): its right share, discrimination and wrong picks, and its flags."""
    from desperado_quiz import analytics, study
    from desperado_quiz.app.banks import load

    notices: list[str] = []
    player = _spelt(player, data_dir)
    answers = _read(lambda: _history(data_dir).answers(player), notices)
    questions = study.questions_by_key(load(banks).banks)
    return QuestionFigures(analytics.question_stats(answers, questions), notices)


def known_spellings(history: History, names: Sequence[str]) -> tuple[tuple[str, ...], list[str]]:
    """Each name as the history already spells it, whatever the case typed ("player"
    after games as "Player" keeps Player's bests, cards and statistics), and what to
    know about the history. One that cannot be read leaves the names as they are
    (saving will say why)."""
    spelt: list[str] = []
    notices: list[str] = []
    for name in names:
        try:
            noted = history.spelling(name)
        except HistoryError:
            return tuple(names), notices
        spelt.append(noted.value)
        notices += noted.notices
    return tuple(spelt), notices
