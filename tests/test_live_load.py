"""Big rooms, on 127.0.0.1, through the documented protocol only (the simulated players
of benchmarks/live.py, each from its own loopback address): every answer is counted
exactly once, and every player, however far down the room, is sent their own rank, the
top of the table and the rows around theirs as the host has them, in a message that
does not grow with the room. Version 1 clients still play; the lobby's news does not
grow with the room either. Counts and times are bounded; speed is the benchmark's."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from typing import Any

import pytest
from typer.testing import CliRunner

from desperado_quiz.cli import app
from desperado_quiz.envelope import document, dumps
from desperado_quiz.game import Engine, GameSettings, Status, TurnOrder, select_questions
from desperado_quiz.game.results import game_json
from desperado_quiz.live.board import NEAR_ROWS, TOP_ROWS
from desperado_quiz.live.limits import Limits
from desperado_quiz.store import load_banks
from tests.live_support import (
    CODE,
    Client,
    benchmark,
    fixture_game,
    reading,
    run,
    source,
    start_host,
)

PLAYERS = 300
QUESTIONS = 2
TIMER = 3.0
linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="players come from 127.0.x.y addresses"
)


@linux_only
def test_a_room_of_300_every_answer_counted_once_and_every_place_the_hosts() -> None:
    live = benchmark()
    asked = select_questions(load_banks().banks, seed=7, count=QUESTIONS).asked
    settings = GameSettings(seed=7, players=(), turns=TurnOrder.TOGETHER, timer=TIMER)

    async def scenario() -> tuple[list[Any], dict[str, Any]]:
        running = await start_host(Engine(asked, settings), start_with=PLAYERS, pause=0.2)
        logs = await live.play_all(running.url, CODE, PLAYERS)
        result = await running.result()
        return logs, json.loads(dumps(document("game", game_json(result))))

    logs, report = run(scenario(), seconds=120)
    assert live.check_counts(logs, report) == []  # each player's rank, top and neighbours
    assert sum(log.sent for log in logs) == PLAYERS * QUESTIONS * 9 // 10  # one in ten left
    assert len(live.latencies(logs)) == PLAYERS * QUESTIONS  # every player, every reveal
    last = next(log for log in logs if log.name == report["data"]["ranking"][-1])
    assert (last.final["you"]["rank"], last.final["players"]) == (PLAYERS, PLAYERS)
    assert [row["rank"] for row in last.final["top"]] == list(range(1, TOP_ROWS + 1))
    assert [row["rank"] for row in last.final["near"]] == list(
        range(PLAYERS - NEAR_ROWS, PLAYERS + 1)
    )
    biggest = max(size for log in logs for size in log.reveal_bytes.values())
    assert biggest < 4000  # the top, their row and their neighbours: never the whole room


def test_a_version_1_client_plays_beside_version_2_and_gets_every_row() -> None:
    """An older client still works: it is sent every name and every row, as version 1
    says; past 20 of them, one is told to update rather than cost the host the whole
    table again."""

    async def scenario() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
        running = await start_host(fixture_game(["director"], 2), start_with=None)
        old = await Client.open(running.url)
        await old.send({"type": "join", "version": 1, "code": CODE, "name": "Old"})
        welcome = await old.expect("welcome")
        others = [
            await Client.join(running.url, f"New {i}", **source(f"127.0.11.{i + 1}"))
            for i in range(8)
        ]
        readers = [asyncio.create_task(reading(c)) for c in others]
        for index in range(19):  # 20 version 1 clients in all
            extra = await Client.open(running.url, **source(f"127.0.12.{index + 1}"))
            await extra.send({"type": "join", "version": 1, "code": CODE, "name": f"V1 {index}"})
            await extra.expect("welcome")
            readers.append(asyncio.create_task(reading(extra)))
        refused = await Client.open(running.url, **source("127.0.13.1"))
        await refused.send({"type": "join", "version": 1, "code": CODE, "name": "One too many"})
        too_many = await refused.expect("error")
        running.host.go = True
        running.host.changed.set()
        await old.expect("question")
        await old.answer(1, "Robert Rodriguez")
        reveal = await old.expect("reveal")
        running.host.stop(Status.INTERRUPTED)
        await running.result()
        for task in readers:
            task.cancel()
        return welcome, reveal, too_many

    welcome, reveal, too_many = run(scenario())
    assert welcome["version"] == 1
    assert isinstance(welcome["players"], list)
    assert len(reveal["standings"]) == 28  # every row
    assert "top" not in reveal
    assert next(r for r in reveal["standings"] if r["player"] == "Old")["verdict"] == "right"
    assert too_many["code"] == "version"
    assert "update desperado-quiz" in too_many["message"]


def test_the_lobby_news_does_not_grow_with_the_room() -> None:
    """200 players join: one who joined first is sent a few lobby messages a second,
    each with the count and the latest 12 names, not one per join with every name."""

    async def scenario() -> tuple[list[dict[str, Any]], float]:
        running = await start_host(fixture_game(["director"], 20), start_with=None)
        first = await Client.join(running.url, "First")
        watcher = asyncio.create_task(reading(first))
        started = asyncio.get_running_loop().time()
        for index in range(199):
            await Client.join(running.url, f"P{index:03d}", **source(f"127.0.14.{index + 1}"))
        took = asyncio.get_running_loop().time() - started
        await asyncio.sleep(Limits().lobby_every + 0.3)  # the last news comes out
        running.host.stop(Status.INTERRUPTED)
        await running.result()
        watcher.cancel()
        return [m for m in first.seen if m["type"] == "lobby"], took

    lobbies, took = run(scenario())
    assert 1 <= len(lobbies) <= 2 + took / Limits().lobby_every
    assert lobbies[-1] == {
        "type": "lobby",
        "players": 200,
        "latest": [f"P{i:03d}" for i in range(187, 199)],
    }


def test_join_says_why_the_host_refused_the_connection() -> None:
    """A machine past its share of connections: `join` says what the host said, and
    exits 2 (refused), not 1 (lost)."""

    async def scenario() -> subprocess.CompletedProcess[bytes]:
        limits = Limits(per_address=1)
        running = await start_host(fixture_game(["director"], 20), None, limits=limits)
        await Client.open(running.url)  # this machine's one connection
        joined = await _join(running.host.port)
        running.host.stop(Status.INTERRUPTED)
        await running.result()
        return joined

    joined = run(scenario())
    assert joined.returncode == 2
    assert b"The host refused the connection (503): Too many connections from your address." in (
        joined.stderr
    )


async def _join(port: int) -> subprocess.CompletedProcess[bytes]:
    command = [sys.executable, "-m", "desperado_quiz", "join", f"127.0.0.1:{port}"]
    command += ["--code", CODE, "--name", "Ann"]
    process = await asyncio.create_subprocess_exec(
        *command,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 30)
    return subprocess.CompletedProcess(command, process.returncode or 0, out, err)


@pytest.mark.parametrize(
    ("options", "said"),
    [
        (["--max-players", "0"], "--max-players is a number from 1 to 10,000."),
        (["--max-players", "10001"], "--max-players is a number from 1 to 10,000."),
        (["--players", "1001"], "--players is a number from 1 to 1,000 (--max-players)."),
        (["--max-players", "50", "--players", "51"], "--players is a number from 1 to 50"),
        (["--per-address", "0"], "--per-address is a number from 1 to 10,000."),
    ],
)
def test_the_room_size_options_are_checked(options: list[str], said: str) -> None:
    result = CliRunner().invoke(app, ["host", *options])
    assert result.exit_code == 2
    assert said in result.output
