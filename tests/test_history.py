"""The history: storage, migrations, corruption, concurrency, and the commands on it."""

from __future__ import annotations

import json
import multiprocessing
import multiprocessing.synchronize
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import pytest
from typer.testing import CliRunner

from desperado_quiz.cli import app
from desperado_quiz.game import Engine, GameResult, GameSettings, pick_questions
from desperado_quiz.history import MIGRATIONS, History, HistoryError, game_records
from desperado_quiz.loader import LoadedBank
from desperado_quiz.store import load_banks
from tests.helpers import (
    BOOLEAN_QUESTION,
    CHOICE_QUESTION,
    FIXTURES,
    TEXT_QUESTION,
    right_answers,
)

runner = CliRunner()


@cache
def banks() -> list[LoadedBank]:
    return load_banks([FIXTURES / "history"]).banks


def played(
    answers: dict[str, str], player: str = "Ann", seed: int = 1, bank: str | None = None
) -> GameResult:
    """A finished game over the questions named in ``answers``, answered as given;
    ``bank`` is the bank asked for (``--bank``), if any."""
    keys = [f"{b.id}:{q.id}" for b in banks() for q in b.questions if q.id in answers]
    asked = pick_questions(banks(), keys, seed).asked
    requested = (bank,) if bank else ()
    engine = Engine(asked, GameSettings(seed=seed, players=(player,), banks=requested))
    engine.start()
    for item in asked:
        engine.receive(answers[item.question.id])
    return engine.result


def save(history: History, result: GameResult) -> int | None:
    now = datetime.now(UTC)
    (previous,) = history.record(game_records(result, now, now)).value
    return previous


def test_a_game_and_its_answers_are_recorded(tmp_path: Path) -> None:
    history = History(tmp_path / "history.sqlite3")
    assert save(history, played({"director": "Rodriguez", "bucho-actor": "Bucho"})) is None
    (game,) = history.recent().value
    assert (game["player"], game["answered"], game["right_answers"]) == ("Ann", 2, 1)
    assert game["status"] == "finished"
    assert game["finished"] is True
    assert game["banks"] == ["desperado-cast"]
    with sqlite3.connect(history.path) as db:
        rows = db.execute(
            "SELECT question_id, given, correct, hinted, seconds FROM answers ORDER BY question_id"
        ).fetchall()
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("bucho-actor", "Bucho", 0),
        ("director", "Rodriguez", 1),
    ]


def test_the_banks_recorded_are_the_banks_the_questions_came_from(tmp_path: Path) -> None:
    history = History(tmp_path / "history.sqlite3")
    save(history, played({"score-band": "Los Lobos"}))
    assert history.recent().value[0]["banks"] == ["desperado-music"]


def test_schema_version_wal_and_migrations_run_once(tmp_path: Path) -> None:
    history = History(tmp_path / "history.sqlite3")
    save(history, played({"director": "Rodriguez"}))
    save(history, played({"director": "Rodriguez"}))
    with sqlite3.connect(history.path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert len(history.recent().value) == 2


def test_an_older_history_is_migrated_and_keeps_its_games(tmp_path: Path) -> None:
    """A history of schema 1, as the first release wrote it (no study cards, the draw's
    banks in the settings key, answers without their player), is brought up to date:
    its games keep counting, under the new key, in every figure."""
    path = tmp_path / "history.sqlite3"
    with closing(sqlite3.connect(path)) as db:
        MIGRATIONS[0](db)
        db.execute("PRAGMA user_version = 1")
        options = json.dumps({"banks": [], "count": 10, "mode": "play"})
        db.execute(
            """INSERT INTO games VALUES (1, 'm1', 'Ann', '["Ann"]', '2026-01-01T10:00:00+00:00',
            '2026-01-01T10:05:00+00:00', 7, ?, 'drawn-banks key', '["desperado-cast"]', 1, 1,
            1, 100, 1.0, 1, 3.0, 'finished', 1)""",
            (options,),
        )
        db.execute(
            """INSERT INTO answers VALUES (1, 1, 1, 'desperado-cast', 'director',
            'Cast & crew', 'easy', 1, 'Rodriguez', 'right', 1, 100, 3.0, 0)"""
        )
        db.commit()
    history = History(path)
    save(history, played({"director": "nobody"}))
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) == 4
        keys = {row[0] for row in db.execute("SELECT settings_key FROM games")}
        players = {row[0] for row in db.execute("SELECT player FROM answers")}
    assert len(keys) == 1
    assert "drawn-banks" not in keys.pop()
    assert players == {"Ann"}
    assert history.cards("Ann").value == ([], False)
    stats = history.stats("Ann").value
    (best,) = stats["best_games"]
    assert (best["score"], best["games"]) == (100, 2)
    assert (stats["answers"], stats["right"]) == (2, 1)
    assert history.missed("Ann").value == {("desperado-cast", "director")}


