"""Which questions give each other away: the answer-leak relation and the game's pairs."""

from __future__ import annotations

import collections
import itertools
from typing import Any

import pytest
from pydantic import TypeAdapter

from desperado_quiz.game import select_questions
from desperado_quiz.loader import load_banks
from desperado_quiz.model import AnyQuestion, Question
from desperado_quiz.related import (
    MAX_LEAKS_PER_QUESTION,
    answer_forms,
    answer_leaks,
    feedback_texts,
    leaks_between,
    related_pairs,
    spread_out,
)
from desperado_quiz.text import normalise_answer

ADAPTER: TypeAdapter[AnyQuestion] = TypeAdapter(Question)


def make(qid: str, question: str, **keys: Any) -> AnyQuestion:
    base: dict[str, Any] = {
        "id": qid,
        "type": "text",
        "question": question,
        "category": "Test",
        "difficulty": "easy",
        "answer": "nothing",
        "evidence": f"quote for {qid}",
    }
    return ADAPTER.validate_python(base | keys)


VILLAIN = make("villain", "Which drug lord does the hero hunt?", answer="Bucho")
ACTOR = make("actor", "Who plays the drug lord Bucho?", answer="Joaquim de Almeida")
BAND = make("band", "Which band wrote the score?", answer="Los Lobos", accept=["Lobos"])


@pytest.mark.parametrize(
    ("question", "forms"),
    [
        (BAND, ("los lobos", "lobos")),
        (make("c", "?", type="choice", choices=["A guitar case", "A coffin"],
              answer="A guitar case"), ("guitar case",)),
        (make("m", "?", type="multi", choices=["Link Wray", "Maná", "Dire Straits"],
              answer=["Link Wray", "Dire Straits"]), ("link wray", "dire straits")),
        (make("n", "?", type="number", answer=25_400_000), ("25 400 000",)),
        (make("b", "?", type="boolean", answer=True), ()),  # true or false tells nothing
        (make("o", "?", type="order", answer=["x1", "y2", "z3"]), ()),  # all shown anyway
        (make("s", "?", answer="The"), ()),  # a stop word is no clue
        (make("t", "?", answer="R"), ()),  # nor is anything under three characters
    ],
    ids=lambda value: getattr(value, "id", ""),
)  # fmt: skip
def test_answer_forms(question: AnyQuestion, forms: tuple[str, ...]) -> None:
    assert answer_forms(question) == forms


def test_a_question_text_that_names_another_answer_leaks() -> None:
    (leak,) = answer_leaks([VILLAIN, ACTOR, BAND])
    assert (leak.owner, leak.holder, leak.form, leak.key) == (0, 1, "bucho", "question")


def test_whole_words_only_and_one_finding_per_pair() -> None:
    chair = make("chair", "What did the hero sit on?", answer="chair")
    air = make("air", "Which element is in the chairman's lungs?", answer="air")
    assert answer_leaks([chair, air]) == []  # "air" is not in "chairman's"
    both = make("both", "Did Los Lobos play?", answer="yes")
    (leak,) = answer_leaks([BAND, both])
    assert leak.form == "los lobos"  # the longest form, not also "lobos"


def test_distractors_and_exact_choices_give_nothing_away() -> None:
    praised = make(
        "praised",
        "Whose performance did critics enjoy?",
        type="choice",
        choices=["Joaquim de Almeida", "Bucho's actor", "Antonio Banderas"],
        answer="Joaquim de Almeida",
    )
    assert answer_leaks([VILLAIN, ACTOR, praised]) == [
        (0, 1, "bucho", "question")  # only the actor question, not the distractor
    ]
    right_choice = make(
        "piece",
        "Which piece won a Grammy?",
        type="choice",
        choices=["Los Lobos's Mariachi Suite", "Jack the Ripper"],
        answer="Los Lobos's Mariachi Suite",
    )
    (leak,) = answer_leaks([BAND, right_choice])
    assert (leak.holder, leak.key) == (1, "choices")


