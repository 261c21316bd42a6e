"""Live game load: N simulated players on one host, through the documented protocol.

A host (`desperado-quiz host`) runs in its own process on 127.0.0.1; the players are
plain WebSocket clients in this one, speaking only what docs/live.md documents
(version 2). Each player answers every question twice (the second must be refused)
except one question in ten that it leaves to the clock, so that every question runs to
its deadline. For each room size the script measures:

* the time from each question's deadline to each player holding its leaderboard (the
  ``reveal``), over every player and question;
* the bytes of one ``reveal`` to the whole room (every player's message, as received);
* the host's peak memory (its largest resident set, read from /proc while it runs);
* how long the room took to join, and each join (connect to ``welcome``).

And it checks, against the host's report, that every answer was counted exactly once,
every second answer refused, and every player's final place (rank, score, the size of
the room, the top of the table) is the host's. With ``--slow N``, N more clients of
version 1 join and never read (the heaviest case: the whole table in each message);
the host must drop them and its memory must not grow with what they do not read.

    python benchmarks/live.py [--players 100 200 500 1000] [--questions 5] [--timer 4]
                              [--slow 0] [--markdown]

Everything stays on the loopback interface (on Linux each player comes from its own
127.x.y.z address, as phones in a room do), and every wait is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

BIN = Path(sys.executable).parent
QUIZ = shutil.which("desperado-quiz", path=str(BIN)) or "desperado-quiz"
CODE = "BENCH"
VERSION = 2
GAME_TIMEOUT = 600.0  # no run may take longer than this
JOINING_AT_ONCE = 50  # players between connecting and their welcome, at any moment
SPREAD = sys.platform.startswith("linux")  # all of 127.0.0.0/8 is this machine's
ADDRESS = re.compile(rb"http://127\.0\.0\.1:(\d+)/")
TOP_ROWS = 5  # the rows of the top of the table each player is sent (board.py)


@dataclass
class PlayerLog:
    """What one simulated player sent, got, and when."""

    name: str
    sent: int = 0  # answers sent for the first time
    accepted: int = 0
    refused_again: int = 0  # second answers refused as already answered
    joined_in: float = 0.0  # seconds from connecting to the welcome
    deadlines: dict[int, float] = field(default_factory=dict)  # number -> local estimate
    revealed: dict[int, float] = field(default_factory=dict)  # number -> when received
    reveal_bytes: dict[int, int] = field(default_factory=dict)  # number -> message size
    final: dict[str, Any] = field(default_factory=dict)  # the over message
    errors: list[str] = field(default_factory=list)


def silent(index: int, number: int) -> bool:
    """The questions a player leaves to the clock: one in ten, a different one each."""
    return (index + number) % 10 == 0


def source(index: int) -> dict[str, Any]:
    """Where player ``index`` connects from: its own loopback address on Linux."""
    if not SPREAD:
        return {}
    return {"local_addr": (f"127.{1 + index // 62500}.{index // 250 % 250}.{index % 250 + 1}", 0)}


async def simulated_player(
    url: str, code: str, index: int, joining: asyncio.Semaphore, seed: int = 1
) -> PlayerLog:
    """Join as ``P<index>``, answer as planned, and keep the final standings."""
    log = PlayerLog(f"P{index:04d}")
    rng = random.Random(seed * 1000 + index)
    async with joining:
        started = time.monotonic()
        socket = await connect(
            url, open_timeout=60, max_size=2**22, ping_interval=None, **source(index)
        )
        hello = {"type": "join", "version": VERSION, "code": code, "name": log.name}
        await socket.send(json.dumps(hello))
        welcome = json.loads(await asyncio.wait_for(socket.recv(), 60))
        log.joined_in = time.monotonic() - started
        if welcome["type"] != "welcome":
            log.errors.append(str(welcome.get("code", welcome["type"])))
            await socket.close()
            return log
    async with socket:
        await _play(socket, log, index, rng)
    return log


async def _play(socket: ClientConnection, log: PlayerLog, index: int, rng: random.Random) -> None:
    reveals: list[tuple[float, str]] = []
    async for raw in socket:
        now = time.monotonic()  # before anything else: the player holds the message now
        if str(raw).startswith('{"type":"reveal"'):
            # Read after the game: a thousand phones each read their own at once, where
            # this one process would read a thousand in turn, and count that as delay.
            reveals.append((now, str(raw)))
            continue
        message = json.loads(raw)
        kind = message["type"]
        if kind == "reveal":  # a host that writes its keys in another order
            reveals.append((now, str(raw)))
        elif kind == "question":
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
        elif kind == "over":
            log.final = message
            break
    for when, raw in reveals:
        number = json.loads(raw)["number"]
        log.revealed[number] = when
        log.reveal_bytes[number] = len(raw.encode())


async def slow_player(url: str, code: str, index: int, over: asyncio.Event) -> bool:
    """A version 1 client that joins, then never reads until the game is over (its
    receive buffer made small, as a phone that froze); True if the host dropped it."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    if SPREAD:
        sock.bind((f"127.250.0.{index + 1}", 0))
    host, port = url.split("//", 1)[1].split("/", 1)[0].rsplit(":", 1)
    sock.setblocking(False)
    await asyncio.get_running_loop().sock_connect(sock, (host, int(port)))
    async with connect(url, sock=sock, open_timeout=60, ping_interval=None, max_queue=1) as ws:
        hello = {"type": "join", "version": 1, "code": code, "name": f"Slow{index:02d}"}
        await ws.send(json.dumps(hello))
        await over.wait()  # the transport stops reading once a frame waits unread
        with contextlib.suppress(ConnectionClosed, TimeoutError):
            async with asyncio.timeout(30):
                async for raw in ws:
                    if json.loads(raw)["type"] == "over":
                        return False
    return True


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
    joining = asyncio.Semaphore(JOINING_AT_ONCE)
    tasks = [simulated_player(url, code, index, joining) for index in range(players)]
    return await asyncio.wait_for(asyncio.gather(*tasks), GAME_TIMEOUT)


