"""GIFT: escaping as Moodle's own GIFT parser reads it (question/format/gift/format.php:
escapedchar_pre, the weight regex, parse_text_with_format, the order of its type tests),
read back by a GIFT parser written by others (pygiftparser, from PyPI), fixtures in the
shape Moodle's parser takes for each case of issue 21 and 24, and broken files refused
with the line."""

from __future__ import annotations

import html
import io
import re

import pytest

from desperado_quiz.convert import gift
from desperado_quiz.convert.common import BrokenInput
from desperado_quiz.model import adapter
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
    ("a\nb", "a<br>b"),  # HTML text: a line break Moodle shows (a bare newline collapses)
    ("Tom & Jerry <3", "Tom &amp; Jerry &lt;3"),  # text is HTML: its specials as entities
    ("%100%Trap", "&\\#37;100%Trap"),  # never a weight: Moodle's regex wants a leading %
    ("[plain]text", "&\\#91;plain]text"),  # never a format marker
]


@pytest.mark.parametrize(("text", "written"), ESCAPES)
def test_escaping_follows_the_moodle_documentation(text: str, written: str) -> None:
    assert gift.escape(text) == written
    assert html.unescape(gift.unescape(written).replace("<br>", "\n")) == text


def unescaped(text: str) -> str:
    """pygiftparser leaves GIFT's escapes and HTML's entities in the text it reads."""
    return html.unescape(re.sub(r"\\(.)", r"\1", text).replace("<br>", "\n"))


def explanation(feedback: str) -> str:
    """The explanation of a general feedback: its paragraph, before the quotes."""
    return unescaped(feedback.split("<blockquote>")[0].removeprefix("<p>").removesuffix("</p>"))


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
        assert explanation(read.generalFeedback) == original.explanation
        if original.type in ("choice", "multi"):
            texts = [unescaped(answer.answer) for answer in read.answers.answers]
            assert texts == original.choices  # type: ignore[union-attr]
        if original.type == "text":  # plain text, as a student types it
            texts = [re.sub(r"\\(.)", r"\1", a.answer) for a in read.answers.answers]
            assert texts == list(original.accepted)  # type: ignore[union-attr]


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


# As Moodle's parser reads them: each case of issue 21 and of issue 24 (item 10).
MOODLE_READS = [
    # One `=` makes it single-answer; partial credit (~%50%) is not ours: wrong choices.
    ("Q?{=right ~%50%half ~wrong}", "choice", "right", ["right", "half", "wrong"]),
    # Only weights on `~`: several may be right, those above 0%.
    ("Q?{~%50%a ~%50%b ~%-100%c}", "multi", ["a", "b"], ["a", "b", "c"]),
    # Format markers before a choice go, and say whether its text is HTML.
    ("Q?{=[plain]a&amp;b ~[html]c&amp;d ~[moodle]e ~[markdown]f}", "choice", "a&amp;b",
     ["a&amp;b", "c&d", "e", "f"]),
    # A number with feedback for any other answer: 3 within 2.
    ("Q?{#3:2~#Completely wrong}", "number", 3.0, None),
    ("Q?{#=%100%1992:0 =%50%1991:0 =%100%1993:0}", "number", 1992.0, None),
    # Moodle: a block with no `=` nor `~` is the short answer itself.
    ("Q?{Bucho}", "text", "Bucho", None),
    # A short answer: plain text, `\*` a star, an explicit weight before a leading %.
    ("Q?{=Tom & Jerry =%100%%50% off =a\\*b}", "text", "Tom & Jerry", None),
]  # fmt: skip


@pytest.mark.parametrize(("text", "kind", "answer", "choices"), MOODLE_READS)
def test_questions_are_read_as_moodles_parser_reads_them(
    text: str, kind: str, answer: object, choices: list[str] | None
) -> None:
    imported = gift.read(text + "\n")
    assert imported.skipped == []
    question = imported.questions[0].question
    assert (question.type, question.answer) == (kind, answer)
    if choices is not None:
        assert question.choices == choices  # type: ignore[union-attr]
    if text.startswith("Q?{#3:2"):
        assert question.tolerance == 2  # type: ignore[union-attr]
    if text.startswith("Q?{#="):
        assert question.accept == [1993]  # type: ignore[union-attr]
    if kind == "text" and "%50%" in text:
        assert question.accept == ["%50% off", "a*b"]  # type: ignore[union-attr]


def test_an_ordering_question_is_skipped_and_the_others_are_kept() -> None:
    imported = gift.read("First?{=a ~b}\n\nOrder them.{>2 one two three}\n\nLast?{TRUE}\n")
    assert [q.question.type for q in imported.questions] == ["choice", "boolean"]
    assert [skip.line for skip in imported.skipped] == [3]
    assert "ordering" in imported.skipped[0].reason


def test_a_wildcard_short_answer_is_skipped_with_the_reason() -> None:
    imported = gift.read("Who?{=Rod*}\n")
    assert imported.questions == []
    assert "wildcard" in imported.skipped[0].reason


def test_a_wrong_choice_that_looks_like_a_weight_stays_wrong(tmp_path: object) -> None:
    """Issue 24, item 10: `%100%Trap` must never become a right answer in Moodle."""

    bank = adapter("bank").validate_python(
        {
            "bank": {"id": "b", "title": "B"},
            "questions": [
                {"id": "q", "type": "choice", "question": "Pick", "category": "C",
                 "difficulty": "easy", "choices": ["Right", "%100%Trap", "[html]x"],
                 "answer": "Right"},
                {"id": "t", "type": "text", "question": "Type", "category": "C",
                 "difficulty": "easy", "answer": "%50% off", "accept": ["[x]", "a*b"]},
            ],
        }
    )  # fmt: skip
    written = gift.export([bank]).data.decode()
    # Moodle's weight regex and format marker, on each answer as its parser trims it.
    weight = re.compile(r"^%\-*([0-9]{1,2})\.?([0-9]*)%")
    lines = [line for line in written.splitlines() if line and line[0] in "=~"]
    assert [bool(weight.match(line[1:].strip())) for line in lines[:3]] == [False] * 3
    assert not any(line[1:].startswith("[html]") for line in lines)
    assert lines[3:] == ["=%100%%50% off", "=[plain][x]", "=a\\*b"]
    back = gift.read(written).questions
    assert back[0].question.answer == "Right"
    assert back[0].question.choices == ["Right", "%100%Trap", "[html]x"]  # type: ignore[union-attr]
    assert back[1].question.accepted == ("%50% off", "[x]", "a*b")  # type: ignore[union-attr]


def test_a_short_answer_with_an_arrow_is_skipped_since_moodle_reads_matching() -> None:
    bank = adapter("bank").validate_python(
        {
            "bank": {"id": "b", "title": "B"},
            "questions": [
                {"id": "t", "type": "text", "question": "Type", "category": "C",
                 "difficulty": "easy", "answer": "a -> b"},
                {"id": "u", "type": "text", "question": "Other", "category": "C",
                 "difficulty": "easy", "answer": "fine"},
            ],
        }
    )  # fmt: skip
    report = gift.export([bank]).report
    assert [o.status for o in report.outcomes] == ["skipped", "exported"]
