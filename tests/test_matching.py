"""The matcher, from tables of accepted and rejected answers for every type."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desperado_quiz.matching import Answer, Invalid, interpret, parse_number, similar
from desperado_quiz.model import (
    AnyQuestion,
    BooleanQuestion,
    ChoiceQuestion,
    MultiQuestion,
    NumberQuestion,
    OrderQuestion,
    TextQuestion,
)

COMMON: dict[str, Any] = {
    "question": "?",
    "category": "Test",
    "difficulty": "easy",
    "evidence": "quote",
}
CHOICE = ChoiceQuestion(
    id="c",
    type="choice",
    choices=["Los Lobos", "Dire Straits", "Link Wray", "Latin Playboys"],
    answer="Los Lobos",
    **COMMON,
)
CHOICE_OPTIONS = ("Dire Straits", "Los Lobos", "Link Wray", "Latin Playboys")  # as shown
MULTI = MultiQuestion(
    id="m", type="multi", choices=list(CHOICE_OPTIONS), answer=["Los Lobos", "Link Wray"], **COMMON
)
ORDER = OrderQuestion(id="o", type="order", answer=["first", "second", "third", "fourth"], **COMMON)
ORDER_OPTIONS = ("third", "first", "fourth", "second")  # A=third B=first C=fourth D=second
BOOLEAN = BooleanQuestion(id="b", type="boolean", answer=False, **COMMON)
NUMBER = NumberQuestion(
    id="n", type="number", answer=58, tolerance=0.5, unit="million US dollars", **COMMON
)
PERCENT = NumberQuestion(id="pc", type="number", answer=69, unit="percent", **COMMON)
TEXT = TextQuestion(
    id="t", type="text", answer="Joaquim de Almeida", accept=["de Almeida"], **COMMON
)
CHAIR = TextQuestion(id="chair", type="text", answer="chair", **COMMON)
AND = TextQuestion(id="and", type="text", answer="Cheech and Chong", **COMMON)
RATING = TextQuestion(id="r", type="text", answer="R", **COMMON)
MPAA = TextQuestion(id="mpaa", type="text", answer="MPAA", **COMMON)
ACCENT = TextQuestion(id="accent", type="text", answer="Rodríguez", **COMMON)
YEAR = NumberQuestion(id="y", type="number", answer=1995, **COMMON)
PREMIERE = NumberQuestion(id="p", type="number", answer=1992, accept=[1993], **COMMON)
CAMEO = ChoiceQuestion(
    id="cameo",
    type="choice",
    choices=["Quentin Tarantino", "Steve Buscemi", "Cheech Marin"],
    answer="Quentin Tarantino",
    **COMMON,
)
CAMEO_OPTIONS = ("Steve Buscemi", "Quentin Tarantino", "Cheech Marin")
ACTORS = ChoiceQuestion(
    id="actors",
    type="choice",
    choices=["Joaquim de Almeida", "Edward James Olmos", "Jimmy Smits"],
    answer="Joaquim de Almeida",
    **COMMON,
)
ACTOR_OPTIONS = ("Jimmy Smits", "Joaquim de Almeida", "Edward James Olmos")
CASES = ChoiceQuestion(
    id="case",
    type="choice",
    choices=["A guitar case", "A violin case", "A saddlebag"],
    answer="A guitar case",
    **COMMON,
)
CASE_OPTIONS = ("A violin case", "A guitar case", "A saddlebag")


def credit(question: AnyQuestion, options: tuple[str, ...], raw: str) -> float | str:
    result = interpret(question, options, raw)
    return "invalid" if isinstance(result, Invalid) else result.credit


@pytest.mark.parametrize(
    ("question", "options", "raw", "expected"),
    [
        # choice: letter, number, text in any case; anything else is asked again
        (CHOICE, CHOICE_OPTIONS, "B", 1.0),
        (CHOICE, CHOICE_OPTIONS, "b", 1.0),
        (CHOICE, CHOICE_OPTIONS, "2", 1.0),
        (CHOICE, CHOICE_OPTIONS, "  los lobos ", 1.0),
        (CHOICE, CHOICE_OPTIONS, "Los Lobso", 1.0),
        (CHOICE, CHOICE_OPTIONS, "A", 0.0),
        (CHOICE, CHOICE_OPTIONS, "dire straits", 0.0),
        (CHOICE, CHOICE_OPTIONS, "E", "invalid"),
        (CHOICE, CHOICE_OPTIONS, "5", "invalid"),
        (CHOICE, CHOICE_OPTIONS, "Santana", "invalid"),
        (CHOICE, CHOICE_OPTIONS, "", "invalid"),
        # choice: some of its words, in a row, when they name one choice only
        (CAMEO, CAMEO_OPTIONS, "tarantino", 1.0),
        (CAMEO, CAMEO_OPTIONS, "Buscemi", 0.0),
        (CAMEO, CAMEO_OPTIONS, "marin", 0.0),
        (CAMEO, CAMEO_OPTIONS, "tarantin", 1.0),  # a typo, forgiven as in a text answer
        (CAMEO, CAMEO_OPTIONS, "tar", "invalid"),  # a part of a word names nothing
        (CAMEO, CAMEO_OPTIONS, "B)", 1.0),  # the label as the screen shows it
        (CAMEO, CAMEO_OPTIONS, "b.", 1.0),
        (CAMEO, CAMEO_OPTIONS, "(b)", 1.0),
        (CAMEO, CAMEO_OPTIONS, "(a)", 0.0),
        (CAMEO, CAMEO_OPTIONS, "quentn tarantino", 1.0),
        (ACTORS, ACTOR_OPTIONS, "joaquin almeida", 1.0),  # words in order, each nearly right
        (ACTORS, ACTOR_OPTIONS, "joaquim de almieda", 1.0),
        (ACTORS, ACTOR_OPTIONS, "almeida joaquim", "invalid"),  # not in their order
        (CASES, CASE_OPTIONS, "guitar", 1.0),
        (CASES, CASE_OPTIONS, "violin", 0.0),
        (CASES, CASE_OPTIONS, "case", "invalid"),  # two choices: asked again
        (CASES, CASE_OPTIONS, "a", 0.0),  # a letter is a letter
        (MULTI, CHOICE_OPTIONS, "lobos, wray", 1.0),
        # multi: commas, spaces, compact letters, texts; any wrong pick scores nothing
        (MULTI, CHOICE_OPTIONS, "B,C", 1.0),
        (MULTI, CHOICE_OPTIONS, "C B", 1.0),
        (MULTI, CHOICE_OPTIONS, "bc", 1.0),
        (MULTI, CHOICE_OPTIONS, "Los Lobos, Link Wray", 1.0),
        (MULTI, CHOICE_OPTIONS, "2, 3", 1.0),
        (MULTI, CHOICE_OPTIONS, "B", 0.5),
        (MULTI, CHOICE_OPTIONS, "B,B", 0.5),
        (MULTI, CHOICE_OPTIONS, "A,B,C", 0.0),
        (MULTI, CHOICE_OPTIONS, "B,Z", "invalid"),
        # order: a sequence of all items
        (ORDER, ORDER_OPTIONS, "BDAC", 1.0),
        (ORDER, ORDER_OPTIONS, "b d a c", 1.0),
        (ORDER, ORDER_OPTIONS, "first, second, third, fourth", 1.0),
        (ORDER, ORDER_OPTIONS, "2 4 1 3", 1.0),
        (ORDER, ORDER_OPTIONS, "ABCD", 0.0),
        (ORDER, ORDER_OPTIONS, "BDA", "invalid"),
        (ORDER, ORDER_OPTIONS, "BDAA", "invalid"),
        # boolean
        (BOOLEAN, (), "f", 1.0),
        (BOOLEAN, (), "False", 1.0),
        (BOOLEAN, (), "no", 1.0),
        (BOOLEAN, (), "N", 1.0),
        (BOOLEAN, (), "yes", 0.0),
        (BOOLEAN, (), "t", 0.0),
        (BOOLEAN, (), "maybe", "invalid"),
        # number: within tolerance, units and symbols around it ignored
        (NUMBER, (), "58", 1.0),
        (NUMBER, (), "58.0", 1.0),
        (NUMBER, (), "$58 million", 1.0),
        (NUMBER, (), "57.5", 1.0),
        (NUMBER, (), "58.6", 0.0),
        (NUMBER, (), "25.4", 0.0),
        (NUMBER, (), "fifty-eight", "invalid"),
        # a magnitude is read, never dropped: the question is in millions
        (NUMBER, (), "58m", 1.0),
        (NUMBER, (), "0.058 billion", 1.0),
        (NUMBER, (), "0.058bn", 1.0),
        (NUMBER, (), "58,000 thousand", 1.0),
        (NUMBER, (), "58 billion", 0.0),
        (NUMBER, (), "58k", 0.0),
        (NUMBER, (), "58,000,000", 1.0),  # written out in full
        (PERCENT, (), "69%", 1.0),
        (PERCENT, (), "69 percent", 1.0),
        (YEAR, (), "mid-90s", "invalid"),  # a decade is not a year
        (YEAR, (), "the 90s", "invalid"),
        (YEAR, (), "1990s", "invalid"),
        # a year: its last two digits alone are asked again
        (YEAR, (), "1995", 1.0),
        (YEAR, (), "'95", "invalid"),
        (YEAR, (), "95", "invalid"),
        # an uneven range of fair answers: 1992 or 1993, never 1991
        (PREMIERE, (), "1992", 1.0),
        (PREMIERE, (), "1993", 1.0),
        (PREMIERE, (), "1991", 0.0),
        (PREMIERE, (), "1992.5", 0.0),
        # text: forgiving, but the whole answer must match
        (TEXT, (), "joaquim de almeida", 1.0),
        (TEXT, (), "Joaquim  de-Almeida!", 1.0),
        (TEXT, (), "Joaquim de Almieda", 1.0),
        (TEXT, (), "de almeida", 1.0),
        (TEXT, (), "Joaquim", 0.0),
        (TEXT, (), "Almeida", 0.0),
        (CHAIR, (), "air", 0.0),
        (CHAIR, (), "the chair", 1.0),
        (CHAIR, (), "chiar", 1.0),
        (AND, (), "Cheech & Chong", 1.0),
        (RATING, (), "r", 1.0),
        (RATING, (), "pg", 0.0),
        (MPAA, (), "m.p.a.a.", 1.0),  # punctuation never matters, dots of initials either
        (MPAA, (), "M.P.A.A", 1.0),
        (MPAA, (), "mpaa", 1.0),
        (ACCENT, (), "rodriguez", 1.0),
    ],
)
def test_interpret(
    question: AnyQuestion, options: tuple[str, ...], raw: str, expected: float | str
) -> None:
    assert credit(question, options, raw) == expected


def test_what_was_forgiven_is_what_was_typed() -> None:
    assert interpret(CAMEO, CAMEO_OPTIONS, "tarantino").forgiven == "tarantino"  # type: ignore[union-attr]
    assert interpret(CHOICE, CHOICE_OPTIONS, "Los Lobso").forgiven == "Los Lobso"  # type: ignore[union-attr]
    assert interpret(CHOICE, CHOICE_OPTIONS, "los lobos").forgiven is None  # type: ignore[union-attr]
    assert interpret(CHOICE, CHOICE_OPTIONS, "b").forgiven is None  # type: ignore[union-attr]
    assert interpret(MULTI, CHOICE_OPTIONS, " lobos, Link Wray").forgiven == "lobos, Link Wray"  # type: ignore[union-attr]
    assert interpret(MULTI, CHOICE_OPTIONS, "B, C").forgiven is None  # type: ignore[union-attr]
    assert interpret(TEXT, (), "Joaquim de Almieda").forgiven == "Joaquim de Almieda"  # type: ignore[union-attr]
    assert "not just its last two digits" in interpret(YEAR, (), "'95").reason  # type: ignore[union-attr]
    ambiguous = interpret(CASES, CASE_OPTIONS, "case")
    assert ambiguous == Invalid(
        "That could be A) A violin case or B) A guitar case: type its letter, or more of its words."
    )


def test_given_is_what_the_player_meant() -> None:
    assert interpret(MULTI, CHOICE_OPTIONS, "c,b") == Answer("Link Wray, Los Lobos", 1.0)
    assert interpret(ORDER, ORDER_OPTIONS, "BDAC") == Answer("first → second → third → fourth", 1.0)
    assert interpret(NUMBER, (), "$58 million") == Answer("58", 1.0)
    assert interpret(NUMBER, (), "0.0254 billion") == Answer("25.4", 0.0)  # in millions
    assert interpret(ORDER, ORDER_OPTIONS, "2413") == interpret(ORDER, ORDER_OPTIONS, "BDAC")


@pytest.mark.parametrize(
    ("typed", "accepted", "expected"),
    [
        ("Bucho", "Bucho", True),
        ("Bcuho", "Bucho", True),  # one typo in a 5-letter answer
        ("Buch", "Bucho", True),
        ("Bush", "Bucho", False),
        ("NC17", "NC-17", True),
        ("PG", "R", False),
        ("Lobo", "Loco", False),  # up to 4 characters must be exact
        ("nc 17", "NC-17", True),
        ("Los Lobos", "Lobos", False),
        ("Rodrigez", "Robert Rodriguez", False),
        ("Robert Rodrigez", "Robert Rodriguez", True),
        ("", "anything", False),
    ],
)
def test_similar_thresholds(typed: str, accepted: str, expected: bool) -> None:
    assert similar(typed, accepted) is expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("58", 58.0),
        ("$25.4 million", 25.4),
        ("1,000", 1000.0),
        ("-3", -3.0),
        ("69%", 69.0),
        ("about .5", 0.5),
        ("none", None),
    ],
)
def test_parse_number(raw: str, expected: float | None) -> None:
    assert parse_number(raw) == expected


@given(st.text(max_size=40))
def test_interpret_never_raises(raw: str) -> None:
    for question, options in (
        (CHOICE, CHOICE_OPTIONS),
        (MULTI, CHOICE_OPTIONS),
        (ORDER, ORDER_OPTIONS),
        (BOOLEAN, ()),
        (NUMBER, ()),
        (TEXT, ()),
    ):
        result = interpret(question, options, raw)
        assert isinstance(result, Answer | Invalid)
        if isinstance(result, Answer):
            assert 0.0 <= result.credit <= 1.0


def test_items_that_contain_commas_can_be_typed_as_text() -> None:
    order = OrderQuestion(
        id="o2",
        type="order",
        answer=["A musician", "A vengeful vigilante", "A feared, legendary figure"],
        **COMMON,
    )
    options = ("A feared, legendary figure", "A musician", "A vengeful vigilante")
    typed = "A musician, A vengeful vigilante, A feared, legendary figure"
    assert credit(order, options, typed) == 1.0
    assert credit(order, options, "BCA") == 1.0
