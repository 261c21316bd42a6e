"""Which questions give each other away: the answer-leak relation and the game's pairs."""

from __future__ import annotations

import collections
import itertools
from typing import Any

import pytest

from desperado_quiz.game import select_questions
from desperado_quiz.model import AnyQuestion, adapter
from desperado_quiz.related import (
    MAX_LEAKS_PER_QUESTION,
    Relation,
    answer_forms,
    answer_leaks,
    declared_pairs,
    leaks_between,
    one_per_pair,
    read_texts,
    related_pairs,
    spread_out,
)
from desperado_quiz.store import load_banks

ADAPTER = adapter("question")


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
        (BAND, ("los lobos", "lobos")),  # "lobos": the key word of a name
        (make("c", "?", type="choice", choices=["A guitar case", "A coffin"],
              answer="A guitar case"), ("guitar case", "guitar")),
        (make("j", "?", type="choice", choices=["Bookstore owner", "Nurse"],
              answer="Bookstore owner"), ("bookstore owner", "bookstore", "owner")),
        (make("m", "?", type="multi", choices=["Link Wray", "Maná", "Dire Straits"],
              answer=["Link Wray", "Dire Straits"]),
         ("link wray", "dire straits", "straits")),  # a given name alone is no clue
        (make("n", "?", type="number", answer=25_400_000), ("25 400 000",)),
        (make("y", "?", type="number", answer=1992, accept=[1993]), ("1992", "1993")),
        (make("p", "?", type="choice", choices=["It won its case on appeal to the board", "No"],
              answer="It won its case on appeal to the board"),
         ("it won its case on appeal to the board",)),  # a phrase: its words are common ones
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


@pytest.mark.parametrize(
    ("keys", "where"),
    [
        ({"hint": "Think of Los Lobos."}, "hint"),
        ({"explanation": "The band was Los Lobos."}, "explanation"),
        ({"evidence": "performed by Los Lobos"}, "evidence"),
        ({"type": "choice", "choices": ["Los Lobos", "Link Wray"], "answer": "Link Wray"},
         "choices"),  # a wrong choice that is another question's answer
    ],
)  # fmt: skip
def test_anything_a_player_reads_gives_an_answer_away(keys: dict[str, Any], where: str) -> None:
    reader = make("reader", "Which guitarist played?", **keys)
    (leak,) = answer_leaks([BAND, reader])
    assert (leak.owner, leak.holder, leak.key) == (0, 1, where)


def test_a_leak_met_before_answering_is_the_one_kept_for_a_pair() -> None:
    reader = make("reader", "Did Lobos play?", explanation="Yes: Los Lobos.", answer="yes")
    (leak,) = one_per_pair(answer_leaks([BAND, reader]))
    assert (leak.key, leak.form) == ("question", "lobos")


# The four pairs a new player met in games (issue: banks, third pass), built as they were.
NAVAJAS_FATE = make(
    "navajas-fate",
    "How does the hitman meet his end?",
    type="choice",
    choices=["Killed by mistake by his own side", "Caught in the fire at Carolina's bookstore"],
    answer="Killed by mistake by his own side",
)
CAROLINA_JOB = make(
    "carolina-job",
    "What does Carolina do for a living?",
    type="choice",
    choices=["Bookstore owner", "Cantina owner", "Nurse"],
    answer="Bookstore owner",
)
CODPIECE_SCENE = make(
    "codpiece-scene",
    "Where else was the cut weapon meant to appear?",
    type="choice",
    choices=["A romantic scene", "The final showdown"],
    answer="A romantic scene",
    evidence="slated to feature comically in a romantic scene between Banderas and Carolina",
)
MARIACHI_ACTOR = make(
    "el-mariachi-actor",
    "Who plays El Mariachi?",
    type="choice",
    choices=["Antonio Banderas", "Javier Bardem"],
    answer="Antonio Banderas",
)
TONED_DOWN = make(
    "toned-down-deaths",
    "Whose death scene was toned down?",
    type="choice",
    choices=["Quentin Tarantino", "Steve Buscemi", "Cheech Marin"],
    answer="Quentin Tarantino",
)
BUSCEMI = make("buscemi", "Which actor plays a friend?", answer="Steve Buscemi", accept=["Buscemi"])
CHEECH = make("cheech-duo", "Which comedian is in the cast?", answer="Cheech Marin",
              accept=["Cheech", "Marin"])  # fmt: skip


