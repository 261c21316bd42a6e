"""Faults at a quiz night, on 127.0.0.1: garbage, floods, a client killed mid-question,
a client that reconnects, a player removed. The game goes on every time, and nobody
else's score changes: the good player's points are always the rules' for their time."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
import urllib.error
import urllib.request
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus

from desperado_quiz.game import GameResult, Status, Verdict
from desperado_quiz.live.protocol import MAX_MESSAGE_BYTES
from desperado_quiz.scoring import award
from tests.live_support import CODE, Client, Running, fixture_game, run, start_host

TIMER = 20.0


def fair(result: GameResult, name: str, verdicts: list[Verdict]) -> int:
    """``name``'s verdicts are these, and each answer scored what the rules give for its
    time and streak: nothing anyone else sent changed it. Returns the score."""
    summary = next(s for s in result.players if s.player == name)
    assert [o.verdict for o in summary.outcomes] == verdicts
    for outcome in summary.outcomes:
        expected = award(
            outcome.asked.question.difficulty,
            outcome.credit,
            hinted=outcome.hinted,
            streak=outcome.streak,
            seconds=outcome.seconds,
            limit=TIMER,
        )
        assert outcome.points == expected
    assert summary.score == sum(o.points.total for o in summary.outcomes)
    return summary.score


async def two_players(second: str = "Mal") -> tuple[Running, Client, Client]:
    running = await start_host(fixture_game(["director", "score-band"], TIMER))
    ann = await Client.join(running.url, "Ann")
    other = await Client.join(running.url, second)
    await ann.expect("question")
    await other.expect("question")
    return running, ann, other


GARBAGE: list[tuple[str | bytes, str]] = [
    ("this is not JSON", "bad-json"),
    ("[" * 3000, "bad-json"),
    ('["answer", 1]', "bad-message"),
    ('{"type": "shoot", "at": "Ann"}', "unknown-type"),
    ('{"type": "answer", "question": 1}', "bad-message"),
    ('{"type": "answer", "question": 1, "text": "x", "player": "Ann"}', "bad-message"),
    ('{"type": "answer", "question": 1, "text": "x", "points": 300}', "bad-message"),
    (b"\x00\x01binary", "bad-message"),
    ('{"type": "answer", "question": 2, "text": "Los Lobos"}', "wrong-question"),
    ('{"type": "answer", "question": 99, "text": "Rodriguez"}', "wrong-question"),
    ('{"type": "join", "version": 1, "code": "TEST", "name": "Ann2"}', "already-joined"),
    ('{"type": "rejoin", "version": 1, "code": "TEST", "token": "stolen"}', "already-joined"),
    ('{"type": "answer", "question": 1, "text": "\\u001b[2J"}', "not-an-answer"),
    ('{"type": "answer", "question": 1, "text": "' + "x" * 1001 + '"}', "not-an-answer"),
]


def test_garbage_gets_an_error_each_time_and_changes_nothing_else() -> None:
    async def scenario() -> GameResult:
        running, ann, mal = await two_players()
        for raw, code in GARBAGE:
            await mal.send(raw)
            reply = await mal.expect("error")
            assert reply["code"] == code, raw
            await asyncio.sleep(0.11)  # within the rate limit: each message is read
        assert (await mal.answer(1, "Tarantino"))["type"] == "accepted"
        again = await mal.answer(1, "Robert Rodriguez")  # a second answer: refused
        assert again["code"] == "already-answered"
        assert (await ann.answer(1, "Robert Rodriguez"))["type"] == "accepted"
        await ann.expect("reveal")
        await ann.expect("question")
        await mal.send(
            json.dumps({"type": "answer", "question": 2, "text": "x" * MAX_MESSAGE_BYTES})
        )
        with pytest.raises(ConnectionClosed) as closed:
            await mal.expect("never")
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 1009  # too big: the connection is closed
        assert (await ann.answer(2, "Los Lobos"))["type"] == "accepted"
        await ann.expect("reveal")
        over = await ann.expect("over")
        assert [r["player"] for r in over["top"]] == ["Ann", "Mal"]
        return await running.result()

    result = run(scenario())
    fair(result, "Ann", [Verdict.RIGHT, Verdict.RIGHT])
    mal = next(s for s in result.players if s.player == "Mal")
    assert [(o.verdict, o.given) for o in mal.outcomes] == [
        (Verdict.WRONG, "Tarantino"),
        (Verdict.LATE, ""),
    ]


def test_a_flood_is_dropped_then_cut_off_and_its_answer_counts_once() -> None:
    async def scenario() -> tuple[GameResult, list[dict[str, Any]], int]:
        running, ann, flood = await two_players("Flood")
        message = json.dumps({"type": "answer", "question": 1, "text": "Tarantino"})
        for _ in range(400):
            try:
                await flood.send(message)
            except ConnectionClosed:
                break
        with pytest.raises(ConnectionClosed):
            await flood.expect("never")  # every reply, until the host closes the connection
        code = flood.connection.close_code or 0
        assert (await ann.answer(1, "Rodriguez"))["type"] == "accepted"
        await ann.expect("reveal")
        await ann.expect("question")
        assert (await ann.answer(2, "lobos"))["type"] == "accepted"
        await ann.expect("over")
        return await running.result(), flood.seen, code

    result, seen, code = run(scenario())
    assert code == 1008  # policy violation: too many messages
    kinds = [m.get("code", m["type"]) for m in seen if m["type"] != "welcome"]
    assert kinds.count("accepted") == 1
    assert "too-fast" in kinds
    assert kinds.count("too-fast") < 5  # said once a burst, not once a message
    fair(result, "Ann", [Verdict.RIGHT, Verdict.RIGHT])
    flood = next(s for s in result.players if s.player == "Flood")
    assert [o.verdict for o in flood.outcomes] == [Verdict.WRONG, Verdict.LATE]


def test_a_player_who_drops_rejoins_with_the_token_and_keeps_the_score() -> None:
    async def scenario() -> GameResult:
        running, ann, bob = await two_players("Bob")
        token = bob.welcome["token"]
        assert (await bob.answer(1, "Rodriguez"))["type"] == "accepted"
        bob.connection.transport.abort()  # the connection drops, without a goodbye
        assert (await ann.answer(1, "Robert Rodriguez"))["type"] == "accepted"
        reveal = await ann.expect("reveal")  # Bob away: the question closes without him
        bob_points = next(r["score"] for r in reveal["top"] if r["player"] == "Bob")
        await ann.expect("question")
        forged = await Client.open(running.url)
        await forged.send({"type": "rejoin", "version": 1, "code": CODE, "token": "x" * 24})
        assert (await forged.expect("error"))["code"] == "token"
        back = await Client.open(running.url)
        await back.send({"type": "rejoin", "version": 2, "code": CODE, "token": token})
        welcome = await back.expect("welcome")
        assert (welcome["name"], welcome["score"], welcome["state"]) == (
            "Bob",
            bob_points,
            "question",
        )
        question = await back.expect("question")
        assert (question["number"], question["answered"]) == (2, False)
        assert 0 < question["seconds_left"] <= TIMER
        assert (await back.answer(2, "Los Lobos"))["type"] == "accepted"
        assert (await ann.answer(2, "Los Lobos"))["type"] == "accepted"
        over = await back.expect("over")
        assert {r["player"] for r in over["top"]} == {"Ann", "Bob"}
        return await running.result()

    result = run(scenario())
    fair(result, "Ann", [Verdict.RIGHT, Verdict.RIGHT])
    bob = fair(result, "Bob", [Verdict.RIGHT, Verdict.RIGHT])
    assert bob > 0


def test_a_client_killed_mid_question_never_stalls_the_game() -> None:
    async def scenario() -> tuple[GameResult, float]:
        running = await start_host(fixture_game(["director", "score-band"], TIMER))
        ann = await Client.join(running.url, "Ann")
        doomed = await asyncio.create_subprocess_exec(
            sys.executable,
            *["-m", "desperado_quiz", "join", f"127.0.0.1:{running.host.port}"],
            *["--code", CODE, "--name", "Kid"],
            stdin=asyncio.subprocess.PIPE,  # open, and silent: Kid is still thinking
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        await ann.expect("question")
        doomed.kill()  # SIGKILL: no goodbye
        await doomed.wait()
        started = asyncio.get_running_loop().time()
        assert (await ann.answer(1, "Rodriguez"))["type"] == "accepted"
        await ann.expect("reveal")
        waited = asyncio.get_running_loop().time() - started
        await ann.expect("question")
        assert (await ann.answer(2, "Los Lobos"))["type"] == "accepted"
        await ann.expect("over")
        return await running.result(), waited

    result, waited = run(scenario())
    assert waited < TIMER / 2  # Kid's empty seat did not hold the question to its end
    fair(result, "Ann", [Verdict.RIGHT, Verdict.RIGHT])
    kid = next(s for s in result.players if s.player == "Kid")
    assert [o.verdict for o in kid.outcomes] == [Verdict.LATE, Verdict.LATE]


def test_ctrl_c_on_a_client_leaves_cleanly_and_the_game_goes_on() -> None:
    async def scenario() -> tuple[GameResult, int, bytes]:
        running = await start_host(fixture_game(["director", "score-band"], TIMER))
        ann = await Client.join(running.url, "Ann")
        leaver = await asyncio.create_subprocess_exec(
            sys.executable,
            *["-m", "desperado_quiz", "join", f"127.0.0.1:{running.host.port}"],
            *["--code", CODE, "--name", "Leaver"],
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        await ann.expect("question")
        await asyncio.sleep(0.3)
        leaver.send_signal(signal.SIGINT)
        output, _ = await asyncio.wait_for(leaver.communicate(), 15)
        assert (await ann.answer(1, "Rodriguez"))["type"] == "accepted"
        await ann.expect("reveal")
        await ann.expect("question")
        await ann.answer(2, "Los Lobos")
        await ann.expect("over")
        return await running.result(), leaver.returncode or 0, output

    result, code, output = run(scenario())
    assert code == 130
    assert b"You left the game." in output
    assert b"Traceback" not in output
    leaver = next(s for s in result.players if s.player == "Leaver")
    assert leaver.status is Status.QUIT
    fair(result, "Ann", [Verdict.RIGHT, Verdict.RIGHT])


def test_the_host_removes_a_player_and_the_game_goes_on() -> None:
    async def scenario() -> GameResult:
        running, ann, bob = await two_players("Bob")
        running.host.remove("bob")
        bye = await bob.expect("bye")
        assert bye["reason"] == "removed"
        assert (await ann.answer(1, "Rodriguez"))["type"] == "accepted"
        await ann.expect("reveal")
        await ann.expect("question")
        await ann.answer(2, "Los Lobos")
        await ann.expect("over")
        return await running.result()

    result = run(scenario())
    fair(result, "Ann", [Verdict.RIGHT, Verdict.RIGHT])
    bob = next(s for s in result.players if s.player == "Bob")
    assert (bob.status, bob.outcomes) == (Status.REMOVED, [])


def test_a_player_removed_after_answering_leaves_the_counts_and_is_told_plainly() -> None:
    async def scenario() -> tuple[GameResult, dict[str, Any], dict[str, Any], dict[str, Any]]:
        running = await start_host(fixture_game(["director"], TIMER), start_with=3)
        ann = await Client.join(running.url, "Ann")
        bob = await Client.join(running.url, "Bob")
        cara = await Client.join(running.url, "Cara")
        for player in (ann, bob, cara):
            await player.expect("question")
        assert (await cara.answer(1, "Robert Rodriguez"))["type"] == "accepted"
        running.host.remove("cara")
        bye = await cara.expect("bye")
        back = await Client.open(running.url)  # Cara's phone, back with her token
        await back.send(
            {"type": "rejoin", "version": 2, "code": CODE, "token": cara.welcome["token"]}
        )
        refused = await back.expect("error")
        await ann.answer(1, "Rodriguez")
        await bob.answer(1, "Tarantino")
        reveal = await ann.expect("reveal")
        over = await ann.expect("over")
        return await running.result(), bye, refused, {**reveal, "over": over}

    result, bye, refused, reveal = run(scenario())
    assert (bye["reason"], bye["message"]) == ("removed", "The host removed you from the game.")
    assert (refused["code"], refused["message"]) == (bye["reason"], bye["message"])
    assert [row["answer"] for row in reveal["tally"]] == ["Robert Rodriguez", "Tarantino"]
    assert [row["count"] for row in reveal["tally"]] == [1, 1]  # Cara's answer left with her
    assert [(r["player"], r["status"]) for r in reveal["over"]["top"]] == [
        ("Ann", "finished"),
        ("Bob", "finished"),
        ("Cara", "removed"),  # last, though her answer scored: she is out of the game
    ]
    assert [s.status for s in result.ranked] == [Status.FINISHED, Status.FINISHED, Status.REMOVED]


def test_the_join_terminal_of_a_removed_player_says_so_plainly() -> None:
    async def scenario() -> tuple[int, bytes, dict[str, Any]]:
        running = await start_host(fixture_game(["director"], TIMER))
        ann = await Client.join(running.url, "Ann")
        cara = await asyncio.create_subprocess_exec(
            sys.executable,
            *["-m", "desperado_quiz", "join", f"127.0.0.1:{running.host.port}"],
            *["--code", CODE, "--name", "Cara"],
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        await ann.expect("question")
        running.host.remove("Cara")
        output, _ = await asyncio.wait_for(cara.communicate(), 15)
        await ann.answer(1, "Rodriguez")
        over = await ann.expect("over")
        await running.result()
        return cara.returncode or 0, output, over

    code, output, over = run(scenario())
    assert code == 1
    shown = output.decode()
    assert "Error: The host removed you from the game." in shown
    assert shown.count("removed you") == 1  # said once, plainly
    assert "You finished" not in shown
    assert [(r["player"], r["status"]) for r in over["top"]] == [
        ("Ann", "finished"),
        ("Cara", "removed"),
    ]


def test_a_kept_seat_played_elsewhere_is_taken_over_only_when_asked_to() -> None:
    async def scenario() -> list[dict[str, Any]]:
        running = await start_host(fixture_game(["director"], TIMER), start_with=2)
        ann = await Client.join(running.url, "Ann")
        token = ann.welcome["token"]
        rejoin = {"type": "rejoin", "version": 2, "code": CODE, "token": token}
        second = await Client.open(running.url)  # a second terminal of Ann's machine
        await second.send({**rejoin, "replace": False})
        asked = await second.expect("error")
        await second.send({**rejoin, "replace": "no"})
        wrong = await second.expect("error")
        await second.send(rejoin)  # the player said yes
        welcome = await second.expect("welcome")
        replaced = await ann.expect("bye")
        running.host.stop(Status.QUIT)
        await running.result()
        return [asked, wrong, welcome, replaced]

    asked, wrong, welcome, replaced = run(scenario())
    assert (asked["code"], asked["message"]) == (
        "in-use",
        "Ann is playing from another terminal or phone right now.",
    )
    assert wrong["code"] == "bad-message"
    assert (welcome["name"], welcome["state"]) == ("Ann", "lobby")
    assert replaced == {
        "type": "bye",
        "reason": "replaced",
        "message": "Ann is now played from another terminal or phone: this one has left the game.",
    }


def test_joining_is_refused_clearly_and_guessing_codes_is_cut_short() -> None:
    async def scenario() -> None:
        running = await start_host(fixture_game(["director"], TIMER), start_with=2)
        ann = await Client.join(running.url, "Ann")
        guesser = await Client.open(running.url)
        for code in ("AAAA", "BBBB", "CCCC", "DDDD"):
            await guesser.send({"type": "join", "version": 1, "code": code, "name": "Eve"})
            assert (await guesser.expect("error"))["code"] == "code"
        await guesser.send({"type": "join", "version": 1, "code": CODE, "name": "ANN"})
        assert (await guesser.expect("error"))["code"] == "name"  # the fifth refusal...
        with pytest.raises(ConnectionClosed):  # ...closes the connection
            await guesser.receive()
        old = await Client.open(running.url)
        await old.send({"type": "join", "version": 3, "code": CODE, "name": "Future"})
        assert (await old.expect("error"))["code"] == "version"
        bob = await Client.join(running.url, "Bob")
        await bob.expect("question")
        late = await Client.open(running.url)
        await late.send({"type": "join", "version": 1, "code": CODE, "name": "Late"})
        assert (await late.expect("error"))["code"] == "started"
        await ann.answer(1, "Rodriguez")
        await bob.answer(1, "Rodriguez")
        await ann.expect("over")
        await running.result()

    run(scenario())


def test_the_page_is_served_and_nothing_else() -> None:
    async def scenario() -> None:
        running = await start_host(fixture_game(["director"], TIMER), start_with=1)
        base = f"http://127.0.0.1:{running.host.port}"

        def get(path: str) -> tuple[int, dict[str, str], bytes]:
            try:
                with urllib.request.urlopen(base + path, timeout=10) as response:
                    return response.status, dict(response.headers), response.read()
            except urllib.error.HTTPError as error:
                return error.code, dict(error.headers), error.read()

        status, headers, body = await asyncio.to_thread(get, "/?code=TEST")
        assert status == 200
        assert headers["Content-Type"].startswith("text/html")
        assert "default-src 'none'" in headers["Content-Security-Policy"]
        assert b'<script src="live.js"' in body
        for path in ("/live.js", "/live.css"):
            assert (await asyncio.to_thread(get, path))[0] == 200
        for path in ("/../pyproject.toml", "/static/live.js", "/etc/passwd", "/ws"):
            assert (await asyncio.to_thread(get, path))[0] == 404
        with pytest.raises(InvalidStatus):
            await Client.open(f"ws://127.0.0.1:{running.host.port}/elsewhere")
        running.host.stop(Status.INTERRUPTED)
        result = await running.result()
        assert result.status is Status.INTERRUPTED

    run(scenario())
