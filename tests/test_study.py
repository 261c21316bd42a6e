"""`desperado-quiz study`: FSRS scheduling graded by the answers, on a fixed clock."""

from __future__ import annotations

import json
import multiprocessing
import multiprocessing.synchronize
import os
import re
import select
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from desperado_quiz import study
from desperado_quiz.cli import app
from desperado_quiz.game import Engine, GameSettings, pick_questions
from desperado_quiz.game.session import Verdict
from desperado_quiz.history import CardRow, History, game_records
from desperado_quiz.loader import LoadedBank
from desperado_quiz.model import AnyQuestion
from desperado_quiz.store import load_banks
from tests.helpers import FIXTURES, lines, right_answer

runner = CliRunner()
BANK = FIXTURES / "items"  # five questions, none related to another
START = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


@cache
def banks(folder: Path = BANK) -> list[LoadedBank]:
    return load_banks([folder]).banks


def question(question_id: str, folder: Path = BANK) -> AnyQuestion:
    return next(q for b in banks(folder) for q in b.questions if q.id == question_id)


class Clock:
    """The study's clock, fixed, moved forward by the test."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def forward(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fixed = Clock(START)
    monkeypatch.setattr(study, "clock", fixed)
    return fixed


def run(data: Path, *args: str, answers: str = "") -> Result:
    return runner.invoke(
        app, ["study", "-b", str(BANK), "--data-dir", str(data), *args], input=answers
    )


def asked(result: Result) -> list[str]:
    """The questions a session showed, in order (the line under category and points)."""
    shown = r"^│ .+ · (?:easy|medium|hard) · \d+ points\s+│\n│ (.+?)\s+│$"
    return re.findall(shown, result.output, flags=re.MULTILINE)


def session(data: Path, *args: str, answer: str = "right") -> Result:
    """A study session on the fixed clock where every question is answered ``answer``
    ("right", "wrong" or "hint": asked for a hint first, then right)."""
    order = planned(data, *args)
    typed = []
    for item in order:
        if answer == "hint":
            typed.append("?")
        typed.append(right_answer(item) if answer != "wrong" else wrong_answer(item))
    return run(data, *args, answers=lines(*typed))


def planned(data: Path, *args: str) -> list[AnyQuestion]:
    """The questions a session with these options is about to ask (a cram with the same
    seed and filters shows them without changing anything), limited to what is due."""
    from desperado_quiz.app.studying import choose
    from desperado_quiz.game.settings import GameSettings as Settings

    seed = int(args[args.index("--seed") + 1]) if "--seed" in args else 0
    per_day = int(args[args.index("--new") + 1]) if "--new" in args else 10
    cards, _ = History(data / "history.sqlite3").cards("Player").value
    settings = Settings(seed=seed, count=20, mode="cram" if "--cram" in args else "study")
    chosen = choose(banks(), settings, cards, per_day, study.clock())
    return [a.question for a in chosen.asked]


def wrong_answer(item: AnyQuestion) -> str:
    if item.type == "boolean":
        return "false" if item.answer else "true"
    if item.type == "number":
        return "1900"
    if item.type == "choice":
        return next(c for c in item.choices if c != item.answer)
    return "no idea at all"


def cards(data: Path, player: str = "Player") -> dict[str, CardRow]:
    rows, _ = History(data / "history.sqlite3").cards(player).value
    return {row["question_id"]: row for row in rows}


# The grading table ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("verdict", "hinted", "seconds", "row", "rating"),
    [
        (Verdict.WRONG, False, 1.0, "wrong", "Again"),
        (Verdict.SKIPPED, False, 1.0, "skipped", "Again"),
        (Verdict.LATE, False, 30.0, "late", "Again"),
        (Verdict.PARTIAL, False, 1.0, "partial", "Hard"),
        (Verdict.RIGHT, True, 1.0, "right-with-hint", "Hard"),
        (Verdict.RIGHT, False, 60.0, "right", "Good"),
        (Verdict.RIGHT, False, 1.0, "right-and-fast", "Easy"),
    ],
)
def test_every_answer_grades_its_card_through_one_table(
    verdict: Verdict, hinted: bool, seconds: float, row: str, rating: str
) -> None:
    graded = study.grade(verdict, hinted, seconds, question("navajas-actor"))
    assert graded == row
    assert study.GRADES[graded] == rating
    assert study.rating(graded).name == rating


def test_fast_is_a_quick_readers_time_for_the_question() -> None:
    director = question("director", FIXTURES / "game")  # text: 5 s, "Who directed Desperado?"
    assert study.reading_seconds(director) == pytest.approx(5 + 23 / 17)
    order = question(
        "film-order", FIXTURES / "game"
    )  # order: 7 s, the question and the three films
    shown = len(order.question) + len("El Mariachi") + len("Desperado") + len("Machete Kills")
    assert study.reading_seconds(order) == pytest.approx(7 + shown / 17)
    assert study.grade(Verdict.RIGHT, False, 6.3, director) == "right-and-fast"
    assert study.grade(Verdict.RIGHT, False, 6.4, director) == "right"


def test_the_grading_table_in_the_docs_is_the_one_in_the_code() -> None:
    docs = (Path(__file__).parent.parent / "docs" / "study.md").read_text(encoding="utf-8")
    table = dict(re.findall(r"^\| `([a-z-]+)` \| [^|]+ \| (\w+) \|$", docs, flags=re.MULTILINE))
    assert table == study.GRADES


# Sessions on a fixed clock ---------------------------------------------------------


def test_new_questions_come_a_few_a_day_then_nothing_is_due(tmp_path: Path, clock: Clock) -> None:
    first = session(tmp_path, "--new", "2", "--seed", "4")
    assert first.exit_code == 0, first.output
    assert len(asked(first)) == 2
    assert len(cards(tmp_path)) == 2
    # Answered right at once: Easy, so not due for days; and today's new ones are used.
    again = run(tmp_path, "--new", "2", "--seed", "4")
    assert again.exit_code == 0
    said = " ".join(again.output.split())
    assert said.startswith("Nothing is due. Today's new questions are used up (2 of --new 2);")
    assert "3 questions you have never studied remain for the coming days." in said
    assert "The next question falls due in 8 days (2026-12-03 09:00 UTC)." in said
    assert asked(again) == []
    # The next day (UTC) brings two more.
    clock.forward(days=1)
    second = session(tmp_path, "--new", "2", "--seed", "4")
    assert len(asked(second)) == 2
    assert len(cards(tmp_path)) == 4
    assert set(asked(first)).isdisjoint(asked(second))


def test_a_card_comes_back_when_fsrs_says_it_is_due(tmp_path: Path, clock: Clock) -> None:
    session(tmp_path, "--new", "1", "--seed", "2")
    (card,) = cards(tmp_path).values()
    due = datetime.fromisoformat(card["due"])
    assert due > START + timedelta(days=1)  # right and fast: Easy
    clock.now = due - timedelta(seconds=1)
    assert asked(run(tmp_path, "--new", "0")) == []
    clock.now = due
    back = session(tmp_path, "--new", "0", "--seed", "2")
    assert back.exit_code == 0
    assert asked(back) == [question(card["question_id"]).question]
    (reviewed,) = cards(tmp_path).values()
    assert reviewed["reviews"] == 2
    assert datetime.fromisoformat(reviewed["due"]) > due + (due - START)  # a longer interval


def test_a_wrong_answer_comes_back_in_a_minute(tmp_path: Path, clock: Clock) -> None:
    result = session(tmp_path, "--new", "1", "--seed", "2", answer="wrong")
    assert "Next review of these: in 1 minute (2026-11-25 09:01 UTC)." in result.output
    clock.forward(seconds=59)
    assert asked(run(tmp_path, "--new", "0")) == []
    clock.forward(seconds=1)
    assert len(asked(run(tmp_path, "--new", "0", answers="skip\n"))) == 1


def test_a_hint_grades_hard_and_hard_comes_back_sooner_than_easy(
    tmp_path: Path, clock: Clock
) -> None:
    session(tmp_path / "hinted", "--new", "1", "--seed", "2", answer="hint")
    session(tmp_path / "easy", "--new", "1", "--seed", "2")
    (hinted,) = cards(tmp_path / "hinted").values()
    (easy,) = cards(tmp_path / "easy").values()
    assert hinted["question_id"] == easy["question_id"]
    assert hinted["due"] < easy["due"]


def test_the_same_seed_gives_the_same_order(tmp_path: Path, clock: Clock) -> None:
    skips = lines(*["skip"] * 5)
    orders = [asked(run(tmp_path / str(n), "--seed", "9", answers=skips)) for n in range(2)]
    assert len(orders[0]) == 5
    assert orders[0] == orders[1]
    assert asked(run(tmp_path / "other", "--seed", "10", answers=skips)) != orders[0]


def test_cram_plays_any_question_and_changes_no_schedule(tmp_path: Path, clock: Clock) -> None:
    session(tmp_path, "--new", "2", "--seed", "4")
    before = cards(tmp_path)
    crammed = session(tmp_path, "--cram", "--seed", "4", answer="wrong")
    assert crammed.exit_code == 0
    assert len(asked(crammed)) == 5  # due or not
    assert "Next review" not in crammed.output
    assert cards(tmp_path) == before


def test_filters_and_count_apply_as_in_play(tmp_path: Path, clock: Clock) -> None:
    result = run(tmp_path, "-c", "cast", "--seed", "1", answers=lines("skip", "skip"))
    assert sorted(asked(result)) == [
        "Which actor plays the knife-throwing hitman Navajas?",
        "Who plays Carolina?",
    ]
    limited = run(tmp_path / "n", "-n", "2", "--seed", "1", answers=lines("skip", "skip"))
    assert len(asked(limited)) == 2
    none = run(tmp_path, "-c", "nothing-like-this")
    assert none.exit_code == 2
    assert "no question matches" in none.output


def test_each_player_has_cards_of_their_own(tmp_path: Path, clock: Clock) -> None:
    run(tmp_path, "--new", "1", "-p", "Ann", "--seed", "1", answers="skip\n")
    assert cards(tmp_path, "Ann")
    assert cards(tmp_path) == {}


def test_end_of_input_keeps_what_was_answered(tmp_path: Path, clock: Clock) -> None:
    order = planned(tmp_path, "--new", "3", "--seed", "5")
    result = run(tmp_path, "--new", "3", "--seed", "5", answers=lines(right_answer(order[0])))
    assert result.exit_code == 0
    assert "end-of-input after question 1 of 3" in result.output
    assert list(cards(tmp_path)) == [order[0].id]


def test_json_output_is_the_session_and_nothing_due_is_an_empty_result(
    tmp_path: Path, clock: Clock
) -> None:
    order = planned(tmp_path, "--new", "1", "--seed", "5")
    result = run(
        tmp_path, "--new", "1", "--seed", "5", "--json", answers=lines(right_answer(order[0]))
    )
    envelope = json.loads(result.stdout)
    assert envelope["kind"] == "game"
    assert envelope["data"]["settings"]["mode"] == "study"
    assert [a["id"] for a in envelope["data"]["players"][0]["answers"]] == [order[0].id]
    nothing = run(tmp_path, "--new", "0", "--json")
    empty = json.loads(nothing.stdout)
    assert empty["data"] is None
    assert empty["warnings"][0].startswith("Nothing is due.")


def test_options_out_of_range_are_usage_errors(tmp_path: Path) -> None:
    for args in (["-n", "0"], ["--new", "-1"], ["--timer", "0.5"], ["-p", " "]):
        result = run(tmp_path, *args)
        assert result.exit_code == 2, args


def test_the_cli_default_of_new_is_the_cores() -> None:
    import typer

    command = typer.main.get_command(app)
    (new,) = [p for p in command.commands["study"].params if p.name == "new_per_day"]  # type: ignore[attr-defined]
    assert new.default == study.DEFAULT_NEW_PER_DAY


# First run: earlier games seed the cards -------------------------------------------


def without_id(row: CardRow) -> dict[str, object]:
    """A card's FSRS state without the id FSRS makes from the time it was created."""
    return {k: v for k, v in row["card"].items() if k != "card_id"}


