"""GIFT: escaping as the Moodle GIFT documentation says, read back by a GIFT parser
written by others (pygiftparser, from PyPI), and broken files refused with the line."""

from __future__ import annotations

import html
import io
import re

import pytest

from desperado_quiz.convert import gift
from desperado_quiz.convert.common import BrokenInput
from tests.convert_support import bundled

# pygiftparser (2017) asks for the locale in a way Python now deprecates.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:pygiftparser")

# The documentation: "~ = # { } :" are written with a backslash before them, and so is
# the backslash itself; a line break is "\n".
ESCAPES = [
    ("a~b", "a\\~b"),
    ("a=b", "a\\=b"),
    ("a#b", "a\\#b"),
    ("{a}", "\\{a\\}"),
    ("a:b", "a\\:b"),
    ("a\\b", "a\\\\b"),
    ("a\nb", "a\\nb"),
    ("Tom & Jerry <3", "Tom &amp; Jerry &lt;3"),  # text is HTML: its specials as entities
]


@pytest.mark.parametrize(("text", "written"), ESCAPES)
def test_escaping_follows_the_moodle_documentation(text: str, written: str) -> None:
    assert gift.escape(text) == written
    assert gift.unescape(written).replace("&amp;", "&").replace("&lt;", "<") == text


def unescaped(text: str) -> str:
    """pygiftparser leaves GIFT's escapes and HTML's entities in the text it reads."""
    return html.unescape(re.sub(r"\\(.)", r"\1", text))


KINDS = {
    "choice": "SelectSet",
    "multi": "MultipleChoicesSet",
    "boolean": "TrueFalseSet",
    "text": "ShortSet",
    "number": "NumericAnswerSet",
}


def test_a_gift_parser_written_by_others_reads_every_question() -> None:
    from pygiftparser import parser

    banks = bundled()
    exported = gift.export(banks)
    questions = parser.parseFile(io.StringIO(exported.data.decode("utf-8")))
    sent = {q.id: q for bank in banks for q in bank.questions if q.type != "order"}
    assert len(questions) == len(sent) == exported.report.written
    for read in questions:
        original = sent[read.title]
        assert read.valid, read.title
        assert type(read.answers).__name__ == KINDS[original.type], read.title
        assert unescaped(read.text) == original.question
        assert unescaped(read.generalFeedback) == original.explanation
        if original.type in ("choice", "multi", "text"):
            texts = [unescaped(answer.answer) for answer in read.answers.answers]
            assert texts == getattr(original, "choices", None) or list(original.accepted)  # type: ignore[union-attr]


def test_order_questions_are_skipped_with_the_reason() -> None:
    report = gift.export(bundled()).report
    assert report.reasons("skipped") == {"order questions cannot be expressed in GIFT": 1}
    with_unit = sum(bool(getattr(q, "unit", "")) for bank in bundled() for q in bank.questions)
    assert report.reasons("changed") == {"unit left out: GIFT numbers have none": with_unit}


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        ("::a::Question? {=yes ~no\n\n::b::Next{=x}\n", 1, "expected `}`"),
        ("// a comment\n\nWho? }=x{\n", 3, "found `}` before any `{`"),
        ("::a:: Question {=a}{=b}\n", 1, "one `{...}` answer block"),
        ("::a Question {=a}\n", 1, "expected `::` to close"),
        ("Who?{~a ~b}\n", 1, "expected a right answer"),
        ("Who?{\nx =a}\n", 2, "to start with `=`"),
    ],
)
def test_a_syntax_error_gives_the_line_and_what_was_expected(
    text: str, line: int, expected: str
) -> None:
    with pytest.raises(BrokenInput) as raised:
        gift.read(text)
    assert raised.value.line == line
    assert expected in raised.value.message


def test_types_we_do_not_have_are_skipped_with_the_reason() -> None:
    imported = gift.read(
        "Write an essay.{}\n\nMatch.{=a -> 1 =b -> 2 =c -> 3}\n\nJust text, no answers.\n"
    )
    assert imported.questions == []
    reasons = [skip.reason for skip in imported.skipped]
    assert [skip.line for skip in imported.skipped] == [1, 3, 5]
    assert "essay" in reasons[0]
    assert "matching" in reasons[1]
    assert "description" in reasons[2]
