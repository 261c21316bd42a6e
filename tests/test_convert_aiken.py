"""Aiken as Moodle's own reader takes it (question/format/aiken/format.php): a choice is
any line that starts with a capital letter and `.` or `)`, with or without a space (its
fixture aiken_errors.txt counts `A)Incorrect` good), so a question that starts that way
cannot be written, and the export says so."""

from __future__ import annotations

from desperado_quiz.convert import aiken
from desperado_quiz.model import Bank, adapter

# In the shape of Moodle's own test fixture: choices with no space after the label.
NO_SPACE = """\
A second good question
A)Incorrect (No space)
B)Correct (No space)
ANSWER: B
"""


def test_a_choice_without_a_space_after_its_label_is_read() -> None:
    imported = aiken.read(NO_SPACE)
    question = imported.questions[0].question
    assert question.choices == ["Incorrect (No space)", "Correct (No space)"]  # type: ignore[union-attr]
    assert question.answer == "Correct (No space)"


def bank(*texts: str) -> Bank:
    return adapter("bank").validate_python(
        {
            "bank": {"id": "b", "title": "B"},
            "questions": [
                {"id": f"q{n}", "type": "choice", "question": text, "category": "C",
                 "difficulty": "easy", "choices": ["Yes", "No"], "answer": "Yes"}
                for n, text in enumerate(texts)
            ],
        }
    )  # fmt: skip


def test_a_question_that_moodle_would_read_as_a_choice_is_skipped_with_the_reason() -> None:
    exported = aiken.export([bank("U.S. box office: over $25 million?", "A. Banderas?", "Fine?")])
    statuses = [(o.question, o.status) for o in exported.report.outcomes]
    assert statuses == [("q0", "skipped"), ("q1", "skipped"), ("q2", "exported")]
    assert "reads as a choice" in exported.report.outcomes[0].reasons[0]
    back = aiken.read(exported.data.decode())  # what is written reads back whole
    assert [q.question.question for q in back.questions] == ["Fine?"]
