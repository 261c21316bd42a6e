"""Shared test set-up: a pinned terminal, a private data directory, handy paths."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
QUESTIONS = REPO / "questions"
ARTICLE = QUESTIONS / "desperado-article.txt"


@pytest.fixture(autouse=True)
def _stable_terminal(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Same output on every machine: fixed width, no colour, a private history."""
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("LINES", "40")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.setenv("DESPERADO_QUIZ_HOME", str(tmp_path / "home"))


@pytest.fixture
def write_bank(tmp_path: Path) -> Callable[..., Path]:
    """Write a question file next to a copy of the article and return its path."""
    (tmp_path / "article.txt").write_text(ARTICLE.read_text(encoding="utf-8"), encoding="utf-8")

    def write(body: str, name: str = "bank.toml", header: bool = True) -> Path:
        path = tmp_path / name
        top = BANK_HEADER.format(id=path.stem.replace("_", "-")) if header else ""
        path.write_text(top + body, encoding="utf-8")
        return path

    return write


BANK_HEADER = """[bank]
id = "{id}"
title = "Test bank"
source = "article.txt"
"""

CHOICE_QUESTION = """
[[questions]]
id = "el-mariachi-actor"
type = "choice"
question = "Who plays El Mariachi?"
category = "Cast"
difficulty = "easy"
choices = ["Antonio Banderas", "Javier Bardem"]
answer = "Antonio Banderas"
evidence = "El Mariachi (portrayed iconically by Antonio Banderas)"
explanation = "Banderas plays him."
"""

BOOLEAN_QUESTION = """
[[questions]]
id = "codpiece-final-cut"
type = "boolean"
question = "Was the codpiece gun in the final cut?"
category = "Production"
difficulty = "medium"
answer = false
evidence = "which ultimately did not make the film's final cut"
explanation = "It was cut."
"""

TEXT_QUESTION = """
[[questions]]
id = "trejo-role"
type = "text"
question = "Which hitman does Danny Trejo play?"
category = "Cast"
difficulty = "hard"
answer = "Navajas"
evidence = "the unmistakable Danny Trejo as Navajas"
explanation = "Trejo plays Navajas."
hint = "Spanish for knives."
"""


def right_answer(question: object) -> str:
    """What a player who knows everything types for ``question``."""
    answer = question.answer  # type: ignore[attr-defined]
    if isinstance(answer, bool):
        return "true" if answer else "false"
    if isinstance(answer, list):
        return ", ".join(answer)
    if isinstance(answer, float):
        return f"{answer:g}"
    return str(answer)


def right_answers(seed: int, count: int, paths: list[Path] | None = None) -> list[str]:
    """The right answers, in the order a game with this seed asks its questions."""
    from desperado_quiz.game import select_questions
    from desperado_quiz.loader import load_banks

    asked = select_questions(load_banks(paths).banks, seed=seed, count=count)
    return [right_answer(a.question) for a in asked]
