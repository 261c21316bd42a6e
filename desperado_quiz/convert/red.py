"""A Red-DiscordBot trivia list: YAML mapping each question to its accepted answers,
with ``AUTHOR`` and ``CONFIG`` filled in.

Players type the answer, so: text questions keep every accepted form; a choice
question keeps its answer (its choices are left out, which the report says); a boolean
question is answered "True" or "Yes" (or "False" or "No"); a number is written as
people write it, without its tolerance (reported). multi and order are skipped.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from desperado_quiz.convert.common import (
    NO_OPTIONS,
    BrokenInput,
    Builder,
    Exported,
    ExportOptions,
    ExportReport,
    Imported,
    distinct,
    each_question,
    number_text,
)
from desperado_quiz.model import (
    AnyQuestion,
    Bank,
    BooleanQuestion,
    ChoiceQuestion,
    NumberQuestion,
    TextQuestion,
)
from desperado_quiz.text import format_number

_SPECIAL_KEYS = ("AUTHOR", "CONFIG", "DESCRIPTION", "$schema")
# Red's own defaults, within the limits its schema sets (delay >= 4, timeout > 0).
CONFIG = {"bot_plays": False, "delay": 30, "max_score": 10, "reveal_answer": True, "timeout": 120}
_YES, _NO = ("True", "Yes"), ("False", "No")


def export(banks: Sequence[Bank], options: ExportOptions = NO_OPTIONS) -> Exported:
    import yaml

    report = ExportReport()
    document: dict[str, Any] = {
        "AUTHOR": "desperado-quiz: " + ", ".join(bank.bank.title for bank in banks),
        "DESCRIPTION": " ".join(b.bank.description for b in banks if b.bank.description)
        or "Questions about the film Desperado (1995).",
        "CONFIG": dict(CONFIG),
    }
    for bank, question in each_question(banks):
        answers, changes = _answers(question)
        if not answers:
            report.skipped(bank.bank.id, question.id, changes[0])
        elif question.question in _SPECIAL_KEYS:
            reason = f"the question text is {question.question}, a key of Red's own"
            report.skipped(bank.bank.id, question.id, reason)
        elif question.question in document:
            reason = "the same question text as another (Red keys questions by their text)"
            report.skipped(bank.bank.id, question.id, reason)
        else:
            document[question.question] = answers
            report.exported(bank.bank.id, question.id, changes)
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=1000)
    return Exported(text.encode("utf-8"), report)


def _answers(question: AnyQuestion) -> tuple[list[str], list[str]]:
    match question:
        case TextQuestion():
            return list(question.accepted), []
        case ChoiceQuestion():
            return [question.answer], ["choices left out: Red's players type the answer"]
        case BooleanQuestion():
            return list(_YES if question.answer else _NO), []
        case NumberQuestion():
            forms = distinct(
                [text for value in question.right_values for text in _number_forms(value)]
            )
            return forms, ["tolerance left out: Red matches the answer as written"] if (
                question.tolerance
            ) else []
    return [], [f"{question.type} questions cannot be expressed in a Red trivia list"]


def _number_forms(value: float) -> list[str]:
    return [format_number(value), number_text(value)]


def read(text: str) -> Imported:
    import yaml

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or "not valid YAML"
        line = mark.line + 1 if mark is not None else None
        raise BrokenInput(line, f"not valid YAML: {problem}") from None
    if not isinstance(document, dict) or not isinstance(root, yaml.MappingNode):
        raise BrokenInput(1, "expected a mapping of each question to a list of its answers")
    lines = {str(key.value): key.start_mark.line + 1 for key, _ in root.value}
    builder = Builder()
    builder.result.title = ""
    if isinstance(document.get("DESCRIPTION"), str):
        builder.result.description = document["DESCRIPTION"].strip()
    for key, value in document.items():
        if key in _SPECIAL_KEYS:
            continue
        line = lines.get(str(key))
        answers = value if isinstance(value, list) else [value]
        forms = distinct([_answer_text(a) for a in answers if _answer_text(a)])
        if not forms:
            builder.skip(line, "expected a list of answers")
            continue
        builder.add(_question(str(key).strip(), forms), line)
    return builder.result


def _answer_text(value: Any) -> str:
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, int | float):
        return format_number(float(value))
    return str(value).strip() if isinstance(value, str) else ""


def _question(text: str, forms: list[str]) -> dict[str, Any]:
    folded = {form.casefold() for form in forms}
    for value, words in ((True, _YES), (False, _NO)):
        if folded <= {word.casefold() for word in words}:
            return {"type": "boolean", "question": text, "answer": value}
    return {"type": "text", "question": text, "answer": forms[0], "accept": forms[1:]}
