"""Moodle XML as Moodle's own code reads it: a short answer is stored as written and
compared with what a student types (qtype_shortanswer's compare_response_with_answer,
where `*` is a wildcard and `\\*` a star), so our accepted forms are plain text; a
number's unit is said in the question text and optional (qtype_numerical: showunits 0,
UNITINPUT, with unitgradingtype 0, UNITOPTIONAL), never switched off."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from desperado_quiz.convert import moodle
from desperado_quiz.model import adapter

BANK = adapter("bank").validate_python(
    {
        "bank": {"id": "b", "title": "B"},
        "questions": [
            {"id": "duo", "type": "text", "question": "Which duo?", "category": "C",
             "difficulty": "easy", "answer": "Tom & Jerry", "accept": ["<Tom>", "T*J"]},
            {"id": "gross", "type": "number", "question": "How much?", "category": "C",
             "difficulty": "easy", "answer": 58, "tolerance": 4, "unit": "million US dollars"},
        ],
    }
)  # fmt: skip


def wildcard_match(stored: str, typed: str) -> bool:
    """qtype_shortanswer::compare_string_with_wildcard, case ignored: runs of `*` not
    after a backslash match anything, `\\*` is a star, the rest is literal."""
    bits = re.split(r"(?<!\\)\*+", stored)
    pattern = ".*".join(re.escape(bit.replace("\\*", "*")) for bit in bits)
    return re.fullmatch(pattern, typed, re.IGNORECASE) is not None


def test_short_answers_are_stored_as_a_student_types_them() -> None:
    quiz = ET.fromstring(moodle.export([BANK]).data)
    question = quiz.find("question[@type='shortanswer']")
    assert question is not None
    stored = [a.findtext("text") or "" for a in question.findall("answer")]
    assert stored == ["Tom & Jerry", "<Tom>", "T\\*J"]  # no &amp;, and the star escaped
    for form, typed in zip(stored, ["tom & jerry", "<Tom>", "T*J"], strict=True):
        assert wildcard_match(form, typed)
    assert not wildcard_match(stored[2], "Tom and Jerry")  # a star, not a wildcard
    back = moodle.read(moodle.export([BANK]).data.decode()).questions[0].question
    assert back.accepted == ("Tom & Jerry", "<Tom>", "T*J")  # type: ignore[union-attr]


def test_a_numbers_unit_is_shown_and_optional() -> None:
    quiz = ET.fromstring(moodle.export([BANK]).data)
    question = quiz.find("question[@type='numerical']")
    assert question is not None
    assert "(million US dollars)" in (question.findtext("questiontext/text") or "")
    assert question.findtext("showunits") == "0"  # UNITINPUT: typed with the number
    assert question.findtext("unitgradingtype") == "0"  # UNITOPTIONAL: never required
    assert question.findtext("units/unit/unit_name") == "million US dollars"
    assert question.findtext("units/unit/multiplier") == "1"
    back = moodle.read(moodle.export([BANK]).data.decode()).questions[1].question
    assert (back.question, back.unit, back.tolerance) == ("How much?", "million US dollars", 4)  # type: ignore[union-attr]


def test_a_wildcard_answer_from_moodle_is_skipped_with_the_reason() -> None:
    text = (
        '<quiz><question type="shortanswer"><name><text>w</text></name>'
        '<questiontext format="html"><text>Who?</text></questiontext>'
        '<answer fraction="100"><text>Rod*</text></answer></question></quiz>'
    )
    imported = moodle.read(text)
    assert imported.questions == []
    assert "wildcard" in imported.skipped[0].reason
