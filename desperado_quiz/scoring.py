"""Points for one answer. Pure arithmetic; the README documents these rules.

* A right answer is worth 100, 200 or 300 points for easy, medium or hard.
* ``multi``: the share of right choices found, nothing if any wrong choice is picked.
* A hint halves the points.
* With a timer, a right answer earns ``1 - (seconds / limit) / 2`` of its points
  (Kahoot's rule: from 100% at once down to 50% at the buzzer); late answers earn 0.
* Streak bonus: each fully right answer in a row after the first adds 10% to that
  answer's points, up to +50% from the sixth in a row.
* A question asked again in practice scores nothing (``Session`` decides that).
"""

from __future__ import annotations

from desperado_quiz.values import frozen
from desperado_quiz.vocabulary import DIFFICULTIES

POINTS = dict(zip(DIFFICULTIES, (100, 200, 300), strict=True))
HINT_FACTOR = 0.5
STREAK_STEP = 0.10
STREAK_CAP = 0.50


@frozen
class Points:
    base: int
    streak_bonus: int

    @property
    def total(self) -> int:
        return self.base + self.streak_bonus


def streak_rate(streak: int) -> float:
    """The bonus rate for the ``streak``-th right answer in a row (1 = no bonus)."""
    return min(max(streak - 1, 0) * STREAK_STEP, STREAK_CAP)


def speed_factor(seconds: float, limit: float | None) -> float:
    if not limit:
        return 1.0
    return 1.0 - min(seconds / limit, 1.0) / 2


def award(
    difficulty: str,
    credit: float,
    *,
    hinted: bool = False,
    streak: int = 0,
    seconds: float = 0.0,
    limit: float | None = None,
) -> Points:
    """Points for an answer with ``credit`` (0 to 1); ``streak`` counts this answer."""
    if credit <= 0 or (limit and seconds > limit):
        return Points(0, 0)
    base = POINTS[difficulty] * credit * speed_factor(seconds, limit)
    if hinted:
        base *= HINT_FACTOR
    bonus = base * streak_rate(streak) if credit >= 1 else 0.0
    return Points(round(base), round(bonus))
