"""Hostile history files (issue 24, item 8): a history is data, and SQLite runs what a
database holds. A file whose schema is not exactly ours (a trigger, a view, a table
changed) is set aside, as a damaged one is, before any query; and every call on the
history is bounded by SQLite's progress handler, so that a query that would run for
ever ends, and Ctrl-C or SIGTERM ends the command even during a save.

Every history here lives in the test's own temporary folder; every command that could
hang runs in a subprocess with a timeout.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from desperado_quiz import history_guard
from desperado_quiz.cli import app
from desperado_quiz.history import MIGRATIONS, History, HistoryError

runner = CliRunner()
HANG = (  # a query that never ends: counting for ever
    "WITH RECURSIVE forever(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM forever) "
    "SELECT COUNT(*) FROM forever"
)
GAME_COLUMNS = (
    "id, match_id, player, players, started_at, ended_at, seed, options, settings_key, banks, "
    "questions, answered, right_answers, score, accuracy, best_streak, seconds, status, finished"
)
ENDLESS_GAMES = ", ".join(f"n AS {column}" for column in GAME_COLUMNS.split(", "))
HOSTILE = {
    "a trigger that deletes every earlier game": (
        "CREATE TRIGGER wipe AFTER INSERT ON games BEGIN DELETE FROM games WHERE id < NEW.id; END"
    ),
    "a trigger that allocates on every save": (
        "CREATE TRIGGER hog AFTER INSERT ON answers BEGIN SELECT LENGTH(randomblob(50000000)); END"
    ),
    "a trigger that never ends": (
        f"CREATE TRIGGER spin AFTER INSERT ON games BEGIN SELECT ({HANG}); END"
    ),
    "a recursive view in our table's name": (
        "ALTER TABLE games RENAME TO kept_games; "
        f"CREATE VIEW games AS WITH RECURSIVE forever(n) AS (SELECT 1 UNION ALL "
        f"SELECT n + 1 FROM forever) SELECT {ENDLESS_GAMES} FROM forever WHERE n < 0"
    ),
    "a view beside our tables": f"CREATE VIEW extra AS {HANG}",
    "a table of its own": "CREATE TABLE notes (x)",
    "an index on an expression": (
        "CREATE INDEX answers_by_blob ON answers(LENGTH(zeroblob(given)))"
    ),
    "our index changed": (
        "DROP INDEX answers_by_game; CREATE INDEX answers_by_game ON answers(game_id) "
        "WHERE LENGTH(zeroblob(1000000)) > 0"
    ),
}


def play(home: Path, answer: str = "Robert Rodriguez") -> subprocess.CompletedProcess[str]:
    return command(home, "play", "-q", "director", stdin=f"{answer}\n")


def command(
    home: Path, *args: str, stdin: str = "", timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """A command in a process of its own: a hang fails the test instead of stopping it."""
    return subprocess.run(
        [sys.executable, "-m", "desperado_quiz", *args, "--data-dir", str(home)],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "100"},
    )


def in_process(home: Path, *args: str, stdin: str = "") -> Result:
    """A command that cannot hang, in this process; an exception that escapes it (the
    exit status 70 of `desperado-quiz`, the internal error) fails the test."""
    result = runner.invoke(app, [*args, "--data-dir", str(home)], input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def hostile_history(tmp_path: Path, sql: str) -> Path:
    """A history of ours with one game of Ann's, then ``sql`` run on it."""
    home = tmp_path / "data"
    runner.invoke(
        app,
        ["play", "-q", "director", "-p", "Ann", "--data-dir", str(home)],
        input="Robert Rodriguez\n",
    )
    with closing(sqlite3.connect(home / "history.sqlite3", isolation_level=None)) as db:
        db.executescript(sql)
    return home


def set_aside(home: Path) -> list[Path]:
    return sorted(home.glob("history.sqlite3.corrupt-*[0-9]"))


def games_in(path: Path, table: str = "games") -> list[str]:
    with closing(sqlite3.connect(path)) as db:
        return [row[0] for row in db.execute(f"SELECT player FROM {table}")]


