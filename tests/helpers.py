"""What several test modules share: paths, small question blocks, right answers.

Nothing here loads the bundled banks at import time; the helpers load them when called.
"""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
QUESTIONS = REPO / "questions"
ARTICLE = QUESTIONS / "desperado-article.txt"
# How many questions the bundled banks hold: counted, so that a bank's edit breaks no test.
BUNDLED_QUESTIONS = sum(text.count("\n[[questions]]") for text in (
    path.read_text(encoding="utf-8") for path in QUESTIONS.glob("*.toml")
))  # fmt: skip

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
    from desperado_quiz.store import load_banks

    asked = select_questions(load_banks(paths).banks, seed=seed, count=count).asked
    return [right_answer(a.question) for a in asked]


def lines(*answers: str) -> str:
    """Answers as a player would type them, one a line."""
    return "".join(f"{answer}\n" for answer in answers)
