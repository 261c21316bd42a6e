"""The terminal client of a live game (`desperado-quiz join`): connect, join, then send
each line typed (or piped) as the answer to the open question, and say what comes back.

Like `play`, it reads a line at a time, so a script can play: on a terminal a line
typed while no question is open is dropped; from a pipe it waits for the next question.
The server judges every line with the same matcher as `play`, command words included.
A dropped connection is rejoined with the player's token, a few times at most.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import os
import re
import signal
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus, InvalidURI

from desperado_quiz.live.protocol import PROTOCOL_VERSION, WS_PATH, StandingsJSON
from desperado_quiz.live.server import DEFAULT_PORT
from desperado_quiz.text import visible

REJOIN_TRIES = 5
REJOIN_WAIT = 1.0
OPEN_TIMEOUT = 10.0
MAX_SERVER_MESSAGE = 2**20  # a version 2 message is a few kilobytes in any room
REFUSALS = ("code", "name", "started", "full", "version", "code-limit")  # before joining
MAX_LINE_BYTES = 64 * 1024  # a longer piped line is cut: the server refuses it anyway


class Ending(StrEnum):
    OVER = "over"  # the game ended (or the host stopped it)
    LEFT = "left"  # quit, end of input
    INTERRUPTED = "interrupted"  # Ctrl-C
    REFUSED = "refused"  # the host would not let us in
    REMOVED = "removed"  # the host removed us
    LOST = "lost"  # the connection went and could not be found again
    REPLACED = "replaced"  # the seat is played from another terminal or phone now
    ELSEWHERE = "elsewhere"  # the seat is played elsewhere, and was not taken over here


ADDRESS_FORMS = (
    "Give the address on the host's screen: HOST, HOST:PORT or its http:// address "
    "(192.168.1.20, 192.168.1.20:5995, [::1]:5995, http://192.168.1.20:5995/?code=K7QXM)."
)


class AddressError(ValueError):
    """An address that cannot be the host's; ``hint`` shows the forms that are."""

    hint = ADDRESS_FORMS


# A machine's name: letters, digits and hyphens between dots (the names DNS and the
# hosts file take); an IP address is one too, and an IPv6 one comes in brackets.
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOST_NAME = re.compile(rf"{_LABEL}(?:\.{_LABEL})*\.?")


def address_parts(address: str) -> tuple[str, str | None]:
    """The WebSocket URL of the host at ``address`` (HOST, HOST:PORT, or the page's
    http:// address as the host's screen shows it), and a join code found in it.
    Anything that cannot name a machine (spaces, a port that is not a number...) is
    refused with the forms that are taken, before any connection is tried."""
    text = address.strip()
    if _is_ip(text) and ":" in text:  # a bare IPv6 address: its colons are not a port's
        text = f"[{text}]"
    if "://" not in text:
        text = "http://" + text
    why = ""
    try:
        parts = urlsplit(text)
        host, port = parts.hostname, parts.port
    except ValueError as problem:  # a port that is no number, or out of range
        host, port, why = None, None, f" ({visible(str(problem))})"
    if parts.scheme not in ("http", "https", "ws", "wss") or not host or not _machine(host):
        raise AddressError(f"{visible(address)!r} is not a host's address{why}")
    secure = parts.scheme in ("https", "wss")
    shown = f"[{host}]" if ":" in host else host
    url = f"{'wss' if secure else 'ws'}://{shown}:{port or DEFAULT_PORT}{WS_PATH}"
    codes = parse_qs(parts.query).get("code")
    return url, codes[0] if codes else None


def _machine(host: str) -> bool:
    """Whether ``host`` (as ``urlsplit`` gives it, brackets removed) names a machine."""
    if _is_ip(host):
        return True
    try:
        ascii_name = host.encode("idna").decode("ascii")  # a name in any script
    except UnicodeError:
        return False
    return bool(_HOST_NAME.fullmatch(ascii_name))


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


BYE_ENDINGS = {"left": Ending.LEFT, "removed": Ending.REMOVED, "replaced": Ending.REPLACED}


class ClientView(Protocol):
    """What the player sees; ui/joining.py draws it with Rich."""

    def welcome(self, message: dict[str, Any]) -> None: ...
    def lobby(self, players: int, latest: list[str]) -> None: ...
    def question(self, message: dict[str, Any]) -> None: ...
    def prompt(self) -> None: ...
    def echo(self, line: str) -> None: ...
    def reply(self, message: dict[str, Any]) -> None: ...
    def reveal(self, message: dict[str, Any], me: str) -> None: ...
    def over(self, message: dict[str, Any], me: str) -> None: ...
    def note(self, text: str) -> None: ...
    def ask(self, text: str) -> None: ...  # a yes-or-no question; the next line answers it
    def closed(self) -> None: ...


