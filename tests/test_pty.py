"""The real terminal: `desperado-quiz` in a pseudo-terminal, driven with pexpect."""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pexpect
import pytest

from desperado_quiz.history import History
from desperado_quiz.paths import history_path
from tests.helpers import (
    BOOLEAN_QUESTION,
    CHOICE_QUESTION,
    QUESTIONS,
    TEXT_QUESTION,
    right_answers,
)

pytestmark = pytest.mark.pty
PROMPT = "Your answer> "
EXECUTABLE = shutil.which("desperado-quiz", path=str(Path(sys.executable).parent))


def spawn(*args: str) -> pexpect.spawn:
    assert EXECUTABLE, "desperado-quiz is not installed next to this Python"
    env = {**os.environ, "COLUMNS": "90", "LINES": "40", "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    return pexpect.spawn(
        EXECUTABLE, list(args), env=env, encoding="utf-8", timeout=20, dimensions=(40, 90)
    )


def finish(child: pexpect.spawn) -> int:
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus is not None
    return child.exitstatus


def test_a_full_game_answered_right() -> None:
    child = spawn("play", "--seed", "11", "-n", "4")
    for answer in right_answers(seed=11, count=4):
        child.expect_exact(PROMPT)
        child.sendline(answer)
        child.expect_exact("✓ Right")
    child.expect_exact("4 of 4 (100%)")
    child.expect_exact("Legendary")
    assert finish(child) == 0


def test_invalid_input_and_a_hint(write_bank: Callable[..., Path]) -> None:
    bank = write_bank(CHOICE_QUESTION + BOOLEAN_QUESTION + TEXT_QUESTION)
    child = spawn("play", "-b", str(bank), "--seed", "3")
    for answer in right_answers(seed=3, count=3, paths=[bank]):
        child.expect_exact(PROMPT)
        if answer == "Navajas":
            child.sendline("hint")
            child.expect_exact("Hint: Spanish for knives.")
        else:
            child.sendline("42x")
            child.expect_exact("Not an answer:")
        child.expect_exact(PROMPT)
        child.sendline(answer)
        child.expect_exact("✓ Right")
    child.expect_exact("3 of 3 (100%)")
    assert finish(child) == 0


def test_ctrl_c_mid_game_shows_the_summary_and_exits_130() -> None:
    child = spawn("play", "--seed", "12", "-n", "5")
    child.expect_exact(PROMPT)
    child.sendline(right_answers(seed=12, count=5)[0])
    child.expect_exact("✓ Right")
    child.expect_exact(PROMPT)
    child.sendintr()
    child.expect_exact("interrupted after question 1 of 5")
    output_before_exit = child.before
    assert finish(child) == 130
    assert "Traceback" not in output_before_exit
    # ...and the history keeps it as aborted, with what was answered
    (game,) = History(history_path()).recent().value
    assert (game["status"], game["finished"], game["answered"]) == ("interrupted", False, 1)


def test_the_timer_counts_down_and_moves_on_by_itself(write_bank: Callable[..., Path]) -> None:
    bank = write_bank(TEXT_QUESTION + CHOICE_QUESTION)
    child = spawn("play", "-b", str(bank), "--seed", "1", "--timer", "2", "--json")
    child.expect_exact(PROMPT)
    child.expect(r"[12] s left")
    child.expect_exact("⌛ Too late")  # no Enter needed: the time ran out by itself
    # The explanation is read before the next clock starts.
    child.expect_exact("Press Enter for the next question> ")
    time.sleep(2.5)  # reading takes longer than the timer: no time is lost
    child.sendline("")
    child.expect_exact("Question 2 of 2")
    child.expect(r"[12] s left")
    child.expect_exact(PROMPT)
    child.sendline("quit")
    assert finish(child) == 0


def test_arrow_keys_edit_the_line_and_up_recalls_an_answer(
    write_bank: Callable[..., Path],
) -> None:
    bank = write_bank(TEXT_QUESTION + TEXT_QUESTION.replace("trejo-role", "trejo-again"))
    child = spawn("play", "-b", str(bank), "-q", "trejo-role", "-q", "trejo-again")
    child.expect_exact(PROMPT)
    # "Navjas", then left twice, insert "a": "Navajas". Without line editing the
    # arrow keys would put "^[[D" into the answer.
    child.send("Navjas")
    child.send("\x1b[D\x1b[D")
    child.send("a\r")
    child.expect_exact("✓ Right")
    child.expect_exact(PROMPT)
    child.send("\x1b[A\r")  # up: the previous answer again
    child.expect_exact("✓ Right")
    child.expect_exact("2 of 2 (100%)")
    assert finish(child) == 0


