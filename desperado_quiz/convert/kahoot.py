"""Kahoot's spreadsheet template (.xlsx), through openpyxl.

The layout of the template Kahoot offers for import: its header on row 8, from column
B (question, answers 1 to 4, time limit, correct answers), a question a row from row
9, numbered in column A. Kahoot's limits are kept, never cut to fit: a question with
more than 4 choices, a question longer than 120 characters or a choice longer than 75
is skipped, with the reason. Only choice, multi and boolean questions fit the template.
The time limit, which must be one of Kahoot's, goes by difficulty. Kahoot shows the
answers in the sheet's order (answer 1 the red triangle), so they are ordered by the
export's seed, the right one's place dealt evenly (``ChoiceDealer``).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from desperado_quiz.convert.common import (
    NO_OPTIONS,
    ChoiceDealer,
    Exported,
    ExportOptions,
    ExportReport,
    each_question,
    rezipped,
)
from desperado_quiz.model import AnyQuestion, Bank, BooleanQuestion, ChoiceQuestion, MultiQuestion

MAX_ANSWERS = 4
MAX_QUESTION_CHARS = 120
MAX_ANSWER_CHARS = 75
TIME_LIMITS = (5, 10, 20, 30, 60, 90, 120, 240)  # seconds: the only ones Kahoot accepts
SECONDS = {"easy": 20, "medium": 30, "hard": 60}
HEADER_ROW = 8
HEADER = (
    "Question - max 120 characters",
    "Answer 1 - max 75 characters",
    "Answer 2 - max 75 characters",
    "Answer 3 - max 75 characters",
    "Answer 4 - max 75 characters",
    "Time limit (sec) - 5, 10, 20, 30, 60, 90, 120, or 240 secs",
    "Correct answer(s) - choose at least one",
)


def fit(question: AnyQuestion) -> tuple[list[str], list[str], str]:
    """(answers, right answers, "") or ([], [], the reason it does not fit)."""
    match question:
        case ChoiceQuestion():
            answers, right = list(question.choices), [question.answer]
        case MultiQuestion():
            answers, right = list(question.choices), list(question.answer)
        case BooleanQuestion():
            answers, right = ["True", "False"], ["True" if question.answer else "False"]
        case _:
            return [], [], f"{question.type} questions cannot be expressed in Kahoot's template"
    if len(answers) > MAX_ANSWERS:
        return [], [], f"more than Kahoot's {MAX_ANSWERS} answers"
    if len(question.question) > MAX_QUESTION_CHARS:
        return [], [], f"question longer than Kahoot's {MAX_QUESTION_CHARS} characters"
    if any(len(answer) > MAX_ANSWER_CHARS for answer in answers):
        return [], [], f"an answer longer than Kahoot's {MAX_ANSWER_CHARS} characters"
    return answers, right, ""


def _text(cell: Any, text: str) -> None:
    """Text as text: openpyxl would store "=1+1" as a formula that the spreadsheet runs."""
    cell.value = text
    cell.data_type = "s"


def export(banks: Sequence[Bank], options: ExportOptions = NO_OPTIONS) -> Exported:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook always has its sheet
    sheet.title = "Sheet1"
    sheet["B2"] = "Desperado quiz: " + ", ".join(bank.bank.title for bank in banks)
    sheet["B4"] = "Made by desperado-quiz for Kahoot's spreadsheet import."
    for column, title in enumerate(HEADER, start=2):
        sheet.cell(row=HEADER_ROW, column=column, value=title)
    report = ExportReport()
    dealer = ChoiceDealer(options.seed)
    row = HEADER_ROW + 1
    for bank, question in each_question(banks):
        answers, right, reason = fit(question)
        if reason:
            report.skipped(bank.bank.id, question.id, reason)
            continue
        answers = dealer.order(answers, right)  # Kahoot shows them as written
        sheet.cell(row=row, column=1, value=row - HEADER_ROW)
        _text(sheet.cell(row=row, column=2), question.question)
        for offset, answer in enumerate(answers):
            _text(sheet.cell(row=row, column=3 + offset), answer)
        sheet.cell(row=row, column=7, value=SECONDS[question.difficulty])
        numbers = ",".join(str(answers.index(answer) + 1) for answer in right)
        sheet.cell(row=row, column=8, value=numbers)
        report.exported(bank.bank.id, question.id)
        row += 1
    written = _steady_times(workbook, options.timestamp)
    return Exported(written, report)


def _steady_times(workbook: Any, timestamp: float) -> bytes:
    """The workbook's bytes, the same for the same banks: its created and modified
    times are when the banks last changed (openpyxl writes "now"), its zip undated."""
    when = datetime.fromtimestamp(int(timestamp), UTC).replace(tzinfo=None)
    workbook.properties.created = when
    buffer = io.BytesIO()
    workbook.save(buffer)
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()

    def dated(name: str, content: bytes) -> bytes:
        if name != "docProps/core.xml":
            return content
        return re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, content)

    return rezipped(buffer.getvalue(), dated)
