"""Every bundled question loads, is grounded in the article, and the bank is balanced."""

from __future__ import annotations

from collections import Counter

import pytest

from desperado_quiz.loader import LoadedBank
from desperado_quiz.model import DIFFICULTIES, QUESTION_TYPES, AnyQuestion
from desperado_quiz.paths import bundled_questions_dir
from desperado_quiz.store import load_banks
from desperado_quiz.text import normalise_quote
from tests.helpers import ARTICLE

RESULT = load_banks()
QUESTIONS: list[tuple[LoadedBank, AnyQuestion]] = [
    (bank, question) for bank in RESULT.banks for question in bank.questions
]
ARTICLE_TEXT = normalise_quote(ARTICLE.read_text(encoding="utf-8"))


def test_bundled_banks_load_without_findings() -> None:
    assert [f.describe() for f in RESULT.findings] == []
    assert len(RESULT.banks) >= 5


def test_the_article_ships_with_an_attributed_header() -> None:
    source = (bundled_questions_dir() / "desperado-article.txt").read_text(encoding="utf-8")
    header = "\n".join(source.splitlines()[:12])
    assert "QUOTED SOURCE MATERIAL" in header
    assert "Jeffrey Rapaport" in header
    assert "The Netflix 90s Action Thriller That Will Blow You Away" in header


def test_bank_size_types_and_difficulty_spread() -> None:
    assert 40 <= len(QUESTIONS) <= 55
    types = Counter(q.type for _, q in QUESTIONS)
    assert set(types) == set(QUESTION_TYPES)
    difficulties = Counter(q.difficulty for _, q in QUESTIONS)
    for level in DIFFICULTIES:
        assert difficulties[level] / len(QUESTIONS) >= 0.2, level


@pytest.mark.parametrize(("bank", "question"), QUESTIONS, ids=lambda v: getattr(v, "id", ""))
def test_question_is_grounded_and_explained(bank: LoadedBank, question: AnyQuestion) -> None:
    assert bank.source_path.is_file()
    for quote in question.quotes:
        assert normalise_quote(quote) in ARTICLE_TEXT, quote
    assert question.explanation.strip()
    assert "all of the above" not in question.question.lower()


@pytest.mark.parametrize(
    "fact",
    [
        "Robert Rodriguez",
        "El Mariachi",
        "1992",
        "1995",
        "Antonio Banderas",
        "Bucho",
        "Joaquim de Almeida",
        "Carolina",
        "Salma Hayek",
        "bookstore",
        "guitar case",
        "Steve Buscemi",
        "Cheech Marin",
        "Quentin Tarantino",
        "Danny Trejo",
        "Navajas",
        "NC-17",
        "R rating",
        "Motion Picture Association of America",
        "trimmed and edited",
        "climax",
        "codpiece gun",
        "bar shootout",
        "From Dusk till Dawn",
        "Machete Kills",
        "Chicano rock",
        "ranchera",
        "Los Lobos",
        "Mariachi Suite",
        "Best Pop Instrumental Performance",
        "Dire Straits",
        "Link Wray",
        "Latin Playboys",
        "Carlos Santana",
        "mixed-to-positive",
        "charismatic",
        "lack of depth",
        "$25.4 million",
        "revenge",
        "graphic, violent content",
        "principal antagonist",
        "Mexican backdrop",
        "western shootouts",
    ],
)
def test_every_fact_of_the_article_is_asked(fact: str) -> None:
    cited = " | ".join(normalise_quote(quote) for _, q in QUESTIONS for quote in q.quotes)
    assert normalise_quote(fact) in cited