def test_a_newer_schema_is_refused_not_damaged(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    with pytest.raises(HistoryError, match="newer desperado-quiz"):
        History(path).recent()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) + 1


def test_another_programs_database_is_refused_and_left_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    with closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE notes (body TEXT)")
        db.execute("INSERT INTO notes VALUES ('keep me')")
        db.commit()
    before = path.read_bytes()
    for use in (
        History(path).recent,
        History(path).stats,
        lambda: save(History(path), played({"director": "Rodriguez"})),
    ):
        with pytest.raises(HistoryError, match="not a desperado-quiz history"):
            use()
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["history.sqlite3"]  # no WAL files


def test_personal_best_is_per_player_and_settings(tmp_path: Path) -> None:
    history = History(tmp_path / "history.sqlite3")
    assert save(history, played({"director": "nobody"})) is None
    assert save(history, played({"director": "Rodriguez"})) == 0
    assert save(history, played({"director": "nobody"})) == 100
    assert save(history, played({"director": "Rodriguez"}, player="Bob")) is None


def test_missed_questions_until_answered_right(tmp_path: Path) -> None:
    history = History(tmp_path / "history.sqlite3")
    save(history, played({"director": "nobody", "score-band": "Los Lobos"}))
    assert history.missed("Ann").value == {("desperado-cast", "director")}
    assert history.missed("Bob").value == set()
    save(history, played({"director": "Robert Rodriguez"}))
    assert history.missed("Ann").value == set()


def test_stats_per_player_and_best_games(tmp_path: Path) -> None:
    history = History(tmp_path / "history.sqlite3")
    save(history, played({"director": "nobody", "score-band": "Los Lobos"}))
    save(history, played({"director": "nobody"}))
    save(history, played({"director": "Rodriguez"}, player="Bob"))
    save(history, played({"director": "Rodriguez"}, bank="desperado-cast"))
    stats = history.stats().value
    assert (stats["games"], stats["answers"], stats["right"]) == (4, 5, 3)
    ann = history.stats("Ann").value
    assert (ann["player"], ann["games"], ann["answers"], ann["right"]) == ("Ann", 3, 4, 2)
    assert ann["by_category"]["Music"] == {"answered": 1, "right": 1, "accuracy": 1.0}
    assert ann["by_difficulty"]["easy"]["answered"] == 4
    # Best scores are per whole game, for the banks asked for (not the ones a draw
    # picked) and the same settings; the banks shown are the best game's.
    best = [
        (g["player"], g["options"]["banks"], g["banks"], g["score"], g["games"])
        for g in ann["best_games"]
    ]
    assert best == [
        ("Ann", [], ["desperado-cast", "desperado-music"], 100, 2),
        ("Ann", ["desperado-cast"], ["desperado-cast"], 100, 1),
    ]
    assert ann["most_missed"][0] == {
        "bank_id": "desperado-cast",
        "question_id": "director",
        "misses": 2,
    }


def test_an_empty_history_reads_as_empty_without_creating_a_file(tmp_path: Path) -> None:
    history = History(tmp_path / "nowhere" / "history.sqlite3")
    assert history.recent().value == []
    assert history.stats().value["games"] == 0
    assert not history.path.parent.exists()


def test_a_file_that_is_not_a_database_is_moved_aside_and_a_new_history_started(
    tmp_path: Path,
) -> None:
    path = tmp_path / "history.sqlite3"
    garbage = b"this is not a database, it is a shopping list\n" * 100
    path.write_bytes(garbage)
    history = History(path)
    now = datetime.now(UTC)
    noted = history.record(game_records(played({"director": "Rodriguez"}), now, now))
    assert len(history.recent().value) == 1
    (moved,) = tmp_path.glob("history.sqlite3.corrupt-*")
    assert moved.read_bytes() == garbage  # never deleted, never changed
    (notice,) = noted.notices
    assert "history.sqlite3" in notice
    assert moved.name in notice


