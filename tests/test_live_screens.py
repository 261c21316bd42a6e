"""What the live game shows people: names and answers from the network are shown as
they are, never obeyed (no Rich markup, no terminal escapes); the report is safe in a
spreadsheet."""

from __future__ import annotations

import csv
import dataclasses
import io
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

from desperado_quiz.app.hosting import report_text
from desperado_quiz.cli import app
from desperado_quiz.game import Status
from desperado_quiz.game.results import game_json
from desperado_quiz.live.client import address_parts
from desperado_quiz.live.room import Closed, Room
from desperado_quiz.ui.console import THEME
from desperado_quiz.ui.host import HostScreen, podium_view, qr_code
from desperado_quiz.ui.joining import JoinScreen, ordinal
from desperado_quiz.ui.play import NO_PLACE, READING_WIDTH
from tests.live_support import fixture_game

HOSTILE = "[bold red]boss[/] \x1b]0;owned\x07"


def console() -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    out = Console(file=buffer, width=100, theme=THEME, color_system=None, force_terminal=False)
    return out, buffer


def played(*more: str) -> Room:
    room = Room(fixture_game(["director", *more], timer=20), "NIGHT")
    room.join("NIGHT", "=cmd|' /C calc'!A0")
    room.join("NIGHT", "[red]Ann[/red]")
    room.open_question()
    room.answer("=cmd|' /C calc'!A0", 1, "Robert Rodriguez")
    room.answer("[red]Ann[/red]", 1, "[blink]Tarantino[/blink]")
    return room


def test_the_host_shows_names_and_answers_as_typed() -> None:
    room = played("score-band")  # a question to come: the leaderboard is shown
    closed = room.close_question()
    assert closed is not None
    out, buffer = console()
    screen = HostScreen(out)
    screen.revealed(closed)
    screen.note(HOSTILE)
    shown = buffer.getvalue()
    assert "[red]Ann[/red]" in shown
    assert "[blink]Tarantino[/blink]" in shown
    assert "\x1b" not in shown
    assert "\\x1b]0;owned\\x07" in shown


def test_the_player_shows_what_the_server_sent_as_text() -> None:
    out, buffer = console()
    screen = JoinScreen(out)
    message: dict[str, Any] = {
        "type": "question",
        "number": 1,
        "total": 2,
        "text": HOSTILE,
        "category": HOSTILE,
        "options": [{"letter": "A", "text": HOSTILE}, "not an option"],
        "how": HOSTILE,
        "seconds": "twenty",
        "seconds_left": None,
    }
    screen.question(message)
    hostile_row = {"player": HOSTILE, "rank": 1, "verdict": 3, "score": "many"}
    screen.reveal({"top": [hostile_row, "not a row"], "you": hostile_row, "players": "x"}, "")
    shown = buffer.getvalue()
    assert "[bold red]boss[/]" in shown
    assert "\x1b" not in shown


def test_the_player_far_down_sees_their_place_the_top_and_a_gap() -> None:
    def row(rank: int) -> dict[str, Any]:
        return {"rank": rank, "player": f"P{rank}", "score": 2000 - rank, "right": 1}

    out, buffer = console()
    you = {**row(500), "verdict": "wrong", "gained": 0}
    message = {
        "type": "over",
        "status": "finished",
        "questions": 5,
        "players": 1000,
        "top": [row(rank) for rank in range(1, 6)],
        "you": you,
        "near": [row(498), row(499), you, row(501), row(502)],
    }
    JoinScreen(out).over(message, "P500")
    shown = buffer.getvalue()
    assert "You finished 500th of 1,000 with 1500 points." in shown
    ranks = [line.split()[1] for line in shown.splitlines() if line.startswith("│")]
    assert ranks == ["1.", "2.", "3.", "4.", "5.", "…", "498.", "499.", "500.", "501.", "502."]
    assert "P500 (you)" in shown


def test_the_player_is_told_when_the_host_ended_the_game_early() -> None:
    endings = {
        ("finished", 5): "Game over\n",
        ("interrupted", 3): "Game over: the host ended the game at question 3 of 5.\n",
        ("quit", 0): "Game over: the host ended the game before the first question.\n",
    }
    for (status, questions), heading in endings.items():
        out, buffer = console()
        message = {"status": status, "questions": questions, "total": 5, "standings": []}
        JoinScreen(out).over(message, "Ann")
        assert heading in buffer.getvalue()


