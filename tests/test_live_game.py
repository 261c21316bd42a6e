"""A whole quiz night: a host and three terminal clients fed by pipes, each in its own
process, on 127.0.0.1. Every client ends with the host's standings, the scores are the
ones the rules give, and every player's game is in the host's history."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from desperado_quiz.history import History
from desperado_quiz.scoring import award
from tests.live_support import CODE, fixture_path, host_port, quiz

TIMER = 30.0
QUESTIONS = ["director", "score-band", "release-year", "villain-actor"]
PLAYERS = {  # name: (the lines piped in, the verdicts they must get)
    "Ann": (
        ["Robert Rodriguez", "los lobos", "1995", "Joaquim de Almeida"],
        ["right", "right", "right", "right"],
    ),
    "Bob": (
        ["Quentin Tarantino", "hint", "Los Lobos", "1995", "skip"],
        ["wrong", "right", "right", "skipped"],
    ),
    "Cy": (
        ["Robert Rodrigez", "Los Lobos", "not a year", "1990", "Joaquim de Almeda"],
        ["right", "right", "wrong", "right"],
    ),
}


def test_a_quiz_night_with_three_piped_terminals(tmp_path: Path) -> None:
    home = {"DESPERADO_QUIZ_HOME": str(tmp_path / "home")}
    report = tmp_path / "night.json"
    questions = [arg for q in QUESTIONS for arg in ("-q", f"basics:{q}")]
    host = quiz(
        *["host", "--bind", "127.0.0.1", "--port", "0", "--code", CODE, "--seed", "3"],
        *["-b", str(fixture_path()), *questions, "--timer", f"{TIMER:g}"],
        *["--players", "3", "--auto", "--pause", "0.2", "--report", str(report)],
        stdin=subprocess.DEVNULL,
        env=home,
    )
    try:
        port, _ = host_port(host)
        clients = {
            name: quiz(
                "join",
                f"127.0.0.1:{port}",
                "--code",
                CODE.lower(),
                "--name",
                name,
                "--json",
                env=home,
            )
            for name in PLAYERS
        }
        for name, client in clients.items():  # every answer is there before the game starts
            assert client.stdin is not None
            client.stdin.write("".join(f"{line}\n" for line in PLAYERS[name][0]).encode())
            client.stdin.close()
            client.stdin = None  # closed: communicate() must not flush it
        outputs = {name: client.communicate(timeout=60) for name, client in clients.items()}
        host_output, host_errors = host.communicate(timeout=60)
    finally:
        for process in [host, *clients.values()]:
            if process.poll() is None:
                process.kill()
    assert host.returncode == 0, host_errors.decode()
    assert b"Traceback" not in host_output + host_errors
    game = json.loads(report.read_text(encoding="utf-8"))["data"]
    host_standings = [(p, _score(game, p)) for p in game["ranking"]]
    for name, client in clients.items():
        stdout, stderr = outputs[name]
        assert client.returncode == 0, stderr.decode()
        assert b"Traceback" not in stderr
        standings = json.loads(stdout)["data"]
        assert standings["you"] == name
        assert [(r["player"], r["score"]) for r in standings["standings"]] == host_standings
    for player in game["players"]:
        _check_the_rules(player, PLAYERS[player["player"]][1])
    assert "Game over" in host_output.decode()
    games = History(tmp_path / "home" / "history.sqlite3").recent().value
    assert sorted(g["player"] for g in games) == ["Ann", "Bob", "Cy"]


def _score(game: dict[str, Any], name: str) -> int:
    return int(next(p["score"] for p in game["players"] if p["player"] == name))


def _check_the_rules(player: dict[str, Any], verdicts: list[str]) -> None:
    """Each answer's points are the Kahoot rule's for its time, with the streak rule;
    the total is their sum."""
    answers = player["answers"]
    assert [a["verdict"] for a in answers] == verdicts, player["player"]
    streak = 0
    for answer in answers:
        streak = streak + 1 if answer["correct"] else 0
        expected = award(
            answer["difficulty"],
            answer["credit"],
            hinted=answer["hinted"],
            streak=streak,
            seconds=answer["seconds"],
            limit=TIMER,
        ).total
        assert abs(answer["points"] - expected) <= 1, answer  # seconds are rounded in JSON
        if answer["correct"]:
            assert answer["points"] > 0
    assert player["score"] == sum(a["points"] for a in answers)
    assert player["status"] == "finished"
