"""Players' comings and goings, as lines on the host's screen, at most one line every
``every`` seconds: a player who drops and rejoins in a loop, or a room whose Wi-Fi
hiccups, makes one line a few seconds, and the question stays in the room's view.

The first news after a quiet spell is shown at once, as it always was ("Ann is back.");
what comes within the next ``every`` seconds waits, and is told in one line: each
player once, with how many times they came back, then how many more players.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

NAMES_PER_LINE = 5


class News(StrEnum):
    BACK = "is back"
    LOST = "lost the connection (can rejoin)"
    LEFT = "left"
    DROPPED = "was not reading and was disconnected (can rejoin)"


@dataclass
class _Player:
    last: News
    returns: int = 0


class Notes:
    def __init__(self, every: float, clock: Callable[[], float]) -> None:
        self.every = every
        self.clock = clock
        self._news: dict[str, _Player] = {}
        self._shown_at: float | None = None

    def add(self, name: str, news: News) -> None:
        player = self._news.setdefault(name, _Player(news))
        player.last = news
        player.returns += news is News.BACK

    def wait(self) -> float:
        """Seconds until a line may be shown (0: now)."""
        if self._shown_at is None:
            return 0.0
        return max(0.0, self._shown_at + self.every - self.clock())

    def line(self) -> str | None:
        """The news since the last line, if it may be shown now."""
        if not self._news or self.wait() > 0:
            return None
        parts = [_told(name, player) for name, player in self._news.items()]
        more = len(parts) - NAMES_PER_LINE
        shown = "; ".join(parts[:NAMES_PER_LINE])
        if more > 0:
            shown += f"; and {more} more player{'s' if more > 1 else ''}"
        self._news.clear()
        self._shown_at = self.clock()
        return f"{shown}."


def _told(name: str, player: _Player) -> str:
    told = f"{name} {player.last}"
    if player.returns > 1:
        told += f" (came back {player.returns} times)"
    return told