async def play_with_slow(url: str, code: str, players: int, slow: int) -> tuple[Any, list[bool]]:
    over = asyncio.Event()
    slow_tasks = [asyncio.create_task(slow_player(url, code, i, over)) for i in range(slow)]
    await asyncio.sleep(0.5)  # in the lobby before the others
    logs = await play_all(url, code, players)
    over.set()
    dropped = await asyncio.wait_for(asyncio.gather(*slow_tasks), 60)
    return logs, dropped


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


def reveal_bytes(logs: list[PlayerLog]) -> float:
    """The bytes of one reveal to the whole room, on average over the questions."""
    numbers = {n for log in logs for n in log.reveal_bytes}
    totals = [sum(log.reveal_bytes.get(n, 0) for log in logs) for n in numbers]
    return statistics.mean(totals) if totals else 0.0


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def check_counts(logs: list[PlayerLog], report: dict[str, Any]) -> list[str]:
    """Every answer sent counted exactly once in the host's result; the second of
    each refused; every player's final place the host's: rank, score, the room's
    size, the top of the table, and the rows around theirs."""
    problems = []
    data = report["data"]
    by_name = {p["player"]: p for p in data["players"]}
    ranking = [(name, by_name[name]["score"]) for name in data["ranking"]]
    for log in logs:
        counted = [a for a in by_name[log.name]["answers"] if a["given"] or a["verdict"] != "late"]
        if not (log.sent == log.accepted == len(counted) == log.refused_again):
            problems.append(
                f"{log.name}: sent {log.sent}, accepted {log.accepted}, "
                f"counted {len(counted)}, second answers refused {log.refused_again}"
            )
        if log.errors:
            problems.append(f"{log.name}: errors {log.errors}")
        problems += _place(log, ranking)
    return problems


def _place(log: PlayerLog, ranking: list[tuple[str, int]]) -> list[str]:
    final = log.final
    if not final:
        return [f"{log.name}: no final standings"]
    rank = next(i for i, (name, _) in enumerate(ranking, start=1) if name == log.name)
    you = final["you"]
    top = [(row["player"], row["score"]) for row in final["top"]]
    near = [(row["player"], row["score"]) for row in final["near"]]
    first = max(rank - 3, 0)
    problems = []
    if (you["rank"], you["player"], you["score"]) != (rank, log.name, ranking[rank - 1][1]):
        problems.append(f"{log.name}: own row {you} is not the host's (rank {rank})")
    if final["players"] != len(ranking) or top != ranking[:TOP_ROWS]:
        problems.append(f"{log.name}: the room's size or the top differ from the host's")
    if near != ranking[first : rank + 2]:
        problems.append(f"{log.name}: the rows around its own differ from the host's")
    return problems


