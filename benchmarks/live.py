"""Live game load: N simulated players on one host, through the documented protocol.

A host (`desperado-quiz host`) runs in its own process on 127.0.0.1; the players are
plain WebSocket clients in this one, speaking only what docs/live.md documents. Each
player answers every question twice (the second must be refused) except one question
in ten that it leaves to the clock, so that every question runs to its deadline. The
script measures, for each question, the time from the deadline to each player holding
the leaderboard, and checks against the host's report that every answer was counted
exactly once. Usage:

    python benchmarks/live.py [--players 100] [--questions 5] [--timer 4] [--markdown]

Everything stays on the loopback interface, and every wait is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from websockets.asyncio.client import connect

BIN = Path(sys.executable).parent
QUIZ = shutil.which("desperado-quiz", path=str(BIN)) or "desperado-quiz"
CODE = "BENCH"
GAME_TIMEOUT = 300.0  # no run may take longer than this
ADDRESS = re.compile(rb"http://127\.0\.0\.1:(\d+)/")


@dataclass
class PlayerLog:
    """What one simulated player sent, got, and when."""

    name: str
    sent: int = 0  # answers sent for the first time
    accepted: int = 0
    refused_again: int = 0  # second answers refused as already answered
    deadlines: dict[int, float] = field(default_factory=dict)  # number -> local estimate
    revealed: dict[int, float] = field(default_factory=dict)  # number -> when received
    standings: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def silent(index: int, number: int) -> bool:
    """The questions a player leaves to the clock: one in ten, a different one each."""
    return (index + number) % 10 == 0


async def simulated_player(url: str, code: str, index: int, seed: int = 1) -> PlayerLog:
    """Join as ``P<index>``, answer as planned, and keep the final standings."""
    log = PlayerLog(f"P{index:03d}")
    rng = random.Random(seed * 1000 + index)
    async with connect(url, open_timeout=30, max_size=2**22, ping_interval=None) as socket:
        hello = {"type": "join", "version": 1, "code": code, "name": log.name}
        await socket.send(json.dumps(hello))
        async for raw in socket:
            message = json.loads(raw)
            kind = message["type"]
            now = time.monotonic()
            if kind == "question":
                number = message["number"]
                log.deadlines[number] = now + message["seconds_left"]
                if not silent(index, number):
                    await asyncio.sleep(rng.uniform(0, message["seconds_left"] / 4))
                    answer = {"type": "answer", "question": number, "text": _guess(message, rng)}
                    await socket.send(json.dumps(answer))
                    await socket.send(json.dumps(answer))  # a second answer: refused
                    log.sent += 1
            elif kind == "accepted":
                log.accepted += 1
            elif kind == "error":
                if message["code"] == "already-answered":
                    log.refused_again += 1
                else:
                    log.errors.append(message["code"])
            elif kind == "reveal":
                log.revealed[message["number"]] = now
            elif kind == "over":
                log.standings = message["standings"]
                break
    return log


def _guess(question: dict[str, Any], rng: random.Random) -> str:
    """An answer of the right shape: a letter, true or false, a number or a word."""
    options = question["options"]
    kind = question["kind"]
    if kind == "order":
        letters = [o["letter"] for o in options]
        rng.shuffle(letters)
        return "".join(letters)
    if options:
        return str(rng.choice(options)["letter"])
    return {"boolean": rng.choice(["true", "false"]), "number": str(rng.randint(1, 100))}.get(
        kind, rng.choice(["Mariachi", "Bucho", "Navajas", "Los Lobos"])
    )


async def play_all(url: str, code: str, players: int) -> list[PlayerLog]:
    tasks = [simulated_player(url, code, index) for index in range(players)]
    return await asyncio.wait_for(asyncio.gather(*tasks), GAME_TIMEOUT)


def latencies(logs: list[PlayerLog]) -> list[float]:
    """Seconds from each question's deadline to each player holding its leaderboard.

    The deadline is estimated on this machine's monotonic clock as the earliest
    player's receipt of the question plus the seconds left it was told."""
    numbers = sorted({n for log in logs for n in log.revealed})
    found = []
    for number in numbers:
        deadline = min(log.deadlines[number] for log in logs if number in log.deadlines)
        found += [log.revealed[number] - deadline for log in logs if number in log.revealed]
    return found


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def check_counts(logs: list[PlayerLog], report: dict[str, Any]) -> list[str]:
    """Every answer sent counted exactly once in the host's result; the second of
    each refused; every player's standings the same as the host's."""
    problems = []
    by_name = {p["player"]: p for p in report["data"]["players"]}
    for log in logs:
        counted = [a for a in by_name[log.name]["answers"] if a["given"] or a["verdict"] != "late"]
        if not (log.sent == log.accepted == len(counted) == log.refused_again):
            problems.append(
                f"{log.name}: sent {log.sent}, accepted {log.accepted}, "
                f"counted {len(counted)}, second answers refused {log.refused_again}"
            )
        if log.errors:
            problems.append(f"{log.name}: errors {log.errors}")
        scores = [(row["player"], row["score"]) for row in log.standings]
        expected = [(name, by_name[name]["score"]) for name in report["data"]["ranking"]]
        if scores != expected:
            problems.append(f"{log.name}: standings differ from the host's report")
    return problems


