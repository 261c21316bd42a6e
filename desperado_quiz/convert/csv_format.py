"""CSV: one row per question, every key in a column of its own (the header below).

Lists (choices, several answers, accepted forms, items to order, tags, quotes) are
written in one cell, separated by ``|``; a ``|`` or ``\\`` inside an item is written
``\\|`` or ``\\\\``. A text cell that a spreadsheet would run as a formula (it starts
with ``= + - @``, a tab or a carriage return) gets a leading ``'``, as does one that
starts with ``'`` itself, and reading removes it: the text comes back as it was.
The file is UTF-8 with a byte-order mark, so that Excel reads it as UTF-8.

Every key goes out and comes back, evidence included: a CSV export imported again gives
back the same questions. (A bank imported with ``--source`` is held to that source, so
its quotes are checked; one imported without a source is not grounded.)
"""

from __future__ import annotations

import csv
import io
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
    each_question,
    number_text,
)
from desperado_quiz.model import AnyQuestion, Bank, NumberQuestion, TextQuestion

HEADER = (
    "bank",
    "id",
    "type",
    "question",
    "category",
    "difficulty",
    "choices",
    "answer",
    "accept",
    "tolerance",
    "unit",
    "explanation",
    "hint",
    "tags",
    "evidence",
    "related",
)
REQUIRED = ("type", "question", "answer")
_LISTS = ("choices", "accept", "tags", "evidence", "related")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")
_PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def join(items: Sequence[str]) -> str:
    return "|".join(item.replace("\\", "\\\\").replace("|", "\\|") for item in items)


def split(cell: str) -> list[str]:
    items, current, index = [], [], 0
    while index < len(cell):
        char = cell[index]
        if char == "\\" and index + 1 < len(cell):
            current.append(cell[index + 1])
            index += 2
            continue
        if char == "|":
            items.append("".join(current))
            current = []
        else:
            current.append(char)
        index += 1
    items.append("".join(current))
    return [item for item in items if item.strip()] if cell else []


def safe(cell: str) -> str:
    """A cell a spreadsheet shows as text; a plain number stays a number."""
    if cell.startswith(_FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def _row(bank: Bank, question: AnyQuestion) -> dict[str, str]:
    answer: Any = question.answer
    if isinstance(answer, bool):
        answer = "true" if answer else "false"
    elif isinstance(answer, list):
        answer = join(answer)
    elif isinstance(question, NumberQuestion):
        answer = number_text(question.answer)
    row = {
        "bank": bank.bank.id,
        "id": question.id,
        "type": question.type,
        "question": question.question,
        "category": question.category,
        "difficulty": question.difficulty,
        "answer": answer,
        "explanation": question.explanation,
        "hint": question.hint,
        "tags": join(question.tags),
        "evidence": join(question.quotes),
        "choices": join(getattr(question, "choices", [])),
        "accept": join(question.accept) if isinstance(question, TextQuestion) else "",
        "unit": getattr(question, "unit", ""),
        "related": join(question.related),
    }
    if isinstance(question, NumberQuestion):
        row["accept"] = join([number_text(value) for value in question.accept])
        if question.tolerance:
            row["tolerance"] = number_text(question.tolerance)
    return {key: safe(value) for key, value in row.items()}


def export(banks: Sequence[Bank], options: ExportOptions = NO_OPTIONS) -> Exported:
    report = ExportReport()
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=HEADER, lineterminator="\r\n")
    writer.writeheader()
    for bank, question in each_question(banks):
        writer.writerow(_row(bank, question))
        report.exported(bank.bank.id, question.id)
    return Exported(("\ufeff" + buffer.getvalue()).encode("utf-8"), report)


def read(text: str) -> Imported:
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), strict=True)
    try:
        header = [cell.strip().lower() for cell in next(reader, [])]
        if missing := [key for key in REQUIRED if key not in header]:
            raise BrokenInput(
                1,
                f"expected a header row with the columns {', '.join(HEADER)} (missing: "
                f"{', '.join(missing)})",
            )
        builder = Builder()
        start = reader.line_num + 1
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(header):
                raise BrokenInput(
                    line, f"expected {len(header)} cells as in the header, found {len(cells)}"
                )
            row = {key: _unsafe(cell) for key, cell in zip(header, cells, strict=False)}
            _add(builder, row, line)
    except csv.Error as error:
        raise BrokenInput(reader.line_num, f"not valid CSV: {error}") from None
    return builder.result


def _unsafe(cell: str) -> str:
    return cell[1:] if cell.startswith("'") else cell


def _add(builder: Builder, row: dict[str, str], line: int) -> None:
    kind = row.get("type", "").strip().lower()
    answer: Any = row.get("answer", "")
    data: dict[str, Any] = {
        "type": kind,
        "question": row.get("question", ""),
        "category": row.get("category", ""),
        "difficulty": row.get("difficulty", "").strip().lower(),
        "explanation": row.get("explanation", ""),
        "hint": row.get("hint", ""),
        "tags": split(row.get("tags", "")),
        "related": split(row.get("related", "")),
        "evidence": split(row.get("evidence", "")),
    }
    if kind in ("choice", "multi"):
        data["choices"] = split(row.get("choices", ""))
    if kind in ("multi", "order"):
        answer = split(answer)
    elif kind == "boolean":
        if answer.strip().lower() not in ("true", "false"):
            builder.skip(line, f"a boolean answer must be true or false, not {answer!r}")
            return
        answer = answer.strip().lower() == "true"
    elif kind == "number":
        try:
            answer = float(answer)
            data["tolerance"] = float(row.get("tolerance") or 0)
            data["accept"] = [float(value) for value in split(row.get("accept", ""))]
        except ValueError:
            builder.skip(
                line, "the answer, tolerance and accept of a number question must be numbers"
            )
            return
        data["unit"] = row.get("unit", "")
    elif kind == "text":
        data["accept"] = split(row.get("accept", ""))
    data["answer"] = answer
    builder.add(data, line, row.get("id", ""))
