"""Open Trivia DB's JSON, as its API serves it (``response_code`` and ``results``).

Its two types: ``multiple`` (one right answer among choices) and ``boolean``. The
question and answers are HTML-encoded, as with the API's default encoding (``&quot;``,
``&#039;``), and decoded on import; the category is left as it is, as the API serves
it ("Entertainment: Film", "Science & Nature"). The other types are skipped: OpenTDB
has no way to express them. Its readers mix ``correct_answer`` among the
``incorrect_answers`` themselves, so no order is written.
"""

from __future__ import annotations

import html
import json
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
    each_question,
    entities,
)
from desperado_quiz.model import AnyQuestion, Bank, BooleanQuestion, ChoiceQuestion


def export(banks: Sequence[Bank], options: ExportOptions = NO_OPTIONS) -> Exported:
    report = ExportReport()
    results = []
    for bank, question in each_question(banks):
        result = _result(question)
        if result is None:
            reason = f"{question.type} questions cannot be expressed in Open Trivia DB"
            report.skipped(bank.bank.id, question.id, reason)
            continue
        results.append(result)
        report.exported(bank.bank.id, question.id)
    document = {"response_code": 0, "results": results}
    return Exported((json.dumps(document, indent=2) + "\n").encode("utf-8"), report)


def _result(question: AnyQuestion) -> dict[str, Any] | None:
    common = {
        "difficulty": question.difficulty,
        "category": question.category,  # the API serves it raw, never encoded
        "question": entities(question.question),
    }
    if isinstance(question, ChoiceQuestion):
        wrong = [entities(c) for c in question.choices if c != question.answer]
        return {
            "type": "multiple",
            **common,
            "correct_answer": entities(question.answer),
            "incorrect_answers": wrong,
        }
    if isinstance(question, BooleanQuestion):
        right, other = ("True", "False") if question.answer else ("False", "True")
        return {"type": "boolean", **common, "correct_answer": right, "incorrect_answers": [other]}
    return None


def read(text: str) -> Imported:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise BrokenInput(
            error.lineno, f"not valid JSON: {error.msg} (column {error.colno})"
        ) from None
    results = document.get("results") if isinstance(document, dict) else document
    if not isinstance(results, list):
        raise BrokenInput(1, 'expected {"results": [...]} or a list of questions')
    builder = Builder()
    lines = _result_lines(text, len(results))
    for index, result in enumerate(results):
        line = lines[index] if index < len(lines) else None
        data = _question(result) if isinstance(result, dict) else "an entry that is not an object"
        if isinstance(data, str):
            builder.skip(line, data)
        else:
            builder.add(data, line)
    return builder.result


def _raw(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _text(value: Any) -> str:
    return html.unescape(value).strip() if isinstance(value, str) else ""


def _question(result: dict[str, Any]) -> dict[str, Any] | str:
    kind = result.get("type")
    right = _text(result.get("correct_answer"))
    wrong = result.get("incorrect_answers")
    if not isinstance(wrong, list) or not right:
        return "expected `correct_answer` and a list of `incorrect_answers`"
    data: dict[str, Any] = {
        "question": _text(result.get("question")),
        "category": _raw(result.get("category")),
        "difficulty": _text(result.get("difficulty")).lower(),
    }
    if kind == "boolean":
        if right.lower() not in ("true", "false"):
            return f"a boolean question's answer must be True or False, not {right!r}"
        return data | {"type": "boolean", "answer": right.lower() == "true"}
    if kind == "multiple":
        return data | {"type": "choice", "choices": [right, *map(_text, wrong)], "answer": right}
    return f"Open Trivia DB type {kind!r} is not multiple or boolean"


def _result_lines(text: str, count: int) -> list[int]:
    """The line where each result starts: the entries of the top-level list, or of the
    top-level object's ``results`` list (its last, as ``json.loads`` keeps the last of a
    repeated key). Enough for messages; the text has already parsed as JSON."""
    lines: list[int] = []
    line, depth, string_start = 1, 0, 0
    in_string = escaped = False
    expecting = False  # an entry of the results list starts at the next value
    key = ""  # the last string closed at depth 1: the key of the value that follows
    list_depth: int | None = None  # the depth inside the results list, while in it
    for position, char in enumerate(text):
        if char == "\n":
            line += 1
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
                key = text[string_start:position] if depth == 1 else key
            continue
        if depth == list_depth:
            if char == ",":
                expecting = True
            elif expecting and not char.isspace() and char != "]":
                lines.append(line)
                expecting = False
        if char == '"':
            in_string, string_start = True, position + 1
        elif char in "[{":
            depth += 1
            if char == "[" and (depth == 1 or (depth == 2 and key == "results")):
                list_depth, lines, expecting = depth, [], True
        elif char in "]}":
            if depth == list_depth:
                list_depth = None
            depth -= 1
    return lines[:count]