class Lines:
    """Lines from stdin, without a thread: the loop watches the descriptor, and each
    line goes into a queue (None at the end of input)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.queue: asyncio.Queue[str | None] = asyncio.Queue()
        self.interactive = os.isatty(fd)
        self._buffer = b""
        self._watching = False

    def start(self) -> None:
        try:
            asyncio.get_running_loop().add_reader(self.fd, self._read)
            self._watching = True
        except (OSError, ValueError):  # a regular file cannot be watched: read it all now
            self._take(_read_all(self.fd), end=True)

    def stop(self) -> None:
        if self._watching:
            with contextlib.suppress(OSError, ValueError):
                asyncio.get_running_loop().remove_reader(self.fd)
            self._watching = False
        self.discard_typed()

    def discard_typed(self) -> None:
        """On a terminal, throw away what was typed and not sent: a line half typed when
        the game ends would otherwise be read by the shell after us, and run."""
        if not self.interactive:
            return
        try:
            import termios
        except ImportError:  # pragma: no cover (not on Windows)
            return
        with contextlib.suppress(OSError, termios.error):
            termios.tcflush(self.fd, termios.TCIFLUSH)
        self._buffer = b""

    def _read(self) -> None:
        try:
            data = os.read(self.fd, 65536)
        except OSError:
            data = b""
        self._take(data, end=not data)
        if not data:
            self.stop()

    def _take(self, data: bytes, end: bool) -> None:
        self._buffer += data
        while b"\n" in self._buffer:
            line, self._buffer = self._buffer.split(b"\n", 1)
            self._put(line)
        if len(self._buffer) > MAX_LINE_BYTES:
            self._put(self._buffer)
            self._buffer = b""
        if end:
            if self._buffer:
                self._put(self._buffer)
                self._buffer = b""
            self.queue.put_nowait(None)

    def _put(self, line: bytes) -> None:
        self.queue.put_nowait(line[:MAX_LINE_BYTES].decode("utf-8", "replace").rstrip("\r"))

    def drop_waiting(self) -> int:
        """Lines typed on a terminal while no question was open are not answers."""
        dropped = 0
        while not self.queue.empty():
            if self.queue.get_nowait() is None:
                self.queue.put_nowait(None)
                break
            dropped += 1
        return dropped


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    return b"".join(chunks)


@dataclass
class Player:
    """One player's connection to a host, until the game ends for them."""

    url: str
    code: str
    name: str
    view: ClientView
    lines: Lines
    token: str | None = None  # given: rejoin with it first (a seat kept from a closed terminal)
    on_welcome: Callable[[str], None] | None = None  # told the token once the host lets us in
    # A seat kept from another terminal may be played there still: it is taken over only
    # once the player says so. Our own connection coming back takes it at once.
    replace: bool = False
    me: str = ""
    question: dict[str, Any] | None = None
    answered: bool = False
    waiting_reply: bool = False
    standings: StandingsJSON | None = None
    ending: Ending | None = None
    message: str = ""
    in_use: bool = False  # the host said another connection plays the seat now
    _outbox: list[dict[str, Any]] = field(default_factory=list, repr=False)
    _connection: ClientConnection | None = field(default=None, repr=False)
    _stop: asyncio.Event = field(default_factory=asyncio.Event, repr=False)

    async def run(self) -> Ending:
        loop = asyncio.get_running_loop()
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signal.SIGINT, self._interrupt)
            loop.add_signal_handler(signal.SIGTERM, self._interrupt)
        self.lines.start()
        try:
            lost = 0
            while self.ending is None:
                try:
                    await self._session(self._join() if self.token is None else self._rejoin())
                except InvalidStatus as refused:  # the host said why, in plain text
                    self.message = _refusal(refused)
                    if self.token is None:  # not in the game: refused, not lost
                        self.ending = Ending.REFUSED
                except (OSError, InvalidHandshake, TimeoutError):
                    pass
                if self.ending is not None:
                    break
                if self.in_use:
                    await self._take_over()
                    continue
                lost += 1
                if self.token is None or lost > REJOIN_TRIES:
                    break
                self.view.note("The connection was lost; rejoining…")
                await self._sleep(REJOIN_WAIT)
            if self.ending is None:  # never in, or never back in
                self.ending = Ending.LOST
                self.message = self.message or f"Cannot reach the host at {self.url}."
        finally:
            self.lines.stop()
            for number in (signal.SIGINT, signal.SIGTERM):
                with contextlib.suppress(NotImplementedError, RuntimeError):
                    loop.remove_signal_handler(number)
        return self.ending

    def _join(self) -> dict[str, Any]:
        return {"type": "join", "version": PROTOCOL_VERSION, "code": self.code, "name": self.name}

    def _rejoin(self) -> dict[str, Any]:
        message = {
            "type": "rejoin",
            "version": PROTOCOL_VERSION,
            "code": self.code,
            "token": self.token,
        }
        # Sent only to ask first: a host older than the field refuses it (bad-message),
        # and taking the seat at once is what leaving it out means.
        return message if self.replace else {**message, "replace": False}

    async def _take_over(self) -> None:
        """The seat is played from another terminal or phone now: take it over only if
        the player says yes (a script, which cannot be asked, never does)."""
        self.in_use = False
        said = self.message
        someone_else = "To join as someone else, give another --name."
        if not self.lines.interactive:
            self.ending = Ending.ELSEWHERE
            self.message = f"{said} Only a yes typed at a terminal takes it over. {someone_else}"
            return
        self.view.ask(f"{said} Play here instead (the other one leaves the game)? [y/N] ")
        answer = await self._next_line()
        if self.ending is not None:  # Ctrl-C while asked
            return
        if answer is not None and answer.strip().casefold() in ("y", "yes"):
            self.replace = True
            return
        self.ending = Ending.ELSEWHERE
        self.message = f"The seat stays with the other terminal or phone. {someone_else}"

    async def _next_line(self) -> str | None:
        """The next line typed, or None at the end of input or on Ctrl-C."""
        line = asyncio.create_task(self.lines.queue.get())
        stopping = asyncio.create_task(self._stop.wait())
        try:
            await asyncio.wait({line, stopping}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopping.cancel()
            if not line.done():
                line.cancel()
        return line.result() if line.done() and not line.cancelled() else None

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stop.wait(), seconds)

    def _interrupt(self) -> None:
        self.ending = self.ending or Ending.INTERRUPTED
        self._stop.set()

    async def _session(self, hello: dict[str, Any]) -> None:
        """One connection: greet, then messages and lines until it ends."""
        try:
            async with connect(
                self.url,
                open_timeout=OPEN_TIMEOUT,
                max_size=MAX_SERVER_MESSAGE,
                ping_interval=10,
                ping_timeout=10,
                close_timeout=2,
            ) as connection:
                self._connection = connection
                await connection.send(_encode(hello))
                await self._converse(connection)
        except InvalidURI as problem:
            self.ending, self.message = Ending.REFUSED, str(problem)
        finally:
            self._connection = None

    async def _converse(self, connection: ClientConnection) -> None:
        incoming: asyncio.Task[Any] = asyncio.create_task(connection.recv())
        stopping = asyncio.create_task(self._stop.wait())
        line: asyncio.Task[str | None] | None = None
        try:
            while self.ending is None:
                if line is None and self._wants_line():
                    self.view.prompt()
                    line = asyncio.create_task(self.lines.queue.get())
                waiting = {incoming, stopping} | ({line} if line else set())
                done, _ = await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
                if stopping in done:
                    await self._leave(connection)
                    return
                if line is not None and line in done:
                    await self._send_line(connection, line.result())
                    line = None
                if incoming in done:
                    try:
                        self._handle(_decode(incoming.result()))
                        while self._outbox:  # a greeting again, in other words
                            await connection.send(_encode(self._outbox.pop(0)))
                    except ConnectionClosed:
                        return  # the caller rejoins, unless the game is over for us
                    if self.in_use:
                        return  # the caller asks the player, without the host waiting
                    incoming = asyncio.create_task(connection.recv())
                    if line is not None and not self._wants_line():
                        line.cancel()  # the question closed: the line waits for the next
                        line = None
        finally:
            for task in (incoming, stopping, line):
                if task is not None:
                    task.cancel()

    def _wants_line(self) -> bool:
        return self.question is not None and not self.answered and not self.waiting_reply

    async def _send_line(self, connection: ClientConnection, text: str | None) -> None:
        if text is None:  # end of input ends the game for us, as in play
            self.ending = Ending.LEFT
            await self._leave(connection)
            return
        if self.question is None:
            return
        if not self.lines.interactive:
            self.view.echo(text)
        self.waiting_reply = True
        message = {"type": "answer", "question": self.question["number"], "text": text}
        await connection.send(_encode(message))

    async def _leave(self, connection: ClientConnection) -> None:
        with contextlib.suppress(ConnectionClosed, OSError):
            await connection.send(_encode({"type": "leave"}))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(connection.close(), 3)

    def _handle(self, message: dict[str, Any]) -> None:
        kind = message.get("type")
        if kind == "welcome":
            self.me, self.token = str(message["name"]), str(message["token"])
            self.replace = True  # from now on, coming back is this seat's own connection
            if self.on_welcome is not None:
                self.on_welcome(self.token)
            self.view.welcome(message)
        elif kind == "lobby":
            latest = message.get("latest")
            names = [str(p) for p in latest] if isinstance(latest, list) else []
            self.view.lobby(_count(message.get("players")), names)
        elif kind == "question":
            if self.lines.interactive and self.lines.drop_waiting():
                self.view.note("Lines typed between questions were not sent.")
            self.question, self.waiting_reply = message, False
            self.answered = bool(message.get("answered"))
            self.view.question(message)
        elif kind in ("accepted", "hint"):
            self.waiting_reply = False
            self.answered = kind == "accepted"
            self.view.reply(message)
        elif kind == "error":
            self._error(message)
        elif kind == "reveal":
            self.question = None
            self.view.reveal(message, self.me)
        elif kind == "over":
            self.question = None
            self.standings = {
                "status": str(message["status"]),
                "questions": _count(message.get("questions")),
                "total": _count(message.get("total")),
                "players": _count(message.get("players")),
                "removed": _count(message.get("removed")),
                "standings": board_rows(message),
                "you": self.me or None,
            }
            self.ending = Ending.OVER
            self.view.over(message, self.me)
        elif kind == "bye":
            self._bye(message)

    def _bye(self, message: dict[str, Any]) -> None:
        reason = message.get("reason")
        self.ending = BYE_ENDINGS.get(str(reason), Ending.LEFT)
        self.message = str(message.get("message", ""))
        if self.ending is not Ending.REMOVED:  # the caller says that one, plainly
            self.view.note(self.message)

    def _error(self, message: dict[str, Any]) -> None:
        self.waiting_reply = False
        code = message.get("code")
        said = str(message.get("message", ""))
        if code == "removed":  # back with our token, after the host removed us
            self.ending, self.message = Ending.REMOVED, said
            return
        if code == "in-use" and not self.me:  # a kept seat, played elsewhere now
            self.in_use, self.message = True, said
            return
        if not self.me and code in REFUSALS:
            self.ending, self.message = Ending.REFUSED, said
            return
        if code == "token" and not self.me:  # a kept seat the host no longer knows
            self.token = None  # so we join afresh, on this connection
            self._outbox.append(self._join())
            return
        if code == "bad-message" and not self.me and not self.replace and self.token:
            self.replace = True  # a host that cannot ask first: rejoin as before
            self._outbox.append(self._rejoin())
            return
        if code == "token":  # our place is gone: nothing to rejoin
            self.ending, self.message = Ending.LOST, str(message.get("message", ""))
            return
        if code == "already-answered":
            self.answered = True
        self.view.reply(message)


def board_rows(message: dict[str, Any]) -> list[Any]:
    """The standings rows of a version 2 ``reveal`` or ``over``, each once, best first:
    the top of the table, then the rows around this player's."""
    rows: dict[int, Any] = {}
    for key in ("top", "near"):
        found = message.get(key)
        for row in found if isinstance(found, list) else []:
            rank = row.get("rank") if isinstance(row, dict) else None
            if isinstance(rank, int) and not isinstance(rank, bool):
                rows.setdefault(rank, row)
    return [rows[rank] for rank in sorted(rows)]


def _count(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _refusal(refused: InvalidStatus) -> str:
    """What the host said when it would not open the connection (a full room, too many
    connections from this address), as one line."""
    response = refused.response
    text = bytes(response.body or b"").decode("utf-8", "replace").strip().splitlines()
    said = text[0][:200] if text else response.reason_phrase
    return visible(f"The host refused the connection ({response.status_code}): {said}")


def _encode(message: dict[str, Any]) -> str:
    import json

    return json.dumps(message, ensure_ascii=False)


def _decode(raw: str | bytes) -> dict[str, Any]:
    import json

    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}
