"""An Anki deck package (.apkg), through genanki: a note per question, a deck per bank.

Ids are derived from names, never drawn at random, so that importing a new export
updates the notes and decks of the last one instead of adding copies: the note type's
id from the project's name, each deck's from its bank id, each note's guid from its
bank and question ids. The front shows the question (and its choices, or the items to
order) and the hint behind a click; the back the answer, the explanation and the
evidence quote. Anki tags cannot hold spaces, so a space in a tag becomes ``_``
(reported).
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Sequence
from pathlib import Path

from desperado_quiz.convert.common import Exported, ExportReport, to_html
from desperado_quiz.model import (
    AnyQuestion,
    Bank,
    BooleanQuestion,
    ChoiceQuestion,
    MultiQuestion,
    OrderQuestion,
)

FIELDS = ("Question", "Options", "Hint", "Answer", "Explanation", "Evidence", "Reference")
_FRONT = (
    '<div class="question">{{Question}}</div>{{#Options}}<ol type="A">{{Options}}</ol>{{/Options}}'
)
_BACK = (
    '{{FrontSide}}<hr id="answer"><div class="answer">{{Answer}}</div>'
    "{{#Explanation}}<p>{{Explanation}}</p>{{/Explanation}}"
    "{{#Evidence}}<blockquote>{{Evidence}}</blockquote>{{/Evidence}}"
)
_CSS = ".card { font-family: sans-serif; font-size: 20px; } blockquote { font-style: italic; }"


def stable_id(name: str) -> int:
    """A 31-bit id from a name, the same on every machine (Anki wants ids < 2**63;
    genanki's examples use this range)."""
    digest = hashlib.sha256(f"desperado-quiz:{name}".encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:4], "big") % (1 << 30)


def export(banks: Sequence[Bank]) -> Exported:
    import genanki

    model = genanki.Model(
        stable_id("note-type"),
        "desperado-quiz question",
        fields=[{"name": name} for name in FIELDS],
        templates=[{"name": "Question", "qfmt": _FRONT, "afmt": _BACK}],
        css=_CSS,
    )
    report = ExportReport()
    decks = []
    for bank in banks:
        deck = genanki.Deck(stable_id(f"deck:{bank.bank.id}"), f"Desperado quiz::{bank.bank.title}")
        for question in bank.questions:
            tags = [tag.replace(" ", "_") for tag in question.tags]
            changes = (
                ["spaces in tags written as _: Anki tags are single words"]
                if (tags != question.tags)
                else []
            )
            deck.add_note(
                genanki.Note(
                    model=model,
                    fields=_fields(bank, question),
                    tags=tags,
                    guid=genanki.guid_for(bank.bank.id, question.id),
                )
            )
            report.exported(bank.bank.id, question.id, changes)
        decks.append(deck)
    with tempfile.TemporaryDirectory() as folder:  # genanki writes to a file only
        path = Path(folder) / "deck.apkg"
        genanki.Package(decks).write_to_file(str(path))
        return Exported(path.read_bytes(), report)


def _fields(bank: Bank, question: AnyQuestion) -> list[str]:
    match question:
        case ChoiceQuestion() | MultiQuestion():
            options = question.choices
        case OrderQuestion():
            options = sorted(question.answer, key=str.casefold)  # never the right order
        case _:
            options = []
    text = question.question
    if isinstance(question, BooleanQuestion):
        text += "\n(True or false?)"
    return [
        to_html(text),
        "".join(f"<li>{to_html(option)}</li>" for option in options),
        to_html(question.hint),
        to_html(question.answer_text),
        to_html(question.explanation),
        "<br>".join(to_html(quote) for quote in question.quotes),
        to_html(f"{bank.bank.id}:{question.id}"),
    ]
