"""A Red-DiscordBot trivia list: YAML mapping each question to its accepted answers,
with ``AUTHOR``, ``DESCRIPTION`` and ``CONFIG`` filled in within the limits of Red's
schema (``redbot/cogs/trivia/schema.py``, which ``get_list`` enforces): a description
of 1 to 200 characters, an author of 1 to 1,000.

Red's players type the answer, and Red counts it right when the message holds an
answer: an answer of several words as a phrase anywhere in it, an answer of one word as
one of its words (``session.py``'s ``check_answer``). So: text questions keep every
accepted form; a choice question becomes a typed-answer question, its choices left
out (players would type them all in one message), its answer also accepted without a
leading article ("guitar case" for "A guitar case", which "a guitar case" contains
too); a boolean question is answered "True" or "Yes" (or "False" or "No"); a number is
written as people write it, without its tolerance. Each change is reported. multi and
order are skipped.
"""

from __future__ import annotations

import math
import re
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
        "AUTHOR": _within("desperado-quiz: " + ", ".join(b.bank.title for b in banks), MAX_AUTHOR),
        "DESCRIPTION": _description(banks),
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


MAX_AUTHOR, MAX_DESCRIPTION = 1000, 200  # Red's schema: AUTHOR and DESCRIPTION lengths
_ARTICLE = re.compile(r"^(?:a|an|the)\s+(?=\S)", re.IGNORECASE)


def _within(text: str, limit: int) -> str:
    """``text`` cut at a word to fit Red's limit, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _description(banks: Sequence[Bank]) -> str:
    """The banks' descriptions when they fit Red's 200 characters, else their titles."""
    described = " ".join(b.bank.description for b in banks if b.bank.description)
    if described and len(described) <= MAX_DESCRIPTION:
        return described
    titles = "Questions about the film Desperado (1995): " + "; ".join(b.bank.title for b in banks)
    return _within(titles, MAX_DESCRIPTION)


def _natural(forms: Sequence[str]) -> list[str]:
    """The forms, and each without its leading article: what players type. A bare form
    of one short word is left out: Red would count any message with that word in it
    ("who" of "The Who" is in "who knows?")."""
    bare = [_ARTICLE.sub("", form) for form in forms]
    return distinct([*forms, *(form for form in bare if " " in form or len(form) >= 5)])


def _answers(question: AnyQuestion) -> tuple[list[str], list[str]]:
    match question:
        case TextQuestion():
            forms = _natural(question.accepted)
            more = len(forms) > len(question.accepted)
            return forms, ["also accepted without its leading article"] if more else []
        case ChoiceQuestion():
            forms = _natural([question.answer])
            changes = [
                "asked as a typed answer: Red's players type it, so the choices are left out"
            ]
            if len(forms) > 1:
                changes.append("also accepted without its leading article")
            return forms, changes
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
    builder.result.description = _about(document.get("DESCRIPTION"), document.get("AUTHOR"))
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


def _about(description: Any, author: Any) -> str:
    """The bank's description: the list's own, and who wrote it (Red's AUTHOR)."""
    parts = [description.strip()] if isinstance(description, str) and description.strip() else []
    if isinstance(author, str) and author.strip():
        parts.append(f"By {author.strip()}.")
    return " ".join(parts)


def _answer_text(value: Any) -> str:
    """An answer as the list wrote it: YAML reads 12182015 as a number, which is not
    to be written back as 12,182,015."""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return number_text(value) if math.isfinite(value) else ""
    return str(value).strip() if isinstance(value, str) else ""


def _question(text: str, forms: list[str]) -> dict[str, Any]:
    folded = {form.casefold() for form in forms}
    for value, words in ((True, _YES), (False, _NO)):
        if folded <= {word.casefold() for word in words}:
            return {"type": "boolean", "question": text, "answer": value}
    return {"type": "text", "question": text, "answer": forms[0], "accept": forms[1:]}
