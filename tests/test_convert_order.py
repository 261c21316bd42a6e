"""Choices ordered on export (issue 21): in every format whose reader shows them as
written (Kahoot's sheet, an Anki card, Aiken in Moodle), the right answer's place is
spread evenly, read back from each file by its reader (openpyxl, Anki's own library,
our Aiken reader, which follows Moodle's); the same seed makes the same file byte for
byte, another seed another order."""

from __future__ import annotations

import html
import io
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

import pytest
from openpyxl import load_workbook

import desperado_quiz as dq
from desperado_quiz.convert import aiken
from desperado_quiz.convert.common import ChoiceDealer

SHUFFLED = ["anki", "kahoot", "aiken", "canvas"]


def spread(places: Iterable[tuple[int, int]]) -> dict[int, Counter[int]]:
    """For each number of choices, how often the right one was at each place."""
    by_count: dict[int, Counter[int]] = defaultdict(Counter)
    for count, place in places:
        by_count[count][place] += 1
    return by_count


def assert_even(by_count: dict[int, Counter[int]]) -> None:
    for count, places in by_count.items():
        seen = [places.get(place, 0) for place in range(count)]
        assert max(seen) - min(seen) <= 1, (count, seen)


@pytest.mark.parametrize("name", SHUFFLED)
def test_the_same_seed_makes_the_same_file_and_another_another(name: str, tmp_path: Path) -> None:
    suffix = dq.export(name, output=None, seed=1).format.suffix
    first, again, other = (tmp_path / f"{n}{suffix}" for n in ("a", "b", "c"))
    assert dq.export(name, output=first, seed=7).seed == 7
    dq.export(name, output=again, seed=7)
    dq.export(name, output=other, seed=8)
    assert first.read_bytes() == again.read_bytes()
    assert first.read_bytes() != other.read_bytes()


def test_without_a_seed_one_is_drawn_and_given_back() -> None:
    result = dq.export("kahoot", output=None)
    assert isinstance(result.seed, int)
    assert result.to_dict()["seed"] == result.seed
    assert dq.export("moodle", output=None).seed is None  # Moodle shuffles by itself


def test_kahoot_spreads_the_right_answer_over_the_four_shapes() -> None:
    data = dq.export("kahoot", output=None, seed=3).exported.data
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    places = []
    for row in sheet.iter_rows(min_row=9, values_only=True):
        answers = [a for a in row[2:6] if a is not None]
        right = str(row[7]).split(",")
        if len(right) == 1:
            places.append((len(answers), int(right[0]) - 1))
    by_count = spread(places)
    assert_even(by_count)
    assert sum(by_count[4][place] for place in (1, 2, 3)) > 0  # not always the red one


def test_aiken_spreads_the_answer_letter() -> None:
    data = dq.export("aiken", output=None, seed=3).exported.data.decode()
    places = []
    for block in data.strip().split("\n\n"):
        lines = block.splitlines()
        letter = lines[-1].removeprefix("ANSWER: ")
        places.append((len(lines) - 2, ord(letter) - ord("A")))
    assert_even(spread(places))
    back = aiken.read(data)  # and Moodle's reading of it gives the same right answers
    assert len(back.questions) == len(places)


def test_anki_cards_list_the_choices_with_the_right_one_spread(tmp_path: Path) -> None:
    import anki.collection as anki_collection

    from tests.test_convert_anki import import_package

    collection = anki_collection.Collection(str(tmp_path / "c.anki2"))
    try:
        import_package(
            collection, dq.export("anki", output=None, seed=5).exported.data, tmp_path / "a.apkg"
        )
        places = []
        for note_id in collection.find_notes(""):
            note = collection.get_note(note_id)
            options = [html.unescape(li) for li in re.findall(r"<li>(.*?)</li>", note["Options"])]
            answer = html.unescape(note["Answer"])
            if answer in options:
                places.append((len(options), options.index(answer)))
    finally:
        collection.close()
    assert len(places) > 10
    assert_even(spread(places))


def test_the_dealer_deals_each_place_once_before_any_again() -> None:
    dealer = ChoiceDealer(11)
    options = ["a", "b", "c", "d"]
    first_round = [dealer.order(options, ["a"]).index("a") for _ in range(4)]
    assert sorted(first_round) == [0, 1, 2, 3]
    several = dealer.order(options, ["a", "b"])
    assert sorted(several) == options
