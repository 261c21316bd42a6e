"""desperado-quiz: a command-line trivia quiz about the film Desperado (1995).

Every command is also a call (see docs/api.md): ``validate``, ``export`` and
``import_file``, ``start_game``, ``start_study``, ``open_quiz_night``, ``take_seat``,
``recent_games``, ``player_stats`` and ``question_figures``, ``list_banks``,
``load_banks`` and the question models. They are imported lazily, so that
``desperado-quiz --version`` pays for none of them.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

# The single source of the version: hatch reads it from here into the package metadata.
# Reading it back through importlib.metadata would cost `--version` ~80 ms of imports.
__version__ = "0.1.0"

_LAZY = {
    # Questions and banks
    "load_banks": "desperado_quiz.store",
    "LoadResult": "desperado_quiz.loader",
    "LoadedBank": "desperado_quiz.loader",
    "Bank": "desperado_quiz.model",
    "Question": "desperado_quiz.model",
    "list_banks": "desperado_quiz.app.banks",
    # Checking them
    "validate": "desperado_quiz.app.validation",
    "Report": "desperado_quiz.validator",
    "Finding": "desperado_quiz.findings",
    "Severity": "desperado_quiz.findings",
    # Other tools' formats
    "export": "desperado_quiz.app.interchange",
    "import_file": "desperado_quiz.app.interchange",
    "ExportResult": "desperado_quiz.app.interchange",
    "ImportResult": "desperado_quiz.app.interchange",
    # Playing, studying, hosting, joining
    "GameSettings": "desperado_quiz.game",
    "GameResult": "desperado_quiz.game",
    "start_game": "desperado_quiz.app.games",
    "Game": "desperado_quiz.app.games",
    "start_study": "desperado_quiz.app.studying",
    "StudySession": "desperado_quiz.app.studying",
    "open_quiz_night": "desperado_quiz.app.hosting",
    "QuizNight": "desperado_quiz.app.hosting",
    "take_seat": "desperado_quiz.app.joining",
    # The history
    "recent_games": "desperado_quiz.app.records",
    "player_stats": "desperado_quiz.app.records",
    "question_figures": "desperado_quiz.app.records",
    "clear_history": "desperado_quiz.app.records",
    # When a call cannot do what was asked
    "CommandError": "desperado_quiz.app.errors",
}

__all__ = [
    "Bank",
    "CommandError",
    "ExportResult",
    "Finding",
    "Game",
    "GameResult",
    "GameSettings",
    "ImportResult",
    "LoadResult",
    "LoadedBank",
    "Question",
    "QuizNight",
    "Report",
    "Severity",
    "StudySession",
    "__version__",
    "clear_history",
    "export",
    "import_file",
    "list_banks",
    "load_banks",
    "open_quiz_night",
    "player_stats",
    "question_figures",
    "recent_games",
    "start_game",
    "start_study",
    "take_seat",
    "validate",
]

if TYPE_CHECKING:
    from desperado_quiz.app.banks import list_banks
    from desperado_quiz.app.errors import CommandError
    from desperado_quiz.app.games import Game, start_game
    from desperado_quiz.app.hosting import QuizNight, open_quiz_night
    from desperado_quiz.app.interchange import ExportResult, ImportResult, export, import_file
    from desperado_quiz.app.joining import take_seat
    from desperado_quiz.app.records import (
        clear_history,
        player_stats,
        question_figures,
        recent_games,
    )
    from desperado_quiz.app.studying import StudySession, start_study
    from desperado_quiz.app.validation import validate
    from desperado_quiz.findings import Finding, Severity
    from desperado_quiz.game import GameResult, GameSettings
    from desperado_quiz.loader import LoadedBank, LoadResult
    from desperado_quiz.model import Bank, Question
    from desperado_quiz.store import load_banks
    from desperado_quiz.validator import Report


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'desperado_quiz' has no attribute {name!r}")
