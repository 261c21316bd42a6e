"""The .apkg is read by Anki's own library (the `anki` package from PyPI), imported
into a fresh collection as the desktop app would, and its cards rendered by Anki's own
renderer (rslib, through the package's backend): the hint is behind Anki's click,
category and difficulty are tags, and a bank's text that looks like Anki's markup
(sound and TTS tags, LaTeX, cloze) is shown as text, never played or compiled.
Importing a newer export of the same banks updates the deck instead of adding copies."""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Iterator
from pathlib import Path

import anki.collection as anki_collection  # Anki's own library: the reader under test
import pytest

from desperado_quiz.convert import anki as deck_format
from desperado_quiz.model import adapter
from tests.convert_support import bundled


@pytest.fixture
def collection(tmp_path: Path) -> Iterator[anki_collection.Collection]:
    opened = anki_collection.Collection(str(tmp_path / "collection.anki2"))
    yield opened
    opened.close()


def import_package(collection: anki_collection.Collection, data: bytes, path: Path) -> object:
    path.write_bytes(data)
    request = anki_collection.ImportAnkiPackageRequest(
        package_path=str(path),
        options=anki_collection.ImportAnkiPackageOptions(with_scheduling=False),
    )
    return collection.import_anki_package(request)


def test_anki_imports_a_note_per_question_and_a_deck_per_bank(
    collection: anki_collection.Collection, tmp_path: Path
) -> None:
    banks = bundled()
    exported = deck_format.export(banks)
    import_package(collection, exported.data, tmp_path / "one.apkg")
    questions = [q for bank in banks for q in bank.questions]
    assert collection.note_count() == len(questions) == exported.report.written
    names = {deck.name for deck in collection.decks.all_names_and_ids()}
    assert {f"Desperado quiz::{bank.bank.title}" for bank in banks} <= names
    by_reference = {}
    for note_id in collection.find_notes(""):
        note = collection.get_note(note_id)
        by_reference[note["Reference"]] = note
    music = next(bank for bank in banks if bank.bank.id == "desperado-music")
    band = next(q for q in music.questions if q.id == "score-band")
    note = by_reference["desperado-music:score-band"]
    assert note["Question"] == deck_format.field(band.question)
    assert note["Answer"] == deck_format.field(band.answer)
    assert note["Explanation"] == deck_format.field(band.explanation)
    assert note["Evidence"] == deck_format.field(band.quotes[0])  # the quote is on the back
    assert note["Hint"] == deck_format.field(band.hint)
    tagged = next(q for bank in banks for q in bank.questions if q.tags)
    reference = next(f"{b.bank.id}:{tagged.id}" for b in banks if tagged in b.questions)
    assert by_reference[reference].tags[: len(tagged.tags)] == [
        tag.replace(" ", "_") for tag in tagged.tags
    ]
    for note in by_reference.values():  # category and difficulty, as Anki's own tags
        assert any(tag.startswith("category::") for tag in note.tags)
        assert any(tag.startswith("difficulty::") for tag in note.tags)


def test_importing_a_new_export_updates_instead_of_duplicating(
    collection: anki_collection.Collection, tmp_path: Path
) -> None:
    banks = bundled()
    import_package(collection, deck_format.export(banks).data, tmp_path / "first.apkg")
    decks = len(collection.decks.all_names_and_ids())
    log = import_package(collection, deck_format.export(banks).data, tmp_path / "second.apkg")
    assert collection.note_count() == sum(len(bank.questions) for bank in banks)
    assert len(collection.decks.all_names_and_ids()) == decks
    assert not log.log.new  # type: ignore[attr-defined]


def test_ids_are_stable_from_names() -> None:
    assert deck_format.stable_id("deck:desperado-music") == deck_format.stable_id(
        "deck:desperado-music"
    )
    assert deck_format.stable_id("deck:desperado-music") != deck_format.stable_id(
        "deck:desperado-cast"
    )
    assert 1 << 30 <= deck_format.stable_id("note-type") < 1 << 31


MARKUP = (
    "[sound:/etc/passwd.mp3] [anki:tts lang=en_US]hi[/anki:tts] [latex]x[/latex] [$]y[/$] "
    "[$$]z[/$$] {{c1::cloze}}"
)


def test_anki_shows_its_own_markup_as_text_and_the_hint_behind_a_click(
    collection: anki_collection.Collection, tmp_path: Path
) -> None:
    """Issue 24, item 11: rendered by Anki, a card plays nothing and compiles nothing."""

    bank = adapter("bank").validate_python(
        {
            "bank": {"id": "markup", "title": "Markup"},
            "questions": [
                {"id": "q", "type": "text", "question": f"Q {MARKUP}", "category": "Music",
                 "difficulty": "hard", "answer": f"A {MARKUP}", "hint": f"H {MARKUP}",
                 "explanation": f"E {MARKUP}", "evidence": f"Q {MARKUP}"},
            ],
        }
    )  # fmt: skip
    import_package(collection, deck_format.export([bank]).data, tmp_path / "m.apkg")
    card = collection.get_card(collection.find_cards("")[0])
    front, back = card.question(), card.answer()
    assert card.question_av_tags() == []
    assert card.answer_av_tags() == []
    assert "<img" not in front  # no LaTeX image: nothing compiled
    assert "<img" not in back
    backend = collection._backend
    for html_text in (front, back):
        assert not backend.extract_av_tags(text=html_text, question_side=True).av_tags
        assert not backend.extract_latex(text=html_text, svg=False, expand_clozes=False).latex
    # Shown as the characters they are, once the entities are read.
    assert "[sound:/etc/passwd.mp3]" in html.unescape(front)
    assert "{{c1::cloze}}" in html.unescape(back)
    # The hint: behind Anki's own "hint" filter, a link that shows it.
    assert "class=hint" in front.replace('"', "")
    assert "H " in html.unescape(front)
    note = collection.get_note(card.nid)
    assert set(note.tags) == {"category::Music", "difficulty::hard"}


def test_a_changed_bank_updates_its_notes_and_the_same_banks_the_same_file(
    collection: anki_collection.Collection, tmp_path: Path
) -> None:
    """Notes carry the time the banks last changed: an export of the same banks is the
    same file, and one of a changed bank is newer, so Anki updates the note."""
    from desperado_quiz.convert.common import ExportOptions

    banks = bundled()
    first = deck_format.export(banks, ExportOptions(seed=1, timestamp=1_700_000_000))
    assert first.data == deck_format.export(banks, ExportOptions(1, 1_700_000_000)).data
    import_package(collection, first.data, tmp_path / "first.apkg")
    question = banks[0].questions[0]
    edited = dataclasses.replace(question, explanation="Rewritten after the first import.")
    changed = [dataclasses.replace(banks[0], questions=[edited, *banks[0].questions[1:]])]
    later = deck_format.export(changed + banks[1:], ExportOptions(1, 1_700_000_100))
    log = import_package(collection, later.data, tmp_path / "later.apkg")
    assert not log.log.new  # type: ignore[attr-defined]
    assert collection.note_count() == sum(len(bank.questions) for bank in banks)
    reference = f"{banks[0].bank.id}:{question.id}"
    notes = [collection.get_note(n) for n in collection.find_notes("")]
    note = next(n for n in notes if n["Reference"] == reference)
    assert note["Explanation"] == "Rewritten after the first import."
