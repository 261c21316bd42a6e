"""Points by difficulty, hints, streaks and the timer."""

from __future__ import annotations

import pytest

from desperado_quiz.scoring import Points, award, streak_rate


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"difficulty": "easy", "credit": 1.0}, Points(100, 0)),
        ({"difficulty": "medium", "credit": 1.0}, Points(200, 0)),
        ({"difficulty": "hard", "credit": 1.0}, Points(300, 0)),
        ({"difficulty": "hard", "credit": 0.0}, Points(0, 0)),
        ({"difficulty": "medium", "credit": 0.5}, Points(100, 0)),  # multi, half found
        ({"difficulty": "medium", "credit": 1.0, "hinted": True}, Points(100, 0)),
        ({"difficulty": "easy", "credit": 1.0, "streak": 1}, Points(100, 0)),
        ({"difficulty": "easy", "credit": 1.0, "streak": 2}, Points(100, 10)),
        ({"difficulty": "easy", "credit": 1.0, "streak": 6}, Points(100, 50)),
        ({"difficulty": "easy", "credit": 1.0, "streak": 20}, Points(100, 50)),  # capped
        ({"difficulty": "easy", "credit": 0.5, "streak": 3}, Points(50, 0)),  # partial: no bonus
        ({"difficulty": "hard", "credit": 1.0, "seconds": 0, "limit": 20}, Points(300, 0)),
        ({"difficulty": "hard", "credit": 1.0, "seconds": 10, "limit": 20}, Points(225, 0)),
        ({"difficulty": "hard", "credit": 1.0, "seconds": 20, "limit": 20}, Points(150, 0)),
        ({"difficulty": "hard", "credit": 1.0, "seconds": 20.1, "limit": 20}, Points(0, 0)),
        (
            {
                "difficulty": "medium",
                "credit": 1.0,
                "hinted": True,
                "streak": 3,
                "seconds": 5,
                "limit": 10,
            },
            Points(75, 15),
        ),
    ],
)
def test_award(kwargs: dict[str, object], expected: Points) -> None:
    assert award(**kwargs) == expected  # type: ignore[arg-type]


def test_streak_rate_grows_and_caps() -> None:
    assert [streak_rate(n) for n in range(8)] == pytest.approx([0, 0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.5])
