"""Question analytics: histories with known answer patterns, every figure and flag checked.

Ten players each play one game of the five questions in tests/fixtures/items (the last
one skips `grammy-piece`). Who got what right is chosen so that each flag shows once:

    game  carolina-shop  navajas-actor  score-band  carolina-actor   grammy-piece
    0     bookstore ✓    ✓              ✗           Penélope Cruz    ✓
    1     bookstore ✓    ✓              ✗           Penélope Cruz    ✓
    2     bookstore ✓    ✓              ✗           Penélope Cruz    ✓
    3     bookstore ✓    ✓              ✗           Salma Hayek ✓    ✓
    4     bar            ✓              ✗           Salma Hayek ✓    ✗
    5     bookstore ✓    ✓              ✗           Salma Hayek ✓    ✗
    6     bar            ✓              ✓           Salma Hayek ✓    ✗
    7     bar            ✗              ✓           Salma Hayek ✓    ✗
    8     hotel          ✗              ✓           Penélope Cruz    ✗
    9     bar            ✗              ✗           Jennifer Lopez   (not asked)

The expected discriminations were worked out by hand from the formula in docs/study.md;
`carolina-shop` is the worked example there.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

import pytest
from typer.testing import CliRunner

from desperado_quiz import analytics
from desperado_quiz.analytics import point_biserial, question_stats, rest_scores
from desperado_quiz.cli import app
from desperado_quiz.game import Engine, GameSettings, pick_questions
from desperado_quiz.history import AnswerRow, History, game_records
from desperado_quiz.loader import LoadedBank
from desperado_quiz.store import load_banks
from tests.helpers import FIXTURES

runner = CliRunner()
BANK = FIXTURES / "items"
BANK_FILE = BANK / "items.toml"
START = datetime(2026, 11, 1, 20, 0, tzinfo=UTC)

GAMES = [
    ("A bookstore", "Trejo", "false", "Penélope Cruz", "Mariachi Suite"),
    ("A bookstore", "Trejo", "false", "Penélope Cruz", "Mariachi Suite"),
    ("A bookstore", "Trejo", "false", "Penélope Cruz", "Mariachi Suite"),
    ("A bookstore", "Trejo", "false", "Salma Hayek", "Mariachi Suite"),
    ("A bar", "Trejo", "false", "Salma Hayek", "Bamboleo"),
    ("A bookstore", "Trejo", "false", "Salma Hayek", "Bamboleo"),
    ("A bar", "Trejo", "true", "Salma Hayek", "Bamboleo"),
    ("A bar", "Cheech Marin", "true", "Salma Hayek", "Bamboleo"),
    ("A hotel", "Cheech Marin", "true", "Penélope Cruz", "Bamboleo"),
    ("A bar", "Cheech Marin", "false", "Jennifer Lopez", None),
]
ORDER = ("carolina-shop", "navajas-actor", "score-band", "carolina-actor", "grammy-piece")

EXPECTED = [
    {
        "bank": "items",
        "id": "carolina-actor",
        "question": "Who plays Carolina?",
        "difficulty": "medium",
        "answers": 10,
        "right_share": 0.5,
        "discrimination": -0.0958,
        "distractors": {"Penélope Cruz": 4, "Jennifer Lopez": 1},
        # The best players (games 0-3, tied on 3 of 4 elsewhere) chose Penélope Cruz 3 to 1.
        "flags": ["distractor-beats-answer", "negative-discrimination"],
    },
    {
        "bank": "items",
        "id": "carolina-shop",
        "question": "What kind of shop does Carolina own?",
        "difficulty": "medium",
        "answers": 10,
        "right_share": 0.5,
        "discrimination": 0.3612,
        "distractors": {"A bar": 4, "A hotel": 1, "A hospital": 0},
        "flags": ["unpicked-distractor"],
    },
    {
        "bank": "items",
        "id": "navajas-actor",
        "question": "Which actor plays the knife-throwing hitman Navajas?",
        "difficulty": "hard",
        "answers": 10,
        "right_share": 0.7,
        "discrimination": 0.5867,
        "distractors": {},
        "flags": ["answered-by-most"],
    },
    {
        "bank": "items",
        "id": "score-band",
        "question": "Did Los Lobos compose the film's score?",
        "difficulty": "easy",
        "answers": 10,
        "right_share": 0.3,
        "discrimination": -0.5539,
        "distractors": {},
        "flags": ["missed-by-most", "negative-discrimination"],
    },
    # grammy-piece has 9 answers, below analytics.MIN_ANSWERS: no figures.
]


@cache
def banks() -> list[LoadedBank]:
    return load_banks([BANK]).banks


def record_games(data: Path) -> History:
    history = History(data / "history.sqlite3")
    for number, typed in enumerate(GAMES):
        answers = {qid: given for qid, given in zip(ORDER, typed, strict=True) if given}
        keys = [f"items:{qid}" for qid in answers]
        items = pick_questions(banks(), keys, seed=1).asked
        engine = Engine(items, GameSettings(seed=1, players=(f"Player {number}",)))
        engine.start()
        for item in items:
            engine.receive(answers[item.question.id])
        when = START + timedelta(minutes=number)
        history.record(game_records(engine.result, when, when))
    return history


def test_every_figure_and_flag_of_a_known_history(tmp_path: Path) -> None:
    history = record_games(tmp_path)
    questions = {(b.id, q.id): q for b in banks() for q in b.questions}
    assert question_stats(history.answers().value, questions) == EXPECTED


def test_the_worked_example_of_the_docs() -> None:
    """docs/study.md works carolina-shop out by hand: M1 = 0.55, M0 = 0.40, s = 0.2076,
    p = q = 0.5, so r = 0.15 / 0.2076 * 0.5 = 0.3612."""
    rest = [0.5, 0.5, 0.5, 0.75, 0.5, 0.5, 0.75, 0.5, 0.25, 0.0]
    right = [True, True, True, True, False, True, False, False, False, False]
    assert point_biserial(right, rest) == pytest.approx(0.3612, abs=5e-5)
    docs = (Path(__file__).parent.parent / "docs" / "study.md").read_text(encoding="utf-8")
    assert "= 0.3612" in docs


def test_rest_scores_leave_the_answer_itself_out() -> None:
    rows = [answer(1, "a", True), answer(1, "b", False), answer(1, "c", True)]
    rows += [answer(2, "a", False), answer(2, "b", False), answer(3, "a", True)]
    # Each answer's rest is the share right of the other answers of its game.
    scores = rest_scores(rows)
    assert scores[:5] == [0.5, 1.0, 0.5, 0.0, 0.0]
    assert math.isnan(scores[5])  # a one-question game says nothing of the player


def test_undefined_discrimination_is_none() -> None:
    assert point_biserial([True, True], [0.5, 1.0]) is None  # everyone right
    assert point_biserial([True, False], [0.5, 0.5]) is None  # no spread of rest scores


def test_only_first_tries_count(tmp_path: Path) -> None:
    """A practice game's second try at a question is not a new answer to analyse."""
    rows = [answer(n, "x", False) for n in range(10)] + [answer(n, "y", True) for n in range(10)]
    rows += [answer(n, "x", True, attempt=2) for n in range(10)]
    questions = {("items", q.id): q for b in banks() for q in b.questions}
    questions[("items", "x")] = questions[("items", "navajas-actor")]
    questions[("items", "y")] = questions[("items", "carolina-shop")]
    (x, _y) = question_stats(rows, questions)
    assert (x["id"], x["answers"], x["right_share"]) == ("x", 10, 0.0)


