"""Wrong join codes, rate-limited per address and per game, and the host told.

Anyone on the network can try codes, so the code is only as strong as the number of
tries it allows. Each address may give ``wrong_codes_per_address`` wrong codes at once,
then one every ``wrong_code_every`` seconds; the whole game allows
``wrong_codes_per_game`` at once, then ``wrong_codes_per_second``, whatever the number
of addresses. Past either, a code is not even compared: the join is refused with
``code-limit`` and the seconds to wait. At one wrong code a second, a 5-character code
(33 million) stands over a thousand hours on average.

The room decides when a code is compared (never after the start, never for an unknown
token), through the ``CodeGate`` it is given; this decides whether it may be now.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable

from desperado_quiz.live.limits import Bucket, Limits
from desperado_quiz.live.room import Refused

ADDRESSES_KEPT = 4096  # buckets kept (least recently used go first: memory stays bounded)


class CodeGuard:
    def __init__(
        self, limits: Limits, clock: Callable[[], float], alarm: Callable[[str], None]
    ) -> None:
        self.limits = limits
        self.clock = clock
        self.alarm = alarm  # a line for the host's screen
        self._game = Bucket(limits.wrong_codes_per_game, limits.wrong_codes_per_second, clock())
        self._addresses: OrderedDict[str, Bucket] = OrderedDict()
        self._alarmed: set[str] = set()  # addresses (and "" for the game) told about
        self.wrong = 0  # wrong codes in all, for the host's notes

    def gate(self, address: str) -> AddressGate:
        return AddressGate(self, address)

    def check(self, address: str) -> None:
        """``Refused`` (``code-limit``) when a code from ``address`` may not be compared
        now; nothing is taken: only wrong codes count."""
        now = self.clock()
        bucket = self._addresses.get(address)
        if bucket is not None and not bucket.ready(now):
            seconds = math.ceil(bucket.wait(now))
            raise Refused(
                "code-limit",
                f"Too many wrong codes from your address: try again in {seconds} s.",
            )
        if not self._game.ready(now):
            seconds = math.ceil(self._game.wait(now))
            raise Refused(
                "code-limit",
                f"Too many wrong codes in this game just now: try again in {seconds} s.",
            )

    def wrong_code(self, address: str) -> None:
        now = self.clock()
        self.wrong += 1
        bucket = self._bucket(address, now)
        for who, allowance in ((address, bucket), ("", self._game)):
            if allowance.full(now):  # a new spell: its end will be told again
                self._alarmed.discard(who)
            allowance.take(now)
        if not bucket.ready(now):
            self._tell(address, f"Someone at {address} is guessing the join code")
        if not self._game.ready(now):
            self._tell("", "Someone is guessing the join code from many addresses")

    def _bucket(self, address: str, now: float) -> Bucket:
        bucket = self._addresses.get(address)
        if bucket is None:
            limits = self.limits
            every = 1 / limits.wrong_code_every
            bucket = Bucket(limits.wrong_codes_per_address, every, now)
            self._addresses[address] = bucket
            while len(self._addresses) > ADDRESSES_KEPT:
                forgotten, _ = self._addresses.popitem(last=False)
                self._alarmed.discard(forgotten)
        self._addresses.move_to_end(address)
        return bucket

    def _tell(self, who: str, what: str) -> None:
        """Once a guessing spell (until that allowance is whole again), not once a guess."""
        if who not in self._alarmed:
            self._alarmed.add(who)
            self.alarm(f"{what} ({self.wrong} wrong codes so far): its tries now wait.")


class AddressGate:
    """The ``CodeGate`` of one connection's address."""

    def __init__(self, guard: CodeGuard, address: str) -> None:
        self.guard = guard
        self.address = address

    def check(self) -> None:
        self.guard.check(self.address)

    def wrong(self) -> None:
        self.guard.wrong_code(self.address)
