"""A game: which questions, in which order, and how each answer scores.

``select_questions`` picks and shuffles by seed; ``Session`` asks them one at a time,
judges answers with the matcher, keeps score and streaks, and times answers against an
injected clock. No terminal I/O happens here: the Rich interface in ``ui.play`` drives it.
"""

from __future__ import annotations

import random
import shlex
import time
from collections import Counter, deque
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from desperado_quiz.loader import LoadedBank
from desperado_quiz.matching import Answer, Invalid, interpret
from desperado_quiz.model import AnyQuestion, ChoiceQuestion, MultiQuestion, OrderQuestion
from desperado_quiz.related import related_pairs, spread_out
from desperado_quiz.scoring import Points, award

Clock = Callable[[], float]
DEFAULT_COUNT = 10
RATINGS = (  # (lowest accuracy, rating), best first
    (1.0, "Legendary: El Mariachi would tip his hat to you."),
    (0.8, "Sharpshooter: a guitar case full of right answers."),
    (0.6, "Gunslinger: you know your way around the cantina."),
    (0.4, "Bar-room regular: time to rewatch the bar shootout."),
    (0.0, "Tenderfoot: Desperado is streaming, go and watch it."),
)


class NoQuestions(Exception):
    """The banks and filters leave nothing to ask."""


class Verdict(StrEnum):
    RIGHT = "right"
    PARTIAL = "partial"
    WRONG = "wrong"
    LATE = "late"
    SKIPPED = "skipped"


class Status(StrEnum):
    PLAYING = "playing"
    FINISHED = "finished"
    QUIT = "quit"
    END_OF_INPUT = "end-of-input"
    INTERRUPTED = "interrupted"


@dataclass(frozen=True)
class Asked:
    """A question as this game shows it: its bank, and its options in shown order."""

    bank_id: str
    question: AnyQuestion
    options: tuple[str, ...] = ()
    attempt: int = 1

    @property
    def key(self) -> tuple[str, str]:
        return (self.bank_id, self.question.id)


@dataclass(frozen=True)
class Outcome:
    asked: Asked
    given: str
    verdict: Verdict
    credit: float
    points: Points
    hinted: bool
    seconds: float
    streak: int

    @property
    def correct(self) -> bool:
        return self.verdict is Verdict.RIGHT

    def to_dict(self) -> dict[str, Any]:
        q = self.asked.question
        return {
            "bank": self.asked.bank_id,
            "id": q.id,
            "type": q.type,
            "category": q.category,
            "difficulty": q.difficulty,
            "question": q.question,
            "attempt": self.asked.attempt,
            "given": self.given,
            "answer": q.answer_text,
            "verdict": str(self.verdict),
            "correct": self.correct,
            "credit": round(self.credit, 3),
            "points": self.points.total,
            "streak_bonus": self.points.streak_bonus,
            "hinted": self.hinted,
            "seconds": round(self.seconds, 2),
        }


@dataclass(frozen=True)
class GameSettings:
    """Everything that decides which game is played, as given on the command line."""

    seed: int
    banks: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    difficulties: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    count: int = DEFAULT_COUNT
    timer: float | None = None
    players: tuple[str, ...] = ("Player",)
    practice: bool = False
    review: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "banks": list(self.banks),
            "categories": list(self.categories),
            "difficulties": list(self.difficulties),
            "tags": list(self.tags),
            "count": self.count,
            "timer": self.timer,
            "players": list(self.players),
            "practice": self.practice,
            "review": self.review,
        }

    def replay_line(self) -> str:
        """``replay_command`` as one line to paste into a shell."""
        return shlex.join(self.replay_command())

    def replay_command(self) -> list[str]:
        """The command line that plays this game again."""
        args = ["desperado-quiz", "play", "--seed", str(self.seed), "-n", str(self.count)]
        for option, values in (
            ("--bank", self.banks),
            ("--category", self.categories),
            ("--difficulty", self.difficulties),
            ("--tag", self.tags),
        ):
            for value in values:
                args += [option, value]
        if self.players != ("Player",):
            for player in self.players:
                args += ["--player", player]
        if self.timer:
            args += ["--timer", f"{self.timer:g}"]
        if self.practice:
            args.append("--practice")
        return args


@dataclass(frozen=True)
class Turn:
    """One player's part of a game, with wall-clock times for the history."""

    summary: Summary
    started_at: datetime
    ended_at: datetime


def new_seed() -> int:
    return random.SystemRandom().randrange(1, 1_000_000)


def _matches(question: AnyQuestion, wanted: Collection[str], value: Iterable[str]) -> bool:
    if not wanted:
        return True
    folded = {w.casefold() for w in wanted}
    return any(v.casefold() in folded for v in value)


