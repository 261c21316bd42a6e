"""Export then import gives back the same questions, as far as each format carries
them: over the bundled banks, and over generated banks full of the characters that
formats escape (quotes, braces, colons, #, ~, =, HTML's specials, line breaks) and
of text that is not ASCII."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, assume, given, settings

from desperado_quiz.model import Bank
from tests.convert_support import banks, bundled, expected, got, round_trip

FORMATS = ["moodle", "gift", "opentdb", "red", "aiken", "csv"]


def assert_same(name: str, bank_list: list[Bank]) -> None:
    sent, imported = round_trip(name, bank_list)
    assert not imported.skipped
    back = [item.question for item in imported.questions]
    assert len(back) == len(sent)
    for original, read in zip(sent, back, strict=True):
        want = expected(original, name)
        assert got(read, want, name) == want, original.id
        if "evidence" not in want:  # a format without evidence: never invented
            assert read.evidence == []


@pytest.mark.parametrize("name", FORMATS)
def test_the_bundled_banks_come_back(name: str) -> None:
    assert_same(name, bundled())


@pytest.mark.parametrize("name", FORMATS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bank=banks())
def test_generated_banks_come_back(name: str, bank: Bank) -> None:
    if name == "red":  # Red keys questions by text, and reads "yes" alone as a boolean
        texts = [q.question for q in bank.questions]
        assume(len(set(texts)) == len(texts))
        assume(
            all(
                getattr(q, "answer", "").casefold() not in ("true", "false", "yes", "no")
                for q in bank.questions
                if q.type in ("text", "choice")
            )
        )
    if name == "aiken":  # Moodle's Aiken: one line each, no text that reads as a label
        assume(all(not re.match(r"\s*([A-Z][.)]|ANSWER:)", q.question) for q in bank.questions))
        assume(all(len(q.question.strip()) >= 2 for q in bank.questions))
    assert_same(name, [bank])


def test_the_titles_and_ids_come_back_where_the_format_has_them() -> None:
    for name in ("moodle", "gift", "csv"):
        sent, imported = round_trip(name, bundled())
        assert [item.question.id for item in imported.questions] == [q.id for q in sent]
    _, imported = round_trip("moodle", bundled())
    assert imported.title == "Desperado: the cast"