@pytest.mark.parametrize("sql", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_history_not_exactly_ours_is_set_aside_before_any_of_it_runs(
    tmp_path: Path, sql: str
) -> None:
    home = hostile_history(tmp_path, sql)
    result = play(home)
    assert result.returncode == 0, result.stderr
    assert "was not a history as desperado-quiz writes it" in result.stderr
    assert "a new history started" in result.stderr
    assert "not saved" not in result.stderr
    (aside,) = set_aside(home)
    # What the file held is all there: no trigger ran on it.
    table = "kept_games" if "kept_games" in sql else "games"
    assert games_in(aside, table) == ["Ann"]
    assert games_in(home / "history.sqlite3") == ["Player"]  # the new game, saved anew


@pytest.mark.parametrize(
    "args",
    [
        ("history",),
        ("stats",),
        ("study", "-n", "1"),
        ("play", "-q", "director", "--review"),
    ],
    ids=["history", "stats", "study", "play --review"],
)
@pytest.mark.parametrize(
    "sql",
    [HOSTILE["a recursive view in our table's name"], HOSTILE["a trigger that never ends"]],
    ids=["recursive view", "endless trigger"],
)
def test_a_recursive_view_or_trigger_never_hangs_a_command(
    tmp_path: Path, args: tuple[str, ...], sql: str
) -> None:
    home = hostile_history(tmp_path, sql)
    result = command(home, *args, stdin="Robert Rodriguez\n")
    assert result.returncode == 0, result.stderr
    assert "was not a history as desperado-quiz writes it" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_older_history_in_its_own_spacing_is_still_ours(tmp_path: Path) -> None:
    """The first release created its tables in one script, spaced differently: the
    schema check compares the SQL with its spacing normalised, so that file is ours."""
    path = tmp_path / "history.sqlite3"
    scratch = sqlite3.connect(":memory:")
    MIGRATIONS[0](scratch)
    script = ";\n".join(
        sql.replace("(\n", "(\n    ").replace(")", "\n    )", 1) if kind == "table" else sql
        for kind, sql in scratch.execute(
            "SELECT type, sql FROM sqlite_master WHERE sql IS NOT NULL"
        )
    )
    with closing(sqlite3.connect(path)) as db:
        db.executescript(script + ";\nPRAGMA user_version = 1;")
    assert History(path).recent().value == []
    assert not set_aside(tmp_path)


def test_the_watch_bounds_a_query_that_the_schema_check_missed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second line of defence: were a hostile object to pass the schema check, the
    progress handler still ends its query after MAX_STEPS steps."""
    home = hostile_history(tmp_path, HOSTILE["a recursive view in our table's name"])
    monkeypatch.setattr("desperado_quiz.history.check_schema", lambda *_: None)
    monkeypatch.setattr(history_guard, "MAX_STEPS", 5_000_000)  # a quick test of the bound
    with pytest.raises(HistoryError, match="more than 5,000,000 steps"):
        History(home / "history.sqlite3").recent()
    assert not set_aside(home)  # stopped, not taken for damage


# A signal during a call that runs long: the schema check is taken away in the process,
# so that the endless trigger runs, as it would if the check ever missed one.
WITHOUT_CHECK = (
    "import sys\n"
    "import desperado_quiz.history as history\n"
    "history.check_schema = lambda *_: None\n"
    "from desperado_quiz.cli import main\n"
    "sys.argv = ['desperado-quiz', *sys.argv[1:]]\n"
    "main()\n"
)


@contextmanager
def started_without_check(
    home: Path, *args: str, stdin: str = ""
) -> Iterator[subprocess.Popen[str]]:
    """The command, started; killed at the end if it is still running (a hang)."""
    answers = home.parent / "answers.txt"
    answers.write_text(stdin, encoding="utf-8")
    with answers.open(encoding="utf-8") as given:
        process = subprocess.Popen(
            [sys.executable, "-c", WITHOUT_CHECK, *args, "--data-dir", str(home)],
            stdin=given,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "NO_COLOR": "1", "COLUMNS": "100"},
        )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def in_the_history(home: Path) -> None:
    """Wait (bounded) until the process holds the history's write lock: the save runs."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with closing(sqlite3.connect(home / "history.sqlite3", timeout=0)) as db:
                db.execute("BEGIN IMMEDIATE")
                db.execute("ROLLBACK")
        except sqlite3.OperationalError:
            return  # locked: the save is under way
        time.sleep(0.05)
    pytest.fail("the save never started")


@pytest.mark.parametrize(
    ("number", "status"),
    [(signal.SIGINT, 130), (signal.SIGTERM, 143)],
    ids=["Ctrl-C", "SIGTERM"],
)
def test_a_signal_during_a_save_that_never_ends_ends_the_command(
    tmp_path: Path, number: int, status: int
) -> None:
    home = hostile_history(tmp_path, HOSTILE["a trigger that never ends"])
    with started_without_check(
        home, "play", "-q", "director", stdin="Robert Rodriguez\n"
    ) as process:
        in_the_history(home)
        process.send_signal(number)
        _, stderr = process.communicate(timeout=60)
    assert process.returncode == status, stderr
    assert f"stopped by {signal.Signals(number).name}" in stderr
    assert "this game was not saved" in stderr
    assert games_in(home / "history.sqlite3") == ["Ann"]  # rolled back, nothing half-saved


def test_ctrl_c_during_a_read_that_never_ends_ends_the_command(tmp_path: Path) -> None:
    home = hostile_history(tmp_path, HOSTILE["a recursive view in our table's name"])
    with started_without_check(home, "history") as process:
        time.sleep(1)  # `history` is reading the view by then (or about to: the signal waits)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr


# Values that are not what desperado-quiz writes (items 13 and 14) -----------------------


def studied_history(tmp_path: Path) -> Path:
    """A history with one study card of Player's."""
    home = tmp_path / "data"
    result = runner.invoke(
        app, ["study", "-n", "1", "--seed", "1", "--data-dir", str(home)], input="skip\n"
    )
    assert result.exit_code == 0, result.output
    with closing(sqlite3.connect(home / "history.sqlite3")) as db:
        assert db.execute("SELECT COUNT(*) FROM cards").fetchone()[0] == 1
    return home


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("due", "9999-99-99"),
        ("due", "2026-01-01T00:00:00"),  # no time zone: cannot be compared with now
        ("due", "0001-01-01T00:00:00+14:00"),  # before year 1 once in UTC
        ("introduced", "yesterday"),
        (
            "card",
            '{"card_id": 1, "state": 2, "step": null, "stability": 1e308, '
            '"difficulty": 5, "due": "2026-01-01T00:00:00+00:00", "last_review": null}',
        ),
        ("card", '{"due": "9999-99-99"}'),
        ("card", "[" * 100_000 + "]" * 100_000),
    ],
    ids=["9999-99-99", "no zone", "out of range", "introduced", "stability", "card due", "deep"],
)
def test_a_study_card_that_cannot_be_read_never_ends_a_command_with_exit_70(
    tmp_path: Path, column: str, value: str
) -> None:
    home = studied_history(tmp_path)
    with closing(sqlite3.connect(home / "history.sqlite3")) as db:
        db.execute(f"UPDATE cards SET {column} = ?", (value,))
        db.commit()
    for args in (("study", "-n", "1", "--seed", "2"), ("stats",)):
        result = in_process(home, *args, stdin="skip\n")
        assert result.exit_code == 0, result.output
        assert "1 study card of Player" in result.stderr
        assert "could not be read" in result.stderr


