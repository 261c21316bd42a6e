"""Load: 100 simulated players on one host, through the documented protocol only (the
players of benchmarks/live.py). Every answer is counted exactly once, the second
answer to a question is always refused, and every player ends with the host's
standings."""

from __future__ import annotations

import json

from desperado_quiz.envelope import document, dumps
from desperado_quiz.game import Engine, GameSettings, TurnOrder, select_questions
from desperado_quiz.game.results import game_json
from desperado_quiz.loader import load_banks
from tests.live_support import CODE, benchmark, run, start_host

PLAYERS = 100
QUESTIONS = 3
TIMER = 3.0


def test_a_hundred_players_and_every_answer_counted_once() -> None:
    live = benchmark()
    asked = select_questions(load_banks().banks, seed=7, count=QUESTIONS).asked
    settings = GameSettings(seed=7, players=(), turns=TurnOrder.TOGETHER, timer=TIMER)

    async def scenario() -> tuple[list[object], dict[str, object]]:
        running = await start_host(Engine(asked, settings), start_with=PLAYERS, pause=0.2)
        logs = await live.play_all(running.url, CODE, PLAYERS)
        result = await running.result()
        return logs, json.loads(dumps(document("game", game_json(result))))

    logs, report = run(scenario(), seconds=120)
    assert live.check_counts(logs, report) == []
    assert sum(log.sent for log in logs) == PLAYERS * QUESTIONS * 9 // 10  # one in ten left
    delays = live.latencies(logs)
    assert len(delays) == PLAYERS * QUESTIONS  # every player got every leaderboard