def test_the_countdown_line_says_the_question_closed_and_how_many_answered(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TERM", "xterm")  # a terminal that can rewrite a line
    buffer = io.StringIO()
    out = Console(file=buffer, width=100, theme=THEME, color_system=None, force_terminal=True)
    screen = HostScreen(out)
    room = Room(fixture_game(["director"], timer=20), "NIGHT")
    room.join("NIGHT", "Ann")
    room.join("NIGHT", "Bob")
    room.open_question()
    rewrite = "\x1b7\x1b[1A\r\x1b[2K{}\x1b8"  # the line above the host's typing
    screen.tick(12.4, 0, 2)
    screen.tick(11.4, 0, 2)
    screen.typed()  # the host pressed Enter: the countdown goes on on a new line
    screen.tick(10.4, 0, 2)
    room.answer("Ann", 1, "Rodriguez")
    closed = room.close_question()
    assert closed is not None
    screen.revealed(closed)
    shown = buffer.getvalue()
    assert shown.startswith(
        "⏱  12 s left · 0 of 2 answered\n"
        + rewrite.format("⏱  11 s left · 0 of 2 answered")
        + "⏱  10 s left · 0 of 2 answered\n"
        + rewrite.format("⏱  closed · 1 of 2 answered")
    )
    assert "Answers (1):" in shown


def test_the_final_leaderboard_marks_who_quit_and_who_was_removed() -> None:
    from desperado_quiz.ui.play import leaderboard_view

    room = Room(fixture_game(["director"], timer=20), "NIGHT")
    for name in ("Ann", "Bob", "Cy"):
        room.join("NIGHT", name)
    room.open_question()
    room.answer("Ann", 1, "Rodriguez")
    room.leave("Bob", removed=True)
    room.leave("Cy")
    closed = room.close_question()
    assert closed is not None
    assert closed.result is not None
    out, buffer = console()
    out.print(leaderboard_view(closed.result))
    assert "Bob (removed)" in buffer.getvalue()
    assert "Cy (quit)" in buffer.getvalue()
    out, buffer = console()
    out.print(podium_view(room.over_message(closed.result)["standings"]))
    podium = buffer.getvalue().split("\n")
    assert podium[1].split() == ["Ann", "Cy"]  # the host took Bob out: no place for him


def test_the_csv_report_never_starts_a_cell_with_a_formula() -> None:
    room = played()
    room.close_question()
    result = room.engine.result
    text = report_text(Path("night.csv"), result, room.over_message(result)["standings"])
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["rank"] for row in rows] == ["1", "2"]
    assert rows[0]["player"] == "'=cmd|' /C calc'!A0"
    assert rows[0]["status"] == str(Status.FINISHED)


def test_addresses_and_ranks() -> None:
    assert address_parts("192.168.1.20") == ("ws://192.168.1.20:5995/ws", None)
    assert address_parts("http://192.168.1.20:6000/?code=K7QXM") == (
        "ws://192.168.1.20:6000/ws",
        "K7QXM",
    )
    assert address_parts("[::1]:7000")[0] == "ws://[::1]:7000/ws"
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th",
    ]  # fmt: skip


@pytest.mark.parametrize("address", ["not a url", "192.168.1.20:port", "ftp://host", "a_b:5995"])
def test_join_refuses_an_address_that_cannot_be_a_host_and_shows_the_forms(address: str) -> None:
    result = CliRunner().invoke(app, ["join", address, "--code", "K7QXM", "--name", "Ann"])
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert f"Error: '{address}' is not a host's address" in said
    assert "HOST, HOST:PORT or its http:// address" in said
    assert "http://192.168.1.20:5995/?code=K7QXM" in said
    assert "Joining" not in said  # no connection was tried


def test_a_bare_ipv6_address_is_a_host() -> None:
    assert address_parts("::1") == ("ws://[::1]:5995/ws", None)
    assert address_parts("my-laptop.local:6000") == ("ws://my-laptop.local:6000/ws", None)


def test_the_qr_code_is_drawn_in_half_blocks() -> None:
    drawn = qr_code("http://192.168.1.20:5995/?code=K7QXM").plain.splitlines()
    assert len(drawn) >= 12
    assert len({len(line) for line in drawn}) == 1  # a square of equal lines
    assert set("".join(drawn)) <= set(" ▀▄█")


def wide_console(width: int) -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    out = Console(file=buffer, width=width, theme=THEME, color_system=None, force_terminal=False)
    return out, buffer


def two_of_four() -> tuple[Room, Closed]:
    """Ann and Bob after question 2 of 4: Ann right then skipping, Bob wrong then right."""
    room = Room(
        fixture_game(["director", "score-band", "release-year", "villain-actor"], 20), "NIGHT"
    )
    for name in ("Ann", "Bob"):
        room.join("NIGHT", name)
    closed = None
    for ann, bob in (("Rodriguez", "Tarantino"), ("skip", "Los Lobos")):
        room.open_question()
        room.answer("Ann", room.engine.question_number, ann)
        room.answer("Bob", room.engine.question_number, bob)
        closed = room.close_question()
    assert closed is not None
    return room, closed