@pytest.mark.parametrize(
    ("giver", "given", "form", "key"),
    [
        (NAVAJAS_FATE, CAROLINA_JOB, "bookstore", "choices"),
        (CODPIECE_SCENE, MARIACHI_ACTOR, "banderas", "evidence"),
        (TONED_DOWN, BUSCEMI, "steve buscemi", "choices"),
        (TONED_DOWN, CHEECH, "cheech marin", "choices"),
    ],
    ids=lambda value: getattr(value, "id", value),
)
def test_the_four_pairs_players_met_are_related(
    giver: AnyQuestion, given: AnyQuestion, form: str, key: str
) -> None:
    (leak,) = answer_leaks([given, giver])
    assert (leak.owner, leak.holder, leak.form, leak.key) == (0, 1, form, key)
    assert (0, 1) in related_pairs([given, giver])


def test_a_declared_pair_is_related_and_never_reported() -> None:
    theme = make("theme", "What is the story about?", answer="Revenge")
    motive = make("motive", "Why does he hunt?", answer="His lover's murder", related=["theme"])
    assert related_pairs([theme, motive]) == {(0, 1)}
    told = make("told", "Who?", explanation="Los Lobos.", related=["band"])
    assert answer_leaks([BAND, told]) == []
    assert related_pairs([BAND, told]) == {(0, 1)}
    assert declared_pairs(["a", "b", "c"], [["c"], [], ["b", "nosuch"]]) == {(0, 2), (1, 2)}


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
    assert spread_out([3, 1, 0, 2], Relation.of_pairs({(0, 1), (2, 3)}), None) == [3, 1]
    assert spread_out([0, 1, 2, 3], Relation.of_pairs({(0, 1)}), 2) == [0, 2]
    assert spread_out(iter(range(10**9)), Relation.of_pairs(set(), 10), 2) == [0, 1]


def test_a_relation_gives_each_position_its_neighbours_both_ways() -> None:
    relation = Relation.of_pairs({(0, 3), (1, 3), (2, 4)}, size=6)
    assert [list(relation.neighbours(n)) for n in range(6)] == [[3], [3], [4], [0, 1], [2], []]
    assert relation.pairs() == {(0, 3), (1, 3), (2, 4)}
    assert list(relation.neighbours(99)) == []
    with pytest.raises(ValueError, match="not the arrays"):
        Relation([1], [])


def test_no_full_length_bundled_game_holds_a_related_pair_over_1000_seeds() -> None:
    banks = load_banks().banks
    questions = [q for bank in sorted(banks, key=lambda b: b.id) for q in bank.questions]
    position = {q.id: n for n, q in enumerate(questions)}
    pairs = related_pairs(questions)
    assert pairs, "the bundled banks do relate some questions"
    for seed in range(1000):
        game = select_questions(banks, seed=seed, count=None).asked
        ids = sorted(position[asked.question.id] for asked in game)
        assert not [pair for pair in itertools.combinations(ids, 2) if pair in pairs], seed


def test_no_filtered_bundled_game_holds_a_related_pair() -> None:
    banks = load_banks().banks
    questions = [q for bank in sorted(banks, key=lambda b: b.id) for q in bank.questions]
    position = {q.id: n for n, q in enumerate(questions)}
    pairs = related_pairs(questions)
    for seed in range(200):
        for filters in ({"categories": ["Music"]}, {"difficulties": ["hard"]}):
            game = select_questions(banks, seed=seed, count=10, **filters).asked  # type: ignore[arg-type]
            ids = sorted(position[asked.question.id] for asked in game)
            assert not [pair for pair in itertools.combinations(ids, 2) if pair in pairs]


def test_no_text_read_in_a_bundled_game_names_another_answer_in_it() -> None:
    """Checked the long way round, text by text, rather than through the relation."""
    banks = load_banks().banks
    everything = [q for b in banks for q in b.questions]
    for seed in range(100):
        game = [a.question for a in select_questions(banks, seed=seed, count=None).asked]
        for reader, other in itertools.permutations(game, 2):
            read = " ".join(f" {text} " for _, text in read_texts(reader))
            for form in answer_forms(other):
                assert f" {form} " not in read or _common(form, everything), (reader.id, other.id)


def _common(form: str, questions: list[AnyQuestion]) -> bool:
    """Forms the relation treats as the set's own vocabulary (the hero's name, say)."""
    texts = [" ".join(text for _, text in read_texts(q)) for q in questions]
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


def test_a_plural_gives_the_answer_away_too() -> None:
    instrument = make("instrument", "Which instrument does he play?", answer="Guitar")
    styles = make("styles", "What is ranchera?", explanation="A song of guitars and loss.")
    (leak,) = answer_leaks([instrument, styles])
    assert (leak.form, leak.key) == ("guitar", "explanation")
