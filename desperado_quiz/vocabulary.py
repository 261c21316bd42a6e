"""The words of the question format that every layer shares, without importing pydantic.

The CLI builds its option choices from these, so `--help` stays fast and never drifts
from the models.
"""

from typing import Literal, get_args

Difficulty = Literal["easy", "medium", "hard"]
QuestionType = Literal["choice", "multi", "boolean", "text", "number", "order"]

DIFFICULTIES: tuple[str, ...] = get_args(Difficulty)
DEFAULT_PLAYER = "Player"  # the name of whoever plays without giving one
QUESTION_TYPES: tuple[str, ...] = get_args(QuestionType)
