"""The game engine, with no terminal at all: lines and commands in, events out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import cache
from typing import Any

import pytest

from desperado_quiz.game import (
    AnswerJudged,
    AnswersRevealed,
    Engine,
    Event,
    GameOver,
    GameSettings,
    HintShown,
    InputRefused,
    PlayerLeft,
    QuestionShown,
    SettingsError,
    Status,
    TurnOrder,
    TurnStarted,
    Verdict,
    Waiting,
    pick_questions,
)
from desperado_quiz.game.results import game_json
from desperado_quiz.loader import LoadedBank
from desperado_quiz.store import load_banks
from tests.helpers import FIXTURES


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def tick(self, seconds: float) -> None:
        self.now += seconds


@cache
def banks() -> list[LoadedBank]:
    return load_banks([FIXTURES / "game"]).banks


def engine(*ids: str, clock: FakeClock | None = None, **settings: Any) -> Engine:
    refs = tuple(f"basics:{i}" for i in ids)
    asked = pick_questions(banks(), refs, seed=1).asked
    return Engine(asked, GameSettings(seed=1, questions=refs, **settings), clock or FakeClock())


def kinds(events: Sequence[Event]) -> list[str]:
    return [type(event).__name__ for event in events]


def outcome_of(events: Sequence[Event]) -> AnswerJudged:
    (judged,) = [e for e in events if isinstance(e, AnswerJudged)]
    return judged


# One player -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected", "verdict"),
    [
        ("Robert Rodriguez", ["AnswerJudged", "QuestionShown"], Verdict.RIGHT),
        ("rodrigez", ["AnswerJudged", "QuestionShown"], Verdict.RIGHT),  # a forgiven typo
        ("Quentin Tarantino", ["AnswerJudged", "QuestionShown"], Verdict.WRONG),
        ("skip", ["AnswerJudged", "QuestionShown"], Verdict.SKIPPED),
        ("SKIP ", ["AnswerJudged", "QuestionShown"], Verdict.SKIPPED),
        ("   ", ["InputRefused"], None),
        ("?", ["HintShown"], None),  # director has no hint: nothing is spent
        ("\x1b[D\x1b[D", ["InputRefused"], None),  # arrow keys without line editing
        ("Rodr\udcffguez", ["InputRefused"], None),  # bytes that were not UTF-8
        ("x" * 1001, ["InputRefused"], None),
        ("quit", ["GameOver"], None),
        ("exit", ["GameOver"], None),
    ],
    ids=repr,
)
def test_a_line_and_what_comes_of_it(line: str, expected: list[str], verdict: Verdict) -> None:
    game = engine("director", "score-band")
    assert kinds(game.start()) == ["QuestionShown"]
    events = game.receive(line)
    assert kinds(events) == expected
    if verdict is not None:
        assert outcome_of(events).outcome.verdict is verdict


def test_refusals_say_why() -> None:
    game = engine("director")
    game.start()
    (refused,) = game.receive("Rodr\udcffguez")
    assert isinstance(refused, InputRefused)
    assert "not valid text (not UTF-8)" in refused.reason
    (refused,) = game.receive("x" * 5000)
    assert isinstance(refused, InputRefused)
    assert "5,000 characters long" in refused.reason


def test_a_typo_that_was_forgiven_is_told() -> None:
    game = engine("score-band")
    game.start()
    judged = outcome_of(game.receive("Los Lobso"))
    assert (judged.outcome.verdict, judged.outcome.forgiven) == (Verdict.RIGHT, "Los Lobso")


def test_a_whole_game_scores_streaks_and_ends() -> None:
    clock = FakeClock()
    game = engine("director", "release-year", "score-band", clock=clock)
    events = game.start()
    for answer in ("rodriguez", "1995", "Los Lobos"):
        clock.tick(3)
        events = game.receive(answer)
    assert kinds(events) == ["AnswerJudged", "TurnOver", "GameOver"]
    assert game.waiting is Waiting.NOTHING
    (summary,) = game.result.players
    assert (summary.status, summary.right, summary.best_streak) == (Status.FINISHED, 3, 3)
    assert summary.score == 100 + (100 + 10) + (100 + 20)
    assert summary.seconds == pytest.approx(9)
    assert game.receive("more") == []  # nothing after the end


def test_a_hint_halves_the_points_and_is_shown_once_asked() -> None:
    game = engine("villain-actor")
    (shown,) = game.start()
    assert isinstance(shown, QuestionShown)
    assert shown.has_hint
    (hint,) = game.receive("hint")
    assert hint == HintShown("A Portuguese actor; his surname starts with 'de'.")
    judged = outcome_of(game.receive("de almeida"))
    assert (judged.outcome.hinted, judged.outcome.points.total) == (True, 100)


def test_no_hint_costs_nothing() -> None:
    game = engine("director")
    (shown,) = game.start()
    assert isinstance(shown, QuestionShown)
    assert not shown.has_hint
    assert game.receive("?") == [HintShown(None)]
    assert outcome_of(game.receive("Robert Rodriguez")).outcome.points.total == 100


def test_timer_speed_late_answers_and_time_up() -> None:
    clock = FakeClock()
    game = engine("director", "score-band", "release-year", clock=clock, timer=20)
    game.start()
    assert game.deadline == 1020
    clock.tick(10)
    assert outcome_of(game.receive("Rodriguez")).outcome.points.total == 75  # half time
    clock.tick(25)
    late = outcome_of(game.receive("Los Lobos")).outcome
    assert (late.verdict, late.points.total) == (Verdict.LATE, 0)
    timed_out = outcome_of(game.time_up()).outcome
    assert (timed_out.verdict, timed_out.given) == (Verdict.LATE, "")


def test_stopping_keeps_what_was_answered() -> None:
    game = engine("director", "release-year", "score-band")
    game.start()
    game.receive("skip")
    (over,) = game.stop(Status.INTERRUPTED)
    assert isinstance(over, GameOver)
    (summary,) = over.result.players
    assert (summary.status, len(summary.outcomes)) == (Status.INTERRUPTED, 1)
    assert game.stop(Status.QUIT) == []


def test_practice_brings_missed_questions_back() -> None:
    game = engine("director", "release-year", practice=True)
    game.start()
    for answer in ("nobody", "1990", "Robert Rodriguez", "1995"):
        events = game.receive(answer)
    assert kinds(events)[-1] == "GameOver"
    (summary,) = game.result.players
    assert [o.verdict for o in summary.outcomes] == [Verdict.WRONG] * 2 + [Verdict.RIGHT] * 2
    assert max(summary.tries().values()) == 2


def test_in_practice_only_first_tries_score_and_count_as_right() -> None:
    game = engine("director", "release-year", "score-band", practice=True)
    game.start()
    for answer in ("nobody", "1995", "Los Lobos", "Robert Rodriguez"):
        game.receive(answer)
    (summary,) = game.result.players
    retry = summary.outcomes[-1]
    assert (retry.asked.attempt, retry.verdict, retry.points.total) == (2, Verdict.RIGHT, 0)
    assert (summary.right, summary.accuracy, summary.learned) == (2, 2 / 3, 3)
    assert summary.score == sum(o.points.total for o in summary.outcomes[:3])
    assert summary.best_streak == 2  # the retry neither extends nor breaks the streak


def test_order_items_are_refused_unless_all_are_given_once() -> None:
    game = engine("film-order")
    game.start()
    (refused,) = game.receive("AB")
    assert isinstance(refused, InputRefused)
    assert "Give all 3 items once each" in refused.reason


# Several players ------------------------------------------------------------------------


def test_whole_turns_hand_the_keyboard_over_between_players() -> None:
    game = engine("director", "score-band", players=("Ann", "Bob"))
    assert kinds(game.start()) == ["TurnStarted", "QuestionShown"]
    game.receive("skip")
    events = game.receive("skip")
    assert kinds(events) == ["AnswerJudged", "TurnOver", "TurnStarted"]
    assert events[-1] == TurnStarted("Bob", 2, 2, handover=True)
    assert game.waiting is Waiting.HANDOVER
    (shown,) = game.receive("")  # Bob has the keyboard
    assert isinstance(shown, QuestionShown)
    assert (shown.player, shown.position) == ("Bob", 1)
    game.receive("Robert Rodriguez")
    game.receive("Los Lobos")
    assert [s.player for s in game.result.ranked] == ["Bob", "Ann"]


def test_question_by_question_locks_answers_in_and_reveals_them_together() -> None:
    game = engine("director", "score-band", players=("Ann", "Bob"), turns=TurnOrder.QUESTION)
    game.start()
    events = game.receive("Robert Rodriguez")
    assert kinds(events) == ["AnswerJudged", "TurnStarted"]
    assert not outcome_of(events).reveal  # Bob must not learn the answer from Ann's turn
    game.receive("")
    events = game.receive("nobody")
    assert kinds(events) == ["AnswerJudged", "AnswersRevealed", "TurnStarted"]
    revealed = events[1]
    assert isinstance(revealed, AnswersRevealed)
    assert [(p, o.verdict) for p, o in revealed.answers] == [
        ("Ann", Verdict.RIGHT),
        ("Bob", Verdict.WRONG),
    ]
    assert events[2] == TurnStarted("Ann", 1, 2, handover=True)
    game.receive("")
    game.receive("skip")
    game.receive("")
    events = game.receive("Los Lobos")
    assert kinds(events) == ["AnswerJudged", "AnswersRevealed", "TurnOver", "TurnOver", "GameOver"]


def test_quit_with_others_at_the_keyboard_ends_only_that_players_game() -> None:
    game = engine("director", "score-band", players=("Ann", "Bob"))
    game.start()
    events = game.receive("quit")  # Ann stops after no answer: Bob still plays
    assert kinds(events) == ["PlayerLeft", "TurnOver", "TurnStarted"]
    assert events[2] == TurnStarted("Bob", 2, 2, handover=True)
    game.receive("")
    game.receive("Rodriguez")
    events = game.receive("Los Lobos")
    assert kinds(events)[-1] == "GameOver"
    result = game.result
    assert result.status is Status.FINISHED
    assert [(s.player, s.status, s.right) for s in result.players] == [
        ("Ann", Status.QUIT, 0),
        ("Bob", Status.FINISHED, 2),
    ]


def test_quitting_at_a_handover_ends_that_players_game() -> None:
    game = engine("director", players=("Ann", "Bob"))
    game.start()
    game.receive("skip")
    assert kinds(game.receive("quit")) == ["PlayerLeft", "TurnOver", "GameOver"]
    assert [s.status for s in game.result.players] == [Status.FINISHED, Status.QUIT]


def test_question_by_question_a_player_who_quits_is_passed_over() -> None:
    game = engine(
        "director",
        "score-band",
        "villain-actor",
        players=("Ann", "Bob", "Cy"),
        turns=TurnOrder.QUESTION,
    )
    game.start()
    game.receive("Rodriguez")  # Ann, question 1
    game.receive("")
    assert kinds(game.receive("quit")) == ["PlayerLeft", "TurnOver", "TurnStarted"]  # Bob
    game.receive("")
    events = game.receive("nobody")  # Cy: question 1 is revealed without Bob
    revealed = events[1]
    assert isinstance(revealed, AnswersRevealed)
    assert [player for player, _ in revealed.answers] == ["Ann", "Cy"]
    assert events[2] == TurnStarted("Ann", 1, 3, handover=True)
    for answer in ("", "Los Lobos", "", "skip", "", "de Almeida", "", "skip"):
        events = game.receive(answer)
    assert kinds(events)[-1] == "GameOver"
    assert [len(s.outcomes) for s in game.result.players] == [3, 0, 3]


def test_when_every_player_quits_the_game_is_quit() -> None:
    game = engine("director", players=("Ann", "Bob"))
    game.start()
    game.receive("quit")
    game.receive("")
    assert kinds(game.receive("quit"))[-1] == "GameOver"
    assert game.result.status is Status.QUIT


# The pass mark and the result -----------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "passed"),
    [
        (["Robert Rodriguez", "1995"], True),
        (["Robert Rodriguez", "nobody"], True),  # 1 of 2 is 50%
        (["nobody", "1990"], False),
        (["Robert Rodriguez", "quit"], True),
        (["quit"], False),  # questions not answered count as not right
    ],
)
def test_the_pass_mark_counts_every_planned_question(answers: list[str], passed: bool) -> None:
    game = engine("director", "release-year", pass_mark=50)
    game.start()
    for answer in answers:
        game.receive(answer)
    if game.waiting is not Waiting.NOTHING:
        game.stop(Status.END_OF_INPUT)
    assert game.result.passed is passed


def test_no_pass_mark_is_no_verdict() -> None:
    game = engine("director")
    game.start()
    game.receive("quit")
    assert game.result.passed is None


def test_the_json_result_has_every_answer_and_the_replay() -> None:
    game = engine("director", "score-band", players=("Ann", "Bob"))
    game.start()
    for line in ("skip", "Los Lobos", "", "Rodriguez", "skip"):
        game.receive(line)
    data = game_json(game.result)
    assert data["ranking"] == ["Ann", "Bob"]  # a tie keeps the order of play
    assert [p["player"] for p in data["players"]] == ["Ann", "Bob"]
    assert data["players"][0]["answers"][1]["given"] == "Los Lobos"
    assert data["replay"].startswith("desperado-quiz play --seed 1 --question basics:director")
    assert data["status"] == "finished"


# Settings -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("players", "message"),
    [
        (("",), "cannot be empty"),
        (("  ",), "cannot be empty"),
        (("Ann", "Ann"), "the same name"),
        (("Ann", "ann"), "the same name"),
        (("A\x1b[2J",), "control characters"),
        (("x" * 41,), "at most 40"),
    ],
)
def test_player_names_are_checked(players: tuple[str, ...], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        GameSettings(seed=1, players=players)


def test_names_are_trimmed() -> None:
    assert GameSettings(seed=1, players=("  Ann  Lee ",)).players == ("Ann Lee",)


def test_the_replay_line_names_the_questions_when_the_seed_cannot_replay_them() -> None:
    asked = pick_questions(banks(), ["basics:score-band", "basics:director"], seed=4).asked
    drawn = GameSettings(seed=9, categories=("Music",), count=3, timer=20, practice=True)
    assert drawn.replay_line(asked) == (
        "desperado-quiz play --seed 9 -n 3 --category Music --timer 20 --practice"
    )
    reviewed = replace(drawn, review=True)
    assert reviewed.replay_line(asked) == (
        "desperado-quiz play --seed 9 --question basics:score-band --question basics:director "
        "--timer 20 --practice"
    )
    several = GameSettings(seed=1, players=("Ann", "Bob"), turns=TurnOrder.QUESTION)
    assert several.replay_line(asked).endswith("--player Ann --player Bob --turns question")


# All together (the live game) -----------------------------------------------------------


def together(*ids: str, clock: FakeClock) -> Engine:
    refs = tuple(f"basics:{i}" for i in ids)
    asked = pick_questions(banks(), refs, seed=1).asked
    settings = GameSettings(seed=1, questions=refs, players=(), turns=TurnOrder.TOGETHER, timer=20)
    game = Engine(asked, settings, clock)
    assert game.start() == []
    assert game.waiting is Waiting.HOST
    return game


def test_all_together_every_player_answers_the_open_question_against_one_clock() -> None:
    clock = FakeClock()
    game = together("director", "score-band", clock=clock)
    assert game.add_player("  Ann ") == "Ann"
    game.add_player("Bob")
    game.add_player("Cy")
    with pytest.raises(SettingsError, match="taken"):
        game.add_player("bob")
    (shown,) = game.open_question()
    assert isinstance(shown, QuestionShown)
    assert game.deadline == 1020
    with pytest.raises(SettingsError, match="before the first question"):
        game.add_player("Dee")
    clock.tick(5)
    (judged,) = game.receive("Rodriguez", player="Ann")
    assert isinstance(judged, AnswerJudged)
    assert (judged.reveal, judged.outcome.points.total) == (False, 88)  # 1 - 5/20/2
    assert game.receive("Rodriguez", player="Ann") == [
        InputRefused("You have already answered this question.")
    ]
    clock.tick(5)
    game.receive("nobody", player="Bob")
    clock.tick(15)  # Cy never answers: late when the question closes
    events = game.close_question()
    revealed = events[0]
    assert isinstance(revealed, AnswersRevealed)
    assert [(p, o.verdict) for p, o in revealed.answers] == [
        ("Ann", Verdict.RIGHT),
        ("Bob", Verdict.WRONG),
        ("Cy", Verdict.LATE),
    ]
    assert game.waiting is Waiting.HOST
    assert game.receive("Los Lobos", player="Ann") == [InputRefused("No question is open.")]


def test_all_together_a_player_who_leaves_never_stalls_the_game() -> None:
    clock = FakeClock()
    game = together("director", "score-band", clock=clock)
    game.add_player("Ann")
    game.add_player("Bob")
    game.open_question()
    assert game.leave("Bob") == [PlayerLeft("Bob")]
    game.receive("Rodriguez", player="Ann")
    (revealed,) = game.close_question()
    assert isinstance(revealed, AnswersRevealed)
    assert [p for p, _ in revealed.answers] == ["Ann"]
    game.open_question()
    game.receive("Los Lobos", player="Ann")
    events = game.time_up()  # the deadline closes the question like the host would
    assert kinds(events)[-1] == "GameOver"
    ann, bob = game.result.players
    assert (ann.right, ann.status, bob.status) == (2, Status.FINISHED, Status.QUIT)


def test_all_together_a_removed_player_is_kept_as_removed_and_counts_as_gone() -> None:
    game = together("director", "score-band", clock=FakeClock())
    game.add_player("Ann")
    game.add_player("Bob")
    game.open_question()
    assert game.leave("Bob", removed=True) == [PlayerLeft("Bob")]
    game.leave("Ann")
    game.close_question()
    assert game.open_question()[-1] == GameOver(game.result)  # nobody is left to play
    assert game.result.status is Status.QUIT
    assert [s.status for s in game.result.players] == [Status.QUIT, Status.REMOVED]


def test_all_together_a_player_who_leaves_before_the_first_question_leaves_no_trace() -> None:
    clock = FakeClock()
    game = together("director", clock=clock)
    game.add_player("Ann")
    game.add_player("Bob")
    assert game.leave("Bob") == [PlayerLeft("Bob")]
    assert game.add_player("Bob") == "Bob"  # the name is free again
    game.leave("Bob")
    assert game.question_number == 0
    game.open_question()
    assert (game.question_number, game.answered("Ann")) == (1, False)
    game.receive("Rodriguez", player="Ann")
    assert game.answered("Ann")
    game.close_question()
    assert game.question_number == 1
    assert [s.player for s in game.result.players] == ["Ann"]


def test_all_together_the_result_names_who_joined_and_replays_with_host() -> None:
    game = together("director", clock=FakeClock())
    game.add_player("Ann")
    game.add_player("Bob")
    game.open_question()
    game.close_question()
    assert game.result.settings.players == ("Ann", "Bob")
    assert game.result.replay == (
        "desperado-quiz host --seed 1 --question basics:director --timer 20"
    )


def test_the_clock_of_a_question_starts_again_after_a_pause() -> None:
    clock = FakeClock()
    game = engine("director", "score-band", clock=clock, timer=10)
    game.start()
    clock.now += 4
    game.receive("Rodriguez")  # question 2 is shown now, at 4 s
    clock.now += 30  # the player reads the explanation
    assert game.deadline == 1014  # the shown question's time ran out meanwhile...
    game.restart_clock()
    assert game.deadline == 1044  # ...but it starts when the player is ready


def test_time_is_each_players_time_answering_not_the_wall_clock() -> None:
    clock = FakeClock()
    game = engine(
        "director", "score-band", clock=clock, players=("Ann", "Bob"), turns=TurnOrder.QUESTION
    )
    game.start()
    clock.tick(3)
    game.receive("Robert Rodriguez")  # Ann: 3 s
    game.receive("")  # the keyboard to Bob
    clock.tick(20)
    game.receive("Robert Rodriguez")  # Bob: 20 s, while Ann waits
    for _player, seconds in (("Ann", 4), ("Bob", 5)):
        game.receive("")
        clock.tick(seconds)
        game.receive("Los Lobos")
    result = game.result
    assert {s.player: s.seconds for s in result.players} == {"Ann": 7, "Bob": 25}


def test_at_the_same_score_who_finished_ranks_above_who_quit() -> None:
    game = engine("director", "score-band", players=("Ann", "Bob"))
    game.start()
    game.receive("quit")  # Ann quits at once: 0 points
    game.receive("")
    game.receive("nobody")
    game.receive("nobody")  # Bob finishes with 0 points
    assert [s.player for s in game.result.ranked] == ["Bob", "Ann"]


def test_a_practice_retry_shows_the_options_in_another_order() -> None:
    game = engine("film-order", "director", practice=True)
    first = next(e for e in game.start() if isinstance(e, QuestionShown))
    events = game.receive("ABC")  # the order shown, which is never the right one
    events += game.receive("Robert Rodriguez")
    retry = next(e for e in events if isinstance(e, QuestionShown) and e.asked.attempt == 2)
    assert retry.asked.options != first.asked.options
    assert list(retry.asked.options) != list(retry.asked.question.answer)


def test_the_reveal_says_who_has_left() -> None:
    game = engine("director", "score-band", players=("Ann", "Bob"), turns=TurnOrder.QUESTION)
    game.start()
    game.receive("quit")
    game.receive("")
    events = game.receive("Robert Rodriguez")
    (revealed,) = [e for e in events if isinstance(e, AnswersRevealed)]
    assert revealed.left == ["Ann"]