def test_items_to_order_count_as_shown() -> None:
    order = make("films", "Order", type="order", answer=["Los Lobos's score", "b1", "c2"])
    (leak,) = answer_leaks([BAND, order])
    assert leak.key == "answer"


def test_common_words_are_the_sets_own_vocabulary() -> None:
    hero = make("hero", "What is the hero called?", answer="El Mariachi")
    mentions = [make(f"q{n}", f"Where does El Mariachi go, part {n}?") for n in range(8)]
    assert answer_leaks([hero, *mentions]) == []  # in 8 of 9 questions: common
    assert len(answer_leaks([hero, *mentions[:3]])) == 3


def test_related_pairs_feedback_and_shared_passages() -> None:
    told = make("told", "Who wrote the score?", explanation="Los Lobos, from East LA.")
    quoted_once = make("q1", "Who?", evidence="the lone gunman seeks Bucho and more")
    quoted_again = make("q2", "What?", evidence="gunman seeks Bucho and more besides")
    pairs = related_pairs([BAND, told, quoted_once, quoted_again, ACTOR])
    assert (0, 1) in pairs  # the feedback of `told` answers `band`
    assert (2, 3) in pairs  # four words in a row in common: the same passage
    assert (0, 4) not in pairs


def test_spread_out_passes_over_related_questions() -> None:
    assert spread_out([3, 1, 0, 2], {(0, 1), (2, 3)}, None) == [3, 1]
    assert spread_out([0, 1, 2, 3], {(0, 1)}, 2) == [0, 2]


def test_no_bundled_game_holds_a_related_pair_over_many_seeds() -> None:
    banks = load_banks().banks
    questions = [q for bank in sorted(banks, key=lambda b: b.id) for q in bank.questions]
    position = {q.id: n for n, q in enumerate(questions)}
    pairs = related_pairs(questions)
    assert pairs, "the bundled banks do relate some questions"
    for seed in range(300):
        for filters in ({}, {"categories": ["Music"]}, {"difficulties": ["hard"]}):
            game = select_questions(banks, seed=seed, count=10, **filters).asked  # type: ignore[arg-type]
            ids = [position[asked.question.id] for asked in game]
            assert not [
                (a, b) for a, b in itertools.combinations(sorted(ids), 2) if (a, b) in pairs
            ]


def test_no_feedback_reveals_a_later_answer_in_a_bundled_game() -> None:
    banks = load_banks().banks
    for seed in range(100):
        game = [a.question for a in select_questions(banks, seed=seed, count=None).asked]
        for earlier, later in itertools.combinations(game, 2):
            shown = " ".join(f" {text} " for text in feedback_texts(earlier))
            for form in answer_forms(later):
                assert f" {form} " not in shown or _common(form, banks), (earlier.id, later.id)


def _common(form: str, banks: list[Any]) -> bool:
    """Forms the relation treats as the set's own vocabulary (the hero's name, say)."""
    texts = [normalise_answer(q.question) for b in banks for q in b.questions]
    return sum(f" {form} " in f" {text} " for text in texts) > 0.15 * len(texts)


def test_a_question_that_names_very_many_answers_is_reported_for_a_few() -> None:
    """Texts that each name many other answers (each answer owned by a few questions, so
    not common) would make findings by the million: each question keeps a bounded few."""
    words = [f"w{n}" for n in range(40)]
    answers = [f"{a} {b}" for a, b in itertools.combinations(words, 2)][:400]
    forms = [[answer] for answer in answers]
    # Question i's text names the next 30 answers along (each answer: 30 holders, under
    # the share that makes it common vocabulary).
    shown = [
        [("question", " , ".join(answers[(i + k) % len(answers)] for k in range(1, 31)))]
        for i in range(len(answers))
    ]
    leaks = leaks_between(forms, shown)
    per_holder = collections.Counter(leak.holder for leak in leaks)
    assert set(per_holder.values()) == {MAX_LEAKS_PER_QUESTION}
    assert len(per_holder) == len(answers)