def record_game(data: Path, answers: dict[str, str], ended: datetime) -> None:
    keys = [f"items:{qid}" for qid in answers]
    items = pick_questions(banks(), keys, seed=1).asked
    engine = Engine(items, GameSettings(seed=1))
    engine.start()
    for item in items:
        engine.receive(answers[item.question.id])
    History(data / "history.sqlite3").record(game_records(engine.result, ended, ended))


def test_earlier_games_seed_the_cards_in_time_order(tmp_path: Path, clock: Clock) -> None:
    week_ago = START - timedelta(days=7)
    record_game(tmp_path, {"navajas-actor": "Trejo", "score-band": "false"}, week_ago)
    record_game(tmp_path, {"score-band": "true"}, week_ago + timedelta(days=1))
    result = run(tmp_path, "--new", "0", answers="")
    assert "2 questions Player answered in earlier games start from what those answers" in (
        " ".join(result.output.split())
    )
    seeded = cards(tmp_path)
    assert {key: row["reviews"] for key, row in seeded.items()} == {
        "navajas-actor": 1,
        "score-band": 2,
    }
    # The same reviews, replayed by hand with FSRS, give the same cards.
    navajas = study.review(None, ("items", "navajas-actor"), "right-and-fast", week_ago)
    band = study.review(None, ("items", "score-band"), "wrong", week_ago)
    band = study.review(band, ("items", "score-band"), "right-and-fast", week_ago + timedelta(1))
    assert without_id(seeded["navajas-actor"]) == without_id(navajas)
    assert without_id(seeded["score-band"]) == without_id(band)
    # Seeding happens once: a second study does not replay again.
    run(tmp_path, "--new", "0", answers="")
    assert cards(tmp_path) == seeded