def cells(shown: str, name: str) -> list[str]:
    """The cells of the table row that names ``name``."""
    line = next(line for line in shown.splitlines() if f" {name} " in line)
    return [cell.strip() for cell in line.strip("│ ").split("│")]


def test_right_counts_out_of_the_games_questions_on_every_screen_and_in_the_report() -> None:
    room, closed = two_of_four()
    out, buffer = console()
    HostScreen(out).revealed(closed)
    host = buffer.getvalue()
    assert cells(host, "Ann")[4] == "1 of 4"  # Rank, Player, Score, Change, Right, Last
    assert cells(host, "Bob")[4] == "1 of 4"  # not "1 of 2": a skip is not a right answer
    message: dict[str, Any] = {**closed.reveal, **closed.board.view("Ann")}
    out, buffer = console()
    JoinScreen(out).reveal(message, "Ann")
    player = buffer.getvalue()
    assert cells(player, "Ann")[3] == "1 of 4"  # Rank, Player, Score, Right
    assert cells(player, "Bob")[3] == "1 of 4"
    result = room.stop(Status.QUIT)
    text = report_text(Path("night.csv"), result, room.final(result).rows)
    rows = {row["player"]: row for row in csv.DictReader(io.StringIO(text))}
    figures = ("right", "planned", "accuracy", "answered")
    assert [rows["Ann"][key] for key in figures] == ["1", "4", "0.5", "2"]  # the skip counts
    assert [rows["Bob"][key] for key in figures] == ["1", "4", "0.5", "2"]


def test_players_the_host_stopped_did_not_quit() -> None:
    room, _ = two_of_four()
    room.open_question()
    room.answer("Bob", 3, "quit")  # Bob really quits; then the host ends the game
    result = room.stop(Status.QUIT)
    board = room.final(result)
    assert {row["player"]: row["status"] for row in board.rows} == {
        "Ann": "ended-by-host",
        "Bob": "quit",
    }
    assert [p["status"] for p in game_json(result)["players"]] == ["ended-by-host", "quit"]
    text = report_text(Path("night.csv"), result, board.rows)
    assert [row["status"] for row in csv.DictReader(io.StringIO(text))] == [
        "ended-by-host",
        "quit",
    ]
    out, buffer = console()
    HostScreen(out).over(result, board.rows, played=3)
    shown = buffer.getvalue()
    assert "Game over (quit at question 3 of 4)" in shown
    assert "Ann (" not in shown  # the host ended Ann's game: nothing to mark
    assert "Bob (quit)" in shown
    out, buffer = console()
    JoinScreen(out).over({**room.over_common(result), **board.view("Ann")}, "Ann")
    shown = buffer.getvalue()
    assert "Game over: the host ended the game at question 3 of 4." in shown
    assert "Ann (you)" in shown
    assert "Bob (quit)" in shown


def test_no_answer_is_said_the_same_on_the_chart_and_on_the_players_screen() -> None:
    room = Room(fixture_game(["release-year", "director"], timer=20), "NIGHT")
    for name in ("Ann", "Bob"):
        room.join("NIGHT", name)
    room.open_question()
    assert room.answer("Ann", 1, "a lot")["type"] == "error"  # refused: not a number
    room.answer("Bob", 1, "1995")
    closed = room.close_question(time_up=True)
    assert closed is not None
    assert closed.reveal["tally"][-1] == {"answer": "No answer", "count": 1, "right": False}
    out, buffer = console()
    HostScreen(out).revealed(closed)
    assert cells(buffer.getvalue(), "Ann")[-1] == "⌛ no answer"
    out, buffer = console()
    JoinScreen(out).reveal({**closed.reveal, **closed.board.view("Ann")}, "Ann")
    assert buffer.getvalue().startswith("⌛ No answer · +0 points")
    assert "late" not in buffer.getvalue().casefold()


