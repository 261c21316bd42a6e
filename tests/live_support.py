"""What the live game's tests share: a host in this process on 127.0.0.1 (any free
port), a client speaking the documented protocol, and a host in its own process."""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

from desperado_quiz.game import (
    Engine,
    GameResult,
    GameSettings,
    QuestionShown,
    TurnOrder,
    pick_questions,
)
from desperado_quiz.live.limits import Limits
from desperado_quiz.live.protocol import StandingJSON
from desperado_quiz.live.room import MAX_PLAYERS, Closed, Room
from desperado_quiz.live.server import Host, HostSettings
from desperado_quiz.store import load_banks
from tests.helpers import FIXTURES, REPO

CODE = "TEST"
WAIT = 15.0  # no single wait in these tests is longer
ADDRESS = re.compile(rb"http://127\.0\.0\.1:(\d+)/")


@dataclass
class Recorder:
    """A host's screen that keeps what it was shown."""

    shown: list[tuple[str, Any]] = field(default_factory=list)
    closed: list[Closed] = field(default_factory=list)  # each question's reveal, in full

    def lobby(self, urls: list[str], code: str, start_with: int | None) -> None:
        self.shown.append(("lobby", urls))

    def players(self, count: int, latest: list[str]) -> None:
        self.shown.append(("players", (count, latest)))

    def question(self, shown: QuestionShown, players: int) -> None:
        self.shown.append(("question", shown.position))

    def tick(self, seconds_left: float, answered: int, playing: int, skipped: int = 0) -> None:
        pass

    def typed(self) -> None:
        pass

    def revealed(self, closed: Closed) -> None:
        self.shown.append(("revealed", closed.reveal["number"]))
        self.closed.append(closed)

    def waiting(self, auto: bool, pause: float) -> None:
        pass

    def note(self, text: str) -> None:
        self.shown.append(("note", text))

    @property
    def notes(self) -> list[str]:
        return [text for kind, text in self.shown if kind == "note"]

    def over(self, result: GameResult, standings: list[StandingJSON], played: int) -> None:
        self.shown.append(("over", standings))


@dataclass
class Running:
    host: Host
    task: asyncio.Task[GameResult]
    view: Recorder

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.host.port}/ws"

    async def result(self) -> GameResult:
        return await asyncio.wait_for(self.task, 60)


def fixture_game(ids: Sequence[str], timer: float) -> Engine:
    refs = tuple(f"basics:{i}" for i in ids)
    asked = pick_questions(load_banks([FIXTURES / "game"]).banks, refs, seed=1).asked
    settings = GameSettings(
        seed=1, questions=refs, players=(), turns=TurnOrder.TOGETHER, timer=timer
    )
    return Engine(asked, settings)


async def start_host(
    engine: Engine,
    start_with: int | None = 2,
    auto: bool = True,
    pause: float = 0.05,
    code: str = CODE,
    limits: Limits | None = None,
    max_players: int = MAX_PLAYERS,
) -> Running:
    view = Recorder()
    settings = HostSettings(
        "127.0.0.1", 0, start_with, auto, pause, keyboard=False, limits=limits or Limits()
    )
    host = Host(Room(engine, code, max_players), view, settings)
    ready = asyncio.Event()
    task = asyncio.create_task(host.run(ready=lambda port: ready.set()))
    await asyncio.wait_for(ready.wait(), WAIT)
    return Running(host, task, view)


class Client:
    """A player speaking the protocol by hand: what it sends is exactly what is given."""

    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection
        self.seen: list[dict[str, Any]] = []

    @classmethod
    async def open(cls, url: str, **options: Any) -> Client:
        """A connection; ``options`` go to ``websockets.connect`` (``local_addr`` to come
        from another loopback address, ``origin``...)."""
        return cls(await connect(url, open_timeout=WAIT, max_size=2**22, **options))

    @classmethod
    async def join(cls, url: str, name: str, code: str = CODE, **options: Any) -> Client:
        client = await cls.open(url, **options)
        await client.send({"type": "join", "version": 2, "code": code, "name": name})
        await client.expect("welcome")
        return client

    async def send(self, message: dict[str, Any] | str | bytes) -> None:
        await self.connection.send(
            message if isinstance(message, str | bytes) else json.dumps(message)
        )

    async def receive(self) -> dict[str, Any]:
        message: dict[str, Any] = json.loads(await asyncio.wait_for(self.connection.recv(), WAIT))
        self.seen.append(message)
        return message

    async def expect(self, *kinds: str) -> dict[str, Any]:
        """The next message of one of these types (the others are kept in ``seen``)."""
        while True:
            message = await self.receive()
            if message["type"] in kinds:
                return message

    async def answer(self, number: int, text: str) -> dict[str, Any]:
        await self.send({"type": "answer", "question": number, "text": text})
        return await self.expect("accepted", "error", "hint", "bye")

    @property
    def welcome(self) -> dict[str, Any]:
        return next(m for m in self.seen if m["type"] == "welcome")

    async def close(self) -> None:
        await self.connection.close()


def source(address: str) -> dict[str, Any]:
    """``Client.open`` options to connect from ``address``, one of 127.0.0.0/8 (on Linux
    every one of them is this machine's), as a phone in the room has its own address."""
    return {"local_addr": (address, 0)}


async def reading(client: Client) -> None:
    """Read everything a client is sent until its connection closes, as a phone does
    (a ``Client`` only reads when a test asks it to)."""
    with contextlib.suppress(Exception):
        while True:
            client.seen.append(json.loads(await client.connection.recv()))


def run(scenario: Any, seconds: float = 90) -> Any:
    """Run a coroutine with an upper bound on its time."""
    return asyncio.run(asyncio.wait_for(scenario, seconds))


def benchmark() -> ModuleType:
    """benchmarks/live.py, whose simulated players the load test shares."""
    spec = importlib.util.spec_from_file_location("live_benchmark", REPO / "benchmarks" / "live.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def quiz(*args: str, **kwargs: Any) -> subprocess.Popen[bytes]:
    """`desperado-quiz ARGS` in its own process, with pipes."""
    return subprocess.Popen(
        [sys.executable, "-m", "desperado_quiz", *args],
        stdin=kwargs.pop("stdin", subprocess.PIPE),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "COLUMNS": "100", **kwargs.pop("env", {})},
        **kwargs,
    )


def host_port(host: subprocess.Popen[bytes]) -> tuple[int, bytes]:
    """The port a host process shows in its lobby, and what it wrote until then."""
    assert host.stdout is not None
    seen = b""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        chunk = host.stdout.read1(4096)
        if not chunk:
            break
        seen += chunk
        if found := ADDRESS.search(seen):
            return int(found.group(1)), seen
    raise AssertionError(f"the host never showed its address: {seen!r}")


def host_args(*extra: str) -> list[str]:
    bank = str(FIXTURES / "game" / "basics.toml")
    return ["host", "--bind", "127.0.0.1", "--port", "0", "--code", CODE, "-b", bank, *extra]


def fixture_path() -> Path:
    return FIXTURES / "game" / "basics.toml"
