"""An Anki deck package (.apkg), through genanki: a note per question, a deck per bank.

Ids are derived from names, never drawn at random, so that importing a new export
updates the notes and decks of the last one instead of adding copies: the note type's
id from the project's name, each deck's from its bank id, each note's guid from its
bank and question ids. The front shows the question (and its choices, or the items to
order) and the hint behind a click (Anki's ``hint:`` filter); the back the answer, the
explanation and the evidence quote. The category and difficulty are tags
(``category::Music``, ``difficulty::hard``); Anki tags cannot hold spaces, so a space
in a tag becomes ``_`` (reported for the bank's own tags).

A card shows the choices as written, so they are ordered by the export's seed, the
right one's place dealt evenly. Anki reads its own markup in a field's HTML (the sound
and TTS tags ``[sound:...]`` and ``[anki:...]``, the LaTeX of ``[latex]``, ``[$]`` and
``[$$]``, cloze's ``{{c1::...}}``): every ``[`` and ``{`` of a bank's text is written as
an entity (``&#91;``, ``&#123;``), which Anki shows as the character and never reads as
markup. The notes' times are the export's timestamp (when the banks last changed), so
the same banks give the same file, and a newer bank newer notes, which Anki updates.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Sequence
from pathlib import Path

from desperado_quiz.convert.common import (
    NO_OPTIONS,
    ChoiceDealer,
    Exported,
    ExportOptions,
    ExportReport,
    rezipped,
    to_html,
)
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
    '{{#Hint}}<div class="hint">{{hint:Hint}}</div>{{/Hint}}'
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


def export(banks: Sequence[Bank], options: ExportOptions = NO_OPTIONS) -> Exported:
    import genanki

    model = genanki.Model(
        stable_id("note-type"),
        "desperado-quiz question",
        fields=[{"name": name} for name in FIELDS],
        templates=[{"name": "Question", "qfmt": _FRONT, "afmt": _BACK}],
        css=_CSS,
    )
    report = ExportReport()
    dealer = ChoiceDealer(options.seed)
    decks = []
    for bank in banks:
        deck = genanki.Deck(stable_id(f"deck:{bank.bank.id}"), f"Desperado quiz::{bank.bank.title}")
        for question in bank.questions:
            tags = [_tag(tag) for tag in question.tags]
            changes = (
                ["spaces in tags written as _: Anki tags are single words"]
                if (tags != question.tags)
                else []
            )
            tags += [_tag(f"category::{question.category}"), f"difficulty::{question.difficulty}"]
            deck.add_note(
                genanki.Note(
                    model=model,
                    fields=_fields(bank, question, dealer),
                    tags=tags,
                    guid=genanki.guid_for(bank.bank.id, question.id),
                )
            )
            report.exported(bank.bank.id, question.id, changes)
        decks.append(deck)
    with tempfile.TemporaryDirectory() as folder:  # genanki writes to a file only
        path = Path(folder) / "deck.apkg"
        genanki.Package(decks).write_to_file(str(path), timestamp=options.timestamp or None)
        return Exported(rezipped(path.read_bytes()), report)


def _tag(text: str) -> str:
    return "_".join(text.split())


def field(text: str) -> str:
    """A bank's text as a field's HTML that Anki shows as written: HTML escaped, and
    ``[`` and ``{`` as entities, so that no sound, TTS, LaTeX or cloze markup is read
    (rslib's av-tag, LaTeX and cloze parsers all look for the literal characters)."""
    return to_html(text).replace("[", "&#91;").replace("{", "&#123;")


def _fields(bank: Bank, question: AnyQuestion, dealer: ChoiceDealer) -> list[str]:
    match question:
        case ChoiceQuestion():
            options = dealer.order(question.choices, [question.answer])
        case MultiQuestion():
            options = dealer.order(question.choices, question.answer)
        case OrderQuestion():
            options = sorted(question.answer, key=str.casefold)  # never the right order
        case _:
            options = []
    text = question.question
    if isinstance(question, BooleanQuestion):
        text += "\n(True or false?)"
    return [
        field(text),
        "".join(f"<li>{field(option)}</li>" for option in options),
        field(question.hint),
        field(question.answer_text),
        field(question.explanation),
        "<br>".join(field(quote) for quote in question.quotes),
        field(f"{bank.bank.id}:{question.id}"),
    ]
