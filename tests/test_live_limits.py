"""The quiz night's limits as pure objects under a test's clock: wrong join codes per
address and per game (issue 24, item 1), the host's notes of comings and goings
(item 4), and each player's view of the standings (issue 25). The same limits against
a host on 127.0.0.1 are in test_live_hardening.py."""

from __future__ import annotations

import json
import random

import pytest

from desperado_quiz.live.board import NEAR_ROWS, TOP_ROWS, Board
from desperado_quiz.live.guard import CodeGuard
from desperado_quiz.live.limits import Limits
from desperado_quiz.live.notes import News, Notes
from desperado_quiz.live.protocol import StandingJSON, encode, splice
from desperado_quiz.live.room import Refused, Room
from tests.live_support import fixture_game


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def guarded() -> tuple[CodeGuard, Clock, list[str]]:
    clock, told = Clock(), []
    return CodeGuard(Limits(), clock, told.append), clock, told


def guess(guard: CodeGuard, address: str, code: str = "WRONG") -> str:
    """What a join from ``address`` with ``code`` gets: a seat, or the refusal's code."""
    room = Room(fixture_game(["director"], timer=20), "NIGHT")
    try:
        room.join(code, "Eve", guard.gate(address))
    except Refused as refused:
        return refused.code
    return "welcome"


def test_an_address_gets_ten_wrong_codes_then_one_every_six_seconds() -> None:
    guard, clock, told = guarded()
    assert [guess(guard, "10.0.0.7") for _ in range(10)] == ["code"] * 10
    assert guess(guard, "10.0.0.7") == "code-limit"
    assert guess(guard, "10.0.0.7", "NIGHT") == "code-limit"  # not compared: no oracle
    assert guess(guard, "10.0.0.8", "NIGHT") == "welcome"  # another address is not held
    assert told == [
        "Someone at 10.0.0.7 is guessing the join code (10 wrong codes so far): its tries now wait."
    ]
    clock.now += 6
    assert guess(guard, "10.0.0.7") == "code"
    assert guess(guard, "10.0.0.7") == "code-limit"
    clock.now += 6
    assert guess(guard, "10.0.0.7", "NIGHT") == "welcome"


def test_the_game_gets_a_hundred_wrong_codes_then_one_a_second_whatever_the_address() -> None:
    guard, clock, told = guarded()
    addresses = [f"10.0.{i // 250}.{i % 250}" for i in range(200)]
    results = [guess(guard, address) for address in addresses[:100]]
    assert results == ["code"] * 100
    assert guess(guard, addresses[100]) == "code-limit"
    assert guess(guard, addresses[101], "NIGHT") == "code-limit"  # held too, for now
    assert told[-1].startswith("Someone is guessing the join code from many addresses")
    clock.now += 1
    assert guess(guard, addresses[102]) == "code"
    assert guess(guard, addresses[103]) == "code-limit"
    clock.now += 1
    assert guess(guard, addresses[104], "NIGHT") == "welcome"


def test_the_host_is_told_once_a_spell_not_once_a_guess() -> None:
    guard, clock, told = guarded()
    for _ in range(40):
        guess(guard, "10.0.0.7")
    assert len(told) == 1
    clock.now += 10 * 6  # the address's allowance is whole again: a new spell
    for _ in range(11):
        guess(guard, "10.0.0.7")
    assert len(told) == 2


def test_notes_are_one_line_at_a_time_and_say_how_often_a_player_came_back() -> None:
    clock = Clock()
    notes = Notes(5.0, clock)
    notes.add("Bob", News.LOST)
    assert notes.line() == "Bob lost the connection (can rejoin)."
    for _ in range(14):
        notes.add("Mal", News.LOST)
        notes.add("Mal", News.BACK)
    notes.add("Ann", News.LEFT)
    assert notes.wait() == 5.0
    assert notes.line() is None  # within five seconds of the last line: it waits
    clock.now += 5
    assert notes.line() == "Back: Mal (came back 14 times). Left: Ann."
    for index in range(8):
        notes.add(f"P{index}", News.DROPPED)
    for index in range(150):
        notes.add(f"Insider {index}", News.LEFT)
    clock.now += 5
    assert notes.line() == (
        "Not reading, so disconnected (can rejoin): P0, P1, P2, P3, P4 and 3 more. "
        "Left: Insider 0, Insider 1, Insider 2, Insider 3, Insider 4 and 145 more."
    )
    notes.add("Mal", News.BACK)
    notes.add("Mal", News.LOST)
    notes.add("Mal", News.BACK)
    clock.now += 5
    assert notes.line() == "Mal is back (came back 2 times)."


def rows(count: int) -> list[StandingJSON]:
    return [
        {
            "rank": rank,
            "player": f"P{rank}",
            "score": 1000 - rank,
            "gained": 0,
            "moved": 0,
            "verdict": "right",
            "right": 1,
            "answered": 1,
            "best_streak": 1,
            "status": "playing",
            "connected": True,
        }
        for rank in range(1, count + 1)
    ]


@pytest.mark.parametrize("count", [1, 2, 5, 8, 30, 1000])
def test_a_players_view_is_the_top_their_row_and_the_rows_around_it(count: int) -> None:
    board = Board(rows(count))
    for rank in sorted({1, 2, 3, count // 2 + 1, count - 1, count} & set(range(1, count + 1))):
        view = board.view(f"P{rank}")
        assert view["players"] == count
        assert [r["rank"] for r in view["top"]] == list(range(1, min(count, TOP_ROWS) + 1))
        assert view["you"] is not None
        assert view["you"]["rank"] == rank
        first, last = max(rank - NEAR_ROWS, 1), min(rank + NEAR_ROWS, count)
        assert [r["rank"] for r in view["near"]] == list(range(first, last + 1))
    assert board.view("nobody") == {
        "players": count,
        "removed": 0,
        "top": board.rows[:TOP_ROWS],
        "you": None,
        "near": [],
    }


def test_a_spliced_message_is_the_message_encoded_whole() -> None:
    board = Board(rows(300))
    reveal = {"type": "reveal", "number": 1, "answer": "Los Lobos \u2713", "last": False}
    common = encode(reveal)
    for player in [*random.Random(1).sample([f"P{i}" for i in range(1, 301)], 40), "x"]:
        spliced = splice(common, board.members(player))
        assert spliced == encode({**reveal, **board.view(player)})
    whole = json.loads(splice(common, board.whole()))
    assert whole["standings"] == board.rows  # version 1: every row


def test_a_message_is_the_same_size_in_a_room_of_ten_or_of_a_thousand() -> None:
    small = len(Board(rows(10)).members("P7"))
    big = len(Board(rows(1000)).members("P777"))
    assert big < small + 100  # longer rank numbers and names, not more rows
