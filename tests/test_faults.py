"""Games that end by a fault rather than by the player: the output closed under them,
or the process told to stop. What was answered is kept, with the conventional status."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from desperado_quiz.history import History
from tests.helpers import CHOICE_QUESTION, TEXT_QUESTION


def start(bank: Path, home: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "desperado_quiz", "play", "-b", str(bank), "--seed", "1"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "DESPERADO_QUIZ_HOME": str(home)},
    )


def at_the_second_question(bank: Path, home: Path) -> subprocess.Popen[bytes]:
    """A piped game of two questions, the first skipped, waiting for the second answer."""
    game = start(bank, home)
    assert game.stdin is not None
    assert game.stdout is not None
    game.stdin.write(b"skip\n")
    game.stdin.flush()
    seen = b""
    while b"Question 2 of 2" not in seen:
        seen += game.stdout.read1(4096)
    return game


def test_a_closed_output_ends_the_game_and_keeps_it(
    write_bank: Callable[..., Path], tmp_path: Path
) -> None:
    """`play | head -c 10`: the reader goes away; the game is saved, exit 141."""
    bank = write_bank(TEXT_QUESTION + CHOICE_QUESTION)
    game = start(bank, tmp_path / "home")
    assert game.stdout is not None
    assert game.stdin is not None
    seen = b""
    while b"Your answer> " not in seen:  # the game waits for its first answer
        seen += game.stdout.read1(4096)
    game.stdout.close()  # the reader goes away, like head -c 10
    game.stdin.write(b"skip\n")
    game.stdin.flush()
    _, errors = game.communicate(timeout=30)
    assert game.returncode == 141, errors
    assert b"Traceback" not in errors
    (saved,) = History(tmp_path / "home" / "history.sqlite3").recent().value
    assert (saved["status"], saved["answered"]) == ("output-closed", 1)


def test_sigterm_on_a_piped_game_keeps_it(write_bank: Callable[..., Path], tmp_path: Path) -> None:
    bank = write_bank(TEXT_QUESTION + CHOICE_QUESTION)
    game = at_the_second_question(bank, tmp_path / "home")
    game.send_signal(signal.SIGTERM)
    output, errors = game.communicate(timeout=30)
    assert game.returncode == 143, errors
    assert b"terminated after question 1 of" in output
    (saved,) = History(tmp_path / "home" / "history.sqlite3").recent().value
    assert (saved["status"], saved["answered"]) == ("terminated", 1)


def test_sighup_from_a_closed_terminal_keeps_the_game(
    write_bank: Callable[..., Path], tmp_path: Path
) -> None:
    bank = write_bank(TEXT_QUESTION + CHOICE_QUESTION)
    game = at_the_second_question(bank, tmp_path / "home")
    game.send_signal(signal.SIGHUP)
    _, errors = game.communicate(timeout=30)
    assert game.returncode == 143, errors
    (saved,) = History(tmp_path / "home" / "history.sqlite3").recent().value
    assert (saved["status"], saved["answered"]) == ("terminated", 1)


def test_a_full_disk_on_the_output_ends_the_game_and_keeps_it(
    write_bank: Callable[..., Path], tmp_path: Path
) -> None:
    bank = write_bank(TEXT_QUESTION + CHOICE_QUESTION)
    with Path("/dev/full").open("wb") as full:
        done = subprocess.run(
            [sys.executable, "-m", "desperado_quiz", "play", "-b", str(bank), "--seed", "1"],
            input=b"skip\nskip\n",
            stdout=full,
            stderr=subprocess.PIPE,
            env={**os.environ, "DESPERADO_QUIZ_HOME": str(tmp_path / "home")},
            timeout=60,
            check=False,
        )
    assert b"internal error" not in done.stderr
    assert b"Traceback" not in done.stderr
    assert done.returncode == 141
    (saved,) = History(tmp_path / "home" / "history.sqlite3").recent().value
    assert saved["status"] == "output-closed"


def test_numbers_and_seeds_beyond_what_can_be_kept_are_refused(
    write_bank: Callable[..., Path], tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from desperado_quiz.cli import app

    runner = CliRunner()
    huge = runner.invoke(app, ["play", "--seed", "9" * 30, "--no-save"], input="quit\n")
    assert huge.exit_code == 2
    assert "--seed is a whole number" in huge.stderr
    year = runner.invoke(app, ["play", "-q", "release-year", "--no-save"], input="1e999\n1995\n")
    assert year.exit_code == 0
    assert "That number is too large to be an answer." in year.stdout
    assert "✓ Right" in year.stdout
