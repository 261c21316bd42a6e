"""The game session: selection by seed, answers, hints, skips, streaks and the clock."""

from __future__ import annotations

import pytest

from desperado_quiz.game import (
    GameSettings,
    NoQuestions,
    Session,
    Status,
    Verdict,
    leaderboard,
    select_questions,
    shuffled_options,
)
from desperado_quiz.loader import LoadedBank, load_banks
from desperado_quiz.matching import Invalid
from desperado_quiz.model import OrderQuestion
from tests.conftest import FIXTURES

BANKS = load_banks([FIXTURES / "game"]).banks


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def tick(self, seconds: float) -> None:
        self.now += seconds


def by_ids(*ids: str) -> list:
    return select_questions(
        BANKS,
        seed=1,
        count=None,
        only={(bank.id, q.id) for bank in BANKS for q in bank.questions if q.id in ids},
    )


def test_same_seed_same_game_different_seed_different_game() -> None:
    everything = load_banks().banks
    first = select_questions(everything, seed=42, count=10)
    again = select_questions(list(reversed(everything)), seed=42, count=10)
    other = select_questions(everything, seed=43, count=10)
    assert first == again
    assert [a.question.id for a in first] != [a.question.id for a in other]
    assert len(first) == 10


def test_seeded_game_is_pinned_across_machines() -> None:
    # random.Random(seed) is reproducible across platforms and Python versions; pinning
    # a game on a frozen copy of a bank makes any change to selection or shuffling a
    # visible, deliberate one (a changed seed would no longer replay old games).
    banks = load_banks([FIXTURES / "sample"]).banks
    game = select_questions(banks, seed=7, count=3)
    # grammy-piece, third before related questions were kept apart, gives away
    # grammy-award's answer, so the game passes over it.
    assert [a.question.id for a in game] == [
        "grammy-award",
        "soundtrack-role",
        "soundtrack-artists",
    ]
    assert game[1].options == (
        "Extra intensity and rhythm",
        "Long silences",
        "Comic relief",
        "A documentary feel",
    )
    assert game[2].options == (
        "Gipsy Kings",
        "Ry Cooder",
        "Link Wray",
        "Carlos Santana",
        "Calexico",
        "Latin Playboys",
        "Dire Straits",
    )


def test_filters_are_case_insensitive_and_can_leave_nothing() -> None:
    music = select_questions(BANKS, seed=1, count=None, categories=["music"])
    assert music
    assert all(a.question.category == "Music" for a in music)
    medium = select_questions(BANKS, seed=1, count=None, difficulties=["MEDIUM"])
    assert {a.question.difficulty for a in medium} == {"medium"}
    tagged = select_questions(BANKS, seed=1, count=None, tags=["RODRIGUEZ"])
    assert [a.question.id for a in tagged] == ["director"]
    with pytest.raises(NoQuestions):
        select_questions(BANKS, seed=1, categories=["Cooking"])


def test_order_items_are_never_shown_in_the_right_order() -> None:
    orders = [q for bank in BANKS for q in bank.questions if isinstance(q, OrderQuestion)]
    for seed in range(50):
        for question in orders:
            options = shuffled_options(question, seed)
            assert sorted(options) == sorted(question.answer)
            assert list(options) != question.answer


def test_a_session_scores_streaks_and_finishes() -> None:
    clock = FakeClock()
    asked = by_ids("director", "release-year", "score-band")
    session = Session(asked, clock=clock)
    answers = {"director": "rodriguez", "release-year": "1995", "score-band": "Los Lobos"}
    while (current := session.show()) is not None:
        clock.tick(3)
        outcome = session.answer(answers[current.question.id])
        assert not isinstance(outcome, Invalid)
        assert outcome.verdict is Verdict.RIGHT
    summary = session.summary()
    assert summary.status is Status.FINISHED
    assert summary.right == 3
    assert summary.accuracy == 1.0
    assert summary.best_streak == 3
    assert summary.score == 100 + (100 + 10) + (100 + 20)
    assert summary.seconds == pytest.approx(9)


