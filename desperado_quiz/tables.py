"""Tables as CSV, for spreadsheets and scripts: the games of the history, each
question's figures, a quiz night's standings. A cell that a spreadsheet would run as a
formula is written as text."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from desperado_quiz.text import visible

if TYPE_CHECKING:
    from desperado_quiz.analytics import QuestionStatsJSON
    from desperado_quiz.history import GameRow

QUESTION_COLUMNS = ("bank", "id", "difficulty", "answers", "right_share", "discrimination", "flags")
CSV_COLUMNS = (
    "id",
    "started_at",
    "ended_at",
    "player",
    "banks",
    "mode",
    "seed",
    "questions",
    "answered",
    "right_answers",
    "score",
    "accuracy",
    "best_streak",
    "seconds",
    "status",
    "finished",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula gets a leading ``'``
    (OWASP's advice against CSV injection); numbers are left as numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def games_csv(games: Sequence[GameRow]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n"
    )
    writer.writeheader()
    for game in games:
        row: dict[str, Any] = {**game, "banks": " ".join(game["banks"])}
        writer.writerow({key: spreadsheet_safe(_safe(value)) for key, value in row.items()})
    return buffer.getvalue()


def _safe(value: object) -> object:
    """A text cell with nothing in it that could drive the terminal it is printed on."""
    return visible(value) if isinstance(value, str) else value


def question_stats_csv(figures: Sequence[QuestionStatsJSON]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*QUESTION_COLUMNS, "wrong_picks"])
    for item in figures:
        picks = "; ".join(f"{c}: {n}" for c, n in item["distractors"].items())
        row = [
            item["bank"],
            item["id"],
            item["difficulty"],
            item["answers"],
            item["right_share"],
            item["discrimination"],
            " ".join(item["flags"]),
            picks,
        ]
        writer.writerow([spreadsheet_safe(value) for value in row])
    return buffer.getvalue()