# Two sessions at once --------------------------------------------------------------


def _review_in(path: Path, started: multiprocessing.synchronize.Event) -> None:
    def slow(current: dict[tuple[str, str], CardRow]) -> list[CardRow]:
        started.set()
        time.sleep(0.3)  # the other process tries to write now
        return [
            study.review(
                current.get(("basics", "director")), ("basics", "director"), "right", START
            )
        ]

    History(path).update_cards("Player", slow)


def test_two_sessions_at_once_lose_no_review(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    History(path).cards("Player")
    context = multiprocessing.get_context("spawn")
    started = context.Event()
    first = context.Process(target=_review_in, args=(path, started))
    first.start()
    assert started.wait(30)
    History(path).update_cards(
        "Player",
        lambda current: [
            study.review(
                current.get(("basics", "director")), ("basics", "director"), "right", START
            )
        ],
    )
    first.join(30)
    assert first.exitcode == 0
    rows, _ = History(path).cards("Player").value
    assert [row["reviews"] for row in rows] == [2]


def test_two_study_commands_at_once_both_count(tmp_path: Path) -> None:
    """Two terminals studying the same new question at the same moment: both answers
    grade the card."""
    env = {**os.environ, "DESPERADO_QUIZ_HOME": str(tmp_path), "NO_COLOR": "1"}
    command = [sys.executable, "-m", "desperado_quiz", "study", "-b", str(BANK)]
    command += ["--new", "1", "--seed", "3"]
    children = [
        subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        for _ in range(2)
    ]
    for child in children:  # both have chosen their question before either answers
        assert wait_for(child, b"Your answer> ")
    (item,) = [a.question for a in study_choice(tmp_path)]
    for child in children:
        assert child.stdin is not None
        child.stdin.write(f"{right_answer(item)}\n".encode())
        child.stdin.close()
    for child in children:
        assert child.wait(60) == 0
    assert cards(tmp_path)[item.id]["reviews"] == 2


def study_choice(data: Path) -> list:  # type: ignore[type-arg]
    from desperado_quiz.app.studying import choose

    now = datetime.now(UTC)
    return choose(banks(), GameSettings(seed=3, mode="study"), [], 1, now).asked


def wait_for(child: subprocess.Popen[bytes], wanted: bytes, seconds: float = 30) -> bool:
    assert child.stdout is not None
    seen = b""
    deadline = time.monotonic() + seconds
    while wanted not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([child.stdout], [], [], 0.5)
        if ready:
            chunk = os.read(child.stdout.fileno(), 4096)
            if not chunk:
                break
            seen += chunk
    return wanted in seen


def test_a_due_question_wins_over_a_new_one_that_gives_it_away(clock: Clock) -> None:
    """In the game fixture, release-year gives film-order away: with film-order due,
    release-year waits, and another new question takes its place."""
    from desperado_quiz.app.studying import choose

    game_banks = banks(FIXTURES / "game")
    due_card = study.review(None, ("basics", "film-order"), "wrong", START - timedelta(hours=1))
    for seed in range(20):
        settings = GameSettings(seed=seed, count=20, mode="study")
        chosen = choose(game_banks, settings, [due_card], 10, START).asked
        ids = [item.question.id for item in chosen]
        assert ids[0] == "film-order"
        assert "release-year" not in ids
        assert sorted(ids[1:]) == ["director", "score-band", "villain-actor"]


def test_questions_replayed_from_games_today_leave_todays_new_ones(
    tmp_path: Path, clock: Clock
) -> None:
    hour_ago = START - timedelta(hours=1)
    record_game(tmp_path, {"navajas-actor": "Trejo", "score-band": "true"}, hour_ago)
    seeded = run(tmp_path, "--new", "0")  # the first study replays the games
    assert "2 questions Player answered in earlier games" in " ".join(seeded.output.split())
    assert "Warning" not in seeded.output  # information, not a warning
    result = session(tmp_path, "--new", "2", "--seed", "3")
    assert len(asked(result)) == 2  # two new ones all the same
    assert {row["introduced"] for row in cards(tmp_path).values()} == {"", START.isoformat()}
