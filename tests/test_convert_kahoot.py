"""Kahoot's template, read back by openpyxl: the template's layout, Kahoot's limits
kept, and every question that does not fit reported with its reason, never cut."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from desperado_quiz.convert import kahoot
from desperado_quiz.model import adapter
from tests.convert_support import bundled


def rows(data: bytes) -> list[tuple[object, ...]]:
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    header = next(sheet.iter_rows(min_row=8, max_row=8, min_col=2, values_only=True))
    assert header == kahoot.HEADER
    return list(sheet.iter_rows(min_row=9, values_only=True))


def test_openpyxl_reads_the_questions_back_within_kahoots_limits() -> None:
    banks = bundled()
    exported = kahoot.export(banks)
    read = rows(exported.data)
    assert len(read) == exported.report.written > 0
    sent = {q.question: q for bank in banks for q in bank.questions}
    for number, row in enumerate(read, start=1):
        _, text, *answers, seconds, right = row
        assert row[0] == number
        question = sent[str(text)]  # the whole text: never cut
        given = [a for a in answers if a is not None]
        assert 2 <= len(given) <= kahoot.MAX_ANSWERS
        assert len(str(text)) <= kahoot.MAX_QUESTION_CHARS
        assert all(len(str(a)) <= kahoot.MAX_ANSWER_CHARS for a in given)
        assert seconds in kahoot.TIME_LIMITS
        picked = [given[int(n) - 1] for n in str(right).split(",")]
        if question.type == "boolean":
            assert picked == ["True" if question.answer else "False"]
        else:  # the same choices, in the order of the export's seed
            assert sorted(given) == sorted(question.choices)  # type: ignore[union-attr]
            expected = question.answer if isinstance(question.answer, list) else [question.answer]
            assert sorted(picked) == sorted(expected)


def test_what_does_not_fit_is_skipped_with_the_reason_per_question() -> None:
    long_question = "W" * 120 + "?"
    bank = adapter("bank").validate_python(
        {
            "bank": {"id": "limits", "title": "Limits", "source": "article.txt"},
            "questions": [
                _choice("fits", "Which one?", ["a", "b", "c", "d"]),
                _choice("five", "Which one?", ["a", "b", "c", "d", "e"]),
                _choice("long-text", long_question, ["a", "b"]),
                _choice("long-answer", "Which one?", ["a" * 76, "b"]),
                {
                    **{k: v for k, v in _choice("typed", "Who?", ["a"]).items() if k != "choices"},
                    "type": "text",
                },
            ],
        }
    )
    report = kahoot.export([bank]).report
    reasons = {o.question: o.reasons for o in report.outcomes if o.status == "skipped"}
    assert reasons == {
        "five": ("more than Kahoot's 4 answers",),
        "long-text": ("question longer than Kahoot's 120 characters",),
        "long-answer": ("an answer longer than Kahoot's 75 characters",),
        "typed": ("text questions cannot be expressed in Kahoot's template",),
    }
    assert report.written == 1


def _choice(qid: str, text: str, choices: list[str]) -> dict[str, object]:
    return {
        "id": qid,
        "type": "choice",
        "question": text,
        "category": "Test",
        "difficulty": "easy",
        "choices": choices,
        "answer": choices[0],
        "evidence": "a quote",
    }