def start_host(players: int, questions: int, timer: float, report: Path, home: str) -> Any:
    command = [
        *[QUIZ, "host", "--bind", "127.0.0.1", "--port", "0", "--code", CODE],
        *["--players", str(players), "--auto", "--pause", "1", "--timer", f"{timer:g}"],
        *["-n", str(questions), "--seed", "7", "--report", str(report), "--no-save"],
        *["--max-players", str(max(players, 1000))],
        *([] if SPREAD else ["--per-address", str(players + 50)]),
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


class PeakMemory:
    """The largest resident set of a process, read from /proc while it runs (Linux)."""

    def __init__(self, pid: int) -> None:
        self.path = Path(f"/proc/{pid}/status")
        self.peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.wait(0.05):
            try:
                status = self.path.read_text()
            except OSError:
                return
            if found := re.search(r"VmHWM:\s+(\d+) kB", status):
                self.peak_kib = max(self.peak_kib, int(found.group(1)))

    def stop(self) -> float:
        self._stop.set()
        self._thread.join(5)
        return self.peak_kib / 1024


@dataclass
class Run:
    players: int
    delays: list[float]
    joins: list[float]
    lobby_seconds: float
    bytes_per_reveal: float
    peak_mib: float
    problems: list[str]
    slow_dropped: list[bool]


def run(players: int, questions: int, timer: float, slow: int = 0) -> Run:
    with tempfile.TemporaryDirectory() as home:
        report = Path(home) / "report.json"
        host = start_host(players + slow, questions, timer, report, home)
        try:
            port = host_port(host)
            memory = PeakMemory(host.pid)
            # The host's screen must be read while it plays, or a full pipe stalls it.
            drain = threading.Thread(target=host.stdout.read, daemon=True)
            drain.start()
            url = f"ws://127.0.0.1:{port}/ws"
            started = time.monotonic()
            logs, dropped = asyncio.run(play_with_slow(url, CODE, players, slow))
            host.wait(timeout=60)
            drain.join(10)
            peak = memory.stop()
        finally:
            if host.poll() is None:
                host.kill()
                host.wait()
        problems = check_counts(logs, json.loads(report.read_text(encoding="utf-8")))
    first_question = min(min(log.deadlines.values()) for log in logs if log.deadlines)
    lobby = first_question - timer - started
    joins = [log.joined_in for log in logs]
    return Run(players, latencies(logs), joins, lobby, reveal_bytes(logs), peak, problems, dropped)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--players", type=int, nargs="+", default=[100])
    parser.add_argument("--questions", type=int, default=5)
    parser.add_argument("--timer", type=float, default=4)
    parser.add_argument("--slow", type=int, default=0, help="version 1 clients that never read")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args()
    machine = f"{os.cpu_count()} cores, Python {platform.python_version()}"
    runs = [run(n, args.questions, args.timer, args.slow) for n in args.players]
    if args.markdown:
        _table(runs)
    else:
        print(f"{args.questions} questions, {args.slow} slow clients, {machine}")
        for r in runs:
            print(
                f"{r.players} players: reveal median {statistics.median(r.delays) * 1000:.0f} "
                f"ms, p99 {percentile(r.delays, 0.99) * 1000:.0f} ms; "
                f"{r.bytes_per_reveal / 1000:,.0f} kB a reveal "
                f"({r.bytes_per_reveal / r.players:,.0f} B a player); host peak "
                f"{r.peak_mib:.0f} MiB; joined in {r.lobby_seconds:.1f} s (each: p99 "
                f"{percentile(r.joins, 0.99) * 1000:.0f} ms); slow clients dropped: "
                f"{sum(r.slow_dropped)} of {len(r.slow_dropped)}"
            )
            print("  every answer counted once" if not r.problems else "\n".join(r.problems[:20]))
    failed = any(r.problems or not all(r.slow_dropped) for r in runs)
    sys.exit(1 if failed else 0)


def _table(runs: list[Run]) -> None:
    print(
        "| players | reveal p99 | median | bytes a reveal (a player) | host peak memory "
        "| room joined in (each, p99) | slow clients dropped | answers and standings |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for r in runs:
        verdict = "as the host's" if not r.problems else f"{len(r.problems)} problems"
        print(
            f"| {r.players:,} | {percentile(r.delays, 0.99) * 1000:.0f} ms "
            f"| {statistics.median(r.delays) * 1000:.0f} ms "
            f"| {r.bytes_per_reveal / 1000:,.0f} kB ({r.bytes_per_reveal / r.players:,.0f} B) "
            f"| {r.peak_mib:.0f} MiB | {r.lobby_seconds:.1f} s "
            f"({percentile(r.joins, 0.99) * 1000:.0f} ms) "
            f"| {sum(r.slow_dropped)} of {len(r.slow_dropped)} | {verdict} |"
        )


if __name__ == "__main__":
    main()