def damage_a_page(path: Path, name: str | None = None) -> None:
    """Overwrite a page: 'database disk image is malformed'. The first page of table or
    index ``name``, so that a query that reads it meets the damage; else a page in the
    middle of the file."""
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page = db.execute("PRAGMA page_size").fetchone()[0]
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (name,)).fetchone()
    assert pages > 3
    number = root[0] if root else pages - 1  # pages count from 1
    with path.open("r+b") as handle:
        handle.seek(page * (number - 1))
        handle.write(b"\xff" * page)


@pytest.mark.parametrize("first", ["recent", "stats", "missed"])
def test_a_damaged_page_is_found_moved_aside_and_a_new_history_started(
    tmp_path: Path, first: str
) -> None:
    history = History(tmp_path / "history.sqlite3")
    for n in range(40):  # enough games for several pages
        save(history, played({"director": "nobody" if n % 2 else "Rodriguez"}, player=f"P{n}"))
    read_first = {"recent": "games", "stats": "answers_by_question", "missed": "answers_by_player"}
    damage_a_page(history.path, read_first[first])
    actions = {
        "recent": lambda: history.recent(100),
        "stats": history.stats,
        "missed": lambda: history.missed("P1"),
    }
    noted = actions[first]()
    assert noted.notices
    assert "was damaged" in noted.notices[0]
    assert list(tmp_path.glob("history.sqlite3.corrupt-*"))
    save(history, played({"director": "Rodriguez"}))  # and later games are kept
    assert len(history.recent(100).value) == 1


def test_an_unusable_data_folder_is_an_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(HistoryError, match="cannot create"):
        save(History(blocker / "history.sqlite3"), played({"director": "Rodriguez"}))


def test_two_backups_in_the_same_second_never_share_a_name(tmp_path: Path) -> None:
    history = History(tmp_path / "history.sqlite3")
    save(history, played({"director": "Rodriguez"}))
    first = history.clear().value
    second = history.clear().value
    assert first is not None
    assert second is not None
    assert first != second
    with sqlite3.connect(first) as db:  # the first backup still holds the game
        assert db.execute("SELECT COUNT(*) FROM games").fetchone()[0] == 1


def _record_in_process(
    path: str,
    player: str,
    barrier: multiprocessing.synchronize.Barrier,
) -> None:
    result = played({"director": "Rodriguez", "bucho-actor": "de Almeida"}, player=player)
    barrier.wait()  # all processes write at the same moment
    save(History(Path(path)), result)


