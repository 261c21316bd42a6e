"""One player's part of a game: the questions in their order, answers judged with the
matcher, score, streaks and the clock. No I/O; the engine drives it."""

from __future__ import annotations

import random
from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from desperado_quiz.matching import Answer, Invalid, interpret
from desperado_quiz.model import AnyQuestion, OrderQuestion
from desperado_quiz.scoring import Points, award
from desperado_quiz.values import frozen

RATINGS = (  # (lowest accuracy, rating), best first
    (1.0, "Legendary: El Mariachi would tip his hat to you."),
    (0.8, "Sharpshooter: a guitar case full of right answers."),
    (0.6, "Gunslinger: you know your way around the cantina."),
    (0.4, "Bar-room regular: time to rewatch the bar shootout."),
    (0.0, "Tenderfoot: time to watch Desperado, then come back."),
)


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
    REMOVED = "removed"  # a live game's host took the player out
    ENDED_BY_HOST = "ended-by-host"  # a live game's host ended the game: they played on
    END_OF_INPUT = "end-of-input"
    INTERRUPTED = "interrupted"  # Ctrl-C
    TERMINATED = "terminated"  # SIGTERM
    OUTPUT_CLOSED = "output-closed"  # the reader of our output went away (a broken pipe)


@frozen
class Asked:
    """A question as this game shows it: its bank, and its options in shown order."""

    bank_id: str
    question: AnyQuestion
    options: tuple[str, ...] = ()
    attempt: int = 1

    @property
    def key(self) -> tuple[str, str]:
        return (self.bank_id, self.question.id)

    @property
    def reference(self) -> str:
        """``BANK:ID``, as `play --question` takes it."""
        return f"{self.bank_id}:{self.question.id}"


@frozen
class Outcome:
    asked: Asked
    given: str
    verdict: Verdict
    credit: float
    points: Points
    hinted: bool
    seconds: float
    streak: int
    forgiven: str | None = None  # what was typed, when it was understood by forgiving it
    wrong: tuple[str, ...] = ()  # the picks of a multi answer that are not right

    @property
    def correct(self) -> bool:
        return self.verdict is Verdict.RIGHT


@frozen
class Summary:
    player: str
    outcomes: list[Outcome]
    score: int
    best_streak: int
    seconds: float
    status: Status
    planned: int

    @property
    def first_tries(self) -> list[Outcome]:
        """The answers to each question's first asking (practice asks missed ones again:
        those later tries show what was learned, not what was known)."""
        return [o for o in self.outcomes if o.asked.attempt == 1]

    @property
    def right(self) -> int:
        return sum(o.correct for o in self.first_tries)

    @property
    def accuracy(self) -> float:
        """Share of first tries that were fully right (0 when nothing was answered)."""
        first = self.first_tries
        return self.right / len(first) if first else 0.0

    @property
    def learned(self) -> int:
        """Questions answered right in the end, at the first try or a later one."""
        return len({o.asked.key for o in self.outcomes if o.correct})

    @property
    def share_of_game(self) -> float:
        """Right answers out of the questions the game planned: what the pass mark
        judges, so that quitting early can never pass."""
        return self.right / self.planned if self.planned else 0.0

    @property
    def finished(self) -> bool:
        return self.status is Status.FINISHED

    @property
    def rating(self) -> str:
        """Judged on the whole game: quitting after one right answer is not legendary."""
        return next(text for floor, text in RATINGS if self.share_of_game >= floor)

    def by_category(self) -> dict[str, tuple[int, int]]:
        """(right, answered) per category at the first try, in order of appearance."""
        answered = Counter(o.asked.question.category for o in self.first_tries)
        right = Counter(o.asked.question.category for o in self.first_tries if o.correct)
        return {category: (right[category], n) for category, n in answered.items()}

    def tries(self) -> dict[tuple[str, str], int]:
        """How many tries each question took (practice mode repeats missed ones)."""
        return dict(Counter(o.asked.key for o in self.outcomes))


