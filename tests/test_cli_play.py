"""`desperado-quiz play` through CliRunner: whole games, scripts, errors, exit codes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from desperado_quiz.cli import app
from tests.conftest import (
    BOOLEAN_QUESTION,
    CHOICE_QUESTION,
    TEXT_QUESTION,
    right_answers,
)

runner = CliRunner()


@pytest.fixture
def small_bank(write_bank: Callable[..., Path]) -> Path:
    return write_bank(CHOICE_QUESTION + BOOLEAN_QUESTION + TEXT_QUESTION)


def lines(*answers: str) -> str:
    return "".join(f"{answer}\n" for answer in answers)


def test_a_full_bundled_game_answered_right() -> None:
    answers = right_answers(seed=5, count=10)
    result = runner.invoke(app, ["play", "--seed", "5"], input=lines(*answers))
    assert result.exit_code == 0, result.output
    assert result.stdout.count("✓ Right!") == 10
    assert "Question 10 of 10" in result.stdout
    assert "10 of 10 (100%)" in result.stdout
    assert "Legendary" in result.stdout
    assert "(the article)" in result.stdout
    assert "desperado-quiz play --seed 5 -n 10" in result.stdout


def test_no_subcommand_starts_a_game() -> None:
    result = runner.invoke(app, [], input="quit\n")
    assert result.exit_code == 0
    assert "Question 1 of 10" in result.stdout
    assert "Player: no answers." in result.stdout


def test_wrong_answer_shows_the_right_one_explanation_and_evidence(small_bank: Path) -> None:
    wrong = {"Antonio Banderas": "Javier Bardem", "false": "true", "Navajas": "Machete"}
    script = [wrong[answer] for answer in right_answers(1, 3, [small_bank])]
    result = runner.invoke(
        app, ["play", "-b", str(small_bank), "--seed", "1", "-n", "3"], input=lines(*script)
    )
    assert result.exit_code == 0
    assert result.stdout.count("✗ Wrong.") == 3
    assert "The answer: Antonio Banderas" in result.stdout
    assert "Banderas plays him." in result.stdout
    assert "“El Mariachi (portrayed iconically by Antonio Banderas)” (the article)" in (
        result.stdout.replace("\n", " ")
    )
    assert "0 of 3 (0%)" in result.stdout


def test_invalid_input_is_explained_and_asked_again_and_hint_halves(small_bank: Path) -> None:
    answers = right_answers(seed=2, count=3, paths=[small_bank])
    script = []
    for answer in answers:
        if answer == "Navajas":
            script += ["?", answer]
        elif answer == "false":
            script += ["perhaps", answer]
        else:
            script += ["E", answer]
    result = runner.invoke(
        app, ["play", "-b", str(small_bank), "--seed", "2", "--json"], input=lines(*script)
    )
    assert result.exit_code == 0, result.output
    assert "Not an answer: Answer true or false" in result.stderr
    assert "Not an answer: Answer with a letter A-B" in result.stderr
    assert "Hint: Spanish for knives. (this question now scores half)" in result.stderr
    game = json.loads(result.stdout)
    answered = {a["id"]: a for a in game["players"][0]["answers"]}
    assert answered["trejo-role"]["hinted"] is True
    assert answered["trejo-role"]["points"] < 300
    assert game["players"][0]["right"] == 3


def test_json_result_is_complete_and_replayable(small_bank: Path) -> None:
    args = ["play", "-b", str(small_bank), "--seed", "9", "--json"]
    first = json.loads(runner.invoke(app, args, input="skip\nskip\nskip\n").stdout)
    second = json.loads(runner.invoke(app, args, input="skip\nskip\nskip\n").stdout)
    assert first["questions"] == second["questions"]
    assert first["seed"] == 9
    player = first["players"][0]
    assert player["status"] == "finished"
    assert [a["verdict"] for a in player["answers"]] == ["skipped"] * 3
    assert set(player["answers"][0]) >= {"bank", "id", "given", "answer", "points", "seconds"}
    assert player["score"] == 0


def test_pass_mark_sets_the_exit_code(small_bank: Path) -> None:
    args = ["play", "-b", str(small_bank), "--seed", "3", "--pass-mark", "50"]
    good = runner.invoke(app, args, input=lines(*right_answers(3, 3, [small_bank])))
    assert good.exit_code == 0
    bad = runner.invoke(app, args, input="skip\nskip\nskip\n")
    assert bad.exit_code == 1
    assert "Below the pass mark of 50%" in bad.stdout


def test_end_of_input_ends_the_game_like_quit(small_bank: Path) -> None:
    result = runner.invoke(
        app, ["play", "-b", str(small_bank), "--seed", "4", "--json"], input="skip\n"
    )
    assert result.exit_code == 0
    player = json.loads(result.stdout)["players"][0]
    assert player["status"] == "end-of-input"
    assert player["answered"] == 1
    assert "Traceback" not in result.output


def test_quit_shows_the_summary_of_what_was_answered(small_bank: Path) -> None:
    result = runner.invoke(
        app, ["play", "-b", str(small_bank), "--seed", "4"], input="skip\nquit\n"
    )
    assert result.exit_code == 0
    assert "(quit: 1 answered)" in result.stdout


def test_several_players_take_turns_and_get_a_leaderboard(small_bank: Path) -> None:
    right = right_answers(seed=6, count=3, paths=[small_bank])
    result = runner.invoke(
        app,
        ["play", "-b", str(small_bank), "--seed", "6", "-p", "Ann", "-p", "Bob"],
        input=lines(*(["skip"] * 3), *right),
    )
    assert result.exit_code == 0, result.output
    assert "Player 1 of 2: Ann, your turn" in result.stdout
    assert "Player 2 of 2: Bob, your turn" in result.stdout
    board = result.stdout[result.stdout.index("Leaderboard") :]
    assert board.index("Bob") < board.index("Ann")


def test_timer_game_reports_the_limit(small_bank: Path) -> None:
    result = runner.invoke(
        app,
        ["play", "-b", str(small_bank), "--seed", "1", "--timer", "30", "--json"],
        input=lines(*right_answers(1, 3, [small_bank])),
    )
    assert result.exit_code == 0
    assert "30 s to answer" in result.stderr
    game = json.loads(result.stdout)
    assert game["settings"]["timer"] == 30
    # answered at once: close to full points
    assert all(a["points"] >= 90 for a in game["players"][0]["answers"])


def test_filter_that_leaves_nothing_is_a_usage_error() -> None:
    result = runner.invoke(app, ["play", "--category", "Cooking"])
    assert result.exit_code == 2
    assert "no question matches" in result.stderr
    assert "Categories:" in result.stderr


def test_unknown_bank_id_is_a_usage_error() -> None:
    result = runner.invoke(app, ["play", "--bank", "desperado-cooking"])
    assert result.exit_code == 2
    assert "no bank with id 'desperado-cooking'" in result.stderr
    assert "desperado-music" in result.stderr


def test_bank_by_id_and_difficulty_filter() -> None:
    result = runner.invoke(
        app,
        ["play", "-b", "desperado-music", "-d", "hard", "--seed", "1", "--json"],
        input="skip\n" * 10,
    )
    assert result.exit_code == 0
    game = json.loads(result.stdout)
    assert {q["bank"] for q in game["questions"]} == {"desperado-music"}
    assert {a["difficulty"] for a in game["players"][0]["answers"]} == {"hard"}


def test_broken_bank_is_reported_with_file_and_line(write_bank: Callable[..., Path]) -> None:
    path = write_bank(CHOICE_QUESTION.replace('difficulty = "easy"', 'difficulty = "expert"'))
    result = runner.invoke(app, ["play", "-b", str(path)])
    assert result.exit_code == 2
    assert f"{path}:11" in result.stderr
    assert "unknown difficulty 'expert'" in result.stderr


def test_question_text_is_never_rich_markup(write_bank: Callable[..., Path]) -> None:
    path = write_bank(
        CHOICE_QUESTION.replace("Who plays El Mariachi?", "Who plays [bold red]El Mariachi[/]?")
    )
    result = runner.invoke(app, ["play", "-b", str(path), "--seed", "1"], input="quit\n")
    assert "Who plays [bold red]El Mariachi[/]?" in result.stdout


def test_control_characters_in_a_bank_are_refused(write_bank: Callable[..., Path]) -> None:
    path = write_bank(
        CHOICE_QUESTION.replace("Who plays El Mariachi?", "Who plays \\u001b[2J El Mariachi?")
    )
    result = runner.invoke(app, ["play", "-b", str(path)])
    assert result.exit_code == 2
    assert "control-characters" in result.stderr
    assert "\x1b" not in result.output


def test_a_tolerance_as_wide_as_the_answer_never_reaches_a_game(
    write_bank: Callable[..., Path],
) -> None:
    bank = write_bank(
        """
[[questions]]
id = "worldwide"
type = "number"
question = "Worldwide gross, in millions of dollars?"
category = "Box office"
difficulty = "medium"
answer = 58
tolerance = 100
evidence = "$58 million worldwide"
"""
    )
    result = runner.invoke(app, ["play", "-b", str(bank), "--seed", "1"], input="0\n")
    assert result.exit_code == 2
    assert "bank.toml:13" in result.output
    assert "tolerance-too-wide" in result.output
    assert "Right" not in result.output
