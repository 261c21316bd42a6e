"""The host's screen in a real terminal (a pseudo-terminal, driven with pexpect): the
lobby with its QR code, Enter to start and go on, the live countdown and answer count,
the reveal and leaderboard, and Ctrl-C ending the game for everyone, saved."""

from __future__ import annotations

import json
import os
import re
import threading
import time
from typing import Any

import pexpect
import pytest
from websockets.sync.client import connect

from desperado_quiz.history import History
from desperado_quiz.paths import history_path
from tests.live_support import CODE, fixture_path
from tests.test_pty import EXECUTABLE, finish, spawn

pytestmark = pytest.mark.pty


def ann(port: int, seen: list[dict[str, Any]]) -> None:
    """A player who answers the first question after a moment, then waits."""
    with connect(f"ws://127.0.0.1:{port}/ws", open_timeout=15) as socket:
        socket.send(json.dumps({"type": "join", "version": 1, "code": CODE, "name": "Ann"}))
        while True:
            message = json.loads(socket.recv(timeout=60))
            seen.append(message)
            if message["type"] == "question" and message["number"] == 1:
                time.sleep(1.2)  # long enough for the host to show "0 of 1 answered"
                answer = {"type": "answer", "question": 1, "text": "Robert Rodriguez"}
                socket.send(json.dumps(answer))
            if message["type"] == "over":
                return


def test_the_host_screen_from_lobby_to_ctrl_c() -> None:
    child = spawn(
        *["host", "--bind", "127.0.0.1", "--port", "0", "--code", CODE, "--timer", "30"],
        *["-b", str(fixture_path()), "-q", "basics:director", "-q", "basics:score-band"],
    )
    child.expect_exact("Quiz night: join the game")
    child.expect(r"http://127\.0\.0\.1:(\d+)/\?code=TEST")
    port = int(child.match.group(1))
    child.expect("[▀▄█]{7}")  # the QR code's finder pattern
    child.expect_exact("Press Enter to start")
    seen: list[dict[str, Any]] = []
    player = threading.Thread(target=ann, args=(port, seen), daemon=True)
    player.start()
    child.expect_exact("Players (1): Ann")
    child.sendline("")
    child.expect_exact("Question 1 of 2")
    child.expect_exact("Who directed Desperado?")
    child.expect(r"\d+ s left · 0 of 1 answered")
    child.expect_exact("Right answer: Robert Rodriguez")
    child.expect_exact("Leaderboard")
    child.expect(re.escape("+") + r"\d+")  # each player's change
    child.expect_exact("Press Enter for the next question")
    child.sendline("")
    child.expect_exact("Question 2 of 2")
    child.expect(r"s left · 0 of 1 answered")
    child.sendintr()
    child.expect_exact("Game over (interrupted at question 2 of 2)")
    child.expect_exact("1st")
    output = child.before
    assert finish(child) == 130
    assert "Traceback" not in output
    player.join(15)
    over = seen[-1]
    assert (over["type"], over["status"]) == ("over", "interrupted")
    assert over["standings"][0]["player"] == "Ann"
    (game,) = History(history_path()).recent().value
    assert (game["player"], game["status"], game["answered"]) == ("Ann", "ended-by-host", 1)


def test_a_port_in_use_is_a_clear_usage_error() -> None:
    first = spawn("host", "--bind", "127.0.0.1", "--port", "0", "--code", CODE)
    first.expect(r"http://127\.0\.0\.1:(\d+)/")
    port = first.match.group(1)
    second = spawn("host", "--bind", "127.0.0.1", "--port", port)
    second.expect_exact(f"port {port} is in use")
    assert finish(second) == 2
    first.sendline("quit")
    first.expect_exact("Nobody joined, so nothing was played.")
    first.expect(pexpect.EOF)
    assert not any(word in first.before for word in ("Game over", "Leaderboard", "replay"))


def test_a_half_typed_answer_never_reaches_the_shell_when_the_host_ends_the_game() -> None:
    host = spawn(
        *["host", "--bind", "127.0.0.1", "--port", "0", "--code", CODE, "--timer", "60"],
        *["-b", str(fixture_path()), "-q", "basics:director", "--no-save"],
    )
    host.expect(r"http://127\.0\.0\.1:(\d+)/\?code=TEST")
    port = host.match.group(1)
    host.expect_exact("Press Enter to start")
    # The player's shell: join, then read the next line typed, as a shell would.
    script = (
        f"{EXECUTABLE} join 127.0.0.1:{port} --code {CODE} --name Ann; "
        'echo "the shell now"; read -r -t 10 line; echo "the shell read [$line]"'
    )
    player = pexpect.spawn(
        "/bin/bash", ["--norc", "--noprofile", "-c", script], encoding="utf-8", timeout=20,
        dimensions=(40, 90), env={**os.environ, "TERM": "xterm-256color", "COLUMNS": "90"},
    )  # fmt: skip
    player.expect_exact("Waiting for the host to start")
    host.expect_exact("Players (1): Ann")
    host.sendline("")
    player.expect_exact("Your answer> ")
    player.send("xclear")  # half typed: no Enter
    player.expect_exact("xclear")
    host.sendline("quit")
    player.expect_exact("Game over: the host ended the game at question 1 of 1.")
    player.expect_exact("the shell now")
    player.send("\r")
    player.expect_exact("the shell read [")
    player.expect(r"(.*)\]")
    assert player.match.group(1) == ""  # nothing of "xclear" was left for the shell
    assert finish(player) == 0
    assert finish(host) == 0