@dataclass
class Session:
    """One player's questions, in order; a question missed in practice comes back."""

    questions: Sequence[Asked]
    player: str = "Player"
    timer: float | None = None
    practice: bool = False
    outcomes: list[Outcome] = field(default_factory=list)
    status: Status = Status.PLAYING
    score: int = 0
    streak: int = 0
    best_streak: int = 0
    _queue: deque[Asked] = field(init=False)
    _shown_at: float | None = field(default=None, init=False)
    _hinted: bool = field(default=False, init=False)
    _cut_short: float = field(default=0.0, init=False)

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

    @property
    def hinted(self) -> bool:
        return self._hinted

    def show(self, now: float) -> Asked:
        """Start the clock for the current question and return it."""
        asked = self._require_current()
        if self._shown_at is None:
            self._shown_at = now
        return asked

    def restart_clock(self, now: float) -> None:
        """The current question's time starts again from ``now``."""
        if self._shown_at is not None:
            self._shown_at = now

    def seconds_taken(self, now: float) -> float:
        return now - self._shown_at if self._shown_at is not None else 0.0

    def deadline(self) -> float | None:
        """The clock reading at which the current question's time is up."""
        if self.timer is None or self._shown_at is None:
            return None
        return self._shown_at + self.timer

    def hint(self) -> str | None:
        """The current hint; using it halves the points. None when there is no hint."""
        asked = self._require_current()
        if not asked.question.hint:
            return None
        self._hinted = True
        return asked.question.hint

    def answer(self, raw: str, now: float) -> Outcome | Invalid:
        asked = self._require_current()
        seconds = self.seconds_taken(now)
        judged = interpret(asked.question, asked.options, raw)
        if self.timer is not None and seconds > self.timer:  # late: judged, but worth 0
            given = raw.strip() if isinstance(judged, Invalid) else judged.given
            return self._record(asked, given, Verdict.LATE, 0.0, seconds, now)
        if isinstance(judged, Invalid):
            return judged
        return self._record(
            asked, judged.given, _verdict(judged), judged.credit, seconds, now, judged
        )

    def skip(self, now: float) -> Outcome:
        asked = self._require_current()
        return self._record(asked, "", Verdict.SKIPPED, 0.0, self.seconds_taken(now), now)

    def time_up(self, now: float) -> Outcome:
        asked = self._require_current()
        return self._record(asked, "", Verdict.LATE, 0.0, self.seconds_taken(now), now)

    def stop(self, status: Status, now: float) -> None:
        if self.status is Status.PLAYING:
            self.status = status
            self._cut_short = self.seconds_taken(now)  # the question it stopped on
            self._shown_at = None

    def _require_current(self) -> Asked:
        asked = self.current
        if asked is None:
            raise RuntimeError("this player's game is over")
        return asked

    def _record(
        self,
        asked: Asked,
        given: str,
        verdict: Verdict,
        credit: float,
        seconds: float,
        now: float,
        judged: Answer | None = None,
    ) -> Outcome:
        if asked.attempt == 1:
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
        else:  # practice: a retry shows what was learned; it scores nothing, streak aside
            points = Points(0, 0)
        outcome = Outcome(
            asked,
            given,
            verdict,
            credit,
            points,
            self._hinted,
            seconds,
            self.streak,
            judged.forgiven if judged else None,
            judged.wrong if judged else (),
        )
        self.outcomes.append(outcome)
        self.score += points.total
        self._queue.popleft()
        if self.practice and verdict is not Verdict.RIGHT:
            attempt = asked.attempt + 1
            options = reshuffled(asked, attempt)
            self._queue.append(replace(asked, attempt=attempt, options=options))
        self._shown_at = None
        self._hinted = False
        if not self._queue:
            self.status = Status.FINISHED
        return outcome

    def summary(self, now: float) -> Summary:
        # The time spent answering, not the clock on the wall: with turns taken question
        # by question, the other players' turns are nobody's time but their own.
        # A game stopped during a question counts the time spent on it too.
        seconds = sum(o.seconds for o in self.outcomes) + self._cut_short + self.seconds_taken(now)
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


def reshuffled(asked: Asked, attempt: int) -> tuple[str, ...]:
    """The options of a question asked again, in an order other than the last one (and
    never the right one for an order question): a retry is answered by knowing, not by
    remembering a letter. The same seed and attempt give the same order."""
    options = list(asked.options)
    if len(set(options)) < 2:
        return asked.options
    rng = random.Random(f"{asked.question.id}:{attempt}:{'|'.join(options)}")
    forbidden = [list(asked.options)]
    if isinstance(asked.question, OrderQuestion):
        forbidden.append(list(asked.question.answer))
    for _ in range(50):  # two orders forbidden: a handful of shuffles finds another
        rng.shuffle(options)
        if options not in forbidden:
            break
    return tuple(options)


def leaderboard(summaries: Sequence[Summary]) -> list[Summary]:
    """Best first: by score; at the same score, who played on before who left, then
    accuracy, then the less time spent answering. Players a live game's host removed
    come last, whatever their score: they are out of the game, and take nobody's place."""
    return sorted(
        summaries,
        key=lambda s: (
            s.status is Status.REMOVED,
            -s.score,
            s.status is Status.QUIT,
            -s.accuracy,
            s.seconds,
        ),
    )