def test_a_player_removed_mid_question_leaves_the_counts_and_is_marked_removed() -> None:
    room = Room(fixture_game(["director", "score-band"], timer=20), "NIGHT")
    for name in ("Ann", "Bob", "Cara"):
        room.join("NIGHT", name)
    room.open_question()
    room.answer("Cara", 1, "Robert Rodriguez")  # Cara answers first, right...
    room.answer("Ann", 1, "Rodriguez")
    assert room.progress() == (2, 3)
    assert room.leave("Cara", removed=True)  # ...and is removed before the question closes
    assert room.progress() == (1, 2)
    room.answer("Bob", 1, "Tarantino")
    closed = room.close_question()
    assert closed is not None
    assert [name for name, _ in closed.revealed.answers] == ["Ann", "Bob"]
    assert closed.reveal["tally"] == [
        {"answer": "Robert Rodriguez", "count": 1, "right": True},
        {"answer": "Tarantino", "count": 1, "right": False},
    ]
    out, buffer = console()
    HostScreen(out).revealed(closed)
    host = buffer.getvalue()
    assert "Answers (2):" in host
    assert cells(host, "Cara (removed)")[0] == NO_PLACE  # out of the game: last, no place
    assert "Leaderboard · 2 players (and 1 removed)" in host
    for viewer, place in (("Ann", "1st"), ("Bob", "2nd")):
        out, buffer = console()
        JoinScreen(out).reveal({**closed.reveal, **closed.board.view(viewer)}, viewer)
        assert cells(buffer.getvalue(), "Cara (removed)")[0] == NO_PLACE
        assert f"You are {place} of 2 with" in buffer.getvalue()  # Cara has no place
    assert room.rejoin("NIGHT", room_token(room, "Ann")).name == "Ann"


def room_token(room: Room, name: str) -> str:
    return room.seats[name].token


def test_the_final_standings_are_shown_once_on_the_players_terminal() -> None:
    room = Room(fixture_game(["director"], timer=20), "NIGHT")
    room.join("NIGHT", "Ann")
    room.open_question()
    room.answer("Ann", 1, "Rodriguez")
    closed = room.close_question()
    assert closed is not None
    assert closed.result is not None
    out, buffer = console()
    screen = JoinScreen(out)
    screen.reveal({**closed.reveal, **closed.board.view("Ann")}, "Ann")
    screen.over({**room.over_common(closed.result), **room.final(closed.result).view("Ann")}, "Ann")
    shown = buffer.getvalue()
    assert shown.count("Standings") == 1
    assert shown.index("Standings") < shown.index("Game over")
    assert "You finished 1st of 1 with" in shown
    out, buffer = console()
    host = HostScreen(out)
    host.revealed(closed)
    host.over(closed.result, room.final(closed.result).rows, played=1)
    assert buffer.getvalue().count("Leaderboard") == 1  # the final one, with the podium


@pytest.mark.parametrize("width", [80, 120])
def test_explanations_keep_the_reading_width_and_the_podium_sits_in_the_middle(width: int) -> None:
    room = Room(fixture_game(["director"], timer=20), "NIGHT")
    for name in ("Ann", "Bob"):
        room.join("NIGHT", name)
    room.open_question()
    room.answer("Ann", 1, "Rodriguez")
    closed = room.close_question()
    assert closed is not None
    assert closed.result is not None
    long = "The longest explanation a question could hold, " * 6
    reveal = {**closed.reveal, "explanation": long, **closed.board.view("Ann")}
    out, buffer = wide_console(width)
    JoinScreen(out).reveal(reveal, "Ann")
    assert max(len(line) for line in buffer.getvalue().splitlines()) <= READING_WIDTH
    wordy = dataclasses.replace(closed.revealed.asked.question, explanation=long)
    asked = replace(closed.revealed.asked, question=wordy)
    revealed = replace(closed.revealed, asked=asked)
    out, buffer = wide_console(width)
    HostScreen(out).revealed(replace(closed, revealed=revealed))
    said = [line for line in buffer.getvalue().splitlines() if "longest explanation" in line]
    assert len(said) > 1
    assert max(len(line) for line in said) <= READING_WIDTH
    out, buffer = wide_console(width)
    HostScreen(out).over(closed.result, room.final(closed.result).rows, played=1)
    box = buffer.getvalue().splitlines()[1:6]
    assert len(box[0]) <= READING_WIDTH  # as wide as a question's panel, not the screen
    places = next(line for line in box if "1st" in line)
    inside = places[1:-1]
    left, right = len(inside) - len(inside.lstrip()), len(inside) - len(inside.rstrip())
    assert abs(left - right) <= 1  # in the middle of its box


def test_a_skip_is_counted_apart_from_the_answers() -> None:
    _, closed = two_of_four()  # question 2: Bob answered, Ann skipped
    assert closed.reveal["tally"] == [
        {"answer": "Los Lobos", "count": 1, "right": True},
        {"answer": "Skipped", "count": 1, "right": False},
    ]
    out, buffer = console()
    screen = HostScreen(out)
    screen.tick(10.2, 1, 2, skipped=1)
    screen.revealed(closed)
    shown = buffer.getvalue()
    assert "⏱  10 s left · 1 of 2 answered · 1 skipped" in shown
    assert "Answers (1):" in shown
    assert cells(shown, "Ann")[-1] == "» skipped"
