"""The host of a live game: the clock, the engine (through the room), one handler per
WebSocket connection, and the phone page over plain HTTP on the same port.

Everything runs in one asyncio loop, so the room is only ever touched by one task at a
time. What a client sends is checked by ``protocol.parse`` and judged by the engine;
nothing it sends reaches another player except through the game's own messages.

Nothing the host sends waits for a client: every message is queued on its connection
at once (``Connections.write``), so a slow phone holds up no one, and what a connection
may hold unsent is bounded (``connections.py``). Each player is sent what they look at
(the top of the standings and their own place: ``board.py``), so a message is the
same size in any room. Limits, each documented in docs/live.md and gathered in
``limits.py``: the size of a message (``max_size``), the time to join, messages a
second per connection, players, connections per address and waiting to join, wrong
join codes (``guard.py``), unsent bytes, and keepalive pings.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import os
import signal
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from typing import Protocol

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from desperado_quiz.game import GameResult, QuestionShown, Status
from desperado_quiz.live.board import Board
from desperado_quiz.live.connections import Connections, Link, machine_names
from desperado_quiz.live.guard import CodeGuard
from desperado_quiz.live.limits import Limits
from desperado_quiz.live.notes import News, Notes
from desperado_quiz.live.protocol import (
    MAX_MESSAGE_BYTES,
    PROTOCOL_VERSION,
    VERSIONS,
    WS_PATH,
    Answer,
    ByeMessage,
    ByeReason,
    Hint,
    Join,
    Leave,
    Outgoing,
    ProtocolError,
    Rejoin,
    StandingJSON,
    encode,
    error,
    parse,
    splice,
)
from desperado_quiz.live.room import Closed, Refused, Room

DEFAULT_PORT = 5995  # the year Desperado came out, plus 4000; the next free one after it
PORT_TRIES = 10
JOIN_TRIES = 5  # refused joins before the connection is closed
RATE_PER_SECOND = 5.0  # messages a connection may send, on average...
RATE_BURST = 10  # ...and at once
FLOOD_LIMIT = 50  # messages dropped for speed before the connection is closed
TICK = 0.25  # how often the host's countdown is redrawn
SWEEP_EVERY = 1.0  # how often connections are checked for not reading
FAREWELL_WAIT = 5.0  # seconds the closing handshakes may take at the end
STATIC = {  # path -> (file, content type)
    "/": ("index.html", "text/html; charset=utf-8"),
    "/index.html": ("index.html", "text/html; charset=utf-8"),
    "/live.css": ("live.css", "text/css; charset=utf-8"),
    "/live.js": ("live.js", "text/javascript; charset=utf-8"),
}
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
    "connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

# The transport's own log would print tracebacks of clients' broken handshakes on the
# host's terminal: it goes nowhere.
_quiet = logging.getLogger("desperado_quiz.live")
_quiet.addHandler(logging.NullHandler())
_quiet.propagate = False


class HostError(Exception):
    """The host cannot start (the port is taken...); the message says what to do."""


@dataclass(frozen=True)
class HostSettings:
    bind: str = "0.0.0.0"
    port: int | None = None  # None: DEFAULT_PORT or the next free one; 0: any free port
    start_with: int | None = None  # start as soon as this many players have joined
    auto: bool = False
    pause: float = 8.0  # with auto: seconds each leaderboard stays
    keyboard: bool = True
    limits: Limits = field(default_factory=Limits)


class HostView(Protocol):
    """What the host's screen shows; ui/host.py draws it with Rich."""

    def lobby(self, urls: list[str], code: str, start_with: int | None) -> None: ...
    def players(self, count: int, latest: list[str]) -> None: ...
    def question(self, shown: QuestionShown, players: int) -> None: ...
    def tick(self, seconds_left: float, answered: int, playing: int, skipped: int = 0) -> None: ...
    def typed(self) -> None: ...
    def revealed(self, closed: Closed) -> None: ...
    def waiting(self, auto: bool, pause: float) -> None: ...
    def note(self, text: str) -> None: ...
    def over(self, result: GameResult, standings: list[StandingJSON], played: int) -> None: ...


