"""Spaced repetition: the grading table, and the bridge to FSRS (the ``fsrs`` package).

Flashcard tools ask you to grade yourself. Here the game knows: an answer grades its
card through ``GRADES``, one table. The scheduling maths is FSRS's own
(``fsrs.Scheduler``), never re-implemented; this module only keeps cards (as FSRS's own
dictionaries, in the history), picks what is due, and sums up what is learned. Time is
always UTC and always passed in, so that tests can move it forward.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING

from typing_extensions import TypedDict

from desperado_quiz.game.session import Outcome, Verdict
from desperado_quiz.history import AnswerRow, CardRow, Stats
from desperado_quiz.model import AnyQuestion
from desperado_quiz.text import plural

if TYPE_CHECKING:
    from fsrs import Card, Rating, Scheduler

    from desperado_quiz.loader import LoadedBank

Key = tuple[str, str]  # (bank id, question id)


def clock() -> datetime:
    """Now, in UTC. Tests replace it with a fixed clock and move that forward."""
    return datetime.now(UTC)


DEFAULT_NEW_PER_DAY = 10

# How an answer grades its card. One table: the docs (docs/study.md) print it.
#   wrong, skipped or timed out        -> Again
#   right with a hint, or partly right -> Hard
#   right                              -> Good
#   right and fast (see fast())        -> Easy
GRADES: dict[str, str] = {
    "wrong": "Again",
    "skipped": "Again",
    "late": "Again",
    "partial": "Hard",
    "right-with-hint": "Hard",
    "right": "Good",
    "right-and-fast": "Easy",
}

# "Fast" is a right answer within the time a quick reader needs for this question: a
# base time for the kind of answer, and the time to read the question and its options
# at READING_CHARS_PER_SECOND (about 200 words a minute).
READING_CHARS_PER_SECOND = 17.0
BASE_SECONDS = {
    "boolean": 2.0,
    "choice": 3.0,
    "number": 4.0,
    "text": 5.0,
    "multi": 5.0,
    "order": 7.0,
}


def reading_seconds(question: AnyQuestion) -> float:
    """How long a quick reader needs to read and answer ``question``."""
    shown = len(question.question) + sum(len(c) for c in getattr(question, "choices", ()))
    if question.type == "order":
        shown += sum(len(item) for item in getattr(question, "answer", ()))
    return BASE_SECONDS[question.type] + shown / READING_CHARS_PER_SECOND


def grade(verdict: str, hinted: bool, seconds: float, question: AnyQuestion) -> str:
    """The row of ``GRADES`` for an answer."""
    if verdict != Verdict.RIGHT:
        return verdict  # wrong, skipped, late or partial
    if hinted:
        return "right-with-hint"
    return "right-and-fast" if seconds <= reading_seconds(question) else "right"


def rating(row: str) -> Rating:
    from fsrs import Rating

    return Rating[GRADES[row]]


@cache
def scheduler() -> Scheduler:
    """FSRS with its default parameters. No fuzzing: the same answers at the same times
    give the same schedule, which is what a player (and a test) can check."""
    from fsrs import Scheduler

    return Scheduler(enable_fuzzing=False)


def _card(row: CardRow | None) -> Card:
    from fsrs import Card

    return Card() if row is None else Card.from_dict(row["card"])  # type: ignore[arg-type]


def review(row: CardRow | None, key: Key, graded: str, when: datetime) -> CardRow:
    """The card of ``key`` after an answer graded ``graded`` at ``when``."""
    card, _log = scheduler().review_card(_card(row), rating(graded), when)
    stored = card.to_dict()
    return {
        "bank_id": key[0],
        "question_id": key[1],
        "card": dict(stored),
        "due": card.due.astimezone(UTC).isoformat(),
        "state": int(card.state),
        "introduced": row["introduced"] if row else when.astimezone(UTC).isoformat(),
        "reviews": (row["reviews"] if row else 0) + 1,
    }


def apply(cards: dict[Key, CardRow], outcomes: Sequence[Outcome], when: datetime) -> list[CardRow]:
    """The cards changed by a session's answers, each graded by ``GRADES``."""
    changed: dict[Key, CardRow] = {}
    for outcome in outcomes:
        key = outcome.asked.key
        graded = grade(outcome.verdict, outcome.hinted, outcome.seconds, outcome.asked.question)
        changed[key] = review(changed.get(key) or cards.get(key), key, graded, when)
    return list(changed.values())


