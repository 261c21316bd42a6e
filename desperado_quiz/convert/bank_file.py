"""The TOML file of an imported bank, written like the bundled banks.

Imported questions keep the evidence their file quoted (our own CSV, Moodle XML and
GIFT carry it), and have none otherwise: an import never invents any. A bank given a
``--source`` is held to it (`validate` reports each question without evidence); a bank
without one plays, and `validate` warns that it is not grounded. For a question with no
evidence, the closest sentence of ``--source`` is written as a comment above it, for
the author to confirm.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from desperado_quiz.authoring import bank_header, question_block
from desperado_quiz.convert.common import Imported, ImportedQuestion
from desperado_quiz.source import SourceDocument
from desperado_quiz.text import visible


def question_data(question: Any) -> dict[str, Any]:
    data: dict[str, Any] = dataclasses.asdict(question)
    if not data.get("tolerance"):
        data.pop("tolerance", None)
    return data


def suggestions(item: ImportedQuestion, source: SourceDocument | None) -> list[str]:
    """Comment lines above a question: passages for the author to confirm as evidence."""
    lines = []
    if source is not None and not item.question.evidence:
        question = item.question
        closest = source.closest_sentence(f"{question.question} {question.answer_text}")
        if closest:
            lines.append(
                f"# Evidence to confirm: the closest passage of {_comment(source.path.name)}"
            )
            lines.append(f"#   {_comment(closest)}")
    return lines


def _comment(text: str) -> str:
    # A TOML comment is one line without control characters.
    return visible(" ".join(text.split()))


def bank_text(
    imported: Imported,
    bank_id: str,
    title: str,
    source_name: str,
    source: SourceDocument | None,
) -> str:
    header = bank_header(bank_id, title, source_name, description=imported.description)
    blocks: Sequence[str] = [
        "\n".join([*suggestions(item, source), question_block(question_data(item.question))])
        for item in imported.questions
    ]
    return header + "".join(f"\n{block}" for block in blocks)