class RateLimiter:
    """A token bucket: ``RATE_BURST`` messages at once, ``RATE_PER_SECOND`` after."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.tokens = float(RATE_BURST)
        self.last = clock()
        self.dropped = 0
        self.warned = False

    def allow(self) -> bool:
        now = self.clock()
        self.tokens = min(RATE_BURST, self.tokens + (now - self.last) * RATE_PER_SECOND)
        self.last = now
        if self.tokens >= 1:
            self.tokens -= 1
            self.warned = False
            return True
        self.dropped += 1
        return False


def static_page(path: str) -> Response:
    """The phone page's files, from the package; anything else is not found."""
    path = path.split("?", 1)[0]
    if path not in STATIC:
        return _response(404, "Not Found", b"Not found\n", "text/plain; charset=utf-8")
    name, kind = STATIC[path]
    body = resources.files("desperado_quiz.live").joinpath("static", name).read_bytes()
    return _response(200, "OK", body, kind)


def _response(status: int, reason: str, body: bytes, kind: str) -> Response:
    headers = Headers({"Content-Type": kind, "Content-Length": str(len(body)), **PAGE_HEADERS})
    headers["Connection"] = "close"
    return Response(status, reason, headers, body)


class Host:
    """One live game: serve, run the lobby and every question, end, and say the result."""

    def __init__(
        self,
        room: Room,
        view: HostView,
        settings: HostSettings,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.room = room
        self.view = view
        self.settings = settings
        self.limits = settings.limits
        self.clock = clock
        self.doors = Connections(self.limits, clock, machine_names())
        self.guard = CodeGuard(self.limits, clock, self._alarm)
        self.notes = Notes(self.limits.notes_every, clock)
        self.players: dict[str, Link] = {}  # each player's connection now
        self.changed = asyncio.Event()  # something the game waits on may have changed
        self.go = False  # the host pressed Enter
        self.stopping: Status | None = None
        self.port = 0
        self._closed: Closed | None = None  # the last question closed, for who rejoins
        self._lobby_queued = False
        self._lobby_sent = float("-inf")
        self._notes_queued = False
        self._evicted_told = 0
        self._closing: set[asyncio.Task[None]] = set()  # the loop keeps tasks weakly
        self._keys = b""

    # Running the game -----------------------------------------------------------------

    async def run(self, ready: Callable[[int], None] | None = None) -> GameResult:
        # What the event loop has to report (a socket it could not accept when the
        # machine ran out of file descriptors, a connection reset) must not flood the
        # host's screen with tracebacks: the game goes on, and it goes to our quiet log.
        asyncio.get_running_loop().set_exception_handler(
            lambda _loop, context: _quiet.debug("event loop: %s", context.get("message"))
        )
        _enough_files(self.room.max_players + self.limits.unjoined + self.limits.per_address)
        async with await self._serve() as server:
            self.port = server.sockets[0].getsockname()[1]
            self._signals(install=True)
            keyboard = self._keyboard(install=True)
            sweeper = asyncio.create_task(self._sweep())
            try:
                self.view.lobby(self.urls(), self.room.code, self.settings.start_with)
                if ready:
                    ready(self.port)
                result = await self._play()
                await self._farewell(result)
            finally:
                sweeper.cancel()
                self._signals(install=False)
                if keyboard:
                    self._keyboard(install=False)
            server.close(close_connections=True)
        return result

    async def _serve(self) -> Server:
        ports = (
            [self.settings.port]
            if self.settings.port is not None
            else list(range(DEFAULT_PORT, DEFAULT_PORT + PORT_TRIES))
        )
        for port in ports:
            try:
                return await serve(
                    self._handler,
                    self.settings.bind,
                    port,
                    process_request=self._http,
                    max_size=MAX_MESSAGE_BYTES,
                    max_queue=16,
                    compression=None,  # messages are small; deflate costs each connection
                    write_limit=self.limits.write_limit,
                    open_timeout=10,
                    ping_interval=self.limits.ping_interval,
                    ping_timeout=self.limits.ping_timeout,
                    close_timeout=2,
                    logger=_quiet,
                    server_header=None,
                    create_connection=self.doors.connection_class(),
                )
            except OSError as problem:
                if problem.errno != errno.EADDRINUSE or port == ports[-1]:
                    raise HostError(_cannot_listen(self.settings.bind, port, problem)) from None
        raise HostError("no port to listen on")  # pragma: no cover (the loop returns or raises)

    def urls(self) -> list[str]:
        """The page's address for each way to reach this machine, the code included."""
        return [f"http://{_host(a)}:{self.port}/?code={self.room.code}" for a in self.addresses()]

    def addresses(self) -> list[str]:
        bind = self.settings.bind
        if bind not in ("0.0.0.0", "", "::"):
            return [bind]
        return lan_addresses() or ["127.0.0.1"]

    async def _play(self) -> GameResult:
        await self._lobby()
        while self.stopping is None:
            shown = self.room.open_question()
            if shown is None:  # everyone left: the game is over
                return self.room.engine.result
            self._to_everyone(encode(self.room.question_message()))
            self.view.question(shown, len(self.room.seats))
            closed = await self._question()
            if closed is None:
                break
            self._closed = closed
            self._with_board(encode(closed.reveal), closed.board)
            self.view.revealed(closed)
            if closed.result is not None:
                return closed.result
            await self._between()
        return self.room.stop(self.stopping or Status.QUIT)

    async def _lobby(self) -> None:
        def ready() -> bool:
            seats = len(self.room.seats)
            wanted = self.settings.start_with
            if self.go and not seats:
                self.go = False
                self.view.note("Nobody has joined yet.")
            return (wanted is not None and seats >= wanted) or (self.go and seats > 0)

        self.go = False
        await self._wait(ready, None)

    async def _question(self) -> Closed | None:
        deadline = self.room.engine.deadline

        def closing() -> bool:  # everyone here answered, or everyone left the game
            return self.room.everyone_answered() or self.room.progress()[1] == 0

        await self._wait(closing, deadline, countdown=True)
        if self.stopping is not None:
            return None
        late = deadline is not None and self.clock() >= deadline
        return self.room.close_question(time_up=late)

    async def _between(self) -> None:
        self.view.waiting(self.settings.auto, self.settings.pause)
        self.go = False
        if self.settings.auto:
            await self._wait(lambda: False, self.clock() + self.settings.pause)
        else:
            await self._wait(lambda: self.go, None)

    async def _wait(
        self, done: Callable[[], bool], until: float | None, countdown: bool = False
    ) -> None:
        """Until ``done()``, the clock reaches ``until``, or the game is stopped."""
        while self.stopping is None and not done():
            left = None if until is None else until - self.clock()
            if left is not None and left <= 0:
                return
            if countdown and left is not None:
                self.view.tick(left, *self.room.progress(), skipped=self.room.skipped())
            self.changed.clear()
            wait = min(TICK, left) if countdown and left is not None else left
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), None if wait is None else wait)

    async def _farewell(self, result: GameResult) -> None:
        """Everyone gets the final standings, then the connections close."""
        board = self.room.final(result)
        self._with_board(encode(self.room.over_common(result)), board)
        links = list(self.players.values())
        closing = [link.connection.close(1000, "game over") for link in links]
        if closing:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    asyncio.gather(*closing, return_exceptions=True), FAREWELL_WAIT
                )
        for link in links:  # a closing handshake still waiting is a client not reading
            self.doors.drop(link, dropped=False)
        self.view.over(result, board.rows, self.room.engine.question_number)

    def stop(self, status: Status) -> None:
        if self.stopping is None:
            self.stopping = status
        self.changed.set()

    def _signals(self, install: bool) -> None:
        loop = asyncio.get_running_loop()
        for number, status in (
            (signal.SIGINT, Status.INTERRUPTED),
            (signal.SIGTERM, Status.TERMINATED),
        ):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                if install:
                    loop.add_signal_handler(number, self.stop, status)
                else:
                    loop.remove_signal_handler(number)

    # What everyone is sent ------------------------------------------------------------

    def _to_everyone(self, text: str) -> None:
        for link in list(self.players.values()):
            self.doors.write(link, text)

    def _with_board(self, common: str, board: Board) -> None:
        """A ``reveal`` or ``over`` to every player: the shared part encoded once, with
        each player's view of ``board`` (the whole table for version 1, encoded once)."""
        whole: str | None = None
        for name, link in list(self.players.items()):
            if link.version == 1:
                whole = whole or splice(common, board.whole())
                self.doors.write(link, whole)
            else:
                self.doors.write(link, splice(common, board.members(name)))

    def _players_changed(self) -> None:
        if self.room.state == "lobby":
            self._queue_lobby()
        self.changed.set()

    def _queue_lobby(self) -> None:
        """The lobby's news goes out at most every ``lobby_every`` seconds: a room of a
        thousand joining at once is a few messages each, not a thousand."""
        if self._lobby_queued:
            return
        self._lobby_queued = True
        delay = max(0.0, self._lobby_sent + self.limits.lobby_every - self.clock())
        asyncio.get_running_loop().call_later(delay, self._send_lobby)

    def _send_lobby(self) -> None:
        self._lobby_queued = False
        self._lobby_sent = self.clock()
        if self.room.state != "lobby" or self.stopping is not None:
            return
        texts = {version: encode(self.room.lobby(version)) for version in VERSIONS}
        for link in list(self.players.values()):
            self.doors.write(link, texts[link.version])
        self.view.players(len(self.room.seats), self.room.latest())

    # The host's screen ----------------------------------------------------------------

    def _news(self, name: str, news: News) -> None:
        """A player's coming or going, told on the host's screen in coalesced lines."""
        self.notes.add(name, news)
        if not self._notes_queued:
            self._notes_queued = True
            asyncio.get_running_loop().call_later(self.notes.wait(), self._show_notes)

    def _show_notes(self) -> None:
        self._notes_queued = False
        if self.stopping is None and (line := self.notes.line()):
            self.view.note(line)

    def _alarm(self, text: str) -> None:
        self.view.note(text)

    async def _sweep(self) -> None:
        """Every second: drop connections that stopped reading; say when connections
        that never joined were closed to make room."""
        while True:
            await asyncio.sleep(SWEEP_EVERY)
            for link in self.doors.stalled():
                self.doors.drop(link)
            evicted = self.doors.evicted - self._evicted_told
            if evicted and self.notes.wait() == 0:
                self._evicted_told = self.doors.evicted
                # A screen gone (a closed pipe) must not stop the dropping: the game
                # meets it on its own next line and ends there.
                with contextlib.suppress(OSError):
                    self.view.note(
                        f"{evicted} connections that never joined were closed to make "
                        "room: someone may be holding connections open."
                    )

    # The host's keyboard --------------------------------------------------------------

    def _keyboard(self, install: bool) -> bool:
        """Lines typed at the host: Enter starts or goes on, ``remove NAME``, ``quit``."""
        if not self.settings.keyboard:
            return False
        loop = asyncio.get_running_loop()
        try:
            fd = sys.stdin.fileno()
            if install:
                loop.add_reader(fd, self._key, fd)
            else:
                loop.remove_reader(fd)
        except (OSError, ValueError, AttributeError):  # a file or /dev/null cannot be watched
            return False
        return True

    def _key(self, fd: int) -> None:
        try:
            data = os.read(fd, 4096)
        except OSError:
            data = b""
        if not data:  # end of input: the keyboard is gone, the game is not
            self._keyboard(install=False)
            return
        self._keys += data
        while b"\n" in self._keys:
            line, self._keys = self._keys.split(b"\n", 1)
            self.view.typed()
            self.command(line.decode("utf-8", "replace").strip())

    def command(self, line: str) -> None:
        word, _, rest = line.partition(" ")
        if not line:
            self.go = True
        elif word.casefold() in ("remove", "kick"):
            self.remove(rest)
        elif word.casefold() in ("quit", "exit"):
            self.stop(Status.QUIT)
        else:
            self.view.note("Enter: start or go on · remove NAME · quit (or Ctrl-C)")
        self.changed.set()

    def remove(self, name: str) -> None:
        found = self.room.find(name)
        if found is None:
            self.view.note("No player of that name.")
            return
        self.room.leave(found, removed=True)
        link = self.players.pop(found, None)
        if link is not None:
            self._dismiss(link, "removed", "The host removed you from the game.")
        self.view.note(f"Removed {found}.")
        self._players_changed()

    # The connections ------------------------------------------------------------------

    def _http(self, connection: ServerConnection, request: Request) -> Response | None:
        """The page for a browser; the WebSocket handshake only on ``WS_PATH``, from an
        acceptable origin and address (``Connections.admit``)."""
        if request.headers.get("Upgrade", "").lower() != "websocket":
            return static_page(request.path)
        if request.path.split("?", 1)[0] != WS_PATH:
            return connection.respond(404, f"The game's WebSocket is at {WS_PATH}\n")
        return self.doors.admit(connection, request)

    async def _handler(self, connection: ServerConnection) -> None:
        link = self.doors.links.get(connection)
        if link is None:  # pragma: no cover (every open connection was admitted)
            return
        name: str | None = None
        try:
            name = await self._greet(link)
            if name is not None:
                await self._serve_player(link, name)
        except ConnectionClosed:
            pass
        except TimeoutError:  # never joined: no closing handshake to wait for
            self.doors.drop(link, dropped=False)
        finally:
            if name is not None and self.players.get(name) is link:
                del self.players[name]
                if name in self.room.seats and self.room.state != "over":
                    self.room.disconnect(name)
                    self._news(name, News.DROPPED if link.dropped else News.LOST)
                self.changed.set()

    async def _greet(self, link: Link) -> str | None:
        """The first messages must join (or rejoin) within the join timeout."""
        connection = link.connection
        async with asyncio.timeout(self.limits.join_timeout):
            for _ in range(JOIN_TRIES):
                try:
                    message = parse(await connection.recv())
                except ProtocolError as problem:
                    self._reply(link, error(problem.code, problem.message))
                    continue
                if not isinstance(message, Join | Rejoin):
                    self._reply(link, error("not-joined", "Join the game first."))
                    continue
                if refusal := self._version_refusal(message.version):
                    self._reply(link, error("version", refusal))
                    await connection.close(1002, "protocol version")
                    return None
                gate = self.guard.gate(link.address)
                try:
                    seat = (
                        self.room.join(message.code, message.name, gate)
                        if isinstance(message, Join)
                        else self.room.rejoin(message.code, message.token, gate, message.replace)
                    )
                except Refused as refused:
                    self._reply(link, error(refused.code, refused.message))
                    continue
                self._seat(link, seat.name, message.version, isinstance(message, Rejoin))
                return seat.name
        await connection.close(1008, "too many refused joins")
        return None

    def _version_refusal(self, version: int) -> str | None:
        if version not in VERSIONS:
            return (
                f"This host speaks version {PROTOCOL_VERSION} of the quiz-night protocol "
                "(and still serves version 1); update desperado-quiz to join."
            )
        if version == 1 and self.doors.version1 >= self.limits.version1_clients:
            return (
                f"This host serves at most {self.limits.version1_clients} clients of "
                f"version 1, which get the whole table each time; update desperado-quiz "
                f"(version {PROTOCOL_VERSION}) to join."
            )
        return None

    def _seat(self, link: Link, name: str, version: int, rejoined: bool) -> None:
        previous = self.players.get(name)
        self.players[name] = link
        self.doors.joined(link, name, version)
        if previous is not None:  # the same player from a new connection: the old one goes
            self._dismiss(
                previous,
                "replaced",
                f"{name} is now played from another terminal or phone: this one has left the game.",
            )
        self._reply(link, self.room.welcome(self.room.seats[name], version))
        state = self.room.state
        if state == "question":
            self._reply(link, self.room.question_message(name))
        elif state == "reveal" and self._closed is not None:
            common, board = encode(self._closed.reveal), self._closed.board
            whole = board.whole() if version == 1 else board.members(name)
            self.doors.write(link, splice(common, whole))
        if rejoined:
            self._news(name, News.BACK)
        self._players_changed()

    async def _serve_player(self, link: Link, name: str) -> None:
        limiter = RateLimiter(self.clock)
        async for raw in link.connection:
            if not limiter.allow():
                if limiter.dropped > FLOOD_LIMIT:
                    await link.connection.close(1008, "too many messages")
                    return
                if not limiter.warned:
                    limiter.warned = True
                    self._reply(link, error("too-fast", "Slow down: message dropped."))
                continue
            if not await self._message(link, name, raw):
                return

    async def _message(self, link: Link, name: str, raw: str | bytes) -> bool:
        """One message from a player who has joined; False when they are gone."""
        if name not in self.room.seats or self.players.get(name) is not link:
            return False  # removed, or replaced by a newer connection
        try:
            message = parse(raw)
        except ProtocolError as problem:
            self._reply(link, error(problem.code, problem.message))
            return True
        match message:
            case Join() | Rejoin():
                self._reply(link, error("already-joined", f"You are {name}."))
            case Answer() | Hint():
                # a hint is asked with the engine's own command word, as a typed line
                text = message.text if isinstance(message, Answer) else "hint"
                reply = self.room.answer(name, message.question, text)
                self._reply(link, reply)
                if reply["type"] == "bye":
                    return await self._gone(link, name)
                self.changed.set()
            case Leave():
                self.room.leave(name)
                self._reply(
                    link, {"type": "bye", "reason": "left", "message": "You left the game."}
                )
                return await self._gone(link, name)
        return True

    async def _gone(self, link: Link, name: str) -> bool:
        self.players.pop(name, None)
        self._news(name, News.LEFT)
        self._players_changed()
        await link.connection.close(1000, "left")
        return False

    def _reply(self, link: Link, message: Outgoing) -> None:
        self.doors.write(link, encode(message))

    def _dismiss(self, link: Link, reason: ByeReason, message: str) -> None:
        """Say goodbye and close, without waiting: the host's loop goes on meanwhile."""
        bye: ByeMessage = {"type": "bye", "reason": reason, "message": message}
        self._reply(link, bye)
        closing = asyncio.get_running_loop().create_task(link.connection.close(1000, reason))
        self._closing.add(closing)
        closing.add_done_callback(self._closing.discard)