def replay(answers: Iterable[AnswerRow], questions: dict[Key, AnyQuestion]) -> list[CardRow]:
    """Cards made by replaying earlier answers in time order (the first study of someone
    who has played for weeks does not start from zero). Questions that no longer exist
    are left out."""
    cards: dict[Key, CardRow] = {}
    for answer in answers:
        key = (answer["bank_id"], answer["question_id"])
        if key not in questions:
            continue
        when = datetime.fromisoformat(answer["ended_at"]).astimezone(UTC)
        graded = grade(answer["verdict"], answer["hinted"], answer["seconds"], questions[key])
        cards[key] = review(cards.get(key), key, graded, when)
    # Not introduced by a study session: these never count against a day's new ones.
    return [{**card, "introduced": ""} for card in cards.values()]


def due_keys(cards: Iterable[CardRow], now: datetime) -> set[Key]:
    return {
        (row["bank_id"], row["question_id"])
        for row in cards
        if datetime.fromisoformat(row["due"]) <= now
    }


def unseen(cards: Iterable[CardRow], candidates: Iterable[Key]) -> set[Key]:
    """The candidates never studied: no card yet."""
    carded = {(row["bank_id"], row["question_id"]) for row in cards}
    return {key for key in candidates if key not in carded}


def new_allowance(cards: Iterable[CardRow], now: datetime, per_day: int) -> int:
    """How many new questions may still be introduced on ``now``'s day (UTC)."""
    return max(per_day - introduced_on(cards, now), 0)


def introduced_on(cards: Iterable[CardRow], now: datetime) -> int:
    """How many cards a study session introduced on ``now``'s day (UTC)."""
    today = now.astimezone(UTC).date()
    return sum(
        bool(row["introduced"])
        and datetime.fromisoformat(row["introduced"]).astimezone(UTC).date() == today
        for row in cards
    )


def next_due(cards: Iterable[CardRow]) -> datetime | None:
    dues = [datetime.fromisoformat(row["due"]) for row in cards]
    return min(dues) if dues else None


class LearningJSON(TypedDict):
    """What `stats` says of a player's learning."""

    today: str  # the UTC date the figures are for
    cards: int
    learned: int  # cards that have left FSRS's learning steps (state Review)
    due_now: int
    due_by_day: list[int]  # today (UTC) and each of the next 7 days
    recall_by_category: dict[str, float]  # learned cards: average chance of recalling now


def learning(
    cards: Sequence[CardRow], questions: dict[Key, AnyQuestion], now: datetime
) -> LearningJSON:
    from fsrs import State

    days = [0] * 8
    today = now.astimezone(UTC).date()
    recall: dict[str, list[float]] = {}
    for row in cards:
        offset = (datetime.fromisoformat(row["due"]).astimezone(UTC).date() - today).days
        if offset < len(days):
            days[max(offset, 0)] += 1  # overdue counts as due today
        question = questions.get((row["bank_id"], row["question_id"]))
        # Only learned cards: a card still in its first steps was just seen, and FSRS
        # rightly gives it near certainty for the next few minutes, which says nothing.
        if question is not None and row["state"] == State.Review:
            chance = scheduler().get_card_retrievability(_card(row), now)
            recall.setdefault(question.category, []).append(chance)
    return {
        "today": today.isoformat(),
        "cards": len(cards),
        "learned": sum(row["state"] == State.Review for row in cards),
        "due_now": len(due_keys(cards, now)),
        "due_by_day": days,
        "recall_by_category": {
            category: round(sum(chances) / len(chances), 4)
            for category, chances in sorted(recall.items())
        },
    }


def questions_by_key(banks: Iterable[LoadedBank]) -> dict[Key, AnyQuestion]:
    return {(bank.id, q.id): q for bank in banks for q in bank.questions}


def in_words(when: datetime, now: datetime) -> str:
    """``when`` as a player reads it: "in 3 hours (2026-11-26 09:00 UTC)"."""
    left = when - now
    if left <= timedelta(0):
        return "now"
    hours = left.total_seconds() / 3600
    if left < timedelta(minutes=1):
        span = plural(max(round(left.total_seconds()), 1), "second")
    elif hours < 1:
        span = plural(max(round(hours * 60), 1), "minute")
    elif hours < 48:
        span = plural(round(hours), "hour")
    else:
        span = plural(round(hours / 24), "day")
    return f"in {span} ({when.astimezone(UTC):%Y-%m-%d %H:%M} UTC)"


class StatsJSON(Stats):
    """`stats`: the history's figures, and the player's learning (None without cards)."""

    learning: LearningJSON | None
