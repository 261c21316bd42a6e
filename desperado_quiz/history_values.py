"""What a value read back from a history may be. No terminal I/O.

A history is untrusted data: SQLite keeps whatever a file holds, whatever a column was
declared as (a blob where a name should be, text where a score should be, a due date of
``9999-99-99``, a player name of 50 MB). Every value the history hands on goes through
one of these checks first: of its type, its range and its length. A value that fails
raises ``ValueError`` or ``TypeError``, which the history turns into an error that says
so (or, for a study card, a card started anew), never a crash further on; a text longer
than any desperado-quiz writes is cut, so that showing it costs nothing.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

# A name of ours has at most 40 characters; ids, times and statuses fewer than 100.
MAX_TEXT_CHARS = 200
MAX_GIVEN_CHARS = 1_000  # an answer as typed: the game refuses a longer line
MAX_KEY_CHARS = 100_000  # an id or a category: no line of a question file is longer
MAX_LIST_ITEMS = 10_000  # players, banks, filters or questions of one game
MAX_JSON_CHARS = 1_000_000  # a game's settings; ours take a few hundred characters
CUT = "…"
T = TypeVar("T")
_LIST_KEYS = ("banks", "categories", "difficulties", "tags", "questions", "players")


def text(value: object, limit: int = MAX_TEXT_CHARS) -> str:
    """A text, cut to ``limit`` characters (the last one an ellipsis) when longer."""
    if not isinstance(value, str):
        raise TypeError(f"a text is {type(value).__name__}")
    return value if len(value) <= limit else value[: limit - 1] + CUT


def key(value: object) -> str:
    """A bank or question id, a category or a difficulty: never cut short, so that it
    still finds its question, unless no question file could hold it."""
    return text(value, MAX_KEY_CHARS)


def integer(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"a whole number is {type(value).__name__}")
    return value


def real(value: object) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise TypeError(f"a number is {type(value).__name__}")
    if not math.isfinite(value):
        raise ValueError("a number is not finite")
    return float(value)


def moment(value: object) -> str:
    """A point in time, as an ISO 8601 text in UTC: a date that is not one
    (``9999-99-99``), or one without its time zone, is refused."""
    when = datetime.fromisoformat(text(value, 64))
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError("a time without its time zone")
    try:
        return when.astimezone(UTC).isoformat()
    except OverflowError:  # year 1 or 9999 moved past the calendar's end
        raise ValueError("a time out of range") from None


def texts(raw: object) -> list[str]:
    """A JSON list of texts (a game's players or banks)."""
    return _text_list(_json(raw), "a list")


def options(raw: object) -> dict[str, Any]:
    """A game's settings: a JSON object whose lists hold texts, whose timer is a number
    and whose mode is a text. Texts are cut, lists kept to ``MAX_LIST_ITEMS``."""
    value = _json(raw)
    if not isinstance(value, dict):
        raise TypeError("a game's settings are not an object")
    kept: dict[str, Any] = {}
    for key, item in list(value.items())[:100]:
        if key in _LIST_KEYS:
            kept[key] = _text_list(item, key)
        elif key in ("timer", "pass_mark"):  # checked, and kept as written (70, not 70.0)
            _maybe(item, real)
            kept[key] = item
        elif key == "count":
            kept[key] = _maybe(item, integer)
        elif key in ("mode", "turns"):
            kept[key] = text(item)
        elif isinstance(item, bool | int | float | type(None)):
            kept[text(key)] = item
        elif isinstance(item, str):
            kept[text(key)] = text(item)
    return kept


def card(raw: object) -> dict[str, Any]:
    """A study card as FSRS keeps it (``fsrs.Card.to_dict``), with every field that
    FSRS reads in its range, so that scheduling it can never fail."""
    value = _json(raw)
    if not isinstance(value, dict):
        raise TypeError("a card is not an object")
    state = integer(value.get("state"))
    step = _maybe(value.get("step"), integer)
    stability = _maybe(value.get("stability"), real)
    difficulty = _maybe(value.get("difficulty"), real)
    if state not in (1, 2, 3) or not 0 <= (step or 0) < 100:
        raise ValueError("a card's state or step is out of range")
    if not 0 < (stability or 1) <= 1e6 or not 0 < (difficulty or 1) <= 10:
        raise ValueError("a card's stability or difficulty is out of range")
    return {
        "card_id": integer(value.get("card_id")),
        "state": state,
        "step": step,
        "stability": stability,
        "difficulty": difficulty,
        "due": moment(value.get("due")),
        "last_review": _maybe(value.get("last_review"), moment),
    }


def _maybe(value: object, check: Callable[[object], T]) -> T | None:
    return None if value is None else check(value)


def _json(raw: object) -> Any:
    if not isinstance(raw, str):
        raise TypeError(f"a JSON value is {type(raw).__name__}")
    if len(raw) > MAX_JSON_CHARS:
        raise ValueError(f"a JSON value longer than {MAX_JSON_CHARS:,} characters")
    try:
        return json.loads(raw)
    except RecursionError:  # nested deeper than Python's stack
        raise ValueError("a JSON value nested too deep") from None


def _text_list(value: object, what: str) -> list[str]:
    if not isinstance(value, list):
        raise TypeError(f"{what} is not a list")
    return [text(item) for item in value[:MAX_LIST_ITEMS]]