def _enough_files(connections: int) -> None:
    """A room of a thousand needs more open files than many systems allow by default
    (1,024): raise this process's own soft limit as far as its hard limit allows."""
    try:
        import resource
    except ImportError:  # pragma: no cover (not on Windows)
        return
    # The listening sockets, the terminal, the history; and room for sockets that are
    # refused, which hold a file until they are closed.
    wanted = max(connections + 64, 4096)
    with contextlib.suppress(ValueError, OSError):
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft != resource.RLIM_INFINITY and soft < wanted:
            raised = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
            resource.setrlimit(resource.RLIMIT_NOFILE, (raised, hard))


def _host(address: str) -> str:
    return f"[{address}]" if ":" in address else address


def _cannot_listen(bind: str, port: int, problem: OSError) -> str:
    if problem.errno == errno.EADDRINUSE:
        return f"port {port} is in use on {bind}; choose another with --port"
    return f"cannot listen on {bind}:{port}: {problem.strerror or problem}"


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses other than loopback, as far as it knows them itself
    (no packet is sent to find out)."""
    found: list[str] = []
    with contextlib.suppress(OSError):
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
        found += [str(info[4][0]) for info in infos]
    found += _interface_addresses()
    return list(dict.fromkeys(a for a in found if not a.startswith("127.")))


def _interface_addresses() -> list[str]:
    """Linux: each interface's IPv4 address, asked of the kernel (SIOCGIFADDR)."""
    try:
        import fcntl
        import struct
    except ImportError:  # pragma: no cover (not on Windows)
        return []
    found = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        for _, name in socket.if_nameindex():
            with contextlib.suppress(OSError):
                request = struct.pack("256s", name.encode()[:15])
                reply = fcntl.ioctl(probe.fileno(), 0x8915, request)  # SIOCGIFADDR
                found.append(socket.inet_ntoa(reply[20:24]))
    return found
