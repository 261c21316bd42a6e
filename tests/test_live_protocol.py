"""The live protocol and room, without a network: what a client may send, and what the
room makes of it (join code, names, tokens, the question's number, the tally)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desperado_quiz.game import Status
from desperado_quiz.game.settings import SettingsError
from desperado_quiz.live.protocol import (
    MAX_MESSAGE_BYTES,
    Answer,
    Hint,
    Join,
    Leave,
    ProtocolError,
    Rejoin,
    parse,
)
from desperado_quiz.live.room import Refused, Room, check_code, new_code
from tests.live_support import fixture_game


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ('{"type": "join", "version": 1, "code": "ABCD", "name": "Ann"}', Join),
        ('{"type": "rejoin", "version": 1, "code": "ABCD", "token": "t"}', Rejoin),
        ('{"type": "answer", "question": 2, "text": "Los Lobos"}', Answer),
        ('{"type": "hint", "question": 1}', Hint),
        ('{"type": "leave"}', Leave),
    ],
)
def test_each_message_type_is_read(raw: str, kind: type) -> None:
    assert isinstance(parse(raw), kind)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("not json", "bad-json"),
        ('{"type": "answer", "question": 1, "text": "a"', "bad-json"),
        ("[" * 5000, "too-big"),
        ("[" * 4000, "bad-json"),  # nested too deep to read: refused, never a crash
        ("[1, 2]", "bad-message"),
        ('"answer"', "bad-message"),
        ("{}", "unknown-type"),
        ('{"type": "shoot"}', "unknown-type"),
        ('{"type": 7}', "unknown-type"),
        ('{"type": "answer", "question": 1}', "bad-message"),
        ('{"type": "answer", "question": "1", "text": "a"}', "bad-message"),
        ('{"type": "answer", "question": true, "text": "a"}', "bad-message"),
        ('{"type": "answer", "question": 0, "text": "a"}', "bad-message"),
        ('{"type": "answer", "question": 1, "text": "a", "score": 9999}', "bad-message"),
        (
            '{"type": "join", "version": 1, "code": "ABCD", "name": "' + "x" * 300 + '"}',
            "bad-message",
        ),
        ('{"type": "leave", "player": "Bob"}', "bad-message"),
        (b'{"type": "leave"}', "bad-message"),  # a binary frame
        ('{"type": "answer", "question": 1, "text": "' + "é" * 2100 + '"}', "too-big"),
    ],
)
def test_anything_else_is_refused_with_a_reason(raw: str | bytes, code: str) -> None:
    with pytest.raises(ProtocolError) as refused:
        parse(raw)
    assert refused.value.code == code
    assert "x" * 50 not in refused.value.message  # the client's value is never echoed


def test_the_size_limit_counts_bytes() -> None:
    text = "a" * (MAX_MESSAGE_BYTES - 60)
    assert isinstance(parse(json.dumps({"type": "answer", "question": 1, "text": text})), Answer)


def test_codes() -> None:
    assert len(new_code()) == 5
    assert new_code() != new_code()
    assert check_code(" night ") == "NIGHT"
    for bad in ("abc", "a b c d", "x" * 13, "CODE!"):
        with pytest.raises(SettingsError):
            check_code(bad)


def room(*ids: str) -> Room:
    return Room(fixture_game(ids or ("director", "score-band"), timer=20), "NIGHT")


def test_joining_takes_the_code_in_any_case_and_a_free_name() -> None:
    game = room()
    assert game.join("night", "  Ann  ").name == "Ann"
    for code, name, why in [
        ("WRONG", "Bob", "code"),
        ("NIGHT", "ann", "name"),
        ("NIGHT", "", "name"),
        ("NIGHT", "Bob\x1b[31m", "name"),
        ("NIGHT", "B" * 41, "name"),
    ]:
        with pytest.raises(Refused) as refused:
            game.join(code, name)
        assert refused.value.code == why
        assert refused.value.message.endswith(".")
    assert game.players == ["Ann"]


def test_a_token_brings_a_player_back_and_leaving_ends_it() -> None:
    game = room()
    ann = game.join("NIGHT", "Ann")
    ann.connected = False
    assert game.rejoin("NIGHT", ann.token) is ann
    assert ann.connected
    with pytest.raises(Refused, match="token"):
        game.rejoin("NIGHT", "forged")
    with pytest.raises(Refused, match="code"):
        game.rejoin("OTHER", ann.token)
    assert game.leave("Ann")
    with pytest.raises(Refused):
        game.rejoin("NIGHT", ann.token)


def test_nobody_joins_once_the_game_has_started() -> None:
    game = room()
    game.join("NIGHT", "Ann")
    game.open_question()
    with pytest.raises(Refused) as refused:
        game.join("NIGHT", "Bob")
    assert refused.value.code == "started"


def test_answers_name_the_open_question_and_count_once() -> None:
    game = room()
    game.join("NIGHT", "Ann")
    game.join("NIGHT", "Bob")
    assert game.answer("Ann", 1, "Rodriguez")["type"] == "error"  # no question open yet
    game.open_question()
    assert game.answer("Ann", 2, "Rodriguez") == {
        "type": "error",
        "code": "wrong-question",
        "message": "Question 2 is not open; question 1 is.",
    }
    assert game.answer("Ann", 1, "hint") == {"type": "hint", "question": 1, "text": None}
    assert game.answer("Ann", 1, "Rodriguez")["type"] == "accepted"
    assert game.answer("Ann", 1, "Quentin Tarantino")["code"] == "already-answered"  # type: ignore[typeddict-item]
    assert not game.everyone_answered()
    assert game.answer("Bob", 1, "\x1b[2J")["code"] == "not-an-answer"  # type: ignore[typeddict-item]
    assert game.answer("Bob", 1, "Tarantino")["type"] == "accepted"
    assert game.everyone_answered()
    closed = game.close_question()
    assert closed is not None
    standings = closed.board.rows
    assert [(r["player"], r["verdict"], r["rank"]) for r in standings] == [
        ("Ann", "right", 1),
        ("Bob", "wrong", 2),
    ]
    assert closed.reveal["tally"] == [
        {"answer": "Robert Rodriguez", "count": 1, "right": True},
        {"answer": "Tarantino", "count": 1, "right": False},
    ]


def test_typed_answers_are_tallied_by_what_they_say_not_how_they_are_spelt() -> None:
    game = room("director")
    typed = {
        "Ann": "Rodriguez",
        "Bob": "robert rodriguez",
        "Cy": "Rodrigez",
        "Di": "tarantino",
        "Ed": "Tarantino",
        "Flo": "Tarantino ",
        "Gus": "Cameron",
    }
    for name in typed:
        game.join("NIGHT", name)
    game.open_question()
    for name, answer in typed.items():
        assert game.answer(name, 1, answer)["type"] == "accepted"
    closed = game.close_question()
    assert closed is not None
    assert closed.reveal["tally"] == [
        {"answer": "Robert Rodriguez", "count": 3, "right": True},
        {"answer": "Tarantino", "count": 3, "right": False},
        {"answer": "Cameron", "count": 1, "right": False},
    ]


def test_a_player_who_left_does_not_hold_the_question_open() -> None:
    game = room()
    for name in ("Ann", "Bob", "Cy"):
        game.join("NIGHT", name)
    game.open_question()
    game.answer("Ann", 1, "Rodriguez")
    game.disconnect("Bob")  # gone without a word: the clock decides for Bob
    assert not game.everyone_answered()
    assert game.answer("Cy", 1, "quit")["type"] == "bye"  # play's command word: Cy leaves
    assert game.players == ["Ann", "Bob"]
    assert game.everyone_answered()
    result = game.stop(Status.INTERRUPTED)
    assert result.ranked[0].player == "Ann"
    over = game.over_message(result)
    assert over["status"] == "interrupted"
    assert {r["player"]: r["status"] for r in over["standings"]} == {
        "Ann": "ended-by-host",  # the host ended the game: they did not quit
        "Bob": "ended-by-host",
        "Cy": "quit",
    }


def _everyone_answered(game: Room) -> bool:
    """The definition the room's kept sets stand for: every connected player still in
    the game has answered (and someone is connected)."""
    status = {s.player: s.status for s in game.engine.sessions}
    here = [n for n, seat in game.seats.items() if seat.connected and status[n] in IN_GAME]
    return bool(here) and all(game.engine.answered(n) for n in here)


def _progress(game: Room) -> tuple[int, int]:
    """Who answered the open question (a skip is no answer), of who is in the game."""
    playing = [s for s in game.engine.sessions if s.status in IN_GAME]
    answered = [
        s for s in playing if game.engine.answered(s.player) and s.outcomes[-1].verdict != "skipped"
    ]
    return len(answered), len(playing)


IN_GAME = (Status.PLAYING, Status.FINISHED)
STEPS = st.lists(
    st.tuples(
        st.sampled_from(["answer", "skip", "drop", "back", "leave", "remove", "next"]),
        st.integers(0, 4),
    ),
    max_size=30,
)


@settings(max_examples=60, deadline=None)
@given(STEPS)
def test_who_has_answered_is_kept_as_players_come_and_go(steps: list[tuple[str, int]]) -> None:
    """The room keeps who is here and who has answered as it goes, so that an answer
    costs the same in any room: at every step it agrees with counting them afresh."""
    game = room("director", "score-band", "release-year")
    names = [f"P{i}" for i in range(5)]
    tokens = {name: game.join("NIGHT", name).token for name in names}
    game.open_question()
    for step, index in steps:
        name = names[index]
        if game.state != "question":
            break
        if step in ("answer", "skip") and name in game.seats:
            line = "Rodriguez" if step == "answer" else "skip"
            game.answer(name, game.engine.question_number, line)
        elif step == "drop":
            game.disconnect(name)
        elif step == "back" and name in game.seats:
            game.rejoin("NIGHT", tokens[name])
        elif step in ("leave", "remove"):
            game.leave(name, removed=step == "remove")
        elif step == "next":
            game.close_question()
            game.open_question()
        if game.state == "question":
            assert game.everyone_answered() == _everyone_answered(game)
            assert game.progress() == _progress(game)
