"""The standings after a question, and what each player is sent of them.

A player looks at the top of the leaderboard and at their own place: version 2 of the
protocol sends each player the first ``TOP_ROWS`` rows, their own row, and the
``NEAR_ROWS`` rows either side of it, so that a message is the same size in any room
and one reveal to the whole room grows linearly with it (the whole table to everyone
grew with its square). The whole table stays with the host: its screen, its report, its
history, and the version 1 clients it still serves.

Every row is encoded once per question; each player's message is spliced from rows
already encoded, which keeps a reveal to a thousand players to milliseconds.
"""

from __future__ import annotations

import json
from functools import cached_property

from desperado_quiz.live.protocol import BoardJSON, StandingJSON

TOP_ROWS = 5  # the rows a player's screen shows at the top of the leaderboard
NEAR_ROWS = 2  # the rows shown above and below the player's own


class Board:
    """The ranked rows of one moment of the game (best first)."""

    def __init__(self, rows: list[StandingJSON]) -> None:
        self.rows = rows
        self._place = {row["player"]: index for index, row in enumerate(rows)}
        # Players the host removed are listed last, marked, and counted apart: "2nd of 3"
        # counts only the players still ranked.
        self.removed = sum(row["status"] == "removed" for row in rows)

    @property
    def players(self) -> int:
        return len(self.rows)

    def row(self, player: str) -> StandingJSON | None:
        index = self._place.get(player)
        return None if index is None else self.rows[index]

    def view(self, player: str | None) -> BoardJSON:
        """What ``player`` is sent of the standings (version 2)."""
        index = self._place.get(player) if player is not None else None
        near = self._near(index)
        return {
            "players": len(self.rows),
            "removed": self.removed,
            "top": self.rows[:TOP_ROWS],
            "you": None if index is None else self.rows[index],
            "near": [self.rows[i] for i in near],
        }

    def members(self, player: str | None) -> str:
        """``view(player)`` encoded as members of a JSON object, from the rows already
        encoded: the same text as encoding the view itself, much faster."""
        index = self._place.get(player) if player is not None else None
        encoded = self._encoded
        near = ",".join(encoded[i] for i in self._near(index))
        you = "null" if index is None else encoded[index]
        counts = f'"players":{len(self.rows)},"removed":{self.removed}'
        return f'{counts},"top":{self._top},"you":{you},"near":[{near}]'

    def whole(self) -> str:
        """Every row, encoded as the member ``standings`` (version 1)."""
        return f'"standings":[{",".join(self._encoded)}]'

    def _near(self, index: int | None) -> range:
        if index is None:
            return range(0)
        return range(max(index - NEAR_ROWS, 0), min(index + NEAR_ROWS + 1, len(self.rows)))

    @cached_property
    def _encoded(self) -> list[str]:
        return [_encode(row) for row in self.rows]

    @cached_property
    def _top(self) -> str:
        return f"[{','.join(self._encoded[:TOP_ROWS])}]"


def _encode(value: object) -> str:
    """As ``protocol.encode`` writes a message, so that spliced text reads the same."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