def answer(game: int, question: str, correct: bool, attempt: int = 1) -> AnswerRow:
    return {
        "game_id": game,
        "player": "P",
        "bank_id": "items",
        "question_id": question,
        "attempt": attempt,
        "given": "",
        "verdict": "right" if correct else "wrong",
        "correct": correct,
        "hinted": False,
        "seconds": 1.0,
        "ended_at": START.isoformat(),
    }


# The commands -----------------------------------------------------------------------


def stats(data: Path, *args: str) -> str:
    result = runner.invoke(
        app, ["stats", "--questions", "-b", str(BANK), "--data-dir", str(data), *args]
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def test_stats_questions_as_json_is_the_figures(tmp_path: Path) -> None:
    record_games(tmp_path)
    envelope = json.loads(stats(tmp_path, "--format", "json"))
    assert envelope["kind"] == "questions"
    assert envelope["data"] == EXPECTED


def test_stats_questions_as_csv(tmp_path: Path) -> None:
    record_games(tmp_path)
    rows = stats(tmp_path, "--format", "csv").splitlines()
    assert rows[0] == ("bank,id,difficulty,answers,right_share,discrimination,flags,wrong_picks")
    assert rows[2] == (
        "items,carolina-shop,medium,10,0.5,0.3612,unpicked-distractor,"
        "A bar: 4; A hotel: 1; A hospital: 0"
    )
    assert len(rows) == 5


def test_stats_questions_as_a_table(tmp_path: Path) -> None:
    record_games(tmp_path)
    table = stats(tmp_path)
    assert "How each question works" in table
    assert "answered-by-most" in table
    assert "+0.36" in table
    assert "grammy-piece" not in table


def test_stats_questions_of_one_player_and_of_an_empty_history(tmp_path: Path) -> None:
    record_games(tmp_path)
    assert "No question has 10 first-try answers" in stats(tmp_path, "-p", "Player 1")
    assert f"No question has {analytics.MIN_ANSWERS} first-try" in stats(tmp_path / "none")
    assert not (tmp_path / "none" / "history.sqlite3").exists()


def test_csv_is_for_questions_only(tmp_path: Path) -> None:
    result = runner.invoke(app, ["stats", "--format", "csv", "--data-dir", str(tmp_path)])
    assert result.exit_code == 2
    assert "--format csv is for --questions" in result.output


def validate(data: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(
        app, ["validate", str(BANK_FILE), "--history", "--data-dir", str(data), *args]
    )
    return result.exit_code, result.stdout


def test_validate_with_history_warns_at_each_questions_line(tmp_path: Path) -> None:
    record_games(tmp_path)
    code, output = validate(tmp_path)
    assert code == 0  # warnings: a pass, unless --strict
    flagged = [
        line.split(" warning ")[1].split(":")[0]
        for line in output.splitlines()
        if " warning " in line
    ]
    assert sorted(flagged) == sorted(
        [
            "distractor-beats-answer [carolina-actor]",
            "negative-discrimination [carolina-actor]",
            "unpicked-distractor [carolina-shop]",
            "answered-by-most [navajas-actor]",
            "missed-by-most [score-band]",
            "negative-discrimination [score-band]",
        ]
    )
    assert "items.toml:8 ! warning unpicked-distractor [carolina-shop]" in output
    assert "labelled hard, but answered right by most players (10 answers, 70% right" in output
    assert validate(tmp_path, "--strict")[0] == 1


def test_validate_with_history_in_machine_formats(tmp_path: Path) -> None:
    record_games(tmp_path)
    _, output = validate(tmp_path, "--format", "json")
    findings = json.loads(output)["data"]["findings"]
    assert {(f["code"], f["question_id"], f["line"]) for f in findings} >= {
        ("answered-by-most", "navajas-actor", 20),
        ("missed-by-most", "score-band", 32),
    }
    _, github = validate(tmp_path, "--format", "github")
    assert "::warning file=" in github
    assert "title=answered-by-most" in github


def test_validate_with_an_empty_history_adds_nothing(tmp_path: Path) -> None:
    code, output = validate(tmp_path / "none")
    assert code == 0
    assert "No problems" in output
    assert not (tmp_path / "none" / "history.sqlite3").exists()


def test_every_flag_has_a_hint_and_a_documented_code() -> None:
    docs = (Path(__file__).parent.parent / "docs" / "validation.md").read_text(encoding="utf-8")
    for code in analytics.FLAGS:
        assert code in analytics._HINTS
        assert f"`{code}`" in docs
