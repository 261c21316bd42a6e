"""Players' comings and goings, as lines on the host's screen, at most one line every
``every`` seconds: a player who drops and rejoins in a loop, or a room whose Wi-Fi
hiccups, makes one line a few seconds, and the question stays in the room's view.

The first news after a quiet spell is shown at once, as it always was ("Ann is back.");
what comes within the next ``every`` seconds waits, and is told in one line, by kind
of news: each player once, named with how many times they came back, at most
``NAMES_PER_KIND`` of each kind, then how many more.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

NAMES_PER_KIND = 5


class News(StrEnum):
    BACK = "is back"
    LOST = "lost the connection (can rejoin)"
    LEFT = "left"
    DROPPED = "was not reading and was disconnected (can rejoin)"


HEADINGS = {  # the news of several players, in this order
    News.DROPPED: "Not reading, so disconnected (can rejoin)",
    News.LOST: "Lost the connection (can rejoin)",
    News.BACK: "Back",
    News.LEFT: "Left",
}


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
        if len(self._news) == 1:
            ((name, player),) = self._news.items()
            shown = f"{name} {player.last}{_times(player)}"
        else:
            shown = ". ".join(
                f"{heading}: {_names(news, self._news)}"
                for news, heading in HEADINGS.items()
                if any(player.last is news for player in self._news.values())
            )
        self._news.clear()
        self._shown_at = self.clock()
        return f"{shown}."


def _names(news: News, players: dict[str, _Player]) -> str:
    named = [f"{name}{_times(p)}" for name, p in players.items() if p.last is news]
    more = len(named) - NAMES_PER_KIND
    return ", ".join(named[:NAMES_PER_KIND]) + (f" and {more} more" if more > 0 else "")


def _times(player: _Player) -> str:
    return f" (came back {player.returns} times)" if player.returns > 1 else ""
