"""The .apkg is read by Anki's own library (the `anki` package from PyPI), imported
into a fresh collection as the desktop app would; importing a newer export of the same
banks updates the deck instead of adding copies."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import anki.collection as anki_collection  # Anki's own library: the reader under test
import pytest

from desperado_quiz.convert import anki as deck_format
from desperado_quiz.convert.common import to_html
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
    assert note["Question"] == to_html(band.question)
    assert note["Answer"] == to_html(band.answer)
    assert note["Explanation"] == to_html(band.explanation)
    assert note["Evidence"] == to_html(band.quotes[0])  # the quote is on the back
    assert note["Hint"] == to_html(band.hint)
    tagged = next(q for bank in banks for q in bank.questions if q.tags)
    reference = next(f"{b.bank.id}:{tagged.id}" for b in banks if tagged in b.questions)
    assert by_reference[reference].tags == [tag.replace(" ", "_") for tag in tagged.tags]


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