def select_questions(
    banks: Sequence[LoadedBank],
    *,
    seed: int,
    count: int | None = DEFAULT_COUNT,
    categories: Collection[str] = (),
    difficulties: Collection[str] = (),
    tags: Collection[str] = (),
    only: Collection[tuple[str, str]] | None = None,
) -> list[Asked]:
    """The questions of a game: filtered, then shuffled and cut by ``seed``.

    Candidates are sorted by bank and id first, so the same seed gives the same game
    whatever the order of files on disk. ``only`` limits to (bank id, question id) keys.
    A game never holds two related questions (see ``related``): one that would give
    away, or be given away by, a question already drawn is passed over.
    """
    everything = sorted(
        ((bank.id, q) for bank in banks for q in bank.questions),
        key=lambda pair: (pair[0], pair[1].id),
    )
    candidates = [
        position
        for position, (bank_id, q) in enumerate(everything)
        if _matches(q, categories, [q.category])
        and _matches(q, difficulties, [q.difficulty])
        and _matches(q, tags, q.tags)
        and (only is None or (bank_id, q.id) in only)
    ]
    if not candidates:
        raise NoQuestions("no question matches these banks and filters")
    random.Random(seed).shuffle(candidates)
    # Related over every loaded question, so that filters never change what is common.
    pairs = related_pairs([q for _, q in everything])
    chosen = [everything[position] for position in spread_out(candidates, pairs, count or None)]
    return [Asked(bank_id, q, shuffled_options(q, seed)) for bank_id, q in chosen]


def shuffled_options(question: AnyQuestion, seed: int) -> tuple[str, ...]:
    """Choices (or items to order) in the order this seed shows them.

    Seeded by the question's id too, so a question looks the same in every game with
    this seed, whichever other questions were picked.
    """
    match question:
        case ChoiceQuestion() | MultiQuestion():
            items = list(question.choices)
        case OrderQuestion():
            items = list(question.answer)
        case _:
            return ()
    rng = random.Random(f"{seed}:{question.id}")
    rng.shuffle(items)
    if isinstance(question, OrderQuestion) and items == question.answer:
        items = items[1:] + items[:1]  # never show the answer already in order
    return tuple(items)


@dataclass
class Session:
    """One player's game over a list of questions."""

    questions: Sequence[Asked]
    player: str = "Player"
    timer: float | None = None
    practice: bool = False
    clock: Clock = time.monotonic
    outcomes: list[Outcome] = field(default_factory=list)
    status: Status = Status.PLAYING
    score: int = 0
    streak: int = 0
    best_streak: int = 0
    _queue: deque[Asked] = field(init=False)
    _shown_at: float | None = field(default=None, init=False)
    _started_at: float | None = field(default=None, init=False)
    _ended_at: float | None = field(default=None, init=False)
    _hinted: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        self._queue = deque(self.questions)
        if not self._queue:
            self.status = Status.FINISHED

    @property
    def current(self) -> Asked | None:
        return self._queue[0] if self._queue and self.status is Status.PLAYING else None

    @property
    def position(self) -> int:
        """The number of the current question, counting answers given so far."""
        return len(self.outcomes) + 1

    @property
    def total(self) -> int:
        """Questions in the game so far, including practice repeats still to come."""
        return len(self.outcomes) + len(self._queue)

    def show(self) -> Asked | None:
        """Start the clock for the current question and return it."""
        now = self.clock()
        if self._started_at is None:
            self._started_at = now
        if self._shown_at is None:
            self._shown_at = now
        return self.current

    def seconds_taken(self) -> float:
        return self.clock() - self._shown_at if self._shown_at is not None else 0.0

    def seconds_left(self) -> float | None:
        return None if self.timer is None else self.timer - self.seconds_taken()

    def hint(self) -> str | None:
        """The current hint; using it halves the points. None when there is no hint."""
        asked = self.current
        if asked is None or not asked.question.hint:
            return None
        self._hinted = True
        return asked.question.hint

    def answer(self, raw: str) -> Outcome | Invalid:
        asked = self._require_current()
        seconds = self.seconds_taken()
        if self.timer is not None and seconds > self.timer:
            return self._record(asked, raw.strip(), Verdict.LATE, 0.0, seconds)
        judged = interpret(asked.question, asked.options, raw)
        if isinstance(judged, Invalid):
            return judged
        return self._record(asked, judged.given, _verdict(judged), judged.credit, seconds)

    def skip(self) -> Outcome:
        asked = self._require_current()
        return self._record(asked, "", Verdict.SKIPPED, 0.0, self.seconds_taken())

    def stop(self, status: Status = Status.QUIT) -> None:
        if self.status is Status.PLAYING:
            self.status = status
            self._ended_at = self.clock()

    def _require_current(self) -> Asked:
        asked = self.current
        if asked is None:
            raise RuntimeError("the game is over")
        return asked

    def _record(
        self, asked: Asked, given: str, verdict: Verdict, credit: float, seconds: float
    ) -> Outcome:
        self.streak = self.streak + 1 if verdict is Verdict.RIGHT else 0
        self.best_streak = max(self.best_streak, self.streak)
        points = award(
            asked.question.difficulty,
            credit,
            hinted=self._hinted,
            streak=self.streak,
            seconds=seconds,
            limit=self.timer,
        )
        outcome = Outcome(asked, given, verdict, credit, points, self._hinted, seconds, self.streak)
        self.outcomes.append(outcome)
        self.score += points.total
        self._queue.popleft()
        if self.practice and verdict is not Verdict.RIGHT:
            self._queue.append(replace(asked, attempt=asked.attempt + 1))
        self._shown_at = None
        self._hinted = False
        if not self._queue:
            self.status = Status.FINISHED
            self._ended_at = self.clock()
        return outcome

    def summary(self) -> Summary:
        end = self._ended_at if self._ended_at is not None else self.clock()
        seconds = end - self._started_at if self._started_at is not None else 0.0
        return Summary(
            self.player,
            list(self.outcomes),
            self.score,
            self.best_streak,
            seconds,
            self.status,
            len(self.questions),
        )


