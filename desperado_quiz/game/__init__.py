"""The game, with no I/O: selection, one player's session, and the engine that every
front end (the terminal, study, the live server) drives. Importing it loads neither
rich nor typer."""

from desperado_quiz.game.engine import (
    AnswerJudged,
    AnswersRevealed,
    Engine,
    Event,
    GameOver,
    GameResult,
    HintShown,
    InputRefused,
    PlayerLeft,
    QuestionShown,
    TurnOver,
    TurnStarted,
    Waiting,
)
from desperado_quiz.game.select import (
    NoQuestions,
    Selection,
    pick_questions,
    review_keys,
    select_questions,
    shuffled_options,
)
from desperado_quiz.game.session import (
    Asked,
    Outcome,
    Session,
    Status,
    Summary,
    Verdict,
    leaderboard,
)
from desperado_quiz.game.settings import (
    DEFAULT_COUNT,
    GameSettings,
    SettingsError,
    TurnOrder,
)

__all__ = [
    "DEFAULT_COUNT",
    "AnswerJudged",
    "AnswersRevealed",
    "Asked",
    "Engine",
    "Event",
    "GameOver",
    "GameResult",
    "GameSettings",
    "HintShown",
    "InputRefused",
    "NoQuestions",
    "Outcome",
    "PlayerLeft",
    "QuestionShown",
    "Selection",
    "Session",
    "SettingsError",
    "Status",
    "Summary",
    "TurnOrder",
    "TurnOver",
    "TurnStarted",
    "Verdict",
    "Waiting",
    "leaderboard",
    "pick_questions",
    "review_keys",
    "select_questions",
    "shuffled_options",
]
