"""The limits of a quiz night's server, in one place, each documented in docs/live.md.

They bound what one guest can cost the host: connections and the time to join, the
bytes waiting for a client that does not read, wrong join codes, how often the lobby
and the host's notes change. Tests give smaller ones (``Limits(stall=1)``) to reach a
limit in a second rather than ten; the host runs with the defaults, and `host`'s
options change the two a room may need to (``--max-players``, ``--per-address``).
"""

from __future__ import annotations

from dataclasses import dataclass

KIB = 1024


@dataclass(frozen=True)
class Limits:
    per_address: int = 20  # open connections from one address (joined or not)
    unjoined: int = 200  # connections not joined yet, in all; the oldest makes room
    join_timeout: float = 10.0  # seconds to join after connecting
    version1_clients: int = 20  # clients of protocol version 1 in a game (the whole table each)
    write_limit: int = 64 * KIB  # unsent bytes past which a connection is not keeping up...
    stall: float = 10.0  # ...and the seconds it may stay so before it is dropped
    max_unsent: int = 256 * KIB  # unsent bytes past which it is dropped at once
    send_buffer: int = 64 * KIB  # the kernel's send buffer of a connection (SO_SNDBUF)
    ping_interval: float = 10.0  # keepalive: a ping this often...
    ping_timeout: float = 10.0  # ...answered within this, or the connection is dropped
    lobby_every: float = 0.5  # the lobby's news to everyone at most this often (seconds)
    notes_every: float = 5.0  # notes of players' connections on the host's screen, as often
    wrong_codes_per_address: int = 10  # wrong join codes at once from one address...
    wrong_code_every: float = 6.0  # ...then one every this many seconds
    wrong_codes_per_game: int = 100  # wrong join codes at once in the whole game...
    wrong_codes_per_second: float = 1.0  # ...then this many a second


class Bucket:
    """A token bucket: ``burst`` at once, then ``per_second``; time is given, so that
    it is exact under a test's clock."""

    def __init__(self, burst: float, per_second: float, now: float) -> None:
        self.burst = burst
        self.per_second = per_second
        self.tokens = float(burst)
        self.last = now

    def _fill(self, now: float) -> None:
        self.tokens = min(self.burst, self.tokens + (now - self.last) * self.per_second)
        self.last = now

    def ready(self, now: float) -> bool:
        self._fill(now)
        return self.tokens >= 1

    def take(self, now: float) -> bool:
        self._fill(now)
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True

    def full(self, now: float) -> bool:
        self._fill(now)
        return self.tokens >= self.burst

    def wait(self, now: float) -> float:
        """Seconds until the next token."""
        self._fill(now)
        return max(0.0, (1 - self.tokens) / self.per_second)