@pytest.mark.parametrize(
    ("sql", "value", "unreadable"),
    [
        ("UPDATE games SET player = ?", b"\x00\x1b[2J", True),  # a blob where a name should be
        ("UPDATE games SET score = ?", "lots", True),
        ("UPDATE games SET options = ?", "[1, 2]", True),
        ("UPDATE games SET options = ?", "[" * 100_000 + "]" * 100_000, True),
        ("UPDATE games SET banks = ?", '["desperado-cast", 7]', True),
        ("UPDATE games SET ended_at = ?", "9999-99-99", False),  # a text to `history`
    ],
    ids=["blob name", "text score", "settings list", "deep settings", "bank number", "date"],
)
def test_a_value_of_the_wrong_kind_is_an_error_that_says_so(
    tmp_path: Path, sql: str, value: object, unreadable: bool
) -> None:
    home = hostile_history(tmp_path, "")
    with closing(sqlite3.connect(home / "history.sqlite3")) as db:
        db.execute(sql, (value,))
        db.commit()
    for args in (("history",), ("stats",), ("study", "-n", "1"), ("stats", "--questions")):
        result = in_process(home, *args, stdin="skip\n")
        assert result.exit_code in (0, 1), result.output
    listed = in_process(home, "history", "--format", "json")
    assert listed.exit_code == (1 if unreadable else 0), listed.output
    assert ("holds a row it cannot read" in listed.stdout) is unreadable


def test_a_50_mb_player_name_is_shown_cut_short_at_little_cost(tmp_path: Path) -> None:
    """Once 27 s and 1.2 GB for `history`. The name is read once and cut to 200
    characters for every output; peak memory is that of a fresh process, measured in
    it as test_hostile_files does."""
    home = hostile_history(tmp_path, "")
    name = "A" * 50_000_000
    with closing(sqlite3.connect(home / "history.sqlite3")) as db:
        db.execute("UPDATE games SET player = ?", (name,))
        db.commit()
    for args in (("history",), ("stats",)):
        result = command(home, *args)
        assert result.returncode == 0, result.stderr
        assert len(result.stdout) < 10_000
        assert "AAAA…" in result.stdout
    listed = command(home, "history", "--format", "json")
    assert json.loads(listed.stdout)["data"][0]["player"] == "A" * 199 + "…"
    probe = (
        "import sys\n"
        "from desperado_quiz.app.records import recent_games\n"
        "from pathlib import Path\n"
        "games = recent_games(data_dir=Path(sys.argv[1])).games\n"
        "assert len(games[0]['player']) == 200, len(games[0]['player'])\n"
        "peak = [l for l in open('/proc/self/status') if l.startswith('VmHWM')]\n"
        "print(int(peak[0].split()[1]) // 1024)\n"
    )
    measured = subprocess.run(
        [sys.executable, "-c", probe, str(home)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert int(measured.stdout) < 400  # megabytes; the name alone is 50
