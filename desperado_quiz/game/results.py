"""A game's result as JSON (``play --json``): the shapes, and the one function that
builds them. The renderers read the same ``GameResult``; scripts read this."""

from __future__ import annotations

from typing import Any

from typing_extensions import TypedDict

from desperado_quiz.game.engine import GameResult
from desperado_quiz.game.session import Outcome, Summary


class AnswerJSON(TypedDict):
    bank: str
    id: str
    type: str
    category: str
    difficulty: str
    question: str
    attempt: int
    given: str
    answer: str
    verdict: str
    correct: bool
    credit: float
    points: int
    streak_bonus: int
    hinted: bool
    seconds: float


class CategoryJSON(TypedDict):
    right: int
    answered: int


class PlayerJSON(TypedDict):
    player: str
    status: str
    finished: bool
    score: int
    answered: int
    planned: int
    right: int
    accuracy: float
    best_streak: int
    seconds: float
    rating: str
    by_category: dict[str, CategoryJSON]
    answers: list[AnswerJSON]


class QuestionJSON(TypedDict):
    bank: str
    id: str
    options: list[str]


class GameJSON(TypedDict):
    seed: int
    replay: str
    status: str
    settings: dict[str, Any]
    questions: list[QuestionJSON]
    players: list[PlayerJSON]
    ranking: list[str]
    passed: bool | None


def answer_json(outcome: Outcome) -> AnswerJSON:
    q = outcome.asked.question
    return {
        "bank": outcome.asked.bank_id,
        "id": q.id,
        "type": q.type,
        "category": q.category,
        "difficulty": q.difficulty,
        "question": q.question,
        "attempt": outcome.asked.attempt,
        "given": outcome.given,
        "answer": q.answer_text,
        "verdict": str(outcome.verdict),
        "correct": outcome.correct,
        "credit": round(outcome.credit, 3),
        "points": outcome.points.total,
        "streak_bonus": outcome.points.streak_bonus,
        "hinted": outcome.hinted,
        "seconds": round(outcome.seconds, 2),
    }


def player_json(summary: Summary) -> PlayerJSON:
    return {
        "player": summary.player,
        "status": str(summary.status),
        "finished": summary.finished,
        "score": summary.score,
        "answered": len(summary.outcomes),
        "planned": summary.planned,
        "right": summary.right,
        "accuracy": round(summary.accuracy, 4),
        "best_streak": summary.best_streak,
        "seconds": round(summary.seconds, 2),
        "rating": summary.rating,
        "by_category": {
            category: {"right": right, "answered": answered}
            for category, (right, answered) in summary.by_category().items()
        },
        "answers": [answer_json(o) for o in summary.outcomes],
    }


def game_json(result: GameResult) -> GameJSON:
    """The whole game: settings, questions as shown, every answer, the ranking."""
    return {
        "seed": result.settings.seed,
        "replay": result.replay,
        "status": str(result.status),
        "settings": result.settings.to_dict(),
        "questions": [
            {"bank": a.bank_id, "id": a.question.id, "options": list(a.options)}
            for a in result.asked
        ],
        "players": [player_json(s) for s in result.players],
        "ranking": [s.player for s in result.ranked],
        "passed": result.passed,
    }
