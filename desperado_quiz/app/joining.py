"""Joining a quiz night as calls: the host's address and code checked, and a seat played
through to the end. The seat's token is kept on this machine until the game ends for the
player, so that a terminal closed or killed gets back in with the same `join`."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from desperado_quiz.app.errors import CommandError
from desperado_quiz.game.settings import SettingsError
from desperado_quiz.live import seats
from desperado_quiz.live.client import (
    AddressError,
    ClientView,
    Ending,
    Lines,
    Player,
    address_parts,
)
from desperado_quiz.live.protocol import StandingsJSON
from desperado_quiz.live.room import check_code


def host_address(address: str) -> tuple[str, str | None]:
    """The WebSocket URL of the host at ``address`` (``HOST:PORT`` or the http:// address
    from the host's screen), and the join code it carries, if any."""
    try:
        return address_parts(address)
    except AddressError as error:
        raise CommandError(f"{error}.", error.hint) from None


KEPT = (Ending.LOST, Ending.REPLACED, Ending.ELSEWHERE)  # the seat's token is still needed


@dataclass(frozen=True)
class Played:
    """How the game ended for the player, why (the host's words), and the standings."""

    ending: Ending
    message: str
    standings: StandingsJSON | None


@dataclass(frozen=True)
class Seat:
    """A player's place in a quiz night, to be played with a screen and a keyboard."""

    url: str
    code: str
    name: str

    def play(self, view: ClientView, lines: Lines) -> Played:
        """Join (or rejoin with the token kept from a closed terminal, once the player
        says so if another terminal plays that seat now), play until the game ends for
        the player, and forget the token unless the seat goes on: a lost connection may
        still be rejoined, and a seat played from another terminal is that one's."""
        player = Player(self.url, self.code, self.name, view, lines)
        player.token = seats.remembered(self.url, self.code, self.name)
        player.on_welcome = self._remember
        ending = asyncio.run(player.run())
        if ending not in KEPT:
            seats.forget(self.url, self.code, self.name)
        return Played(ending, player.message, player.standings)

    def _remember(self, token: str) -> None:
        seats.remember(self.url, self.code, self.name, token)


def take_seat(url: str, code: str, name: str) -> Seat:
    """A seat at the host ``url`` with the join ``code``, checked (any case)."""
    try:
        return Seat(url, check_code(code), name)
    except SettingsError as error:
        raise CommandError(f"{error}.") from None
