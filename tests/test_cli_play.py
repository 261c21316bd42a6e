"""`desperado-quiz play` through CliRunner: whole games, scripts, errors, exit codes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from desperado_quiz.cli import app
from tests.helpers import (
    BOOLEAN_QUESTION,
    CHOICE_QUESTION,
    TEXT_QUESTION,
    lines,
    right_answers,
)

runner = CliRunner()


@pytest.fixture
def small_bank(write_bank: Callable[..., Path]) -> Path:
    return write_bank(CHOICE_QUESTION + BOOLEAN_QUESTION + TEXT_QUESTION)


def game_data(output: str) -> dict[str, Any]:
    document = json.loads(output)
    assert document["kind"] == "game"
    return document["data"]  # type: ignore[no-any-return]


def test_a_full_bundled_game_answered_right() -> None:
    answers = right_answers(seed=5, count=10)
    result = runner.invoke(app, ["play", "--seed", "5"], input=lines(*answers))
    assert result.exit_code == 0, result.output
    assert result.stdout.count("✓ Right") == 10
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


def test_a_wrong_answer_shows_both_answers_the_explanation_and_the_quote(
    small_bank: Path,
) -> None:
    wrong = {"Antonio Banderas": "Javier Bardem", "false": "true", "Navajas": "Machete"}
    script = [wrong[answer] for answer in right_answers(1, 3, [small_bank])]
    result = runner.invoke(
        app, ["play", "-b", str(small_bank), "--seed", "1", "-n", "3"], input=lines(*script)
    )
    assert result.exit_code == 0
    assert result.stdout.count("✗ Wrong · You: ") == 3
    out = " ".join(result.stdout.split())
    assert "You: A) Javier Bardem · Right: B) Antonio Banderas" in out or (
        "You: B) Javier Bardem · Right: A) Antonio Banderas" in out
    )
    assert "You: Machete · Right: Navajas" in out
    assert "Banderas plays him." in out
    assert "“El Mariachi (portrayed iconically by Antonio Banderas)” (the article)" in out
    assert "0 of 3 (0%)" in out


def test_invalid_input_is_explained_and_asked_again_and_hint_halves(small_bank: Path) -> None:
    script = []
    for answer in right_answers(seed=2, count=3, paths=[small_bank]):
        script += [*{"Navajas": ["?"], "false": ["perhaps"]}.get(answer, ["E"]), answer]
    result = runner.invoke(
        app, ["play", "-b", str(small_bank), "--seed", "2", "--json"], input=lines(*script)
    )
    assert result.exit_code == 0, result.output
    assert "Not an answer: Answer true or false" in result.stderr
    assert "Not an answer: Answer with a letter A-B" in result.stderr
    assert "Hint: Spanish for knives. (this question now scores half)" in result.stderr
    player = game_data(result.stdout)["players"][0]
    answered = {a["id"]: a for a in player["answers"]}
    assert answered["trejo-role"]["hinted"] is True
    assert answered["trejo-role"]["points"] < 300
    assert player["right"] == 3


def test_a_typo_that_was_forgiven_is_told(write_bank: Callable[..., Path]) -> None:
    bank = write_bank(TEXT_QUESTION)
    result = runner.invoke(app, ["play", "-b", str(bank)], input="Navajs\n")
    assert "✓ Right (accepted: Navajs → Navajas)" in result.stdout


def test_emoji_codes_in_a_name_or_answer_are_shown_as_typed(
    write_bank: Callable[..., Path],
) -> None:
    bank = write_bank(TEXT_QUESTION)
    result = runner.invoke(
        app, ["play", "-b", str(bank), "--player", ":fire: Ann"], input=":smiley:\n"
    )
    assert result.exit_code == 0, result.output
    assert ":fire: Ann" in result.stdout
    assert "🔥" not in result.stdout
    assert "😃" not in result.stdout


def test_the_hint_is_only_offered_when_there_is_one(write_bank: Callable[..., Path]) -> None:
    def panel(body: str) -> str:
        result = runner.invoke(app, ["play", "-b", str(write_bank(body))], input="quit\n")
        return " ".join(result.stdout.replace("│", " ").split())

    without = panel(CHOICE_QUESTION)
    assert "? hint" not in without
    assert "skip · quit" in without
    assert "? hint · skip · quit" in panel(TEXT_QUESTION)


def test_json_result_is_complete_and_replayable(small_bank: Path) -> None:
    args = ["play", "-b", str(small_bank), "--seed", "9", "--json"]
    first = game_data(runner.invoke(app, args, input="skip\nskip\nskip\n").stdout)
    second = game_data(runner.invoke(app, args, input="skip\nskip\nskip\n").stdout)
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


def test_quitting_early_never_passes(small_bank: Path) -> None:
    first = right_answers(3, 3, [small_bank])[0]
    args = ["play", "-b", str(small_bank), "--seed", "3", "--pass-mark", "60"]
    result = runner.invoke(app, args, input=lines(first))  # 1 right, then end of input
    assert result.exit_code == 1
    assert "questions not answered count as not right" in result.stdout


def test_end_of_input_ends_the_game_like_quit(small_bank: Path) -> None:
    result = runner.invoke(
        app, ["play", "-b", str(small_bank), "--seed", "4", "--json"], input="skip\n"
    )
    assert result.exit_code == 0
    player = game_data(result.stdout)["players"][0]
    assert player["status"] == "end-of-input"
    assert player["answered"] == 1
    assert "Traceback" not in result.output


def test_quit_shows_the_summary_of_what_was_answered(small_bank: Path) -> None:
    result = runner.invoke(
        app, ["play", "-b", str(small_bank), "--seed", "4"], input="skip\nquit\n"
    )
    assert result.exit_code == 0
    assert "(quit after question 1 of 3)" in result.stdout


def test_several_players_never_see_each_others_answers_before_the_end(small_bank: Path) -> None:
    right = right_answers(seed=6, count=3, paths=[small_bank])
    result = runner.invoke(
        app,
        ["play", "-b", str(small_bank), "--seed", "6", "-p", "Ann", "-p", "Bob"],
        input=lines(*(["skip"] * 3), *right),
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Player 1 of 2: Ann" in out
    assert "Pass the keyboard to Bob, then press Enter." in out
    bobs_turn = out[out.index("Player 2 of 2: Bob") :]
    ann_table = out.index("Ann's answers")
    assert ann_table > out.index("Player 2 of 2: Bob")  # tables only at the end
    assert "Ann's answers" not in bobs_turn[: bobs_turn.index("Question 3 of 3")]
    board = out[out.index("Leaderboard") :]
    assert board.index("Bob") < board.index("Ann")


def test_question_by_question_reveals_answers_together(small_bank: Path) -> None:
    right = right_answers(seed=6, count=3, paths=[small_bank])
    script = [item for answer in right for item in (answer, "skip")]
    result = runner.invoke(
        app,
        [
            "play",
            "-b",
            str(small_bank),
            "--seed",
            "6",
            "-p",
            "Ann",
            "-p",
            "Bob",
            "--turns",
            "question",
            "--json",
        ],
        input=lines(*script),
    )
    assert result.exit_code == 0, result.output
    assert result.stderr.count("Answer locked in for Ann.") == 3
    assert "✓ Right" not in result.stderr  # no verdict until everyone has answered
    assert result.stderr.count("Answers: ") == 3
    data = game_data(result.stdout)
    assert data["ranking"] == ["Ann", "Bob"]
    assert data["settings"]["turns"] == "question"


def test_timer_game_reports_the_limit(small_bank: Path) -> None:
    result = runner.invoke(
        app,
        ["play", "-b", str(small_bank), "--seed", "1", "--timer", "30", "--json"],
        input=lines(*right_answers(1, 3, [small_bank])),
    )
    assert result.exit_code == 0
    assert "Streak 0 · 30 s" in result.stderr
    game = game_data(result.stdout)
    assert game["settings"]["timer"] == 30
    # answered at once: close to full points
    assert all(a["points"] >= 90 for a in game["players"][0]["answers"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-p", ""], "a player's name cannot be empty"),
        (["-p", "Ann", "-p", "ann"], "two players have the same name"),
        (["-n", "0"], "--count must be 1 or more"),
        (["--pass-mark", "101"], "--pass-mark is a percentage"),
    ],
)
def test_options_that_cannot_make_a_game_are_usage_errors(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["play", *args], input="quit\n")
    assert result.exit_code == 2
    assert message in result.stderr


def test_filter_that_leaves_nothing_is_a_usage_error_that_lists_that_filter() -> None:
    result = runner.invoke(app, ["play", "--category", "Cooking"])
    assert result.exit_code == 2
    assert "no question matches" in result.stderr
    assert "Categories: Box office, Cast & crew" in result.stderr
    tag = runner.invoke(app, ["play", "--tag", "nope"])
    assert "Tags: cameos, cuts, sequel." in tag.stderr
    assert "Categories" not in tag.stderr


def test_difficulty_in_any_case() -> None:
    result = runner.invoke(app, ["play", "-d", "Medium", "--seed", "1", "--json"], input="q\n")
    assert result.exit_code == 0, result.output
    assert game_data(result.stdout)["settings"]["difficulties"] == ["medium"]


def test_fewer_questions_than_asked_for_is_said() -> None:
    result = runner.invoke(app, ["play", "-c", "Cut weapon", "-n", "5"], input="quit\n")
    assert "Only 1 of the 5 questions asked for can be played: 2 match, and 1 would give" in (
        " ".join(result.stderr.split())
    )
    # Without -n, a category of two is simply a game of two, unless one gives the other
    # away: then the game says why it has fewer.
    kept = runner.invoke(app, ["play", "-c", "Cut weapon"], input="quit\n")
    assert "1 of the 2 questions that match are played: 1 question would give" in " ".join(
        kept.stderr.split()
    )
    quiet = runner.invoke(app, ["play", "-c", "Style"], input="quit\n")
    assert "Warning" not in quiet.stderr
    assert "Question 1 of 3" in quiet.stdout


def test_unknown_bank_id_is_a_usage_error() -> None:
    result = runner.invoke(app, ["play", "--bank", "desperado-cooking"])
    assert result.exit_code == 2
    assert "no bank with id 'desperado-cooking'" in result.stderr
    assert "desperado-music" in result.stderr


def test_errors_on_the_json_path_come_out_as_json() -> None:
    result = runner.invoke(app, ["play", "--bank", "desperado-cooking", "--json"])
    assert result.exit_code == 2
    document = json.loads(result.stdout)
    assert document["data"] is None
    assert "no bank with id" in document["errors"][0]["message"]


def test_bank_by_id_and_difficulty_filter() -> None:
    result = runner.invoke(
        app,
        ["play", "-b", "desperado-music", "-d", "hard", "--seed", "1", "--json"],
        input="skip\n" * 10,
    )
    assert result.exit_code == 0
    game = game_data(result.stdout)
    assert {q["bank"] for q in game["questions"]} == {"desperado-music"}
    assert {a["difficulty"] for a in game["players"][0]["answers"]} == {"hard"}


def test_named_questions_are_played_in_their_order() -> None:
    result = runner.invoke(
        app,
        ["play", "-q", "desperado-music:score-band", "-q", "director", "--json"],
        input="Los Lobos\nRodriguez\n",
    )
    assert result.exit_code == 0, result.output
    game = game_data(result.stdout)
    assert [q["id"] for q in game["questions"]] == ["score-band", "director"]
    assert game["players"][0]["right"] == 2


@pytest.mark.parametrize(
    ("typed", "verdict", "refusal"),
    [
        ("25.4", "right", None),
        ("$25,400,000", "right", None),  # written out in full, for a question in millions
        ("2.54e1", "right", None),
        ("25,4", None, "write decimals with a point"),
        ("25 or 26", None, "that holds 2 numbers"),
    ],
)
def test_numbers_are_read_as_people_write_them(
    typed: str, verdict: str | None, refusal: str | None
) -> None:
    result = runner.invoke(
        app,
        ["play", "-q", "desperado-reception:us-canada-gross", "--json", "--no-save"],
        input=f"{typed}\nskip\n",
    )
    answer = game_data(result.stdout)["players"][0]["answers"][0]
    if refusal:
        assert refusal in result.stderr
        assert answer["verdict"] == "skipped"
    else:
        assert answer["verdict"] == verdict
        assert answer["given"] == "25.4"


def test_a_choice_typed_without_its_punctuation_is_understood() -> None:
    result = runner.invoke(
        app,
        ["play", "-q", "desperado-story:camp", "--json", "--no-save"],
        input="over the top close to campy\n",
    )
    answer = game_data(result.stdout)["players"][0]["answers"][0]
    assert answer["verdict"] == "right"


def test_named_questions_that_give_each_other_away_are_played_with_a_word() -> None:
    result = runner.invoke(
        app,
        ["play", "-q", "tarantino", "-q", "toned-down-deaths", "-q", "director", "--no-save"],
        input="skip\nskip\nskip\n",
    )
    assert result.exit_code == 0, result.output
    assert "'tarantino' and 'toned-down-deaths' give each other away; both are played" in (
        " ".join(result.output.split())
    )
    assert "'director'" not in result.output


def test_a_number_with_an_uneven_range_of_fair_answers() -> None:
    for typed, verdict in (("1993", "right"), ("1991", "wrong")):
        result = runner.invoke(
            app,
            ["play", "-q", "el-mariachi-premiere", "--json", "--no-save"],
            input=f"{typed}\n",
        )
        answer = game_data(result.stdout)["players"][0]["answers"][0]
        assert answer["verdict"] == verdict
        assert answer["answer"] == "1992 (or 1993)"


def test_broken_bank_is_reported_with_file_and_line(write_bank: Callable[..., Path]) -> None:
    path = write_bank(CHOICE_QUESTION.replace('difficulty = "easy"', 'difficulty = "expert"'))
    result = runner.invoke(app, ["play", "-b", str(path)])
    assert result.exit_code == 2
    assert "bank.toml:11" in result.stderr
    assert "unknown difficulty 'expert'" in result.stderr
    assert "1 problem in the question files" in result.stderr


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


def test_undecodable_input_is_refused_and_the_json_stays_utf8(small_bank: Path) -> None:
    result = runner.invoke(
        app,
        ["play", "-b", str(small_bank), "--seed", "1", "--json"],
        input=b"\xff\xfe\nskip\nskip\nskip\n",
    )
    assert result.exit_code == 0, result.output
    assert "not valid text (not UTF-8)" in result.stderr
    result.stdout_bytes.decode("utf-8")
    given = [a["given"] for a in game_data(result.stdout)["players"][0]["answers"]]
    assert given == ["", "", ""]


def test_a_wrong_pick_is_named_once() -> None:
    args = ["play", "-q", "desperado-music:score-styles", "--no-save", "--seed", "1"]
    mixed = runner.invoke(app, args, input="Chicano rock, Bolero\n")
    assert "Not a right choice: " in mixed.stdout
    assert "Bolero" in mixed.stdout.split("Not a right choice: ")[1].splitlines()[0]
    alone = runner.invoke(app, args, input="Bolero\n")
    assert "You: " in alone.stdout
    assert "Not a right choice" not in alone.stdout  # "You:" already says it


@pytest.mark.parametrize(
    ("quote", "shown"),
    [
        ("Mariachi Suite\u201d earned a Grammy", "\u2018Mariachi Suite\u2019 earned a Grammy"),
        ("the \u201ccodpiece gun,\u201d which", "the \u2018codpiece gun,\u2019 which"),
        ('of "Cheech and Chong" fame', "of \u2018Cheech and Chong\u2019 fame"),
        ("a \u201cgun", "a \u2018gun\u2019"),
    ],
)
def test_quotation_marks_inside_a_quote_come_in_single_curly_pairs(quote: str, shown: str) -> None:
    from desperado_quiz.ui.play import nested_quotes

    assert nested_quotes(quote) == shown


def test_the_reveal_marks_typos_hints_and_who_left() -> None:
    result = runner.invoke(
        app,
        [
            "play",
            "-p",
            "Ann",
            "-p",
            "Bob",
            "-p",
            "Cy",
            "--turns",
            "question",
            "--no-save",
            "-q",
            "score-band",
            "-q",
            "director",
        ],
        input="?\nLos Lobso\n\nLos Lobos\n\nquit\n\n",
    )
    flat = " ".join(result.output.split())
    assert "Los Lobso (typo accepted) (hint)" in flat
    assert "Cy: left the game." in flat


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["-n", "0"], "--count must be 1 or more."),
        (["--timer", "0"], "--timer must be 1 second or more."),
        (["-b", "music"], "did you mean 'desperado-music'?"),
        (["-q", "directr"], "'directr' is not one; did you mean 'director'?"),
    ],
)
def test_usage_errors_name_what_to_change(args: list[str], said: str) -> None:
    result = runner.invoke(app, ["play", *args])
    assert result.exit_code == 2
    assert said in " ".join(result.stderr.split())
    assert "Categories:" not in result.stderr


def test_piped_output_has_no_trailing_spaces_and_the_replay_line_is_whole() -> None:
    result = runner.invoke(
        app,
        ["play", "-p", "Ann", "-p", "Bob", "-n", "3", "--seed", "4", "--no-save"],
        input="skip\n" * 3 + "\n" + "skip\n" * 3 + "\n",
    )
    lines = result.stdout.splitlines()
    assert not [line for line in lines if line != line.rstrip()]
    replay = lines[lines.index("Seed 4 · replay with:") + 1]
    assert replay.startswith("desperado-quiz play --seed 4")
    assert replay.endswith("--player Ann --player Bob")  # one line, however wide


def test_a_streak_bonus_never_wraps_inside_its_parenthesis() -> None:
    from desperado_quiz.ui.console import console

    result = runner.invoke(
        app,
        ["play", "-q", "score-band", "-q", "director", "-q", "villain-name", "--no-save"],
        input="Los Lobos\nRobert Rodriguez\nBucho\n",
    )
    assert console.width == 100
    assert "(streak\u00a02:\u00a0+" in result.stdout
