"""A player whose terminal was killed gets back into the quiz night with `join` again:
the seat (the host's token) is kept on this machine, and forgotten when the game ends."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path

import pytest

from desperado_quiz.live import seats
from tests.live_support import CODE, fixture_path, host_args, host_port, quiz
from tests.test_pty import finish, spawn


def test_a_seat_is_kept_for_a_day_and_by_host_code_and_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seats.remember("ws://h:1", "abcde", "Bob", "t0ken")
    assert seats.remembered("ws://h:1", "ABCDE", "bob") == "t0ken"
    assert seats.remembered("ws://h:1", "ABCDE", "Ann") is None
    assert seats.remembered("ws://other:1", "ABCDE", "Bob") is None
    later = time.time() + seats.KEPT_SECONDS + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert seats.remembered("ws://h:1", "ABCDE", "Bob") is None
    monkeypatch.undo()
    seats.forget("ws://h:1", "abcde", "Bob")
    assert seats.remembered("ws://h:1", "ABCDE", "Bob") is None


def test_a_damaged_seat_only_costs_the_rejoin() -> None:
    path = seats._path("ws://h:1", "ABCDE", "Bob")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{not json", encoding="utf-8")
    assert seats.remembered("ws://h:1", "ABCDE", "Bob") is None
    seats.remember("ws://h:1", "ABCDE", "Bob", "t")
    assert seats.remembered("ws://h:1", "ABCDE", "Bob") == "t"
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_a_killed_terminal_joins_again_and_keeps_its_score(tmp_path: Path) -> None:
    home = {"DESPERADO_QUIZ_HOME": str(tmp_path / "home")}
    questions = ["-q", "basics:director", "-q", "basics:score-band"]
    host = quiz(
        *["host", "--bind", "127.0.0.1", "--port", "0", "--code", CODE, "--seed", "3"],
        *["-b", str(fixture_path()), *questions, "--timer", "30", "--players", "2"],
        *["--auto", "--pause", "0.2", "--no-save"],
        stdin=subprocess.DEVNULL,
        env=home,
    )
    processes = [host]
    try:
        port, _ = host_port(host)
        address = f"127.0.0.1:{port}"
        ann = quiz("join", address, "--code", CODE, "--name", "Ann", "--json", env=home)
        bob = quiz("join", address, "--code", CODE, "--name", "Bob", "--json", env=home)
        processes += [ann, bob]
        assert bob.stdin is not None
        bob.stdin.write(b"Robert Rodriguez\n")  # Bob answers question 1, then is killed
        bob.stdin.flush()
        deadline = time.monotonic() + 30
        while seats.remembered(f"ws://{address}/ws", CODE, "Bob") is None:
            assert time.monotonic() < deadline, "Bob's seat was never kept"
            time.sleep(0.1)
        time.sleep(1)  # his answer reaches the host
        bob.send_signal(signal.SIGKILL)
        bob.wait(10)
        back = quiz("join", address, "--code", CODE, "--name", "Bob", "--json", env=home)
        processes.append(back)
        assert back.stdin is not None
        assert ann.stdin is not None
        assert host.stdout is not None
        seen, deadline = b"", time.monotonic() + 30
        while b"Bob is back." not in seen:  # Ann answers only once Bob is in again
            assert time.monotonic() < deadline, seen.decode(errors="replace")
            seen += host.stdout.read1(4096)
        back.stdin.write(b"Los Lobos\n")
        back.stdin.close()
        back.stdin = None
        ann.stdin.write(b"nobody\nLos Lobos\n")
        ann.stdin.close()
        ann.stdin = None
        out, errors = back.communicate(timeout=60)
        ann.communicate(timeout=60)
        host_out, host_errors = host.communicate(timeout=60)
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
    assert back.returncode == 0, (errors + host_out + host_errors).decode()
    standings = json.loads(out)["data"]
    assert standings["you"] == "Bob"
    bob_row = next(row for row in standings["standings"] if row["player"] == "Bob")
    assert bob_row["right"] == 2  # the answer given before the kill still counts
    assert seats.remembered(f"ws://{address}/ws", CODE, "Bob") is None  # forgotten at the end


@pytest.mark.pty
def test_a_second_terminal_with_the_same_name_asks_before_taking_the_seat_over() -> None:
    host = quiz(*host_args("--players", "3", "--no-save"))  # the lobby waits for us
    processes = [host]
    try:
        port, _ = host_port(host)
        address = f"127.0.0.1:{port}"
        url = f"ws://{address}/ws"
        first = quiz("join", address, "--code", CODE, "--name", "Ann")
        processes.append(first)
        deadline = time.monotonic() + 30
        while seats.remembered(url, CODE, "Ann") is None:
            assert time.monotonic() < deadline, "Ann's seat was never kept"
            time.sleep(0.1)
        asked = "Ann is playing from another terminal or phone right now. Play here instead"
        second = spawn("join", address, "--code", CODE, "--name", "Ann")
        second.expect_exact(asked)
        second.sendline("n")  # no: the seat stays with the first terminal
        second.expect_exact("Error: The seat stays with the other terminal or phone.")
        second.expect_exact("another --name.")
        assert finish(second) == 2
        piped = quiz("join", address, "--code", CODE, "--name", "Ann")
        _, said = piped.communicate(timeout=30)  # a script cannot be asked: never taken
        assert piped.returncode == 2
        assert (
            "Error: Ann is playing from another terminal or phone right now. "
            "Only a yes typed at a terminal takes it over."
        ) in " ".join(said.decode().split())
        assert first.poll() is None  # still playing
        assert seats.remembered(url, CODE, "Ann") is not None
        third = spawn("join", address, "--code", CODE, "--name", "Ann")
        third.expect_exact(asked)
        third.sendline("yes")
        third.expect_exact("Joined as Ann")
        out, _ = first.communicate(timeout=30)
        assert first.returncode == 0
        told = " ".join(out.decode().split())
        assert (
            "Ann is now played from another terminal or phone: this one has left the game" in told
        )
        assert seats.remembered(url, CODE, "Ann") is not None  # the third terminal's now
        assert host.stdin is not None
        host.stdin.write(b"quit\n")
        host.stdin.flush()
        third.expect_exact("Game over: the host ended the game before the first question.")
        assert finish(third) == 0
        assert host.wait(30) == 0
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
    assert seats.remembered(url, CODE, "Ann") is None  # forgotten when the game ended


def test_a_kept_seat_the_host_does_not_know_joins_afresh() -> None:
    host = quiz(*host_args("-q", "basics:director", "--players", "1", "--auto", "--no-save"))
    try:
        port, _ = host_port(host)
        address = f"127.0.0.1:{port}"
        seats.remember(f"ws://{address}/ws", CODE, "Ann", "a-token-from-another-night")
        ann = quiz("join", address, "--code", CODE, "--name", "Ann", "--json")
        started = time.monotonic()
        out, errors = ann.communicate(b"Robert Rodriguez\n", timeout=30)
        host.communicate(timeout=30)
    finally:
        for process in (host, ann):
            if process.poll() is None:
                process.kill()
    assert ann.returncode == 0, errors.decode()
    assert time.monotonic() - started < 8  # no wait for the host to give up on us
    assert json.loads(out)["data"]["you"] == "Ann"