def test_the_next_player_gets_a_clear_screen_after_reading_the_last_feedback(
    write_bank: Callable[..., Path],
) -> None:
    bank = write_bank(TEXT_QUESTION)
    child = spawn("play", "-b", str(bank), "-p", "Ann", "-p", "Bob")
    child.expect_exact(PROMPT)
    child.sendline("Navajas")
    child.expect_exact("✓ Right")
    # Ann reads her feedback (it holds the answer Bob is yet to give), then hides it.
    child.expect_exact("Read it, then press Enter to hide it> ")
    child.sendline("")
    child.expect_exact("Pass the keyboard to Bob, then press Enter.")
    wiped = child.before
    assert "\x1b[2J" in wiped or "\x1b[H" in wiped  # the screen...
    assert "\x1b[3J" in wiped  # ...and the scrollback, before Bob comes
    child.expect_exact("Press Enter to start your turn> ")
    child.send("\x1b[A\r")  # the up arrow: Ann's answer is not there to recall
    child.expect_exact("Player 2 of 2: Bob")
    child.expect_exact(PROMPT)
    child.send("\x1b[A\r")
    child.expect_exact("Not an answer: Type an answer")
    child.expect_exact(PROMPT)
    child.sendline("skip")
    child.expect_exact("Leaderboard")
    assert finish(child) == 0


def test_question_by_question_a_locked_in_answer_is_wiped_before_the_next_player(
    write_bank: Callable[..., Path],
) -> None:
    bank = write_bank(TEXT_QUESTION + BOOLEAN_QUESTION)
    child = spawn("play", "-b", str(bank), "-p", "Ann", "-p", "Bob", "--turns", "question")
    child.expect_exact(PROMPT)
    child.sendline("skip")  # whatever the question, a locked-in answer
    child.expect_exact("Answer locked in for Ann.")
    child.expect_exact("Pass the keyboard to Bob, then press Enter.")
    assert "\x1b[3J" in child.before  # wiped before Bob takes the keyboard
    child.expect_exact("Press Enter to start your turn> ")
    child.sendline("")
    child.expect_exact(PROMPT)
    child.sendeof()  # Ctrl-D: the end of input ends the game for both
    child.expect_exact("Leaderboard")
    assert finish(child) == 0


def test_question_by_question_the_answers_stay_until_enter(
    write_bank: Callable[..., Path],
) -> None:
    bank = write_bank(TEXT_QUESTION + BOOLEAN_QUESTION)
    child = spawn("play", "-b", str(bank), "-p", "Ann", "-p", "Bob", "--turns", "question")
    child.expect_exact(PROMPT)
    child.sendline("skip")
    child.expect_exact("Press Enter to start your turn> ")
    child.sendline("")
    child.expect_exact(PROMPT)
    child.sendline("skip")
    child.expect_exact("Pass the keyboard to Ann, then press Enter.")
    assert "Answers: " in child.before  # the reveal is on the screen...
    child.expect_exact("Press Enter to start your turn> ")
    assert "\x1b[3J" not in child.before  # ...and is not wiped before Enter
    child.sendline("")
    child.expect_exact(PROMPT)
    child.sendline("quit")  # Ann quits; Bob plays on, then quits too
    child.expect_exact("Ann quits: that game ends here.")
    child.expect_exact("Press Enter to start your turn> ")
    child.sendline("")
    child.expect_exact(PROMPT)
    child.sendline("quit")
    child.expect_exact("Leaderboard")
    assert finish(child) == 0


def test_sigterm_ends_the_game_and_keeps_it(write_bank: Callable[..., Path]) -> None:
    bank = write_bank(TEXT_QUESTION + CHOICE_QUESTION)
    child = spawn("play", "-b", str(bank), "--seed", "1")
    child.expect_exact(PROMPT)
    child.sendline("skip")
    child.expect_exact(PROMPT)
    child.kill(15)
    child.expect_exact("terminated after question 1 of")
    assert finish(child) == 143
    (game,) = History(history_path()).recent().value
    assert (game["status"], game["answered"]) == ("terminated", 1)


def test_ctrl_c_in_the_wizard_writes_nothing(tmp_path: Path) -> None:
    bank = tmp_path / "music.toml"
    shutil.copy(QUESTIONS / "music.toml", bank)
    shutil.copy(QUESTIONS / "desperado-article.txt", tmp_path / "desperado-article.txt")
    before = bank.read_bytes()
    child = spawn("new", str(bank))
    child.expect_exact("Type: ")
    child.sendline("A")
    child.expect_exact("Question: ")
    child.sendline("Which band scored Desperado?")
    child.expect_exact("Category")
    child.sendintr()
    child.expect_exact("Interrupted: nothing written.")
    assert finish(child) == 130
    assert bank.read_bytes() == before


def test_study_in_a_terminal_schedules_and_ctrl_c_keeps_the_answers(tmp_path: Path) -> None:
    from tests.helpers import FIXTURES

    bank = FIXTURES / "items"
    child = spawn(
        "study", "-b", str(bank), "--data-dir", str(tmp_path), "--new", "3", "--seed", "2"
    )
    child.expect_exact(PROMPT)
    child.sendline("skip")
    child.expect_exact("Skipped")
    child.expect_exact(PROMPT)
    child.sendintr()
    child.expect_exact("Next review of these: in 1 minute")
    assert finish(child) == 130
    rows, _ = History(history_path(tmp_path)).cards("Player").value
    assert [row["reviews"] for row in rows] == [1]
    again = spawn("study", "-b", str(bank), "--data-dir", str(tmp_path), "--new", "1")
    again.expect_exact("Nothing is due.")
    again.expect(r"falls due in \d+ seconds")
    assert finish(again) == 0