def test_games_finishing_at_once_in_several_processes_are_all_recorded(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    History(path).recent()  # no file yet: the processes also race to create the schema
    context = multiprocessing.get_context("spawn")
    count = 6
    barrier = context.Barrier(count)
    processes = [
        context.Process(target=_record_in_process, args=(str(path), f"P{n}", barrier))
        for n in range(count)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(60)
        assert process.exitcode == 0
    games = History(path).recent(limit=100).value
    assert sorted(g["player"] for g in games) == [f"P{n}" for n in range(count)]
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT COUNT(*) FROM answers").fetchone()[0] == 2 * count


# The commands ----------------------------------------------------------------------


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "quiz-home"
    monkeypatch.setenv("DESPERADO_QUIZ_HOME", str(folder))
    return folder


@pytest.fixture
def small_bank(write_bank: Callable[..., Path]) -> Path:
    return write_bank(CHOICE_QUESTION + BOOLEAN_QUESTION + TEXT_QUESTION)


def history_json(*args: str) -> list[dict]:
    result = runner.invoke(app, ["history", "--format", "json", *args])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["kind"] == "history"
    return document["data"]  # type: ignore[no-any-return]


def test_play_saves_and_no_save_does_not(home: Path, small_bank: Path) -> None:
    args = ["play", "-b", str(small_bank), "--seed", "1"]
    result = runner.invoke(app, args, input="skip\nskip\nskip\n")
    assert "First game with these banks and settings for Player" in result.stdout
    assert (home / "history.sqlite3").exists()
    runner.invoke(app, [*args, "--no-save"], input="skip\nskip\nskip\n")
    assert len(history_json()) == 1
    right = runner.invoke(
        app, args, input="".join(f"{a}\n" for a in right_answers(1, 3, [small_bank]))
    )
    assert "★ New personal best for Player" in right.stdout


def test_an_aborted_game_is_kept_as_aborted(home: Path, small_bank: Path) -> None:
    runner.invoke(app, ["play", "-b", str(small_bank), "--seed", "1"], input="skip\n")
    (game,) = history_json()
    assert (game["status"], game["finished"], game["answered"]) == ("end-of-input", False, 1)
    table = runner.invoke(app, ["history"])
    assert "aborted (end-of-input)" in table.stdout


def test_data_dir_option_overrides_the_environment(
    home: Path, small_bank: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    runner.invoke(
        app, ["play", "-b", str(small_bank), "--data-dir", str(elsewhere)], input="quit\n"
    )
    assert (elsewhere / "history.sqlite3").exists()
    # The home keeps only the bank cache, which is no data: nothing else is written there.
    assert [path.name for path in home.iterdir()] == ["cache"]
    assert len(history_json("--data-dir", str(elsewhere))) == 1


def test_history_formats_and_limit(home: Path, small_bank: Path) -> None:
    for _ in range(3):
        runner.invoke(app, ["play", "-b", str(small_bank)], input="skip\nskip\nskip\n")
    assert len(history_json("--limit", "2")) == 2
    csv = runner.invoke(app, ["history", "--format", "csv"]).stdout.splitlines()
    assert csv[0].startswith("id,started_at,ended_at,player,banks")
    assert len(csv) == 4
    assert "Recent games" in runner.invoke(app, ["history"]).stdout


@pytest.mark.parametrize("width", [50, 80, 100, 120])
def test_history_and_stats_fit_the_terminal(
    home: Path, small_bank: Path, width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import columns

    runner.invoke(app, ["play", "-b", str(small_bank), "-p", "Ann"], input="skip\n")
    runner.invoke(app, ["study", "-b", str(small_bank), "-p", "Ann"], input="skip\nskip\n")
    columns(monkeypatch, width)
    for args in (["history"], ["stats", "-b", str(small_bank), "-p", "Ann"]):
        shown = runner.invoke(app, args).stdout
        assert max(len(line.rstrip()) for line in shown.splitlines()) <= width, args
    history = runner.invoke(app, ["history"]).stdout
    flat = " ".join(history.split())
    assert "aborted (end-of-input)" in flat
    assert "study session" in flat
    assert "…" not in history  # nothing cut short


def test_empty_history_and_stats(home: Path) -> None:
    assert "No games yet" in runner.invoke(app, ["history"]).stdout
    assert "No games yet" in runner.invoke(app, ["stats"]).stdout
    assert json.loads(runner.invoke(app, ["stats", "-f", "json"]).stdout)["data"]["games"] == 0


def test_clear_asks_and_keeps_a_backup(home: Path, small_bank: Path) -> None:
    runner.invoke(app, ["play", "-b", str(small_bank)], input="quit\n")
    declined = runner.invoke(app, ["history", "--clear"], input="n\n")
    assert declined.exit_code == 1
    assert len(history_json()) == 1
    cleared = runner.invoke(app, ["history", "--clear"], input="y\n")
    assert cleared.exit_code == 0
    assert history_json() == []
    (backup,) = home.glob("history-backup-*.sqlite3")
    assert len(History(backup).recent().value) == 1
    assert "A copy of it is kept at:" in cleared.stdout
    assert runner.invoke(app, ["history", "--clear", "--yes"]).exit_code == 0


def test_review_plays_the_missed_questions_only(home: Path) -> None:
    first = runner.invoke(
        app,
        ["play", "-b", "desperado-music", "-n", "4", "--seed", "3", "--json"],
        input="skip\n" * 4,
    )
    missed = {a["id"] for a in json.loads(first.stdout)["data"]["players"][0]["answers"]}
    review = runner.invoke(app, ["play", "--review", "--json"], input="skip\n" * 10)
    assert review.exit_code == 0, review.output
    game = json.loads(review.stdout)["data"]
    reviewed = {a["id"] for a in game["players"][0]["answers"]}
    assert reviewed == missed
    # The replay line names the questions: the seed alone would draw others.
    assert "--question desperado-music:" in game["replay"]
    replayed = runner.invoke(
        app, [*game["replay"].split()[1:], "--json", "--no-save"], input="skip\n" * 10
    )
    assert [q["id"] for q in json.loads(replayed.stdout)["data"]["questions"]] == [
        q["id"] for q in game["questions"]
    ]


def test_review_skips_questions_no_longer_in_any_bank(home: Path, small_bank: Path) -> None:
    runner.invoke(app, ["play", "-b", str(small_bank), "--seed", "1"], input="skip\n" * 3)
    review = runner.invoke(app, ["play", "--review"])  # bundled banks: none of those ids
    assert review.exit_code == 0
    assert "Nothing to review: every question you missed" in review.stdout
    stats = runner.invoke(app, ["stats"])
    assert "bank:trejo-role (no longer in any bank)" in stats.stdout


def test_practice_repeats_missed_questions_and_counts_tries(home: Path, small_bank: Path) -> None:
    right = right_answers(8, 3, [small_bank])
    script = ["skip", right[1], right[2], right[0]]  # the first comes back at the end
    result = runner.invoke(
        app,
        ["play", "-b", str(small_bank), "--seed", "8", "--practice"],
        input="".join(f"{line}\n" for line in script),
    )
    assert result.exit_code == 0, result.output
    assert "Question 4 of 4 · try 2" in result.stdout
    assert "(2 tries)" in result.stdout
    assert "(first try)" in result.stdout


def test_stats_command(home: Path, small_bank: Path) -> None:
    runner.invoke(
        app,
        ["play", "-b", str(small_bank), "--seed", "1"],
        input="".join(f"{a}\n" for a in right_answers(1, 3, [small_bank])),
    )
    result = runner.invoke(app, ["stats"])
    assert result.exit_code == 0
    assert "Games played  1 (1 finished)" in result.stdout
    assert "100% (3/3)" in result.stdout
    assert "Best games" in result.stdout
    data = json.loads(runner.invoke(app, ["stats", "--format", "json"]).stdout)["data"]
    assert data["best_games"][0]["banks"] == ["bank"]
    assert data["best_games"][0]["score"] > 0
    other = json.loads(runner.invoke(app, ["stats", "-f", "json", "-p", "Zed"]).stdout)
    assert other["data"]["games"] == 0


def test_corrupt_history_warns_and_the_game_still_plays(home: Path, small_bank: Path) -> None:
    home.mkdir()
    (home / "history.sqlite3").write_text("garbage " * 500)
    result = runner.invoke(app, ["play", "-b", str(small_bank)], input="quit\n")
    assert result.exit_code == 0
    assert "Warning:" in result.stderr
    assert "was damaged" in result.stderr
    assert list(home.glob("history.sqlite3.corrupt-*"))
    assert len(history_json()) == 1


def test_unwritable_history_warns_and_the_game_still_plays(
    tmp_path: Path, small_bank: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = runner.invoke(
        app, ["play", "-b", str(small_bank), "--data-dir", str(blocker)], input="quit\n"
    )
    assert result.exit_code == 0
    assert "this game was not saved" in result.stderr
    assert "Player: no answers." in result.stdout


def unprivileged(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the CLI without the power to ignore file permissions (root drops it)."""
    command = [sys.executable, "-m", "desperado_quiz", *args]
    if os.geteuid() == 0:
        command = [
            "setpriv",
            "--bounding-set",
            "-dac_override,-dac_read_search,-fowner",
            "--",
            *command,
        ]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


needs_setpriv = pytest.mark.skipif(
    os.geteuid() == 0 and not any(Path(p, "setpriv").exists() for p in ("/usr/bin", "/bin")),
    reason="root needs setpriv (util-linux) to drop its power over permissions",
)


@needs_setpriv
def test_read_only_data_folder_warns_and_the_game_still_plays(
    tmp_path: Path, small_bank: Path
) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = unprivileged("play", "-b", str(small_bank), "--data-dir", str(folder))
    finally:
        folder.chmod(0o755)
    assert result.returncode == 0, result.stderr
    assert "this game was not saved" in result.stderr


@needs_setpriv
@pytest.mark.parametrize("read_only", ["file", "folder"])
def test_a_read_only_history_can_still_be_read(
    tmp_path: Path, small_bank: Path, read_only: str
) -> None:
    folder = tmp_path / "data"
    history = History(folder / "history.sqlite3")
    save(history, played({"director": "Rodriguez"}))
    target = history.path if read_only == "file" else folder
    target.chmod(0o444 if read_only == "file" else 0o555)
    try:
        listed = unprivileged("history", "-f", "json", "--data-dir", str(folder))
        numbers = unprivileged("stats", "--data-dir", str(folder))
    finally:
        target.chmod(0o644 if read_only == "file" else 0o755)
    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)["data"]) == 1
    assert numbers.returncode == 0, numbers.stderr
    assert "Games played  1" in numbers.stdout


def test_review_with_an_unreadable_history_says_so(home: Path) -> None:
    home.mkdir()
    (home / "history.sqlite3").mkdir()  # a folder where the file should be
    result = runner.invoke(app, ["play", "--review"])
    assert result.exit_code == 1
    assert "cannot review" in result.stderr
    assert "Nothing to review" not in result.output


def test_review_of_an_empty_history_says_there_are_no_games(home: Path) -> None:
    result = runner.invoke(app, ["play", "--review", "--json"])
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["data"] is None
    assert document["warnings"] == ["Nothing to review: Player has no games in the history yet."]


def test_csv_cells_never_run_as_spreadsheet_formulas(home: Path, small_bank: Path) -> None:
    for name in ("=HYPERLINK(1)", "+1", "-2", "@SUM(A1)"):
        runner.invoke(app, ["play", "-b", str(small_bank), "-p", name], input="quit\n")
    rows = runner.invoke(app, ["history", "-f", "csv"]).stdout.splitlines()[1:]
    players = sorted(row.split(",")[3] for row in rows)
    assert players == ["'+1", "'-2", "'=HYPERLINK(1)", "'@SUM(A1)"]


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
def test_read_only_data_folder_warns_even_for_root(small_bank: Path) -> None:
    # /proc exists and refuses new files to everyone, root included.
    result = runner.invoke(
        app, ["play", "-b", str(small_bank), "--data-dir", "/proc"], input="quit\n"
    )
    assert result.exit_code == 0
    assert "/proc" in result.stderr
    assert "this game was not saved" in result.stderr


def test_a_game_quit_at_once_still_names_its_banks(home: Path, small_bank: Path) -> None:
    runner.invoke(app, ["play", "-b", str(small_bank)], input="quit\n")
    (game,) = history_json()
    assert (game["answered"], game["banks"]) == (0, ["bank"])


@needs_setpriv
@pytest.mark.parametrize(
    "args", [["history"], ["stats"], ["history", "--clear", "--yes"], ["play", "--review"]]
)
def test_a_data_folder_that_cannot_be_entered_is_an_error_not_a_bug(
    tmp_path: Path, small_bank: Path, args: list[str]
) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    save(History(folder / "history.sqlite3"), played({"director": "Rodriguez"}))
    folder.chmod(0o000)
    try:
        result = unprivileged(*args, "--data-dir", str(folder))
    finally:
        folder.chmod(0o755)
    assert result.returncode in (1, 2), result.stderr
    assert "Permission denied" in result.stderr
    assert "internal error" not in result.stderr


def test_stats_on_another_programs_database_says_so(home: Path) -> None:
    home.mkdir()
    with closing(sqlite3.connect(home / "history.sqlite3")) as db:
        db.execute("CREATE TABLE notes (body TEXT)")
    result = runner.invoke(app, ["stats"])
    assert result.exit_code == 1
    assert "is not a desperado-quiz history" in result.stderr
    assert "Traceback" not in result.output


def test_history_says_right_out_of_the_games_questions_and_all_bundled_banks() -> None:
    from desperado_quiz.cli import app as cli_app

    runner.invoke(cli_app, ["play", "-n", "3", "--seed", "2"], input="skip\nquit\n")
    runner.invoke(cli_app, ["play", "-q", "score-band"], input="Los Lobos\n")
    shown = runner.invoke(cli_app, ["history"]).stdout
    flat = " ".join(shown.split())
    assert "all bundled banks" in flat  # no bank named: not five lines of bank ids
    assert "0 of 3" in flat  # quit after 2 of 3: right out of the game's 3 questions
    assert "1 of 1" in flat
    assert "0/0" not in flat