def test_invalid_input_is_not_an_answer_and_hint_halves() -> None:
    session = Session(by_ids("villain-actor"), clock=FakeClock())
    session.show()
    assert isinstance(session.answer("   "), Invalid)
    assert session.hint() == "A Portuguese actor; his surname starts with 'de'."
    outcome = session.answer("de almeida")
    assert not isinstance(outcome, Invalid)
    assert (outcome.verdict, outcome.hinted, outcome.points.total) == (Verdict.RIGHT, True, 100)


def test_no_hint_costs_nothing() -> None:
    session = Session(by_ids("director"), clock=FakeClock())
    session.show()
    assert session.hint() is None
    outcome = session.answer("Robert Rodriguez")
    assert not isinstance(outcome, Invalid)
    assert outcome.points.total == 100


def test_timer_speed_and_late_answers() -> None:
    clock = FakeClock()
    session = Session(by_ids("director", "score-band"), timer=20, clock=clock)
    first = session.show()
    assert first is not None
    clock.tick(10)
    assert session.seconds_left() == 10
    outcome = session.answer("Rodriguez" if first.question.id == "director" else "Los Lobos")
    assert not isinstance(outcome, Invalid)
    assert outcome.points.total == 75
    session.show()
    clock.tick(25)
    late = session.answer("whatever it is")
    assert not isinstance(late, Invalid)
    assert (late.verdict, late.points.total) == (Verdict.LATE, 0)


def test_skip_breaks_the_streak_and_quit_keeps_what_was_answered() -> None:
    session = Session(by_ids("director", "release-year", "score-band"), clock=FakeClock())
    session.show()
    skipped = session.skip()
    assert skipped.verdict is Verdict.SKIPPED
    assert session.streak == 0
    session.show()
    session.stop(Status.QUIT)
    assert session.current is None
    summary = session.summary()
    assert summary.status is Status.QUIT
    assert len(summary.outcomes) == 1


def test_practice_brings_missed_questions_back() -> None:
    session = Session(by_ids("director", "release-year"), practice=True, clock=FakeClock())
    answers = iter(["nobody", "wrong", "1995", "Robert Rodriguez"])
    while (current := session.show()) is not None:
        raw = next(answers)
        if current.question.id == "release-year" and raw != "1995":
            raw = "1995" if current.attempt > 1 else "1990"
        session.answer(raw)
    summary = session.summary()
    assert summary.finished
    assert max(summary.tries().values()) >= 2
    assert all(o.verdict is Verdict.RIGHT for o in summary.outcomes[-1:])


def test_leaderboard_orders_by_score() -> None:
    low = Session(by_ids("director"), player="Ann", clock=FakeClock())
    high = Session(by_ids("director"), player="Bob", clock=FakeClock())
    low.show()
    low.answer("nobody")
    high.show()
    high.answer("Rodriguez")
    assert [s.player for s in leaderboard([low.summary(), high.summary()])] == ["Bob", "Ann"]


def test_banks_are_loaded_bank_objects() -> None:
    assert all(isinstance(bank, LoadedBank) for bank in BANKS)


def test_replay_command_reproduces_every_choice() -> None:
    settings = GameSettings(
        seed=9,
        banks=("desperado-music",),
        categories=("Music",),
        difficulties=("hard",),
        tags=("x y",),
        count=3,
        timer=20,
        players=("Ann", "Bob"),
        practice=True,
    )
    assert settings.replay_line() == (
        "desperado-quiz play --seed 9 -n 3 --bank desperado-music --category Music "
        "--difficulty hard --tag 'x y' --player Ann --player Bob --timer 20 --practice"
    )
    assert GameSettings(seed=1).replay_line() == "desperado-quiz play --seed 1 -n 10"
