"""Aiken: Moodle's simplest format, for multiple choice questions with one answer.

    Who plays Carolina?
    A. Salma Hayek
    B. Penélope Cruz
    ANSWER: A

As Moodle's own reader takes it (``question/format/aiken/format.php``): any line that
starts with a capital letter and ``.`` or ``)`` is a choice, space or not (``A)Yes``),
a line that starts ``ANSWER:`` ends the question, any other line starts a new one. So
a question that starts like a choice ("U.S. box office...", "A. ...") or like the
answer line cannot be written: it is skipped, with the reason. A question and its
choices take a line each, so line breaks become spaces (reported). Moodle shows the
choices as written, so they are ordered by the export's seed, the right one's place
dealt evenly. A boolean question is written as the choice of True and False
(reported); the other types cannot be expressed and are skipped.
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence

from desperado_quiz.convert.common import (
    NO_OPTIONS,
    BrokenInput,
    Builder,
    ChoiceDealer,
    Exported,
    ExportOptions,
    ExportReport,
    Imported,
    each_question,
    one_line,
)
from desperado_quiz.model import AnyQuestion, Bank, BooleanQuestion, ChoiceQuestion

# Moodle's own patterns: '/^[A-Z][).][ \t]?/' for a choice, '/^ANSWER:/' for the answer.
_OPTION = re.compile(r"^([A-Z])[.)][ \t]?(.*)$")
_ANSWER = re.compile(r"^ANSWER:\s*(.*)$")
_NEWLINES = "line breaks written as spaces: Aiken has one line per question and choice"


def export(banks: Sequence[Bank], options: ExportOptions = NO_OPTIONS) -> Exported:
    report = ExportReport()
    dealer = ChoiceDealer(options.seed)
    blocks = []
    for bank, question in each_question(banks):
        choices, answer, changes = _choices(question)
        if not choices:
            report.skipped(bank.bank.id, question.id, changes[0])
            continue
        if reason := _read_as_choice(question.question):
            report.skipped(bank.bank.id, question.id, reason)
            continue
        choices = dealer.order(choices, [answer])  # Moodle shows them as written
        lines = [one_line(question.question)]
        letters = string.ascii_uppercase[: len(choices)]  # the models allow 8 at most
        lines += [f"{letter}. {one_line(c)}" for letter, c in zip(letters, choices, strict=True)]
        lines.append(f"ANSWER: {string.ascii_uppercase[choices.index(answer)]}")
        if any("\n" in text for text in (question.question, *choices)):
            changes.append(_NEWLINES)
        blocks.append("\n".join(lines))
        report.exported(bank.bank.id, question.id, changes)
    return Exported(("\n\n".join(blocks) + "\n").encode("utf-8"), report)


def _read_as_choice(text: str) -> str:
    """Why Moodle would not read ``text`` as a question's line, or ""."""
    line = one_line(text).strip()
    if _OPTION.match(line):
        return f"the question starts with {line[:2]!r}, which Moodle's Aiken reads as a choice"
    if line.startswith("ANSWER:"):
        return "the question starts with 'ANSWER:', which Moodle's Aiken reads as the answer"
    return ""


def _choices(question: AnyQuestion) -> tuple[list[str], str, list[str]]:
    if isinstance(question, ChoiceQuestion):
        return list(question.choices), question.answer, []
    if isinstance(question, BooleanQuestion):
        answer = "True" if question.answer else "False"
        return ["True", "False"], answer, ["written as a choice between True and False"]
    return [], "", [f"{question.type} questions cannot be expressed in Aiken"]


def read(text: str) -> Imported:
    builder = Builder()
    question: tuple[int, list[str]] | None = None  # its lines, joined once it is whole
    choices: list[tuple[str, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if len(line) < 2:  # Moodle passes over a line shorter than 2 characters
            continue
        if question is None:
            if _OPTION.match(line) or _ANSWER.match(line):
                raise BrokenInput(number, "expected a question before its choices")
            question = (number, [line])
        elif match := _OPTION.match(line):
            choices.append((match.group(1), match.group(2).strip()))
        elif match := _ANSWER.match(line):
            _add(
                builder,
                (question[0], " ".join(question[1])),
                choices,
                match.group(1).strip()[:1],  # Moodle reads the first character
                number,
            )
            question, choices = None, []
        elif choices:
            raise BrokenInput(number, "expected a choice (`B. ...`) or `ANSWER: <letter>`")
        else:  # a question may run over several lines before its first choice
            question[1].append(line)
    if question is not None:
        raise BrokenInput(
            question[0], "expected `ANSWER: <letter>` after the choices of this question"
        )
    return builder.result


def _add(
    builder: Builder,
    question: tuple[int, str],
    choices: list[tuple[str, str]],
    answer: str,
    line: int,
) -> None:
    letters = [letter for letter, _ in choices]
    if len(choices) < 2:
        raise BrokenInput(line, "expected at least two choices (`A. ...`, `B. ...`) before ANSWER")
    if answer.upper() not in letters:
        raise BrokenInput(
            line, f"expected ANSWER to be one of {', '.join(letters)}, not {answer!r}"
        )
    texts = [text for _, text in choices]
    data = {
        "type": "choice",
        "question": question[1],
        "choices": texts,
        "answer": texts[letters.index(answer.upper())],
    }
    builder.add(data, question[0])
