"""The host's open connections: who may open one, who has not joined yet, and who has
stopped reading.

* Joined players and connections are counted apart: the room holds the players (up to
  ``--max-players``); a connection that has not joined takes no seat. At most
  ``Limits.unjoined`` connections wait to join, in all: when they are that many, the
  one that has waited longest is closed to make room, so idle connections can never
  keep a player out (a player joins within milliseconds of connecting).
* One address opens at most ``Limits.per_address`` connections, joined or not, so one
  machine cannot take the room; past that its handshakes get 503, which says why. Its
  sockets are counted from the moment they are accepted, before any handshake: past
  twice its share they are closed at once, so that sockets that never send a request
  cannot use up the host's open files either.
* A WebSocket from a web page must come from the host's own page: a foreign ``Origin``
  is refused (403), as is one that names the host by a name other than its address,
  ``localhost`` or the machine's own name (a page that rebinds its DNS name to the
  host). A client that sends no ``Origin`` (``join``, a script) is not a web page.
* A connection that does not read cannot grow the host's memory: each message is
  written only while less than ``Limits.max_unsent`` bytes wait for it (else it is
  dropped at once), and one whose unsent bytes stay above ``Limits.write_limit`` for
  ``Limits.stall`` seconds is dropped too. The keepalive cannot do this alone: a ping
  waits for the write buffer to drain, which never happens. The kernel's own buffer per
  connection is bounded as well (``Limits.send_buffer``).

Dropping a connection is ``transport.abort()``: a closing handshake would wait for the
very buffer that does not drain.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from websockets.asyncio.server import ServerConnection, broadcast
from websockets.http11 import Request, Response

from desperado_quiz.live.limits import Limits

DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(eq=False)
class Link:
    """One open connection, from its handshake to its close."""

    connection: ServerConnection
    address: str
    opened: float
    version: int = 0  # the protocol version it joined with; 0 until it joins
    name: str | None = None  # the player, once joined
    stalled_since: float | None = None
    dropped: bool = False  # closed by the host for not reading

    @property
    def unsent(self) -> int:
        transport = self.connection.transport
        return transport.get_write_buffer_size() if transport is not None else 0


class Connections:
    def __init__(self, limits: Limits, clock: Callable[[], float], names: Iterable[str]) -> None:
        self.limits = limits
        self.clock = clock
        self.names = {name.casefold() for name in names}  # what a page may call the host
        self.links: dict[ServerConnection, Link] = {}
        self.unjoined: OrderedDict[ServerConnection, Link] = OrderedDict()
        self.per_address: Counter[str] = Counter()
        self.version1 = 0
        self.evicted = 0  # unjoined connections closed to make room
        self.sockets: Counter[str] = Counter()  # accepted sockets, handshake or not
        self._socket_address: dict[ServerConnection, str] = {}

    def connection_class(self) -> type[ServerConnection]:
        """websockets' connection, counted from its socket's accept to its close."""
        doors = self

        class Counted(ServerConnection):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                super().connection_made(transport)
                if not doors.accepted(self):
                    self.transport.abort()

            def connection_lost(self, exc: Exception | None) -> None:
                super().connection_lost(exc)
                doors.lost(self)

        return Counted

    def accepted(self, connection: ServerConnection) -> bool:
        """A socket just accepted: False past twice its address's share."""
        address = peer_address(connection)
        self._socket_address[connection] = address
        self.sockets[address] += 1
        return self.sockets[address] <= 2 * self.limits.per_address

    def lost(self, connection: ServerConnection) -> None:
        address = self._socket_address.pop(connection, None)
        if address is not None:
            self.sockets[address] -= 1
            if self.sockets[address] <= 0:
                del self.sockets[address]
        link = self.links.pop(connection, None)
        if link is None:
            return
        self.unjoined.pop(connection, None)
        self.per_address[link.address] -= 1
        if self.per_address[link.address] <= 0:
            del self.per_address[link.address]
        if link.version == 1:
            self.version1 -= 1

    def admit(self, connection: ServerConnection, request: Request) -> Response | None:
        """A refusal for this handshake, or None: it may open, and is counted."""
        if refusal := origin_refusal(request, self.names):
            return connection.respond(403, refusal)
        address = self._socket_address.get(connection) or peer_address(connection)
        if self.per_address[address] >= self.limits.per_address:
            return connection.respond(503, "Too many connections from your address.\n")
        while len(self.unjoined) >= self.limits.unjoined:
            _, oldest = self.unjoined.popitem(last=False)
            self.evicted += 1
            self.drop(oldest, dropped=False)
        link = Link(connection, address, self.clock())
        self.links[connection] = link
        self.unjoined[connection] = link
        self.per_address[address] += 1
        _send_buffer(connection, self.limits.send_buffer)
        return None

    def joined(self, link: Link, name: str, version: int) -> None:
        self.unjoined.pop(link.connection, None)
        if link.version != 1 and version == 1:
            self.version1 += 1
        link.name, link.version = name, version

    def write(self, link: Link, text: str) -> bool:
        """Queue ``text`` without waiting; a connection already holding too much unsent
        is dropped instead. False when it was."""
        if link.unsent > self.limits.max_unsent:
            self.drop(link)
            return False
        broadcast([link.connection], text)
        return True

    def stalled(self) -> list[Link]:
        """Connections whose unsent bytes stayed above the write limit too long."""
        now, found = self.clock(), []
        for link in self.links.values():
            if link.unsent <= self.limits.write_limit:
                link.stalled_since = None
            elif link.stalled_since is None:
                link.stalled_since = now
            elif now - link.stalled_since >= self.limits.stall:
                found.append(link)
        return found

    def drop(self, link: Link, dropped: bool = True) -> None:
        link.dropped = link.dropped or dropped
        transport = link.connection.transport
        if transport is not None:
            transport.abort()


def peer_address(connection: ServerConnection) -> str:
    """The client's address, as one string per machine (an IPv4 address reached over
    IPv6 is the IPv4 address)."""
    peer = connection.remote_address
    host = str(peer[0]) if peer else "unknown"
    try:
        ip = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return host
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ip)


def origin_refusal(request: Request, names: set[str]) -> str | None:
    """Why a handshake's ``Origin`` is not the host's own page, or None."""
    origins = request.headers.get_all("Origin")
    if not origins:
        return None  # not a browser: join, or a script
    if len(origins) > 1:
        return "One Origin header at most.\n"
    origin = _host_port(origins[0])
    here = _host_port(f"http://{request.headers.get('Host', '')}")
    if origin is None or here is None or origin != here:
        return "A web page may join only from the host's own page.\n"
    if not _known(origin[0], names):
        return "Open the page at the host's address, as its screen shows it.\n"
    return None


def _host_port(url: str) -> tuple[str, int] | None:
    try:
        parts = urlsplit(url)
        port = parts.port or DEFAULT_PORTS.get(parts.scheme)
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname or port is None:
        return None
    return parts.hostname.casefold(), port


def _known(hostname: str, names: set[str]) -> bool:
    """An address, or a name of this machine: not a name someone else's DNS decides."""
    with contextlib.suppress(ValueError):
        ipaddress.ip_address(hostname)
        return True
    return hostname in names


def machine_names() -> list[str]:
    """The names a page on this network may call the host by."""
    name = socket.gethostname()
    return ["localhost", name, f"{name}.local"]


def _send_buffer(connection: ServerConnection, size: int) -> None:
    transport = connection.transport
    sock = transport.get_extra_info("socket") if transport is not None else None
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, size)