def _verdict(answer: Answer) -> Verdict:
    if answer.correct:
        return Verdict.RIGHT
    return Verdict.PARTIAL if answer.credit > 0 else Verdict.WRONG


@dataclass(frozen=True)
class Summary:
    player: str
    outcomes: list[Outcome]
    score: int
    best_streak: int
    seconds: float
    status: Status
    planned: int

    @property
    def right(self) -> int:
        return sum(o.correct for o in self.outcomes)

    @property
    def accuracy(self) -> float:
        """Share of answers that were fully right (0 when nothing was answered)."""
        return self.right / len(self.outcomes) if self.outcomes else 0.0

    @property
    def finished(self) -> bool:
        return self.status is Status.FINISHED

    @property
    def rating(self) -> str:
        return next(text for floor, text in RATINGS if self.accuracy >= floor)

    def by_category(self) -> dict[str, tuple[int, int]]:
        """(right, answered) per category, in order of first appearance."""
        answered = Counter(o.asked.question.category for o in self.outcomes)
        right = Counter(o.asked.question.category for o in self.outcomes if o.correct)
        return {category: (right[category], n) for category, n in answered.items()}

    def tries(self) -> dict[tuple[str, str], int]:
        """How many tries each question took (practice mode repeats missed ones)."""
        return dict(Counter(o.asked.key for o in self.outcomes))

    def to_dict(self) -> dict[str, Any]:
        return {
            "player": self.player,
            "status": str(self.status),
            "finished": self.finished,
            "score": self.score,
            "answered": len(self.outcomes),
            "right": self.right,
            "accuracy": round(self.accuracy, 4),
            "best_streak": self.best_streak,
            "seconds": round(self.seconds, 2),
            "rating": self.rating,
            "by_category": {
                category: {"right": right, "answered": answered}
                for category, (right, answered) in self.by_category().items()
            },
            "answers": [o.to_dict() for o in self.outcomes],
        }


def leaderboard(summaries: Sequence[Summary]) -> list[Summary]:
    """Best first: by score, then accuracy, then the faster game."""
    return sorted(summaries, key=lambda s: (-s.score, -s.accuracy, s.seconds))


def passes(summaries: Sequence[Summary], pass_mark: float, settings: GameSettings) -> bool:
    """Every player played to the end of their turn's answers and reached the mark."""
    return len(summaries) == len(settings.players) and all(
        s.accuracy * 100 >= pass_mark for s in summaries
    )


def game_result(
    settings: GameSettings,
    asked: Sequence[Asked],
    summaries: Sequence[Summary],
    pass_mark: float | None,
    passed: bool | None,
) -> dict[str, Any]:
    """The whole game for ``--json``: settings, questions as shown, every answer."""
    return {
        "seed": settings.seed,
        "replay": settings.replay_line(),
        "settings": {**settings.to_dict(), "pass_mark": pass_mark},
        "questions": [
            {"bank": a.bank_id, "id": a.question.id, "options": list(a.options)} for a in asked
        ],
        "players": [s.to_dict() for s in summaries],
        "passed": passed,
    }