def start_host(players: int, questions: int, timer: float, report: Path, home: str) -> Any:
    command = [
        *[QUIZ, "host", "--bind", "127.0.0.1", "--port", "0", "--code", CODE],
        *["--players", str(players), "--auto", "--pause", "1", "--timer", f"{timer:g}"],
        *["-n", str(questions), "--seed", "7", "--report", str(report), "--no-save"],
    ]
    env = {**os.environ, "DESPERADO_QUIZ_HOME": home, "COLUMNS": "100"}
    return subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )


def host_port(host: Any) -> int:
    seen = b""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        chunk = host.stdout.read1(4096)
        if not chunk:
            break
        seen += chunk
        if found := ADDRESS.search(seen):
            return int(found.group(1))
    raise RuntimeError(f"the host never showed its address: {seen[-500:]!r}")


def run(players: int, questions: int, timer: float) -> tuple[list[float], list[str]]:
    with tempfile.TemporaryDirectory() as home:
        report = Path(home) / "report.json"
        host = start_host(players, questions, timer, report, home)
        try:
            port = host_port(host)
            # The host's screen must be read while it plays, or a full pipe stalls it.
            drain = threading.Thread(target=host.stdout.read, daemon=True)
            drain.start()
            url = f"ws://127.0.0.1:{port}/ws"
            logs = asyncio.run(play_all(url, CODE, players))
            host.wait(timeout=60)
            drain.join(10)
        finally:
            if host.poll() is None:
                host.kill()
                host.wait()
        problems = check_counts(logs, json.loads(report.read_text(encoding="utf-8")))
    return latencies(logs), problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--players", type=int, default=100)
    parser.add_argument("--questions", type=int, default=5)
    parser.add_argument("--timer", type=float, default=4)
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table row")
    args = parser.parse_args()
    found, problems = run(args.players, args.questions, args.timer)
    median, p99 = statistics.median(found), percentile(found, 0.99)
    machine = f"{os.cpu_count()} cores, Python {platform.python_version()}"
    if args.markdown:
        print("| players | questions | deliveries | median | 99th percentile | answers |")
        print("| ---: | ---: | ---: | ---: | ---: | --- |")
        verdict = "each counted once" if not problems else f"{len(problems)} problems"
        print(
            f"| {args.players} | {args.questions} | {len(found)} | {median * 1000:.0f} ms "
            f"| {p99 * 1000:.0f} ms | {verdict} |"
        )
    else:
        print(f"{args.players} players, {args.questions} questions, {machine}")
        held = f"median {median * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms"
        print(f"from the deadline to every player holding the leaderboard: {held}")
        print("every answer counted once" if not problems else "\n".join(problems))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
